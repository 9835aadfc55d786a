import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'telemetry-missing-provider';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function tel(name: string, body: string): string {
  return `
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ${name}, namespace: shop }
spec:
${body}`;
}

const SAIL = `
apiVersion: sailoperator.io/v1
kind: Istio
metadata: { name: default }
spec:
  version: v1.30.3
  namespace: istio-system
  values:
    meshConfig:
      extensionProviders:
        - name: otel
          opentelemetry: { service: otel-collector.observability.svc.cluster.local, port: 4317 }
`;

describe(RULE, () => {
  test('fires on an accessLogging entry without providers (IST0157)', () => {
    expect(findings(tel('logs', '  accessLogging: [{ match: { mode: SERVER } }]\n'))).toEqual(['warning Telemetry/shop/logs']);
  });

  test('fires on a provider the in-app mesh config does not define', () => {
    expect(findings(SAIL + tel('tracing', '  tracing: [{ providers: [{ name: zipkin }], randomSamplingPercentage: 5 }]\n'))).toEqual([
      'warning Telemetry/shop/tracing',
    ]);
  });

  test('near miss: built-in providers, providers from the in-app mesh config, and disabling access logs', () => {
    expect(findings(SAIL + tel('logs', '  accessLogging: [{ providers: [{ name: envoy }] }]\n')
      + tel('tracing', '  tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 5 }]\n')
      + tel('quiet', '  accessLogging: [{ disabled: true }]\n'))).toEqual([]);
  });

  test('near miss: provider names are not checked when the mesh config is not part of the app', () => {
    expect(findings(tel('tracing', '  tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 5 }]\n'))).toEqual([]);
  });

  test('near miss: an accessLogging entry without providers when the mesh config sets a default (istio ConfigMap)', () => {
    const cm = `
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    defaultProviders:
      accessLogging: [envoy]
`;
    expect(findings(cm + tel('logs', '  accessLogging: [{ match: { mode: SERVER } }]\n'))).toEqual([]);
  });
});

import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'conflicting-telemetry';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api, tier: backend } }
    spec: { containers: [{ name: app, image: example/api:1 }] }
`;

function tel(name: string, ns: string, scope: string): string {
  return `
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ${name}, namespace: ${ns} }
spec:
${scope}  tracing: [{ randomSamplingPercentage: 10 }]
`;
}

describe(RULE, () => {
  test('fires on two namespace-wide Telemetries (IST0160), on both', () => {
    expect(findings(tel('default', 'shop', '') + tel('tracing', 'shop', ''))).toEqual([
      'error Telemetry/shop/default',
      'error Telemetry/shop/tracing',
    ]);
  });

  test('fires on two Telemetries selecting the same Deployment (IST0159)', () => {
    expect(findings(APP + tel('api', 'shop', '  selector: { matchLabels: { app: api } }\n') + tel('backend', 'shop', '  selector: { matchLabels: { tier: backend } }\n'))).toEqual([
      'error Telemetry/shop/api',
      'error Telemetry/shop/backend',
    ]);
  });

  test('fires on two Telemetries with the same targetRefs target', () => {
    const ref = '  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }]\n';
    expect(findings(tel('a', 'shop', ref) + tel('b', 'shop', ref))).toEqual(['error Telemetry/shop/a', 'error Telemetry/shop/b']);
  });

  test('near miss: mesh-wide, namespace-wide, a workload selector and a targetRefs Telemetry', () => {
    expect(findings(APP + tel('mesh-default', 'istio-system', '') + tel('default', 'shop', '')
      + tel('api', 'shop', '  selector: { matchLabels: { app: api } }\n')
      + tel('waypoint', 'shop', '  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }]\n'))).toEqual([]);
  });
});

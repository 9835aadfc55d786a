import { findingsOf, fromYaml, KubeObject, telemetry } from './fixtures';

const RULE = 'telemetry-missing-provider';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const SAIL = fromYaml(`
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
`);

const SERVER_LOGS = telemetry('shop', 'logs', { accessLogging: [{ match: { mode: 'SERVER' } }] });

const otelTracing = () => telemetry('shop', 'tracing', { tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 5 }] });

describe(RULE, () => {
  test('fires on an accessLogging entry without providers (IST0157)', () => {
    expect(findings([SERVER_LOGS])).toEqual(['warning Telemetry/shop/logs']);
  });

  test('fires on a provider the in-app mesh config does not define', () => {
    expect(findings([...SAIL, telemetry('shop', 'tracing', { tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 5 }] })])).toEqual([
      'warning Telemetry/shop/tracing',
    ]);
  });

  test('near miss: built-in providers, providers from the in-app mesh config, and disabling access logs', () => {
    const objects = [
      ...SAIL,
      telemetry('shop', 'logs', { accessLogging: [{ providers: [{ name: 'envoy' }] }] }),
      otelTracing(),
      telemetry('shop', 'quiet', { accessLogging: [{ disabled: true }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: an entry without providers inherits them from the mesh-wide Telemetry or an earlier entry (Istio mergeLogs)', () => {
    const objects = [
      telemetry('istio-system', 'mesh-default', { accessLogging: [{ providers: [{ name: 'envoy' }] }] }),
      SERVER_LOGS,
      telemetry('orders', 'default', { accessLogging: [{ providers: [{ name: 'envoy' }] }, { match: { mode: 'CLIENT' }, disabled: true }, { filter: { expression: 'response.code >= 400' } }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('fires when only a workload Telemetry (not an ancestor) names the provider', () => {
    const objects = [
      telemetry('shop', 'reviews', { selector: { matchLabels: { app: 'reviews' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] }),
      SERVER_LOGS,
    ];
    expect(findings(objects)).toEqual(['warning Telemetry/shop/logs']);
  });

  test('near miss: provider names are not checked when the mesh config is not part of the app', () => {
    expect(findings([otelTracing()])).toEqual([]);
  });

  test('near miss: an accessLogging entry without providers when the mesh config sets a default (istio ConfigMap)', () => {
    const cm = fromYaml(`
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    defaultProviders:
      accessLogging: [envoy]
`);
    expect(findings([...cm, SERVER_LOGS])).toEqual([]);
  });
});

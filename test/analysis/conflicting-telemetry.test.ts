import { deployment, findingsOf, Json, KubeObject, telemetry } from './fixtures';

const RULE = 'conflicting-telemetry';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const APP = deployment('shop', 'api', { app: 'api', tier: 'backend' });

/** A tracing Telemetry with the given scope (`selector` / `targetRefs`; namespace-wide when empty). */
const tel = (ns: string, name: string, scope: Json = {}) => telemetry(ns, name, { ...scope, tracing: [{ randomSamplingPercentage: 10 }] });

const WAYPOINT_REF = { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }] };

describe(RULE, () => {
  test('fires on two namespace-wide Telemetries (IST0160), on both', () => {
    expect(findings([tel('shop', 'default'), tel('shop', 'tracing')])).toEqual([
      'error Telemetry/shop/default',
      'error Telemetry/shop/tracing',
    ]);
  });

  test('fires on two Telemetries selecting the same Deployment (IST0159)', () => {
    const objects = [
      APP,
      tel('shop', 'api', { selector: { matchLabels: { app: 'api' } } }),
      tel('shop', 'backend', { selector: { matchLabels: { tier: 'backend' } } }),
    ];
    expect(findings(objects)).toEqual([
      'error Telemetry/shop/api',
      'error Telemetry/shop/backend',
    ]);
  });

  test('fires on two Telemetries with the same targetRefs target', () => {
    expect(findings([tel('shop', 'a', WAYPOINT_REF), tel('shop', 'b', WAYPOINT_REF)])).toEqual(['error Telemetry/shop/a', 'error Telemetry/shop/b']);
  });

  test('near miss: mesh-wide, namespace-wide, a workload selector and a targetRefs Telemetry', () => {
    const objects = [
      APP,
      tel('istio-system', 'mesh-default'),
      tel('shop', 'default'),
      tel('shop', 'api', { selector: { matchLabels: { app: 'api' } } }),
      tel('shop', 'waypoint', WAYPOINT_REF),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

import { deployment, findingsOf, KubeObject, Labels, namespace, sidecar } from './fixtures';

const RULE = 'sidecar-overlapping-selectors';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const NS = [
  namespace('shop', { 'istio.io/rev': 'prod-stable' }),
  deployment('shop', 'reviews', { app: 'reviews', version: 'v1' }),
  deployment('shop', 'ratings', { app: 'ratings' }),
];

/** A Sidecar importing `./*` and `istio-system/*`, namespace-wide unless `selector` is given. */
function egressSidecar(ns: string, name: string, selector?: Labels) {
  return sidecar(ns, name, { ...(selector ? { workloadSelector: { labels: selector } } : {}), egress: [{ hosts: ['./*', 'istio-system/*'] }] });
}

describe(RULE, () => {
  test('fires on two selector-less Sidecars in one namespace (IST0111), on both', () => {
    expect(findings([...NS, egressSidecar('shop', 'default'), egressSidecar('shop', 'other')])).toEqual([
      'error Sidecar/shop/default',
      'error Sidecar/shop/other',
    ]);
  });

  test('fires on two Sidecars whose selectors match the same Deployment (IST0110), on both', () => {
    expect(findings([...NS, egressSidecar('shop', 'by-app', { app: 'reviews' }), egressSidecar('shop', 'by-version', { version: 'v1' })])).toEqual([
      'error Sidecar/shop/by-app',
      'error Sidecar/shop/by-version',
    ]);
  });

  test('fires on identical selectors in a namespace without workloads in the app', () => {
    expect(findings([egressSidecar('payments', 'a', { app: 'pay' }), egressSidecar('payments', 'b', { app: 'pay' })])).toEqual([
      'error Sidecar/payments/a',
      'error Sidecar/payments/b',
    ]);
  });

  test('near miss: a namespace default plus a workload Sidecar, and disjoint selectors', () => {
    expect(findings([
      ...NS,
      egressSidecar('shop', 'default'),
      egressSidecar('shop', 'reviews', { app: 'reviews' }),
      egressSidecar('shop', 'ratings', { app: 'ratings' }),
    ])).toEqual([]);
  });

  test('near miss: the root-namespace mesh default plus one namespace default per namespace', () => {
    expect(findings([...NS, egressSidecar('istio-system', 'default'), egressSidecar('shop', 'default'), egressSidecar('payments', 'default')])).toEqual([]);
  });

  test('near miss: overlapping selectors that select no common pod', () => {
    expect(findings([
      ...NS,
      egressSidecar('shop', 'a', { app: 'reviews', version: 'v2' }),
      egressSidecar('shop', 'b', { app: 'reviews', version: 'v1' }),
    ])).toEqual([]);
  });

  test('near miss: two selector-less Sidecars in an ambient namespace are reported by ineffective-policy instead', () => {
    const ambient = namespace('mesh', { 'istio.io/dataplane-mode': 'ambient' });
    expect(findings([ambient, egressSidecar('mesh', 'a'), egressSidecar('mesh', 'b')])).toEqual([]);
  });
});

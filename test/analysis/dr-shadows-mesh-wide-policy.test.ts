import { destinationRule, findingsOf, KubeObject } from './fixtures';

const RULE = 'dr-shadows-mesh-wide-policy';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** The mesh-wide `*.local` DestinationRule in istio-system (ISTIO_MUTUAL and outlier detection), with `exportTo` when given. */
function meshDr(exportTo?: string[]) {
  return destinationRule('istio-system', 'mesh-default', {
    host: '*.local',
    ...(exportTo ? { exportTo } : {}),
    trafficPolicy: {
      tls: { mode: 'ISTIO_MUTUAL' },
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    },
  });
}

const MESH_DR = meshDr();

describe(RULE, () => {
  test('fires on a canary DestinationRule with only subsets (drops tls and outlierDetection)', () => {
    const objects = [
      MESH_DR,
      destinationRule('shop', 'reviews', {
        host: 'reviews',
        subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
      }),
    ];
    expect(findings(objects)).toEqual(['warning DestinationRule/shop/reviews']);
  });

  test('fires on a host DestinationRule that sets connectionPool but omits outlierDetection', () => {
    const objects = [
      MESH_DR,
      destinationRule('shop', 'ratings', {
        host: 'ratings.shop.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { tcp: { maxConnections: 100 } } },
      }),
    ];
    expect(findings(objects)).toEqual(['warning DestinationRule/shop/ratings']);
  });

  test('near miss: a host DestinationRule that repeats every mesh-wide setting', () => {
    const objects = [
      MESH_DR,
      destinationRule('shop', 'reviews', {
        host: 'reviews',
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 30 },
          loadBalancer: { simple: 'LEAST_REQUEST' },
        },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('fires on a narrower namespace wildcard that omits the mesh-wide settings (it wins for those hosts)', () => {
    const objects = [
      MESH_DR,
      destinationRule('team', 'team-default', { host: '*.team.svc.cluster.local', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }),
    ];
    expect(findings(objects)).toEqual(['warning DestinationRule/team/team-default']);
  });

  test('near miss: hosts the mesh-wide wildcard does not cover, and no mesh-wide DestinationRule at all', () => {
    expect(findings([MESH_DR, destinationRule('shop', 'stripe', { host: 'api.stripe.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } })])).toEqual([]);
    expect(findings([destinationRule('shop', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })])).toEqual([]);
  });

  test('near miss: a root-namespace wildcard exported only to its own namespace is not mesh-wide', () => {
    const local = meshDr(['.']);
    expect(findings([local, destinationRule('shop', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })])).toEqual([]);
  });
});

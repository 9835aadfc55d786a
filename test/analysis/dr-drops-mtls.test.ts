import {
  deployment, destinationRule, findingsOf, fromYaml, KubeObject, namespace, peerAuthentication, service, statefulSet,
} from './fixtures';

const RULE = 'dr-drops-mtls';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** Namespace shop (STRICT), a Service reviews:9080 -> 9080 plus metrics 15090 -> 9090, one Deployment. */
const APP = [
  namespace('shop', { 'istio.io/rev': 'prod-stable' }),
  peerAuthentication('shop', 'default', { mtls: { mode: 'STRICT' } }),
  service('shop', 'reviews', { app: 'reviews' }, [
    { name: 'http', port: 9080, targetPort: 9080 },
    { name: 'http-metrics', port: 15090, targetPort: 'metrics' },
  ]),
  deployment('shop', 'reviews-v1', { app: 'reviews', version: 'v1' }, {
    matchLabels: { app: 'reviews', version: 'v1' },
    containers: [{ name: 'app', image: 'example/reviews:1', ports: [{ containerPort: 9080, name: 'http' }, { containerPort: 9090, name: 'metrics' }] }],
  }),
];

const MESH_STRICT = peerAuthentication('istio-system', 'default', { mtls: { mode: 'STRICT' } });

describe(RULE, () => {
  test('fires on tls.mode DISABLE for a STRICT in-app service', () => {
    const objects = [...APP, destinationRule('shop', 'reviews', { host: 'reviews', trafficPolicy: { tls: { mode: 'DISABLE' } } })];
    expect(findings(objects)).toEqual(['error DestinationRule/shop/reviews']);
  });

  test('fires on SIMPLE TLS origination to a STRICT service, from another namespace, under mesh-wide STRICT', () => {
    const objects = [
      MESH_STRICT,
      service('payments', 'payments', { app: 'payments' }, [{ name: 'https', port: 443, targetPort: 8443 }]),
      destinationRule('checkout', 'payments', {
        host: 'payments.payments.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'payments.payments.svc.cluster.local' } },
      }),
    ];
    expect(findings(objects)).toEqual(['error DestinationRule/checkout/payments']);
  });

  test('fires on a subset that disables TLS while the top level is ISTIO_MUTUAL', () => {
    const objects = [
      ...APP,
      destinationRule('shop', 'reviews', {
        host: 'reviews.shop.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'DISABLE' } } }],
      }),
    ];
    expect(findings(objects)).toEqual(['error DestinationRule/shop/reviews']);
  });

  test('near miss: ISTIO_MUTUAL at port level for every STRICT port, DISABLE only where PERMISSIVE', () => {
    const objects = [
      ...APP,
      peerAuthentication('shop', 'reviews-metrics', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'STRICT' },
        portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
      }),
      destinationRule('shop', 'reviews', {
        host: 'reviews',
        trafficPolicy: { tls: { mode: 'DISABLE' }, portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'ISTIO_MUTUAL' } }] },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: a port-level entry without tls replaces the top-level DISABLE with auto-mTLS (port level does not inherit)', () => {
    const objects = [
      ...APP,
      destinationRule('shop', 'reviews', {
        host: 'reviews.shop.svc.cluster.local',
        trafficPolicy: {
          tls: { mode: 'DISABLE' },
          portLevelSettings: [
            { port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 10 } } },
            { port: { number: 15090 }, tls: { mode: 'ISTIO_MUTUAL' } },
          ],
        },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('fires on a subset port-level DISABLE, and on a subset without tls inheriting the top-level DISABLE', () => {
    const objects = [
      ...APP,
      destinationRule('shop', 'reviews', {
        host: 'reviews.shop.svc.cluster.local',
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'DISABLE' } }] } }],
      }),
      destinationRule('shop', 'reviews-plain', {
        host: 'reviews.shop.svc.cluster.local',
        trafficPolicy: { tls: { mode: 'DISABLE' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }],
      }),
    ];
    expect(findings(objects)).toEqual(['error DestinationRule/shop/reviews', 'error DestinationRule/shop/reviews-plain']);
  });

  test('near miss: DISABLE towards a workload without sidecar, a PERMISSIVE namespace, and auto-mTLS (no tls)', () => {
    const objects = [
      ...APP,
      service('shop', 'mysql', { app: 'mysql' }, [{ name: 'tcp-mysql', port: 3306 }]),
      statefulSet('shop', 'mysql', { 'app': 'mysql', 'sidecar.istio.io/inject': 'false' }, { containers: [{ name: 'mysql', image: 'mysql:8' }] }),
      destinationRule('shop', 'mysql', { host: 'mysql', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
      destinationRule('shop', 'reviews', { host: 'reviews', trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } } }),
      service('legacy', 'legacy', { app: 'legacy' }, [{ name: 'http', port: 80 }]),
      destinationRule('legacy', 'legacy', { host: 'legacy', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: external hosts (ServiceEntry) with SIMPLE TLS', () => {
    const objects = [
      MESH_STRICT,
      ...fromYaml(`
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
  location: MESH_EXTERNAL
`),
      destinationRule('shop', 'stripe', { host: 'api.stripe.com', trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'api.stripe.com' } } }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: TLS origination to a workload in an owned namespace that is not part of the mesh', () => {
    const objects = [
      MESH_STRICT,
      namespace('databases'),
      service('databases', 'postgres', { app: 'postgres' }, [{ name: 'tcp-postgres', port: 5432 }]),
      statefulSet('databases', 'postgres', { app: 'postgres' }, { containers: [{ name: 'postgres', image: 'postgres:16' }] }),
      destinationRule('shop', 'postgres', { host: 'postgres.databases.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
      destinationRule('shop', 'cache', { host: 'cache.databases.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
      service('databases', 'cache', { app: 'cache' }, [{ name: 'tcp-redis', port: 6379 }]),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

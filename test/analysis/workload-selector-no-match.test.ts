import {
  authorizationPolicy, deployment, destinationRule, findingsOf, fromYaml, gateway, JWT_RULES, KubeObject, namespace, peerAuthentication,
  requestAuthentication, sidecar, telemetry,
} from './fixtures';

const RULE = 'workload-selector-no-match';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const APP = [
  namespace('shop', { 'istio.io/rev': 'prod-stable' }),
  deployment('shop', 'reviews', { app: 'reviews', version: 'v1' }),
];

/** An AuthorizationPolicy selecting `app` that admits `principal`. */
function allowFrom(ns: string, name: string, app: string, principal: string) {
  return authorizationPolicy(ns, name, { selector: { matchLabels: { app } }, rules: [{ from: [{ source: { principals: [principal] } }] }] });
}

describe(RULE, () => {
  test('fires on an AuthorizationPolicy, a Sidecar and a Telemetry whose selector has a typo', () => {
    const objects = [
      ...APP,
      allowFrom('shop', 'reviews', 'review', 'cluster.local/ns/shop/sa/productpage'),
      sidecar('shop', 'reviews', { workloadSelector: { labels: { app: 'reviews', version: 'v2' } }, egress: [{ hosts: ['./*'] }] }),
      telemetry('shop', 'reviews', { selector: { matchLabels: { app: 'reviewz' } }, tracing: [{ randomSamplingPercentage: 10 }] }),
    ];
    expect(findings(objects)).toEqual([
      'warning AuthorizationPolicy/shop/reviews',
      'warning Sidecar/shop/reviews',
      'warning Telemetry/shop/reviews',
    ]);
  });

  test('fires on a PeerAuthentication selecting labels no pod template has', () => {
    const objects = [
      ...APP,
      peerAuthentication('shop', 'reviews-metrics', {
        selector: { matchLabels: { app: 'reviews', tier: 'backend' } },
        mtls: { mode: 'STRICT' },
        portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
      }),
    ];
    expect(findings(objects)).toEqual(['warning PeerAuthentication/shop/reviews-metrics']);
  });

  test('near miss: selectors that match the pod template labels (not the Deployment labels)', () => {
    const objects = [
      ...APP,
      authorizationPolicy('shop', 'reviews', {
        selector: { matchLabels: { app: 'reviews', version: 'v1' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }] }],
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: namespaces without workloads in the app, the root namespace, and namespace-wide policies', () => {
    const objects = [
      ...APP,
      allowFrom('payments', 'payments', 'payments', 'cluster.local/ns/shop/sa/reviews'),
      authorizationPolicy('istio-system', 'ext-authz', {
        selector: { matchLabels: { app: 'something-elsewhere' } },
        action: 'CUSTOM',
        provider: { name: 'oauth2' },
        rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
      }),
      authorizationPolicy('shop', 'allow-nothing', {}),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: gateways are excluded (Gateway selectors and policies aimed at gateway pods)', () => {
    const objects = [
      ...APP,
      gateway('shop', 'public', {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }],
      }),
      authorizationPolicy('shop', 'ingress', {
        selector: { matchLabels: { istio: 'ingressgateway' } },
        rules: [{ to: [{ operation: { ports: ['8080'] } }] }],
      }),
      requestAuthentication('shop', 'ingress-jwt', { selector: { matchLabels: { app: 'istio-ingressgateway' } }, jwtRules: JWT_RULES }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('fires on an EnvoyFilter and a DestinationRule workloadSelector that match nothing', () => {
    const objects = [
      ...APP,
      ...fromYaml(`
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: reviews-lua, namespace: shop }
spec:
  workloadSelector: { labels: { app: reviews-v2 } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: SIDECAR_INBOUND }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.lua } }
`),
      destinationRule('shop', 'ratings-from-reviews', {
        host: 'ratings.shop.svc.cluster.local',
        workloadSelector: { matchLabels: { app: 'reviewer' } },
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } },
      }),
    ];
    expect(findings(objects)).toEqual(['warning DestinationRule/shop/ratings-from-reviews', 'warning EnvoyFilter/shop/reviews-lua']);
  });

  test('near miss: the selector matches the pod template of an Argo Rollout', () => {
    const objects = [
      ...APP,
      ...fromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: ratings, namespace: shop }
spec:
  selector: { matchLabels: { app: ratings } }
  template:
    metadata: { labels: { app: ratings } }
    spec: { containers: [{ name: app, image: example/ratings:1 }] }
`),
      allowFrom('shop', 'ratings', 'ratings', 'cluster.local/ns/shop/sa/reviews'),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

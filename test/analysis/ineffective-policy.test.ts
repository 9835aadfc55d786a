import {
  authorizationPolicy, deployment, findingsOf, JWT_RULES, KubeObject, namespace, peerAuthentication, requestAuthentication, sidecar, telemetry,
} from './fixtures';

const RULE = 'ineffective-policy';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const AMBIENT = [
  namespace('mesh', { 'istio.io/dataplane-mode': 'ambient' }),
  deployment('mesh', 'api', { app: 'api' }),
];

describe(RULE, () => {
  test('fires on a Sidecar in an ambient namespace (IST0167)', () => {
    const objects = [
      ...AMBIENT,
      sidecar('mesh', 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }),
    ];
    expect(findings(objects)).toEqual(['warning Sidecar/mesh/default']);
  });

  test('fires on a selector PeerAuthentication in the root namespace (ignored by Istio)', () => {
    const objects = [
      peerAuthentication('istio-system', 'ingress-permissive', { selector: { matchLabels: { app: 'legacy' } }, mtls: { mode: 'PERMISSIVE' } }),
    ];
    expect(findings(objects)).toEqual(['warning PeerAuthentication/istio-system/ingress-permissive']);
  });

  test('fires on selector-based L7 policies in an ambient namespace (KIA0110, KIA1115, KIA1117)', () => {
    const objects = [
      ...AMBIENT,
      authorizationPolicy('mesh', 'api-get-only', {
        selector: { matchLabels: { app: 'api' } },
        rules: [{ to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] }],
      }),
      requestAuthentication('mesh', 'api-jwt', { selector: { matchLabels: { app: 'api' } }, jwtRules: JWT_RULES }),
      telemetry('mesh', 'api-logs', { selector: { matchLabels: { app: 'api' } }, accessLogging: [{ providers: [{ name: 'envoy' }] }] }),
    ];
    expect(findings(objects)).toEqual([
      'warning AuthorizationPolicy/mesh/api-get-only',
      'warning RequestAuthentication/mesh/api-jwt',
      'warning Telemetry/mesh/api-logs',
    ]);
  });

  test('fires on a selector that targets Gateway API gateway pods (IST0166)', () => {
    const objects = [
      authorizationPolicy('edge', 'gw-allow', {
        selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } },
        rules: [{ to: [{ operation: { ports: ['80'] } }] }],
      }),
    ];
    expect(findings(objects)).toEqual(['warning AuthorizationPolicy/edge/gw-allow']);
  });

  test('near miss: the root-namespace mesh-wide PeerAuthentication and Sidecar without selector', () => {
    const objects = [
      peerAuthentication('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
      sidecar('istio-system', 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: ambient policies with targetRefs, L4-only selector policies, and a sidecar namespace', () => {
    const objects = [
      ...AMBIENT,
      authorizationPolicy('mesh', 'api-l4', {
        selector: { matchLabels: { app: 'api' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/mesh/sa/web'] } }], to: [{ operation: { ports: ['8080'] } }] }],
      }),
      authorizationPolicy('mesh', 'api-l7', {
        targetRefs: [{ kind: 'Service', group: '', name: 'api' }],
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      }),
      requestAuthentication('mesh', 'api-jwt', {
        targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }],
        jwtRules: JWT_RULES,
      }),
      namespace('classic', { 'istio.io/rev': 'prod-stable' }),
      sidecar('classic', 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: a namespace labelled both ambient and istio.io/rev runs sidecars, so its Sidecar applies', () => {
    const objects = [
      namespace('mixed', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': 'prod-stable' }),
      sidecar('mixed', 'default', { egress: [{ hosts: ['./*'] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('fires on a Sidecar whose selected pods all run in ambient mode (pod label) in a sidecar namespace', () => {
    const objects = [
      namespace('shop', { 'istio.io/rev': 'prod-stable' }),
      deployment('shop', 'batch', { 'app': 'batch', 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'false' }),
      sidecar('shop', 'batch', { workloadSelector: { labels: { app: 'batch' } }, egress: [{ hosts: ['./*'] }] }),
    ];
    expect(findings(objects)).toEqual(['warning Sidecar/shop/batch']);
  });
});

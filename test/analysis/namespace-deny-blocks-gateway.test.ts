import {
  authorizationPolicy, deployment, findingsOf, gateway, k8sHttpGateway, KubeObject, Labels, namespace, waypoint,
} from './fixtures';

const RULE = 'namespace-deny-blocks-gateway';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** A gateway Deployment (gateway injection template, one istio-proxy container) whose pods carry `podLabels`. */
function gatewayDeployment(ns: string, name: string, podLabels: Labels) {
  return deployment(ns, name, podLabels, {
    matchLabels: { istio: podLabels.istio },
    podAnnotations: { 'inject.istio.io/templates': 'gateway' },
    containers: [{ name: 'istio-proxy', image: 'auto' }],
  });
}

const EDGE = namespace('edge', { 'istio.io/rev': 'prod-stable' });
const INGRESS = gatewayDeployment('edge', 'ingress', { 'istio': 'ingress', 'sidecar.istio.io/inject': 'true' });

/** An ingress gateway Deployment (gateway injection template) in namespace edge, plus its Gateway. */
const GATEWAY = [
  EDGE,
  INGRESS,
  gateway('edge', 'public', {
    selector: { istio: 'ingress' },
    servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }],
  }),
];

const allowNothing = (ns: string) => authorizationPolicy(ns, 'allow-nothing', {});

/** DENY requests without a peer identity (plain text). */
const requireMtls = (ns: string) => authorizationPolicy(ns, 'require-mtls', { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }] });

describe(RULE, () => {
  test('fires on an allow-nothing policy in the gateway namespace', () => {
    expect(findings([...GATEWAY, allowNothing('edge')])).toEqual(['error AuthorizationPolicy/edge/allow-nothing']);
  });

  test('fires on a namespace ALLOW that requires principals, and a DENY notPrincipals ["*"] (require mTLS)', () => {
    const objects = [
      ...GATEWAY,
      authorizationPolicy('edge', 'allow-mesh', { rules: [{ from: [{ source: { namespaces: ['edge', 'shop'] } }] }] }),
      requireMtls('edge'),
    ];
    expect(findings(objects)).toEqual([
      'error AuthorizationPolicy/edge/allow-mesh',
      'error AuthorizationPolicy/edge/require-mtls',
    ]);
  });

  test('fires on a mesh-wide allow-nothing in the root namespace', () => {
    expect(findings([...GATEWAY, allowNothing('istio-system')])).toEqual(['error AuthorizationPolicy/istio-system/allow-nothing']);
  });

  test('near miss: allow-nothing plus an ALLOW on the gateway pods that admits external clients', () => {
    const objects = [
      ...GATEWAY,
      allowNothing('edge'),
      authorizationPolicy('edge', 'ingress', { selector: { matchLabels: { istio: 'ingress' } }, rules: [{ to: [{ operation: { ports: ['8080'] } }] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: deny-all in an application namespace without a gateway, and a DENY on paths', () => {
    const app = deployment('shop', 'reviews', { app: 'reviews' });
    const objects = [
      ...GATEWAY,
      app,
      allowNothing('shop'),
      requireMtls('shop'),
      authorizationPolicy('edge', 'no-admin', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: an egress gateway namespace that only admits mesh identities', () => {
    const egress = gatewayDeployment('egress', 'egressgateway', { istio: 'egressgateway' });
    expect(findings([egress, allowNothing('egress'), requireMtls('egress')])).toEqual([]);
  });

  test('fires on allow-nothing in the namespace of a Gateway API gateway, unless a targetRefs ALLOW admits clients', () => {
    const gw = k8sHttpGateway('web', 'public');
    expect(findings([gw, allowNothing('web')])).toEqual(['error AuthorizationPolicy/web/allow-nothing']);
    const admitPublic = authorizationPolicy('web', 'public', {
      targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'public' }],
      rules: [{ to: [{ operation: { ports: ['80'] } }] }],
    });
    expect(findings([gw, allowNothing('web'), admitPublic])).toEqual([]);
  });

  test('near miss: allow-nothing next to a waypoint (mesh traffic only)', () => {
    expect(findings([waypoint('mesh'), allowNothing('mesh')])).toEqual([]);
  });
});

import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'namespace-deny-blocks-gateway';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

/** An ingress gateway Deployment (gateway injection template) in namespace edge, plus its Gateway. */
const GATEWAY = `
apiVersion: v1
kind: Namespace
metadata: { name: edge, labels: { istio.io/rev: prod-stable } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ingress, namespace: edge }
spec:
  selector: { matchLabels: { istio: ingress } }
  template:
    metadata:
      labels: { istio: ingress, sidecar.istio.io/inject: "true" }
      annotations: { inject.istio.io/templates: gateway }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: edge }
spec:
  selector: { istio: ingress }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
`;

function ap(name: string, ns: string, body: string): string {
  return `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec:
${body}`;
}

describe(RULE, () => {
  test('fires on an allow-nothing policy in the gateway namespace', () => {
    expect(findings(GATEWAY + ap('allow-nothing', 'edge', '  {}\n'))).toEqual(['error AuthorizationPolicy/edge/allow-nothing']);
  });

  test('fires on a namespace ALLOW that requires principals, and a DENY notPrincipals ["*"] (require mTLS)', () => {
    expect(findings(GATEWAY
      + ap('allow-mesh', 'edge', '  rules: [{ from: [{ source: { namespaces: ["edge", "shop"] } }] }]\n')
      + ap('require-mtls', 'edge', '  action: DENY\n  rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }]\n'))).toEqual([
      'error AuthorizationPolicy/edge/allow-mesh',
      'error AuthorizationPolicy/edge/require-mtls',
    ]);
  });

  test('fires on a mesh-wide allow-nothing in the root namespace', () => {
    expect(findings(GATEWAY + ap('allow-nothing', 'istio-system', '  {}\n'))).toEqual(['error AuthorizationPolicy/istio-system/allow-nothing']);
  });

  test('near miss: allow-nothing plus an ALLOW on the gateway pods that admits external clients', () => {
    expect(findings(GATEWAY + ap('allow-nothing', 'edge', '  {}\n')
      + ap('ingress', 'edge', '  selector: { matchLabels: { istio: ingress } }\n  rules: [{ to: [{ operation: { ports: ["8080"] } }] }]\n'))).toEqual([]);
  });

  test('near miss: deny-all in an application namespace without a gateway, and a DENY on paths', () => {
    const app = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  template:
    metadata: { labels: { app: reviews } }
    spec: { containers: [{ name: app, image: example/reviews:1 }] }
`;
    expect(findings(GATEWAY + app + ap('allow-nothing', 'shop', '  {}\n')
      + ap('require-mtls', 'shop', '  action: DENY\n  rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }]\n')
      + ap('no-admin', 'edge', '  action: DENY\n  rules: [{ to: [{ operation: { paths: ["/admin*"] } }] }]\n'))).toEqual([]);
  });

  test('near miss: an egress gateway namespace that only admits mesh identities', () => {
    const egress = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: egressgateway, namespace: egress }
spec:
  selector: { matchLabels: { istio: egressgateway } }
  template:
    metadata:
      labels: { istio: egressgateway }
      annotations: { inject.istio.io/templates: gateway }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
`;
    expect(findings(egress + ap('allow-nothing', 'egress', '  {}\n')
      + ap('require-mtls', 'egress', '  action: DENY\n  rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }]\n'))).toEqual([]);
  });

  test('fires on allow-nothing in the namespace of a Gateway API gateway, unless a targetRefs ALLOW admits clients', () => {
    const gw = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: web }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP }]
`;
    expect(findings(gw + ap('allow-nothing', 'web', '  {}\n'))).toEqual(['error AuthorizationPolicy/web/allow-nothing']);
    expect(findings(gw + ap('allow-nothing', 'web', '  {}\n')
      + ap('public', 'web', '  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: public }]\n  rules: [{ to: [{ operation: { ports: ["80"] } }] }]\n'))).toEqual([]);
  });

  test('near miss: allow-nothing next to a waypoint (mesh traffic only)', () => {
    const waypoint = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: mesh }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]
`;
    expect(findings(waypoint + ap('allow-nothing', 'mesh', '  {}\n'))).toEqual([]);
  });
});

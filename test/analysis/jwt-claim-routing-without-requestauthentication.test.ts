import { findingsOf, gateway, hits, INGRESS, SHOP } from './support';

const RULE = 'jwt-claim-routing-without-requestauthentication';

const VS = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ headers: { "@request.auth.claims.groups": { exact: beta } } }]
      route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

const ra = (namespace: string, selector = 'istio: ingressgateway') => `
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: ${namespace} }
spec:
  selector: { matchLabels: { ${selector} } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
`;

const BASE = SHOP + INGRESS + gateway('public', 'istio-ingress', ['*/shop.example.com']) + VS;

describe(RULE, () => {
  test('fires when no RequestAuthentication applies to the gateway workload', () => {
    const f = findingsOf(BASE, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/web']);
    expect(f[0].message).toContain('Deployment/istio-ingress/ingressgateway');
    expect(f[0].codes).toEqual(['IST0149']);
  });

  test('fires when the RequestAuthentication selects other workloads or lives in another namespace', () => {
    expect(hits(BASE + ra('istio-ingress', 'app: other'), RULE)).toEqual(['error VirtualService/shop/web']);
    expect(hits(BASE + ra('shop'), RULE)).toEqual(['error VirtualService/shop/web']);
  });

  test('near miss: RequestAuthentication in the gateway namespace or in the root namespace', () => {
    expect(hits(BASE + ra('istio-ingress'), RULE)).toEqual([]);
    expect(hits(BASE + ra('istio-system'), RULE)).toEqual([]);
  });

  test('near miss: the gateway workload is not part of the app (cannot be checked)', () => {
    expect(hits(SHOP + gateway('public', 'istio-ingress', ['*/shop.example.com']) + VS, RULE)).toEqual([]);
  });
});

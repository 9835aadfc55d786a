import { findingsOf, gateway, hits, INGRESS, ns, SHOP } from './support';

const RULE = 'exportto-leak';

const vs = (namespace: string, host: string, extra = '') => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-override, namespace: ${namespace} }
spec:
  hosts: [${host}]
${extra}  http:
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires on a mesh VirtualService for another namespace\'s service exported everywhere', () => {
    const f = findingsOf(SHOP + ns('frontend') + vs('frontend', 'reviews.shop.svc.cluster.local'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/frontend/reviews-override']);
    expect(f[0].message).toContain("'frontend'");
    expect(hits(SHOP + ns('frontend') + vs('frontend', 'reviews.shop.svc.cluster.local', '  exportTo: ["*"]\n'), RULE)).toHaveLength(1);
  });

  test('near miss: exported only to its own namespace, own-namespace host, gateway-only binding', () => {
    expect(hits(SHOP + ns('frontend') + vs('frontend', 'reviews.shop.svc.cluster.local', '  exportTo: ["."]\n'), RULE)).toEqual([]);
    expect(hits(SHOP + vs('shop', 'reviews'), RULE)).toEqual([]);
    expect(hits(SHOP + INGRESS + ns('frontend') + gateway('public', 'istio-ingress', ['*/*'])
      + vs('frontend', 'reviews.shop.svc.cluster.local', '  gateways: [istio-ingress/public]\n'), RULE)).toEqual([]);
  });
});

import { findingsOf, gateway, hits, INGRESS, REVIEWS_DR, SHOP } from './support';

const RULE = 'ingress-route-ignores-subset';

const MESH_VS = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route:
        - { destination: { host: reviews.shop.svc.cluster.local, subset: v1 }, weight: 90 }
        - { destination: { host: reviews.shop.svc.cluster.local, subset: v2 }, weight: 10 }
`;

const ingressVs = (destination: string, gateways = '[istio-ingress/public]') => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: ${gateways}
  http:
    - route: [{ destination: ${destination} }]
`;

const BASE = SHOP + INGRESS + REVIEWS_DR + gateway('public', 'istio-ingress', ['*/shop.example.com']) + MESH_VS;

describe(RULE, () => {
  test('fires on a gateway route without subset to a host the mesh routes by subset', () => {
    const f = findingsOf(BASE + ingressVs('{ host: reviews.shop.svc.cluster.local }'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/web']);
    expect(f[0].message).toContain('VirtualService/shop/reviews');
    expect(f[0].codes).toEqual(['IST0140']);
  });

  test('near miss: the gateway route names the subset itself', () => {
    expect(hits(BASE + ingressVs('{ host: reviews.shop.svc.cluster.local, subset: v1 }'), RULE)).toEqual([]);
  });

  test('near miss: no mesh VirtualService routes the host by subset', () => {
    expect(hits(SHOP + INGRESS + gateway('public', 'istio-ingress', ['*/shop.example.com'])
      + ingressVs('{ host: reviews.shop.svc.cluster.local }'), RULE)).toEqual([]);
  });
});

import { findingsOf, hits, SHOP } from './support';

const RULE = 'destination-port-required';

const vs = (destination: string) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: shop }
spec:
  hosts: [ratings.shop.svc.cluster.local]
  http:
    - route: [{ destination: ${destination} }]
`;

describe(RULE, () => {
  test('fires on a multi-port Service routed without a port', () => {
    const f = findingsOf(SHOP + vs('{ host: ratings.shop.svc.cluster.local }'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/ratings']);
    expect(f[0].message).toContain('ports 9080, 9090');
    expect(f[0].codes).toEqual(['IST0112']);
  });

  test('near miss: the port is chosen, or the Service has a single port', () => {
    expect(hits(SHOP + vs('{ host: ratings.shop.svc.cluster.local, port: { number: 9080 } }'), RULE)).toEqual([]);
    expect(hits(SHOP + vs('{ host: reviews.shop.svc.cluster.local }'), RULE)).toEqual([]);
  });
});

import { findingsOf, hits, SHOP } from './support';

const RULE = 'destination-port-not-found';

const vs = (host: string, port: number) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: r, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{ destination: { host: ${host}, port: { number: ${port} } } }]
`;

describe(RULE, () => {
  test('fires on a port the Service does not expose (e.g. the container port)', () => {
    const f = findingsOf(SHOP + vs('reviews.shop.svc.cluster.local', 8080), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/r']);
    expect(f[0].message).toContain('reviews.shop.svc.cluster.local:8080');
    expect(f[0].message).toContain('exposes 9080');
  });

  test('fires on a ServiceEntry host with another port', () => {
    const yaml = `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
${vs('api.stripe.com', 80)}`;
    expect(hits(yaml, RULE)).toEqual(['error VirtualService/shop/r']);
  });

  test('near miss: the Service port, and hosts the app does not know', () => {
    expect(hits(SHOP + vs('reviews.shop.svc.cluster.local', 9080), RULE)).toEqual([]);
    expect(hits(SHOP + vs('payments.billing.svc.cluster.local', 1234), RULE)).toEqual([]);
  });
});

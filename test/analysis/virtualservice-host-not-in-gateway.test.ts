import { findingsOf, gateway, hits, INGRESS, SHOP } from './support';

const RULE = 'virtualservice-host-not-in-gateway';

const vs = (hosts: string[], gateways: string[], namespace = 'shop') => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: ${namespace} }
spec:
  hosts: [${hosts.join(', ')}]
  gateways: [${gateways.join(', ')}]
  http:
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires when no host of the VirtualService is served by the Gateway', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['*/store.example.com']) + vs(['shop.example.com'], ['istio-ingress/public']);
    const f = findingsOf(yaml, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/web']);
    expect(f[0].message).toContain('istio-ingress/public');
  });

  test('fires when the server host admits only another namespace (ns/host)', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['prod/shop.example.com', './shop.example.com'])
      + vs(['shop.example.com'], ['istio-ingress/public']);
    expect(hits(yaml, RULE)).toEqual(['warning VirtualService/shop/web']);
  });

  test('fires on a gateway-only VirtualService host that none of its gateways serves', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['shop/shop.example.com'])
      + vs(['shop.example.com', 'admin.example.com'], ['istio-ingress/public']);
    const f = findingsOf(yaml, RULE);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain("'admin.example.com'");
  });

  test('near miss: wildcard server hosts, */ and ns/ forms admitting the namespace, mesh hosts of a mixed VirtualService', () => {
    const yaml = SHOP + INGRESS
      + gateway('wild', 'istio-ingress', ['*/*.example.com'])
      + gateway('scoped', 'istio-ingress', ['shop/shop.example.com'], 80)
      + vs(['shop.example.com', 'reviews.shop.svc.cluster.local'], ['istio-ingress/wild', 'istio-ingress/scoped', 'mesh']);
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: a Gateway the app does not contain cannot be checked', () => {
    expect(hits(SHOP + vs(['shop.example.com'], ['istio-ingress/public']), RULE)).toEqual([]);
  });
});

import { findingsOf, gateway, hits, INGRESS, SHOP } from './support';

const RULE = 'gateway-not-found';

const vs = (gateways: string[], matchGateways?: string[]) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [${gateways.join(', ')}]
  http:
    - ${matchGateways ? `match: [{ gateways: [${matchGateways.join(', ')}] }]\n      ` : ''}route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires on a Gateway missing from an owned namespace (short, ns/name and per-match references)', () => {
    const yaml = SHOP + INGRESS + vs(['public', 'istio-ingress/private'], ['istio-ingress/partner']);
    const f = findingsOf(yaml, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/shop']);
    expect(f[0].message).toContain('shop/public');
    expect(f[0].message).toContain('istio-ingress/private');
    expect(f[0].message).toContain('istio-ingress/partner');
  });

  test('near miss: existing Gateway, the mesh gateway, a platform gateway in an undeclared namespace', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['shop/shop.example.com'])
      + vs(['istio-ingress/public', 'mesh', 'platform-gateways/shared']);
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: the legacy FQDN reference form resolves to the Gateway', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['*/shop.example.com'])
      + vs(['public.istio-ingress.svc.cluster.local']);
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

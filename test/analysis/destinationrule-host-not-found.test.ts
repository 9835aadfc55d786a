import { findingsOf, hits, SHOP } from './support';

const RULE = 'destinationrule-host-not-found';

const dr = (name: string, host: string) => `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: shop }
spec:
  host: "${host}"
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }
`;

describe(RULE, () => {
  test('fires on a host missing from an owned namespace, and on an undeclared external host', () => {
    const f = findingsOf(SHOP + dr('details', 'details') + dr('stripe', 'api.stripe.com'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['warning DestinationRule/shop/details', 'warning DestinationRule/shop/stripe']);
    expect(f[0].message).toContain('details.shop.svc.cluster.local');
  });

  test('near miss: wildcard hosts, existing Services, ServiceEntry hosts, unowned namespaces', () => {
    const yaml = `${SHOP}${dr('all', '*.shop.svc.cluster.local')}${dr('reviews', 'reviews')}${dr('other', 'payments.billing.svc.cluster.local')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
${dr('stripe', 'api.stripe.com')}`;
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

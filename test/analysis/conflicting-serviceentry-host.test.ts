import { findingsOf, hits, ns, SHOP } from './support';

const RULE = 'conflicting-serviceentry-host';

const se = (name: string, namespace: string, host: string, port = 443, exportTo?: string[]) => `
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${host}]
${exportTo ? `  exportTo: [${exportTo.map((e) => JSON.stringify(e)).join(', ')}]\n` : ''}  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: ${port}, name: p${port}, protocol: ${port === 443 ? 'TLS' : 'HTTP'} }]
`;

describe(RULE, () => {
  test('fires on two ServiceEntries for one host in different namespaces, both exported everywhere', () => {
    const f = findingsOf(SHOP + ns('billing') + se('stripe', 'shop', 'api.stripe.com') + se('stripe', 'billing', 'api.stripe.com'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['warning ServiceEntry/billing/stripe', 'warning ServiceEntry/shop/stripe']);
    expect(f[0].message).toContain("'api.stripe.com'");
  });

  test('fires on two entries for one host and port in one namespace, and on an entry shadowing a Service', () => {
    expect(hits(SHOP + se('a', 'shop', 'api.stripe.com') + se('b', 'shop', 'api.stripe.com'), RULE)).toHaveLength(2);
    expect(hits(SHOP + se('reviews', 'shop', 'reviews.shop.svc.cluster.local', 9080), RULE))
      .toEqual(['warning Service/shop/reviews', 'warning ServiceEntry/shop/reviews']);
  });

  test('near miss: disjoint exportTo, different ports in one namespace, different hosts', () => {
    expect(hits(SHOP + ns('billing') + se('stripe', 'shop', 'api.stripe.com', 443, ['.']) + se('stripe', 'billing', 'api.stripe.com', 443, ['.']), RULE)).toEqual([]);
    expect(hits(SHOP + se('tls', 'shop', 'api.stripe.com', 443) + se('http', 'shop', 'api.stripe.com', 80), RULE)).toEqual([]);
    expect(hits(SHOP + se('a', 'shop', 'api.stripe.com') + se('b', 'shop', 'files.stripe.com'), RULE)).toEqual([]);
  });
});

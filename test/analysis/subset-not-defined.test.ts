import { findingsOf, hits, ns, REVIEWS_DR, service, SHOP } from './support';

const RULE = 'subset-not-defined';

const vs = (host: string, subsets: string[], namespace = 'shop') => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: ${namespace} }
spec:
  hosts: [${host}]
  http:
    - route:
${subsets.map((s, i) => `        - { destination: { host: ${host}, subset: ${s} }, weight: ${i === 0 ? 100 - 10 * (subsets.length - 1) : 10} }`).join('\n')}
`;

describe(RULE, () => {
  test('fires on a subset no DestinationRule defines', () => {
    const f = findingsOf(SHOP + REVIEWS_DR + vs('reviews.shop.svc.cluster.local', ['v1', 'v3']), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/reviews']);
    expect(f[0].message).toContain("'v3'");
    expect(f[0].message).not.toContain("'v1'");
  });

  test('fires when there is no DestinationRule at all for an owned host', () => {
    expect(hits(SHOP + vs('reviews.shop.svc.cluster.local', ['v1']), RULE)).toEqual(['error VirtualService/shop/reviews']);
  });

  test('fires when the DestinationRule is not exported to the VirtualService namespace', () => {
    const dr = REVIEWS_DR.replace('  host: reviews.shop.svc.cluster.local', '  host: reviews.shop.svc.cluster.local\n  exportTo: ["."]');
    const yaml = SHOP + ns('frontend') + dr + vs('reviews.shop.svc.cluster.local', ['v1'], 'frontend')
      .replace('hosts: [reviews.shop.svc.cluster.local]', 'hosts: [reviews.shop.svc.cluster.local]\n  exportTo: ["."]');
    expect(hits(yaml, RULE)).toEqual(['error VirtualService/frontend/reviews']);
  });

  test('near miss: subsets split across two DestinationRules for one host (short and FQDN host)', () => {
    const yaml = `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews-v1, namespace: shop }
spec:
  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews-v2, namespace: shop }
spec:
  host: reviews.shop.svc.cluster.local
  subsets: [{ name: v2, labels: { version: v2 } }]
${vs('reviews.shop.svc.cluster.local', ['v1', 'v2'])}`;
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: a host in a namespace the app does not declare (its DestinationRule may live there)', () => {
    const yaml = service('reviews', 'shop', [9080]) + vs('reviews.shop.svc.cluster.local', ['v9']);
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('a wildcard DestinationRule defines subsets for the hosts it covers, unless an exact-host one exists', () => {
    const wildcard = `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: all, namespace: shop }
spec:
  host: "*.shop.svc.cluster.local"
  subsets: [{ name: v1, labels: { version: v1 } }]
`;
    expect(hits(SHOP + wildcard + vs('reviews.shop.svc.cluster.local', ['v1']), RULE)).toEqual([]);
    const exact = REVIEWS_DR.replace('    - { name: v1, labels: { version: v1 } }\n', '');
    expect(hits(SHOP + wildcard + exact + vs('reviews.shop.svc.cluster.local', ['v1']), RULE)).toEqual(['error VirtualService/shop/reviews']);
  });
});

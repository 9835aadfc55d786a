import { findingsOf, hits, SHOP } from './support';

const RULE = 'regex-match';

const vs = (match: string) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - match: [${match}]
      route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires on a regex that is a prefix match', () => {
    const f = findingsOf(vs('{ uri: { regex: "^/api/.*" } }'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/reviews']);
    expect(f[0].message).toContain("use prefix: '/api/'");
  });

  test('fires on a literal regex (exact match), also in headers', () => {
    const f = findingsOf(vs('{ uri: { regex: "/healthz" } }, { headers: { x-version: { regex: "v2\\\\.1" } } }'), RULE);
    expect(f[0].message).toContain("use exact: '/healthz'");
    expect(f[0].message).toContain("use exact: 'v2.1'");
  });

  test('near miss: regexes that need a regex, and exact/prefix matches', () => {
    expect(hits(vs('{ uri: { regex: "/api/v[0-9]+/.*" } }, { headers: { x-user: { regex: ".*@example\\\\.com" } } }'), RULE)).toEqual([]);
    expect(hits(vs('{ uri: { regex: "/v1.0/api" } }'), RULE)).toEqual([]);
    expect(hits(vs('{ uri: { prefix: /api/ } }'), RULE)).toEqual([]);
  });
});

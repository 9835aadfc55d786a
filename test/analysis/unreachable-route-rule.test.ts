import { findingsOf, hits, SHOP } from './support';

const RULE = 'unreachable-route-rule';

const vs = (http: string) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
${http}`;

const route = '      route: [{ destination: { host: reviews.shop.svc.cluster.local } }]';

describe(RULE, () => {
  test('fires on rules after a catch-all rule', () => {
    const f = findingsOf(vs(`    - name: default
${route}
    - match: [{ uri: { prefix: /api } }]
${route}`), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/reviews']);
    expect(f[0].message).toContain('http[1]');
    expect(f[0].codes).toEqual(['IST0130', 'IST0131']);
  });

  test('fires on a rule shadowed by prefix "/" and on a duplicate match', () => {
    expect(hits(vs(`    - match: [{ uri: { prefix: / } }]
${route}
    - match: [{ uri: { exact: /healthz } }]
${route}`), RULE)).toEqual(['warning VirtualService/shop/reviews']);
    expect(hits(vs(`    - match: [{ headers: { x-canary: { exact: "1" } } }]
${route}
    - match: [{ headers: { x-canary: { exact: "1" } } }]
${route}
    - ${route.trim()}`), RULE)).toEqual(['warning VirtualService/shop/reviews']);
  });

  test('fires on a more specific prefix placed after a broader one', () => {
    const f = findingsOf(vs(`    - match: [{ uri: { prefix: /api } }]
${route}
    - name: v1-api
      match: [{ uri: { prefix: /api/v1 }, method: { exact: GET } }]
${route}`), RULE);
    expect(f[0].message).toContain("http[1] ('v1-api')");
  });

  test('near miss: specific rules before the catch-all, different header values, one match still new', () => {
    expect(hits(vs(`    - match: [{ uri: { prefix: /api/v1 } }]
${route}
    - match: [{ uri: { prefix: /api } }, { headers: { x-canary: { exact: "1" } } }]
${route}
    - match: [{ uri: { prefix: /api }, headers: { x-canary: { exact: "2" } } }, { uri: { exact: /login } }]
${route}
    - ${route.trim()}`), RULE)).toEqual([]);
  });

  test('near miss: a case-insensitive rule after a case-sensitive one with the same prefix', () => {
    expect(hits(vs(`    - match: [{ uri: { prefix: /API } }]
${route}
    - match: [{ uri: { prefix: /API }, ignoreUriCase: true }]
${route}`), RULE)).toEqual([]);
  });

  test('compares methods, query parameters, source labels, gateways and negative header matches', () => {
    // broader earlier match on every field: later rule unreachable
    expect(hits(vs(`    - match: [{ method: { exact: GET }, queryParams: { v: { prefix: "1" } }, sourceLabels: { app: web }, gateways: [mesh] }]
${route}
    - match: [{ method: { exact: GET }, queryParams: { v: { exact: "12" } }, sourceLabels: { app: web, version: v1 }, gateways: [mesh],
                withoutHeaders: { x-debug: { exact: "1" } }, authority: { prefix: reviews } }]
${route}`), RULE)).toEqual(['warning VirtualService/shop/reviews']);
    // the earlier rule requires something the later one does not: both reachable
    expect(hits(vs(`    - match: [{ method: { exact: GET }, withoutHeaders: { x-debug: { exact: "1" } } }]
${route}
    - match: [{ method: { exact: GET } }, { sourceLabels: { app: web }, port: 9080 }]
${route}
    - match: [{ queryParams: { v: { regex: "[0-9]+" } } }]
${route}
    - match: [{ queryParams: { v: { regex: "[0-9]*" } } }]
${route}`), RULE)).toEqual([]);
  });

  test('tcp and tls rules: a rule after a catch-all or with duplicated matches', () => {
    const l4 = `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: db, namespace: shop }
spec:
  hosts: [ratings.shop.svc.cluster.local]
  tcp:
    - route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
    - match: [{ port: 9090 }]
      route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
  tls:
    - match: [{ port: 443, sniHosts: [a.example.com] }]
      route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
    - match: [{ port: 443, sniHosts: [a.example.com] }]
      route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
    - match: [{ port: 443, sniHosts: [b.example.com] }]
      route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
`;
    const f = findingsOf(l4, RULE);
    expect(f.map((x) => x.object)).toEqual(['VirtualService/shop/db']);
    expect(f[0].message).toContain('tcp[1]');
    expect(f[0].message).toContain('tls[1]');
    expect(f[0].message).not.toContain('tls[2]');
  });
});

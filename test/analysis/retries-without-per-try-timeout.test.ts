import { findingsOf, hits, SHOP } from './support';

const RULE = 'retries-without-per-try-timeout';

const vs = (retries: string) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - name: main
      timeout: 10s
      retries: ${retries}
      route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires on retries with attempts and no perTryTimeout', () => {
    const f = findingsOf(vs('{ attempts: 3, retryOn: "connect-failure,refused-stream" }'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/reviews']);
    expect(f[0].message).toContain("http[0] ('main')");
  });

  test('near miss: perTryTimeout set, or retries disabled with attempts 0', () => {
    expect(hits(vs('{ attempts: 3, perTryTimeout: 2s, retryOn: "connect-failure" }'), RULE)).toEqual([]);
    expect(hits(vs('{ attempts: 0 }'), RULE)).toEqual([]);
  });
});

import { findingsOf, hits, REVIEWS_DR, SHOP } from './support';

const RULE = 'weights-not-100';

const vs = (routes: string) => `${SHOP}${REVIEWS_DR}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route:
${routes}`;

const d = (subset: string, weight?: number) =>
  `        - { destination: { host: reviews.shop.svc.cluster.local, subset: ${subset} }${weight === undefined ? '' : `, weight: ${weight}`} }`;

describe(RULE, () => {
  test('fires on weights that sum to more or less than 100', () => {
    const f = findingsOf(vs(`${d('v1', 90)}\n${d('v2', 20)}`), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning VirtualService/shop/reviews']);
    expect(f[0].message).toContain('90 + 20 = 110');
    expect(hits(vs(`${d('v1', 50)}\n${d('v2', 40)}`), RULE)).toEqual(['warning VirtualService/shop/reviews']);
  });

  test('fires on a single weighted destination below 100', () => {
    expect(hits(vs(d('v1', 50)), RULE)).toEqual(['warning VirtualService/shop/reviews']);
  });

  test('near miss: 90/10, 100/0, a single unweighted destination', () => {
    expect(hits(vs(`${d('v1', 90)}\n${d('v2', 10)}`), RULE)).toEqual([]);
    expect(hits(vs(`${d('v1', 100)}\n${d('v2', 0)}`), RULE)).toEqual([]);
    expect(hits(vs(d('v1')), RULE)).toEqual([]);
  });
});

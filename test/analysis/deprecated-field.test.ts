import { findingsOf, hits, SHOP } from './support';

const RULE = 'deprecated-field';

const objects = (old: boolean) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
      mirror: { host: reviews.shop.svc.cluster.local }
      ${old ? 'mirrorPercent: 10' : 'mirrorPercentage: { value: 10 }'}
      fault: { delay: { fixedDelay: 1s, ${old ? 'percent: 5' : 'percentage: { value: 5 }'} } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews.shop.svc.cluster.local
  trafficPolicy:
    outlierDetection: { ${old ? 'consecutiveErrors: 5' : 'consecutive5xxErrors: 5'}, interval: 10s }
`;

describe(RULE, () => {
  test('fires on deprecated VirtualService and DestinationRule fields', () => {
    const f = findingsOf(objects(true), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['warning DestinationRule/shop/reviews', 'warning VirtualService/shop/reviews']);
    const vs = f.find((x) => x.object.startsWith('VirtualService'))!;
    expect(vs.message).toContain('mirrorPercent');
    expect(vs.message).toContain('fault.delay.percent');
    expect(vs.codes).toEqual(['IST0002']);
  });

  test('near miss: the replacement fields', () => {
    expect(hits(objects(false), RULE)).toEqual([]);
  });
});

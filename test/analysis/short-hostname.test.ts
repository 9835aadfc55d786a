import { findingsOf, hits, SHOP } from './support';

const RULE = 'short-hostname';

const objects = (vsHost: string, destHost: string, drHost: string) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [${vsHost}]
  http:
    - route: [{ destination: { host: ${destHost} } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: ${drHost}
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }
`;

describe(RULE, () => {
  test('fires on short VirtualService hosts, destination hosts and DestinationRule hosts', () => {
    const f = findingsOf(objects('reviews', 'reviews', 'reviews'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['warning DestinationRule/shop/reviews', 'warning VirtualService/shop/reviews']);
    expect(f[0].message).toContain('reviews.shop.svc.cluster.local');
  });

  test('near miss: FQDN hosts and wildcards', () => {
    const fq = 'reviews.shop.svc.cluster.local';
    expect(hits(objects(fq, fq, fq), RULE)).toEqual([]);
    expect(hits(objects(fq, fq, '"*.shop.svc.cluster.local"'), RULE)).toEqual([]);
  });
});

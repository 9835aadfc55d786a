import { deployment, findingsOf, hits, REVIEWS_DR, service, SHOP, ns } from './support';

const RULE = 'subset-selects-no-pods';

describe(RULE, () => {
  test('fires on a subset whose labels match no pod template of the Service', () => {
    const dr = REVIEWS_DR + '    - { name: v3, labels: { version: v3 } }\n';
    const f = findingsOf(SHOP + dr, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error DestinationRule/shop/reviews']);
    expect(f[0].message).toContain("'v3' (version=v3)");
    expect(f[0].message).not.toContain("'v1'");
  });

  test('fires when the subset label exists only on pods of another Service', () => {
    const yaml = SHOP + deployment('details-v3', 'shop', 'app: details, version: v3') + REVIEWS_DR + '    - { name: v3, labels: { version: v3 } }\n';
    expect(hits(yaml, RULE)).toEqual(['error DestinationRule/shop/reviews']);
  });

  test('near miss: every subset matches a Deployment of the Service', () => {
    expect(hits(SHOP + REVIEWS_DR, RULE)).toEqual([]);
  });

  test('near miss: no workload of the app lives in the service namespace', () => {
    const yaml = ns('shop') + service('reviews', 'shop', [9080]) + REVIEWS_DR;
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

import { findingsOf, KubeObject, sidecar } from './fixtures';

const RULE = 'sidecar-egress-wildcard';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** A Sidecar in namespace shop with one egress listener importing `hosts`. */
function shopSidecar(name: string, hosts: string[]) {
  return sidecar('shop', name, { egress: [{ hosts }] });
}

describe(RULE, () => {
  test('fires on a namespace Sidecar importing */*', () => {
    expect(findings([shopSidecar('default', ['*/*'])])).toEqual(['warning Sidecar/shop/default']);
  });

  test('fires on */* next to other hosts, on a port-specific listener', () => {
    const reviews = sidecar('shop', 'reviews', {
      workloadSelector: { labels: { app: 'reviews' } },
      egress: [
        { port: { number: 9080, protocol: 'HTTP', name: 'http' }, hosts: ['./*'] },
        { hosts: ['istio-system/*', '*/*'] },
      ],
    });
    expect(findings([reviews])).toEqual(['warning Sidecar/shop/reviews']);
  });

  test('near miss: scoped hosts, a host in any namespace (*/host) and the own namespace (./*)', () => {
    expect(findings([shopSidecar('default', ['./*', 'istio-system/*', '*/api.stripe.com', 'payments/*'])])).toEqual([]);
  });
});

import { findingsOf, gateway, hits, INGRESS, SHOP } from './support';

const RULE = 'conflicting-gateways';

describe(RULE, () => {
  test('fires on both Gateways with the same selector, port and an overlapping host', () => {
    const yaml = SHOP + INGRESS + gateway('a', 'istio-ingress', ['*/shop.example.com']) + gateway('b', 'shop', ['./*.example.com']);
    const f = findingsOf(yaml, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['error Gateway/istio-ingress/a', 'error Gateway/shop/b']);
    expect(f.find((x) => x.object === 'Gateway/istio-ingress/a')!.message).toContain('port 443');
    expect(f[0].codes).toEqual(['IST0145', 'KIA0301']);
  });

  test('fires on HTTPS servers of two Gateways on one workload with the same port name (distinct hosts)', () => {
    const a = gateway('a', 'istio-ingress', ['*/shop.example.com']).replace('name: https-a', 'name: https');
    const b = gateway('b', 'istio-ingress', ['*/api.example.com']).replace('name: https-b', 'name: https');
    const f = findingsOf(SHOP + INGRESS + a + b, RULE);
    expect(f.map((x) => x.object).sort()).toEqual(['Gateway/istio-ingress/a', 'Gateway/istio-ingress/b']);
    expect(f[0].message).toContain("HTTPS port 443 named 'https'");
  });

  test('near miss: distinct hosts on one port (SNI, unique port names), or the same host on another port', () => {
    expect(hits(SHOP + INGRESS + gateway('a', 'istio-ingress', ['*/shop.example.com']) + gateway('b', 'istio-ingress', ['*/api.example.com']), RULE)).toEqual([]);
    expect(hits(SHOP + INGRESS + gateway('a', 'istio-ingress', ['*/shop.example.com']) + gateway('b', 'istio-ingress', ['*/shop.example.com'], 80), RULE)).toEqual([]);
  });

  test('near miss: the same host and port on different gateway workloads', () => {
    const other = gateway('b', 'istio-ingress', ['*/shop.example.com']).replace('istio: ingressgateway', 'istio: internal-gateway');
    expect(hits(SHOP + INGRESS + gateway('a', 'istio-ingress', ['*/shop.example.com']) + other, RULE)).toEqual([]);
  });
});

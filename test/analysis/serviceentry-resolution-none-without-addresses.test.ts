import { findingsOf, hits, SHOP } from './support';

const RULE = 'serviceentry-resolution-none-without-addresses';

const se = (spec: string) => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ext, namespace: shop }
spec:
  hosts: ["*.example.com"]
  location: MESH_EXTERNAL
  ports: [{ number: 443, name: tls, protocol: TLS }]
${spec}`;

describe(RULE, () => {
  test('fires on resolution NONE, explicit or by default, without addresses', () => {
    const f = findingsOf(se(''), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning ServiceEntry/shop/ext']);
    expect(f[0].message).toContain('(the default)');
    expect(hits(se('  resolution: NONE\n'), RULE)).toEqual(['warning ServiceEntry/shop/ext']);
  });

  test('near miss: addresses given, or another resolution', () => {
    expect(hits(se('  resolution: NONE\n  addresses: [203.0.113.0/24]\n'), RULE)).toEqual([]);
    expect(hits(se('  resolution: DYNAMIC_DNS\n'), RULE)).toEqual([]);
  });
});

import { findingsOf, hits, SHOP } from './support';

const RULE = 'serviceentry-tcp-without-addresses';

const se = (port: string, extra = '') => `${SHOP}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: shop }
spec:
  hosts: [db.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [${port}]
${extra}`;

describe(RULE, () => {
  test('fires on TCP and protocol-less ports without addresses', () => {
    const f = findingsOf(se('{ number: 5432, name: tcp-pg, protocol: TCP }'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning ServiceEntry/shop/db']);
    expect(f[0].message).toContain('5432');
    expect(hits(se('{ number: 5432, name: pg }'), RULE)).toEqual(['warning ServiceEntry/shop/db']);
  });

  test('near miss: TLS port, addresses, DNS auto-allocation', () => {
    expect(hits(se('{ number: 443, name: tls, protocol: TLS }'), RULE)).toEqual([]);
    expect(hits(se('{ number: 5432, name: tcp-pg, protocol: TCP }', '  addresses: [198.51.100.7]\n'), RULE)).toEqual([]);
    expect(hits(se('{ number: 5432, name: tcp-pg, protocol: TCP }'), RULE, { dnsAutoAllocate: true })).toEqual([]);
  });

  test('near miss: resolution NONE is the other rule', () => {
    const yaml = se('{ number: 5432, name: tcp-pg, protocol: TCP }').replace('resolution: DNS', 'resolution: NONE');
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

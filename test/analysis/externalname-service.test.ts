import { findingsOf, hits, SHOP } from './support';

const RULE = 'externalname-service';

const svc = (ports: string) => `${SHOP}
---
apiVersion: v1
kind: Service
metadata: { name: legacy-db, namespace: shop }
spec:
  type: ExternalName
  externalName: db.example.com
${ports}`;

describe(RULE, () => {
  test('fires on an ExternalName Service with a TCP or unnamed port, or no ports', () => {
    const f = findingsOf(svc('  ports: [{ port: 5432, name: tcp-pg }]\n'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning Service/shop/legacy-db']);
    expect(f[0].message).toContain('db.example.com');
    expect(f[0].codes).toEqual(['IST0150']);
    expect(hits(svc('  ports: [{ port: 5432 }]\n'), RULE)).toHaveLength(1);
    expect(hits(svc(''), RULE)).toHaveLength(1);
  });

  test('near miss: HTTP/TLS ports, and ordinary Services', () => {
    expect(hits(svc('  ports: [{ port: 443, name: tls }, { port: 80, appProtocol: http, name: web }]\n'), RULE)).toEqual([]);
    expect(hits(SHOP, RULE)).toEqual([]);
  });
});

import { deployment, findingsOf, gateway, hits, INGRESS, ns, SHOP } from './support';

const RULE = 'gateway-port-not-in-service';

describe(RULE, () => {
  test('fires on a server port the gateway Service does not expose', () => {
    const f = findingsOf(SHOP + INGRESS + gateway('tcp', 'istio-ingress', ['*/db.example.com'], 443).replace('number: 443', 'number: 5432'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['warning Gateway/istio-ingress/tcp']);
    expect(f[0].message).toContain('5432');
    expect(f[0].codes).toEqual(['IST0162']);
  });

  test('near miss: the Service port, or its target (container) port', () => {
    expect(hits(SHOP + INGRESS + gateway('web', 'istio-ingress', ['*/shop.example.com'], 443) + gateway('plain', 'istio-ingress', ['*/shop.example.com'], 80), RULE)).toEqual([]);
    expect(hits(SHOP + INGRESS + gateway('web', 'istio-ingress', ['*/shop.example.com'], 443).replace('number: 443', 'number: 8443'), RULE)).toEqual([]);
  });

  test('near miss: the gateway workload has no Service in the app', () => {
    const yaml = SHOP + ns('istio-ingress') + deployment('ingressgateway', 'istio-ingress', 'istio: ingressgateway')
      + gateway('tcp', 'istio-ingress', ['*/db.example.com'], 443).replace('number: 443', 'number: 5432');
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

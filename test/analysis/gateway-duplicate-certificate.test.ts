import { findingsOf, gateway, hits, INGRESS, SHOP } from './support';

const RULE = 'gateway-duplicate-certificate';

const withCert = (name: string, host: string, cert: string, selector = 'istio: ingressgateway') =>
  gateway(name, 'istio-ingress', [`*/${host}`]).replace(`credentialName: ${name}-cert`, `credentialName: ${cert}`).replace('istio: ingressgateway', selector);

describe(RULE, () => {
  test('fires on both Gateways of one workload sharing a certificate', () => {
    const f = findingsOf(SHOP + INGRESS + withCert('shop', 'shop.example.com', 'wildcard-cert') + withCert('api', 'api.example.com', 'wildcard-cert'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['warning Gateway/istio-ingress/api', 'warning Gateway/istio-ingress/shop']);
    expect(f[0].message).toContain('credentialName wildcard-cert');
  });

  test('fires when one selector is contained in the other', () => {
    const yaml = SHOP + INGRESS + withCert('shop', 'shop.example.com', 'c') + withCert('api', 'api.example.com', 'c', 'istio: ingressgateway, app: edge');
    expect(hits(yaml, RULE)).toHaveLength(2);
  });

  test('near miss: distinct certificates, or the same certificate on different workloads', () => {
    expect(hits(SHOP + INGRESS + withCert('shop', 'shop.example.com', 'shop-cert') + withCert('api', 'api.example.com', 'api-cert'), RULE)).toEqual([]);
    expect(hits(SHOP + INGRESS + withCert('shop', 'shop.example.com', 'c') + withCert('api', 'api.example.com', 'c', 'istio: internal'), RULE)).toEqual([]);
  });
});

import { findingsOf, gateway, hits, INGRESS, ns, SHOP } from './support';

const RULE = 'conflicting-virtualservice-host';

const vs = (name: string, namespace: string, host: string, opts: { gateways?: string[]; exportTo?: string[] } = {}) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${host}]
${opts.gateways ? `  gateways: [${opts.gateways.join(', ')}]\n` : ''}${opts.exportTo ? `  exportTo: [${opts.exportTo.map((e) => JSON.stringify(e)).join(', ')}]\n` : ''}  http:
    - route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

describe(RULE, () => {
  test('fires on every mesh-bound VirtualService of a host (short and FQDN spelling, gateways omitted or mesh)', () => {
    const yaml = SHOP + vs('a', 'shop', 'reviews') + vs('b', 'shop', 'reviews.shop.svc.cluster.local', { gateways: ['mesh'] });
    const f = findingsOf(yaml, RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`).sort()).toEqual(['error VirtualService/shop/a', 'error VirtualService/shop/b']);
    expect(f[0].message).toContain('VirtualService/shop/b');
  });

  test('fires across namespaces when the exportTo scopes overlap', () => {
    const yaml = SHOP + ns('frontend')
      + vs('a', 'shop', 'reviews', { exportTo: ['.', 'frontend'] })
      + vs('b', 'frontend', 'reviews.shop.svc.cluster.local', { exportTo: ['.'] });
    expect(hits(yaml, RULE)).toEqual(['error VirtualService/frontend/b', 'error VirtualService/shop/a']);
  });

  test('near miss: gateway-only fragments for one host are merged by Istio', () => {
    const yaml = SHOP + INGRESS + gateway('public', 'istio-ingress', ['*/shop.example.com'])
      + vs('a', 'shop', 'shop.example.com', { gateways: ['istio-ingress/public'] })
      + vs('b', 'shop', 'shop.example.com', { gateways: ['istio-ingress/public'] })
      + vs('c', 'shop', 'reviews');
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: disjoint exportTo scopes, and exportTo ~', () => {
    const yaml = SHOP + ns('frontend')
      + vs('a', 'shop', 'reviews.shop.svc.cluster.local', { exportTo: ['.'] })
      + vs('b', 'frontend', 'reviews.shop.svc.cluster.local', { exportTo: ['.'] })
      + vs('c', 'shop', 'reviews.shop.svc.cluster.local', { exportTo: ['~'] });
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: the same short host in two namespaces names two different services', () => {
    const yaml = SHOP + ns('frontend') + vs('a', 'shop', 'reviews') + vs('b', 'frontend', 'reviews');
    expect(hits(yaml, RULE)).toEqual([]);
  });
});

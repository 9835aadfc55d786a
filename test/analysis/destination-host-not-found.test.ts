import { findingsOf, hits, ns, service, SHOP } from './support';

const RULE = 'destination-host-not-found';

const vs = (name: string, namespace: string, host: string, extra = '') => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${name}.example.com]
  gateways: [mesh]
  http:
    - route: [{ destination: { host: ${host} } }]
${extra}`;

describe(RULE, () => {
  test('fires on a route to a Service missing from an owned namespace', () => {
    const f = findingsOf(SHOP + vs('details', 'shop', 'details.shop.svc.cluster.local'), RULE);
    expect(f.map((x) => `${x.severity} ${x.object}`)).toEqual(['error VirtualService/shop/details']);
    expect(f[0].message).toContain("'details.shop.svc.cluster.local'");
    expect(f[0].codes).toEqual(['IST0101', 'KIA1101']);
  });

  test('fires on a short host that expands into the owned namespace, and on a mirror host', () => {
    const yaml = SHOP + vs('a', 'shop', 'details') + vs('b', 'shop', 'reviews', '      mirror: { host: reviews-shadow }\n');
    expect(hits(yaml, RULE)).toEqual(['error VirtualService/shop/a', 'error VirtualService/shop/b']);
  });

  test('fires on an external host that no ServiceEntry declares', () => {
    expect(hits(SHOP + vs('stripe', 'shop', 'api.stripe.com'), RULE)).toEqual(['error VirtualService/shop/stripe']);
  });

  test('fires when the only ServiceEntry for the host is not exported to the VirtualService namespace', () => {
    const yaml = `${SHOP}${ns('egress')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: egress }
spec:
  hosts: [api.stripe.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
${vs('stripe', 'shop', 'api.stripe.com')}`;
    const f = findingsOf(yaml, RULE);
    expect(f.map((x) => x.object)).toEqual(['VirtualService/shop/stripe']);
    expect(f[0].message).toContain('not exported');
  });

  test('near miss: a ServiceEntry exported only to the egress gateway namespace, used by the gateway-bound route', () => {
    const yaml = `${SHOP}${ns('istio-egress')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: cnn, namespace: istio-egress }
spec:
  hosts: [edition.cnn.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: egressgateway, namespace: istio-egress }
spec:
  selector: { istio: egressgateway }
  servers: [{ port: { number: 443, name: tls, protocol: TLS }, hosts: [edition.cnn.com], tls: { mode: PASSTHROUGH } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: cnn, namespace: shop }
spec:
  hosts: [edition.cnn.com]
  gateways: [mesh, istio-egress/egressgateway]
  tls:
    - match: [{ gateways: [mesh], port: 443, sniHosts: [edition.cnn.com] }]
      route: [{ destination: { host: egressgateway.istio-system.svc.cluster.local, port: { number: 443 } } }]
    - match: [{ gateways: [istio-egress/egressgateway], port: 443, sniHosts: [edition.cnn.com] }]
      route: [{ destination: { host: edition.cnn.com, port: { number: 443 } } }]
`;
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: the Service exists (FQDN or short host), or the host is declared by a (wildcard) ServiceEntry', () => {
    const yaml = `${SHOP}${vs('a', 'shop', 'reviews.shop.svc.cluster.local')}${vs('b', 'shop', 'reviews')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: external, namespace: shop }
spec:
  hosts: [api.stripe.com, "*.googleapis.com"]
  location: MESH_EXTERNAL
  resolution: DYNAMIC_DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
${vs('c', 'shop', 'api.stripe.com')}${vs('d', 'shop', 'storage.googleapis.com')}`;
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('near miss: hosts in namespaces the app does not declare cannot be checked', () => {
    // No Namespace object for payments or shop: both are outside the closed world.
    const yaml = service('reviews', 'shop', [9080]) + vs('a', 'shop', 'payments.payments.svc.cluster.local') + vs('b', 'shop', 'details');
    expect(hits(yaml, RULE)).toEqual([]);
  });

  test('honours the cluster domain setting', () => {
    const yaml = SHOP + vs('a', 'shop', 'reviews.shop.svc.corp.internal');
    expect(hits(yaml, RULE, { clusterDomain: 'corp.internal' })).toEqual([]);
    expect(hits(yaml, RULE)).toEqual(['error VirtualService/shop/a']);
  });
});

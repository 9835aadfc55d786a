// Zero trust by construction: two namespaces on the prod-stable control plane, each STRICT mTLS, deny by
// default and REGISTRY_ONLY egress. The only traffic allowed is what the graph below declares:
//
//   shop.example.com --> ingress gateway --> storefront (shop)
//   storefront (shop)  --POST /checkout/*-->  checkout (payments)  --HTTPS-->  api.stripe.com
//   storefront (shop)  <--GET /catalog/*---   checkout (payments)
//
// Each ZeroTrustNamespace renders its Namespace (istio.io/rev=prod-stable), a STRICT PeerAuthentication, an
// allow-nothing AuthorizationPolicy and a namespace-default Sidecar whose egress hosts come from these edges.
import { App, Chart } from 'cdk8s';
import * as istio from '../../src';
import { IngressGateway } from '../../src/patterns/ingress-gateway';

const app = new App();
const platform = new Chart(app, 'platform');

new istio.Mesh(platform, 'Mesh', { rootNamespace: 'istio-system', trustDomain: 'cluster.local' });
new istio.RevisionedControlPlane(platform, 'ControlPlane', {
  revisions: [{ name: '1-30-3', version: '1.30.3' }],
  tags: { 'prod-stable': '1-30-3' },
});

// The namespaces.
new istio.ZeroTrustNamespace(platform, 'Shop', { name: 'shop', revisionTag: 'prod-stable' });
new istio.ZeroTrustNamespace(platform, 'Payments', { name: 'payments', revisionTag: 'prod-stable' });

// A service in each, calling the other.
const storefront = new istio.MeshService(platform, 'Storefront', {
  namespace: 'shop', port: istio.MeshPort.http(8080), image: 'example/storefront:1.4.0',
});
const checkout = new istio.MeshService(platform, 'Checkout', {
  namespace: 'payments', port: istio.MeshPort.http(8080), image: 'example/checkout:2.1.0',
});
checkout.allowFrom(storefront, { methods: ['POST'], paths: ['/checkout/*'] });
storefront.allowFrom(checkout, { methods: ['GET'], paths: ['/catalog/*'] });

// storefront is public: the ingress gateway (namespace istio-ingress) routes shop.example.com to it, and its
// identity is allowed to call storefront (and nothing else) — despite shop's allow-nothing policy.
const gateway = new IngressGateway(platform, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
gateway.route(storefront, { pathPrefix: '/' });

// The one external dependency: only checkout may reach it.
const stripe = new istio.EgressControlledService(platform, 'Stripe', {
  hosts: ['api.stripe.com'],
  ports: [istio.MeshPort.https(443)],
});
stripe.allowFrom(checkout);

app.synth();

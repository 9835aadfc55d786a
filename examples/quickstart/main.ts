// The README's quick start, exactly as in the design's API contract: every construct of the library in one app.
import { App, Chart } from 'cdk8s';
import * as istio from '../../src';

const app = new App();
const platform = new Chart(app, 'platform');

// Mesh-wide settings; Mesh.of(scope) finds it (or creates one with defaults).
const mesh = new istio.Mesh(platform, 'Mesh', {
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  dataplaneMode: istio.DataplaneMode.SIDECAR,
});

// Control plane with revisions and tags (Sail operator CRs by default).
const cp = new istio.RevisionedControlPlane(platform, 'ControlPlane', {
  revisions: [{ name: '1-29-2', version: '1.29.2' }, { name: '1-30-3', version: '1.30.3' }],
  tags: { 'prod-stable': '1-29-2', 'prod-canary': '1-30-3' },
});

// A namespace that is zero-trust by construction.
const shop = new istio.ZeroTrustNamespace(platform, 'Shop', { name: 'shop', revisionTag: 'prod-stable' });

// A service with a canary (Service, ServiceAccount, two Deployments, DestinationRule with subsets,
// VirtualService with weights).
const reviews = new istio.CanaryService(platform, 'Reviews', {
  namespace: 'shop',
  port: istio.MeshPort.http(9080),
  stable: { version: 'v1', image: 'example/reviews:1.0.0' },
  canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 10 },
});
const productpage = new istio.MeshService(platform, 'ProductPage', {
  namespace: 'shop', port: istio.MeshPort.http(9080), image: 'example/productpage:1.0.0',
});
reviews.allowFrom(productpage, { methods: ['GET'], paths: ['/reviews/*'] }); // AuthZ ALLOW + Sidecar egress + exportTo

// An external dependency, reachable only by the workloads that declare it.
const stripe = new istio.EgressControlledService(platform, 'Stripe', {
  hosts: ['api.stripe.com'], ports: [istio.MeshPort.https(443)],
});
stripe.allowFrom(reviews);

// Ingress.
const gw = new istio.IngressGateway(platform, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
gw.route(productpage, { pathPrefix: '/' });

void mesh; void cp; void shop;
app.synth(); // analysis runs here; an error-level finding throws before anything is written

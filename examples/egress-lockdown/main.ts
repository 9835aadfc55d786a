// Egress lockdown: three external dependencies, each reachable only by the service that declares it.
//
// - api.stripe.com (HTTPS, the application does TLS): reached directly by the caller's sidecar; scoped by the
//   callers' Sidecars (REGISTRY_ONLY) and the ServiceEntry's exportTo.
// - api.github.com (plain HTTP from the application): routed through the egress gateway, which originates TLS
//   and is the policy enforcement point (an ALLOW AuthorizationPolicy listing the callers' identities).
// - inventory-db.example.com (PostgreSQL on TCP 5432, a fixed address): routed through the egress gateway too.
import { App, Chart } from 'cdk8s';
import * as istio from '../../src';

const app = new App();
const chart = new Chart(app, 'egress-lockdown');

new istio.Mesh(chart, 'Mesh', { rootNamespace: 'istio-system', trustDomain: 'cluster.local' });

const orders = new istio.MeshService(chart, 'Orders', { namespace: 'shop', port: istio.MeshPort.http(8080), image: 'orders:1' });
const inventory = new istio.MeshService(chart, 'Inventory', { namespace: 'shop', port: istio.MeshPort.http(8080), image: 'inventory:1' });
const reviews = new istio.MeshService(chart, 'Reviews', { namespace: 'catalog', port: istio.MeshPort.http(9080), image: 'reviews:1' });

// Payments: the application speaks HTTPS itself.
const stripe = new istio.EgressControlledService(chart, 'Stripe', {
  hosts: ['api.stripe.com'],
  ports: [istio.MeshPort.https(443)],
});
stripe.allowFrom(orders);

// GitHub: the application sends plain HTTP to port 80; the egress gateway originates TLS to 443 and verifies
// the server certificate (SNI and subjectAltNames api.github.com, the gateway's system CA bundle).
const github = new istio.EgressControlledService(chart, 'GitHub', {
  hosts: ['api.github.com'],
  ports: [istio.MeshPort.http(80)],
  originateTls: true,
  egressGateway: { namespace: 'istio-egress', selector: { istio: 'egressgateway' } },
});
github.allowFrom(reviews, { methods: ['GET'] });

// The inventory database: TCP, so Istio needs its address to tell its traffic apart.
const db = new istio.EgressControlledService(chart, 'InventoryDb', {
  hosts: ['inventory-db.example.com'],
  ports: [istio.MeshPort.tcp(5432)],
  addresses: ['203.0.113.20'],
  egressGateway: {},
});
db.allowFrom(inventory);

app.synth();

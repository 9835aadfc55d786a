// A bookstore in three namespaces: 9 services, 14 declared "may call" edges. Every AuthorizationPolicy
// principal, Sidecar egress host and exportTo entry in the output is derived from the allowFrom calls below.
import { App, Chart, Duration } from 'cdk8s';
import * as istio from '../../src';

const app = new App();
const chart = new Chart(app, 'bookstore');

new istio.Mesh(chart, 'Mesh', { rootNamespace: 'istio-system', trustDomain: 'cluster.local' });

const svc = (id: string, namespace: string, port: istio.MeshPort, extra: Partial<istio.MeshServiceProps> = {}) =>
  new istio.MeshService(chart, id, { namespace, port, image: `registry.example.com/bookstore/${id.toLowerCase()}:1.4.2`, ...extra });

// web: what the browser talks to
const frontend = svc('Frontend', 'web', istio.MeshPort.http(8080), { healthCheckPath: '/healthz' });
const bff = svc('Bff', 'web', istio.MeshPort.http(8080), { timeout: Duration.seconds(5) });

// catalog: books and search
const books = svc('Books', 'catalog', istio.MeshPort.grpc(9090), { timeout: Duration.seconds(2), retries: istio.RetryPolicy.of({ attempts: 2 }) });
const authors = svc('Authors', 'catalog', istio.MeshPort.grpc(9090));
const search = svc('Search', 'catalog', istio.MeshPort.http(8080), { timeout: Duration.seconds(3) });
const inventory = svc('Inventory', 'catalog', istio.MeshPort.grpc(9090));

// orders: checkout and fulfilment
const orders = svc('Orders', 'orders', istio.MeshPort.http(8080), { timeout: Duration.seconds(10), retries: istio.RetryPolicy.none() });
const payments = svc('Payments', 'orders', istio.MeshPort.grpc(9090), { replicas: 3 });
const shipping = svc('Shipping', 'orders', istio.MeshPort.http(8080));
const notifications = svc('Notifications', 'orders', istio.MeshPort.http(8080));

bff.allowFrom(frontend, { methods: ['GET', 'POST'], paths: ['/api/*'] });
books.allowFrom(bff);
search.allowFrom(bff, { methods: ['GET'] });
orders.allowFrom(bff, { methods: ['GET', 'POST'], paths: ['/orders', '/orders/*'] });
books.allowFrom(search);
authors.allowFrom(books);
inventory.allowFrom(books);
inventory.allowFrom(orders);
payments.allowFrom(orders);
shipping.allowFrom(orders, { methods: ['POST'], paths: ['/shipments'] });
notifications.allowFrom(orders, { methods: ['POST'] });
notifications.allowFrom(shipping, { methods: ['POST'] });
notifications.allowFrom(payments);
authors.allowFrom(search);

app.synth();

import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  HttpMatch, LoadBalancer, Mesh, MeshPort, MeshService, RetryPolicy, TrafficSource, ZeroTrustNamespace,
} from '../../src';
import { findObject, findObjects, synthValid } from '../helpers';

function setup() {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new Mesh(chart, 'Mesh');
  return { app, chart };
}

describe('MeshService (created workload)', () => {
  test('renders Service, ServiceAccount, Deployment, DestinationRule and Sidecar with the mesh defaults', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const svc = new MeshService(chart, 'ProductPage', { namespace: 'shop', port: MeshPort.http(9080), image: 'example/productpage:1.0.0' });
    // THEN
    const out = synthValid(chart);
    expect(svc.serviceName).toBe('productpage');
    expect(svc.host).toBe('productpage.shop.svc.cluster.local');

    const service = findObject(out, 'Service', 'productpage', 'shop');
    expect(service.spec.ports).toEqual([{ name: 'http-9080', port: 9080, targetPort: 9080, protocol: 'TCP', appProtocol: 'http' }]);
    expect(service.spec.selector).toEqual({ app: 'productpage' });

    const sa = findObject(out, 'ServiceAccount', 'productpage', 'shop');
    expect(sa.automountServiceAccountToken).toBe(false);

    const dep = findObject(out, 'Deployment', 'productpage-v1', 'shop');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.selector.matchLabels).toEqual({ app: 'productpage', version: 'v1' });
    const pod = dep.spec.template;
    expect(pod.metadata.labels).toEqual({ app: 'productpage', version: 'v1' });
    expect(pod.metadata.annotations).toEqual({
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
      'sidecar.istio.io/proxyCPU': '100m',
      'sidecar.istio.io/proxyMemory': '128Mi',
      'sidecar.istio.io/proxyCPULimit': '1000m',
      'sidecar.istio.io/proxyMemoryLimit': '512Mi',
      'sidecar.istio.io/rewriteAppHTTPProbers': 'true',
    });
    expect(pod.spec.serviceAccountName).toBe('productpage');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const container = pod.spec.containers[0];
    expect(container.image).toBe('example/productpage:1.0.0');
    expect(container.readinessProbe.tcpSocket.port).toBe(9080);
    expect(container.securityContext.runAsUser).toBeUndefined();

    const dr = findObject(out, 'DestinationRule', 'productpage', 'shop');
    expect(dr.spec.host).toBe('productpage.shop.svc.cluster.local');
    expect(dr.spec.exportTo).toEqual(['.']);
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(dr.spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBeLessThanOrEqual(50);
    expect(dr.spec.trafficPolicy.connectionPool.http.maxRetries).toBe(3);

    const sidecar = findObject(out, 'Sidecar', 'productpage', 'shop');
    expect(sidecar.spec.workloadSelector.labels).toEqual({ app: 'productpage' });
    expect(sidecar.spec.egress).toEqual([{ hosts: ['istio-system/*'] }]);
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });

    expect(findObjects(out, 'VirtualService')).toHaveLength(0);
    expect(findObjects(out, 'AuthorizationPolicy')).toHaveLength(0);
  });

  test('name, version, replicas, env, resources, proxyResources, healthCheckPath, runAsUser, serviceAccountName are rendered', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    new MeshService(chart, 'Api', {
      namespace: 'shop',
      name: 'orders-api',
      ports: [MeshPort.http(8080, { targetPort: 8081 }), MeshPort.grpc(9090)],
      image: 'orders:2',
      version: 'v2',
      replicas: 3,
      env: { LOG_LEVEL: 'debug', A: '1' },
      resources: { cpu: { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(400) } },
      proxyResources: { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
      holdApplicationUntilProxyStarts: false,
      healthCheckPath: '/healthz',
      runAsUser: 1000,
      serviceAccountName: 'orders',
    });
    // THEN
    const out = synthValid(chart);
    const dep = findObject(out, 'Deployment', 'orders-api-v2', 'shop');
    expect(dep.spec.replicas).toBe(3);
    const pod = dep.spec.template;
    expect(pod.metadata.labels).toEqual({ app: 'orders-api', version: 'v2' });
    expect(pod.metadata.annotations['proxy.istio.io/config']).toBeUndefined();
    expect(pod.metadata.annotations['sidecar.istio.io/proxyCPU']).toBe('50m');
    expect(pod.metadata.annotations['sidecar.istio.io/proxyMemory']).toBe('64Mi');
    expect(pod.metadata.annotations['sidecar.istio.io/proxyCPULimit']).toBe('500m');
    expect(pod.metadata.annotations['sidecar.istio.io/proxyMemoryLimit']).toBe('256Mi');
    expect(pod.spec.serviceAccountName).toBe('orders');
    const c = pod.spec.containers[0];
    expect(c.env).toEqual([{ name: 'A', value: '1' }, { name: 'LOG_LEVEL', value: 'debug' }]);
    expect(c.resources.requests.cpu).toBe('200m');
    expect(c.resources.limits.cpu).toBe('400m');
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8081 });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8081 });
    expect(c.securityContext.runAsUser).toBe(1000);
    expect(c.ports.map((p: any) => p.containerPort)).toEqual([8081, 9090]);
    const service = findObject(out, 'Service', 'orders-api', 'shop');
    expect(service.spec.ports).toEqual([
      { name: 'http-8080', port: 8080, targetPort: 8081, protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc-9090', port: 9090, targetPort: 9090, protocol: 'TCP', appProtocol: 'grpc' },
    ]);
    expect(findObject(out, 'ServiceAccount', 'orders', 'shop').metadata.name).toBe('orders');
  });

  test('outlierDetection, connectionPool and loadBalancer are rendered in the DestinationRule', () => {
    const { chart } = setup();
    new MeshService(chart, 'Api', {
      namespace: 'shop',
      port: MeshPort.http(8080),
      image: 'api:1',
      outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.seconds(60), maxEjectionPercent: 20 },
      connectionPool: { maxConnections: 100, maxRetries: 5 },
      loadBalancer: LoadBalancer.consistentHashByHeader('x-user'),
    });
    const tp = findObject(synthValid(chart), 'DestinationRule', 'api', 'shop').spec.trafficPolicy;
    expect(tp.outlierDetection).toMatchObject({ consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 20 });
    expect(tp.connectionPool.tcp.maxConnections).toBe(100);
    expect(tp.connectionPool.http.maxRetries).toBe(5);
    expect(tp.loadBalancer).toEqual({ consistentHash: { httpHeaderName: 'x-user' } });
  });

  test('timeout and retries render a VirtualService with an explicit timeout, perTryTimeout and retryOn', () => {
    const { chart } = setup();
    new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1', timeout: Duration.seconds(6) });
    new MeshService(chart, 'Other', {
      namespace: 'shop',
      port: MeshPort.http(8080),
      image: 'other:1',
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['connect-failure', '503'] }),
    });
    const out = synthValid(chart);
    const vs = findObject(out, 'VirtualService', 'api', 'shop');
    expect(vs.spec.hosts).toEqual(['api.shop.svc.cluster.local']);
    expect(vs.spec.exportTo).toEqual(['.']);
    expect(vs.spec.http[0].timeout).toBe('6s');
    expect(vs.spec.http[0].retries).toEqual({ attempts: 2, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' });
    const other = findObject(out, 'VirtualService', 'other', 'shop');
    expect(other.spec.http[0].timeout).toBe('15s');
    expect(other.spec.http[0].retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: 'connect-failure,503' });
  });

  test('restrictEgress: false renders no Sidecar', () => {
    const { chart } = setup();
    const svc = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1', restrictEgress: false });
    expect(svc.sidecar).toBeUndefined();
    expect(findObjects(synthValid(chart), 'Sidecar')).toHaveLength(0);
  });

  test('exportToAllReason exports to every namespace and records the reason', () => {
    const { chart } = setup();
    new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1', timeout: Duration.seconds(5), exportToAllReason: 'shared platform API used by every team' });
    const out = synthValid(chart);
    const dr = findObject(out, 'DestinationRule', 'api', 'shop');
    expect(dr.spec.exportTo).toEqual(['*']);
    expect(dr.metadata.annotations['cdk8s-istio.io/export-to-all-reason']).toBe('shared platform API used by every team');
    expect(findObject(out, 'VirtualService', 'api', 'shop').spec.exportTo).toEqual(['*']);
  });
});

describe('MeshService.allowFrom', () => {
  test('one edge gives the ALLOW principal, the caller egress host and the exportTo namespace', () => {
    // GIVEN
    const { chart } = setup();
    const reviews = new MeshService(chart, 'Reviews', { namespace: 'shop', port: MeshPort.http(9080), image: 'reviews:1', timeout: Duration.seconds(5) });
    const web = new MeshService(chart, 'Web', { namespace: 'web', port: MeshPort.http(8080), image: 'web:1' });
    // WHEN
    reviews.allowFrom(web, { methods: ['GET'], paths: ['/reviews/*'], pathMatches: [HttpMatch.exact('/healthz')] });
    // THEN
    const out = synthValid(chart);
    const policy = findObject(out, 'AuthorizationPolicy', 'reviews-allow', 'shop');
    expect(policy.spec).toEqual({
      action: 'ALLOW',
      selector: { matchLabels: { app: 'reviews' } },
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/web/sa/web'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/healthz', '/reviews/*'] } }],
      }],
    });
    expect(findObject(out, 'Sidecar', 'web', 'web').spec.egress[0].hosts).toEqual(['istio-system/*', 'shop/reviews.shop.svc.cluster.local']);
    expect(findObject(out, 'DestinationRule', 'reviews', 'shop').spec.exportTo).toEqual(['.', 'web']);
    expect(findObject(out, 'VirtualService', 'reviews', 'shop').spec.exportTo).toEqual(['.', 'web']);
    expect(Mesh.of(chart).edges).toHaveLength(1);
  });

  test('ports translate to target ports; requireJwt adds requestPrincipals; namespace sources use namespaces', () => {
    const { chart } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', ports: [MeshPort.http(80, { targetPort: 8080 }), MeshPort.grpc(9090)], image: 'api:1' });
    api.allowFrom(TrafficSource.namespace('batch'), { ports: [80] });
    api.allowFrom(TrafficSource.serviceAccount('web', 'bff'), { requireJwt: true });
    const rules = findObject(synthValid(chart), 'AuthorizationPolicy', 'api-allow', 'shop').spec.rules;
    expect(rules).toEqual([
      { from: [{ source: { namespaces: ['batch'] } }], to: [{ operation: { ports: ['8080'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/web/sa/bff'], requestPrincipals: ['*'] } }] },
    ]);
  });

  test('edges added after other constructs were created still count, and no egress exists without an edge', () => {
    const { chart } = setup();
    const a = new MeshService(chart, 'A', { namespace: 'one', port: MeshPort.http(80), image: 'a:1' });
    const b = new MeshService(chart, 'B', { namespace: 'two', port: MeshPort.http(80), image: 'b:1' });
    const c = new MeshService(chart, 'C', { namespace: 'two', port: MeshPort.http(80), image: 'c:1' });
    b.allowFrom(a);
    const out = synthValid(chart);
    expect(findObject(out, 'Sidecar', 'a', 'one').spec.egress[0].hosts).toEqual(['istio-system/*', 'two/b.two.svc.cluster.local']);
    expect(findObject(out, 'Sidecar', 'c', 'two').spec.egress[0].hosts).toEqual(['istio-system/*']);
    expect(findObject(out, 'DestinationRule', 'c', 'two').spec.exportTo).toEqual(['.']);
    expect(c.authorizationPolicy).toBeUndefined();
  });

  test('an imported service (fromServiceName) gets callers egress but renders nothing', () => {
    const { chart } = setup();
    const billing = MeshService.fromServiceName(chart, 'Billing', 'billing', { namespace: 'finance', ports: [MeshPort.grpc(9090)] });
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    billing.allowFrom(api);
    const out = synthValid(chart);
    expect(billing.host).toBe('billing.finance.svc.cluster.local');
    expect(findObject(out, 'Sidecar', 'api', 'shop').spec.egress[0].hosts).toContain('finance/billing.finance.svc.cluster.local');
    expect(out.filter(o => o.metadata.namespace === 'finance')).toHaveLength(0);
  });

  test.each([
    ['an unknown HTTP method', { methods: ['FETCH'] }, /allowFrom options.methods\[0\] must be one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE, got "FETCH"/],
    ['a path with * in the middle', { paths: ['/api/*/admin'] }, /allowFrom options.paths\[0\] has '\*' in the middle.*got "\/api\/\*\/admin"/],
    ['a regex path', { pathMatches: [HttpMatch.regex('/api/.*')] }, /pathMatches\[0\] must be HttpMatch.exact\(\) or HttpMatch.prefix\(\); regex paths are not allowed here/],
    ['a regex-looking path string', { paths: ['/api/(v1|v2)'] }, /looks like a regular expression/],
    ['a port the service does not have', { ports: [81] }, /allowFrom options.ports\[0\] must be one of the destination's ports \(80\), got 81/],
  ])('fails when allowFrom gets %s', (_what, options, message) => {
    const { chart } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    expect(() => api.allowFrom(TrafficSource.serviceAccount('web', 'bff'), options as any)).toThrow(/\[test\/Api\] /);
    expect(() => api.allowFrom(TrafficSource.serviceAccount('web', 'bff'), options as any)).toThrow(message);
  });

  test('fails when methods or paths target a TCP-only service', () => {
    const { chart } = setup();
    const db = new MeshService(chart, 'Db', { namespace: 'data', port: MeshPort.tcp(5432), image: 'pg:16' });
    expect(() => db.allowFrom(TrafficSource.serviceAccount('shop', 'api'), { methods: ['GET'] }))
      .toThrow(/methods and paths need HTTP ports, but 5432 \(TCP\) is not HTTP/);
  });

  test('fails when a service allows itself', () => {
    const { chart } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    expect(() => api.allowFrom(api)).toThrow(/\[test\/Api\] allowFrom source is the service itself/);
  });

  test('fails when the source service account cannot be determined', () => {
    const { chart } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    const legacy = MeshService.fromServiceName(chart, 'Legacy', 'legacy', { namespace: 'old' });
    expect(() => api.allowFrom(legacy)).toThrow(/the service account of imported service old\/legacy cannot be determined/);
    expect(() => api.allowFrom(TrafficSource.serviceAccount('Bad_NS', 'x'))).toThrow(/not a DNS-1123 label, got "Bad_NS"/);
  });
});

describe('MeshService.fromExisting', () => {
  test('wraps an existing workload: only mesh objects, selected by the given pod labels', () => {
    const { chart } = setup();
    const legacy = MeshService.fromExisting(chart, 'Legacy', {
      namespace: 'shop', name: 'legacy', port: MeshPort.http(8080), podLabels: { 'app.kubernetes.io/name': 'legacy' }, serviceAccountName: 'legacy-sa',
    });
    legacy.allowFrom(TrafficSource.serviceAccount('web', 'bff'));
    const out = synthValid(chart);
    expect(legacy.isWrapped).toBe(true);
    expect(findObjects(out, 'Deployment')).toHaveLength(0);
    expect(findObjects(out, 'Service')).toHaveLength(0);
    expect(findObject(out, 'Sidecar', 'legacy', 'shop').spec.workloadSelector.labels).toEqual({ 'app.kubernetes.io/name': 'legacy' });
    expect(findObject(out, 'AuthorizationPolicy', 'legacy-allow', 'shop').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'legacy' });
  });

  test('a wrapped workload is a source with its service account', () => {
    const { chart } = setup();
    const legacy = MeshService.fromExisting(chart, 'Legacy', { namespace: 'shop', port: MeshPort.http(8080), podLabels: { app: 'legacy' }, serviceAccountName: 'legacy-sa' });
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    api.allowFrom(legacy);
    expect(findObject(synthValid(chart), 'AuthorizationPolicy', 'api-allow', 'shop').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/legacy-sa']);
  });

  test('fails when a wrapped workload has no service account or no labels', () => {
    const { chart } = setup();
    expect(() => MeshService.fromExisting(chart, 'A', { namespace: 'shop', port: MeshPort.http(80), podLabels: { app: 'a' }, serviceAccountName: '' }))
      .toThrow(/\[test\/A\] serviceAccountName is required to wrap an existing workload/);
    expect(() => MeshService.fromExisting(chart, 'B', { namespace: 'shop', port: MeshPort.http(80), podLabels: {}, serviceAccountName: 'b' }))
      .toThrow(/\[test\/B\] podLabels must contain at least one label/);
  });
});

describe('MeshService bad input', () => {
  const base = { namespace: 'shop', image: 'api:1' };
  test.each([
    ['a port above 65535', { ...base, port: MeshPort.http(70000) }, /port.number must be an integer from 1 to 65535, got 70000/],
    ['port 0', { ...base, port: MeshPort.tcp(0) }, /port.number must be an integer from 1 to 65535, got 0/],
    ['duplicate port numbers', { ...base, ports: [MeshPort.http(80), MeshPort.grpc(80)] }, /ports\[1\].number 80 is used by another port/],
    ['duplicate port names', { ...base, ports: [MeshPort.http(80, { name: 'http-a' }), MeshPort.http(81, { name: 'http-a' })] }, /ports\[1\].name "http-a" is used by another port/],
    ['a port name without the protocol prefix', { ...base, port: MeshPort.http(80, { name: 'web' }) }, /port.name must start with the protocol prefix "http"/],
    ['no port', { ...base }, /port \(one MeshPort\) or ports \(several\) is required/],
    ['both port and ports', { ...base, port: MeshPort.http(80), ports: [MeshPort.http(81)] }, /give either port or ports, not both/],
    ['a namespace that is not a DNS label', { ...base, port: MeshPort.http(80), namespace: 'Shop' }, /namespace must be a DNS-1123 label.*got "Shop"/],
    ['a name that is not a DNS label', { ...base, port: MeshPort.http(80), name: 'my_api' }, /name must be a DNS-1123 label.*got "my_api"/],
    ['no image', { namespace: 'shop', port: MeshPort.http(80) }, /image is required to create the workload \(or use MeshService.fromExisting/],
    ['runAsUser 1337', { ...base, port: MeshPort.http(80), runAsUser: 1337 }, /runAsUser must not be 1337/],
    ['a bad proxy quantity', { ...base, port: MeshPort.http(80), proxyResources: { cpuRequest: 'lots' } }, /proxyResources.cpuRequest must be a Kubernetes quantity such as '100m' or '128Mi', got "lots"/],
    ['a timeout below 1ms', { ...base, port: MeshPort.http(80), timeout: Duration.millis(0) }, /timeout must be at least 1ms/],
    ['a sub-millisecond timeout', { ...base, port: MeshPort.http(80), timeout: Duration.millis(1.5) }, /timeout must be a whole number of milliseconds/],
    ['retry attempts above 10', { ...base, port: MeshPort.http(80), retries: RetryPolicy.of({ attempts: 11 }) }, /retries.attempts must be an integer from 0 to 10, got 11/],
    ['negative retry attempts', { ...base, port: MeshPort.http(80), retries: RetryPolicy.of({ attempts: -1 }) }, /retries.attempts must be an integer from 0 to 10, got -1/],
    ['perTryTimeout >= timeout', { ...base, port: MeshPort.http(80), timeout: Duration.seconds(2), retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }) }, /retries.perTryTimeout must be shorter than the route timeout \(2000ms\)/],
    ['an unknown retryOn condition', { ...base, port: MeshPort.http(80), retries: RetryPolicy.of({ attempts: 1, retryOn: ['5xx', 'foo'] }) }, /retries.retryOn has an unknown condition "foo"/],
    ['maxEjectionPercent above 100', { ...base, port: MeshPort.http(80), outlierDetection: { maxEjectionPercent: 101 } }, /maxEjectionPercent must be an integer from 0 to 100, got 101/],
    ['timeout on a TCP service', { ...base, port: MeshPort.tcp(5432), timeout: Duration.seconds(1) }, /timeout and retries apply to HTTP routes, but the default port 5432 is TCP/],
    ['an invalid env name', { ...base, port: MeshPort.http(80), env: { '1BAD': 'x' } }, /env has an invalid variable name "1BAD"/],
    ['healthCheckPath without a slash', { ...base, port: MeshPort.http(80), healthCheckPath: 'healthz' }, /healthCheckPath must be a path starting with '\/'/],
  ])('fails when given %s', (_what, props, message) => {
    const { chart } = setup();
    expect(() => {
      new MeshService(chart, 'Api', props as any);
      Testing.synth(chart);
    }).toThrow(message);
  });

  test('fails when two services claim the same host', () => {
    const { chart } = setup();
    new MeshService(chart, 'A', { namespace: 'shop', name: 'api', port: MeshPort.http(80), image: 'a:1' });
    expect(() => new MeshService(chart, 'B', { namespace: 'shop', name: 'api', port: MeshPort.http(80), image: 'b:1' }))
      .toThrow(/\[test\/B\] host "api.shop.svc.cluster.local" is already claimed by test\/A/);
  });
});

describe('MeshService inside a ZeroTrustNamespace', () => {
  test('dryRun namespaces audit the service grants too', () => {
    const { chart } = setup();
    new ZeroTrustNamespace(chart, 'Shop', { name: 'shop', dryRun: true });
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1' });
    api.allowFrom(TrafficSource.serviceAccount('web', 'bff'));
    const policy = findObject(synthValid(chart), 'AuthorizationPolicy', 'api-allow', 'shop');
    expect(policy.metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
  });

  test('a namespace-wide grant exports the services of the namespace to the caller namespace', () => {
    const { chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop', { name: 'shop' });
    new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(80), image: 'api:1', timeout: Duration.seconds(3) });
    shop.allowFrom(TrafficSource.serviceAccount('web', 'bff'));
    const out = synthValid(chart);
    expect(findObject(out, 'DestinationRule', 'api', 'shop').spec.exportTo).toEqual(['.', 'web']);
    expect(findObject(out, 'VirtualService', 'api', 'shop').spec.exportTo).toEqual(['.', 'web']);
  });

  test('a grant to the whole namespace reaches the Sidecars of its services, not only the namespace Sidecar', () => {
    const { chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop', { name: 'shop' });
    new MeshService(chart, 'Checkout', { namespace: 'shop', port: MeshPort.http(80), image: 'checkout:1' });
    const payments = new MeshService(chart, 'Payments', { namespace: 'pay', port: MeshPort.grpc(9090), image: 'payments:1' });
    payments.allowFrom(shop);
    const out = synthValid(chart);
    expect(findObject(out, 'Sidecar', 'checkout', 'shop').spec.egress[0].hosts).toEqual(['istio-system/*', 'pay/payments.pay.svc.cluster.local']);
    expect(findObject(out, 'Sidecar', 'default', 'shop').spec.egress[0].hosts).toContain('pay/payments.pay.svc.cluster.local');
    expect(findObject(out, 'AuthorizationPolicy', 'payments-allow', 'pay').spec.rules[0].from[0].source).toEqual({ namespaces: ['shop'] });
  });
});

describe('MeshService routing on several ports', () => {
  test('one route per HTTP port, each matched on its port and sent to it', () => {
    const { chart } = setup();
    new MeshService(chart, 'Api', {
      namespace: 'shop', ports: [MeshPort.http(8080), MeshPort.grpc(9090), MeshPort.tcp(5432)], image: 'api:1', timeout: Duration.seconds(4),
    });
    const http = findObject(synthValid(chart), 'VirtualService', 'api', 'shop').spec.http;
    expect(http.map((r: any) => [r.name, r.match, r.route])).toEqual([
      ['http-8080', [{ port: 8080 }], [{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 8080 } } }]],
      ['grpc-9090', [{ port: 9090 }], [{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 9090 } } }]],
    ]);
    expect(http.every((r: any) => r.timeout === '4s' && r.retries.perTryTimeout)).toBe(true);
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ApplyOrder, CanaryService, CanaryServiceProps, ExistingCanaryServiceProps, LoadBalancer, Mesh, MeshAnalyzer, MeshPort, MeshService, RetryPolicy,
  TrafficSource,
} from '../../src';
import { findObject, findObjects, synthExample, synthValid } from '../helpers';
import { expectCanaryInvariants, routeLists, SYNC_WAVE } from './canary-invariants';

const HOST = 'reviews.shop.svc.cluster.local';

function setup() {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new Mesh(chart, 'Mesh');
  return { app, chart };
}

/** The props of the contract example (DESIGN.md). */
function reviewsProps(extra: Partial<CanaryServiceProps> = {}): CanaryServiceProps {
  return {
    namespace: 'shop',
    port: MeshPort.http(9080),
    stable: { version: 'v1', image: 'example/reviews:1.0.0' },
    canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 10 },
    ...extra,
  };
}

/** The props of a wrapped reviews service (CanaryService.fromExisting): its pods are deployed elsewhere. */
function existingReviewsProps(extra: Partial<ExistingCanaryServiceProps> = {}): ExistingCanaryServiceProps {
  return {
    namespace: 'shop',
    port: MeshPort.http(9080),
    serviceAccountName: 'reviews',
    stable: { version: 'v1' },
    canary: { version: 'v2', weight: 10 },
    ...extra,
  };
}

describe('CanaryService (created workloads)', () => {
  test('renders Service, one ServiceAccount, two Deployments, DestinationRule subsets and a 90/10 VirtualService', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps());
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    expect(reviews.host).toBe(HOST);
    expect(reviews.stableWeight).toBe(90);
    expect(reviews.canaryWeight).toBe(10);
    expect(reviews.subsetNames).toEqual(['v1', 'v2']);

    expect(findObjects(out, 'ServiceAccount')).toHaveLength(1);
    expect(findObject(out, 'ServiceAccount', 'reviews', 'shop').automountServiceAccountToken).toBe(false);
    const service = findObject(out, 'Service', 'reviews', 'shop');
    expect(service.spec.selector).toEqual({ app: 'reviews' });
    expect(service.spec.ports).toEqual([{ name: 'http-9080', port: 9080, targetPort: 9080, protocol: 'TCP', appProtocol: 'http' }]);

    const v1 = findObject(out, 'Deployment', 'reviews-v1', 'shop');
    const v2 = findObject(out, 'Deployment', 'reviews-v2', 'shop');
    expect(v1.spec.template.metadata.labels).toEqual({ app: 'reviews', version: 'v1' });
    expect(v2.spec.template.metadata.labels).toEqual({ app: 'reviews', version: 'v2' });
    expect(v1.spec.selector.matchLabels).toEqual({ app: 'reviews', version: 'v1' });
    expect(v1.spec.template.spec.containers[0].image).toBe('example/reviews:1.0.0');
    expect(v2.spec.template.spec.containers[0].image).toBe('example/reviews:1.1.0');
    expect(v1.spec.template.spec.serviceAccountName).toBe('reviews');
    expect(v2.spec.template.spec.serviceAccountName).toBe('reviews');

    const dr = findObject(out, 'DestinationRule', 'reviews', 'shop');
    expect(dr.spec.host).toBe(HOST);
    expect(dr.spec.exportTo).toEqual(['.']);
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { app: 'reviews', version: 'v1' } },
      { name: 'v2', labels: { app: 'reviews', version: 'v2' } },
    ]);
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
    expect(dr.spec.trafficPolicy.connectionPool.http.maxRetries).toBe(3);
    expect(dr.metadata.annotations).toBeUndefined();

    const vs = findObject(out, 'VirtualService', 'reviews', 'shop');
    expect(vs.spec.hosts).toEqual([HOST]);
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.exportTo).toEqual(['.']);
    expect(vs.spec.http).toEqual([{
      name: 'default',
      route: [
        { destination: { host: HOST, subset: 'v1' }, weight: 90 },
        { destination: { host: HOST, subset: 'v2' }, weight: 10 },
      ],
      timeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
    }]);
    expect(vs.metadata.annotations).toBeUndefined();

    const sidecar = findObject(out, 'Sidecar', 'reviews', 'shop');
    expect(sidecar.spec.workloadSelector.labels).toEqual({ app: 'reviews' });
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test.each([
    [0, 100], [1, 99], [50, 50], [99, 1], [100, 0],
  ])('canary.weight %d gives the stable version %d, both destinations listed (make-before-break)', (canary, stable) => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: canary } }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    expect(findObject(out, 'VirtualService', 'reviews').spec.http[0].route).toEqual([
      { destination: { host: HOST, subset: 'v1' }, weight: stable },
      { destination: { host: HOST, subset: 'v2' }, weight: canary },
    ]);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  });

  test('without a canary there is one Deployment, one subset and an explicit subset route without weight', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps({ canary: undefined }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    expect(reviews.canaryVersion).toBeUndefined();
    expect(reviews.canaryWeight).toBe(0);
    expect(reviews.stableWeight).toBe(100);
    expect(findObjects(out, 'Deployment').map(d => d.metadata.name)).toEqual(['reviews-v1']);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets).toEqual([{ name: 'v1', labels: { app: 'reviews', version: 'v1' } }]);
    expect(findObject(out, 'VirtualService', 'reviews').spec.http[0].route).toEqual([{ destination: { host: HOST, subset: 'v1' } }]);
  });

  test('the stable version defaults to v1, like MeshService', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps({ stable: { image: 'example/reviews:1.0.0' } }));
    // THEN
    synthValid(app);
    expect(reviews.stableVersion).toBe('v1');
  });

  test('an explicit stable.weight that matches 100 - canary.weight is accepted', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ stable: { version: 'v1', image: 'example/reviews:1.0.0', weight: 90 } }));
    // THEN
    expect(findObject(synthValid(app), 'VirtualService', 'reviews').spec.http[0].route.map((d: any) => d.weight)).toEqual([90, 10]);
  });

  test('per-version workload options (replicas, env) go to that version only; name and serviceAccountName are used', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      name: 'ratings',
      serviceAccountName: 'ratings-sa',
      stable: { version: 'v1', image: 'example/reviews:1.0.0', replicas: 4 },
      canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 10, replicas: 1, env: { FEATURE_X: 'on' } },
    }));
    // THEN
    const out = synthValid(app);
    const v1 = findObject(out, 'Deployment', 'ratings-v1', 'shop');
    const v2 = findObject(out, 'Deployment', 'ratings-v2', 'shop');
    expect(v1.spec.replicas).toBe(4);
    expect(v2.spec.replicas).toBe(1);
    expect(v1.spec.template.spec.containers[0].env).toBeUndefined();
    expect(v2.spec.template.spec.containers[0].env).toEqual([{ name: 'FEATURE_X', value: 'on' }]);
    expect(v1.spec.template.spec.serviceAccountName).toBe('ratings-sa');
    findObject(out, 'ServiceAccount', 'ratings-sa', 'shop');
    expect(findObject(out, 'VirtualService', 'ratings').spec.hosts).toEqual(['ratings.shop.svc.cluster.local']);
  });

  test('canaryHeader and canaryCookie route to the canary before the weighted route', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      canaryHeader: { name: 'x-canary', value: 'always' },
      canaryCookie: { name: 'canary', value: 'v2.beta' },
    }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    const http = findObject(out, 'VirtualService', 'reviews').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['canary-override', 'default']);
    expect(http[0].match).toEqual([
      { headers: { 'x-canary': { exact: 'always' } } },
      { headers: { cookie: { regex: '^(.*; ?)?canary=v2\\.beta(;.*)?$' } } },
    ]);
    expect(http[0].route).toEqual([{ destination: { host: HOST, subset: 'v2' } }]);
    expect(http[0].timeout).toBe('15s');
    expect(http[0].retries.perTryTimeout).toBe('5s');
    expect(http[1].match).toBeUndefined();
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('the cookie regex matches the cookie anywhere in the header, and only that cookie', () => {
    // GIVEN
    const { app, chart } = setup();
    new CanaryService(chart, 'Reviews', reviewsProps({ canaryCookie: { name: 'canary', value: 'yes' } }));
    // WHEN
    const regex = new RegExp(findObject(synthValid(app), 'VirtualService', 'reviews').spec.http[0].match[0].headers.cookie.regex);
    // THEN
    expect(regex.test('canary=yes')).toBe(true);
    expect(regex.test('a=1; canary=yes; b=2')).toBe(true);
    expect(regex.test('a=1;canary=yes')).toBe(true);
    expect(regex.test('canary=yesno')).toBe(false);
    expect(regex.test('notcanary=yes')).toBe(false);
    expect(regex.test('canary=no')).toBe(false);
  });

  test('mirrorPercentage shadows stable traffic to a canary at weight 0', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 0 },
      mirrorPercentage: 25.5,
    }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    const route = findObject(out, 'VirtualService', 'reviews').spec.http[0];
    expect(route.route).toEqual([{ destination: { host: HOST, subset: 'v1' } }]);
    expect(route.mirror).toEqual({ host: HOST, subset: 'v2' });
    expect(route.mirrorPercentage).toEqual({ value: 25.5 });
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  });

  test('fault injection with the explicit flag is rendered on every HTTP route, annotated and reported as a warning', () => {
    // GIVEN
    const { app, chart } = setup();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN
      const reviews = new CanaryService(chart, 'Reviews', reviewsProps({
        canaryHeader: { name: 'x-canary', value: '1' },
        fault: { delay: Duration.millis(1500), delayPercentage: 10, abortHttpStatus: 503, abortPercentage: 0.5 },
        allowFaultInjection: true,
      }));
      // THEN
      const out = synthValid(app);
      const vs = findObject(out, 'VirtualService', 'reviews');
      for (const r of vs.spec.http) {
        expect(r.fault).toEqual({ delay: { fixedDelay: '1.5s', percentage: { value: 10 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } });
      }
      expect(vs.metadata.annotations[CanaryService.FAULT_INJECTION_ANNOTATION]).toMatch(/fault injection is active on every HTTP route of reviews\.shop\.svc\.cluster\.local \(delay 1500ms on 10% of requests, abort with HTTP 503 on 0.5% of requests\)/);
      expect(reviews.warnings).toHaveLength(1);
      const printed = stderr.mock.calls.map(c => String(c[0])).join('');
      expect(printed).toContain('cdk8s-istio WARNING [test/Reviews] fault injection is active');
    } finally {
      stderr.mockRestore();
    }
  });

  test('without fault injection there is no warning', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps());
    // THEN
    expect(reviews.warnings).toEqual([]);
  });

  test('ApplyOrder.ARGO_CD_SYNC_WAVES puts the DestinationRule in wave -1 and the VirtualService in wave 1', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ applyOrder: ApplyOrder.ARGO_CD_SYNC_WAVES }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    expect(findObject(out, 'DestinationRule', 'reviews').metadata.annotations).toEqual({ [SYNC_WAVE]: '-1' });
    expect(findObject(out, 'VirtualService', 'reviews').metadata.annotations).toEqual({ [SYNC_WAVE]: '1' });
    expect(findObject(out, 'Deployment', 'reviews-v2').metadata.annotations).toBeUndefined();
  });

  test('ApplyOrder.argoCdSyncWaves() takes other waves', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ applyOrder: ApplyOrder.argoCdSyncWaves({ destinationRuleWave: 5, virtualServiceWave: 10 }) }));
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'DestinationRule', 'reviews').metadata.annotations).toEqual({ [SYNC_WAVE]: '5' });
    expect(findObject(out, 'VirtualService', 'reviews').metadata.annotations).toEqual({ [SYNC_WAVE]: '10' });
  });

  test('ApplyOrder.NONE adds no annotations', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ applyOrder: ApplyOrder.NONE }));
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'DestinationRule', 'reviews').metadata.annotations).toBeUndefined();
    expect(findObject(out, 'VirtualService', 'reviews').metadata.annotations).toBeUndefined();
  });

  test('timeout and retries are rendered on every HTTP route', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      timeout: Duration.seconds(30),
      retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(4), retryOn: ['connect-failure', '503'] }),
      canaryHeader: { name: 'x-canary', value: '1' },
    }));
    // THEN
    for (const r of findObject(synthValid(app), 'VirtualService', 'reviews').spec.http) {
      expect(r.timeout).toBe('30s');
      expect(r.retries).toEqual({ attempts: 3, perTryTimeout: '4s', retryOn: 'connect-failure,503' });
    }
  });

  test('risky but valid retries are reported as warnings', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const fits = new CanaryService(chart, 'Fits', reviewsProps({ name: 'fits', retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(5) }) }));
    const cut = new CanaryService(chart, 'Cut', reviewsProps({ name: 'cut', timeout: Duration.seconds(10), retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.seconds(4) }) }));
    const replays = new CanaryService(chart, 'Replays', reviewsProps({ name: 'replays', retries: RetryPolicy.of({ attempts: 1, retryOn: ['5xx'] }) }));
    // THEN
    expect(fits.warnings).toEqual([]);
    expect(cut.warnings).toEqual(['retries: 4 attempts of perTryTimeout 4000ms do not fit in the route timeout of 10000ms, so the later attempts are cut off; lower perTryTimeout or attempts, or raise timeout']);
    expect(replays.warnings).toEqual(['retries.retryOn (5xx) retries requests the application may already have processed, which duplicates non-idempotent requests (POST); keep such conditions for idempotent services']);
  });

  test('the other workload options reach each version, and the inherited loadBalancer and restrictEgress props apply', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      loadBalancer: LoadBalancer.roundRobin(),
      restrictEgress: false,
      canary: {
        version: 'v2',
        image: 'example/reviews:1.1.0',
        weight: 10,
        resources: { cpu: { request: Cpu.millis(100), limit: Cpu.millis(200) } },
        proxyResources: { cpuRequest: '50m' },
        holdApplicationUntilProxyStarts: false,
        healthCheckPath: '/healthz',
        runAsUser: 1000,
      },
    }));
    // THEN
    const out = synthValid(app);
    const v1 = findObject(out, 'Deployment', 'reviews-v1').spec.template;
    const v2 = findObject(out, 'Deployment', 'reviews-v2').spec.template;
    expect(v2.spec.containers[0].resources).toEqual({ requests: { cpu: '100m' }, limits: { cpu: '200m' } });
    expect(v2.metadata.annotations['sidecar.istio.io/proxyCPU']).toBe('50m');
    expect(v1.metadata.annotations['sidecar.istio.io/proxyCPU']).toBe('100m');
    expect(v2.metadata.annotations['proxy.istio.io/config']).toBeUndefined();
    expect(v1.metadata.annotations['proxy.istio.io/config']).toBe('{"holdApplicationUntilProxyStarts":true}');
    expect(v2.spec.containers[0].readinessProbe.httpGet.path).toBe('/healthz');
    expect(v1.spec.containers[0].readinessProbe.tcpSocket.port).toBe(9080);
    expect(v2.spec.containers[0].securityContext.runAsUser).toBe(1000);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.trafficPolicy.loadBalancer).toEqual({ simple: 'ROUND_ROBIN' });
    expect(findObjects(out, 'Sidecar')).toHaveLength(0);
  });

  test('RetryPolicy.none() disables retries explicitly', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ retries: RetryPolicy.none() }));
    // THEN
    expect(findObject(synthValid(app), 'VirtualService', 'reviews').spec.http[0].retries).toEqual({ attempts: 0 });
  });

  test('the DestinationRule traffic policy props of MeshService apply (retry budget via connectionPool.maxRetries)', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ connectionPool: { maxRetries: 10 }, outlierDetection: { maxEjectionPercent: 30 } }));
    // THEN
    const dr = findObject(synthValid(app), 'DestinationRule', 'reviews');
    expect(dr.spec.trafficPolicy.connectionPool.http.maxRetries).toBe(10);
    expect(dr.spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(30);
  });

  test('gateways binds the VirtualService to more gateways besides mesh and exports it to their namespaces', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ gateways: ['internal/corp-gateway'] }));
    // THEN
    const vs = findObject(Testing.synth(chart), 'VirtualService', 'reviews');
    expect(vs.spec.gateways).toEqual(['internal/corp-gateway', 'mesh']);
    expect(vs.spec.exportTo).toEqual(['.', 'internal']);
    expect(findObject(synthValid(chart), 'DestinationRule', 'reviews').spec.exportTo).toEqual(['.', 'internal']);
    void app;
  });

  test('exportToAllReason exports DestinationRule and VirtualService to every namespace', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({ exportToAllReason: 'called from every tenant namespace' }));
    // THEN
    const out = synthValid(app);
    const vs = findObject(out, 'VirtualService', 'reviews');
    expect(vs.spec.exportTo).toEqual(['*']);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.exportTo).toEqual(['*']);
    expect(vs.metadata.annotations['cdk8s-istio.io/export-to-all-reason']).toBeDefined();
  });

  test('several ports: one route per port, matched by port, with destination ports; TCP ports get weighted TCP routes', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Reviews', reviewsProps({
      port: undefined,
      ports: [MeshPort.http(9080), MeshPort.grpc(9090), MeshPort.tcp(5000), MeshPort.tls(8443)],
      canaryHeader: { name: 'x-canary', value: '1' },
    }));
    // THEN
    const out = synthValid(app);
    expectCanaryInvariants(out);
    const vs = findObject(out, 'VirtualService', 'reviews');
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['http-9080-canary-override', 'http-9080-default', 'grpc-9090-canary-override', 'grpc-9090-default']);
    expect(vs.spec.http[0].match).toEqual([{ port: 9080, headers: { 'x-canary': { exact: '1' } } }]);
    expect(vs.spec.http[1].match).toEqual([{ port: 9080 }]);
    expect(vs.spec.http[1].route).toEqual([
      { destination: { host: HOST, subset: 'v1', port: { number: 9080 } }, weight: 90 },
      { destination: { host: HOST, subset: 'v2', port: { number: 9080 } }, weight: 10 },
    ]);
    expect(vs.spec.http[3].route[0].destination.port).toEqual({ number: 9090 });
    expect(vs.spec.tcp).toEqual([{
      match: [{ port: 5000 }],
      route: [
        { destination: { host: HOST, subset: 'v1', port: { number: 5000 } }, weight: 90 },
        { destination: { host: HOST, subset: 'v2', port: { number: 5000 } }, weight: 10 },
      ],
    }]);
    expect(vs.spec.tls).toEqual([{
      match: [{ sniHosts: [HOST], port: 8443 }],
      route: [
        { destination: { host: HOST, subset: 'v1', port: { number: 8443 } }, weight: 90 },
        { destination: { host: HOST, subset: 'v2', port: { number: 8443 } }, weight: 10 },
      ],
    }]);
  });

  test('a TCP-only service gets a weighted catch-all TCP route', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new CanaryService(chart, 'Db', { namespace: 'data', port: MeshPort.tcp(5432), stable: { version: 'v1', image: 'db:1' }, canary: { version: 'v2', image: 'db:2', weight: 20 } });
    // THEN
    const vs = findObject(synthValid(app), 'VirtualService', 'db');
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp[0].match).toBeUndefined();
    expect(vs.spec.tcp[0].route.map((d: any) => d.weight)).toEqual([80, 20]);
  });

  test('allowFrom works exactly as on MeshService: ALLOW rule, caller egress, exportTo', () => {
    // GIVEN
    const { app, chart } = setup();
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps());
    const productpage = new MeshService(chart, 'ProductPage', { namespace: 'web', port: MeshPort.http(9080), image: 'example/productpage:1.0.0' });
    // WHEN
    reviews.allowFrom(productpage, { methods: ['GET'], paths: ['/reviews/*'] });
    reviews.allowFrom(TrafficSource.serviceAccount('batch', 'nightly'));
    // THEN
    const out = synthValid(app);
    const policy = findObject(out, 'AuthorizationPolicy', 'reviews-allow', 'shop');
    expect(policy.spec.selector.matchLabels).toEqual({ app: 'reviews' });
    expect(policy.spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/web/sa/productpage'] } }], to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/batch/sa/nightly'] } }] },
    ]);
    expect(findObject(out, 'Sidecar', 'productpage', 'web').spec.egress[0].hosts).toContain(`shop/${HOST}`);
    expect(findObject(out, 'VirtualService', 'reviews').spec.exportTo).toEqual(['.', 'batch', 'web']);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.exportTo).toEqual(['.', 'batch', 'web']);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('a CanaryService is a traffic source with the shared service account', () => {
    // GIVEN
    const { app, chart } = setup();
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps());
    const ratings = new MeshService(chart, 'Ratings', { namespace: 'shop', port: MeshPort.http(9080), image: 'example/ratings:1.0.0' });
    // WHEN
    ratings.allowFrom(reviews);
    // THEN
    const out = synthValid(app);
    expect(reviews.sourceDescription).toBe('CanaryService shop/reviews');
    expect(findObject(out, 'AuthorizationPolicy', 'ratings-allow').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/reviews']);
    expect(findObject(out, 'Sidecar', 'reviews').spec.egress[0].hosts).toContain('shop/ratings.shop.svc.cluster.local');
  });

  test('CanaryService.promote() makes the canary the stable version and drops its weight', () => {
    // GIVEN
    const { app, chart } = setup();
    const props = reviewsProps({ canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 100, replicas: 3 } });
    // WHEN
    const promoted = CanaryService.promote(props);
    new CanaryService(chart, 'Reviews', promoted);
    // THEN
    expect(promoted.stable).toEqual({ version: 'v2', image: 'example/reviews:1.1.0', replicas: 3 });
    expect(promoted.canary).toBeUndefined();
    const out = synthValid(app);
    expectCanaryInvariants(out);
    expect(findObjects(out, 'Deployment').map(d => [d.metadata.name, d.spec.replicas])).toEqual([['reviews-v2', 3]]);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.name)).toEqual(['v2']);
    expect(findObject(out, 'VirtualService', 'reviews').spec.http[0].route).toEqual([{ destination: { host: HOST, subset: 'v2' } }]);
  });

  test('CanaryService.promote() drops the settings that need a canary and keeps the others', () => {
    // GIVEN
    const props = reviewsProps({
      canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 0 },
      canaryHeader: { name: 'x-canary', value: '1' },
      canaryCookie: { name: 'canary', value: '1' },
      mirrorPercentage: 10,
      timeout: Duration.seconds(7),
      applyOrder: ApplyOrder.ARGO_CD_SYNC_WAVES,
    });
    // WHEN
    const promoted = CanaryService.promote(props);
    // THEN
    expect(Object.keys(promoted).sort()).toEqual(['applyOrder', 'namespace', 'port', 'stable', 'timeout']);
    const { app, chart } = setup();
    new CanaryService(chart, 'Reviews', promoted);
    const vs = findObject(synthValid(app), 'VirtualService', 'reviews');
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.http[0].mirror).toBeUndefined();
    expect(vs.spec.http[0].timeout).toBe('7s');
    expect(vs.metadata.annotations).toEqual({ [SYNC_WAVE]: '1' });
  });

  test('the same program synthesizes byte-identical YAML', () => {
    // GIVEN
    const build = () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'canary-det-')) });
      const chart = new Chart(app, 'test');
      new Mesh(chart, 'Mesh');
      const reviews = new CanaryService(chart, 'Reviews', reviewsProps({
        canaryHeader: { name: 'x-canary', value: '1' }, applyOrder: ApplyOrder.ARGO_CD_SYNC_WAVES,
      }));
      reviews.allowFrom(TrafficSource.serviceAccount('web', 'b'));
      reviews.allowFrom(TrafficSource.serviceAccount('api', 'a'));
      return app.synthYaml();
    };
    // WHEN / THEN
    expect(build()).toEqual(build());
  });
});

describe('CanaryService.fromExisting (wrapped workloads)', () => {
  test('renders only the mesh objects, with subsets selecting the given pod labels', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const reviews = CanaryService.fromExisting(chart, 'Reviews', existingReviewsProps({
      serviceAccountName: 'bookinfo-reviews',
      canary: { version: 'v2', weight: 30 },
    }));
    // THEN
    const out = synthValid(app);
    expect(reviews.isWrapped).toBe(true);
    for (const kind of ['Deployment', 'Service', 'ServiceAccount']) expect(findObjects(out, kind)).toHaveLength(0);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets).toEqual([
      { name: 'v1', labels: { app: 'reviews', version: 'v1' } },
      { name: 'v2', labels: { app: 'reviews', version: 'v2' } },
    ]);
    expect(findObject(out, 'VirtualService', 'reviews').spec.http[0].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['v1', 70], ['v2', 30]]);
    expect(findObject(out, 'Sidecar', 'reviews').spec.workloadSelector.labels).toEqual({ app: 'reviews' });
  });

  test('podLabels of the service and of each version are used', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const reviews = CanaryService.fromExisting(chart, 'Reviews', existingReviewsProps({
      podLabels: { 'app.kubernetes.io/name': 'reviews' },
      stable: { version: 'v1-2-0', podLabels: { 'app.kubernetes.io/name': 'reviews', 'app.kubernetes.io/version': '1.2.0' } },
      canary: { version: 'v1-3-0', weight: 5 },
    }));
    reviews.allowFrom(TrafficSource.serviceAccount('web', 'frontend'));
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets).toEqual([
      { name: 'v1-2-0', labels: { 'app.kubernetes.io/name': 'reviews', 'app.kubernetes.io/version': '1.2.0' } },
      { name: 'v1-3-0', labels: { 'app.kubernetes.io/name': 'reviews', 'version': 'v1-3-0' } },
    ]);
    expect(findObject(out, 'AuthorizationPolicy', 'reviews-allow').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'reviews' });
    expect(findObject(out, 'Sidecar', 'reviews').spec.workloadSelector.labels).toEqual({ 'app.kubernetes.io/name': 'reviews' });
  });
});

describe('CanaryService bad input', () => {
  const expectFailure = (props: Partial<CanaryServiceProps>, message: RegExp | string) => {
    const { chart } = setup();
    expect(() => new CanaryService(chart, 'Reviews', reviewsProps(props))).toThrow(message);
  };
  const canary = (weight: number) => ({ canary: { version: 'v2', image: 'example/reviews:1.1.0', weight } });

  test.each([
    ['negative', -1, '-1'],
    ['above 100', 110, '110'],
    ['not an integer', 33.3, '33.3'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['-0', -0, '-0'],
  ])('fails when canary.weight is %s', (_what, weight, shown) => {
    expectFailure(canary(weight), `[test/Reviews] canary.weight must be an integer from 0 to 100, got ${shown}`);
  });

  test('fails when the weights would not sum to 100', () => {
    expectFailure({ stable: { version: 'v1', image: 'example/reviews:1.0.0', weight: 90 }, ...canary(20) },
      '[test/Reviews] stable.weight and canary.weight must sum to 100, got 90 + 20 = 110; omit stable.weight to give the stable version the rest (80)');
    expectFailure({ stable: { version: 'v1', image: 'example/reviews:1.0.0', weight: 50 }, ...canary(40) }, /must sum to 100, got 50 \+ 40 = 90/);
  });

  test('fails when a single version has a weight below 100', () => {
    expectFailure({ stable: { version: 'v1', image: 'example/reviews:1.0.0', weight: 60 }, canary: undefined },
      '[test/Reviews] stable.weight must be 100 without a canary (a single version receives all traffic), got 60');
  });

  test('fails when stable.weight is not an integer', () => {
    expectFailure({ stable: { version: 'v1', image: 'example/reviews:1.0.0', weight: 89.5 }, ...canary(10) }, '[test/Reviews] stable.weight must be an integer from 0 to 100, got 89.5');
  });

  test('fails when stable and canary have the same version', () => {
    expectFailure({ canary: { version: 'v1', image: 'example/reviews:1.1.0', weight: 10 } },
      '[test/Reviews] canary.version must differ from stable.version (both are "v1"); each version is its own DestinationRule subset');
  });

  test('fails when the canary has no version', () => {
    expectFailure({ canary: { image: 'example/reviews:1.1.0', weight: 10 } }, "[test/Reviews] canary.version is required: it names the version's DestinationRule subset");
  });

  test.each([
    ['v1.2', ' (e.g. "v1-2")'],
    ['V2', ' (e.g. "v2")'],
    ['canary_1', ' (e.g. "canary-1")'],
    ['v'.repeat(64), ''],
    ['-v2', ''],
    ['', ''],
  ])('fails when a version (subset name) is not a DNS-1123 label: %s', (version, hint) => {
    expectFailure({ canary: { version, image: 'example/reviews:1.1.0', weight: 10 } },
      `[test/Reviews] canary.version must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), because it names the DestinationRule subset; got ${JSON.stringify(version)}${hint}`);
  });

  test('fails when the stable version is not a DNS-1123 label', () => {
    expectFailure({ stable: { version: '1.0', image: 'example/reviews:1.0.0' } }, /\[test\/Reviews\] stable\.version must be a DNS-1123 label .*got "1\.0" \(e\.g\. "1-0"\)/);
  });

  test('fails when wrapped stable and canary select the same pods', () => {
    const { chart } = setup();
    expect(() => CanaryService.fromExisting(chart, 'Reviews', existingReviewsProps({
      stable: { version: 'v1', podLabels: { app: 'reviews', track: 'main' } },
      canary: { version: 'v2', weight: 10, podLabels: { track: 'main', app: 'reviews' } },
    }))).toThrow('[test/Reviews] stable and canary select the same pods (both podLabels are {"app":"reviews","track":"main"}); give each version a distinct label such as version: <version>');
  });

  test('fails when one version\'s labels also select every pod of the other', () => {
    const { chart } = setup();
    expect(() => CanaryService.fromExisting(chart, 'Reviews', existingReviewsProps({
      stable: { version: 'v1', podLabels: { app: 'reviews' } },
    }))).toThrow(/\[test\/Reviews\] stable\.podLabels \{"app":"reviews"\} also select every canary pod \(canary\.podLabels \{"app":"reviews","version":"v2"\}\)/);
    const { chart: chart2 } = setup();
    expect(() => CanaryService.fromExisting(chart2, 'Reviews', existingReviewsProps({
      canary: { version: 'v2', weight: 10, podLabels: { app: 'reviews' } },
    }))).toThrow(/canary\.podLabels \{"app":"reviews"\} also select every stable pod/);
  });

  test('fails when a wrapped version has empty or invalid pod labels', () => {
    const { chart } = setup();
    expect(() => CanaryService.fromExisting(chart, 'Reviews', existingReviewsProps({
      stable: { version: 'v1', podLabels: {} },
    }))).toThrow(/\[test\/Reviews\] stable\.podLabels must contain at least one label/);
    const { chart: chart2 } = setup();
    expect(() => CanaryService.fromExisting(chart2, 'Reviews', existingReviewsProps({
      canary: { version: 'v2', weight: 10, podLabels: { version: 'v*' } },
    }))).toThrow(/canary\.podLabels\.version must/);
  });

  test('fails when a wrapped service has no service account, or is given options of created workloads', () => {
    const { chart } = setup();
    expect(() => CanaryService.fromExisting(chart, 'Reviews', {
      namespace: 'shop', port: MeshPort.http(9080), serviceAccountName: '', stable: { version: 'v1' },
    })).toThrow(/serviceAccountName/);
    const { chart: chart2 } = setup();
    expect(() => CanaryService.fromExisting(chart2, 'Reviews', {
      namespace: 'shop', port: MeshPort.http(9080), serviceAccountName: 'reviews', stable: { version: 'v1', image: 'x:1' } as any,
    })).toThrow('[test/Reviews] stable.image applies only to versions this app creates; a wrapped workload keeps its own (use new CanaryService to create it)');
  });

  test('fails when created workloads are given podLabels', () => {
    expectFailure({ canary: { version: 'v2', image: 'x:2', weight: 1, podLabels: { a: 'b' } } as any },
      '[test/Reviews] canary.podLabels applies only to CanaryService.fromExisting; created workloads are labelled app + version');
  });

  test.each([
    ['an empty name', { name: '', value: '1' }, '[test/Reviews] canaryHeader.name must be a non-empty HTTP header name (e.g. \'x-canary\'), got ""'],
    ['an upper-case name', { name: 'X-Canary', value: '1' }, '[test/Reviews] canaryHeader.name must be lower case (HTTP/2 header names are), got "X-Canary" (use "x-canary")'],
    ['a pseudo-header', { name: ':authority', value: 'x' }, /\[test\/Reviews\] canaryHeader\.name must be an HTTP header name .*got ":authority"/],
    ['the cookie header', { name: 'cookie', value: 'a=b' }, '[test/Reviews] canaryHeader.name must not be "cookie"; use canaryCookie for cookies'],
    ['an empty value', { name: 'x-canary', value: '' }, /\[test\/Reviews\] canaryHeader\.value must be a non-empty header value/],
    ['a value with a newline', { name: 'x-canary', value: 'a\nb' }, /canaryHeader\.value must be a non-empty header value without CR, LF/],
  ])('fails when canaryHeader has %s', (_what, header, message) => {
    expectFailure({ canaryHeader: header }, message);
  });

  test.each([
    ['an empty name', { name: '', value: '1' }, /\[test\/Reviews\] canaryCookie\.name must be a non-empty cookie name/],
    ['a name with "="', { name: 'a=b', value: '1' }, /canaryCookie\.name must be a non-empty cookie name/],
    ['a value with ";"', { name: 'canary', value: 'a;b' }, /\[test\/Reviews\] canaryCookie\.value must be a non-empty cookie value/],
  ])('fails when canaryCookie has %s', (_what, cookie, message) => {
    expectFailure({ canaryCookie: cookie }, message);
  });

  test('fails when header routing or mirroring is asked without a canary, or without an HTTP port', () => {
    expectFailure({ canary: undefined, canaryHeader: { name: 'x-canary', value: '1' } }, '[test/Reviews] canaryHeader routes requests to the canary, but there is no canary; remove canaryHeader or add canary');
    expectFailure({ canary: undefined, mirrorPercentage: 10 }, '[test/Reviews] mirrorPercentage mirrors stable traffic to the canary, but there is no canary; remove mirrorPercentage or add canary');
    expectFailure({ port: MeshPort.tcp(5432), canaryHeader: { name: 'x-canary', value: '1' } }, '[test/Reviews] canaryHeader needs an HTTP port, but the ports are 5432 (TCP)');
  });

  test.each([
    [-1, '-1'], [100.5, '100.5'], [101, '101'], [NaN, 'NaN'], [0.00001, '0.00001'],
  ])('fails when mirrorPercentage is outside 0–100 or too precise: %s', (value, shown) => {
    expectFailure({ ...canary(0), mirrorPercentage: value }, `[test/Reviews] mirrorPercentage must be a number from 0 to 100 with at most 4 decimal places, got ${shown}`);
  });

  test('fails when mirroring to the subset that serves the traffic', () => {
    expectFailure({ ...canary(10), mirrorPercentage: 50 },
      '[test/Reviews] mirrorPercentage mirrors to the canary subset "v2", which already serves canary.weight 10% of the traffic; mirroring to a subset that serves the request doubles its load — set canary.weight to 0 to shadow the canary, or remove mirrorPercentage');
  });

  test('fails when fault injection is asked without the explicit flag', () => {
    expectFailure({ fault: { abortHttpStatus: 503, abortPercentage: 1 } },
      '[test/Reviews] fault injects delays or errors into the real traffic of the service; set allowFaultInjection: true to confirm (testing only)');
    expectFailure({ fault: { delay: Duration.seconds(1) }, allowFaultInjection: false }, /set allowFaultInjection: true to confirm/);
    expectFailure({ allowFaultInjection: true }, '[test/Reviews] allowFaultInjection is set without fault; remove it');
  });

  test.each([
    ['sets nothing', {}, '[test/Reviews] fault must set delay or abortHttpStatus'],
    ['aborts with a non-error status', { abortHttpStatus: 99 }, '[test/Reviews] fault.abortHttpStatus must be an integer from 200 to 599, got 99'],
    ['delays more than 100 %', { delay: Duration.seconds(1), delayPercentage: 150 }, '[test/Reviews] fault.delayPercentage must be a number from 0 to 100 with at most 4 decimal places, got 150'],
    ['has an abort percentage without abort', { delay: Duration.seconds(1), abortPercentage: 5 }, '[test/Reviews] fault.abortPercentage is set without fault.abortHttpStatus'],
    ['has a sub-millisecond delay', { delay: Duration.millis(0.5) }, /\[test\/Reviews\] fault\.delay must be a whole number of milliseconds/],
  ])('fails when fault %s', (_what, fault, message) => {
    expectFailure({ fault, allowFaultInjection: true }, message);
  });

  test('fails when two CanaryServices (or a CanaryService and a MeshService) claim the same host', () => {
    const { chart } = setup();
    new CanaryService(chart, 'Reviews', reviewsProps());
    expect(() => new CanaryService(chart, 'Reviews2', reviewsProps({ name: 'reviews' })))
      .toThrow('[test/Reviews2] host "reviews.shop.svc.cluster.local" is already claimed by test/Reviews; each mesh host may be declared once per app');
    expect(() => new MeshService(chart, 'Other', { namespace: 'shop', name: 'reviews', port: MeshPort.http(9080), image: 'x:1' }))
      .toThrow(/\[test\/Other\] host "reviews\.shop\.svc\.cluster\.local" is already claimed by test\/Reviews/);
  });

  test('fails when the resilience settings are unusable', () => {
    expectFailure({ timeout: Duration.millis(0.5) }, /\[test\/Reviews\] timeout must be a whole number of milliseconds/);
    expectFailure({ timeout: Duration.seconds(2), retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }) },
      '[test/Reviews] retries.perTryTimeout must be shorter than the route timeout (2000ms) or no retry can ever happen, got 2000ms');
    expectFailure({ retries: RetryPolicy.of({ attempts: 2, retryOn: ['5xx', 'bogus'] }) }, /\[test\/Reviews\] retries\.retryOn has an unknown condition "bogus"/);
    expectFailure({ retries: { attempts: 2 } as any }, '[test/Reviews] retries must be a RetryPolicy (e.g. RetryPolicy.of({ attempts: 2 })), got {"attempts":2}');
  });

  test('fails when the apply-order waves would apply the VirtualService first', () => {
    expectFailure({ applyOrder: ApplyOrder.argoCdSyncWaves({ destinationRuleWave: 2, virtualServiceWave: 2 }) },
      '[test/Reviews] applyOrder: destinationRuleWave (2) must be lower than virtualServiceWave (2) so that the subsets exist before the routes that use them');
    expectFailure({ applyOrder: ApplyOrder.argoCdSyncWaves({ destinationRuleWave: 0.5 }) }, '[test/Reviews] applyOrder.destinationRuleWave must be an integer (an Argo CD sync wave), got 0.5');
    expectFailure({ applyOrder: 'argocd' as any }, '[test/Reviews] applyOrder must be an ApplyOrder (e.g. ApplyOrder.ARGO_CD_SYNC_WAVES), got "argocd"');
  });

  test('fails when gateways lists mesh, an unqualified name, or a duplicate', () => {
    expectFailure({ gateways: ['mesh'] }, '[test/Reviews] gateways[0] must not be "mesh": the VirtualService is always bound to the mesh; list only other Gateways');
    expectFailure({ gateways: ['my-gateway'] }, '[test/Reviews] gateways[0] must be "<namespace>/<gateway name>" (two DNS-1123 labels), got "my-gateway"');
    expectFailure({ gateways: ['a/b', 'a/b'] }, '[test/Reviews] gateways lists "a/b" twice');
  });

  test('fails when a version struct is missing', () => {
    expectFailure({ stable: undefined as any }, /\[test\/Reviews\] stable must be a version struct/);
  });

  test('fails when promote() has no canary to promote', () => {
    expect(() => CanaryService.promote(reviewsProps({ canary: undefined }))).toThrow('[CanaryService.promote] props.canary is required: promotion makes the canary the stable version');
  });

  test('fails at synth, writing nothing, when a pod template no longer carries its subset labels', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-nowrite-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    new Mesh(chart, 'Mesh');
    const reviews = new CanaryService(chart, 'Reviews', reviewsProps());
    // WHEN
    reviews.canaryDeployment!.podMetadata.addLabel('version', 'v3');
    // THEN
    expect(() => app.synth()).toThrow(/\[test\/Reviews\] subset "v2" selects version=v2, which the pod template of Deployment reviews-v2 does not carry/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('examples/canary-rollout', () => {
  const files = synthExample('canary-rollout');
  const steps = ['1-canary-10', '2-canary-50', '3-canary-100', '4-promoted'];
  const step = (s: string) => files[Object.keys(files).find(f => f.startsWith(`${s}/`))!];

  /** Paths (`Kind/name.spec.http[0].route[1].weight`) where two outputs differ. */
  function structuralDiff(a: any[], b: any[]): string[] {
    const key = (o: any) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const out: string[] = [];
    const walk = (x: any, y: any, at: string) => {
      if (x === y) return;
      if (x && y && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], Array.isArray(x) ? `${at}[${k}]` : `${at}.${k}`);
        return;
      }
      out.push(at);
    };
    const bm = new Map(b.map(o => [key(o), o]));
    for (const o of a) walk(o, bm.get(key(o)), key(o));
    for (const o of b) if (!a.some(x => key(x) === key(o))) out.push(`${key(o)} (added)`);
    return out;
  }

  test('writes the four steps', () => {
    expect(steps.every(s => step(s) !== undefined)).toBe(true);
  });

  test.each(steps)('step %s keeps the rollout invariants and is analyzer-clean', s => {
    expectCanaryInvariants(step(s));
    expect(MeshAnalyzer.analyze(step(s))).toEqual([]);
  });

  test('the 10 %, 50 % and 100 % steps differ only in the weights', () => {
    const weights = (s: string) => findObjects(step(s), 'VirtualService').map(vs => routeLists(vs).filter(r => r.length > 1).map(r => r.map((d: any) => d.weight)));
    expect(weights('1-canary-10')).toEqual([[[90, 10]], [[90, 10]]]);
    expect(weights('2-canary-50')).toEqual([[[50, 50]], [[50, 50]]]);
    expect(weights('3-canary-100')).toEqual([[[0, 100]], [[0, 100]]]);
    for (const [a, b] of [['1-canary-10', '2-canary-50'], ['2-canary-50', '3-canary-100']]) {
      const diff = structuralDiff(step(a), step(b));
      expect(diff.length).toBeGreaterThan(0);
      expect(diff.filter(p => !/\.spec\.http\[\d+\]\.route\[\d+\]\.weight$/.test(p))).toEqual([]);
    }
  });

  test('the promotion removes the old version and its subset, and routes to the new stable version', () => {
    const diff = structuralDiff(step('3-canary-100'), step('4-promoted'));
    expect(diff).toContain('Deployment/shop/reviews-v1');
    expect(diff.filter(p => p.startsWith('DestinationRule/'))).toEqual(['DestinationRule/shop/reviews.spec.subsets[0].labels.version', 'DestinationRule/shop/reviews.spec.subsets[0].name', 'DestinationRule/shop/reviews.spec.subsets[1]']);
    expect(findObjects(step('4-promoted'), 'Deployment').map(d => d.metadata.name).sort()).toEqual(['productpage-v1', 'reviews-v2']);
    for (const vs of findObjects(step('4-promoted'), 'VirtualService').filter(v => JSON.stringify(v).includes('reviews.shop'))) {
      const route = vs.spec.http.find((r: any) => r.route[0].destination.host === HOST).route;
      expect(route).toEqual([{ destination: { host: HOST, subset: 'v2' } }]);
    }
  });
});

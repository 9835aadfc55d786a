import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ApplyOrder, CanaryService, CanaryServiceProps, IngressGateway, Mesh, MeshPort, RetryPolicy } from '../../src';
import { findObject, findObjects, synthValid } from '../helpers';
import { expectCanaryInvariants, routeLists } from './canary-invariants';

/** Mostly absent, sometimes present (each feature is off in most runs, so that combinations stay valid often). */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** Mostly valid, sometimes invalid. */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** Our errors: thrown by a constructor/method (IstioConfigError) or aggregated by cdk8s from validations. */
function isLibraryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) return false;
  return e.name === 'IstioConfigError' || /^Validation failed with the following errors/.test(e.message);
}

const weightArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: -20, max: 130 }) },
  { weight: 1, arbitrary: fc.constantFrom(33.3, NaN, Infinity, -Infinity, -0, 0.5) },
);
const versionArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^v[0-9]{1,2}(-[a-z0-9]{1,4})?$/) },
  { weight: 1, arbitrary: fc.constantFrom('v1.2', 'V2', 'canary_1', '', '-v', 'v'.repeat(64), 'v1') },
);
const headerArb = sometimes(fc.record({
  name: mostly(fc.constantFrom('x-canary', 'x-user-group', 'end-user'), fc.constantFrom('', 'X-Canary', ':path', 'cookie', 'bad header', 'host')),
  value: mostly(fc.constantFrom('always', '1', 'beta testers'), fc.constantFrom('', ' padded', 'a\r\nb')),
}));
const cookieArb = sometimes(fc.record({
  name: mostly(fc.constantFrom('canary', 'ab_test', 'x.y'), fc.constantFrom('', 'a=b', 'sp ace')),
  value: mostly(fc.constantFrom('always', 'v2.beta', '(1)'), fc.constantFrom('', 'a;b', 'q"uote')),
}));
const percentArb = sometimes(mostly(
  fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(12.5, 0.0001)),
  fc.oneof(fc.double({ min: -10, max: 110, noNaN: false }), fc.constantFrom(0.00001, -0, Infinity)),
));
const timeoutArb = sometimes(mostly(fc.integer({ min: 3, max: 60000 }), fc.constantFrom(0, 0.5, 1.5, 2)).map(ms => Duration.millis(ms)));
const retriesArb = sometimes(fc.record({
  attempts: mostly(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 11, 2.5)),
  perTryMs: sometimes(fc.integer({ min: 1, max: 30000 })),
  retryOn: sometimes(fc.array(mostly(fc.constantFrom('connect-failure', 'refused-stream', '5xx', '503'), fc.constant('bogus')), { minLength: 1, maxLength: 3 })),
}).map(r => RetryPolicy.of({ attempts: r.attempts, perTryTimeout: r.perTryMs ? Duration.millis(r.perTryMs) : undefined, retryOn: r.retryOn })));
const faultArb = sometimes(fc.record({
  delayMs: sometimes(fc.integer({ min: 0, max: 5000 })),
  delayPercentage: percentArb,
  abortHttpStatus: sometimes(mostly(fc.constantFrom(503, 500, 429), fc.integer({ min: 100, max: 700 }))),
  abortPercentage: percentArb,
  allow: mostly(fc.constant(true), fc.constant(false)),
}));
const applyOrderArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(ApplyOrder.NONE),
  fc.constant(ApplyOrder.ARGO_CD_SYNC_WAVES),
  fc.record({ dr: fc.integer({ min: -5, max: 5 }), vs: fc.integer({ min: -5, max: 5 }) })
    .map(w => ApplyOrder.argoCdSyncWaves({ destinationRuleWave: w.dr, virtualServiceWave: w.vs })),
);
const portsArb: fc.Arbitrary<MeshPort[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant([MeshPort.http(9080)]) },
  { weight: 1, arbitrary: fc.constant([MeshPort.http(9080), MeshPort.grpc(9090)]) },
  { weight: 1, arbitrary: fc.constant([MeshPort.tcp(5432)]) },
  { weight: 1, arbitrary: fc.constant([MeshPort.http(8080), MeshPort.tcp(5000), MeshPort.tls(8443)]) },
).map(ports => [...ports]);

const propsArb = fc.record({
  wrapped: fc.boolean(),
  ports: portsArb,
  stableVersion: versionArb,
  stableWeight: sometimes(weightArb),
  canary: fc.option(fc.record({ version: versionArb, weight: weightArb }), { nil: undefined, freq: 4 }),
  canaryHeader: headerArb,
  canaryCookie: cookieArb,
  mirrorPercentage: sometimes(percentArb),
  timeout: timeoutArb,
  retries: retriesArb,
  fault: faultArb,
  applyOrder: applyOrderArb,
  exposed: fc.boolean(),
});

type Generated = typeof propsArb extends fc.Arbitrary<infer T> ? T : never;

function build(p: Generated): { chart: Chart } {
  const chart = new Chart(Testing.app(), 'prop');
  new Mesh(chart, 'Mesh');
  const routing = {
    namespace: 'shop',
    ports: p.ports,
    canaryHeader: p.canaryHeader,
    canaryCookie: p.canaryCookie,
    mirrorPercentage: p.mirrorPercentage,
    timeout: p.timeout,
    retries: p.retries,
    fault: p.fault && {
      delay: p.fault.delayMs === undefined ? undefined : Duration.millis(p.fault.delayMs),
      delayPercentage: p.fault.delayPercentage,
      abortHttpStatus: p.fault.abortHttpStatus,
      abortPercentage: p.fault.abortPercentage,
    },
    allowFaultInjection: p.fault?.allow,
    applyOrder: p.applyOrder,
  };
  let svc: CanaryService;
  if (p.wrapped) {
    svc = CanaryService.fromExisting(chart, 'Reviews', {
      ...routing,
      serviceAccountName: 'reviews',
      stable: { version: p.stableVersion, weight: p.stableWeight },
      canary: p.canary && { version: p.canary.version, weight: p.canary.weight },
    });
  } else {
    const props: CanaryServiceProps = {
      ...routing,
      stable: { version: p.stableVersion, image: 'example/reviews:1.0.0', weight: p.stableWeight },
      canary: p.canary && { version: p.canary.version, image: 'example/reviews:1.1.0', weight: p.canary.weight },
    };
    svc = new CanaryService(chart, 'Reviews', props);
  }
  if (p.exposed) {
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    gw.route(svc, { pathPrefix: '/' });
  }
  return { chart };
}

/**
 * The acceptance invariants of issue 4 (canary-invariants.ts), plus what this one-service universe fixes: the
 * DestinationRule has one subset per version, one VirtualService per route (mesh, and the gateway when exposed), and
 * every destination names one of the subsets.
 */
function checkInvariants(out: any[], p: Generated): void {
  expectCanaryInvariants(out, { wrapped: p.wrapped });
  const dr = findObject(out, 'DestinationRule', 'reviews', 'shop');
  const subsets = new Set<string>(dr.spec.subsets.map((s: any) => s.name));
  expect(subsets.size).toBe(p.canary ? 2 : 1);
  const vss = findObjects(out, 'VirtualService');
  expect(vss.length).toBe(p.exposed ? 2 : 1);
  for (const route of vss.flatMap(routeLists)) {
    for (const d of route) expect(subsets.has(d.destination.subset)).toBe(true);
  }
}

describe('CanaryService properties', () => {
  test('any props either synthesize schema-valid YAML that keeps the rollout invariants or throw the library error — never a TypeError', () => {
    let synthesized = 0;
    let rejected = 0;
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      fc.assert(fc.property(propsArb, p => {
        let chart: Chart;
        try {
          chart = build(p).chart;
        } catch (e) {
          if (!isLibraryError(e)) throw e;
          rejected++;
          return;
        }
        let out: any[];
        try {
          out = synthValid(chart);
        } catch (e) {
          if (isLibraryError(e)) {
            rejected++;
            return;
          }
          throw e;
        }
        synthesized++;
        checkInvariants(out, p);
      }), { numRuns: 300 });
    } finally {
      stderr.mockRestore();
    }
    // Both outcomes are exercised (the generators are biased towards valid input).
    expect(synthesized).toBeGreaterThan(30);
    expect(rejected).toBeGreaterThan(30);
  });

  test('valid weights always render integer weights summing to 100 with both subsets kept (make-before-break)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.boolean(), (weight, header) => {
      const chart = new Chart(Testing.app(), 'prop');
      new Mesh(chart, 'Mesh');
      new CanaryService(chart, 'Reviews', {
        namespace: 'shop',
        port: MeshPort.http(9080),
        stable: { version: 'v1', image: 'r:1' },
        canary: { version: 'v2', image: 'r:2', weight },
        canaryHeader: header ? { name: 'x-canary', value: '1' } : undefined,
      });
      const out = synthValid(chart);
      const http = findObject(out, 'VirtualService', 'reviews').spec.http;
      const weighted = http[http.length - 1].route;
      expect(weighted.map((d: any) => [d.destination.subset, d.weight])).toEqual([['v1', 100 - weight], ['v2', weight]]);
      expect(findObject(out, 'DestinationRule', 'reviews').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    }), { numRuns: 60 });
  });
});

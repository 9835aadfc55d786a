import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HttpMatch, Mesh, MeshPort, MeshService, Protocol, RetryPolicy, TrafficSource } from '../../src';
import { findObjects, synthValid } from '../helpers';

/** Our errors: thrown by a constructor/method (IstioConfigError) or aggregated by cdk8s from validations. */
function isLibraryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return false;
  return e.name === 'IstioConfigError' || /^Validation failed with the following errors/.test(e.message);
}

const namespaceArb = fc.oneof(
  fc.constantFrom('shop', 'web', 'data'),
  fc.constantFrom('Shop', 'bad_ns', '', 'a'.repeat(64)),
);
const nameArb = fc.option(fc.oneof(fc.constantFrom('api', 'reviews', 'db-1'), fc.constantFrom('API', 'x.y', '-bad')), { nil: undefined });
const portArb = fc.record({
  number: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, -1, 65536, 80.5)),
  protocol: fc.constantFrom(...Object.values(Protocol)),
  name: fc.option(fc.constantFrom('http-web', 'grpc-api', 'tcp-db', 'web', 'bad name'), { nil: undefined }),
}).map(p => MeshPort.of(p.number, p.protocol, { name: p.name }));
const durationArb = fc.option(
  fc.oneof(fc.integer({ min: 1, max: 60000 }), fc.constantFrom(0, 0.5, 1.5)).map(ms => Duration.millis(ms)),
  { nil: undefined },
);
const retriesArb = fc.option(fc.record({
  attempts: fc.integer({ min: -1, max: 12 }),
  perTryMs: fc.option(fc.integer({ min: 1, max: 30000 }), { nil: undefined }),
  retryOn: fc.option(fc.array(fc.constantFrom('5xx', 'connect-failure', 'reset', '503', 'bogus'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
}).map(r => RetryPolicy.of({
  attempts: r.attempts,
  perTryTimeout: r.perTryMs ? Duration.millis(r.perTryMs) : undefined,
  retryOn: r.retryOn,
})), { nil: undefined });

const propsArb = fc.record({
  namespace: namespaceArb,
  name: nameArb,
  ports: fc.array(portArb, { minLength: 1, maxLength: 3 }),
  replicas: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
  timeout: durationArb,
  retries: retriesArb,
  maxEjectionPercent: fc.option(fc.integer({ min: -5, max: 120 }), { nil: undefined }),
  runAsUser: fc.option(fc.constantFrom(1000, 1337, 0), { nil: undefined }),
  healthCheckPath: fc.option(fc.constantFrom('/healthz', 'healthz'), { nil: undefined }),
});

describe('MeshService properties', () => {
  test('any props either synthesize schema-valid YAML or throw the library error — never a TypeError', () => {
    fc.assert(fc.property(propsArb, p => {
      const chart = new Chart(Testing.app(), 'prop');
      new Mesh(chart, 'Mesh');
      try {
        new MeshService(chart, 'Svc', {
          namespace: p.namespace,
          name: p.name,
          ports: p.ports,
          image: 'img:1',
          replicas: p.replicas,
          timeout: p.timeout,
          retries: p.retries,
          runAsUser: p.runAsUser,
          healthCheckPath: p.healthCheckPath,
          outlierDetection: p.maxEjectionPercent === undefined ? undefined : { maxEjectionPercent: p.maxEjectionPercent },
        });
      } catch (e) {
        if (!isLibraryError(e)) throw e;
        return;
      }
      let out: any[];
      try {
        out = synthValid(chart);
      } catch (e) {
        if (isLibraryError(e)) return;
        throw e;
      }
      expect(findObjects(out, 'DestinationRule')).toHaveLength(1);
    }), { numRuns: 150 });
  });

  test('random graphs: every edge yields principal + egress + export, and nothing exists without an edge', () => {
    const graphArb = fc.record({
      services: fc.array(fc.record({ ns: fc.constantFrom('a', 'b', 'c'), http: fc.boolean() }), { minLength: 2, maxLength: 6 }),
      edges: fc.array(fc.record({
        from: fc.nat(),
        to: fc.nat(),
        methods: fc.option(fc.array(fc.constantFrom('GET', 'POST', 'FETCH'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
        paths: fc.option(fc.array(fc.constantFrom('/api/*', '/x', '/a/*/b'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
        prefix: fc.option(fc.constantFrom('/v1/', '/v2'), { nil: undefined }),
      }), { maxLength: 10 }),
    });
    fc.assert(fc.property(graphArb, g => {
      const chart = new Chart(Testing.app(), 'graph');
      new Mesh(chart, 'Mesh');
      const svcs = g.services.map((s, i) => new MeshService(chart, `S${i}`, {
        namespace: s.ns, port: s.http ? MeshPort.http(8080) : MeshPort.tcp(5432), image: `s${i}:1`,
      }));
      const declared = new Set<string>();
      for (const e of g.edges) {
        const src = svcs[e.from % svcs.length];
        const dst = svcs[e.to % svcs.length];
        try {
          dst.allowFrom(src, { methods: e.methods, paths: e.paths, pathMatches: e.prefix ? [HttpMatch.prefix(e.prefix)] : undefined });
          declared.add(`${src.namespace}/${src.serviceName}>${dst.namespace}/${dst.serviceName}`);
        } catch (err) {
          if (!isLibraryError(err)) throw err;
        }
      }
      // an edge from outside the app (namespace-wide) to check namespaces rendering
      svcs[0].allowFrom(TrafficSource.namespace('batch'));
      const out = synthValid(chart);
      const fromPolicies = new Set<string>();
      for (const p of findObjects(out, 'AuthorizationPolicy')) {
        for (const r of p.spec.rules) {
          expect(r.from?.length).toBeGreaterThan(0);
          for (const pr of r.from[0].source.principals ?? []) {
            const [, ns, sa] = /^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(pr)!;
            fromPolicies.add(`${ns}/${sa}>${p.metadata.namespace}/${p.spec.selector.matchLabels.app}`);
          }
        }
      }
      const fromSidecars = new Set<string>();
      for (const s of findObjects(out, 'Sidecar')) {
        expect(s.spec.outboundTrafficPolicy.mode).toBe('REGISTRY_ONLY');
        for (const h of s.spec.egress[0].hosts) {
          if (h === 'istio-system/*') continue;
          const [ns, fqdn] = h.split('/');
          fromSidecars.add(`${s.metadata.namespace}/${s.spec.workloadSelector.labels.app}>${ns}/${fqdn.split('.')[0]}`);
        }
      }
      expect([...fromPolicies].sort()).toEqual([...declared].sort());
      expect([...fromSidecars].sort()).toEqual([...declared].sort());
      for (const dr of findObjects(out, 'DestinationRule')) {
        const callers = [...declared].filter(d => d.endsWith(`>${dr.metadata.namespace}/${dr.metadata.name}`)).map(d => d.split('/')[0]);
        const expected = ['.', ...new Set(callers.filter(ns => ns !== dr.metadata.namespace))].sort();
        if (dr.metadata.name === svcs[0].serviceName && dr.metadata.namespace === svcs[0].namespace) expected.push('batch');
        expect([...dr.spec.exportTo].sort()).toEqual([...new Set(expected)].sort());
      }
    }), { numRuns: 60 });
  });
});

import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AllowOptions, ITrafficSource, Mesh, MeshPort, MeshService, MtlsMode, TrafficSource } from '../../src';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust-namespace';
import { findObjects, synthValid } from '../helpers';
import { expectZeroTrustInvariants } from './zero-trust-invariants';

/** Our errors: thrown by a constructor/method (IstioConfigError) or aggregated by cdk8s from validations. */
function isLibraryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return false;
  return e.name === 'IstioConfigError' || /^Validation failed with the following errors/.test(e.message);
}

/**
 * Access granted by the rendered ALLOW policies, as (source identity, destination) pairs: the identity is a principal or
 * a namespace, the destination is the policy's namespace and workload selector (or the whole namespace) together with
 * the operation and request-principal requirement of the rule. ALLOW policies are additive, so this set is what the
 * mesh lets through (beyond the allow-nothing baseline, which grants nothing).
 */
function accessOf(out: any[]): Set<string> {
  const access = new Set<string>();
  for (const ap of findObjects(out, 'AuthorizationPolicy')) {
    if ((ap.spec.action ?? 'ALLOW') !== 'ALLOW' || ap.spec.rules === undefined) continue;
    const target = `${ap.metadata.namespace}/${ap.spec.selector ? JSON.stringify(ap.spec.selector.matchLabels) : '*'}`;
    for (const rule of ap.spec.rules) {
      const op = JSON.stringify(rule.to ?? null);
      for (const f of rule.from ?? [{ source: {} }]) {
        const jwt = JSON.stringify(f.source.requestPrincipals ?? null);
        const ids = [...(f.source.principals ?? []).map((p: string) => `p:${p}`), ...(f.source.namespaces ?? []).map((n: string) => `n:${n}`)];
        for (const id of ids.length > 0 ? ids : ['*']) access.add(`${id} -> ${target} ${op} ${jwt}`);
      }
    }
  }
  return access;
}

// ------------------------------------------------------------------------------------------- a small fixed universe

const ZT_NAMESPACES = ['a', 'b', 'c'];
const SERVICES: Array<[string, string]> = [['S0', 'a'], ['S1', 'b'], ['S2', 'c'], ['S3', 'a']];
const OPTIONS: AllowOptions[] = [{}, { ports: [8080] }, { methods: ['GET'] }, { paths: ['/api/*'] }, { requireJwt: true }];

interface Edge { readonly src: number; readonly dst: number; readonly opt: number }

const edgeArb: fc.Arbitrary<Edge> = fc.record({ src: fc.nat(9), dst: fc.nat(6), opt: fc.nat(OPTIONS.length - 1) });

/** Builds the app for a list of edges; edges the library refuses (a service allowing itself) are skipped identically in every build. */
function build(edges: Edge[]): { out: any[]; mesh: Mesh; sources: ITrafficSource[]; destinations: Array<ZeroTrustNamespace | MeshService> } {
  const app = Testing.app();
  const chart = new Chart(app, 'graph');
  const mesh = new Mesh(chart, 'Mesh');
  const zts = ZT_NAMESPACES.map(n => new ZeroTrustNamespace(chart, n.toUpperCase(), { name: n }));
  const svcs = SERVICES.map(([id, ns]) => new MeshService(chart, id, { namespace: ns, port: MeshPort.http(8080), image: `${id.toLowerCase()}:1` }));
  const sources: ITrafficSource[] = [...zts, ...svcs, TrafficSource.serviceAccount('ops', 'prober'), TrafficSource.namespace('batch'), TrafficSource.serviceAccount('ops', 'batch-runner')];
  const destinations: Array<ZeroTrustNamespace | MeshService> = [...zts, ...svcs];
  for (const e of edges) {
    const src = sources[e.src % sources.length];
    const dst = destinations[e.dst % destinations.length];
    try {
      dst.allowFrom(src, OPTIONS[e.opt]);
    } catch (err) {
      if (!isLibraryError(err)) throw err;
    }
  }
  const out = synthValid(app);
  expectZeroTrustInvariants(out, mesh, zts);
  return { out, mesh, sources, destinations };
}

function isSubset(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter(x => !b.has(x));
}

describe('ZeroTrustNamespace properties', () => {
  test('metamorphic: adding an allowFrom edge never removes access, and removing one never adds access', () => {
    fc.assert(fc.property(fc.array(edgeArb, { maxLength: 8 }), edgeArb, fc.nat(), (edges, extra, drop) => {
      // GIVEN an app with some edges
      const base = build(edges);
      const before = accessOf(base.out);
      // WHEN one edge is added
      const added = build([...edges, extra]);
      const withExtra = accessOf(added.out);
      // THEN everything granted before is still granted, and the new edge's grant exists (unless it was refused)
      expect(isSubset(before, withExtra)).toEqual([]);
      const src = added.sources[extra.src % added.sources.length];
      const dst = added.destinations[extra.dst % added.destinations.length];
      const selfGrant = dst instanceof MeshService && src === (dst as ITrafficSource);
      if (!selfGrant) {
        const id = src.sourceServiceAccount !== undefined ? `p:${added.mesh.principal(src.sourceNamespace, src.sourceServiceAccount)}` : `n:${src.sourceNamespace}`;
        const ns = dst instanceof ZeroTrustNamespace ? dst.name : dst.namespace;
        expect([...withExtra].some(x => x.startsWith(`${id} -> ${ns}/`))).toBe(true);
      }
      // WHEN one edge is removed
      if (edges.length > 0) {
        const i = drop % edges.length;
        const removed = build(edges.filter((_, j) => j !== i));
        // THEN nothing is granted that was not granted with the edge
        expect(isSubset(accessOf(removed.out), before)).toEqual([]);
      }
    }), { numRuns: 40 });
  });

  test('access is exactly the declared edges: every pair comes from an edge, and every accepted edge yields a pair', () => {
    fc.assert(fc.property(fc.array(edgeArb, { maxLength: 10 }), edges => {
      const { out, mesh } = build(edges);
      const declared = new Set(mesh.edges.map(e => (e.sourceServiceAccount !== undefined
        ? `p:${mesh.principal(e.sourceNamespace, e.sourceServiceAccount)}`
        : `n:${e.sourceNamespace}`) + ` -> ${e.destinationNamespace}`));
      const rendered = new Set([...accessOf(out)].map(x => x.slice(0, x.indexOf('/', x.indexOf(' -> ')))));
      expect([...rendered].sort()).toEqual([...declared].sort());
    }), { numRuns: 40 });
  });

  // --------------------------------------------------------------------------------------------- props totality

  /** Mostly valid values (so that many runs synthesize), sometimes bad ones. */
  function mostly<T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
    return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: bad as fc.Arbitrary<T>, weight: 1 });
  }
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

  const labelsArb = opt(mostly(
    fc.dictionary(fc.constantFrom('team', 'example.com/owner', 'tier'), fc.constantFrom('a', 'checkout', 'v1.2'), { maxKeys: 2 }),
    fc.dictionary(
      fc.constantFrom('istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode', 'istio-discovery', 'bad key!', '', 'team'),
      fc.constantFrom('enabled', 'ambient', 'bad value!', '', 'x'),
      { minKeys: 1, maxKeys: 2 },
    ),
  ));
  const exceptionArb = mostly(
    fc.record({
      selector: fc.constantFrom({ app: 'legacy' }, { app: 'cache', tier: 'db' }) as fc.Arbitrary<{ [k: string]: string }>,
      port: fc.integer({ min: 1, max: 65535 }),
      mode: fc.constantFrom(MtlsMode.PERMISSIVE, MtlsMode.DISABLE),
      reason: fc.constantFrom('scraped without mTLS', 'cloud LB health checks'),
    }),
    fc.record({
      selector: fc.constantFrom(undefined, {}, { 'bad key!': 'x' }, { app: 'legacy' }) as fc.Arbitrary<any>,
      port: fc.constantFrom(0, -1, 65536, 80.5, 8080),
      mode: fc.constantFrom(MtlsMode.STRICT, MtlsMode.UNSET, 'BOGUS' as MtlsMode, MtlsMode.PERMISSIVE),
      reason: fc.constantFrom('', '  ', undefined as unknown as string, 'ok'),
    }),
  );
  const mtlsArb = mostly(
    fc.constantFrom({}, { mtlsMode: MtlsMode.STRICT }, { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: 'legacy clients' }),
    fc.constantFrom(
      { mtlsMode: MtlsMode.PERMISSIVE }, { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: ' ' }, { permissiveReason: 'x' },
      { mtlsMode: MtlsMode.DISABLE }, { mtlsMode: MtlsMode.UNSET }, { mtlsMode: 'NOPE' as MtlsMode },
    ) as fc.Arbitrary<{ mtlsMode?: MtlsMode; permissiveReason?: string }>,
  );
  const propsArb = fc.record({
    name: opt(mostly(
      fc.constantFrom('shop', 'payments', 'a-b', 'x1'),
      fc.oneof(fc.constantFrom('Shop', 'bad_ns', '', 'a'.repeat(64), 'kube-system', 'kube-public', 'istio-system', '-x'), fc.string({ maxLength: 12 })),
    )),
    revisionTag: opt(mostly(fc.constantFrom('prod-stable', 'default', '1-30-3'), fc.oneof(fc.constantFrom('1.30.3', 'Prod', ''), fc.string({ maxLength: 8 })))),
    labels: labelsArb,
    mtls: mtlsArb,
    portLevelMtls: opt(fc.array(exceptionArb, { maxLength: 3 })),
    dryRun: opt(mostly(fc.boolean(), fc.constant('yes' as unknown as boolean))),
    denyPlaintext: fc.option(mostly(fc.boolean(), fc.constant(1 as unknown as boolean)), { nil: undefined, freq: 4 }),
    allowSystemNamespace: fc.option(fc.boolean(), { nil: undefined, freq: 10 }),
  });
  const jwtArb = opt(fc.record({
    issuer: mostly(fc.constantFrom('https://id.example.com', 'issuer-1'), fc.oneof(fc.constantFrom('', '  ', 'a b'), fc.string({ maxLength: 10 }))),
    jwksUri: mostly(
      fc.oneof(fc.constant('https://id.example.com/jwks'), fc.webUrl({ validSchemes: ['https'] })),
      fc.oneof(fc.constantFrom('http://id.example.com/jwks', 'https://127.0.0.1/k', 'https://keys.svc.cluster.local/k', 'https://localhost/k', 'not a url', ''), fc.string({ maxLength: 10 })),
    ),
    audiences: mostly(fc.constant(['shop'] as string[]), fc.oneof(fc.constant([]), fc.constant(['']), fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }))),
    namespaceWide: fc.boolean(),
  }));
  const allowArb = opt(fc.record({
    ports: opt(mostly(
      fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }),
      fc.array(fc.constantFrom(0, 70000, 1.5), { maxLength: 2 }),
    )),
    methods: opt(mostly(fc.array(fc.constantFrom('GET', 'POST'), { minLength: 1, maxLength: 2 }), fc.array(fc.constantFrom('FETCH', 'get'), { maxLength: 2 }))),
    paths: opt(mostly(fc.array(fc.constantFrom('/api/*', '/x', '*.png'), { minLength: 1, maxLength: 2 }), fc.array(fc.constantFrom('/a/*/b', 'relative', ''), { maxLength: 2 }))),
  }));

  test('any props, grants and JWT options either synthesize schema-valid, analyzer-clean YAML with the invariants, or throw the library error', () => {
    let synthesized = 0;
    fc.assert(fc.property(propsArb, jwtArb, allowArb, (props, jwt, allow) => {
      const app = Testing.app();
      const chart = new Chart(app, 'prop');
      const mesh = new Mesh(chart, 'Mesh');
      let z: ZeroTrustNamespace;
      try {
        const { mtls, ...rest } = props;
        z = new ZeroTrustNamespace(chart, 'Zt', { ...rest, ...mtls });
      } catch (e) {
        if (!isLibraryError(e)) throw e;
        return;
      }
      const web = new MeshService(chart, 'Web', { namespace: z.name, port: MeshPort.http(8080), image: 'web:1' });
      try {
        if (allow) z.allowFrom(TrafficSource.namespace('frontend'), allow);
        if (jwt) {
          z.requireJwt({ issuer: jwt.issuer, jwksUri: jwt.jwksUri, audiences: jwt.audiences, services: jwt.namespaceWide ? undefined : [web] });
        }
      } catch (e) {
        if (!isLibraryError(e)) throw e;
      }
      let out: any[];
      try {
        out = synthValid(app); // runs every validation, the MeshAnalyzer included (error findings throw)
      } catch (e) {
        if (isLibraryError(e)) return;
        throw e;
      }
      expectZeroTrustInvariants(out, mesh, [z]);
      synthesized++;
    }), { numRuns: 200 });
    // not vacuous: a good share of the runs produced output
    expect(synthesized).toBeGreaterThan(20);
  });
});

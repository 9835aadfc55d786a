import { App, Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { Mesh } from '../../src/mesh/mesh';
import { ITrafficSource, TrafficSource } from '../../src/mesh/traffic-source';
import { EgressControlledService, EgressControlledServiceProps, EgressGatewayOptions } from '../../src/patterns/egress-controlled-service';
import { MeshService } from '../../src/patterns/mesh-service';
import { ServiceEntryResolution } from '../../src/values/istio-enums';
import { MeshPort } from '../../src/values/mesh-port';
import { Protocol } from '../../src/values/protocol';
import { findObjects, synthValid } from '../helpers';

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries: mostly plausible input with a good share of bad input.
// ---------------------------------------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const fqdn = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'io', 'example.org', 'net'))
  .map(([labels, tld]) => `${labels.join('.')}.${tld}`);
const host = fc.oneof(
  { weight: 8, arbitrary: fqdn },
  { weight: 2, arbitrary: fqdn.map(h => `*.${h}`) },
  { weight: 1, arbitrary: label },
  { weight: 1, arbitrary: fc.constantFrom('203.0.113.7', '10.0.0.0/8', '::1', '*', '', 'API.Example.com', 'api.example.com.', 'a..b.com', 'x.svc.cluster.local', 'a*b.example.com') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const protocols = [
  Protocol.HTTP, Protocol.HTTP2, Protocol.HTTPS, Protocol.GRPC, Protocol.TCP, Protocol.TLS, Protocol.MONGO, Protocol.MYSQL, Protocol.REDIS,
];
const portNumber = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(80, 443, 5432, 8080, 9090, 27017) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 70000 }) },
);
const port = fc.record({ number: portNumber, protocol: fc.constantFrom(...protocols), targetPort: fc.option(portNumber, { nil: undefined }) })
  .map(p => MeshPort.of(p.number, p.protocol, p.targetPort === undefined ? {} : { targetPort: p.targetPort }));

const address = fc.constantFrom('203.0.113.10', '203.0.113.11', '198.51.100.0/24', '10.20.0.0/16', '2001:db8::1', 'not-an-ip');
const resolution = fc.option(fc.constantFrom(...Object.values(ServiceEntryResolution)), { nil: undefined });
const namespaceName = fc.constantFrom('shop', 'billing', 'books', 'reports');

const gateway: fc.Arbitrary<EgressGatewayOptions | undefined> = fc.option(fc.oneof(
  fc.constant({}),
  fc.constant({ namespace: 'gw', selector: { app: 'egress' }, serviceName: 'egress', port: 8443 }),
  fc.constant({ selector: {} }),
  fc.record({ port: fc.option(portNumber, { nil: undefined }), namespace: fc.option(fc.constantFrom('istio-egress', 'egress', 'Bad_NS'), { nil: undefined }) }),
), { nil: undefined });

const BY_PREFIX: { [prefix: string]: Protocol } = {
  http: Protocol.HTTP, https: Protocol.HTTPS, tls: Protocol.TLS, tcp: Protocol.TCP, grpc: Protocol.GRPC, http2: Protocol.HTTP2, mongo: Protocol.MONGO,
};

/** Props a careful user would write: mostly valid, so the output side of the property gets exercised. */
const plausibleProps: fc.Arbitrary<EgressControlledServiceProps> = fc.record({
  hosts: fc.uniqueArray(fqdn, { minLength: 1, maxLength: 2 }),
  ports: fc.uniqueArray(fc.constantFrom('http-80', 'https-443', 'tls-8443', 'tcp-5432', 'grpc-9090', 'http2-8080', 'mongo-27017'), { minLength: 1, maxLength: 2 })
    .map(names => names.map(n => {
      const [proto, num] = n.split('-');
      return MeshPort.of(Number(num), BY_PREFIX[proto]);
    })),
  addresses: fc.option(fc.constantFrom(['203.0.113.10'], ['203.0.113.10', '203.0.113.11']), { nil: undefined }),
  egressGateway: fc.option(fc.constantFrom({}, { namespace: 'gw', selector: { app: 'egress' }, serviceName: 'egress', port: 8443 }), { nil: undefined }),
  originateTls: fc.option(fc.boolean(), { nil: undefined }),
  timeout: fc.option(fc.integer({ min: 100, max: 20000 }).map(ms => Duration.millis(ms)), { nil: undefined }),
  namespace: fc.option(fc.constantFrom('egress-config', 'shop'), { nil: undefined }),
}, { requiredKeys: ['hosts', 'ports'] });

/** Anything, including a lot of bad input. */
const wildProps: fc.Arbitrary<EgressControlledServiceProps> = fc.record({
  hosts: fc.array(host, { minLength: 0, maxLength: 3 }),
  ports: fc.array(port, { minLength: 0, maxLength: 3 }),
  resolution,
  addresses: fc.option(fc.uniqueArray(address, { minLength: 0, maxLength: 2 }), { nil: undefined }),
  dnsAutoAllocate: fc.option(fc.boolean(), { nil: undefined }),
  allowWildcardHosts: fc.option(fc.boolean(), { nil: undefined }),
  egressGateway: gateway,
  originateTls: fc.option(fc.boolean(), { nil: undefined }),
  sni: fc.option(fc.oneof(fqdn, label), { nil: undefined }),
  disableSni: fc.option(fc.boolean(), { nil: undefined }),
  subjectAltNames: fc.option(fc.array(fqdn, { minLength: 0, maxLength: 2 }), { nil: undefined }),
  insecureSkipVerify: fc.option(fc.boolean(), { nil: undefined }),
  timeout: fc.option(fc.integer({ min: 0, max: 20000 }).map(ms => Duration.millis(ms)), { nil: undefined }),
  namespace: fc.option(fc.constantFrom('egress-config', 'istio-system', 'shop'), { nil: undefined }),
}, { requiredKeys: ['hosts', 'ports'] });


/** Who calls: created MeshServices, imported identities, whole namespaces, and the odd bad source. */
type CallerSpec = { kind: 'service'; ns: string } | { kind: 'sa'; ns: string; sa: string } | { kind: 'namespace'; ns: string } | { kind: 'bad' };
const caller: fc.Arbitrary<CallerSpec> = fc.oneof(
  { weight: 4, arbitrary: namespaceName.map(ns => ({ kind: 'service' as const, ns })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sa' as const), ns: namespaceName, sa: label }) },
  { weight: 2, arbitrary: namespaceName.map(ns => ({ kind: 'namespace' as const, ns })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'bad' as const }) },
);

const goodCaller = caller.filter(c => c.kind !== 'bad');

/** A scenario: props and callers, either careful or wild. */
const scenario = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(plausibleProps, fc.array(goodCaller, { minLength: 1, maxLength: 4 })) },
  { weight: 1, arbitrary: fc.tuple(wildProps, fc.array(caller, { maxLength: 4 })) },
);

// ---------------------------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------------------------

interface Built {
  readonly app: App;
  readonly ext: EgressControlledService;
  readonly sources: Array<{ ns: string; principal?: string; sidecar?: string }>;
}

function build(p: EgressControlledServiceProps, callers: CallerSpec[]): Built {
  const app = new App();
  const chart = new Chart(app, 'platform');
  new Mesh(chart, 'Mesh');
  const ext = new EgressControlledService(chart, 'Ext', p);
  const sources: Array<{ ns: string; principal?: string; sidecar?: string }> = [];
  callers.forEach((c, i) => {
    let source: ITrafficSource;
    if (c.kind === 'service') {
      const svc = new MeshService(chart, `Caller${i}`, { namespace: c.ns, port: MeshPort.http(8080), image: 'caller:1' });
      source = svc;
      sources.push({ ns: c.ns, principal: `cluster.local/ns/${c.ns}/sa/${svc.serviceAccountName}`, sidecar: svc.serviceName });
    } else if (c.kind === 'sa') {
      source = TrafficSource.serviceAccount(c.ns, c.sa);
      sources.push({ ns: c.ns, principal: `cluster.local/ns/${c.ns}/sa/${c.sa}` });
    } else if (c.kind === 'namespace') {
      source = TrafficSource.namespace(c.ns);
      sources.push({ ns: c.ns });
    } else {
      source = { sourceNamespace: 'Not A Namespace', sourceDescription: 'a bad source' };
    }
    ext.allowFrom(source);
  });
  return { app, ext, sources };
}

/** Our errors: an IstioConfigError from a constructor or allowFrom, or a cdk8s validation error naming our constructs. */
function isOurError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'IstioConfigError') return /^\[[^\]]+\] \S/.test(e.message);
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return false;
  if (!e.message.startsWith('Validation failed with the following errors:')) return false;
  const lines = e.message.split('\n').slice(1).filter(l => /^\s+\[/.test(l));
  return lines.length > 0 && lines.every(l => /^\s+\[platform\/[^\]]+\] \S/.test(l));
}

const REASONS: string[] = [];
afterAll(() => {
  if (!process.env.EGRESS_DEBUG) return;
  const count = new Map<string, number>();
  for (const r of REASONS) count.set(r, (count.get(r) ?? 0) + 1);
  console.log([...count].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`).join('\n'));
});

describe('EgressControlledService properties', () => {
  test('any hosts, ports, options and callers give our error or schema-valid, consistent YAML', () => {
    let valid = 0;
    let rejected = 0;
    fc.assert(fc.property(scenario, ([p, callers]) => {
      let built: Built;
      let manifests: any[];
      try {
        built = build(p, callers);
        manifests = synthValid(built.app);
      } catch (e) {
        if (!isOurError(e)) throw e;
        rejected++;
        if (process.env.EGRESS_DEBUG) REASONS.push((e as Error).message.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"|\d+/g, '_').slice(0, 90));
        return;
      }
      valid++;
      const { ext, sources } = built;
      const gwNs = ext.egressGatewayNamespace;

      // The ServiceEntry is exported to exactly its own namespace, the callers' and the gateway's.
      const expected = [...new Set(['.', ...sources.map(s => s.ns), ...(gwNs ? [gwNs] : [])].map(n => (n === ext.namespace ? '.' : n)))].sort();
      const se = findObjects(manifests, 'ServiceEntry').filter(o => o.metadata.name === ext.name && o.metadata.namespace === ext.namespace);
      expect(se).toHaveLength(1);
      expect(se[0].spec.exportTo).toEqual(expected);
      expect(se[0].spec.location).toBe('MESH_EXTERNAL');
      expect(se[0].spec.ports.every((x: any) => typeof x.protocol === 'string')).toBe(true);
      expect([...se[0].spec.hosts].sort()).toEqual([...p.hosts].sort());

      // Every caller with a Sidecar lists every host.
      for (const s of sources.filter(x => x.sidecar)) {
        const sc = findObjects(manifests, 'Sidecar').find(o => o.metadata.name === s.sidecar && o.metadata.namespace === s.ns);
        const hosts = sc.spec.egress.flatMap((e: any) => e.hosts);
        for (const h of p.hosts) expect(hosts).toContain(`${ext.namespace}/${h}`);
        if (gwNs) expect(hosts).toContain(`${gwNs}/${ext.egressGatewayHost}`);
      }

      // With a gateway, the ALLOW policy names exactly the callers.
      if (gwNs) {
        const ap = findObjects(manifests, 'AuthorizationPolicy').filter(o => o.metadata.namespace === gwNs && o.metadata.name === ext.name);
        expect(ap).toHaveLength(1);
        const principals = ap[0].spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals ?? []));
        const namespaces = ap[0].spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.namespaces ?? []));
        expect([...new Set(principals)].sort()).toEqual([...new Set(sources.filter(s => s.principal).map(s => s.principal))].sort());
        expect([...new Set(namespaces)].sort()).toEqual([...new Set(sources.filter(s => !s.principal).map(s => s.ns))].sort());
      }

      // The analyzer has nothing to say about our objects (errors would already have stopped synth).
      const ourNamespaces = [ext.namespace, ...(gwNs ? [gwNs] : [])];
      const ours = MeshAnalyzer.analyze(manifests).filter(f => {
        const [kind, ns, name] = f.object.split('/');
        return kind !== 'Sidecar' && ourNamespaces.includes(ns) && name.startsWith(ext.name);
      });
      expect(ours.map(f => `${f.rule} ${f.object}: ${f.message}`)).toEqual([]);

      // Routes point at declared hosts and defined subsets.
      const subsets = new Set(findObjects(manifests, 'DestinationRule').flatMap(d => (d.spec.subsets ?? []).map((s: any) => `${d.spec.host}#${s.name}`)));
      for (const vs of findObjects(manifests, 'VirtualService').filter(o => o.metadata.namespace === ext.namespace && o.spec.hosts.some((h: string) => p.hosts.includes(h)))) {
        for (const section of ['http', 'tls', 'tcp']) {
          for (const r of (vs.spec[section] ?? []).flatMap((x: any) => x.route)) {
            expect([...p.hosts, ext.egressGatewayHost]).toContain(r.destination.host);
            if (r.destination.subset) expect(subsets).toContain(`${r.destination.host}#${r.destination.subset}`);
          }
        }
      }
    }), { numRuns: 300, seed: 4242 });
    // The generators must reach both outcomes, or the property says little.
    expect(valid).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });

  test('two services with random hosts: overlapping hosts are our error, disjoint ones synthesize', () => {
    const hostList = fc.array(fc.oneof(fqdn, fqdn.map(h => `*.${h}`)), { minLength: 1, maxLength: 2 });
    fc.assert(fc.property(hostList, hostList, (a, b) => {
      const app = new App();
      const chart = new Chart(app, 'platform');
      new Mesh(chart, 'Mesh');
      const svc = new MeshService(chart, 'Caller', { namespace: 'shop', port: MeshPort.http(8080), image: 'caller:1' });
      const overlap = (x: string, y: string) => x === y || (x.startsWith('*.') && y.endsWith(x.slice(1))) || (y.startsWith('*.') && x.endsWith(y.slice(1)));
      const within = (l: string[]) => l.some((x, i) => l.some((y, j) => i < j && overlap(x, y)));
      const overlaps = a.some(x => b.some(y => overlap(x, y)));
      const mk = (id: string, hosts: string[]) => new EgressControlledService(chart, id, {
        hosts, ports: [MeshPort.https(443)], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS,
      });
      try {
        mk('A', a).allowFrom(svc);
        mk('B', b).allowFrom(svc);
        synthValid(app);
      } catch (e) {
        if (!isOurError(e)) throw e;
        // THEN rejected exactly when some hosts overlap
        expect(overlaps || within(a) || within(b)).toBe(true);
        return;
      }
      expect(overlaps || within(a) || within(b)).toBe(false);
    }), { numRuns: 150, seed: 7 });
  });
});

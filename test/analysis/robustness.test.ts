import * as fc from 'fast-check';
import { load, SHOP } from './support';
import { MeshAnalyzer } from '../../src/analysis';

const KINDS: Array<[string, string]> = [
  ['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'DestinationRule'],
  ['networking.istio.io/v1', 'Gateway'], ['networking.istio.io/v1', 'ServiceEntry'], ['networking.istio.io/v1', 'Sidecar'],
  ['security.istio.io/v1', 'AuthorizationPolicy'], ['security.istio.io/v1', 'PeerAuthentication'],
  ['security.istio.io/v1', 'RequestAuthentication'], ['telemetry.istio.io/v1', 'Telemetry'],
  ['v1', 'Service'], ['v1', 'Namespace'], ['v1', 'ServiceAccount'], ['apps/v1', 'Deployment'], ['batch/v1', 'CronJob'], ['v1', 'Pod'],
];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<any>(null, true, 0, 80, -1, '', '*', 'mesh', 'reviews', '*/*', './*', 'a.b.svc.cluster.local', 'TCP', 'NONE'),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('hosts', 'host', 'http', 'tcp', 'tls', 'route', 'destination', 'subset', 'port', 'number', 'match', 'uri',
        'prefix', 'exact', 'regex', 'headers', 'gateways', 'exportTo', 'subsets', 'labels', 'selector', 'matchLabels', 'servers',
        'ports', 'name', 'weight', 'retries', 'attempts', 'resolution', 'addresses', 'egress', 'rules', 'from', 'source',
        'principals', 'mtls', 'mode', 'template', 'spec', 'metadata', 'containers', 'type', 'tls', 'credentialName', 'workloadSelector'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const object = fc.record({
  kind: fc.constantFrom(...KINDS),
  name: fc.constantFrom('a', 'b', 'reviews', 'default'),
  namespace: fc.constantFrom('shop', 'istio-system', 'other', undefined),
  spec: json,
  annotations: fc.option(fc.dictionary(fc.constantFrom('cdk8s-istio.io/suppress', 'x'), fc.string({ maxLength: 12 }), { maxKeys: 1 })),
}).map((o) => ({
  apiVersion: o.kind[0],
  kind: o.kind[1],
  metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) },
  spec: o.spec,
}));

describe('robustness', () => {
  test('no rule crashes on arbitrary (schema-invalid) specs; every finding is well-formed', () => {
    const base = load(SHOP);
    const known = new Set(MeshAnalyzer.rules().map((r) => r.id));
    const stderr = jest.spyOn(process.stderr, 'write');
    fc.assert(fc.property(fc.array(object, { maxLength: 12 }), (objects) => {
      const findings = MeshAnalyzer.analyze([...base, ...objects]);
      for (const f of findings) {
        expect(known.has(f.rule)).toBe(true);
        expect(['error', 'warning']).toContain(f.severity);
        expect(f.object).toMatch(/^[A-Za-z]+\/[^/]*\/[^/]*$/);
        expect(f.message.length).toBeGreaterThan(0);
      }
      const seen = findings.map((f) => `${f.rule} ${f.object}`);
      expect(new Set(seen).size).toBe(seen.length);
    }), { numRuns: 300, seed: 42 });
    expect(stderr).not.toHaveBeenCalledWith(expect.stringContaining('failed (please report this bug)'));
    stderr.mockRestore();
  });
});

import * as path from 'path';
import { findObjects, synthExample } from '../helpers';

/**
 * The mesh-model acceptance check on the bookstore example: for every allowFrom edge, the ALLOW principal on
 * the destination, the egress host on the source's Sidecar and the source namespace in the destination's
 * exportTo all exist — and no principal, egress host or export exists without an edge.
 */
describe('bookstore example: the three derived facts agree with the declared graph', () => {
  const files = synthExample(path.join(__dirname, '..', '..', 'examples', 'bookstore'));
  const objects = Object.values(files).flat();

  const services = findObjects(objects, 'Service');
  const serviceAccountOf = (app: string, ns: string) =>
    findObjects(objects, 'Deployment').find(d => d.metadata.namespace === ns && d.spec.template.metadata.labels.app === app)!.spec.template.spec.serviceAccountName;
  const host = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;

  // Edges as the three kinds of objects show them.
  const granted = new Set<string>(); // "<srcNs>/<srcSa> -> <dstNs>/<dst>"
  for (const p of findObjects(objects, 'AuthorizationPolicy')) {
    const dst = `${p.metadata.namespace}/${p.spec.selector.matchLabels.app}`;
    for (const r of p.spec.rules) {
      for (const f of r.from) {
        for (const pr of f.source.principals ?? []) {
          const m = /^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/.exec(pr)!;
          granted.add(`${m[1]}/${m[2]} -> ${dst}`);
        }
      }
    }
  }
  const egress = new Set<string>();
  for (const s of findObjects(objects, 'Sidecar')) {
    const app = s.spec.workloadSelector.labels.app;
    const sa = serviceAccountOf(app, s.metadata.namespace);
    for (const h of s.spec.egress[0].hosts) {
      if (h === 'istio-system/*') continue;
      const [ns, fqdn] = h.split('/');
      egress.add(`${s.metadata.namespace}/${sa} -> ${ns}/${fqdn.split('.')[0]}`);
    }
  }
  const exported = new Set<string>(); // "<srcNs> -> <dstNs>/<dst>"
  for (const dr of findObjects(objects, 'DestinationRule')) {
    for (const ns of dr.spec.exportTo) if (ns !== '.') exported.add(`${ns} -> ${dr.metadata.namespace}/${dr.metadata.name}`);
  }

  test('the example is big enough: ≥ 8 services in 3 namespaces, ≥ 12 edges', () => {
    expect(services.length).toBeGreaterThanOrEqual(8);
    expect(new Set(services.map(s => s.metadata.namespace)).size).toBeGreaterThanOrEqual(3);
    expect(granted.size).toBeGreaterThanOrEqual(12);
  });

  test('every ALLOW principal has the matching Sidecar egress host, and vice versa', () => {
    expect([...egress].sort()).toEqual([...granted].sort());
  });

  test('every cross-namespace edge is exported to the caller namespace, and nothing else is exported', () => {
    const expected = new Set([...granted]
      .map(e => { const [src, dst] = e.split(' -> '); return [src.split('/')[0], dst] as const; })
      .filter(([srcNs, dst]) => srcNs !== dst.split('/')[0])
      .map(([srcNs, dst]) => `${srcNs} -> ${dst}`));
    expect([...exported].sort()).toEqual([...expected].sort());
    for (const vs of findObjects(objects, 'VirtualService')) {
      const dr = findObjects(objects, 'DestinationRule').find(d => d.spec.host === vs.spec.hosts[0])!;
      expect(vs.spec.exportTo).toEqual(dr.spec.exportTo);
    }
  });

  test('Sidecars are REGISTRY_ONLY and hosts are FQDNs', () => {
    for (const s of findObjects(objects, 'Sidecar')) expect(s.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    for (const dr of findObjects(objects, 'DestinationRule')) expect(dr.spec.host).toBe(host(dr.metadata.name, dr.metadata.namespace));
  });
});

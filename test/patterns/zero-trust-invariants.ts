import { Mesh } from '../../src';
import { MeshServiceBase } from '../../src/patterns/mesh-service-base';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust-namespace';
import { findObject, findObjects } from '../helpers';

/** Every object of namespace `ns` (and the Namespace itself). */
export function inNamespace(out: any[], ns: string): any[] {
  return out.filter(o => (o.kind === 'Namespace' ? o.metadata.name : o.metadata?.namespace) === ns);
}

/**
 * The security invariants every output must satisfy, for every zero-trust namespace of the app (shared by
 * zero-trust-namespace.test.ts and zero-trust-namespace.property.test.ts):
 * - the Namespace carries exactly one membership label, `istio.io/rev`;
 * - exactly one namespace-wide PeerAuthentication, named `default`: STRICT, or PERMISSIVE with a recorded reason;
 * - exactly one allow-nothing policy;
 * - every ALLOW rule is non-empty and names principals or namespaces of a declared edge (no empty `from`, no negative
 *   match), except the ingress-gateway exception, which is selected by one of `gatewaySelectors` (the gateways' pod
 *   labels) and only names ports;
 * - the namespace Sidecar is REGISTRY_ONLY with exactly one egress listing exactly the derived egress hosts;
 * - and, anywhere in the output, no `exportTo: ['*']` without a reason.
 */
export function expectZeroTrustInvariants(
  out: any[], mesh: Mesh, namespaces: ZeroTrustNamespace[], gatewaySelectors: Array<{ [k: string]: string }> = [],
): void {
  const edges = mesh.edges;
  for (const z of namespaces) {
    const ns = z.name;
    const objs = inNamespace(out, ns);

    const nsObj = findObject(out, 'Namespace', ns);
    const membership = ['istio.io/rev', 'istio-injection', 'istio.io/dataplane-mode'].filter(k => k in (nsObj.metadata.labels ?? {}));
    expect(membership).toEqual(['istio.io/rev']);

    const nsWidePa = findObjects(objs, 'PeerAuthentication').filter(p => p.spec.selector === undefined);
    expect(nsWidePa).toHaveLength(1);
    expect(nsWidePa[0].metadata.name).toBe('default');
    if (nsWidePa[0].spec.mtls.mode !== 'STRICT') {
      expect(nsWidePa[0].spec.mtls.mode).toBe('PERMISSIVE');
      expect(nsWidePa[0].metadata.annotations?.[ZeroTrustNamespace.PERMISSIVE_REASON_ANNOTATION]).toBeTruthy();
    }

    const aps = findObjects(objs, 'AuthorizationPolicy');
    expect(aps.filter(a => JSON.stringify(a.spec) === '{}')).toHaveLength(1);

    const granted = new Set<string>();
    for (const e of edges.filter(x => x.destinationNamespace === ns)) {
      granted.add(e.sourceServiceAccount !== undefined ? `p:${mesh.principal(e.sourceNamespace, e.sourceServiceAccount)}` : `n:${e.sourceNamespace}`);
    }
    for (const ap of aps.filter(a => (a.spec.action ?? 'ALLOW') === 'ALLOW' && a.spec.rules !== undefined)) {
      expect(ap.spec.rules.length).toBeGreaterThan(0);
      for (const rule of ap.spec.rules) {
        expect(Object.keys(rule).length).toBeGreaterThan(0);
        const gatewayException = rule.from === undefined
          && gatewaySelectors.some(s => JSON.stringify(s) === JSON.stringify(ap.spec.selector?.matchLabels))
          && rule.to?.every((t: any) => Object.keys(t.operation).join() === 'ports');
        if (gatewayException) continue;
        expect(rule.from?.length).toBeGreaterThan(0);
        for (const f of rule.from) {
          const ids = [...(f.source.principals ?? []).map((p: string) => `p:${p}`), ...(f.source.namespaces ?? []).map((n: string) => `n:${n}`)];
          expect(ids.length).toBeGreaterThan(0);
          for (const id of ids) expect(granted).toContain(id);
          for (const neg of ['notPrincipals', 'notNamespaces', 'notRequestPrincipals', 'notIpBlocks']) expect(f.source[neg]).toBeUndefined();
          expect(Object.keys(f.source).filter(k => k.startsWith('not'))).toEqual([]);
        }
      }
    }

    const sidecars = findObjects(objs, 'Sidecar').filter(s => s.spec.workloadSelector === undefined);
    expect(sidecars).toHaveLength(1);
    expect(sidecars[0].spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    const derived = new Set<string>(['./*', `${mesh.rootNamespace}/*`]);
    for (const e of edges.filter(x => x.sourceNamespace === ns)) e.egressHosts.forEach(h => derived.add(h));
    expect(sidecars[0].spec.egress).toHaveLength(1);
    expect([...sidecars[0].spec.egress[0].hosts].sort()).toEqual([...derived].sort());
  }
  for (const o of out) {
    if (Array.isArray(o.spec?.exportTo) && o.spec.exportTo.includes('*')) {
      expect(o.metadata.annotations?.[MeshServiceBase.EXPORT_TO_ALL_REASON_ANNOTATION]).toBeTruthy();
    }
  }
}

import { isMeshBound, listText, nonMeshGateways, q, resolveGatewayRef, vsHosts } from '../helpers';
import { arr, KubeObject, RawFinding, rec, Rule } from '../model';
import { hostsOverlap, ObjectIndex } from '../object-index';

/** Server hosts of a Gateway that admit VirtualServices from `vsNamespace` (the `ns/` part honoured). */
export function admittedGatewayHosts(index: ObjectIndex, gw: KubeObject, vsNamespace: string): string[] {
  const gwNs = index.namespaceOf(gw);
  const out: string[] = [];
  for (const server of arr(rec(gw.spec).servers)) {
    for (const h of arr(rec(server).hosts)) {
      if (typeof h !== 'string' || !h) continue;
      const slash = h.indexOf('/');
      if (slash < 0) {
        out.push(h.toLowerCase());
        continue;
      }
      const nsPart = h.slice(0, slash);
      const hostPart = h.slice(slash + 1).toLowerCase();
      const ns = nsPart === '.' ? gwNs : nsPart;
      if (ns === '*' || ns === vsNamespace) out.push(hostPart);
    }
  }
  return out;
}

/** A gateway-bound VirtualService has hosts that its Gateway's servers do not admit. */
export const VIRTUALSERVICE_HOST_NOT_IN_GATEWAY: Rule = {
  id: 'virtualservice-host-not-in-gateway',
  severity: 'warning',
  codes: ['IST0132'],
  summary: 'A VirtualService bound to a Gateway has hosts that the Gateway\'s servers (with their ns/ restrictions) do not admit.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const ns = index.namespaceOf(vs);
      const hosts = vsHosts(vs).map((h) => index.expandHost(h, ns));
      if (hosts.length === 0) continue;
      const problems: string[] = [];
      const bound: Array<{ name: string; admitted: string[] }> = [];
      let allResolved = true;
      for (const ref of nonMeshGateways(vs)) {
        const r = resolveGatewayRef(ref, ns);
        const gw = r ? index.gateways.get(`${r.namespace}/${r.name}`) : undefined;
        if (!r || !gw) {
          allResolved = false;
          continue;
        }
        const admitted = admittedGatewayHosts(index, gw, ns);
        const name = `${r.namespace}/${r.name}`;
        bound.push({ name, admitted });
        if (!hosts.some((h) => admitted.some((a) => hostsOverlap(h, a)))) {
          problems.push(`none of its hosts (${listText(hosts.map(q))}) is admitted by Gateway ${name}`);
        }
      }
      if (problems.length === 0 && allResolved && bound.length > 0 && !isMeshBound(vs)) {
        const orphan = hosts.filter((h) => !bound.some((b) => b.admitted.some((a) => hostsOverlap(h, a))));
        if (orphan.length > 0) {
          problems.push(`host ${listText(orphan.map(q))} is admitted by none of its gateways (${listText(bound.map((b) => b.name))})`);
        }
      }
      if (problems.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService is bound to a Gateway but ${problems.join('; ')}; those routes are never served.`,
        hint: 'Add the host to a server of the Gateway (with a namespace part that admits this VirtualService\'s namespace, '
          + 'e.g. "<vs-namespace>/<host>"), or fix the VirtualService hosts.',
      });
    }
    return out;
  },
};

import { listText, MESH_GATEWAY, resolveGatewayRef, vsGateways } from '../helpers';
import { arr, KubeObject, RawFinding, rec, Rule } from '../model';

/** All gateway references of a VirtualService: top-level and per-match `gateways`. */
function gatewayRefs(vs: KubeObject): string[] {
  const spec = rec(vs.spec);
  const refs = [...vsGateways(vs)];
  for (const section of ['http', 'tcp', 'tls']) {
    for (const route of arr(spec[section])) {
      for (const m of arr(rec(route).match)) {
        for (const g of arr(rec(m).gateways)) if (typeof g === 'string' && g) refs.push(g);
      }
    }
  }
  return [...new Set(refs)];
}

/** A VirtualService binds to an Istio Gateway that does not exist in a namespace the app owns. */
export const GATEWAY_NOT_FOUND: Rule = {
  id: 'gateway-not-found',
  severity: 'error',
  codes: ['IST0101', 'KIA1102'],
  summary: 'A VirtualService references a Gateway that does not exist in the app (in a namespace the app owns).',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const ns = index.namespaceOf(vs);
      const missing: string[] = [];
      for (const ref of gatewayRefs(vs)) {
        if (ref === MESH_GATEWAY) continue;
        const r = resolveGatewayRef(ref, ns);
        if (!r || !index.isOwned(r.namespace)) continue;
        if (!index.gateways.has(`${r.namespace}/${r.name}`)) missing.push(`${r.namespace}/${r.name}`);
      }
      if (missing.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService is bound to Gateway ${listText(missing)}, which does not exist; the routes are never applied there.`,
        hint: 'Reference an existing Gateway as <namespace>/<name>, or create it.',
      });
    }
    return out;
  },
};

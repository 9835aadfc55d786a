import { listText, nonMeshGateways, resolveGatewayRef } from '../helpers';
import { arr, KubeObject, labelMap, RawFinding, rec, Rule } from '../model';
import { WorkloadInfo } from '../object-index';

const CLAIM_PREFIX = '@request.auth.claims';

function claimKey(vs: KubeObject): string | undefined {
  for (const route of arr(rec(vs.spec).http)) {
    for (const m of arr(rec(route).match)) {
      for (const f of ['headers', 'withoutHeaders']) {
        for (const k of Object.keys(rec(rec(m)[f]))) if (k.startsWith(CLAIM_PREFIX)) return k;
      }
    }
  }
  return undefined;
}

/**
 * JWT-claim routing (`@request.auth.claims.*` header matches) on a gateway whose workloads no RequestAuthentication
 * applies to: the claims are never populated, so the match never succeeds.
 */
export const JWT_CLAIM_ROUTING_WITHOUT_REQUESTAUTHENTICATION: Rule = {
  id: 'jwt-claim-routing-without-requestauthentication',
  severity: 'error',
  codes: ['IST0149'],
  summary: 'A VirtualService routes on JWT claims at a gateway whose workloads have no RequestAuthentication.',
  check({ index, settings }) {
    const out: RawFinding[] = [];
    const ras = index.security('RequestAuthentication');
    const covered = (w: WorkloadInfo) => ras.some((ra) => {
      const raNs = index.namespaceOf(ra);
      if (raNs !== settings.rootNamespace && raNs !== w.namespace) return false;
      const spec = rec(ra.spec);
      const sel = labelMap(rec(spec.selector).matchLabels);
      if (!sel || Object.keys(sel).length === 0) {
        // Selector-less: namespace- (or mesh-) wide, unless it targets specific resources instead.
        return arr(spec.targetRefs).length === 0 && spec.targetRef === undefined;
      }
      return index.selectorMatches(sel, w.labels);
    });
    for (const vs of index.virtualServices) {
      const key = claimKey(vs);
      if (!key) continue;
      const ns = index.namespaceOf(vs);
      const uncovered: string[] = [];
      for (const ref of nonMeshGateways(vs)) {
        const r = resolveGatewayRef(ref, ns);
        const gw = r ? index.gateways.get(`${r.namespace}/${r.name}`) : undefined;
        if (!gw) continue;
        const sel = labelMap(rec(gw.spec).selector);
        if (!sel || Object.keys(sel).length === 0) continue;
        for (const w of index.workloadsMatchingAnywhere(sel)) {
          if (!covered(w)) uncovered.push(`${w.kind}/${w.namespace}/${w.name} (Gateway ${r!.namespace}/${r!.name})`);
        }
      }
      if (uncovered.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService routes on JWT claim '${key}', but no RequestAuthentication applies to gateway workload ${listText(uncovered)}; the claim is never set and the route never matches.`,
        hint: `Add a RequestAuthentication selecting the gateway workload (in its namespace or in '${settings.rootNamespace}'), usually with an AuthorizationPolicy requiring a token.`,
      });
    }
    return out;
  },
};

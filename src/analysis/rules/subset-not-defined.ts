import { listText, q, vsDestinations, vsProxyNamespaces } from '../helpers';
import { arr, KubeObject, RawFinding, rec, Rule, str } from '../model';
import { hostCoveredBy, ObjectIndex } from '../object-index';

/** The subsets defined for `host` by DestinationRules visible to one of `fromNamespaces` (exact-host DRs win over wildcards). */
export function subsetsFor(index: ObjectIndex, host: string, fromNamespaces: string[]): Set<string> {
  let drs = index.destinationRulesFor(host);
  if (drs.length === 0) {
    // Most specific wildcard DestinationRules covering the host.
    let best = -1;
    let chosen: KubeObject[] = [];
    for (const [h, list] of index.destinationRulesByHost) {
      if (!h.startsWith('*') || !hostCoveredBy(host, h)) continue;
      if (h.length > best) {
        best = h.length;
        chosen = [...list];
      } else if (h.length === best) {
        chosen.push(...list);
      }
    }
    drs = chosen;
  }
  const out = new Set<string>();
  for (const dr of drs) {
    if (!fromNamespaces.some((ns) => index.isVisibleTo(dr, ns))) continue;
    for (const s of arr(rec(dr.spec).subsets)) {
      const name = str(rec(s).name);
      if (name) out.add(name);
    }
  }
  return out;
}

/** True when the app is authoritative for the DestinationRules of `host`. */
function checkable(index: ObjectIndex, host: string): boolean {
  if (host.startsWith('*')) return false;
  if (!index.isClusterLocal(host)) return true;
  const parsed = index.parseServiceHost(host);
  return parsed !== undefined && index.isOwned(parsed.namespace);
}

/** A VirtualService routes to a subset that no DestinationRule for the host defines. */
export const SUBSET_NOT_DEFINED: Rule = {
  id: 'subset-not-defined',
  severity: 'error',
  codes: ['IST0101', 'KIA1107'],
  summary: 'A VirtualService routes to a subset that no DestinationRule in the app defines for that host.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const ns = index.namespaceOf(vs);
      const proxies = vsProxyNamespaces(index, vs);
      const bad: string[] = [];
      for (const d of vsDestinations(vs)) {
        if (!d.subset) continue;
        const host = index.expandHost(d.host, ns);
        if (!checkable(index, host)) continue;
        if (!subsetsFor(index, host, proxies).has(d.subset)) bad.push(`${q(d.subset)} of ${host}`);
      }
      if (bad.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService routes to subset ${listText(bad)}, but no DestinationRule visible from namespace ${q(ns)} defines it; requests get 503.`,
        hint: 'Define the subset in the DestinationRule of that host (in the service namespace, exported to the caller) '
          + 'and apply it before the VirtualService that uses it.',
      });
    }
    return out;
  },
};

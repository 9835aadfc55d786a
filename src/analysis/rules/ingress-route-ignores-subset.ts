import { isMeshBound, listText, nonMeshGateways, q, routeEntryDestinations, vsHosts } from '../helpers';
import { arr, KubeObject, RawFinding, rec, Rule } from '../model';

/**
 * A gateway-bound VirtualService routes to a host without a subset while a mesh VirtualService for that host
 * splits traffic by subset: the mesh rules do not apply to requests coming from the gateway.
 */
export const INGRESS_ROUTE_IGNORES_SUBSET: Rule = {
  id: 'ingress-route-ignores-subset',
  severity: 'warning',
  codes: ['IST0140'],
  summary: 'A gateway VirtualService routes to a host whose mesh VirtualService routes by subset; the gateway traffic bypasses those rules.',
  check({ index }) {
    // host -> mesh-bound VirtualServices that route that host (their own host) by subset
    const subsetRouted = new Map<string, KubeObject[]>();
    for (const vs of index.virtualServices) {
      if (!isMeshBound(vs)) continue;
      const ns = index.namespaceOf(vs);
      const own = new Set(vsHosts(vs).map((h) => index.expandHost(h, ns)));
      for (const route of arr(rec(vs.spec).http)) {
        for (const d of routeEntryDestinations(route, 'http')) {
          const h = index.expandHost(d.host, ns);
          if (!d.subset || !own.has(h)) continue;
          const list = subsetRouted.get(h) ?? [];
          if (!list.includes(vs)) list.push(vs);
          subsetRouted.set(h, list);
        }
      }
    }
    const out: RawFinding[] = [];
    if (subsetRouted.size === 0) return out;
    for (const vs of index.virtualServices) {
      if (nonMeshGateways(vs).length === 0) continue;
      const ns = index.namespaceOf(vs);
      const hits: string[] = [];
      for (const route of arr(rec(vs.spec).http)) {
        for (const d of routeEntryDestinations(route, 'http')) {
          if (d.subset) continue;
          const h = index.expandHost(d.host, ns);
          const others = (subsetRouted.get(h) ?? []).filter((o) => o !== vs);
          if (others.length > 0) hits.push(`${q(h)} (subset routing in ${listText(others.map((o) => index.objectRef(o)))})`);
        }
      }
      if (hits.length === 0) continue;
      out.push({
        object: vs,
        message: `Gateway-bound VirtualService routes to ${listText(hits)} without a subset; the mesh VirtualService's subset rules do not apply to gateway traffic.`,
        hint: 'Route to the subsets in this gateway VirtualService too, or bind the subset-routing VirtualService to the gateway as well as to mesh.',
      });
    }
    return out;
  },
};

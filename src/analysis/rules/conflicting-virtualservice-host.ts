import { describeScope, isMeshBound, listText, q, scopesOverlap, vsHosts } from '../helpers';
import { KubeObject, RawFinding, Rule } from '../model';

/**
 * Two mesh-bound VirtualServices claim the same host with overlapping exportTo. Sidecars pick one of them
 * (undefined which); gateway-only VirtualServices are merged by Istio and are not checked.
 */
export const CONFLICTING_VIRTUALSERVICE_HOST: Rule = {
  id: 'conflicting-virtualservice-host',
  severity: 'error',
  codes: ['IST0109', 'KIA1106'],
  summary: 'Two mesh-bound VirtualServices define the same host for overlapping exportTo scopes.',
  check({ index }) {
    const byHost = new Map<string, KubeObject[]>();
    for (const vs of index.virtualServices) {
      if (!isMeshBound(vs)) continue;
      const ns = index.namespaceOf(vs);
      for (const h of new Set(vsHosts(vs).map((x) => index.expandHost(x, ns)))) {
        const list = byHost.get(h);
        if (list) list.push(vs);
        else byHost.set(h, [vs]);
      }
    }
    const conflicts = new Map<KubeObject, Map<string, Set<string>>>(); // vs -> host -> other refs
    const note = (vs: KubeObject, host: string, other: KubeObject) => {
      let hosts = conflicts.get(vs);
      if (!hosts) conflicts.set(vs, (hosts = new Map()));
      let others = hosts.get(host);
      if (!others) hosts.set(host, (others = new Set()));
      others.add(index.objectRef(other));
    };
    for (const [host, list] of byHost) {
      if (list.length < 2) continue;
      const scopes = list.map((vs) => index.exportScope(vs));
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (!scopesOverlap(scopes[i], scopes[j])) continue;
          note(list[i], host, list[j]);
          note(list[j], host, list[i]);
        }
      }
    }
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const hosts = conflicts.get(vs);
      if (!hosts) continue;
      const parts = [...hosts].map(([h, others]) => `${q(h)} (also in ${listText([...others])})`);
      out.push({
        object: vs,
        message: `Mesh-bound VirtualService defines host ${listText(parts)} for ${describeScope(index.exportScope(vs))}; `
          + 'sidecars use only one VirtualService per host, which one is undefined.',
        hint: 'Merge the routes into one VirtualService per host, or make the exportTo scopes disjoint; '
          + 'only gateway-bound VirtualServices may be split into fragments.',
      });
    }
    return out;
  },
};

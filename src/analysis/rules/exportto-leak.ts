import { isMeshBound, listText, q, vsHosts } from '../helpers';
import { RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';

/** The namespace(s) a (possibly wildcard) cluster host belongs to: a namespace name, '*' for all, or undefined. */
function hostNamespace(index: ObjectIndex, host: string): string | undefined {
  const cd = index.settings.clusterDomain.toLowerCase();
  if (host.startsWith('*')) {
    const suffix = host.slice(1);
    if (suffix === `.svc.${cd}` || suffix === `.${cd}` || suffix === '') return '*';
    const parsed = index.parseServiceHost(`x${suffix}`);
    return parsed?.namespace;
  }
  return index.parseServiceHost(host)?.namespace;
}

/**
 * A mesh-bound VirtualService, exported everywhere, for a service of another namespace: it takes over that
 * service's traffic for every client in the mesh (ISTIO-SECURITY-2026-002 class).
 */
export const EXPORTTO_LEAK: Rule = {
  id: 'exportto-leak',
  severity: 'warning',
  codes: [],
  summary: 'A mesh-bound VirtualService for another namespace\'s service is exported to all namespaces.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      if (!isMeshBound(vs)) continue;
      if (!index.exportScope(vs).all) continue;
      const ns = index.namespaceOf(vs);
      const foreign = vsHosts(vs)
        .map((h) => index.expandHost(h, ns))
        .filter((h) => {
          const hns = hostNamespace(index, h);
          return hns !== undefined && hns !== ns;
        });
      if (foreign.length === 0) continue;
      out.push({
        object: vs,
        message: `Mesh-bound VirtualService in namespace ${q(ns)} claims ${listText(foreign.map(q))} of another namespace and is exported to all namespaces; it overrides that service's routing for every client.`,
        hint: 'Set exportTo to the namespaces whose clients it is meant for (e.g. ["."]), or move the VirtualService to the service\'s namespace.',
      });
    }
    return out;
  },
};

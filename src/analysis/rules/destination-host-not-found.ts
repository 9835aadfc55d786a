import { listText, q, resolveHost, vsDestinations, vsProxyNamespaces } from '../helpers';
import { RawFinding, Rule } from '../model';

/**
 * A VirtualService routes (or mirrors) to a host that nothing in the app declares, in a namespace the
 * app owns or outside the cluster domain. Istio keeps the route and answers 503 (no healthy upstream).
 */
export const DESTINATION_HOST_NOT_FOUND: Rule = {
  id: 'destination-host-not-found',
  severity: 'error',
  codes: ['IST0101', 'KIA1101'],
  summary: 'A VirtualService destination host is not declared by any Service or ServiceEntry in the app.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const ns = index.namespaceOf(vs);
      const proxies = vsProxyNamespaces(index, vs);
      const missing: string[] = [];
      const hidden: string[] = [];
      for (const d of vsDestinations(vs)) {
        const host = index.expandHost(d.host, ns);
        const r = resolveHost(index, host, proxies);
        if (r.status === 'missing') missing.push(host);
        else if (r.status === 'not-exported') hidden.push(host);
      }
      if (missing.length === 0 && hidden.length === 0) continue;
      const parts: string[] = [];
      if (missing.length > 0) {
        parts.push(`routes to ${listText(missing.map(q))}, which no Service or ServiceEntry in the app declares`);
      }
      if (hidden.length > 0) {
        parts.push(`routes to ${listText(hidden.map(q))}, which is declared but not exported to namespace ${q(ns)}`);
      }
      out.push({
        object: vs,
        message: `VirtualService ${parts.join('; it also ')}; requests get 503 (no healthy upstream).`,
        hint: 'Fix the host (use the FQDN <service>.<namespace>.svc.<cluster domain>), add the Service, '
          + 'or declare an external host with a ServiceEntry exported to this namespace.',
      });
    }
    return out;
  },
};

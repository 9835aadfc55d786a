import { listText, resolveHost, vsDestinations, vsProxyNamespaces } from '../helpers';
import { RawFinding, Rule } from '../model';

/** A VirtualService destination without `port` to a Service/ServiceEntry with more than one port. */
export const DESTINATION_PORT_REQUIRED: Rule = {
  id: 'destination-port-required',
  severity: 'error',
  codes: ['IST0112'],
  summary: 'A VirtualService routes to a multi-port Service or ServiceEntry without choosing a port.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const ns = index.namespaceOf(vs);
      const proxies = vsProxyNamespaces(index, vs);
      const bad: string[] = [];
      for (const d of vsDestinations(vs)) {
        if (d.port !== undefined) continue;
        const host = index.expandHost(d.host, ns);
        const r = resolveHost(index, host, proxies);
        if (r.status === 'found' && r.ports.length > 1) bad.push(`${host} (ports ${r.ports.join(', ')})`);
      }
      if (bad.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService routes to ${listText(bad)} without destination.port; the destination exposes several ports.`,
        hint: 'Set destination.port.number on every destination of a multi-port service.',
      });
    }
    return out;
  },
};

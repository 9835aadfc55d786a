import { listText, resolvedVsDestinations } from '../helpers';
import { RawFinding, Rule } from '../model';

/** A VirtualService destination names a port its Service/ServiceEntry does not expose. */
export const DESTINATION_PORT_NOT_FOUND: Rule = {
  id: 'destination-port-not-found',
  severity: 'error',
  codes: ['IST0101'],
  summary: 'A VirtualService destination port is not a port of the destination Service or ServiceEntry.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const bad: string[] = [];
      const known: string[] = [];
      for (const { destination: d, host, resolution: r } of resolvedVsDestinations(index, vs)) {
        if (d.port === undefined) continue;
        if (r.status !== 'found' || r.ports.length === 0) continue;
        if (!r.ports.includes(d.port)) {
          bad.push(`${host}:${d.port}`);
          known.push(`${host} exposes ${r.ports.join(', ')}`);
        }
      }
      if (bad.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService routes to ${listText(bad)}, but that port is not declared (${listText(known)}).`,
        hint: 'Use one of the Service (or ServiceEntry) port numbers in destination.port.number; '
          + 'the Service port, not the container targetPort.',
      });
    }
    return out;
  },
};

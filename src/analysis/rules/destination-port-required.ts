import { listText, resolvedVsDestinations } from '../helpers';
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
      const bad: string[] = [];
      for (const { destination: d, host, resolution: r } of resolvedVsDestinations(index, vs)) {
        if (d.port !== undefined) continue;
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

import { listText, q, vsDestinations, vsHosts } from '../helpers';
import { RawFinding, rec, Rule, str } from '../model';

function isShort(host: string): boolean {
  return host.length > 0 && !host.startsWith('*') && !host.includes('.');
}

/** Short host names resolve against the namespace of the rule, not of the service: use FQDNs. */
export const SHORT_HOSTNAME: Rule = {
  id: 'short-hostname',
  severity: 'warning',
  codes: [],
  summary: 'A VirtualService or DestinationRule uses a short host name instead of the FQDN.',
  check({ index }) {
    const out: RawFinding[] = [];
    const report = (obj: any, hosts: string[]) => {
      const ns = index.namespaceOf(obj);
      out.push({
        object: obj,
        message: `Short host${hosts.length > 1 ? 's' : ''} ${listText(hosts.map(q))} ${hosts.length > 1 ? 'are' : 'is'} resolved against the namespace of this ${obj.kind} (${q(ns)}), `
          + `i.e. ${listText(hosts.map((h) => q(index.expandHost(h, ns))))}, wherever the service really lives.`,
        hint: 'Write hosts as FQDNs: <service>.<namespace>.svc.<cluster domain>.',
      });
    };
    for (const vs of index.virtualServices) {
      const hosts = [...vsHosts(vs), ...vsDestinations(vs).map((d) => d.host)].filter(isShort);
      if (hosts.length > 0) report(vs, [...new Set(hosts)]);
    }
    for (const dr of index.networking('DestinationRule')) {
      const h = str(rec(dr.spec).host);
      if (h && isShort(h)) report(dr, [h]);
    }
    return out;
  },
};

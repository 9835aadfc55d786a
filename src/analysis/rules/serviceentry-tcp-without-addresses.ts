import { listText } from '../helpers';
import { arr, RawFinding, rec, Rule, str } from '../model';

/**
 * A ServiceEntry (resolution other than NONE) with TCP or protocol-less ports and no addresses, without DNS
 * auto-allocation: the proxy can only match that traffic by port, so it captures every destination on the port.
 */
export const SERVICEENTRY_TCP_WITHOUT_ADDRESSES: Rule = {
  id: 'serviceentry-tcp-without-addresses',
  severity: 'warning',
  codes: ['IST0134'],
  summary: 'A ServiceEntry with TCP (or unset-protocol) ports has no addresses and no auto-allocated VIP.',
  check({ index, settings }) {
    const out: RawFinding[] = [];
    for (const se of index.networking('ServiceEntry')) {
      const spec = rec(se.spec);
      const resolution = (str(spec.resolution) ?? 'NONE').toUpperCase();
      if (resolution === 'NONE') continue;
      if (arr(spec.addresses).length > 0) continue;
      const hosts = arr(spec.hosts).filter((h): h is string => typeof h === 'string');
      if (settings.dnsAutoAllocate && hosts.length > 0 && hosts.every((h) => !h.startsWith('*'))) continue;
      const tcp = arr(spec.ports).map(rec).filter((p) => {
        const proto = (str(p.protocol) ?? '').toUpperCase();
        return proto === '' || proto === 'TCP';
      });
      if (tcp.length === 0) continue;
      out.push({
        object: se,
        message: `ServiceEntry port ${listText(tcp.map((p) => `${p.number}${str(p.protocol) ? '/TCP' : ' (no protocol)'}`))} carries TCP without addresses; `
          + 'without a VIP the proxy matches this traffic by port only.',
        hint: 'Add addresses, enable DNS auto-allocation (ISTIO_META_DNS_AUTO_ALLOCATE) in the mesh, or use a TLS/HTTP protocol on the port.',
      });
    }
    return out;
  },
};

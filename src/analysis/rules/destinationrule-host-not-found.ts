import { q, resolveHost } from '../helpers';
import { RawFinding, rec, Rule, str } from '../model';

/** A DestinationRule for a (non-wildcard) host that no Service or ServiceEntry of the app declares. */
export const DESTINATIONRULE_HOST_NOT_FOUND: Rule = {
  id: 'destinationrule-host-not-found',
  severity: 'warning',
  codes: ['IST0174', 'KIA0202'],
  summary: 'A DestinationRule host matches no Service or ServiceEntry in the app.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const dr of index.networking('DestinationRule')) {
      const ns = index.namespaceOf(dr);
      const raw = str(rec(dr.spec).host);
      if (!raw || raw.startsWith('*')) continue;
      const host = index.expandHost(raw, ns);
      if (resolveHost(index, host).status !== 'missing') continue;
      out.push({
        object: dr,
        message: `DestinationRule host ${q(host)} matches no Service or ServiceEntry in the app; its policies apply to nothing.`,
        hint: 'Fix the host (FQDN of the Service), add the Service, or declare the external host with a ServiceEntry.',
      });
    }
    return out;
  },
};

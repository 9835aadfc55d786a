import { q } from '../helpers';
import { arr, RawFinding, rec, Rule, str } from '../model';

/** `resolution: NONE` (the default) without `addresses`: traffic on its ports passes through to any destination IP. */
export const SERVICEENTRY_RESOLUTION_NONE_WITHOUT_ADDRESSES: Rule = {
  id: 'serviceentry-resolution-none-without-addresses',
  severity: 'warning',
  codes: ['IST0134'],
  summary: 'A ServiceEntry with resolution NONE (the default) declares no addresses.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const se of index.networking('ServiceEntry')) {
      const spec = rec(se.spec);
      const resolution = (str(spec.resolution) ?? 'NONE').toUpperCase();
      if (resolution !== 'NONE') continue;
      if (arr(spec.addresses).length > 0) continue;
      out.push({
        object: se,
        message: `ServiceEntry ${q(index.objectRef(se))} uses resolution NONE${str(spec.resolution) ? '' : ' (the default)'} without addresses; `
          + 'connections on its ports are passed through to whatever IP the client dialed.',
        hint: 'Use resolution: DNS (or DYNAMIC_DNS for wildcards) for external hosts, or list the addresses (CIDRs) the entry stands for.',
      });
    }
    return out;
  },
};

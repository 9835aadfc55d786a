/**
 * sidecar-egress-wildcard: a Sidecar whose egress hosts contain `*\/*` imports every service of every namespace,
 * which is exactly the unscoped default the Sidecar was meant to replace (istiod webhook warning, IST0133).
 */
import { arr, rec, Rule, str } from '../model';

export const SIDECAR_EGRESS_WILDCARD: Rule = {
  id: 'sidecar-egress-wildcard',
  severity: 'warning',
  codes: ['IST0133'],
  summary: 'A Sidecar egress listener imports `*/*` (every host in every namespace).',
  check(ctx) {
    const out = [];
    for (const sc of ctx.index.networking('Sidecar')) {
      const hosts: string[] = [];
      for (const eg of arr(rec(sc.spec).egress)) {
        for (const h of arr(rec(eg).hosts)) {
          const s = str(h);
          if (s !== undefined && s.trim() === '*/*') hosts.push(s);
        }
      }
      if (hosts.length === 0) continue;
      out.push({
        object: sc,
        message: 'Sidecar egress hosts include "*/*": every service of every namespace is pushed to these proxies, so the Sidecar scopes nothing (memory, push load, and no egress restriction).',
        hint: 'List only what the workloads call: "./*", "istio-system/*" (or your root namespace) and "<namespace>/<host>" entries for each dependency.',
      });
    }
    return out;
  },
};

/**
 * authz-principal-unknown-serviceaccount: an AuthorizationPolicy names a principal
 * `<trustDomain>/ns/<namespace>/sa/<name>` of the app's trust domain in a namespace the app owns, but no such
 * ServiceAccount exists in the app (every namespace has `default`). The rule can never match: an ALLOW silently
 * denies the intended caller, a DENY silently lets it through (Kiali KIA0106). Principals with `*` wildcards, other
 * trust domains and namespaces the app does not own cannot be checked and are not reported.
 */
import { RawFinding, Rule } from '../model';
import { authzRules, ruleConditions, ruleSources, strings } from './b-helpers';

export const AUTHZ_PRINCIPAL_UNKNOWN_SERVICEACCOUNT: Rule = {
  id: 'authz-principal-unknown-serviceaccount',
  severity: 'error',
  codes: ['KIA0106'],
  summary: "An AuthorizationPolicy principal names a ServiceAccount that does not exist in an owned namespace (app's trust domain).",
  check(ctx) {
    const index = ctx.index;
    const td = ctx.settings.trustDomain;
    const out: RawFinding[] = [];
    const unknownOf = (principal: string): string | undefined => {
      if (principal.includes('*')) return undefined;
      const m = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
      if (!m) return undefined;
      const [, domain, ns, sa] = m;
      if (domain !== td) return undefined;
      if (!index.isOwned(ns)) return undefined;
      if (sa === 'default' || index.serviceAccounts.has(`${ns}/${sa}`)) return undefined;
      return `${principal} (no ServiceAccount ${sa} in namespace ${ns})`;
    };
    for (const ap of index.security('AuthorizationPolicy')) {
      const unknown = new Set<string>();
      for (const rule of authzRules(ap)) {
        for (const src of ruleSources(rule)) {
          for (const p of [...strings(src.principals), ...strings(src.notPrincipals)]) {
            const u = unknownOf(p);
            if (u) unknown.add(u);
          }
        }
        for (const c of ruleConditions(rule)) {
          if (c.key !== 'source.principal') continue;
          for (const p of [...strings(c.values), ...strings(c.notValues)]) {
            const u = unknownOf(p);
            if (u) unknown.add(u);
          }
        }
      }
      if (unknown.size === 0) continue;
      out.push({
        object: ap,
        message: `AuthorizationPolicy refers to unknown service accounts: ${[...unknown].join(', ')}. The principal never matches any workload identity.`,
        hint: 'Use the serviceAccountName of the calling workload (principal <trustDomain>/ns/<namespace>/sa/<serviceAccountName>), or add the missing ServiceAccount.',
      });
    }
    return out;
  },
};

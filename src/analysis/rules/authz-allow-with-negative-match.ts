/**
 * authz-allow-with-negative-match: an ALLOW AuthorizationPolicy uses negative matching (`notPaths`, `notHosts`,
 * `notMethods`, `notPorts`, `notPrincipals`, `notNamespaces`, `notIpBlocks`, `notRequestPrincipals`, `notValues`, …).
 * Istio's security best practice is ALLOW-with-positive-matching: a negative match in an ALLOW allows everything
 * that is not listed, including path-normalization variants and identity-less plaintext requests
 * (ISTIO-SECURITY-2021-004/-005/-008). DENY policies with negative matches are the recommended pattern and are not
 * reported.
 */
import { RawFinding, Rule } from '../model';
import { authzAction, authzRules, ruleConditions, ruleOperations, ruleSources, strings } from './b-helpers';

export const AUTHZ_ALLOW_WITH_NEGATIVE_MATCH: Rule = {
  id: 'authz-allow-with-negative-match',
  severity: 'warning',
  codes: [],
  summary: 'An ALLOW AuthorizationPolicy uses negative matching (notPaths, notHosts, notPrincipals, notValues, …).',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const ap of ctx.index.security('AuthorizationPolicy')) {
      if (authzAction(ap) !== 'ALLOW') continue;
      const fields = new Set<string>();
      for (const rule of authzRules(ap)) {
        for (const src of ruleSources(rule)) {
          for (const k of Object.keys(src)) if (k.startsWith('not') && strings(src[k]).length > 0) fields.add(`from.source.${k}`);
        }
        for (const op of ruleOperations(rule)) {
          for (const k of Object.keys(op)) if (k.startsWith('not') && strings(op[k]).length > 0) fields.add(`to.operation.${k}`);
        }
        for (const c of ruleConditions(rule)) {
          if (strings(c.notValues).length > 0) fields.add(`when[${String(c.key)}].notValues`);
        }
      }
      if (fields.size === 0) continue;
      out.push({
        object: ap,
        message: `ALLOW policy uses negative matching (${[...fields].sort().join(', ')}): it allows everything not listed, including unnormalized path variants and requests without a peer identity.`,
        hint: 'Rewrite the ALLOW with positive matches only (paths, hosts, principals, values), and express exclusions as a DENY policy with the negative match.',
      });
    }
    return out;
  },
};

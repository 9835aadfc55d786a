/**
 * requestauthentication-without-authz: a RequestAuthentication with no AuthorizationPolicy requiring a JWT on the
 * same workloads. A RequestAuthentication only rejects *invalid* tokens; requests without a token pass
 * (ISTIO-SECURITY-2021-001). A policy requires a JWT when it is a DENY with `notRequestPrincipals`, or an ALLOW
 * with `requestPrincipals` or `request.auth.*` conditions, and applies to the same workloads (namespace-wide,
 * mesh-wide, a selector covering them, or the same targetRefs target).
 */
import { KubeObject, RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';
import { authzAction, authzRules, policyAppliesTo, policyScope, ruleConditions, ruleSources, showLabels, strings } from './b-helpers';

/** True when the AuthorizationPolicy makes a valid JWT mandatory for (some) requests. */
function requiresJwt(ap: KubeObject): boolean {
  const action = authzAction(ap);
  for (const rule of authzRules(ap)) {
    const sources = ruleSources(rule);
    if (action === 'DENY' && sources.some((s) => strings(s.notRequestPrincipals).length > 0)) return true;
    if (action === 'ALLOW') {
      if (sources.some((s) => strings(s.requestPrincipals).length > 0)) return true;
      if (ruleConditions(rule).some((c) => String(c.key).startsWith('request.auth.'))) return true;
    }
  }
  return false;
}

export const REQUESTAUTHENTICATION_WITHOUT_AUTHZ: Rule = {
  id: 'requestauthentication-without-authz',
  severity: 'warning',
  codes: [],
  summary: 'A RequestAuthentication has no AuthorizationPolicy requiring a JWT on the same workloads, so requests without a token are accepted.',
  check(ctx) {
    const index = ctx.index;
    const root = ctx.settings.rootNamespace;
    const jwtPolicies = index.security('AuthorizationPolicy').filter(requiresJwt);
    const out: RawFinding[] = [];
    for (const ra of index.security('RequestAuthentication')) {
      const ns = ObjectIndex.namespaceOf(ra);
      const scope = policyScope(ra);
      let covered: boolean;
      if (scope.kind === 'targetRefs') {
        covered = jwtPolicies.some((ap) => {
          const apNs = ObjectIndex.namespaceOf(ap);
          const s = policyScope(ap);
          if (s.kind === 'targetRefs') return apNs === ns && s.targets!.some((t) => scope.targets!.includes(t));
          return s.kind === 'namespace' && (apNs === ns || apNs === root);
        });
      } else if (scope.kind === 'namespace' && ns === root) {
        covered = jwtPolicies.length > 0;
      } else {
        const targets = index.workloadsSelectedBy(ns, scope.labels);
        if (targets.length === 0 && index.namespacesWithWorkloads.has(ns)) {
          // It selects no workload of the app (workload-selector-no-match reports that): nothing to protect.
          covered = true;
        } else if (targets.length > 0) {
          covered = targets.some((w) => jwtPolicies.some((ap) => policyAppliesTo(ap, w, ctx.settings)));
        } else {
          covered = jwtPolicies.some((ap) => {
            const apNs = ObjectIndex.namespaceOf(ap);
            if (apNs !== ns && apNs !== root) return false;
            const s = policyScope(ap);
            if (s.kind === 'namespace') return true;
            return s.kind === 'selector' && scope.kind === 'selector'
              && (ObjectIndex.selectorMatches(s.labels, scope.labels!) || ObjectIndex.selectorMatches(scope.labels, s.labels!));
          });
        }
      }
      if (covered) continue;
      const what = scope.kind === 'selector' ? `workloads ${showLabels(scope.labels)} in ${ns}` : scope.kind === 'targetRefs' ? scope.targets!.join(', ') : `namespace ${ns}`;
      out.push({
        object: ra,
        message: `RequestAuthentication validates JWTs for ${what}, but no AuthorizationPolicy there requires a token: requests without any JWT are still accepted.`,
        hint: 'Add an AuthorizationPolicy on the same workloads: a DENY with from.source.notRequestPrincipals: ["*"] (token mandatory), or an ALLOW with from.source.requestPrincipals listing the accepted issuers/subjects.',
      });
    }
    return out;
  },
};

/**
 * authz-principal-unknown-serviceaccount: an AuthorizationPolicy names a principal
 * `<trustDomain>/ns/<namespace>/sa/<name>` of the app's trust domain in a namespace the app owns, but no such
 * ServiceAccount exists in the app (every namespace has `default`). The rule can never match: an ALLOW silently
 * denies the intended caller, a DENY silently lets it through (Kiali KIA0106). Principals with `*` wildcards, other
 * trust domains and namespaces the app does not own cannot be checked and are not reported. Gateway API Gateways
 * (waypoints included) of the app count for the ServiceAccounts istiod creates for them: `<name>` for waypoints,
 * `<name>-<gatewayClassName>` otherwise, or the `gateway.istio.io/service-account` annotation. An Istio Gateway
 * annotated `cdk8s-istio.io/workload-service-account: <sa>` (as `IngressGateway` renders it) declares the service
 * account of the gateway pods it selects, which the gateway's own installation (e.g. its Helm release) owns.
 */
import { rec, RawFinding, Rule, str } from '../model';
import { ObjectIndex } from '../object-index';
import { annotationsOf, authzRules, ruleConditions, ruleSources, strings } from './b-helpers';

/** Declares the service account of the gateway pods an Istio Gateway selects (written by IngressGateway). */
const WORKLOAD_SERVICE_ACCOUNT_ANNOTATION = 'cdk8s-istio.io/workload-service-account';

export const AUTHZ_PRINCIPAL_UNKNOWN_SERVICEACCOUNT: Rule = {
  id: 'authz-principal-unknown-serviceaccount',
  severity: 'error',
  codes: ['KIA0106'],
  summary: "An AuthorizationPolicy principal names a ServiceAccount that does not exist in an owned namespace (app's trust domain).",
  check(ctx) {
    const index = ctx.index;
    const td = ctx.settings.trustDomain;
    const out: RawFinding[] = [];
    // ServiceAccounts that istiod's automated deployment creates for Gateway API Gateways and waypoints.
    const generated = new Set<string>();
    for (const gw of index.ofKind('Gateway', 'gateway.networking.k8s.io')) {
      const ns = ObjectIndex.namespaceOf(gw);
      const name = ObjectIndex.nameOf(gw);
      const cls = str(rec(gw.spec).gatewayClassName);
      generated.add(`${ns}/${name}`);
      if (cls) generated.add(`${ns}/${name}-${cls}`);
      const sa = annotationsOf(gw)['gateway.istio.io/service-account'];
      if (sa) generated.add(`${ns}/${sa}`);
    }
    for (const gw of index.ofKind('Gateway', 'networking.istio.io')) {
      const sa = annotationsOf(gw)[WORKLOAD_SERVICE_ACCOUNT_ANNOTATION];
      if (sa) generated.add(`${ObjectIndex.namespaceOf(gw)}/${sa}`);
    }
    const unknownOf = (principal: string): string | undefined => {
      if (principal.includes('*')) return undefined;
      const m = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
      if (!m) return undefined;
      const [, domain, ns, sa] = m;
      if (domain !== td) return undefined;
      if (!index.isOwned(ns)) return undefined;
      if (sa === 'default' || index.serviceAccounts.has(`${ns}/${sa}`) || generated.has(`${ns}/${sa}`)) return undefined;
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

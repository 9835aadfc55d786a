/**
 * namespace-deny-blocks-gateway: a selector-less AuthorizationPolicy (namespace-wide, or mesh-wide from the root
 * namespace) applies to an ingress gateway workload of the app and rejects requests that carry no mesh identity —
 * which is every request from outside the mesh:
 * - an ALLOW policy none of whose rules can match a request without a peer identity (allow-nothing `spec: {}`,
 *   or rules requiring `principals`/`namespaces`), while no other ALLOW policy on the gateway admits such requests;
 * - a DENY policy with a rule that denies everything, or every request without an identity
 *   (`notPrincipals` / `notNamespaces` without further conditions).
 * Gateway API Gateways of the app count as gateways running in their namespace (istiod deploys them there; a
 * targetRefs ALLOW on the Gateway admits their clients). Egress, east-west and waypoint gateways (which receive mesh
 * traffic) are not considered.
 */
import { KubeObject, RawFinding, rec, Rule, str } from '../model';
import { ObjectIndex, WorkloadInfo } from '../object-index';
import {
  authzAction, authzRules, labelsOf, policyAppliesTo, policyScope, ruleConditions, ruleOperations, ruleSources, strings,
} from './b-helpers';

const IDENTITY_KEYS = ['source.principal', 'source.namespace'];

/** True when some rule of an ALLOW policy can match a request that has no peer identity. */
function admitsIdentityless(ap: KubeObject): boolean {
  for (const rule of authzRules(ap)) {
    const conds = ruleConditions(rule);
    if (conds.some((c) => IDENTITY_KEYS.includes(String(c.key)) && strings(c.values).length > 0)) continue;
    const sources = ruleSources(rule);
    if (sources.length === 0) return true;
    if (sources.some((s) => strings(s.principals).length === 0 && strings(s.namespaces).length === 0)) return true;
  }
  return false;
}

/** True when a DENY policy rejects every request, or every request without a peer identity. */
function deniesIdentityless(ap: KubeObject): boolean {
  for (const rule of authzRules(ap)) {
    const ops = ruleOperations(rule);
    const conds = ruleConditions(rule);
    if (ops.length > 0 || conds.length > 0) continue;
    const sources = ruleSources(rule);
    if (sources.length === 0) return true;
    const positive = ['principals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals', 'notIpBlocks', 'notRemoteIpBlocks'];
    if (sources.some((s) => (strings(s.notPrincipals).length > 0 || strings(s.notNamespaces).length > 0)
      && positive.every((k) => strings(s[k]).length === 0))) return true;
  }
  return false;
}

/** A gateway the policies may apply to: an in-app gateway workload, or a Gateway API Gateway. */
interface GatewayTarget {
  readonly ref: string;
  readonly applies: (ap: KubeObject) => boolean;
}

/** Gateways that receive mesh traffic rather than external clients. */
function isMeshFacingGateway(w: WorkloadInfo): boolean {
  const hay = [w.name, w.labels.istio ?? '', w.labels.app ?? '', labelsOf(w.object).app ?? ''].join(' ').toLowerCase();
  return hay.includes('egress') || hay.includes('eastwest') || hay.includes('east-west');
}

export const NAMESPACE_DENY_BLOCKS_GATEWAY: Rule = {
  id: 'namespace-deny-blocks-gateway',
  severity: 'error',
  codes: [],
  summary: 'A selector-less AuthorizationPolicy in a namespace running an ingress gateway rejects requests without mesh identity (all external traffic).',
  check(ctx) {
    const index = ctx.index;
    const root = ctx.settings.rootNamespace;
    const targets: GatewayTarget[] = index.gatewayWorkloads.filter((w) => !isMeshFacingGateway(w)).map((w) => ({
      ref: `${w.kind}/${w.namespace}/${w.name}`,
      applies: (ap: KubeObject) => policyAppliesTo(ap, w, ctx.settings),
    }));
    // Gateway API gateways (class istio): istiod deploys their pods in the Gateway's namespace; namespace-wide
    // policies apply to them, and targetRefs policies attach to the Gateway.
    for (const gw of index.ofKind('Gateway', 'gateway.networking.k8s.io')) {
      const ns = ObjectIndex.namespaceOf(gw);
      const name = ObjectIndex.nameOf(gw);
      const cls = (str(rec(gw.spec).gatewayClassName) ?? '').toLowerCase();
      if (cls.includes('waypoint') || cls.includes('east-west') || /egress|eastwest|east-west/.test(name.toLowerCase())) continue;
      const key = `gateway.networking.k8s.io/Gateway/${name}`;
      targets.push({
        ref: `Gateway/${ns}/${name}`,
        applies: (ap: KubeObject) => {
          const apNs = ObjectIndex.namespaceOf(ap);
          const scope = policyScope(ap);
          if (scope.kind === 'namespace') return apNs === ns || apNs === root;
          return scope.kind === 'targetRefs' && apNs === ns && scope.targets!.includes(key);
        },
      });
    }
    if (targets.length === 0) return [];
    const aps = index.security('AuthorizationPolicy');
    const found = new Map<KubeObject, string>();
    for (const gw of targets) {
      const applicable = aps.filter((ap) => gw.applies(ap));
      for (const ap of applicable) {
        if (policyScope(ap).kind !== 'namespace' || authzAction(ap) !== 'DENY') continue;
        if (deniesIdentityless(ap) && !found.has(ap)) {
          found.set(ap, `DENY policy rejects every request without a mesh identity, and it applies to the gateway ${gw.ref}`);
        }
      }
      const allows = applicable.filter((ap) => authzAction(ap) === 'ALLOW');
      if (allows.length === 0 || allows.some(admitsIdentityless)) continue;
      for (const ap of allows) {
        if (policyScope(ap).kind !== 'namespace' || found.has(ap)) continue;
        found.set(ap, `ALLOW policy admits only requests with a mesh identity (or nothing), and no other ALLOW policy on the gateway ${gw.ref} admits external clients`);
      }
    }
    const out: RawFinding[] = [];
    for (const [object, why] of found) {
      out.push({
        object,
        message: `Selector-less AuthorizationPolicy blocks the ingress gateway: ${why}. Requests from outside the mesh carry no peer identity and get "403 RBAC: access denied".`,
        hint: 'Give the gateway its own ALLOW policy (selector on the gateway pod labels) that admits external clients (e.g. rules: [{ to: [{ operation: { ports: ["8443"] } }] }]), or move the gateway to its own namespace; keep namespace-wide deny policies for application namespaces.',
      });
    }
    return out;
  },
};

/**
 * workload-selector-no-match: a policy's selector matches no workload of its namespace (istioctl IST0101 for
 * Sidecar/Telemetry, IST0127 for AuthorizationPolicy, Kiali KIA0004). Checked only in namespaces where the app
 * defines workloads. Gateway selectors are excluded: Gateways, and policies aimed at gateway pods, which are
 * commonly installed outside the app. Selectors matching the pod template of another controller (an Argo Rollout,
 * say) are not reported either.
 */
import { KubeObject, labelMap, rec, RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';
import { labelKey, Labels, policyScope, showLabels } from './b-helpers';

/** Kinds whose selector picks pods in the policy's namespace. */
const SELECTOR_KINDS: Array<[string, string]> = [
  ['networking.istio.io', 'Sidecar'],
  ['networking.istio.io', 'EnvoyFilter'],
  ['networking.istio.io', 'DestinationRule'],
  ['security.istio.io', 'AuthorizationPolicy'],
  ['security.istio.io', 'PeerAuthentication'],
  ['security.istio.io', 'RequestAuthentication'],
  ['telemetry.istio.io', 'Telemetry'],
  ['extensions.istio.io', 'WasmPlugin'],
];

/** Label keys that identify gateway pods (Istio gateway charts, Gateway API deployments, waypoints). */
const GATEWAY_LABEL_KEYS = ['istio', 'gateway.networking.k8s.io/gateway-name', 'istio.io/gateway-name', 'gateway.istio.io/managed'];

export const WORKLOAD_SELECTOR_NO_MATCH: Rule = {
  id: 'workload-selector-no-match',
  severity: 'warning',
  codes: ['IST0101', 'IST0127', 'KIA0004'],
  summary: "A policy's workload selector matches no workload in its namespace (namespaces with workloads in the app).",
  check(ctx) {
    const index = ctx.index;
    const gatewaySelectorKeys = new Set<string>();
    const gatewaySelectors: Labels[] = [];
    for (const gw of index.gateways.values()) {
      const sel = labelMap(rec(gw.spec).selector);
      if (!sel || Object.keys(sel).length === 0 || gatewaySelectorKeys.has(labelKey(sel))) continue;
      gatewaySelectorKeys.add(labelKey(sel));
      gatewaySelectors.push(sel);
    }
    const aimsAtGateway = (labels: Labels): boolean => {
      if (GATEWAY_LABEL_KEYS.some((k) => labels[k] !== undefined)) return true;
      if (Object.values(labels).some((v) => /^istio-.*gateway/.test(v))) return true;
      return gatewaySelectors.some((g) => ObjectIndex.selectorMatches(labels, g) || ObjectIndex.selectorMatches(g, labels));
    };
    // Pod templates of controllers the model does not count as workloads (Argo Rollouts, OpenShift
    // DeploymentConfigs, ...): a selector matching them is not reported either.
    const otherTemplates = new Map<string, Labels[]>();
    for (const obj of index.objects) {
      const group = ObjectIndex.groupOf(obj);
      if (group === '' || group === 'apps' || group === 'batch' || group.endsWith('istio.io')) continue;
      const labels = labelMap(rec(rec(rec(obj.spec).template).metadata).labels);
      if (!labels || Object.keys(labels).length === 0) continue;
      const ns = ObjectIndex.namespaceOf(obj);
      otherTemplates.set(ns, [...(otherTemplates.get(ns) ?? []), labels]);
    }
    const out: RawFinding[] = [];
    const check = (obj: KubeObject) => {
      const ns = ObjectIndex.namespaceOf(obj);
      // Root-namespace policies select workloads of every namespace (or are ignored, see ineffective-policy).
      if (ns === ctx.settings.rootNamespace) return;
      if (!index.namespacesWithWorkloads.has(ns)) return;
      const scope = policyScope(obj);
      if (scope.kind !== 'selector') return;
      const labels = scope.labels!;
      if (index.workloadsSelectedBy(ns, labels).length > 0) return;
      if ((otherTemplates.get(ns) ?? []).some((t) => ObjectIndex.selectorMatches(labels, t))) return;
      if (aimsAtGateway(labels)) return;
      out.push({
        object: obj,
        message: `The selector (${showLabels(labels)}) matches no workload in namespace ${ns}: the ${String(obj.kind)} applies to nothing.`,
        hint: 'Fix the selector labels to match the pod template labels of the intended workload (spec.template.metadata.labels), or remove the policy.',
      });
    };
    for (const [group, kind] of SELECTOR_KINDS) {
      for (const obj of index.ofKind(kind, group)) check(obj);
    }
    return out;
  },
};

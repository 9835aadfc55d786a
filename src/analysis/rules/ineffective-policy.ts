/**
 * ineffective-policy: a policy that Istio accepts but that can have no effect where it is placed
 * (istioctl IST0167 / IST0166, Kiali KIA0110 / KIA1115 / KIA1116 / KIA1117):
 * - a Sidecar in an ambient namespace, or whose selected workloads all run in ambient mode (no sidecar to configure);
 * - a PeerAuthentication with a selector in the root namespace (Istio ignores it);
 * - in an ambient namespace, a RequestAuthentication without targetRefs, a Telemetry or WasmPlugin with a selector,
 *   or an AuthorizationPolicy without targetRefs that uses L7 attributes (ztunnel enforces only L4; waypoints
 *   only take policies that target them with targetRefs);
 * - an AuthorizationPolicy, RequestAuthentication, Telemetry or WasmPlugin whose selector targets the pods of a
 *   Kubernetes Gateway API gateway (`gateway.networking.k8s.io/gateway-name`), where selectors have no effect.
 */
import { KubeObject, RawFinding, Rule } from '../model';
import { ObjectIndex, WorkloadInfo } from '../object-index';
import {
  authzRules, isAmbientNamespace, isAmbientWorkload, policyScope, podRequestsSidecar, ruleConditions, ruleOperations,
  ruleSources, showLabels, strings,
} from './b-helpers';

const L7_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L7_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals'];

/** True when an AuthorizationPolicy uses attributes only an HTTP proxy can evaluate. */
function usesL7(ap: KubeObject): string | undefined {
  for (const rule of authzRules(ap)) {
    for (const op of ruleOperations(rule)) {
      const f = L7_OPERATION_FIELDS.find((k) => strings(op[k]).length > 0);
      if (f) return `to.operation.${f}`;
    }
    for (const src of ruleSources(rule)) {
      const f = L7_SOURCE_FIELDS.find((k) => strings(src[k]).length > 0);
      if (f) return `from.source.${f}`;
    }
    for (const c of ruleConditions(rule)) {
      const key = typeof c.key === 'string' ? c.key : '';
      if (key.startsWith('request.')) return `when ${key}`;
    }
  }
  return undefined;
}

export const INEFFECTIVE_POLICY: Rule = {
  id: 'ineffective-policy',
  severity: 'warning',
  codes: ['IST0167', 'IST0166', 'KIA0110', 'KIA1115', 'KIA1116', 'KIA1117'],
  summary: 'A policy that has no effect where it is placed (Sidecar in ambient, selector PeerAuthentication in the root namespace, selector policies on ambient or Gateway API pods).',
  check(ctx) {
    const index = ctx.index;
    const root = ctx.settings.rootNamespace;
    const out: RawFinding[] = [];
    const report = (object: KubeObject, message: string, hint: string) => out.push({ object, message, hint });

    /** Some of the selected workloads explicitly run a sidecar (so the policy does apply to them). */
    const anySidecarPod = (ws: WorkloadInfo[]) => ws.some((w) => podRequestsSidecar(w));

    for (const sc of index.networking('Sidecar')) {
      const ns = ObjectIndex.namespaceOf(sc);
      const scope = policyScope(sc);
      const selected = scope.kind === 'selector' ? index.workloadsSelectedBy(ns, scope.labels) : index.workloadsByNamespace.get(ns) ?? [];
      if (isAmbientNamespace(index, ns)) {
        if (anySidecarPod(selected)) continue;
        report(sc, `Namespace ${ns} runs in ambient mode (istio.io/dataplane-mode=ambient): there is no sidecar proxy, so this Sidecar has no effect.`,
          'Remove the Sidecar; in ambient mode scope egress with a waypoint and policies that target it (targetRefs).');
      } else if (scope.kind === 'selector' && selected.length > 0 && selected.every((w) => isAmbientWorkload(index, w))) {
        report(sc, `Every workload the Sidecar selects (${showLabels(scope.labels)}) runs in ambient mode: the Sidecar has no effect.`,
          'Remove the Sidecar, or take the workloads out of ambient mode if they should run a sidecar.');
      }
    }

    for (const pa of index.security('PeerAuthentication')) {
      if (ObjectIndex.namespaceOf(pa) !== root) continue;
      const scope = policyScope(pa);
      if (scope.kind !== 'selector') continue;
      report(pa, `PeerAuthentication with a selector (${showLabels(scope.labels)}) in the root namespace ${root} is ignored by Istio: root-namespace PeerAuthentications apply only as the mesh-wide policy (no selector).`,
        'Move the PeerAuthentication into the namespace of the workloads it selects, or remove the selector to make it the mesh-wide policy.');
    }

    const ambientChecks: Array<[string, string, (o: KubeObject) => string | undefined]> = [
      ['security.istio.io', 'RequestAuthentication', (o) => (policyScope(o).kind !== 'targetRefs' ? 'a RequestAuthentication without targetRefs' : undefined)],
      ['telemetry.istio.io', 'Telemetry', (o) => (policyScope(o).kind === 'selector' ? 'a Telemetry with a selector' : undefined)],
      ['extensions.istio.io', 'WasmPlugin', (o) => (policyScope(o).kind === 'selector' ? 'a WasmPlugin with a selector' : undefined)],
      ['security.istio.io', 'AuthorizationPolicy', (o) => {
        if (policyScope(o).kind === 'targetRefs') return undefined;
        const l7 = usesL7(o);
        return l7 ? `an AuthorizationPolicy without targetRefs using the L7 attribute ${l7}` : undefined;
      }],
    ];
    const reported = new Set<KubeObject>();
    for (const [group, kind, why] of ambientChecks) {
      for (const obj of index.ofKind(kind, group)) {
        const ns = ObjectIndex.namespaceOf(obj);
        if (!isAmbientNamespace(index, ns)) continue;
        const reason = why(obj);
        if (!reason) continue;
        const scope = policyScope(obj);
        const selected = scope.kind === 'selector' ? index.workloadsSelectedBy(ns, scope.labels) : index.workloadsByNamespace.get(ns) ?? [];
        if (anySidecarPod(selected)) continue;
        reported.add(obj);
        report(obj, `Namespace ${ns} runs in ambient mode: ${reason} is enforced by ztunnel, which handles only L4, and waypoints only apply policies that target them, so it has no (or only a partial) effect.`,
          'Attach the policy to the waypoint or Service with targetRefs (and enroll the namespace or service with istio.io/use-waypoint), or keep only L4 attributes.');
      }
    }

    const gatewayApiKinds: Array<[string, string]> = [
      ['security.istio.io', 'AuthorizationPolicy'], ['security.istio.io', 'RequestAuthentication'],
      ['telemetry.istio.io', 'Telemetry'], ['extensions.istio.io', 'WasmPlugin'],
    ];
    for (const [group, kind] of gatewayApiKinds) {
      for (const obj of index.ofKind(kind, group)) {
        if (reported.has(obj)) continue;
        const scope = policyScope(obj);
        const gwName = scope.kind === 'selector' ? scope.labels!['gateway.networking.k8s.io/gateway-name'] : undefined;
        if (gwName === undefined) continue;
        report(obj, `The selector targets the pods of the Kubernetes Gateway ${gwName}; selectors have no effect on Gateway API gateways.`,
          `Replace the selector with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: ${gwName} }].`);
      }
    }
    return dedupe(out);
  },
};

/** One finding per object (the first reason wins). */
function dedupe(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<KubeObject>();
  return findings.filter((f) => {
    if (seen.has(f.object)) return false;
    seen.add(f.object);
    return true;
  });
}

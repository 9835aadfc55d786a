/**
 * conflicting-service-target-ports: Services selecting the same workload map one workload port (targetPort) from
 * different Service port numbers (istioctl IST0137 DeploymentConflictingPorts). Istio keys inbound configuration by
 * the Service port, so the settings of one of them are applied to the other's traffic. Reported on the workload and
 * on every Service involved. (One Service exposing a targetPort under two port numbers is not a cross-Service
 * conflict and is not reported.)
 */
import { KubeObject, RawFinding, Rule } from '../model';
import { reasonsPerWorkloadServices, workloadPortKey } from './b-helpers';

export const CONFLICTING_SERVICE_TARGET_PORTS: Rule = {
  id: 'conflicting-service-target-ports',
  severity: 'warning',
  codes: ['IST0137'],
  summary: 'Services selecting the same workload map the same targetPort from different Service ports.',
  check(ctx) {
    const reasons = reasonsPerWorkloadServices(ctx.index, (w, svcs, add) => {
      const byTarget = new Map<string, Map<number, Set<KubeObject>>>();
      const svcName = new Map<KubeObject, string>();
      for (const svc of svcs) {
        svcName.set(svc.object, svc.name);
        for (const p of svc.ports) {
          const key = workloadPortKey(p, w);
          const m = byTarget.get(key) ?? new Map<number, Set<KubeObject>>();
          m.set(p.number, (m.get(p.number) ?? new Set()).add(svc.object));
          byTarget.set(key, m);
        }
      }
      for (const [tp, m] of byTarget) {
        // Several port numbers, coming from at least two different Services.
        if (m.size < 2 || new Set([...m.values()].flatMap((set) => [...set])).size < 2) continue;
        const detail = [...m].sort((a, b) => a[0] - b[0]).map(([num, set]) => `port ${num} (${[...set].map((o) => svcName.get(o)).sort().join(', ')})`).join(', ');
        const r = `targetPort ${tp} of ${w.kind}/${w.namespace}/${w.name} is reached from ${detail}`;
        add(w.object, r);
        for (const set of m.values()) for (const o of set) add(o, r);
      }
    });
    const out: RawFinding[] = [];
    for (const [object, rs] of reasons) {
      out.push({
        object,
        message: `Conflicting Service ports: ${[...rs].join('; ')}. Two Services selecting the same workload with the same targetPort must use the same port number.`,
        hint: 'Use the same Service port number for this targetPort in every Service selecting the workload (or target different container ports).',
      });
    }
    return out;
  },
};

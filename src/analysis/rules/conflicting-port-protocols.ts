/**
 * conflicting-port-protocols: Services selecting the same workload declare different protocols (port name prefix /
 * appProtocol) for the same workload port (targetPort) (istioctl IST0116). Ports without a declared protocol are
 * left to port-name-protocol; TCP and UDP on one port number are distinct sockets and do not conflict. The sidecar builds one inbound listener per workload port, so one of the declarations is
 * silently ignored. Reported on the workload and on every Service involved.
 */
import { RawFinding, Rule } from '../model';
import { ServiceInfo } from '../object-index';
import { istioProtocol, reasonsPerWorkloadServices, workloadPortKey } from './b-helpers';

export const CONFLICTING_PORT_PROTOCOLS: Rule = {
  id: 'conflicting-port-protocols',
  severity: 'warning',
  codes: ['IST0116'],
  summary: 'Services selecting the same workload declare different protocols for the same port.',
  check(ctx) {
    const reasons = reasonsPerWorkloadServices(ctx.index, (w, svcs, add) => {
      if (svcs.length === 0) return;
      const byTarget = new Map<string, Map<string, Set<ServiceInfo>>>();
      for (const svc of svcs) {
        for (const p of svc.ports) {
          const proto = istioProtocol(p);
          if (proto !== undefined) {
            const key = workloadPortKey(p, w);
            const m = byTarget.get(key) ?? new Map<string, Set<ServiceInfo>>();
            m.set(proto, (m.get(proto) ?? new Set()).add(svc));
            byTarget.set(key, m);
          }
        }
      }
      const wRef = `${w.kind}/${w.namespace}/${w.name}`;
      const report = (what: string, m: Map<string, Set<ServiceInfo>>) => {
        if (m.size < 2) return;
        const detail = [...m].map(([proto, set]) => `${proto} by ${[...set].map((s) => s.name).sort().join(', ')}`).join(' vs ');
        const r = `${what} of ${wRef}: ${detail}`;
        add(w.object, r);
        for (const set of m.values()) for (const s of set) add(s.object, r);
      };
      for (const [tp, m] of byTarget) report(`workload port ${tp}`, m);
    });
    const out: RawFinding[] = [];
    for (const [object, rs] of reasons) {
      out.push({
        object,
        message: `Conflicting protocols for the same port: ${[...rs].join('; ')}. Istio configures one protocol per workload port, so one declaration is ignored.`,
        hint: 'Declare the same protocol (port name prefix / appProtocol) in every Service that targets this port, or expose the protocols on different container ports.',
      });
    }
    return out;
  },
};

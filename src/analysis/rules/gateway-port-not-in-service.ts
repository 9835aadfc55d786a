import { listText } from '../helpers';
import { RawFinding, Rule } from '../model';
import { ServiceInfo } from '../object-index';
import { gatewaySelector, gatewayServers } from './_gateway-util';

/** A Gateway server port that no Service in front of the gateway workload exposes. */
export const GATEWAY_PORT_NOT_IN_SERVICE: Rule = {
  id: 'gateway-port-not-in-service',
  severity: 'warning',
  codes: ['IST0162'],
  summary: 'A Gateway server port is not exposed by the Service of the gateway workload.',
  check({ index }) {
    const out: RawFinding[] = [];
    const servicesByNs = new Map<string, ServiceInfo[]>();
    for (const svc of index.services) {
      const list = servicesByNs.get(svc.namespace) ?? [];
      list.push(svc);
      servicesByNs.set(svc.namespace, list);
    }
    for (const gw of index.networking('Gateway')) {
      const sel = gatewaySelector(gw);
      if (Object.keys(sel).length === 0) continue;
      const pods = index.workloadsMatchingAnywhere(sel);
      if (pods.length === 0) continue;
      const ports = new Set<number>();
      let services = 0;
      const candidates = new Set(pods.flatMap((p) => servicesByNs.get(p.namespace) ?? []));
      for (const svc of candidates) {
        if (!svc.selector) continue;
        if (!pods.some((p) => p.namespace === svc.namespace && index.selectorMatches(svc.selector, p.labels))) continue;
        services++;
        for (const p of svc.ports) {
          if (p.protocol.toUpperCase() !== 'TCP') continue;
          ports.add(p.number);
          if (typeof p.targetPort === 'number') {ports.add(p.targetPort);} else if (typeof p.targetPort === 'string') {
            // A named target port: the container port of that name on the gateway pods.
            for (const pod of pods) {
              for (const c of pod.containers) for (const cp of c.ports) if (cp.name === p.targetPort) ports.add(cp.containerPort);
            }
          }
        }
      }
      if (services === 0) continue;
      const missing = [...new Set(gatewayServers(gw).map((s) => s.port).filter((p): p is number => p !== undefined && !ports.has(p)))];
      if (missing.length === 0) continue;
      out.push({
        object: gw,
        message: `Gateway server port ${listText(missing.map(String))} is not exposed by the Service of its gateway workload (ports ${[...ports].sort((a, b) => a - b).join(', ')}); clients cannot reach it.`,
        hint: 'Add the port to the gateway Service, or use a port the Service exposes.',
      });
    }
    return out;
  },
};

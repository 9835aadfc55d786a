/**
 * Gateway helpers shared by the gateway rules (not a rule).
 */
import { arr, KubeObject, labelMap, rec, str } from '../model';
import { ObjectIndex } from '../object-index';

export interface GatewayServer {
  readonly port?: number;
  readonly portName?: string;
  readonly protocol?: string;
  /** Hostnames without the `ns/` part, lower-cased. */
  readonly hosts: string[];
  readonly tls: { [key: string]: any } | undefined;
}

export function gatewaySelector(gw: KubeObject): { [key: string]: string } {
  return labelMap(rec(gw.spec).selector) ?? {};
}

export function gatewayServers(gw: KubeObject): GatewayServer[] {
  return arr(rec(gw.spec).servers).map((s) => {
    const server = rec(s);
    const port = rec(server.port);
    return {
      port: typeof port.number === 'number' ? port.number : undefined,
      portName: str(port.name),
      protocol: str(port.protocol),
      hosts: arr(server.hosts)
        .filter((h): h is string => typeof h === 'string')
        .map((h) => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h).toLowerCase()),
      tls: server.tls === undefined || server.tls === null ? undefined : rec(server.tls),
    };
  });
}

function canonical(sel: { [key: string]: string }): string {
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}

function subset(a: { [key: string]: string }, b: { [key: string]: string }): boolean {
  return Object.entries(a).every(([k, v]) => b[k] === v);
}

/**
 * True when two Gateways program the same gateway workload: equal selectors, one selector contained in the
 * other (when `allowSubset`), or both selecting a common workload of the app. Empty selectors never match.
 */
export function shareWorkload(index: ObjectIndex, a: KubeObject, b: KubeObject, allowSubset: boolean): boolean {
  const sa = gatewaySelector(a);
  const sb = gatewaySelector(b);
  if (Object.keys(sa).length === 0 || Object.keys(sb).length === 0) return false;
  if (canonical(sa) === canonical(sb)) return true;
  if (allowSubset && (subset(sa, sb) || subset(sb, sa))) return true;
  return index.workloadsMatchingAnywhere({ ...sa, ...sb }).some((w) => index.selectorMatches(sa, w.labels) && index.selectorMatches(sb, w.labels));
}

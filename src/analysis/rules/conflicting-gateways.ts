import { listText } from '../helpers';
import { KubeObject, RawFinding, Rule } from '../model';
import { hostsOverlap } from '../object-index';
import { gatewayServers, shareWorkload } from './_gateway-util';

/** Two Gateways for the same gateway workload define servers on the same port with overlapping hosts. */
export const CONFLICTING_GATEWAYS: Rule = {
  id: 'conflicting-gateways',
  severity: 'error',
  codes: ['IST0145', 'KIA0301'],
  summary: 'Two Gateways selecting the same workload define the same port with overlapping hosts.',
  check({ index }) {
    const gws = [...index.networking('Gateway')];
    const servers = new Map<KubeObject, ReturnType<typeof gatewayServers>>();
    for (const gw of gws) servers.set(gw, gatewayServers(gw));
    const conflicts = new Map<KubeObject, Set<string>>();
    const note = (gw: KubeObject, text: string) => {
      const set = conflicts.get(gw) ?? new Set<string>();
      set.add(text);
      conflicts.set(gw, set);
    };
    // Group by port to keep the pairwise comparison small.
    const byPort = new Map<number, KubeObject[]>();
    for (const gw of gws) {
      for (const s of servers.get(gw)!) {
        if (s.port === undefined) continue;
        const list = byPort.get(s.port) ?? [];
        if (!list.includes(gw)) list.push(gw);
        byPort.set(s.port, list);
      }
    }
    for (const [port, list] of byPort) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i];
          const b = list[j];
          const ha = servers.get(a)!.filter((s) => s.port === port).flatMap((s) => s.hosts);
          const hb = servers.get(b)!.filter((s) => s.port === port).flatMap((s) => s.hosts);
          const overlap = ha.filter((x) => hb.some((y) => hostsOverlap(x, y)));
          if (overlap.length === 0) continue;
          if (!shareWorkload(index, a, b, false)) continue;
          note(a, `port ${port} host ${listText(overlap)} (also ${index.objectRef(b)})`);
          note(b, `port ${port} host ${listText(hb.filter((y) => ha.some((x) => hostsOverlap(x, y))))} (also ${index.objectRef(a)})`);
        }
      }
    }
    const out: RawFinding[] = [];
    for (const gw of gws) {
      const c = conflicts.get(gw);
      if (!c) continue;
      out.push({
        object: gw,
        message: `Gateway conflicts with another Gateway on the same workload: ${listText([...c])}; only one of the servers takes effect.`,
        hint: 'Serve each host/port once per gateway workload: merge the servers into one Gateway or use distinct hosts or ports.',
      });
    }
    return out;
  },
};

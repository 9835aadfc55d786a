import { listText } from '../helpers';
import { KubeObject, RawFinding, Rule } from '../model';
import { hostsOverlap } from '../object-index';
import { gatewayServers, shareWorkload } from './_gateway-util';

interface Entry {
  readonly gw: KubeObject;
  readonly host: string;
}

/** Two Gateways for the same gateway workload define servers on the same port with overlapping hosts. */
export const CONFLICTING_GATEWAYS: Rule = {
  id: 'conflicting-gateways',
  severity: 'error',
  codes: ['IST0145', 'KIA0301'],
  summary: 'Two Gateways selecting the same workload define the same port with overlapping hosts, or HTTPS servers with the same port name.',
  check({ index }) {
    const gws = index.networking('Gateway');
    // port -> server hosts of every Gateway on that port
    const byPort = new Map<number, Entry[]>();
    for (const gw of gws) {
      for (const s of gatewayServers(gw)) {
        if (s.port === undefined) continue;
        const list = byPort.get(s.port) ?? [];
        for (const host of s.hosts) list.push({ gw, host });
        byPort.set(s.port, list);
      }
    }
    // Candidate pairs: same exact host, or a wildcard host against every host of the port.
    const pairs = new Map<string, { a: KubeObject; b: KubeObject; port: number; ha: Set<string>; hb: Set<string> }>();
    const order = new Map<KubeObject, number>(gws.map((g, i) => [g, i]));
    const notePair = (port: number, x: Entry, y: Entry) => {
      if (x.gw === y.gw || !hostsOverlap(x.host, y.host)) return;
      const [p, r] = order.get(x.gw)! < order.get(y.gw)! ? [x, y] : [y, x];
      const key = `${port}|${order.get(p.gw)}|${order.get(r.gw)}`;
      let pair = pairs.get(key);
      if (!pair) pairs.set(key, (pair = { a: p.gw, b: r.gw, port, ha: new Set(), hb: new Set() }));
      pair.ha.add(p.host);
      pair.hb.add(r.host);
    };
    for (const [port, entries] of byPort) {
      const exact = new Map<string, Entry[]>();
      const wild: Entry[] = [];
      for (const e of entries) {
        if (e.host.startsWith('*')) wild.push(e);
        else exact.set(e.host, [...(exact.get(e.host) ?? []), e]);
      }
      for (const bucket of exact.values()) {
        for (let i = 0; i < bucket.length; i++) for (let j = i + 1; j < bucket.length; j++) notePair(port, bucket[i], bucket[j]);
      }
      for (const w of wild) for (const e of entries) if (e !== w) notePair(port, w, e);
    }
    const conflicts = new Map<KubeObject, Set<string>>();
    const note = (gw: KubeObject, text: string) => {
      const set = conflicts.get(gw) ?? new Set<string>();
      set.add(text);
      conflicts.set(gw, set);
    };
    for (const { a, b, port, ha, hb } of pairs.values()) {
      if (!shareWorkload(index, a, b, false)) continue;
      note(a, `port ${port} host ${listText([...ha])} (also ${index.objectRef(b)})`);
      note(b, `port ${port} host ${listText([...hb])} (also ${index.objectRef(a)})`);
    }
    // HTTPS servers of Gateways on one workload must have unique port names, or all but one are ignored.
    const byPortName = new Map<string, KubeObject[]>();
    for (const gw of gws) {
      for (const s of gatewayServers(gw)) {
        if (s.port === undefined || !s.portName || (s.protocol ?? '').toUpperCase() !== 'HTTPS') continue;
        const key = `${s.port}|${s.portName}`;
        const list = byPortName.get(key) ?? [];
        if (!list.includes(gw)) list.push(gw);
        byPortName.set(key, list);
      }
    }
    for (const [key, list] of byPortName) {
      const [port, name] = key.split('|');
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (!shareWorkload(index, list[i], list[j], false)) continue;
          note(list[i], `HTTPS port ${port} named '${name}' (also ${index.objectRef(list[j])})`);
          note(list[j], `HTTPS port ${port} named '${name}' (also ${index.objectRef(list[i])})`);
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
        hint: 'Serve each host/port once per gateway workload (merge the servers into one Gateway or use distinct hosts or ports), '
          + 'and give every HTTPS server of the workload a unique port name.',
      });
    }
    return out;
  },
};

import { listText, routeEntryDestinations } from '../helpers';
import { arr, RawFinding, rec, Rule } from '../model';

/** Route destination weights that do not add up to 100 (Istio silently treats them as relative). */
export const WEIGHTS_NOT_100: Rule = {
  id: 'weights-not-100',
  severity: 'warning',
  codes: ['KIA1104'],
  summary: 'The destination weights of a route do not sum to 100.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const spec = rec(vs.spec);
      const bad: string[] = [];
      for (const section of ['http', 'tcp', 'tls'] as const) {
        arr(spec[section]).forEach((route, i) => {
          const dests = routeEntryDestinations(route, section);
          if (dests.length === 0) return;
          const sum = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
          if (dests.length === 1) {
            const w = dests[0].weight;
            if (w !== undefined && w !== 0 && w !== 100) bad.push(`${section}[${i}] (single destination with weight ${w})`);
          } else if (sum !== 100) {
            bad.push(`${section}[${i}] (weights ${dests.map((d) => d.weight ?? 0).join(' + ')} = ${sum})`);
          }
        });
      }
      if (bad.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService route ${listText(bad)}: weights do not sum to 100, Istio scales them silently.`,
        hint: 'Give every destination of a split an integer weight and make them sum to 100; omit the weight of a single destination.',
      });
    }
    return out;
  },
};

import { listText } from '../helpers';
import { arr, RawFinding, rec, Rule, str } from '../model';

/** Retries without `perTryTimeout`: a hung attempt consumes the whole route timeout (or waits forever). */
export const RETRIES_WITHOUT_PER_TRY_TIMEOUT: Rule = {
  id: 'retries-without-per-try-timeout',
  severity: 'warning',
  codes: [],
  summary: 'An HTTP route retries (attempts > 0) without a perTryTimeout.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const bad: string[] = [];
      arr(rec(vs.spec).http).forEach((route, i) => {
        const retries = rec(route).retries;
        if (retries === undefined || retries === null) return;
        const r = rec(retries);
        const attempts = typeof r.attempts === 'number' ? r.attempts : 0;
        if (attempts > 0 && !str(r.perTryTimeout)) {
          const name = str(rec(route).name);
          bad.push(name ? `http[${i}] ('${name}')` : `http[${i}]`);
        }
      });
      if (bad.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService route ${listText(bad)} retries without retries.perTryTimeout; one hung attempt can use up the whole timeout.`,
        hint: 'Set retries.perTryTimeout so that attempts × perTryTimeout fits within the route timeout.',
      });
    }
    return out;
  },
};

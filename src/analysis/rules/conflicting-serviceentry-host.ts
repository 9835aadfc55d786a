import { describeScope, listText, q, scopesOverlap } from '../helpers';
import { arr, KubeObject, RawFinding, rec, Rule } from '../model';

function portNumbers(se: KubeObject): number[] {
  return arr(rec(se.spec).ports).map((p) => rec(p).number).filter((n): n is number => typeof n === 'number');
}

/**
 * Two ServiceEntries (or a ServiceEntry and a Service of the app) declare the same host for overlapping
 * exportTo scopes: Istio keeps one (the oldest; a Kubernetes Service always wins) and drops the other.
 */
export const CONFLICTING_SERVICEENTRY_HOST: Rule = {
  id: 'conflicting-serviceentry-host',
  severity: 'warning',
  codes: ['KIA1211', 'KIA1212', 'IST0177'],
  summary: 'Two ServiceEntries (or a ServiceEntry and a Service) declare the same host for overlapping namespaces.',
  check({ index }) {
    const hits = new Map<KubeObject, Set<string>>();
    const note = (a: KubeObject, host: string, b: KubeObject) => {
      const set = hits.get(a) ?? new Set<string>();
      set.add(`${q(host)} (also ${index.objectRef(b)})`);
      hits.set(a, set);
    };
    for (const [host, list] of index.serviceEntriesByHost) {
      const ses = [...new Set(list)];
      for (let i = 0; i < ses.length; i++) {
        for (let j = i + 1; j < ses.length; j++) {
          const a = ses[i];
          const b = ses[j];
          if (!scopesOverlap(index.exportScope(a), index.exportScope(b))) continue;
          const sameNs = index.namespaceOf(a) === index.namespaceOf(b);
          if (sameNs) {
            const pb = portNumbers(b);
            if (!portNumbers(a).some((p) => pb.includes(p))) continue; // same-namespace entries merge by port
          }
          note(a, host, b);
          note(b, host, a);
        }
      }
      const svc = index.servicesByFqdn.get(host);
      if (svc) {
        for (const se of ses) {
          if (!scopesOverlap(index.exportScope(se), index.exportScope(svc.object))) continue;
          note(se, host, svc.object);
          note(svc.object, host, se);
        }
      }
    }
    const out: RawFinding[] = [];
    for (const obj of index.objects) {
      const h = hits.get(obj);
      if (!h) continue;
      out.push({
        object: obj,
        message: `${obj.kind} declares host ${listText([...h])} for ${describeScope(index.exportScope(obj))}; Istio keeps only one definition (a Kubernetes Service wins, then the oldest ServiceEntry).`,
        hint: 'Declare each host once, or make the exportTo scopes disjoint.',
      });
    }
    return out;
  },
};

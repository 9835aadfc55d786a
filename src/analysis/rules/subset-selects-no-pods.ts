import { listText, q } from '../helpers';
import { arr, labelMap, RawFinding, rec, Rule, str } from '../model';

/** A DestinationRule subset whose labels, together with the Service selector, match no workload in the app. */
export const SUBSET_SELECTS_NO_PODS: Rule = {
  id: 'subset-selects-no-pods',
  severity: 'error',
  codes: ['IST0173', 'KIA0203'],
  summary: 'A DestinationRule subset (its labels and the Service selector) selects no workload of the app.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const dr of index.networking('DestinationRule')) {
      const ns = index.namespaceOf(dr);
      const hostRaw = str(rec(dr.spec).host);
      if (!hostRaw) continue;
      const host = index.expandHost(hostRaw, ns);
      const svc = index.servicesByFqdn.get(host);
      if (!svc || !svc.selector) continue;
      if (!index.namespacesWithWorkloads.has(svc.namespace)) continue;
      const selected = index.workloadsSelectedBy(svc.namespace, svc.selector);
      const bad: string[] = [];
      for (const s of arr(rec(dr.spec).subsets)) {
        const name = str(rec(s).name) ?? '';
        const labels = labelMap(rec(s).labels);
        if (!labels || Object.keys(labels).length === 0) continue;
        if (!selected.some((w) => index.selectorMatches(labels, w.labels))) {
          bad.push(`${q(name)} (${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')})`);
        }
      }
      if (bad.length === 0) continue;
      out.push({
        object: dr,
        message: `DestinationRule subset ${listText(bad)} selects no workload of Service ${svc.namespace}/${svc.name}; traffic routed to it gets 503.`,
        hint: 'Make the subset labels match the pod template labels of the workloads behind the Service '
          + '(e.g. the version label of the Deployment).',
      });
    }
    return out;
  },
};

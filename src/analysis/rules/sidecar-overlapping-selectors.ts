/**
 * sidecar-overlapping-selectors: two Sidecars select the same workload, or a namespace has more than one Sidecar
 * without a workloadSelector (istioctl IST0110 / IST0111). Istio then picks one of them arbitrarily.
 */
import { Rule } from '../model';
import { isAmbientNamespace, isAmbientWorkload, scopeConflicts } from './b-helpers';

export const SIDECAR_OVERLAPPING_SELECTORS: Rule = {
  id: 'sidecar-overlapping-selectors',
  severity: 'error',
  codes: ['IST0110', 'IST0111', 'KIA0002', 'KIA0003'],
  summary: 'Two Sidecars select the same workloads, or a namespace has two Sidecars without a workloadSelector.',
  check(ctx) {
    const index = ctx.index;
    // Ambient namespaces and ambient pods have no sidecar: there the Sidecars are reported by ineffective-policy.
    const conflicts = scopeConflicts(index, index.networking('Sidecar'), {
      skipNamespace: (ns) => isAmbientNamespace(index, ns),
      skipWorkload: (w) => isAmbientWorkload(index, w),
    });
    return [...conflicts].map(([object, reasons]) => ({
      object,
      message: `Sidecar scope conflict: ${reasons.join('; ')}. Istio applies only one Sidecar per workload and the choice is undefined.`,
      hint: 'Keep one namespace-default Sidecar (no workloadSelector) per namespace and give workload Sidecars disjoint selectors; merge the egress/ingress settings into one resource.',
    }));
  },
};

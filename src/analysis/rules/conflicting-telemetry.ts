/**
 * conflicting-telemetry: more than one Telemetry without a selector (and without targetRefs) in a namespace,
 * several selector Telemetries selecting the same workload, or several Telemetries with the same targetRefs
 * target (istioctl IST0160 / IST0159). Istio merges them in an undefined order. Reported on every Telemetry
 * involved. A namespace-wide Telemetry plus a workload-level or targetRefs one is the intended hierarchy.
 */
import { Rule } from '../model';
import { scopeConflicts } from './b-helpers';

export const CONFLICTING_TELEMETRY: Rule = {
  id: 'conflicting-telemetry',
  severity: 'error',
  codes: ['IST0159', 'IST0160'],
  summary: 'Two Telemetry resources apply at the same level to the same workloads.',
  check(ctx) {
    const conflicts = scopeConflicts(ctx.index, ctx.index.ofKind('Telemetry', 'telemetry.istio.io'), { targetRefs: true });
    return [...conflicts].map(([object, reasons]) => ({
      object,
      message: `Conflicting Telemetry resources: ${reasons.join('; ')}. Istio does not define which one wins.`,
      hint: 'Keep one namespace-wide Telemetry per namespace (one mesh-wide in the root namespace) and one per workload selector or target; merge their metrics, tracing and accessLogging sections.',
    }));
  },
};

/**
 * conflicting-peerauthentication: more than one PeerAuthentication without a selector in a namespace (in the root
 * namespace: more than one mesh-wide policy), or several selector PeerAuthentications selecting the same workload.
 * Istio uses only the oldest and ignores the others (Kiali KIA0002 / KIA0003). Reported on every policy involved.
 */
import { Rule } from '../model';
import { ObjectIndex } from '../object-index';
import { policyScope, scopeConflicts } from './b-helpers';

export const CONFLICTING_PEERAUTHENTICATION: Rule = {
  id: 'conflicting-peerauthentication',
  severity: 'error',
  codes: ['KIA0002', 'KIA0003'],
  summary: 'Two PeerAuthentications apply at the same level to the same workloads (namespace-wide duplicates or overlapping selectors).',
  check(ctx) {
    const root = ctx.settings.rootNamespace;
    // Selector policies in the root namespace are ignored by Istio (see ineffective-policy), so they cannot conflict.
    const pas = ctx.index.security('PeerAuthentication');
    const considered = pas.filter((pa) => ObjectIndex.namespaceOf(pa) !== root || policyScope(pa).kind !== 'selector');
    const conflicts = scopeConflicts(ctx.index, considered);
    return [...conflicts].map(([object, reasons]) => ({
      object,
      message: `Conflicting PeerAuthentications: ${reasons.join('; ')}. Istio applies only the oldest one and ignores the others.`,
      hint: 'Keep exactly one namespace-wide PeerAuthentication per namespace (one mesh-wide in the root namespace) and give workload-level ones disjoint selectors; merge their modes and portLevelMtls into one resource.',
    }));
  },
};

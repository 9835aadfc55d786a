/**
 * Rule registry of the scoping, security, workloads-and-namespaces and telemetry groups
 * (engineer B owns this file).
 */
import { Rule } from '../model';
import { INEFFECTIVE_POLICY } from './ineffective-policy';
import { SIDECAR_EGRESS_WILDCARD } from './sidecar-egress-wildcard';
import { SIDECAR_OVERLAPPING_SELECTORS } from './sidecar-overlapping-selectors';
import { WORKLOAD_SELECTOR_NO_MATCH } from './workload-selector-no-match';

export const RULES_B: Rule[] = [
  // scoping
  SIDECAR_OVERLAPPING_SELECTORS,
  SIDECAR_EGRESS_WILDCARD,
  WORKLOAD_SELECTOR_NO_MATCH,
  INEFFECTIVE_POLICY,
];

/**
 * Rule registry of the scoping, security, workloads-and-namespaces and telemetry groups
 * (engineer B owns this file).
 */
import { Rule } from '../model';

export const RULES_B: Rule[] = [];

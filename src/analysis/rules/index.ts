/**
 * All MeshAnalyzer rules, in a stable order (report order follows it).
 */
import { Rule } from '../model';
import { RULES_A } from './registry-a';
import { RULES_B } from './registry-b';

export const ALL_RULES: Rule[] = [...RULES_A, ...RULES_B];

/** Rule ids reserved by the framework itself (not rules in the registries). */
export const FRAMEWORK_RULE_IDS = ['invalid-suppression'];

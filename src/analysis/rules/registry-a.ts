/**
 * Rule registry of the references, routing, gateways and egress groups.
 */
import { Rule } from '../model';

export const RULES_A: Rule[] = [];

/**
 * Suppressions: per object (annotation `cdk8s-istio.io/suppress: "<rule>: <reason>[; <rule>: <reason>]"`) and per
 * app (`suppress: [{ rule, object?, reason }]`). Every suppression needs a reason; one without is itself an error.
 */
import { KubeObject, rec, str } from './model';

export const SUPPRESS_ANNOTATION = 'cdk8s-istio.io/suppress';
export const INVALID_SUPPRESSION = 'invalid-suppression';

export interface ParsedAnnotation {
  /** rule id -> reason */
  readonly rules: Map<string, string>;
  /** Problems with the annotation (missing reason, unknown rule, bad syntax). */
  readonly problems: string[];
}

/** Parses the suppress annotation of an object (undefined when absent). */
export function parseSuppressAnnotation(obj: KubeObject, knownRules: Set<string>): ParsedAnnotation | undefined {
  const value = rec(rec(obj.metadata).annotations)[SUPPRESS_ANNOTATION];
  if (value === undefined) return undefined;
  const rules = new Map<string, string>();
  const problems: string[] = [];
  if (typeof value !== 'string') {
    problems.push(`annotation ${SUPPRESS_ANNOTATION} must be a string "<rule>: <reason>[; <rule>: <reason>]"`);
    return { rules, problems };
  }
  const entries = value.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) problems.push(`annotation ${SUPPRESS_ANNOTATION} is empty; write "<rule>: <reason>"`);
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const rule = (colon < 0 ? entry : entry.slice(0, colon)).trim();
    const reason = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!knownRules.has(rule)) {
      problems.push(`suppresses unknown rule '${rule}'`);
      continue;
    }
    if (rule === INVALID_SUPPRESSION) {
      problems.push(`rule '${INVALID_SUPPRESSION}' cannot be suppressed`);
      continue;
    }
    if (reason.length === 0) {
      problems.push(`suppression of '${rule}' has no reason; write "${rule}: <why this is acceptable>"`);
      continue;
    }
    rules.set(rule, reason);
  }
  return { rules, problems };
}

/** True when an app-level object pattern (`Kind/namespace/name`, `*` wildcards) matches an object reference. */
export function objectPatternMatches(pattern: string | undefined, ref: string): boolean {
  if (pattern === undefined || pattern === '' || pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === ref;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^/]*')}$`);
  return re.test(ref);
}

/** Reason of an app suppression entry (trimmed, '' when missing). */
export function reasonOf(reason: unknown): string {
  return (str(reason) ?? '').trim();
}

/**
 * The analysis run shared by every entry point: index the objects once, run every rule, keep one finding per
 * (rule, object), apply suppressions.
 */
import { AnalysisReport } from './analysis-report';
import { AnalyzerSuppression, Finding, FindingSeverity, SuppressedFinding } from './finding';
import { AnalyzerSettingsResolved, constructPathOf, DEFAULT_SETTINGS, KubeObject, Rule } from './model';
import { ObjectIndex } from './object-index';
import { ALL_RULES } from './rules';
import { INVALID_SUPPRESSION, objectPatternMatches, parseSuppressAnnotation, reasonOf } from './suppression';

export interface RunOptions {
  readonly settings?: Partial<AnalyzerSettingsResolved>;
  readonly suppress?: AnalyzerSuppression[];
  /** Rules to run (default: all). */
  readonly rules?: Rule[];
  /** Called when a rule throws (a bug); the run continues without that rule. */
  readonly onRuleError?: (rule: Rule, error: unknown) => void;
}

/** Resolves settings against the defaults of the evaluation model. */
export function resolveSettings(s: Partial<AnalyzerSettingsResolved> = {}): AnalyzerSettingsResolved {
  return {
    rootNamespace: s.rootNamespace ?? DEFAULT_SETTINGS.rootNamespace,
    trustDomain: s.trustDomain ?? DEFAULT_SETTINGS.trustDomain,
    clusterDomain: s.clusterDomain ?? DEFAULT_SETTINGS.clusterDomain,
    dnsAutoAllocate: s.dnsAutoAllocate ?? DEFAULT_SETTINGS.dnsAutoAllocate,
  };
}

/** Runs the rules over already-checked objects. */
export function runAnalysis(objects: KubeObject[], options: RunOptions = {}): AnalysisReport {
  const settings = resolveSettings(options.settings);
  const rules = options.rules ?? ALL_RULES;
  const index = new ObjectIndex(objects, settings);
  const ctx = { index, settings };
  const knownRules = new Set(rules.map((r) => r.id));

  const raw: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${f.rule}\u0000${f.object}`;
    if (seen.has(key)) return;
    seen.add(key);
    raw.push(f);
  };

  for (const rule of rules) {
    let results;
    try {
      results = rule.check(ctx);
    } catch (e) {
      options.onRuleError?.(rule, e);
      continue;
    }
    for (const r of results) {
      const path = constructPathOf(r.object);
      push({
        rule: rule.id,
        severity: rule.severity === 'error' ? FindingSeverity.ERROR : FindingSeverity.WARNING,
        object: ObjectIndex.objectRef(r.object),
        message: r.message,
        hint: r.hint,
        ...(path !== undefined ? { constructPath: path } : {}),
        codes: [...rule.codes],
      });
    }
  }

  // Suppressions: object annotations, then app-level entries.
  const annotationRules = new Map<string, Map<string, string>>();
  const invalid: Finding[] = [];
  const knownForAnnotation = new Set([...knownRules, INVALID_SUPPRESSION]);
  for (const obj of objects) {
    const parsed = parseSuppressAnnotation(obj, knownForAnnotation);
    if (!parsed) continue;
    const ref = ObjectIndex.objectRef(obj);
    if (parsed.rules.size > 0) {
      const merged = annotationRules.get(ref) ?? new Map<string, string>();
      for (const [k, v] of parsed.rules) merged.set(k, v);
      annotationRules.set(ref, merged);
    }
    if (parsed.problems.length > 0 && !invalid.some((f) => f.object === ref)) {
      invalid.push({
        rule: INVALID_SUPPRESSION,
        severity: FindingSeverity.ERROR,
        object: ref,
        message: `Invalid suppression annotation: ${parsed.problems.join('; ')}.`,
        hint: 'Write cdk8s-istio.io/suppress: "<rule-id>: <reason>[; <rule-id>: <reason>]" with a real rule id and a reason for each.',
        ...(constructPathOf(obj) !== undefined ? { constructPath: constructPathOf(obj) } : {}),
        codes: [],
      });
    }
  }
  const appRules: Array<{ rule: string; object?: string; reason: string }> = [];
  (options.suppress ?? []).forEach((s, i) => {
    const reason = reasonOf(s?.reason);
    const rule = typeof s?.rule === 'string' ? s.rule.trim() : '';
    const problems: string[] = [];
    if (!knownRules.has(rule)) problems.push(`suppresses unknown rule '${rule}'`);
    if (reason.length === 0) problems.push(`suppression of '${rule}' has no reason`);
    if (problems.length > 0) {
      invalid.push({
        rule: INVALID_SUPPRESSION,
        severity: FindingSeverity.ERROR,
        object: `MeshAnalyzer//suppress[${i}]`,
        message: `Invalid app-level suppression: ${problems.join('; ')}.`,
        hint: 'Give every suppression an existing rule id and a reason: { rule, object?, reason }.',
        codes: [],
      });
      return;
    }
    appRules.push({ rule, object: typeof s.object === 'string' ? s.object : undefined, reason });
  });

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of raw) {
    const byAnnotation = annotationRules.get(f.object)?.get(f.rule);
    if (byAnnotation !== undefined) {
      suppressed.push({ ...f, reason: byAnnotation, suppressedBy: 'annotation' });
      continue;
    }
    const app = appRules.find((s) => s.rule === f.rule && objectPatternMatches(s.object, f.object));
    if (app) {
      suppressed.push({ ...f, reason: app.reason, suppressedBy: 'app' });
      continue;
    }
    findings.push(f);
  }
  findings.push(...invalid);
  return new AnalysisReport(findings, suppressed);
}

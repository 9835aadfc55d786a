import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AnalysisReport } from './analysis-report';
import { AnalyzerFailOn, AnalyzerRuleInfo, AnalyzerSuppression, Finding, FindingSeverity, MeshAnalyzerSettings } from './finding';
import { AnalysisInputError, checkObjects, inputProblem } from './input';
import { KubeObject, Rule, setConstructPath } from './model';
import { ALL_RULES } from './rules';
import { resolveSettings, runAnalysis } from './runner';
import { INVALID_SUPPRESSION } from './suppression';

/** Where the analyzer of an app is stored on the app root (a global symbol, shared by every copy of this module). */
const ANALYZER_KEY = Symbol.for('cdk8s-istio.MeshAnalyzer');
const FAIL_ON_VALUES = [AnalyzerFailOn.ERROR, AnalyzerFailOn.WARNING, AnalyzerFailOn.NONE] as string[];

function isApiObject(c: IConstruct): c is ApiObject {
  if (ApiObject.isApiObject(c)) return true;
  // Another copy of cdk8s (e.g. a nested dependency): recognise the shape.
  const x = c as any;
  return typeof x.toJson === 'function' && typeof x.apiVersion === 'string' && typeof x.kind === 'string';
}

function reportRuleError(rule: Rule, e: unknown): void {
  process.stderr.write(`cdk8s-istio: rule ${rule.id} failed (please report this bug): ${(e as Error)?.message ?? e}\n`);
}

function checkSettings(s: MeshAnalyzerSettings): void {
  for (const key of ['rootNamespace', 'trustDomain', 'clusterDomain'] as const) {
    const v = s[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim().length === 0)) {
      throw new Error(`MeshAnalyzer settings.${key} must be a non-empty string, got ${JSON.stringify(v)}`);
    }
  }
  if (s.dnsAutoAllocate !== undefined && typeof s.dnsAutoAllocate !== 'boolean') {
    throw new Error(`MeshAnalyzer settings.dnsAutoAllocate must be a boolean, got ${JSON.stringify(s.dnsAutoAllocate)}`);
  }
  if (s.failOn !== undefined && !FAIL_ON_VALUES.includes(s.failOn)) {
    throw new Error(`MeshAnalyzer settings.failOn must be one of ${FAIL_ON_VALUES.join(', ')}, got ${JSON.stringify(s.failOn)}`);
  }
  if (s.suppress !== undefined && !Array.isArray(s.suppress)) {
    throw new Error('MeshAnalyzer settings.suppress must be a list of { rule, object?, reason }');
  }
}

/**
 * Istio mesh analysis over Kubernetes objects: the istioctl-analyze / Kiali class of checks, offline.
 *
 * Attach it to an app with `MeshAnalyzer.of(app)` (the `Mesh` construct does this): every `ApiObject` of the app
 * (constructs, raw L1 classes, `Include`d YAML) is analyzed during `app.synth()`; error findings fail synth before
 * any file is written, warnings are printed once to stderr. `MeshAnalyzer.analyze(objects)` runs the same rules
 * on plain objects.
 */
export class MeshAnalyzer {
  /** The analyzer of the app that `scope` belongs to (created and attached on first use). */
  public static of(scope: IConstruct): MeshAnalyzer {
    const root = scope.node.root as IConstruct & { [ANALYZER_KEY]?: MeshAnalyzer };
    let analyzer = root[ANALYZER_KEY];
    if (!analyzer) {
      analyzer = new MeshAnalyzer(root);
      Object.defineProperty(root, ANALYZER_KEY, { value: analyzer, enumerable: false });
    }
    return analyzer;
  }

  /**
   * Analyzes plain Kubernetes objects (as JSON) and returns the findings that apply (suppressed ones excluded).
   * Throws when an object is not a Kubernetes object or is of an unknown Istio kind.
   */
  public static analyze(objects: Array<{ [key: string]: any }>, settings: MeshAnalyzerSettings = {}): Finding[] {
    return MeshAnalyzer.analyzeReport(objects, settings).findings;
  }

  /** Like `analyze`, returning the full report (findings and suppressed findings). */
  public static analyzeReport(objects: Array<{ [key: string]: any }>, settings: MeshAnalyzerSettings = {}): AnalysisReport {
    checkSettings(settings);
    const checked = checkObjects(objects ?? [], (i, item) => `object ${i + 1}${item === undefined ? '' : ` (List item ${item + 1})`}`);
    return runAnalysis(checked, { settings: resolveSettings(settings), suppress: settings.suppress, onRuleError: reportRuleError });
  }

  /** Every rule the analyzer runs. */
  public static rules(): AnalyzerRuleInfo[] {
    const rules: AnalyzerRuleInfo[] = ALL_RULES.map((r) => ({
      id: r.id,
      severity: r.severity === 'error' ? FindingSeverity.ERROR : FindingSeverity.WARNING,
      codes: [...r.codes],
      summary: r.summary,
    }));
    rules.push({ id: INVALID_SUPPRESSION, severity: FindingSeverity.ERROR, codes: [], summary: 'A suppression has no reason or names an unknown rule.' });
    return rules;
  }

  private _settings: MeshAnalyzerSettings = {};
  private readonly _suppress: AnalyzerSuppression[] = [];
  private _cache?: { fingerprint: string; report: AnalysisReport };
  private _printed?: string;

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this._validate() });
  }

  /** Sets mesh-level settings; later calls override the fields they set, and add their suppressions. */
  public configure(settings: MeshAnalyzerSettings): void {
    checkSettings(settings);
    const { suppress, ...rest } = settings;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this._settings = { ...this._settings, ...defined };
    if (suppress) this._suppress.push(...suppress);
  }

  /** Adds an app-level suppression (it needs a reason). */
  public addSuppression(suppression: AnalyzerSuppression): void {
    this._suppress.push(suppression);
  }

  /** The effective failOn threshold. */
  public get failOn(): AnalyzerFailOn {
    return this._settings.failOn ?? AnalyzerFailOn.ERROR;
  }

  /** Renders every ApiObject of the app and analyzes them (memoized while nothing changes). */
  public report(): AnalysisReport {
    const objects: KubeObject[] = [];
    const paths: string[] = [];
    for (const c of this.root.node.findAll()) {
      if (!isApiObject(c)) continue;
      let json: KubeObject;
      try {
        json = c.toJson();
      } catch (e) {
        throw new AnalysisInputError(c.node.path, `cannot render the object: ${(e as Error).message}`);
      }
      const problem = inputProblem(json);
      if (problem) throw new AnalysisInputError(c.node.path, problem);
      setConstructPath(json, c.node.path);
      objects.push(json);
      paths.push(c.node.path);
    }
    const settings = resolveSettings(this._settings);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([settings, this._suppress, paths, objects]))
      .digest('hex');
    if (this._cache && this._cache.fingerprint === fingerprint) return this._cache.report;
    const report = runAnalysis(objects, {
      settings,
      suppress: this._suppress,
      onRuleError: reportRuleError,
    });
    this._cache = { fingerprint, report };
    return report;
  }

  private _validate(): string[] {
    let report: AnalysisReport;
    try {
      report = this.report();
    } catch (e) {
      if (e instanceof AnalysisInputError) return [`MeshAnalyzer: ${e.where}: ${e.reason}`];
      throw e;
    }
    const failOn = this.failOn;
    const failing = report.failing(failOn);
    const fingerprint = this._cache?.fingerprint;
    const firstTime = fingerprint !== this._printed;
    this._printed = fingerprint;
    const rest = report.findings.filter((f) => !AnalysisReport.fails(f, failOn));
    if (firstTime && (rest.length > 0 || report.suppressed.length > 0)) {
      const lines = ['cdk8s-istio MeshAnalyzer:'];
      for (const f of rest) lines.push(AnalysisReport.formatFinding(f));
      for (const s of report.suppressed) lines.push(`SUPPRESSED ${s.rule} ${s.object} (${s.suppressedBy}: ${s.reason})`);
      process.stderr.write(`${lines.join('\n')}\n`);
    }
    return failing.map((f) => `MeshAnalyzer ${AnalysisReport.formatFinding(f)}`);
  }
}

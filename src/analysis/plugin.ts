import { readFileSync } from 'fs';
import { AnalyzerFailOn, MeshAnalyzerSettings } from './finding';
import { AnalysisInputError, parseYamlObjects } from './input';
import { KubeObject } from './model';
import { ObjectIndex } from './object-index';
import { resolveSettings, runAnalysis } from './runner';

/** A resource named in a validation violation (cdk8s-cli plugin contract). */
export interface MeshAnalyzerViolatingResource {
  /** metadata.name of the resource (cdk8s-cli maps it to a construct path). */
  readonly resourceName: string;
  /** Where in the resource the problem is. */
  readonly locations: string[];
  /** The manifest file the resource is defined in. */
  readonly manifestPath: string;
}

/** A violation reported to cdk8s-cli. */
export interface MeshAnalyzerViolation {
  /** Rule name. */
  readonly ruleName: string;
  /** What is wrong. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** Resources violating the rule. */
  readonly violatingResources: MeshAnalyzerViolatingResource[];
}

/** The report object cdk8s-cli hands to validation plugins. */
export interface IMeshAnalyzerValidationReport {
  /** Adds a violation. */
  addViolation(violation: MeshAnalyzerViolation): void;
  /** Submits the report with `success` or `failure`. */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/** The logger cdk8s-cli hands to validation plugins. */
export interface IMeshAnalyzerValidationLogger {
  /** Logs a message. */
  log(message: string): void;
}

/** The context cdk8s-cli passes to `validate` (the subset this plugin uses). */
export interface IMeshAnalyzerValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: string[];
  /** The report to fill. */
  readonly report: IMeshAnalyzerValidationReport;
  /** Logger. */
  readonly logger: IMeshAnalyzerValidationLogger;
}

/** Properties of the plugin (the `properties:` of the `validations:` entry in cdk8s.yaml). */
export interface MeshAnalyzerValidationProps extends MeshAnalyzerSettings {}

/**
 * cdk8s-cli validation plugin running the MeshAnalyzer rules on the synthesized manifests.
 *
 * ```yaml
 * # cdk8s.yaml
 * validations:
 *   - package: cdk8s-istio        # or ./node_modules/cdk8s-istio/lib/src/analysis/plugin.js
 *     version: 1.0.0
 *     class: MeshAnalyzerValidation
 *     properties: { failOn: error }
 * ```
 */
export class MeshAnalyzerValidation {
  private readonly props: MeshAnalyzerValidationProps;

  constructor(props: MeshAnalyzerValidationProps = {}) {
    this.props = props ?? {};
  }

  /** Runs the analysis and fills the report (called by cdk8s-cli after synth). */
  public async validate(context: IMeshAnalyzerValidationContext): Promise<void> {
    const failOn = this.props.failOn ?? AnalyzerFailOn.ERROR;
    const objects: KubeObject[] = [];
    const fileOf = new Map<string, string>();
    try {
      for (const file of context.manifests) {
        for (const o of parseYamlObjects(readFileSync(file, 'utf-8'), file)) {
          objects.push(o);
          const ref = ObjectIndex.objectRef(o);
          if (!fileOf.has(ref)) fileOf.set(ref, file);
        }
      }
    } catch (e) {
      const where = e instanceof AnalysisInputError ? e.where : 'manifests';
      const reason = e instanceof AnalysisInputError ? e.reason : (e as Error).message;
      context.report.addViolation({
        ruleName: 'unreadable-input',
        recommendation: `${where}: ${reason}`,
        fix: 'Make every document a Kubernetes object of a known kind.',
        violatingResources: [],
      });
      context.report.submit('failure');
      return;
    }
    const report = runAnalysis(objects, { settings: resolveSettings(this.props), suppress: this.props.suppress });
    for (const f of report.findings) {
      const [, , name] = f.object.split('/');
      context.report.addViolation({
        ruleName: `${f.rule} (${f.severity}${f.codes && f.codes.length > 0 ? `, ${f.codes.join(', ')}` : ''})`,
        recommendation: f.message,
        fix: f.hint,
        violatingResources: [{ resourceName: name ?? '', locations: [f.object], manifestPath: fileOf.get(f.object) ?? '' }],
      });
    }
    for (const s of report.suppressed) {
      context.logger.log(`cdk8s-istio: suppressed ${s.rule} on ${s.object} (${s.suppressedBy}: ${s.reason})`);
    }
    const failed = report.failing(failOn).length > 0;
    context.report.submit(failed ? 'failure' : 'success', {
      errors: String(report.errors.length),
      warnings: String(report.warnings.length),
      suppressed: String(report.suppressed.length),
      failOn,
    });
  }
}

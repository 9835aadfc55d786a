import { AnalyzerFailOn, Finding, FindingSeverity, SuppressedFinding } from './finding';

/** The result of one analysis run: findings, and the findings that suppressions silenced. */
export class AnalysisReport {
  /** True when `finding` reaches the `failOn` threshold. */
  public static fails(finding: Finding, failOn: AnalyzerFailOn): boolean {
    if (failOn === AnalyzerFailOn.NONE) return false;
    if (failOn === AnalyzerFailOn.WARNING) return true;
    return finding.severity === FindingSeverity.ERROR;
  }

  /** One finding as text: severity, rule, object, codes, construct path, message and fix. */
  public static formatFinding(f: Finding): string {
    const codes = f.codes && f.codes.length > 0 ? ` [${f.codes.join(', ')}]` : '';
    const lines = [`${f.severity === FindingSeverity.ERROR ? 'ERROR  ' : 'WARNING'} ${f.rule} ${f.object}${codes}`];
    if (f.constructPath) lines.push(`        construct: ${f.constructPath}`);
    lines.push(`        ${f.message}`);
    lines.push(`        fix: ${f.hint}`);
    return lines.join('\n');
  }

  /** Findings that apply (not suppressed). */
  public readonly findings: Finding[];
  /** Findings silenced by a suppression with a reason. */
  public readonly suppressed: SuppressedFinding[];

  constructor(findings: Finding[], suppressed: SuppressedFinding[]) {
    this.findings = findings;
    this.suppressed = suppressed;
  }

  /** Error findings. */
  public get errors(): Finding[] {
    return this.findings.filter((f) => f.severity === FindingSeverity.ERROR);
  }

  /** Warning findings. */
  public get warnings(): Finding[] {
    return this.findings.filter((f) => f.severity === FindingSeverity.WARNING);
  }

  /** Findings that reach `failOn`. */
  public failing(failOn: AnalyzerFailOn): Finding[] {
    return this.findings.filter((f) => AnalysisReport.fails(f, failOn));
  }

  /** Human-readable report. */
  public toText(): string {
    const out: string[] = [];
    for (const f of this.findings) out.push(AnalysisReport.formatFinding(f));
    for (const s of this.suppressed) {
      out.push(`SUPPRESSED ${s.rule} ${s.object} (${s.suppressedBy}: ${s.reason})${s.constructPath ? `\n        construct: ${s.constructPath}` : ''}\n        ${s.message}`);
    }
    out.push(`${this.errors.length} error(s), ${this.warnings.length} warning(s), ${this.suppressed.length} suppressed.`);
    return out.join('\n');
  }

  /** `{ findings: [...], suppressed: [...] }` as plain JSON. */
  public toJson(): { [key: string]: any } {
    return {
      findings: this.findings.map((f) => ({ ...f })),
      suppressed: this.suppressed.map((f) => ({ ...f })),
    };
  }
}

// Compiling and evaluating `x-kubernetes-validations` rules. Internal: not re-exported from the package.
import { parse, plan, isCelError, type CelResult } from '@bufbuild/cel';
import { kubernetesCel } from './cel-library';
import type { RawValidationRule } from './structural-schema';

type Program = (bindings: { [name: string]: any }) => CelResult;

/** A rule ready to run (or the reason it cannot run). */
export interface CompiledRule {
  readonly raw: RawValidationRule;
  /** A transition rule (mentions `oldSelf`): only meaningful on update, skipped on create. */
  readonly transition: boolean;
  /** Why the rule cannot be evaluated (does not parse, calls unknown functions). */
  readonly error?: string;
  readonly program?: Program;
  readonly messageProgram?: Program;
  /** Why `messageExpression` cannot be evaluated (then `message` is used). */
  readonly messageError?: string;
}

interface Analysis {
  readonly program?: Program;
  readonly error?: string;
  readonly usesOldSelf: boolean;
}

const cache = new Map<string, Analysis>();

/** Walks a parsed CEL expression, collecting identifiers and calls the environment does not provide. */
function inspect(expr: any, idents: Set<string>, unknown: Set<string>): void {
  if (!expr || typeof expr !== 'object') return;
  const kind = expr.exprKind;
  if (!kind) return;
  const v = kind.value;
  switch (kind.case) {
    case 'identExpr':
      idents.add(v.name);
      return;
    case 'selectExpr':
      inspect(v.operand, idents, unknown);
      return;
    case 'callExpr': {
      const { functions, methods } = kubernetesCel();
      if (v.target) {
        const qualified = qualifiedName(v.target);
        if (!(qualified !== undefined && functions.has(`${qualified}.${v.function}`))) {
          if (!methods.has(v.function)) unknown.add(`.${v.function}()`);
          inspect(v.target, idents, unknown);
        }
      } else if (!functions.has(v.function)) {
        unknown.add(`${v.function}()`);
      }
      for (const a of v.args ?? []) inspect(a, idents, unknown);
      return;
    }
    case 'listExpr':
      for (const e of v.elements ?? []) inspect(e, idents, unknown);
      return;
    case 'structExpr':
      for (const e of v.entries ?? []) {
        if (e.keyKind?.case === 'mapKey') inspect(e.keyKind.value, idents, unknown);
        inspect(e.value, idents, unknown);
      }
      return;
    case 'comprehensionExpr':
      for (const part of [v.iterRange, v.accuInit, v.loopCondition, v.loopStep, v.result]) inspect(part, idents, unknown);
      return;
    default:
      return;
  }
}

function qualifiedName(expr: any): string | undefined {
  const kind = expr?.exprKind;
  if (kind?.case === 'identExpr') return kind.value.name;
  if (kind?.case === 'selectExpr' && !kind.value.testOnly) {
    const base = qualifiedName(kind.value.operand);
    return base === undefined ? undefined : `${base}.${kind.value.field}`;
  }
  return undefined;
}

function analyze(text: string): Analysis {
  const hit = cache.get(text);
  if (hit) return hit;
  let result: Analysis;
  try {
    const parsed = parse(text);
    const idents = new Set<string>();
    const unknown = new Set<string>();
    inspect(parsed.expr, idents, unknown);
    const usesOldSelf = idents.has('oldSelf');
    if (unknown.size > 0) {
      result = {
        usesOldSelf,
        error: `calls ${[...unknown].sort().join(', ')}, which this validator does not provide`,
      };
    } else {
      result = { usesOldSelf, program: plan(kubernetesCel().env, parsed) as Program };
    }
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    result = { usesOldSelf: /\boldSelf\b/.test(text), error: `does not parse: ${msg}` };
  }
  cache.set(text, result);
  return result;
}

/** Compiles a rule (cached by text). Never throws. */
export function compileRule(raw: RawValidationRule): CompiledRule {
  const a = analyze(raw.rule);
  const transition = a.usesOldSelf;
  let messageProgram: Program | undefined;
  let messageError: string | undefined;
  if (typeof raw.messageExpression === 'string' && !transition) {
    const m = analyze(raw.messageExpression);
    messageProgram = m.program;
    messageError = m.error;
  }
  return { raw, transition, error: a.error, program: a.program, messageProgram, messageError };
}

/** Outcome of running one rule against one value. */
export interface RuleOutcome {
  readonly ok: boolean;
  /** Set when the rule failed: the message to report. */
  readonly message?: string;
  /** True when the failure is a runtime evaluation error rather than a false result. */
  readonly evaluationError?: boolean;
}

/** Runs a compiled (non-transition, compilable) rule with `self` bound. Never throws. */
export function runRule(rule: CompiledRule, self: unknown): RuleOutcome {
  if (!rule.program) {
    return { ok: false, message: `CEL rule cannot be evaluated by this validator: ${rule.error}`, evaluationError: true };
  }
  let result: CelResult;
  try {
    result = rule.program({ self });
  } catch (e) {
    return evaluationFailure(rule, (e as Error).message);
  }
  if (isCelError(result)) return evaluationFailure(rule, result.message);
  if (result === true) return { ok: true };
  if (result !== false) return evaluationFailure(rule, `the rule returned ${typeof result}, not a bool`);
  return { ok: false, message: failureMessage(rule, self) };
}

/** Like kube-apiserver, an evaluation error fails the rule; the rule's message comes first, the error after. */
function evaluationFailure(rule: CompiledRule, error: string): RuleOutcome {
  const base = typeof rule.raw.message === 'string' && rule.raw.message !== '' ? rule.raw.message : `failed rule: ${rule.raw.rule}`;
  return { ok: false, message: `${base} (rule evaluation error: ${error})`, evaluationError: true };
}

function failureMessage(rule: CompiledRule, self: unknown): string {
  if (rule.messageProgram) {
    try {
      const m = rule.messageProgram({ self });
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // fall through to message
    }
  }
  if (typeof rule.raw.message === 'string' && rule.raw.message !== '') return rule.raw.message;
  return `failed rule: ${rule.raw.rule}`;
}

/**
 * Converts a rule's `fieldPath` (`.spec.foo`, `.foo['bar.baz']`, `.foo[0]`) into path segments. Returns undefined
 * when it cannot be parsed (then the rule's own location is used).
 */
export function fieldPathSegments(fieldPath: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  let i = 0;
  while (i < fieldPath.length) {
    if (fieldPath[i] === '.') {
      const m = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(fieldPath.slice(i));
      if (!m) return undefined;
      out.push(m[1]);
      i += m[0].length;
    } else if (fieldPath[i] === '[') {
      const m = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([0-9]+))\]/.exec(fieldPath.slice(i));
      if (!m) return undefined;
      out.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]).replace(/\\(.)/g, '$1'));
      i += m[0].length;
    } else {
      return undefined;
    }
  }
  return out;
}

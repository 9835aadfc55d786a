// Structural defaulting, list-type checks and CEL rule evaluation over one object, walking the value and its schema
// together. Internal: not re-exported from the package.
import { create } from '@bufbuild/protobuf';
import { DurationSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { compileRule, fieldPathSegments, runRule, type CompiledRule } from './cel-rules';
import type { SchemaNode } from './structural-schema';

export type Segment = string | number;

/** A problem found by the walker, located by path segments from the object root. */
export interface WalkIssue {
  readonly segments: Segment[];
  readonly message: string;
  readonly reason: string;
  readonly rule?: string;
}

function isPlainObject(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/**
 * Applies `default`s in place, like the API server does before validation: a missing property (or a null one that
 * is not nullable) gets a copy of its default, and defaulting continues inside the new value.
 */
export function applyDefaults(value: unknown, node: SchemaNode | undefined): void {
  if (!node || !node.hasWork) return;
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) applyDefaults(item, node.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, def] of node.defaults) {
    const current = value[key];
    if (current === undefined || (current === null && !node.properties?.get(key)?.nullable)) {
      value[key] = clone(def);
    }
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = node.properties?.get(key) ?? node.additionalProperties;
    if (sub) applyDefaults(child, sub);
  }
}

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Kubernetes' escaping of property names for CEL (`namespace` → `__namespace__`, `a-b` → `a__dash__b`). */
export function escapeCelName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    if (name.startsWith('__', i)) {
      out += '__underscores__';
      i++;
    } else {
      out += ({ '.': '__dot__', '-': '__dash__', '/': '__slash__' } as { [c: string]: string })[name[i]] ?? name[i];
    }
  }
  return out;
}

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const UNIT_NANOS: { [unit: string]: number } = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

function toDuration(s: string): unknown {
  if (s === '0') return create(DurationSchema, {});
  if (!GO_DURATION.test(s)) return s;
  const sign = s.startsWith('-') ? -1n : 1n;
  let nanos = 0n;
  for (const m of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    nanos += BigInt(Math.round(Number(m[1]) * UNIT_NANOS[m[2]]));
  }
  nanos *= sign;
  return create(DurationSchema, { seconds: nanos / 1000000000n, nanos: Number(nanos % 1000000000n) });
}

function toTimestamp(s: string): unknown {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return s;
  const seconds = BigInt(Math.floor(ms / 1000));
  const frac = /\.(\d+)/.exec(s);
  const nanos = frac ? Number(frac[1].slice(0, 9).padEnd(9, '0')) : 0;
  return create(TimestampSchema, { seconds, nanos });
}

/** Converts a JSON value with no schema (preserve-unknown-fields): integral numbers become int. */
function untypedToCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(untypedToCel);
  if (isPlainObject(v)) {
    const out: { [key: string]: unknown } = {};
    for (const [k, x] of Object.entries(v)) out[k] = untypedToCel(x);
    return out;
  }
  return v;
}

function scalarToCel(v: unknown, node: SchemaNode): unknown {
  if (typeof v === 'number') {
    if ((node.type === 'integer' || node.intOrString) && Number.isInteger(v)) return BigInt(v);
    if (node.type === undefined && Number.isInteger(v)) return BigInt(v);
    return v;
  }
  if (typeof v === 'string' && node.type === 'string') {
    switch (node.raw.format) {
      case 'byte':
        return /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? new Uint8Array(Buffer.from(v, 'base64')) : v;
      case 'duration':
        return toDuration(v);
      case 'date-time':
      case 'datetime':
      case 'date':
        return toTimestamp(v);
      default:
        return v;
    }
  }
  return v;
}

/** Per-validator cache of compiled rules for each schema node. */
export type RuleCache = Map<SchemaNode, CompiledRule[]>;

export function rulesOf(node: SchemaNode, cache: RuleCache): CompiledRule[] {
  let rules = cache.get(node);
  if (!rules) {
    rules = node.rules.map(compileRule);
    cache.set(node, rules);
  }
  return rules;
}

/**
 * Walks `value` with `node`: checks `x-kubernetes-list-type` set/map uniqueness, evaluates CEL rules bottom-up and
 * returns the value converted for CEL. `hasErrorBelow(segments)` says whether structural validation already
 * reported something at or below a location; runtime CEL errors there are not reported again.
 */
export function walk(
  value: unknown,
  node: SchemaNode | undefined,
  segments: Segment[],
  ctx: { issues: WalkIssue[]; rules: RuleCache; hasErrorBelow: (segments: Segment[]) => boolean; root: boolean },
): unknown {
  if (value === null || value === undefined) return null;
  if (!node) return untypedToCel(value);
  const isRoot = ctx.root;
  ctx.root = false;

  let converted: unknown;
  if (Array.isArray(value)) {
    converted = value.map((item, i) => walk(item, node.items, [...segments, i], ctx));
    if (node.listType === 'set' || node.listType === 'map') checkListType(value, node, segments, ctx.issues);
  } else if (isPlainObject(value)) {
    const out: { [key: string]: unknown } = {};
    for (const [key, child] of Object.entries(value)) {
      const prop = node.properties?.get(key);
      if (prop) {
        const escaped = escapeCelName(key);
        const v = walk(child, prop, [...segments, key], ctx);
        if (escaped !== undefined) out[escaped] = v;
      } else if (node.additionalProperties) {
        out[key] = walk(child, node.additionalProperties, [...segments, key], ctx);
      } else if (node.preserveUnknownFields || node.properties === undefined) {
        out[key] = untypedToCel(child);
      } else if (isRoot && (key === 'apiVersion' || key === 'kind')) {
        out[key] = child;
      } else if (isRoot && key === 'metadata' && isPlainObject(child)) {
        // on the root object only metadata.name and metadata.generateName are visible to rules
        const meta: { [key: string]: unknown } = {};
        if (typeof child.name === 'string') meta.name = child.name;
        if (typeof child.generateName === 'string') meta.generateName = child.generateName;
        out.metadata = meta;
      } else if (node.embeddedResource && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) {
        out[key] = untypedToCel(child);
      }
      // other unknown fields were reported by the structural check and are not visible to rules
    }
    converted = out;
  } else {
    converted = scalarToCel(value, node);
  }

  if (node.rules.length > 0) {
    for (const rule of rulesOf(node, ctx.rules)) {
      if (rule.transition) continue;
      const outcome = runRule(rule, converted);
      if (outcome.ok) continue;
      if (outcome.evaluationError && rule.program && ctx.hasErrorBelow(segments)) continue;
      let at = segments;
      if (typeof rule.raw.fieldPath === 'string' && rule.raw.fieldPath !== '') {
        const extra = fieldPathSegments(rule.raw.fieldPath);
        if (extra) at = [...segments, ...extra];
      }
      ctx.issues.push({
        segments: at,
        message: outcome.message!,
        reason: typeof rule.raw.reason === 'string' && rule.raw.reason !== '' ? rule.raw.reason : 'FieldValueInvalid',
        rule: rule.raw.rule,
      });
    }
  }
  return converted;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function checkListType(list: unknown[], node: SchemaNode, segments: Segment[], issues: WalkIssue[]): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    let key: string;
    let shown: string;
    if (node.listType === 'map') {
      if (!isPlainObject(item)) return;
      const keys = node.listMapKeys ?? [];
      const tuple: { [k: string]: unknown } = {};
      for (const k of keys) tuple[k] = item[k] ?? null;
      key = stableJson(tuple);
      shown = keys.length === 1 ? JSON.stringify(tuple[keys[0]]) : key;
    } else {
      key = stableJson(item);
      shown = key;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      const what = node.listType === 'map' ? `list entries with the same key (${(node.listMapKeys ?? []).join(', ')})` : 'set';
      issues.push({
        segments: [...segments, i],
        message: `Duplicate value: ${shown} (x-kubernetes-list-type ${node.listType}: ${what} already at index ${first})`,
        reason: 'FieldValueDuplicate',
      });
    } else {
      seen.set(key, i);
    }
  });
}

import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const DNS_LABEL_RULE = "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";

export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** A fully qualified DNS name: at least two DNS labels, lower case, no trailing dot. */
export function isFqdn(value: unknown): value is string {
  return isDnsSubdomain(value) && value.includes('.') && !/^[0-9.]+$/.test(value) && value.split('.').every(l => l.length <= 63);
}

export function checkDnsLabel(scope: IConstruct, prop: string, value: unknown): string {
  if (!isDnsLabel(value)) fail(scope, `${prop} must be ${DNS_LABEL_RULE}, got ${show(value)}`);
  return value;
}

export function checkDnsSubdomain(scope: IConstruct, prop: string, value: unknown): string {
  if (!isDnsSubdomain(value)) {
    fail(scope, `${prop} must be a DNS-1123 subdomain (lower-case DNS labels separated by '.', at most 253 characters), got ${show(value)}`);
  }
  return value;
}

export function checkInteger(scope: IConstruct, prop: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Object.is(value, -0) || value < min || value > max) {
    fail(scope, `${prop} must be an integer from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

export function checkPort(scope: IConstruct, prop: string, value: unknown): number {
  return checkInteger(scope, prop, value, 1, 65535);
}

export function checkNonEmpty(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0) fail(scope, `${prop} must be a non-empty string, got ${show(value)}`);
  return value;
}

/** Kubernetes label key: optional DNS-subdomain prefix + '/' + name (≤ 63). */
export function isLabelKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0) return false;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

export function checkLabels(
  scope: IConstruct, prop: string, labels: { [key: string]: string } | undefined, options: { nonEmpty?: boolean } = {},
): { [key: string]: string } {
  const entries = Object.entries(labels ?? {});
  if (options.nonEmpty && entries.length === 0) {
    fail(scope, `${prop} must contain at least one label (an empty selector matches every pod in the namespace), got ${show(labels ?? {})}`);
  }
  for (const [k, v] of entries) {
    if (!isLabelKey(k)) fail(scope, `${prop} has an invalid label key ${show(k)}: a label key is an optional DNS subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.'`);
    if (!isLabelValue(v)) fail(scope, `${prop}.${k} must be a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), got ${show(v)}`);
    if (v.includes('*')) fail(scope, `${prop}.${k} must not contain '*', got ${show(v)}`);
  }
  return { ...(labels ?? {}) };
}

/** Milliseconds of a cdk8s Duration, checked to be a whole number of milliseconds of at least `minMs`. */
export function checkDuration(scope: IConstruct, prop: string, d: Duration | undefined, minMs = 1): number | undefined {
  if (d === undefined) return undefined;
  if (!(d instanceof Duration)) fail(scope, `${prop} must be a cdk8s Duration (e.g. Duration.seconds(5)), got ${show(d)}`);
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || !Number.isInteger(ms)) {
    fail(scope, `${prop} must be a whole number of milliseconds (Istio accepts only millisecond precision), got ${d.toHumanString()}`);
  }
  if (ms < minMs) fail(scope, `${prop} must be at least ${minMs}ms, got ${d.toHumanString()}`);
  return ms;
}

/** Renders milliseconds as an Istio/protobuf duration string in seconds ("15s", "0.5s", "0.001s"). */
export function renderMillis(ms: number): string {
  const s = Math.floor(ms / 1000);
  const rest = ms % 1000;
  if (rest === 0) return `${s}s`;
  return `${s}.${String(rest).padStart(3, '0').replace(/0+$/, '')}s`;
}

export function renderDuration(d: Duration): string {
  return renderMillis(d.toMilliseconds({ integral: false }));
}

/** Sorted copy without duplicates (deterministic output). */
export function uniqSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

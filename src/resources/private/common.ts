// Helpers shared by the L2 constructs in src/resources/. Internal: not re-exported from the package.
import { ApiObject, ApiObjectMetadata, Chart, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../../private/errors';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, isDnsLabel, isDnsSubdomain, isFqdn, uniqSorted } from '../../private/validate';

/** The HTTP methods Istio accepts in route matches, CORS policies and authorization rules. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];

/** Largest object etcd stores by default (its request limit is 1.5 MiB). */
export const MAX_OBJECT_BYTES = 1572864;

/** Checks at synth (before anything is written) that the rendered object fits into etcd. */
export function addSizeValidation(scope: Construct, resource: ApiObject): void {
  scope.node.addValidation({
    validate: () => {
      let bytes: number;
      try {
        bytes = Buffer.byteLength(JSON.stringify(resource.toJson()), 'utf8');
      } catch {
        return []; // a broken user JSON patch is reported by the synthesis itself
      }
      return bytes > MAX_OBJECT_BYTES
        ? [`the rendered ${resource.kind} is ${bytes} bytes; Kubernetes stores objects of at most about 1.5 MiB (${MAX_OBJECT_BYTES} bytes) in etcd: split it into several objects`]
        : [];
    },
  });
}

/** Casts one of our wire-string enums to the generated L1 enum with the same values. */
export function wire<T>(value: string): T {
  return value as unknown as T;
}

/**
 * Resolves the metadata of the L1 object: the name defaults to `Names.toDnsLabel(scope)` (from the construct path),
 * the namespace to the chart's (cdk8s applies that one itself). Name, namespace and labels are checked.
 */
export function resolveMetadata(scope: Construct, metadata: ApiObjectMetadata | undefined): ApiObjectMetadata {
  const name = metadata?.name ?? Names.toDnsLabel(scope);
  checkDnsSubdomain(scope, 'metadata.name', name);
  if (metadata?.namespace !== undefined) checkDnsLabel(scope, 'metadata.namespace', metadata.namespace);
  if (metadata?.labels !== undefined) checkLabels(scope, 'metadata.labels', metadata.labels);
  return { ...metadata, name };
}

/** The namespace the object will be rendered in, when known at construction. */
export function namespaceOf(scope: IConstruct, metadata: ApiObjectMetadata | undefined): string | undefined {
  return metadata?.namespace ?? Chart.of(scope).namespace;
}

/** Checks that `value` is one of the values of a string enum. */
export function checkEnum<T extends string>(scope: IConstruct, prop: string, value: T, values: { [key: string]: string }): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value)) fail(scope, `${prop} must be one of ${allowed.join(', ')}, got ${show(value)}`);
  return value;
}

/** A workload selector: a non-empty map of valid labels without wildcards. Returns a copy. */
export function checkSelector(scope: IConstruct, prop: string, labels: { [key: string]: string }): { [key: string]: string } {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    fail(scope, `${prop} must be a map of pod labels, got ${show(labels)}`);
  }
  if (Object.keys(labels).length === 0) {
    fail(scope, `${prop} must contain at least one label, got {} (an empty selector selects every workload of the namespace; omit ${prop} to mean that)`);
  }
  return checkLabels(scope, prop, labels, { nonEmpty: true });
}

/** Checks an array prop: an array, optionally non-empty. */
export function checkArray<T>(scope: IConstruct, prop: string, value: T[], options: { nonEmpty?: boolean; max?: number } = {}): T[] {
  if (!Array.isArray(value)) fail(scope, `${prop} must be a list, got ${show(value)}`);
  if (options.nonEmpty && value.length === 0) fail(scope, `${prop} must not be empty`);
  if (options.max !== undefined && value.length > options.max) fail(scope, `${prop} may list at most ${options.max} entries, got ${value.length}`);
  return value;
}

/** Checks a list of non-empty strings without duplicates. */
export function checkStrings(scope: IConstruct, prop: string, values: string[], options: { nonEmpty?: boolean } = {}): string[] {
  checkArray(scope, prop, values, options);
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (typeof v !== 'string' || v.trim().length === 0) fail(scope, `${prop}[${i}] must be a non-empty string, got ${show(v)}`);
    if (seen.has(v)) fail(scope, `${prop} lists ${show(v)} twice`);
    seen.add(v);
  });
  return [...values];
}

/** A percentage from 0 to 100 with at most `decimals` decimal places. */
export function checkPercentage(scope: IConstruct, prop: string, value: number, decimals: number): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0) && value >= 0 && value <= 100
    && Math.abs(Math.round(value * 10 ** decimals) - value * 10 ** decimals) < 1e-6;
  if (!ok) fail(scope, `${prop} must be a number from 0 to 100 with at most ${decimals} decimal places, got ${show(value)}`);
  return value;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

export function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  let v = value;
  let groupsNeeded = 8;
  const lastColon = v.lastIndexOf(':');
  const tail = v.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    v = v.slice(0, lastColon + 1) + '0:0';
  }
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parts(halves[0]);
  const rest = halves.length === 2 ? parts(halves[1]) : [];
  if ([...head, ...rest].some(g => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = head.length + rest.length;
  if (halves.length === 2) return count < groupsNeeded;
  groupsNeeded -= count;
  return groupsNeeded === 0;
}

export function isIp(value: string): boolean {
  return typeof value === 'string' && (isIpv4(value) || isIpv6(value));
}

export function isCidr(value: string): boolean {
  if (typeof value !== 'string') return false;
  const [ip, bits, ...extra] = value.split('/');
  if (extra.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (isIpv4(ip)) return Number(bits) <= 32;
  if (isIpv6(ip)) return Number(bits) <= 128;
  return false;
}

/** Checks an IP address or CIDR block. */
export function checkIpOrCidr(scope: IConstruct, prop: string, value: string): string {
  if (!isIp(value) && !isCidr(value)) fail(scope, `${prop} must be an IP address or a CIDR block (e.g. 10.0.0.0/8), got ${show(value)}`);
  return value;
}

/**
 * Checks a host name: a fully qualified lower-case DNS name; `*.suffix` when `wildcard` is allowed; `*` when `star`
 * is allowed.
 */
export function checkHostName(scope: IConstruct, prop: string, value: string, options: { wildcard?: boolean; star?: boolean } = {}): string {
  if (typeof value !== 'string' || value.length === 0) fail(scope, `${prop} must be a host name, got ${show(value)}`);
  if (value === '*') {
    if (!options.star) fail(scope, `${prop} must not be "*" (it claims every host)`);
    return value;
  }
  if (value !== value.toLowerCase()) fail(scope, `${prop} must be lower case, got ${show(value)} (use ${show(value.toLowerCase())})`);
  if (value.endsWith('.')) fail(scope, `${prop} must not end with '.', got ${show(value)}`);
  if (value.startsWith('*.')) {
    if (!options.wildcard) fail(scope, `${prop} must be a fully qualified host name; wildcard hosts are not allowed here, got ${show(value)}`);
    if (!isDnsSubdomain(value.slice(2))) fail(scope, `${prop} must be "*." followed by a DNS name, got ${show(value)}`);
    return value;
  }
  if (value.includes('*')) fail(scope, `${prop} may contain '*' only as a leading "*." label, got ${show(value)}`);
  if (!isFqdn(value)) {
    const hint = isDnsLabel(value) ? ` (short names resolve against the namespace of the rule, not of the service: use e.g. "${value}.<namespace>.svc.cluster.local")` : '';
    fail(scope, `${prop} must be a fully qualified host name (e.g. reviews.shop.svc.cluster.local), got ${show(value)}${hint}`);
  }
  return value;
}

/** Whether host pattern `a` (`*`, `*.x`, or a name) matches every name matched by `b`, or the two overlap. */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const covers = (wild: string, other: string) => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

/** Whether host pattern `pattern` (`*`, `*.x`, or a name) covers host `host` (itself possibly a wildcard). */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/** Checks a list of hosts for duplicates and overlaps (`*.foo.com` and `a.foo.com`). */
export function checkNoOverlap(scope: IConstruct, prop: string, hosts: string[]): void {
  for (let i = 0; i < hosts.length; i++) {
    for (let j = 0; j < i; j++) {
      if (hosts[i] === hosts[j]) fail(scope, `${prop} lists ${show(hosts[i])} twice`);
      if (hostsOverlap(hosts[i], hosts[j])) {
        fail(scope, `${prop}[${i}] ${show(hosts[i])} overlaps ${prop}[${j}] ${show(hosts[j])}; Istio rejects overlapping hosts in one resource`);
      }
    }
  }
}

/** Checks an HTTP header name (a lower- or mixed-case token; no pseudo-headers, no Host). */
export function checkHeaderName(scope: IConstruct, prop: string, name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) {
    fail(scope, `${prop} must be an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~; no ':' pseudo-headers), got ${show(name)}`);
  }
  if (name.toLowerCase() === 'host') fail(scope, `${prop} must not be the Host header (use the authority fields instead), got ${show(name)}`);
  return name;
}

/** Checks an HTTP header value: no CR/LF, and Envoy `%COMMAND%` expressions well formed (`%%` is a literal %). */
export function checkHeaderValue(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string') fail(scope, `${prop} must be a string, got ${show(value)}`);
  if (/[\r\n\0]/.test(value)) fail(scope, `${prop} must not contain CR, LF or NUL characters, got ${show(value)}`);
  const rest = value.replace(/%%/g, '').replace(/%[A-Z][A-Z0-9_]*(\([^%]*\))?(:\d+)?%/g, '');
  if (rest.includes('%')) fail(scope, `${prop} has a '%' that is not part of an Envoy %COMMAND% expression (write %% for a literal %), got ${show(value)}`);
  return value;
}

/** Checks that '*' appears in an Istio match value only alone, as a prefix or as a suffix (otherwise it is literal). */
export function checkWildcardPosition(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(scope, `${prop} must be a non-empty string, got ${show(value)}`);
  if (value === '*') return value;
  const stars = value.split('*').length - 1;
  if (stars === 0) return value;
  if (stars === 1 && (value.startsWith('*') || value.endsWith('*'))) return value;
  fail(scope, `${prop} may contain '*' only alone, as a prefix or as a suffix (Istio treats a '*' in the middle literally, so the match never applies), got ${show(value)}`);
}

/** JSON with sorted keys: a canonical key for comparing plain data. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** Deep copy of plain data (structs of strings, numbers, booleans, arrays and maps). */
export function copyData<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * The `exportTo` list of a VirtualService, DestinationRule or ServiceEntry: '.', '*', '~' or namespace names,
 * without duplicates; '*' and '~' only alone. `add()` is idempotent so that every graph edge can call it.
 */
export class ExportToList {
  private readonly values: string[];

  constructor(private readonly scope: IConstruct, private readonly ownNamespace: string | undefined, initial: string[] | undefined) {
    const list = checkArray(scope, 'exportTo', initial ?? ['.'], { nonEmpty: true });
    const normalized: string[] = [];
    list.forEach((v, i) => {
      const n = this.checkToken(`exportTo[${i}]`, v);
      if (normalized.includes(n)) {
        fail(scope, `exportTo lists ${show(v)} twice${n !== v ? ` ('.' is the object's own namespace ${show(ownNamespace)})` : ''}`);
      }
      normalized.push(n);
    });
    if (normalized.length > 1 && (normalized.includes('*') || normalized.includes('~'))) {
      fail(scope, `exportTo may contain '*' (every namespace) or '~' (no namespace) only alone, got ${show(list)}`);
    }
    this.values = normalized;
  }

  /** Adds a namespace ('.' or a name). Already covered namespaces are skipped. */
  public add(prop: string, namespace: string): void {
    const n = this.checkToken(prop, namespace);
    if (this.values.includes(n) || this.values.includes('*')) return;
    if (n === '*' || n === '~') fail(this.scope, `${prop} ${show(namespace)} cannot be added to exportTo ${show(this.values)}; pass exportTo: [${show(namespace)}] instead`);
    if (this.values.includes('~')) fail(this.scope, `${prop} ${show(namespace)} cannot be added: exportTo is '~' (exported to no namespace)`);
    this.values.push(n);
  }

  /** Sorted copy. */
  public get list(): string[] {
    return uniqSorted(this.values);
  }

  private checkToken(prop: string, value: string): string {
    if (value === '.' || value === '*' || value === '~') return value;
    if (!isDnsLabel(value)) fail(this.scope, `${prop} must be '.', '*', '~' or a namespace name (a DNS-1123 label), got ${show(value)}`);
    return value === this.ownNamespace ? '.' : value;
  }
}

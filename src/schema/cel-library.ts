// The CEL environment of kube-apiserver for CRD validation rules, on top of @bufbuild/cel: the CEL standard library,
// the strings extension, and the Kubernetes libraries (lists, regex, URLs, IPs, CIDRs, quantities, semver, sets,
// base64). Internal: not re-exported from the package.
import {
  celEnv, celFunc, celMethod, CelScalar, listType, mapType, objectType, isCelList, isCelMap, isCelUint,
  type CelEnv, type CelFunc, type CelList, type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { create, createFileRegistry, type DescMessage, type Registry } from '@bufbuild/protobuf';
import { isReflectMessage, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import {
  FileDescriptorProtoSchema, FieldDescriptorProto_Type, FieldDescriptorProto_Label,
} from '@bufbuild/protobuf/wkt';
import {
  parseRequestUri, urlHostname, urlPort, urlEscapedPath, urlQuery, parseIp, formatIp, parseCidr, formatCidr,
  cidrMasked, cidrContainsIp, cidrContainsCidr, ipIsUnspecified, ipIsLoopback, ipIsLinkLocalMulticast,
  ipIsLinkLocalUnicast, ipIsGlobalUnicast, type IpAddr, type CidrPrefix,
} from './k8s-net';
import {
  parseQuantity, compareRational, addRational, negateRational, rational, parseSemver, compareSemver,
  type Rational,
} from './k8s-quantity';

const { INT, DOUBLE, STRING, BOOL, BYTES, DYN } = CelScalar;

/** Opaque Kubernetes CEL types, modelled as protobuf messages with string fields so equality works. */
function buildRegistry(): Registry {
  const stringField = (name: string, number: number) => ({
    name,
    number,
    jsonName: name,
    type: FieldDescriptorProto_Type.STRING,
    label: FieldDescriptorProto_Label.OPTIONAL,
  });
  const file = create(FileDescriptorProtoSchema, {
    name: 'kubernetes_cel.proto',
    package: 'kubernetes',
    syntax: 'proto3',
    messageType: [
      { name: 'URL', field: [stringField('raw', 1)] },
      { name: 'IP', field: [stringField('addr', 1)] },
      { name: 'CIDR', field: [stringField('prefix', 1)] },
      { name: 'Quantity', field: [stringField('num', 1), stringField('den', 2)] },
      { name: 'Semver', field: [stringField('version', 1)] },
    ],
  });
  return createFileRegistry(file, () => undefined);
}

const REGISTRY = buildRegistry();

function desc(name: string): DescMessage {
  const d = REGISTRY.getMessage(`kubernetes.${name}`);
  if (!d) throw new Error(`internal: kubernetes.${name} not registered`);
  return d;
}

const URL_DESC = desc('URL');
const IP_DESC = desc('IP');
const CIDR_DESC = desc('CIDR');
const QUANTITY_DESC = desc('Quantity');
const SEMVER_DESC = desc('Semver');
const URL_T = objectType(URL_DESC);
const IP_T = objectType(IP_DESC);
const CIDR_T = objectType(CIDR_DESC);
const QUANTITY_T = objectType(QUANTITY_DESC);
const SEMVER_T = objectType(SEMVER_DESC);
const LIST = listType(DYN);
const STRING_LIST = listType(STRING);

function field(target: unknown, name: string): string {
  const msg = (target as ReflectMessage).message as unknown as { [key: string]: string };
  return msg[name];
}

// ---- URL ----

function newUrl(raw: string) {
  try {
    parseRequestUri(raw);
  } catch (e) {
    throw new Error(`URL parse error during conversion from string: ${(e as Error).message}`);
  }
  return create(URL_DESC, { raw } as any);
}

function urlOf(target: unknown) {
  return parseRequestUri(field(target, 'raw'));
}

// ---- IP / CIDR ----

function newIp(s: string) {
  const ip = parseIp(s);
  if (!ip) throw new Error(`IP Address "${s}" parse error during conversion from string: invalid IP address`);
  return create(IP_DESC, { addr: formatIp(ip) } as any);
}

function ipOf(target: unknown): IpAddr {
  return parseIp(field(target, 'addr'))!;
}

function newCidr(s: string) {
  const c = parseCidr(s);
  if (!c) throw new Error(`network address "${s}" parse error during conversion from string: invalid CIDR`);
  return cidrMessage(c);
}

function cidrMessage(c: CidrPrefix) {
  return create(CIDR_DESC, { prefix: formatCidr(c) } as any);
}

function cidrOf(target: unknown): CidrPrefix {
  return parseCidr(field(target, 'prefix'))!;
}

// ---- Quantity ----

function quantityMessage(r: Rational) {
  return create(QUANTITY_DESC, { num: r.num.toString(), den: r.den.toString() } as any);
}

function newQuantity(s: string) {
  const q = parseQuantity(s);
  if (!q) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got "${s}")`);
  return quantityMessage(q);
}

function quantityOf(target: unknown): Rational {
  return rational(BigInt(field(target, 'num')), BigInt(field(target, 'den')));
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

// ---- Semver ----

function newSemver(s: string) {
  if (!parseSemver(s)) throw new Error(`Semver "${s}" parse error during conversion from string: invalid semver`);
  return create(SEMVER_DESC, { version: s } as any);
}

function semverOf(target: unknown) {
  return parseSemver(field(target, 'version'))!;
}

// ---- lists ----

function durationNanos(v: ReflectMessage): bigint {
  const m = v.message as unknown as { seconds: bigint; nanos: number };
  return BigInt(m.seconds) * 1000000000n + BigInt(m.nanos);
}

/** Orders two comparable CEL values (int, uint, double, string, bool, bytes, duration, timestamp). */
function compareValues(a: CelValue, b: CelValue): number {
  if (isCelUint(a)) a = a.value;
  if (isCelUint(b)) b = b.value;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (isReflectMessage(a) && isReflectMessage(b) && a.desc.typeName === b.desc.typeName
    && (a.desc.typeName === 'google.protobuf.Duration' || a.desc.typeName === 'google.protobuf.Timestamp')) {
    const x = durationNanos(a);
    const y = durationNanos(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new Error(`no such overload: values of type ${typeName(a)} and ${typeName(b)} are not comparable`);
}

function typeName(v: CelValue): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isCelList(v)) return 'list';
  if (isCelMap(v)) return 'map';
  if (isReflectMessage(v)) return v.desc.typeName;
  return 'dyn';
}

/** CEL equality for the values lists hold (scalars, lists, maps, messages with string fields). */
function celEquals(a: CelValue, b: CelValue): boolean {
  if (isCelUint(a)) a = a.value;
  if (isCelUint(b)) b = b.value;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!celEquals(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !celEquals(v, b.get(k)!)) return false;
    }
    return true;
  }
  if (isReflectMessage(a) && isReflectMessage(b)) {
    if (a.desc.typeName !== b.desc.typeName) return false;
    if (a.desc.typeName === 'google.protobuf.Duration' || a.desc.typeName === 'google.protobuf.Timestamp') {
      return durationNanos(a) === durationNanos(b);
    }
    return JSON.stringify(a.message, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
      === JSON.stringify(b.message, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return false;
}

function listValues(l: CelList): CelValue[] {
  return [...l];
}

function sumList(l: CelList): CelValue {
  const values = listValues(l);
  if (values.length === 0) return 0n;
  if (values.every((v) => typeof v === 'bigint')) {
    const sum = (values as bigint[]).reduce((a, b) => a + b, 0n);
    if (sum > INT64_MAX || sum < INT64_MIN) throw new Error('integer overflow');
    return sum;
  }
  if (values.every((v) => typeof v === 'number')) return (values as number[]).reduce((a, b) => a + b, 0);
  if (values.every((v) => isCelUint(v))) {
    throw new Error('no such overload: sum() of uint lists is not supported by this validator');
  }
  throw new Error(`no such overload: sum() needs a list of int or double, got elements of type ${typeName(values[0])}`);
}

function extreme(l: CelList, name: string, sign: number): CelValue {
  const values = listValues(l);
  if (values.length === 0) throw new Error(`${name} called on empty list`);
  let best = values[0];
  for (const v of values.slice(1)) {
    if (compareValues(v, best) * sign > 0) best = v;
  }
  return best;
}

// ---- regex ----

/** Converts a RE2 pattern with leading inline flags (`(?i)`, `(?s)`, `(?m)`) to a JS RegExp. */
function re2ToRegExp(pattern: string, global: boolean): RegExp {
  let flags = 'u' + (global ? 'g' : '');
  let source = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(source);
  if (m) {
    source = source.slice(m[0].length);
    for (const f of m[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new Error(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

// ---- the function set ----

function kubernetesFunctions(): CelFunc[] {
  const f: CelFunc[] = [];

  // lists (k8s.io/apiserver/pkg/cel/library/lists.go)
  f.push(celMethod('isSorted', LIST, [], BOOL, function () {
    const values = listValues(this);
    for (let i = 1; i < values.length; i++) if (compareValues(values[i - 1], values[i]) > 0) return false;
    return true;
  }));
  f.push(celMethod('sum', LIST, [], DYN, function () {
    return sumList(this) as any;
  }));
  f.push(celMethod('min', LIST, [], DYN, function () {
    return extreme(this, 'min', -1) as any;
  }));
  f.push(celMethod('max', LIST, [], DYN, function () {
    return extreme(this, 'max', 1) as any;
  }));
  f.push(celMethod('indexOf', LIST, [DYN], INT, function (x) {
    const values = listValues(this);
    for (let i = 0; i < values.length; i++) if (celEquals(values[i], x)) return BigInt(i);
    return -1n;
  }));
  f.push(celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    const values = listValues(this);
    for (let i = values.length - 1; i >= 0; i--) if (celEquals(values[i], x)) return BigInt(i);
    return -1n;
  }));

  // regex (library/regex.go)
  f.push(celMethod('find', STRING, [STRING], STRING, function (re) {
    const m = re2ToRegExp(re, false).exec(this);
    return m ? m[0] : '';
  }));
  f.push(celMethod('findAll', STRING, [STRING], STRING_LIST, function (re) {
    return [...this.matchAll(re2ToRegExp(re, true))].map((m) => m[0]);
  }));
  f.push(celMethod('findAll', STRING, [STRING, INT], STRING_LIST, function (re, limit) {
    const all = [...this.matchAll(re2ToRegExp(re, true))].map((m) => m[0]);
    return limit < 0n ? all : all.slice(0, Number(limit));
  }));
  f.push(celFunc('matches', [STRING, STRING], BOOL, (s, re) => re2ToRegExp(re, false).test(s)));

  // strings: additions kube-apiserver has beyond @bufbuild/cel's strings extension
  f.push(celMethod('reverse', STRING, [], STRING, function () {
    return [...this].reverse().join('');
  }));

  // URLs (library/urls.go)
  f.push(celFunc('isURL', [STRING], BOOL, (s) => {
    try {
      parseRequestUri(s);
      return true;
    } catch {
      return false;
    }
  }));
  f.push(celFunc('url', [STRING], URL_T, (s) => newUrl(s)));
  f.push(celMethod('getScheme', URL_T, [], STRING, function () {
    return urlOf(this).scheme;
  }));
  f.push(celMethod('getHost', URL_T, [], STRING, function () {
    return urlOf(this).host;
  }));
  f.push(celMethod('getHostname', URL_T, [], STRING, function () {
    return urlHostname(urlOf(this).host);
  }));
  f.push(celMethod('getPort', URL_T, [], STRING, function () {
    return urlPort(urlOf(this).host);
  }));
  f.push(celMethod('getEscapedPath', URL_T, [], STRING, function () {
    return urlEscapedPath(urlOf(this).rawPath);
  }));
  f.push(celMethod('getQuery', URL_T, [], mapType(STRING, STRING_LIST), function () {
    return urlQuery(urlOf(this).rawQuery);
  }));
  f.push(celFunc('string', [URL_T], STRING, (u) => field(u, 'raw')));

  // IP addresses (library/ip.go)
  f.push(celFunc('isIP', [STRING], BOOL, (s) => parseIp(s) !== undefined));
  f.push(celFunc('ip', [STRING], IP_T, (s) => newIp(s)));
  f.push(celFunc('ip.isCanonical', [STRING], BOOL, (s) => {
    const ip = parseIp(s);
    if (!ip) throw new Error(`IP Address "${s}" parse error during conversion from string: invalid IP address`);
    return formatIp(ip) === s;
  }));
  f.push(celMethod('family', IP_T, [], INT, function () {
    return BigInt(ipOf(this).family);
  }));
  f.push(celMethod('isUnspecified', IP_T, [], BOOL, function () {
    return ipIsUnspecified(ipOf(this));
  }));
  f.push(celMethod('isLoopback', IP_T, [], BOOL, function () {
    return ipIsLoopback(ipOf(this));
  }));
  f.push(celMethod('isLinkLocalMulticast', IP_T, [], BOOL, function () {
    return ipIsLinkLocalMulticast(ipOf(this));
  }));
  f.push(celMethod('isLinkLocalUnicast', IP_T, [], BOOL, function () {
    return ipIsLinkLocalUnicast(ipOf(this));
  }));
  f.push(celMethod('isGlobalUnicast', IP_T, [], BOOL, function () {
    return ipIsGlobalUnicast(ipOf(this));
  }));
  f.push(celFunc('string', [IP_T], STRING, (ip) => field(ip, 'addr')));

  // CIDRs (library/cidr.go)
  f.push(celFunc('isCIDR', [STRING], BOOL, (s) => parseCidr(s) !== undefined));
  f.push(celFunc('cidr', [STRING], CIDR_T, (s) => newCidr(s)));
  f.push(celMethod('containsIP', CIDR_T, [IP_T], BOOL, function (ip) {
    return cidrContainsIp(cidrOf(this), ipOf(ip));
  }));
  f.push(celMethod('containsIP', CIDR_T, [STRING], BOOL, function (s) {
    const ip = parseIp(s);
    if (!ip) throw new Error(`IP Address "${s}" parse error during conversion from string: invalid IP address`);
    return cidrContainsIp(cidrOf(this), ip);
  }));
  f.push(celMethod('containsCIDR', CIDR_T, [CIDR_T], BOOL, function (c) {
    return cidrContainsCidr(cidrOf(this), cidrOf(c));
  }));
  f.push(celMethod('containsCIDR', CIDR_T, [STRING], BOOL, function (s) {
    const c = parseCidr(s);
    if (!c) throw new Error(`network address "${s}" parse error during conversion from string: invalid CIDR`);
    return cidrContainsCidr(cidrOf(this), c);
  }));
  f.push(celMethod('ip', CIDR_T, [], IP_T, function () {
    return create(IP_DESC, { addr: formatIp(cidrOf(this).ip) } as any);
  }));
  f.push(celMethod('masked', CIDR_T, [], CIDR_T, function () {
    return cidrMessage(cidrMasked(cidrOf(this)));
  }));
  f.push(celMethod('prefixLength', CIDR_T, [], INT, function () {
    return BigInt(cidrOf(this).bits);
  }));
  f.push(celFunc('string', [CIDR_T], STRING, (c) => field(c, 'prefix')));

  // quantities (library/quantity.go)
  f.push(celFunc('isQuantity', [STRING], BOOL, (s) => parseQuantity(s) !== undefined));
  f.push(celFunc('quantity', [STRING], QUANTITY_T, (s) => newQuantity(s)));
  f.push(celMethod('isInteger', QUANTITY_T, [], BOOL, function () {
    const q = quantityOf(this);
    return q.den === 1n && q.num <= INT64_MAX && q.num >= INT64_MIN;
  }));
  f.push(celMethod('asInteger', QUANTITY_T, [], INT, function () {
    const q = quantityOf(this);
    if (q.den !== 1n || q.num > INT64_MAX || q.num < INT64_MIN) {
      throw new Error('cannot convert value to integer');
    }
    return q.num;
  }));
  f.push(celMethod('asApproximateFloat', QUANTITY_T, [], DOUBLE, function () {
    const q = quantityOf(this);
    return Number(q.num) / Number(q.den);
  }));
  f.push(celMethod('sign', QUANTITY_T, [], INT, function () {
    const q = quantityOf(this);
    return q.num > 0n ? 1n : q.num < 0n ? -1n : 0n;
  }));
  f.push(celMethod('add', QUANTITY_T, [QUANTITY_T], QUANTITY_T, function (o) {
    return quantityMessage(addRational(quantityOf(this), quantityOf(o)));
  }));
  f.push(celMethod('add', QUANTITY_T, [INT], QUANTITY_T, function (o) {
    return quantityMessage(addRational(quantityOf(this), rational(o, 1n)));
  }));
  f.push(celMethod('sub', QUANTITY_T, [QUANTITY_T], QUANTITY_T, function (o) {
    return quantityMessage(addRational(quantityOf(this), negateRational(quantityOf(o))));
  }));
  f.push(celMethod('sub', QUANTITY_T, [INT], QUANTITY_T, function (o) {
    return quantityMessage(addRational(quantityOf(this), rational(-o, 1n)));
  }));
  f.push(celMethod('isGreaterThan', QUANTITY_T, [QUANTITY_T], BOOL, function (o) {
    return compareRational(quantityOf(this), quantityOf(o)) > 0;
  }));
  f.push(celMethod('isLessThan', QUANTITY_T, [QUANTITY_T], BOOL, function (o) {
    return compareRational(quantityOf(this), quantityOf(o)) < 0;
  }));
  f.push(celMethod('compareTo', QUANTITY_T, [QUANTITY_T], INT, function (o) {
    return BigInt(compareRational(quantityOf(this), quantityOf(o)));
  }));

  // semantic versions (library/semverlib.go)
  f.push(celFunc('isSemver', [STRING], BOOL, (s) => parseSemver(s) !== undefined));
  f.push(celFunc('semver', [STRING], SEMVER_T, (s) => newSemver(s)));
  f.push(celMethod('major', SEMVER_T, [], INT, function () {
    return semverOf(this).major;
  }));
  f.push(celMethod('minor', SEMVER_T, [], INT, function () {
    return semverOf(this).minor;
  }));
  f.push(celMethod('patch', SEMVER_T, [], INT, function () {
    return semverOf(this).patch;
  }));
  f.push(celMethod('isGreaterThan', SEMVER_T, [SEMVER_T], BOOL, function (o) {
    return compareSemver(semverOf(this), semverOf(o)) > 0;
  }));
  f.push(celMethod('isLessThan', SEMVER_T, [SEMVER_T], BOOL, function (o) {
    return compareSemver(semverOf(this), semverOf(o)) < 0;
  }));
  f.push(celMethod('compareTo', SEMVER_T, [SEMVER_T], INT, function (o) {
    return BigInt(compareSemver(semverOf(this), semverOf(o)));
  }));

  // sets extension (cel-go ext.Sets)
  f.push(celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    return listValues(b).every((x) => av.some((y) => celEquals(x, y)));
  }));
  f.push(celFunc('sets.equivalent', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    const bv = listValues(b);
    return bv.every((x) => av.some((y) => celEquals(x, y))) && av.every((x) => bv.some((y) => celEquals(x, y)));
  }));
  f.push(celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => {
    const av = listValues(a);
    return listValues(b).some((x) => av.some((y) => celEquals(x, y)));
  }));

  // encoders extension (cel-go ext.Encoders)
  f.push(celFunc('base64.encode', [BYTES], STRING, (b) => Buffer.from(b).toString('base64')));
  f.push(celFunc('base64.decode', [STRING], BYTES, (s) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error('illegal base64 data');
    return new Uint8Array(Buffer.from(s, 'base64'));
  }));
  return f;
}

/** Operators the @bufbuild/cel planner implements itself (they are not in the function resolver). */
const BUILTIN_OPERATORS = new Set([
  '_[_]', '_[?_]', '_?._', '_?_:_', '_&&_', '_||_', '@not_strictly_false', '__not_strictly_false__',
]);

/** The Kubernetes CEL environment and the names it provides. */
export interface KubernetesCel {
  readonly env: CelEnv;
  /** Global function names (including namespaced ones like `sets.contains`). */
  readonly functions: ReadonlySet<string>;
  /** Method (receiver-style) names. */
  readonly methods: ReadonlySet<string>;
}

let cached: KubernetesCel | undefined;

/** Builds (once) the CEL environment kube-apiserver offers to CRD validation rules. */
export function kubernetesCel(): KubernetesCel {
  if (cached) return cached;
  const env = celEnv({ registry: REGISTRY, funcs: [...strings, ...kubernetesFunctions()] });
  const functions = new Set<string>(BUILTIN_OPERATORS);
  const methods = new Set<string>();
  for (const fn of env.funcs) {
    if (fn.target === undefined) functions.add(fn.name);
    else methods.add(fn.name);
  }
  cached = { env, functions, methods };
  return cached;
}

// Go-compatible parsing of URLs (net/url.ParseRequestURI), IP addresses (net/netip.ParseAddr) and CIDR prefixes
// (net/netip.ParsePrefix), as the Kubernetes CEL libraries use them. Internal: not re-exported from the package.
// Address and prefix arithmetic is bit manipulation by nature:
/* eslint-disable no-bitwise */

/** A URL parsed like Go's `url.ParseRequestURI`. */
export interface ParsedUrl {
  readonly scheme: string;
  readonly opaque: string;
  /** host[:port], IPv6 literals with brackets. */
  readonly host: string;
  /** The path as written (still percent-encoded). */
  readonly rawPath: string;
  readonly rawQuery: string;
}

const CTL = /[\x00-\x1f\x7f]/;

function isHex(c: string): boolean {
  return /^[0-9A-Fa-f]$/.test(c);
}

/** Go's `shouldEscape(c, encodeHost)` for ASCII characters. */
function hostCharNeedsEscape(c: string): boolean {
  if (/^[A-Za-z0-9]$/.test(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('!$&\'()*+,;=:[]<>"'.includes(c)) return false;
  return true;
}

/** Checks percent-escapes; in host mode also rejects characters Go refuses in host names. */
function checkEscapes(s: string, host: boolean): void {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        throw new Error(`invalid URL escape "${s.slice(i, i + 3)}"`);
      }
      i += 2;
    } else if (host && c.charCodeAt(0) < 0x80 && hostCharNeedsEscape(c)) {
      throw new Error(`invalid character "${c}" in host name`);
    }
  }
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): void {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error('missing \']\' in host');
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port "${colonPort}" after host`);
    const zone = host.slice(0, i).indexOf('%25');
    checkEscapes(zone >= 0 ? host.slice(0, zone) : host.slice(0, i + 1), true);
    return;
  }
  const i = host.lastIndexOf(':');
  if (i >= 0) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port "${colonPort}" after host`);
  }
  checkEscapes(host, true);
}

function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** Parses like Go's `url.ParseRequestURI`: an absolute URI or an absolute path. Throws with Go's message. */
export function parseRequestUri(raw: string): ParsedUrl {
  const fail = (msg: string): never => {
    throw new Error(`parse "${raw}": ${msg}`);
  };
  if (CTL.test(raw)) fail('net/url: invalid control character in URL');
  if (raw === '') fail('empty url');
  let scheme: string;
  let rest: string;
  try {
    [scheme, rest] = splitScheme(raw);
  } catch (e) {
    return fail((e as Error).message);
  }
  scheme = scheme.toLowerCase();
  let rawQuery = '';
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      return { scheme, opaque: rest, host: '', rawPath: '', rawQuery };
    }
    fail('invalid URI for request');
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const slash = afterSlashes.indexOf('/');
    const authority = slash >= 0 ? afterSlashes.slice(0, slash) : afterSlashes;
    rest = slash >= 0 ? afterSlashes.slice(slash) : '';
    const at = authority.lastIndexOf('@');
    host = at >= 0 ? authority.slice(at + 1) : authority;
    try {
      if (at >= 0) checkEscapes(authority.slice(0, at), false);
      parseHost(host);
    } catch (e) {
      fail((e as Error).message);
    }
  }
  try {
    checkEscapes(rest, false);
  } catch (e) {
    fail((e as Error).message);
  }
  return { scheme, opaque: '', host, rawPath: rest, rawQuery };
}

/** `getHostname()`: the host without port, IPv6 without brackets. */
export function urlHostname(host: string): string {
  if (host.startsWith('[')) {
    const i = host.indexOf(']');
    return i >= 0 ? host.slice(1, i) : host.slice(1);
  }
  const i = host.indexOf(':');
  return i >= 0 ? host.slice(0, i) : host;
}

/** `getPort()`: the port, or ''. */
export function urlPort(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') : -1;
  const i = host.indexOf(':', end + 1);
  return i >= 0 ? host.slice(i + 1) : '';
}

function unescapeComponent(s: string, plusIsSpace: boolean): string {
  const t = plusIsSpace ? s.replace(/\+/g, ' ') : s;
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '%') {
      if (i + 2 >= t.length || !isHex(t[i + 1]) || !isHex(t[i + 2])) throw new Error('invalid escape');
      bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(t[i], 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `getEscapedPath()`. */
export function urlEscapedPath(rawPath: string): string {
  // the raw path was validated on parse; Go returns it when it is a valid encoding of the path
  if (/^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/.test(rawPath)) return rawPath;
  const decoded = unescapeComponent(rawPath, false);
  return decoded.split('/').map((seg) => encodeURIComponent(seg).replace(/%3A/gi, ':').replace(/%40/g, '@')
    .replace(/%24/g, '$').replace(/%26/g, '&').replace(/%2B/g, '+').replace(/%2C/g, ',').replace(/%3B/g, ';')
    .replace(/%3D/g, '=')).join('/');
}

/** `getQuery()`: like Go's `url.Query()` (malformed pairs are dropped). */
export function urlQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = unescapeComponent(eq >= 0 ? pair.slice(0, eq) : pair, true);
      value = unescapeComponent(eq >= 0 ? pair.slice(eq + 1) : '', true);
    } catch {
      continue;
    }
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

/** An IP address: 4 or 16 bytes. */
export interface IpAddr {
  readonly family: 4 | 6;
  readonly bytes: number[];
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    if (p.length > 1 && p[0] === '0') return undefined; // netip rejects leading zeros
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined; // zones are not allowed
  let head = s;
  let v4: number[] | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    v4 = parseIpv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = v4 ? 6 : 8;
  const dbl = head.indexOf('::');
  if (dbl !== head.lastIndexOf('::') && dbl >= 0) return undefined;
  const parseGroups = (t: string): number[] | undefined => {
    if (t === '') return [];
    const out: number[] = [];
    for (const g of t.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseGroups(head.slice(0, dbl));
    const right = parseGroups(head.slice(dbl + 2));
    if (!left || !right) return undefined;
    const fill = groupsWanted - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...new Array(fill).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (!all || all.length !== groupsWanted) return undefined;
    groups = all;
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  if (v4) bytes.push(...v4);
  return bytes;
}

/**
 * Parses an IP address like Kubernetes' CEL `ip()`: netip.ParseAddr, without zones and without IPv4-mapped IPv6.
 * Returns undefined when invalid.
 */
export function parseIp(s: string): IpAddr | undefined {
  if (s.includes(':')) {
    const bytes = parseIpv6(s);
    if (!bytes) return undefined;
    const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    if (mapped) return undefined;
    return { family: 6, bytes };
  }
  const bytes = parseIpv4(s);
  return bytes ? { family: 4, bytes } : undefined;
}

/** Canonical text form (RFC 5952 for IPv6). */
export function formatIp(ip: IpAddr): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i] << 8) | ip.bytes[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function inPrefix(ip: IpAddr, prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((ip.bytes[byte] & mask) !== (prefix[byte] & mask)) return false;
  }
  return true;
}

export function ipIsUnspecified(ip: IpAddr): boolean {
  return ip.bytes.every((b) => b === 0);
}

export function ipIsLoopback(ip: IpAddr): boolean {
  if (ip.family === 4) return ip.bytes[0] === 127;
  return ip.bytes.slice(0, 15).every((b) => b === 0) && ip.bytes[15] === 1;
}

export function ipIsMulticast(ip: IpAddr): boolean {
  return ip.family === 4 ? (ip.bytes[0] & 0xf0) === 0xe0 : ip.bytes[0] === 0xff;
}

export function ipIsLinkLocalMulticast(ip: IpAddr): boolean {
  if (ip.family === 4) return ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0;
  return ip.bytes[0] === 0xff && (ip.bytes[1] & 0x0f) === 0x02;
}

export function ipIsLinkLocalUnicast(ip: IpAddr): boolean {
  if (ip.family === 4) return ip.bytes[0] === 169 && ip.bytes[1] === 254;
  return ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80;
}

export function ipIsGlobalUnicast(ip: IpAddr): boolean {
  if (ip.family === 4 && ip.bytes.every((b) => b === 255)) return false;
  return !ipIsUnspecified(ip) && !ipIsLoopback(ip) && !ipIsMulticast(ip) && !ipIsLinkLocalUnicast(ip);
}

/** A CIDR prefix: the address as written and the prefix length. */
export interface CidrPrefix {
  readonly ip: IpAddr;
  readonly bits: number;
}

/** Parses like netip.ParsePrefix (no zones, no IPv4-mapped IPv6). Returns undefined when invalid. */
export function parseCidr(s: string): CidrPrefix | undefined {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (!ip || !/^[0-9]+$/.test(bitsText) || (bitsText.length > 1 && bitsText[0] === '0')) return undefined;
  const bits = Number(bitsText);
  if (bits > (ip.family === 4 ? 32 : 128)) return undefined;
  return { ip, bits };
}

export function cidrMasked(c: CidrPrefix): CidrPrefix {
  const bytes = c.ip.bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, c.bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  return { ip: { family: c.ip.family, bytes }, bits: c.bits };
}

export function cidrContainsIp(c: CidrPrefix, ip: IpAddr): boolean {
  return c.ip.family === ip.family && inPrefix(ip, c.ip.bytes, c.bits);
}

export function cidrContainsCidr(c: CidrPrefix, other: CidrPrefix): boolean {
  return c.ip.family === other.ip.family && other.bits >= c.bits && inPrefix(other.ip, c.ip.bytes, c.bits);
}

export function formatCidr(c: CidrPrefix): string {
  return `${formatIp(c.ip)}/${c.bits}`;
}

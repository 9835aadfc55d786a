import { listText } from '../helpers';
import { arr, RawFinding, rec, Rule, str } from '../model';

type Json = { [key: string]: any };

const IGNORED_MATCH_KEYS = new Set(['name', 'statPrefix']);

/** True when a StringMatch `a` matches every string that `b` matches. */
function stringMatchCovers(a: any, b: any, aIgnoreCase = false, bIgnoreCase = false): boolean {
  const am = rec(a);
  const bm = rec(b);
  if (bIgnoreCase && !aIgnoreCase) return false; // b also matches other letter cases
  const norm = (s: string) => (aIgnoreCase ? s.toLowerCase() : s);
  const ae = str(am.exact);
  const ap = str(am.prefix);
  const ar = str(am.regex);
  const be = str(bm.exact);
  const bp = str(bm.prefix);
  const br = str(bm.regex);
  if (ae !== undefined) return be !== undefined && norm(be) === norm(ae);
  if (ap !== undefined) {
    if (ap === '') return true;
    if (be !== undefined) return norm(be).startsWith(norm(ap));
    if (bp !== undefined) return norm(bp).startsWith(norm(ap));
    return false;
  }
  if (ar !== undefined) {
    if (ar === '.*') return true;
    return br !== undefined && br === ar;
  }
  // Empty StringMatch: treat as "any value".
  return Object.keys(am).length === 0;
}

function mapCovers(a: any, b: any): boolean {
  const am = rec(a);
  const bm = rec(b);
  for (const [k, v] of Object.entries(am)) {
    if (!(k in bm)) return false;
    if (!stringMatchCovers(v, bm[k])) return false;
  }
  return true;
}

function isCatchAllUri(m: Json): boolean {
  const uri = rec(m.uri);
  return str(uri.prefix) === '/' || str(uri.prefix) === '' || str(uri.regex) === '.*' || str(uri.regex) === '/.*';
}

/** True when HTTP match `a` matches every request that match `b` matches. */
function httpMatchCovers(a: Json, b: Json): boolean {
  for (const [key, av] of Object.entries(a)) {
    if (IGNORED_MATCH_KEYS.has(key) || av === undefined || av === null) continue;
    const bv = b[key];
    switch (key) {
      case 'uri':
        if (isCatchAllUri(a)) continue;
        if (bv === undefined || !stringMatchCovers(av, bv, a.ignoreUriCase === true, b.ignoreUriCase === true)) return false;
        continue;
      case 'ignoreUriCase':
        continue;
      case 'scheme':
      case 'method':
      case 'authority':
        if (bv === undefined || !stringMatchCovers(av, bv)) return false;
        continue;
      case 'headers':
      case 'queryParams':
        if (!mapCovers(av, bv)) return false;
        continue;
      case 'sourceLabels': {
        const bl = rec(bv);
        for (const [k, v] of Object.entries(rec(av))) if (bl[k] !== v) return false;
        continue;
      }
      case 'gateways': {
        const ag = arr(av);
        const bg = arr(bv);
        if (ag.length === 0) continue;
        if (bg.length === 0 || !bg.every((g) => ag.includes(g))) return false;
        continue;
      }
      case 'withoutHeaders': {
        const bw = rec(bv);
        for (const [k, v] of Object.entries(rec(av))) {
          if (!(k in bw) || JSON.stringify(bw[k]) !== JSON.stringify(v)) return false;
        }
        continue;
      }
      default:
        if (JSON.stringify(av) !== JSON.stringify(bv)) return false;
    }
  }
  return true;
}

/** True when a generic (tcp/tls) match `a` is identical to `b` for matching purposes. */
function l4MatchCovers(a: Json, b: Json): boolean {
  for (const [key, av] of Object.entries(a)) {
    if (IGNORED_MATCH_KEYS.has(key) || av === undefined || av === null) continue;
    if (key === 'sniHosts' || key === 'destinationSubnets' || key === 'gateways') {
      const al = arr(av);
      const bl = arr(b[key]);
      if (al.length === 0) continue;
      if (bl.length === 0 || !bl.every((x) => al.includes(x))) return false;
      continue;
    }
    if (key === 'sourceLabels') {
      const bl = rec(b[key]);
      for (const [k, v] of Object.entries(rec(av))) if (bl[k] !== v) return false;
      continue;
    }
    if (JSON.stringify(av) !== JSON.stringify(b[key])) return false;
  }
  return true;
}

function routeLabel(route: Json, i: number, section: string): string {
  const name = str(route.name);
  return name ? `${section}[${i}] ('${name}')` : `${section}[${i}]`;
}

/** Indexes of rules that can never match because earlier rules already match all their requests. */
function unreachable(routes: any[], covers: (a: Json, b: Json) => boolean): number[] {
  const out: number[] = [];
  const earlier: Json[] = [];
  let catchAll = false;
  routes.forEach((route, i) => {
    const matches = arr(rec(route).match).map(rec);
    if (catchAll) {
      out.push(i);
      return;
    }
    if (matches.length === 0) {
      catchAll = true;
      return;
    }
    if (matches.every((m) => earlier.some((e) => covers(e, m)))) out.push(i);
    earlier.push(...matches);
    if (matches.some((m) => covers(m, {}))) catchAll = true;
  });
  return out;
}

/** A VirtualService route rule that can never be selected because an earlier rule matches all its requests. */
export const UNREACHABLE_ROUTE_RULE: Rule = {
  id: 'unreachable-route-rule',
  severity: 'warning',
  codes: ['IST0130', 'IST0131'],
  summary: 'A VirtualService route rule is shadowed by an earlier rule (a catch-all, a duplicate or broader match).',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const spec = rec(vs.spec);
      const labels: string[] = [];
      for (const section of ['http', 'tcp', 'tls'] as const) {
        const routes = arr(spec[section]);
        const covers = section === 'http' ? httpMatchCovers : l4MatchCovers;
        for (const i of unreachable(routes, covers)) labels.push(routeLabel(rec(routes[i]), i, section));
      }
      if (labels.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService rule ${listText(labels)} is never used: an earlier rule (a catch-all or a broader/identical match) already takes all its requests.`,
        hint: 'Order rules from most to least specific and keep a single catch-all rule (no match, or prefix "/") last.',
      });
    }
    return out;
  },
};

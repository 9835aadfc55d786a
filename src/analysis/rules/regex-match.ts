import { listText } from '../helpers';
import { arr, RawFinding, rec, Rule, str } from '../model';

const META = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);

/** The literal text of `s` if it contains no unescaped regex metacharacter (escapes of punctuation allowed). */
function literal(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined; // \d, \w, \b … are classes
      out += n;
      i++;
      continue;
    }
    if (META.has(c)) return undefined;
    out += c;
  }
  return out;
}

/** `exact` or `prefix` equivalent of a full-match RE2 regex, when there is one. */
export function simpleEquivalent(regex: string): { kind: 'exact' | 'prefix'; value: string } | undefined {
  let r = regex;
  if (r.startsWith('^')) r = r.slice(1);
  if (r.endsWith('$') && !r.endsWith('\\$')) r = r.slice(0, -1);
  if (r.endsWith('.*') && !r.endsWith('\\.*')) {
    const lit = literal(r.slice(0, -2));
    if (lit !== undefined && lit.length > 0) return { kind: 'prefix', value: lit };
    return undefined;
  }
  const lit = literal(r);
  if (lit !== undefined && lit.length > 0) return { kind: 'exact', value: lit };
  return undefined;
}

/** A regex match that an exact or prefix match expresses (cheaper, reviewable, no RE2 surprises). */
export const REGEX_MATCH: Rule = {
  id: 'regex-match',
  severity: 'warning',
  codes: [],
  summary: 'A VirtualService match uses a regex that an exact or prefix match can express.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const vs of index.virtualServices) {
      const found: string[] = [];
      arr(rec(vs.spec).http).forEach((route, i) => {
        arr(rec(route).match).forEach((m, j) => {
          const mm = rec(m);
          const consider = (where: string, sm: any) => {
            const re = str(rec(sm).regex);
            if (re === undefined) return;
            const eq = simpleEquivalent(re);
            if (eq) found.push(`http[${i}].match[${j}].${where} regex '${re}' (use ${eq.kind}: '${eq.value}')`);
          };
          for (const f of ['uri', 'scheme', 'method', 'authority']) consider(f, mm[f]);
          for (const f of ['headers', 'queryParams', 'withoutHeaders']) {
            for (const [k, v] of Object.entries(rec(mm[f]))) consider(`${f}.${k}`, v);
          }
        });
      });
      if (found.length === 0) continue;
      out.push({
        object: vs,
        message: `VirtualService uses ${listText(found)}; the regex matches exactly what a simpler match does.`,
        hint: 'Replace the regex with the exact or prefix match shown; keep regex for patterns that need it.',
      });
    }
    return out;
  },
};

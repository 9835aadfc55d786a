import * as fc from 'fast-check';
import { crdValidator } from '../helpers';
import { allValidFixtures } from './fixtures/load';

const FIXTURES = allValidFixtures().map((f) => f.manifest);

type Segment = string | number;

/** Every location in a JSON value (including the root). */
function locations(value: unknown, at: Segment[] = []): Segment[][] {
  const out: Segment[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...locations(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...locations(v, [...at, k]));
  return out;
}

type Mutation =
  | { op: 'set'; value: unknown }
  | { op: 'delete' }
  | { op: 'addField'; key: string; value: unknown }
  | { op: 'duplicate' };

function apply(manifest: any, at: Segment[], m: Mutation): any {
  const copy = JSON.parse(JSON.stringify(manifest));
  if (at.length === 0) return m.op === 'set' ? m.value : copy;
  let parent: any = copy;
  for (const s of at.slice(0, -1)) parent = parent[s];
  const last = at[at.length - 1];
  switch (m.op) {
    case 'set':
      parent[last] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'addField':
      if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last])) parent[last][m.key] = m.value;
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(parent[last as number])));
      break;
  }
  return copy;
}

const interestingValues = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, '', '*', '0', '-1', '500us', '1.5ms', 'NaN', '::1', '10.0.0.0/8', 'unix:///x', 'a'.repeat(300)),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1.5, -0, 65536, Number.MAX_SAFE_INTEGER),
  fc.string(),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), value: interestingValues }),
  fc.constant({ op: 'delete' as const }),
  fc.record({ op: fc.constant('addField' as const), key: fc.oneof(fc.string(), fc.constantFrom('namespace', 'status', '__x__', 'a-b', 'kind')), value: interestingValues }),
  fc.constant({ op: 'duplicate' as const }),
);

describe('property: the validator never throws', () => {
  test('random mutations of valid manifests either validate or produce well-formed problems', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.nat(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (which, where, mutations) => {
          // GIVEN a valid fixture with random mutations at random locations
          let manifest: any = FIXTURES[which];
          for (const m of mutations) {
            const locs = locations(manifest);
            manifest = apply(manifest, locs[where % locs.length], m);
          }
          const before = JSON.stringify(manifest);
          // WHEN
          const problems = crdValidator().validateObject(manifest);
          // THEN problems are well-formed, never internal errors, and the input is untouched
          expect(Array.isArray(problems)).toBe(true);
          for (const p of problems) {
            expect(typeof p.object).toBe('string');
            expect(typeof p.path).toBe('string');
            expect(typeof p.message).toBe('string');
            expect(p.message.length).toBeGreaterThan(0);
            expect(p.message).not.toMatch(/internal validator error/);
          }
          expect(JSON.stringify(manifest)).toBe(before);
          // and validation is deterministic
          expect(crdValidator().validateObject(manifest)).toEqual(problems);
        },
      ),
      { numRuns: 300, seed: 20260501 },
    );
  });

  test('arbitrary YAML text never makes validateYaml throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        // WHEN / THEN
        const problems = crdValidator().validateYaml(text, 'fuzz.yaml');
        expect(Array.isArray(problems)).toBe(true);
        expect(problems.every((p) => !/internal validator error/.test(p.message))).toBe(true);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  test('unmutated fixtures stay valid', () => {
    // GIVEN / WHEN / THEN
    for (const m of FIXTURES) expect(crdValidator().validateObject(m)).toEqual([]);
  });
});

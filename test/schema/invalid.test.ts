import { crdValidator } from '../helpers';
import { INVALID_CASES } from './fixtures/invalid-cases';

describe('invalid manifests', () => {
  test('there are at least 25 invalid cases', () => {
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(25);
  });

  test.each(INVALID_CASES.map((c) => [c.name, c]))('fails when %s', (_name, c) => {
    // GIVEN a valid fixture with one mutation
    const manifest = c.manifest();
    // WHEN
    const problems = crdValidator().validateObject(manifest, 'fixture.yaml');
    // THEN the expected problem is reported at the expected path, with the expected message
    const expected: { [key: string]: unknown } = {
      object: c.object,
      path: c.path,
      message: typeof c.message === 'string' ? c.message : expect.stringMatching(c.message),
      source: 'fixture.yaml',
    };
    if (c.rule !== undefined) {
      expected.rule = typeof c.rule === 'string' ? c.rule : expect.stringMatching(c.rule);
    }
    expect(problems).toContainEqual(expect.objectContaining(expected));
    if (c.count !== undefined) {
      expect(problems).toHaveLength(c.count);
    }
  });

  test('assertValid throws one error listing every problem', () => {
    // GIVEN two invalid objects
    const manifests = INVALID_CASES.slice(0, 2).map((c) => c.manifest());
    // WHEN / THEN
    expect(() => crdValidator().assertValid(manifests)).toThrow(
      /^2 schema problem\(s\):\nVirtualService\/shop\/reviews: spec\.hosts: must be of type array[^\n]*\nDestinationRule\/shop\/reviews: spec\.trafficPolicy\.connectionPool\.tcp\.maxConnections: must be of type integer/,
    );
  });

  test('every problem of one object is reported, not only the first', () => {
    // GIVEN an object with three unrelated mistakes
    const m = INVALID_CASES[0].manifest();
    m.spec.bogus = 1;
    m.metadata.name = 'Bad';
    // WHEN
    const paths = crdValidator().validateObject(m).map((p) => p.path).sort();
    // THEN
    expect(paths).toEqual(['metadata.name', 'spec.bogus', 'spec.hosts']);
  });
});

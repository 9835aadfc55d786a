import { ManifestValidator } from '../../src/schema';
import { crdValidator } from '../helpers';
import { widget, widgetCrd } from './fixtures/widget-crd';

const v = ManifestValidator.fromYaml(widgetCrd(), 'widget-crd.yaml');

function problemsOf(spec: { [key: string]: any }): string[] {
  return v.validateObject(widget(spec)).map((p) => `${p.path}: ${p.message}`);
}

describe('structural schema semantics', () => {
  test('a spec using every feature correctly passes', () => {
    // GIVEN
    const spec = {
      name: 'ok',
      size: 9,
      ratio: 1e-3,
      port: 'http',
      note: null,
      when: '2024-05-01T10:00:00.5+02:00',
      blob: 'aGk=',
      v4: '192.168.0.1',
      tags: ['a', 'b'],
      entries: [{ key: 'a', value: '1' }, { key: 'b' }],
      labels: { 'a.example.com/x': 'y' },
      free: { anything: { goes: [1, 'two', null] } },
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } },
    };
    // THEN
    expect(problemsOf(spec)).toEqual([]);
  });

  test.each([
    ['int-or-string rejects a boolean', { port: true }, 'spec.port: must be of type integer or string (got boolean true)'],
    ['int-or-string rejects a fraction', { port: 1.5 }, 'spec.port: must be of type integer or string (got number 1.5)'],
    ['integer rejects a fraction', { size: 2.5 }, 'spec.size: must be of type integer (got number 2.5)'],
    ['exclusive maximum', { size: 10 }, 'spec.size: must be less than 10 (got 10)'],
    ['minimum', { size: 0 }, 'spec.size: must be greater than or equal to 1 (got 0)'],
    ['maxLength counts characters', { name: 'ünïcödé!x' }, 'spec.name: Too long: may not be more than 8 characters (got 9)'],
    ['maxProperties', { labels: { a: '1', b: '2', c: '3', d: '4' } }, 'spec.labels: Too many: must have at most 3 properties (got 4)'],
    ['additionalProperties value type', { labels: { a: 1 } }, 'spec.labels.a: must be of type string (got integer 1)'],
    ['list-type set', { tags: ['a', 'b', 'a'] }, 'spec.tags[2]: Duplicate value: "a" (x-kubernetes-list-type set: set already at index 0)'],
    ['list-type map key uniqueness', { entries: [{ key: 'a' }, { key: 'a', value: 'x' }] }, 'spec.entries[1]: Duplicate value: "a" (x-kubernetes-list-type map: list entries with the same key (key) already at index 0)'],
    ['list-type map key required', { entries: [{ value: 'x' }] }, 'spec.entries[0].key: Required value: "key" must be set'],
    ['format byte', { blob: 'not base64!' }, 'spec.blob: must be a valid byte (got string "not base64!")'],
    ['format date-time', { when: 'yesterday' }, 'spec.when: must be a valid date-time (got string "yesterday")'],
    ['format ipv4', { v4: '1.2.3' }, 'spec.v4: must be a valid ipv4 (got string "1.2.3")'],
    ['format double', { ratio: 'x' }, 'spec.ratio: must be of type number (got string "x")'],
    ['null where not nullable', { name: null }, 'spec.name: must be of type string (got null)'],
    ['embedded resource needs apiVersion and kind', { template: { metadata: { name: 'x' } } }, 'spec.template.apiVersion: Required value: "apiVersion" must be set'],
    ['enum after defaulting', { mode: 'C' }, 'spec.mode: Unsupported value: "C": supported values: "A", "B"'],
  ])('fails when %s', (_name, spec, expected) => {
    // WHEN
    const problems = problemsOf(spec);
    // THEN
    expect(problems).toContain(expected);
  });

  test('preserve-unknown-fields accepts unknown fields only where declared', () => {
    expect(problemsOf({ free: { a: { b: 1 } } })).toEqual([]);
    expect(problemsOf({ name: 'x', other: { a: 1 } })).toEqual(['spec.other: unknown field "other" (not declared in the schema; the API server would drop it)']);
  });

  test('int64 beyond the exactly representable range is reported', () => {
    // GIVEN the pinned Sail Istio inactiveRevisionDeletionGracePeriodSeconds (int64)
    const istio = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: 'x' },
      spec: { version: 'v1.30.3', namespace: 'istio-system', updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 2 ** 64 } },
    };
    // THEN
    expect(crdValidator().validateObject(istio).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds: must be a 64-bit integer (format int64: -2^63 to 2^63-1) (got integer 18446744073709552000)',
    ]);
  });

  test('an unserved version of a known kind is rejected', () => {
    // GIVEN Widget v0 is defined but not served
    const w = { ...widget(), apiVersion: 'example.com/v0' };
    // THEN
    expect(v.validateObject(w).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'apiVersion: version "v0" of Widget.example.com is not served (served versions: v1)',
    ]);
  });
});

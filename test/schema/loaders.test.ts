import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestValidator } from '../../src/schema';
import { CRD_DIR } from '../helpers';
import { widget, widgetCrd } from './fixtures/widget-crd';

const BAD = path.join(__dirname, 'fixtures', 'bad');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'validator-loaders-'));
}

/**
 * A two-document CRD file whose second document (index 1) is broken YAML. Written at test time so the repository
 * holds no CRD file (CRDs come from ../shared/crds only).
 */
function malformedCrdFile(dir: string = tmpDir(), name: string = 'malformed.yaml'): string {
  const file = path.join(dir, name);
  const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {type: object}\n';
  const broken = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: broken.example.com\nspec:\n  group: example.com\n  names: [kind: Broken\n';
  fs.writeFileSync(file, `${crd}---\n${broken}`);
  return file;
}

/** Runs fn, returns the error it throws (failing when it does not throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('loading CRDs', () => {
  test('fromDirectory loads the pinned CRDs', () => {
    // WHEN
    const v = ManifestValidator.fromDirectory(CRD_DIR);
    // THEN
    expect(v.kinds).toEqual(expect.arrayContaining([
      'networking.istio.io/v1/VirtualService', 'security.istio.io/v1/AuthorizationPolicy',
      'gateway.networking.k8s.io/v1/Gateway', 'sailoperator.io/v1/IstioRevisionTag',
    ]));
    expect(v.kinds).not.toContain('gateway.networking.k8s.io/v1alpha3/BackendTLSPolicy'); // not served
  });

  test('fromFiles and fromYaml load the same CRDs', () => {
    // GIVEN
    const file = path.join(CRD_DIR, 'istio-1.30.3.yaml');
    // WHEN
    const a = ManifestValidator.fromFiles([file]);
    const b = ManifestValidator.fromYaml(fs.readFileSync(file, 'utf8'), file);
    // THEN
    expect(a.kinds).toEqual(b.kinds);
    expect(a.kinds).toContain('networking.istio.io/v1/VirtualService');
    expect(a.kinds).not.toContain('sailoperator.io/v1/Istio');
  });

  test('fails when the directory does not exist, naming the path tried', () => {
    // GIVEN
    const missing = path.join(tmpDir(), 'no-such-crds');
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory(missing));
    // THEN
    expect(err.message).toBe(`ManifestValidator: CRD directory does not exist: ${missing}`);
  });

  test('fails when a relative directory does not exist, naming the absolute path and the argument', () => {
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory('definitely-missing-crds'));
    // THEN
    expect(err.message).toBe(`ManifestValidator: CRD directory does not exist: ${path.resolve('definitely-missing-crds')} (from "definitely-missing-crds")`);
  });

  test('fails when the path is a file, not a directory', () => {
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory(path.join(BAD, 'not-crds.yaml')));
    // THEN
    expect(err.message).toMatch(/^ManifestValidator: not a directory: .*not-crds\.yaml \(use fromFiles\(\) for single files\)$/);
  });

  test('fails when the directory has no YAML files', () => {
    // GIVEN
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'README.md'), '# nothing');
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory(dir));
    // THEN
    expect(err.message).toBe(`ManifestValidator: no *.yaml, *.yml or *.json files in CRD directory ${dir}`);
  });

  test('fails when the directory has YAML but no CRDs', () => {
    // GIVEN
    const dir = tmpDir();
    fs.copyFileSync(path.join(BAD, 'not-crds.yaml'), path.join(dir, 'config.yaml'));
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory(dir));
    // THEN
    expect(err.message).toBe(`ManifestValidator: no CustomResourceDefinition found in ${dir} (read 1 YAML file(s))`);
  });

  test('fails when fromFiles gets a missing file, a file without CRDs or nothing', () => {
    expect(errorOf(() => ManifestValidator.fromFiles([path.join(BAD, 'missing.yaml')])).message)
      .toBe(`ManifestValidator: CRD file does not exist: ${path.join(BAD, 'missing.yaml')}`);
    expect(errorOf(() => ManifestValidator.fromFiles([path.join(BAD, 'not-crds.yaml')])).message)
      .toBe(`ManifestValidator: no CustomResourceDefinition found in ${path.join(BAD, 'not-crds.yaml')}`);
    expect(errorOf(() => ManifestValidator.fromFiles([])).message)
      .toBe('ManifestValidator: fromFiles() needs at least one CRD file');
  });

  test('fails on malformed YAML, naming the file and the document index', () => {
    // GIVEN a file whose second document (index 1) is broken
    const file = malformedCrdFile();
    // WHEN
    const err = errorOf(() => ManifestValidator.fromFiles([file]));
    // THEN our own error, naming file and document, no dependency's error type or stack
    expect(err.message).toMatch(new RegExp(`^Cannot load CRDs: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, document 1: malformed YAML: .*line \\d+, column \\d+`));
    expect(err.constructor).toBe(Error);
    expect(err.message).not.toMatch(/node_modules|YAMLParseError/);
  });

  test('fails on malformed YAML in a directory, naming the file', () => {
    // GIVEN
    const dir = tmpDir();
    malformedCrdFile(dir, 'crds.yml');
    // WHEN
    const err = errorOf(() => ManifestValidator.fromDirectory(dir));
    // THEN
    expect(err.message).toContain(`Cannot load CRDs: ${path.join(dir, 'crds.yml')}, document 1: malformed YAML:`);
  });

  test('fails on malformed YAML text, naming the source label', () => {
    expect(errorOf(() => ManifestValidator.fromYaml('a: [1,\n', 'cluster-crds.yaml')).message)
      .toMatch(/^Cannot load CRDs: cluster-crds\.yaml, document 0: malformed YAML: /);
    expect(errorOf(() => ManifestValidator.fromYaml('kind: ConfigMap\n')).message)
      .toBe('ManifestValidator: no CustomResourceDefinition found in <yaml>');
  });

  test('fails on a CRD without group, an unsupported CRD version, or a kind defined twice', () => {
    const base = JSON.parse(widgetCrd());
    const noGroup = { ...base, spec: { ...base.spec, group: undefined } };
    expect(errorOf(() => ManifestValidator.fromYaml(JSON.stringify(noGroup), 'x.yaml')).message)
      .toBe('Cannot load CRDs: x.yaml, document 0 (CustomResourceDefinition widgets.example.com): spec.group is missing');
    const beta = { ...base, apiVersion: 'apiextensions.k8s.io/v1beta1' };
    expect(errorOf(() => ManifestValidator.fromYaml(JSON.stringify(beta), 'x.yaml')).message)
      .toBe('Cannot load CRDs: x.yaml, document 0: apiextensions.k8s.io/v1beta1 CustomResourceDefinitions are not supported (use apiextensions.k8s.io/v1)');
    expect(errorOf(() => ManifestValidator.fromYaml(`${widgetCrd()}\n---\n${widgetCrd()}`, 'x.yaml')).message)
      .toBe('Cannot load CRDs: x.yaml, document 1 (CustomResourceDefinition widgets.example.com): Widget.example.com is already defined by x.yaml, document 0');
  });
});

describe('validating YAML and files', () => {
  const v = ManifestValidator.fromYaml(widgetCrd(), 'widget-crd.yaml');

  test('a malformed document is a problem naming source and document index; the others are still checked', () => {
    // GIVEN three documents, the second malformed, the third invalid
    const text = [
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ok, namespace: ns}\nspec: {}',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: [broken',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: big, namespace: ns}\nspec: {size: 10}',
    ].join('\n---\n');
    // WHEN
    const problems = v.validateYaml(text, 'out/app.k8s.yaml');
    // THEN
    expect(problems).toEqual([
      expect.objectContaining({ object: '', path: '', source: 'out/app.k8s.yaml', documentIndex: 1, message: expect.stringMatching(/^malformed YAML: /) }),
      expect.objectContaining({ object: 'Widget/ns/big', path: 'spec.size', source: 'out/app.k8s.yaml', documentIndex: 2, message: 'must be less than 10 (got 10)' }),
    ]);
  });

  test('a document that is not a mapping is a problem; empty documents are skipped', () => {
    // WHEN
    const problems = v.validateYaml('---\n- a\n- b\n---\n---\n42\n', 'list.yaml');
    // THEN
    expect(problems.map((p) => [p.documentIndex, p.message])).toEqual([
      [0, 'not a Kubernetes object: expected a mapping with apiVersion, kind and metadata (got array)'],
      [2, 'not a Kubernetes object: expected a mapping with apiVersion, kind and metadata (got integer 42)'],
    ]);
  });

  test('validateFiles reads directories recursively and reports missing paths', () => {
    // GIVEN
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'nested', 'a.k8s.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: A, namespace: ns}\n');
    fs.writeFileSync(path.join(dir, 'b.yml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: b, namespace: ns}\nspec: {extra: 1}\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
    // WHEN
    const problems = v.validateFiles([dir, path.join(dir, 'missing.yaml')]);
    // THEN
    expect(problems.map((p) => [path.basename(p.source ?? ''), p.documentIndex, p.path, p.message])).toEqual([
      ['b.yml', 0, 'spec.extra', 'unknown field "extra" (not declared in the schema; the API server would drop it)'],
      ['a.k8s.yaml', 0, 'metadata.name', expect.stringMatching(/^invalid value "A"/)],
      ['missing.yaml', undefined, '', `file or directory does not exist: ${path.join(dir, 'missing.yaml')}`],
    ]);
  });

  test('objects of API groups without CRDs are skipped unless asked for, but their metadata is checked', () => {
    // GIVEN
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns' }, spec: { anything: true } };
    const badDeployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Web' } };
    const strict = ManifestValidator.fromYaml(widgetCrd(), 'w', { reportUnknownGroups: true });
    const lax = ManifestValidator.fromYaml(widgetCrd(), 'w', { checkMetadataOfUnknownGroups: false });
    // THEN
    expect(v.validateObject(service)).toEqual([]);
    expect(v.validateObject(badDeployment).map((p) => p.path)).toEqual(['metadata.name']);
    expect(strict.validateObject(service)).toEqual([expect.objectContaining({
      object: 'Service/ns/web', path: 'apiVersion', message: 'no CustomResourceDefinition loaded for API group "" (core) (v1 Service)',
    })]);
    expect(lax.validateObject(badDeployment)).toEqual([]);
  });

  test('the same object twice is a problem (the second create would fail with AlreadyExists)', () => {
    // GIVEN the same Widget twice, and a Widget of the same name in another namespace
    const other = { ...widget(), metadata: { name: 'w', namespace: 'other' } };
    // WHEN / THEN in a list of objects
    expect(v.validateObjects([widget(), other, widget()])).toEqual([expect.objectContaining({
      object: 'Widget/ns/w',
      path: 'metadata.name',
      message: 'duplicate object: the same Widget is already defined by object #0 (the API server would reject the second create with AlreadyExists)',
    })]);
    // ... in a YAML stream
    const doc = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: ns}\n';
    expect(v.validateYaml(`${doc}---\n${doc}`, 'a.yaml')).toEqual([expect.objectContaining({
      documentIndex: 1, message: expect.stringMatching(/already defined by a\.yaml, document 0/),
    })]);
    // ... and across files
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), doc);
    fs.writeFileSync(path.join(dir, 'b.yaml'), doc);
    expect(v.validateFiles([dir]).map((p) => [path.basename(p.source ?? ''), p.message])).toEqual([
      ['b.yaml', expect.stringMatching(/^duplicate object: the same Widget is already defined by .*a\.yaml, document 0/)],
    ]);
  });

  test('a v1 List is validated item by item', () => {
    // GIVEN
    const list = { apiVersion: 'v1', kind: 'List', items: [widget({ size: 3 }), widget({ size: 30 })] };
    // WHEN
    const problems = v.validateObject(list);
    // THEN
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['spec.size: must be less than 10 (got 30)']);
  });

  test('never throws, whatever it is given', () => {
    for (const bad of [null, 'text', 42, [], { kind: 7 }, { apiVersion: 'a/b/c', kind: 'X' }, { apiVersion: {}, kind: [] }]) {
      expect(() => v.validateObject(bad as any)).not.toThrow();
      expect(v.validateObject(bad as any).length).toBeGreaterThan(0);
    }
    expect(v.validateObjects('nope' as any)).toEqual([expect.objectContaining({ message: 'expected a list of objects (got string "nope")' })]);
  });

  test('allowStatus accepts a status field', () => {
    // GIVEN
    const withStatus = { ...widget(), status: { anything: 1 } };
    // THEN
    expect(v.validateObject(withStatus).map((p) => p.path)).toEqual(['status']);
    expect(ManifestValidator.fromYaml(widgetCrd(), 'w', { allowStatus: true }).validateObject(withStatus)).toEqual([]);
  });

  test('a schema that cannot be compiled is a problem on its objects, not an exception', () => {
    // GIVEN a CRD with a pattern JavaScript cannot compile
    const crd = JSON.parse(widgetCrd());
    crd.spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.name.pattern = '(unclosed';
    const broken = ManifestValidator.fromYaml(JSON.stringify(crd), 'broken-crd.yaml');
    // WHEN
    const problems = broken.validateObject(widget({ name: 'x' }));
    // THEN
    expect(problems).toEqual([expect.objectContaining({
      object: 'Widget/ns/w',
      message: expect.stringMatching(/^the schema of example\.com\/v1\/Widget \(broken-crd\.yaml, document 0\) cannot be compiled: /),
    })]);
  });
});

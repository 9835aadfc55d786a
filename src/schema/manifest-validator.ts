import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { compileRule } from './cel-rules';
import { CrdCatalog, listYamlFiles, readTextFile, statOrUndefined, type CrdVersion } from './crd-catalog';
import { builtinKindRule, validateObjectMeta } from './object-meta';
import { applyDefaults, walk, type RuleCache, type Segment, type WalkIssue } from './object-walker';
import type { CelRuleProblem, ManifestValidatorOptions, SchemaProblem } from './schema-problem';
import { buildSchemaNode, toAjvSchema, type SchemaNode } from './structural-schema';
import { parseYamlDocuments } from './yaml-input';

/** A CRD version compiled for validation (lazily, on first use). */
interface CompiledKind {
  readonly crd: CrdVersion;
  readonly validate?: ValidateFunction;
  /** The JSON schema `validate` was compiled from (to look up junctor branches of failed keywords). */
  readonly ajvSchema?: { [key: string]: any };
  readonly root?: SchemaNode;
  /** Why the schema could not be compiled. */
  readonly error?: string;
}

function isPlainObject(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? `integer ${v}` : `number ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v)}`;
  if (typeof v === 'object') return 'object';
  return `${typeof v} ${String(v)}`;
}

function json(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 100 ? `${s.slice(0, 97)}...` : s;
}

/** Formats path segments as `spec.http[0].route` (map keys that are not identifiers as `[key]`). */
function formatPath(segments: Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${s}]`;
  }
  return out;
}

/** Turns an ajv JSON pointer into segments, using the data to tell array indexes from keys. */
function pointerSegments(pointer: string, root: unknown): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let cur: any = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^[0-9]+$/.test(key)) {
      out.push(Number(key));
      cur = cur[Number(key)];
    } else {
      out.push(key);
      cur = isPlainObject(cur) ? cur[key] : undefined;
    }
  }
  return out;
}

function requiredFieldsOf(branch: unknown): string[] | undefined {
  if (!isPlainObject(branch)) return undefined;
  const keys = Object.keys(branch);
  if (keys.length === 1 && Array.isArray(branch.required)) return branch.required;
  if (keys.length === 1 && isPlainObject(branch.not) && Array.isArray(branch.not.anyOf)) return [];
  return undefined;
}

/** Resolves a JSON pointer (`/a/0/b` or `#/a/b`) against a value. */
function resolvePointer(root: unknown, pointer: string): any {
  let cur: any = root;
  for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Explains a failed `oneOf`/`anyOf` when its branches are the usual "one of these fields" shape. */
function junctorMessage(err: ErrorObject, data: unknown, schema: unknown): string {
  const branches: unknown[] = Array.isArray(schema) ? schema : [];
  const fieldSets = branches.map(requiredFieldsOf);
  if (fieldSets.every((f) => f !== undefined)) {
    const fields = [...new Set(fieldSets.flat() as string[])];
    const present = isPlainObject(data) ? fields.filter((f) => data[f] !== undefined) : [];
    if (err.keyword === 'oneOf') {
      if (present.length > 1) return `only one of [${fields.join(', ')}] may be set (got ${present.join(', ')})`;
      return `exactly one of [${fields.join(', ')}] must be set`;
    }
    return `at least one of [${fields.join(', ')}] must be set`;
  }
  if (err.keyword === 'oneOf') {
    const passing = (err.params as any).passingSchemas;
    return Array.isArray(passing)
      ? `must match exactly one schema in oneOf (matches ${passing.length}: ${passing.join(', ')})`
      : 'must match exactly one schema in oneOf (matches none)';
  }
  return 'must match at least one schema in anyOf';
}

interface Located {
  readonly segments: Segment[];
  readonly message: string;
  readonly reason: string;
}

/** Translates one ajv error into a Kubernetes-style message at the right location. */
function translateAjvError(err: ErrorObject, root: unknown, ajvSchema: unknown): Located {
  const segments = pointerSegments(err.instancePath, root);
  const p = err.params as any;
  const data = resolvePointer(root, err.instancePath);
  switch (err.keyword) {
    case 'additionalProperties':
      return {
        segments: [...segments, p.additionalProperty],
        message: `unknown field "${p.additionalProperty}" (not declared in the schema; the API server would drop it)`,
        reason: 'FieldValueUnknown',
      };
    case 'required':
      return { segments: [...segments, p.missingProperty], message: `Required value: "${p.missingProperty}" must be set`, reason: 'FieldValueRequired' };
    case 'type': {
      const types = (Array.isArray(p.type) ? p.type : String(p.type).split(',')).filter((t: string) => t !== 'null');
      return { segments, message: `must be of type ${types.join(' or ')} (got ${describeValue(data)})`, reason: 'FieldValueTypeInvalid' };
    }
    case 'enum':
      return {
        segments,
        message: `Unsupported value: ${json(data)}: supported values: ${(p.allowedValues as unknown[]).filter((v) => v !== null).map(json).join(', ')}`,
        reason: 'FieldValueNotSupported',
      };
    case 'pattern':
      return { segments, message: `${json(data)} does not match the pattern ${p.pattern}`, reason: 'FieldValueInvalid' };
    case 'format': {
      const ranges: { [f: string]: string } = {
        int32: 'a 32-bit integer (format int32: -2147483648 to 2147483647)',
        int64: 'a 64-bit integer (format int64: -2^63 to 2^63-1)',
        double: 'a finite number (format double)',
        float: 'a finite number (format float)',
      };
      const expected = ranges[p.format] ?? `a valid ${p.format}`;
      return { segments, message: `must be ${expected} (got ${describeValue(data)})`, reason: 'FieldValueInvalid' };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op: { [c: string]: string } = { '>=': 'greater than or equal to', '<=': 'less than or equal to', '>': 'greater than', '<': 'less than' };
      return { segments, message: `must be ${op[p.comparison] ?? p.comparison} ${p.limit} (got ${json(data)})`, reason: 'FieldValueInvalid' };
    }
    case 'minLength':
      return { segments, message: `must be at least ${p.limit} characters long (got ${[...String(data)].length})`, reason: 'FieldValueInvalid' };
    case 'maxLength':
      return { segments, message: `Too long: may not be more than ${p.limit} characters (got ${[...String(data)].length})`, reason: 'FieldValueTooLong' };
    case 'minItems':
      return { segments, message: `must have at least ${p.limit} items (got ${Array.isArray(data) ? data.length : '?'})`, reason: 'FieldValueInvalid' };
    case 'maxItems':
      return { segments, message: `Too many: must have at most ${p.limit} items (got ${Array.isArray(data) ? data.length : '?'})`, reason: 'FieldValueTooMany' };
    case 'minProperties':
      return { segments, message: `must have at least ${p.limit} properties (got ${isPlainObject(data) ? Object.keys(data).length : '?'})`, reason: 'FieldValueInvalid' };
    case 'maxProperties':
      return { segments, message: `Too many: must have at most ${p.limit} properties (got ${isPlainObject(data) ? Object.keys(data).length : '?'})`, reason: 'FieldValueTooMany' };
    case 'multipleOf':
      return { segments, message: `must be a multiple of ${p.multipleOf} (got ${json(data)})`, reason: 'FieldValueInvalid' };
    case 'uniqueItems':
      return { segments: [...segments, p.i], message: `Duplicate value: items ${p.j} and ${p.i} are identical`, reason: 'FieldValueDuplicate' };
    case 'oneOf':
    case 'anyOf':
      return { segments, message: junctorMessage(err, data, resolvePointer(ajvSchema, err.schemaPath)), reason: 'FieldValueInvalid' };
    case 'not': {
      const notSchema = resolvePointer(ajvSchema, err.schemaPath);
      const fields = isPlainObject(notSchema) && Array.isArray(notSchema.required) ? notSchema.required : undefined;
      return { segments, message: fields ? `must not set ${fields.join(', ')}` : 'must not match the schema in "not"', reason: 'FieldValueForbidden' };
    }
    default:
      return { segments, message: `failed schema keyword "${err.keyword}"`, reason: 'FieldValueInvalid' };
  }
}

/**
 * Whether an ajv error is a detail of an anyOf/oneOf/not branch (the junctor reports the failure itself). Walks the
 * schema path keyword by keyword, so a property that happens to be named `not` or `oneOf` is not mistaken for one.
 */
function isBranchDetail(err: ErrorObject): boolean {
  const segs = err.schemaPath.replace(/^#\//, '').split('/');
  for (let i = 0; i < segs.length - 1; i++) {
    const keyword = segs[i];
    if (keyword === 'properties' || keyword === 'patternProperties' || keyword === 'definitions' || keyword === '$defs') {
      i++; // the next segment is a name, not a keyword
    } else if (keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'not') {
      return true;
    } else if (keyword === 'allOf' || (keyword === 'items' && /^[0-9]+$/.test(segs[i + 1]))) {
      i++; // the next segment is an index
    }
  }
  return false;
}

function objectId(m: unknown): string {
  if (!isPlainObject(m)) return '';
  const kind = typeof m.kind === 'string' ? m.kind : '';
  const meta = isPlainObject(m.metadata) ? m.metadata : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '';
  return kind === '' && ns === '' && name === '' ? '' : `${kind}/${ns}/${name}`;
}

/**
 * Reports an object whose group, kind, namespace and name were already seen in the same batch: creating it would
 * fail with AlreadyExists (or, with apply, silently overwrite the first).
 */
function duplicateOf(
  m: unknown, where: string, seen: Map<string, string>, source: string | undefined, documentIndex: number | undefined,
): SchemaProblem[] {
  if (!isPlainObject(m) || typeof m.kind !== 'string' || typeof m.apiVersion !== 'string' || !isPlainObject(m.metadata)
    || typeof m.metadata.name !== 'string' || m.metadata.name === '') {
    return [];
  }
  if (m.apiVersion === 'v1' && m.kind.endsWith('List')) return [];
  const group = m.apiVersion.includes('/') ? m.apiVersion.split('/')[0] : '';
  const key = `${group}/${m.kind}/${typeof m.metadata.namespace === 'string' ? m.metadata.namespace : ''}/${m.metadata.name}`;
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, where);
    return [];
  }
  const problem: { [key: string]: unknown } = {
    object: objectId(m),
    path: 'metadata.name',
    message: `duplicate object: the same ${m.kind} is already defined by ${first} (the API server would reject the second create with AlreadyExists)`,
    reason: 'FieldValueDuplicate',
  };
  if (source !== undefined) problem.source = source;
  if (documentIndex !== undefined) problem.documentIndex = documentIndex;
  return [problem as unknown as SchemaProblem];
}

function splitApiVersion(apiVersion: string): { group: string; version: string } | undefined {
  const parts = apiVersion.split('/');
  if (parts.length === 1 && parts[0] !== '') return { group: '', version: parts[0] };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { group: parts[0], version: parts[1] };
  return undefined;
}

/**
 * Validates Kubernetes objects against CustomResourceDefinitions the way kube-apiserver does on create:
 * the OpenAPI v3 structural schema (types, required fields, enums, patterns, bounds, formats, list types,
 * int-or-string, nullable, preserve-unknown-fields, embedded resources; unknown fields are errors rather than
 * silently pruned), every `x-kubernetes-validations` CEL rule (with the Kubernetes CEL libraries), served
 * versions, and `metadata` as ObjectMeta.
 *
 * Point it at the CRDs of the cluster you deploy to:
 *
 * ```ts
 * const validator = ManifestValidator.fromDirectory('crds/');
 * const problems = validator.validateFiles(['dist/']);
 * ```
 *
 * Schemas and CEL programs are compiled lazily, per kind, on first use, and cached.
 */
export class ManifestValidator {
  /**
   * Loads every `*.yaml`/`*.yml` (and `*.json`) file below a directory (recursively).
   *
   * @param dir directory holding CustomResourceDefinition YAML
   * @param options validation options
   */
  public static fromDirectory(dir: string, options: ManifestValidatorOptions = {}): ManifestValidator {
    const resolved = path.resolve(dir);
    const stat = statOrUndefined(resolved);
    if (!stat) {
      throw new Error(`ManifestValidator: CRD directory does not exist: ${resolved}${resolved !== dir ? ` (from "${dir}")` : ''}`);
    }
    if (!stat.isDirectory()) {
      throw new Error(`ManifestValidator: not a directory: ${resolved} (use fromFiles() for single files)`);
    }
    const files = listYamlFiles(resolved, true);
    if (files.length === 0) {
      throw new Error(`ManifestValidator: no *.yaml, *.yml or *.json files in CRD directory ${resolved}`);
    }
    const catalog = new CrdCatalog();
    for (const f of files) catalog.addFile(readTextFile(f, 'ManifestValidator'), f);
    if (catalog.isEmpty) {
      throw new Error(`ManifestValidator: no CustomResourceDefinition found in ${resolved} (read ${files.length} YAML file(s))`);
    }
    return new ManifestValidator(catalog, options);
  }

  /**
   * Loads CRDs from YAML or JSON files (a directory in the list is read recursively).
   *
   * @param files CRD YAML files or directories
   * @param options validation options
   */
  public static fromFiles(files: string[], options: ManifestValidatorOptions = {}): ManifestValidator {
    if (files.length === 0) {
      throw new Error('ManifestValidator: fromFiles() needs at least one CRD file');
    }
    const catalog = new CrdCatalog();
    for (const f of files) {
      const resolved = path.resolve(f);
      const stat = statOrUndefined(resolved);
      if (!stat) throw new Error(`ManifestValidator: CRD file does not exist: ${resolved}`);
      const list = stat.isDirectory() ? listYamlFiles(resolved, true) : [resolved];
      for (const file of list) catalog.addFile(readTextFile(file, 'ManifestValidator'), file);
    }
    if (catalog.isEmpty) {
      throw new Error(`ManifestValidator: no CustomResourceDefinition found in ${files.map((f) => path.resolve(f)).join(', ')}`);
    }
    return new ManifestValidator(catalog, options);
  }

  /**
   * Loads CRDs from YAML text (one or more documents).
   *
   * @param text CustomResourceDefinition YAML
   * @param source label used in error messages
   * @param options validation options
   */
  public static fromYaml(text: string, source: string = '<yaml>', options: ManifestValidatorOptions = {}): ManifestValidator {
    const catalog = new CrdCatalog();
    catalog.addYaml(text, source);
    if (catalog.isEmpty) {
      throw new Error(`ManifestValidator: no CustomResourceDefinition found in ${source}`);
    }
    return new ManifestValidator(catalog, options);
  }

  /**
   * Renders problems one per line: `Kind/ns/name: path: message (source, document N)`.
   */
  public static formatProblems(problems: SchemaProblem[]): string {
    return problems.map((p) => {
      const where = p.source !== undefined
        ? ` (${p.source}${p.documentIndex !== undefined ? `, document ${p.documentIndex}` : ''})`
        : p.documentIndex !== undefined ? ` (document ${p.documentIndex})` : '';
      const rule = p.rule !== undefined && !p.message.includes(p.rule) ? ` [rule: ${p.rule.replace(/\s*\n\s*/g, ' ')}]` : '';
      return `${p.object || '<unidentified object>'}: ${p.path ? `${p.path}: ` : ''}${p.message}${rule}${where}`;
    }).join('\n');
  }

  private readonly catalog: CrdCatalog;
  private readonly options: ManifestValidatorOptions;
  private readonly compiled = new Map<string, CompiledKind>();
  private readonly ruleCache: RuleCache = new Map();
  private ajvInstance?: Ajv;

  private constructor(catalog: CrdCatalog, options: ManifestValidatorOptions) {
    this.catalog = catalog;
    this.options = options;
  }

  /**
   * The kinds the loaded CRDs define, as `group/version/Kind` (served versions only), sorted.
   */
  public get kinds(): string[] {
    return this.catalog.all().filter((v) => v.served).map((v) => `${v.group}/${v.version}/${v.kind}`).sort();
  }

  /**
   * CEL rules of the loaded CRDs (served versions) that this validator cannot evaluate: rules that do not parse or
   * call functions it does not provide. Empty means every rule is enforced. Reading this compiles every rule.
   */
  public get ruleProblems(): CelRuleProblem[] {
    const out: CelRuleProblem[] = [];
    for (const crd of this.catalog.all()) {
      if (!crd.served || !crd.schema) continue;
      const visit = (node: SchemaNode) => {
        for (const raw of node.rules) {
          const rule = compileRule(raw);
          if (rule.transition) continue;
          if (rule.error) {
            out.push({ kind: `${crd.group}/${crd.version}/${crd.kind}`, schemaPath: node.location || '<root>', rule: raw.rule, message: rule.error });
          } else if (rule.messageError) {
            out.push({
              kind: `${crd.group}/${crd.version}/${crd.kind}`,
              schemaPath: node.location || '<root>',
              rule: raw.messageExpression ?? '',
              message: `messageExpression ${rule.messageError}`,
            });
          }
        }
        for (const c of node.properties?.values() ?? []) visit(c);
        if (node.items) visit(node.items);
        if (node.additionalProperties) visit(node.additionalProperties);
      };
      visit(this.compile(crd, false).root ?? buildSchemaNode(crd.schema, '', true));
    }
    return out;
  }

  /**
   * Validates one object.
   *
   * @param manifest the object (parsed JSON/YAML)
   * @param source label of where it came from (a file name), copied into each problem
   */
  public validateObject(manifest: { [key: string]: any }, source?: string): SchemaProblem[] {
    return this.validateOne(manifest, source, undefined);
  }

  /**
   * Validates several objects.
   */
  public validateObjects(manifests: { [key: string]: any }[]): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    if (!Array.isArray(manifests)) {
      return [{ object: '', path: '', message: `expected a list of objects (got ${describeValue(manifests)})` }];
    }
    const seen = new Map<string, string>();
    manifests.forEach((m, i) => {
      out.push(...this.validateOne(m, undefined, undefined));
      out.push(...duplicateOf(m, `object #${i}`, seen, undefined, undefined));
    });
    return out;
  }

  /**
   * Validates every object of a (multi-document) YAML stream. Malformed documents are problems too.
   *
   * @param text YAML
   * @param source label of where it came from (a file name), copied into each problem
   */
  public validateYaml(text: string, source?: string): SchemaProblem[] {
    return this.validateYamlWith(text, source, new Map());
  }

  private validateYamlWith(text: string, source: string | undefined, seen: Map<string, string>): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    for (const doc of parseYamlDocuments(text)) {
      if (doc.error !== undefined) {
        out.push({ object: '', path: '', message: `malformed YAML: ${doc.error}`, source, documentIndex: doc.index, reason: 'FieldValueInvalid' });
        continue;
      }
      if (doc.value === null || doc.value === undefined) continue;
      out.push(...this.validateOne(doc.value, source, doc.index));
      out.push(...duplicateOf(doc.value, `${source ?? 'the stream'}, document ${doc.index}`, seen, source, doc.index));
    }
    return out;
  }

  /**
   * Validates YAML files; directories are searched recursively for `*.yaml`/`*.yml`. A path that does not exist
   * is a problem, not an exception.
   */
  public validateFiles(paths: string[]): SchemaProblem[] {
    const out: SchemaProblem[] = [];
    const seen = new Map<string, string>();
    for (const p of paths) {
      const resolved = path.resolve(p);
      const stat = statOrUndefined(resolved);
      if (!stat) {
        out.push({ object: '', path: '', message: `file or directory does not exist: ${resolved}`, source: p });
        continue;
      }
      const files = stat.isDirectory() ? listYamlFiles(resolved) : [resolved];
      for (const f of files) {
        const label = path.relative(process.cwd(), f) || f;
        let text: string;
        try {
          text = readTextFile(f, 'ManifestValidator');
        } catch (e) {
          out.push({ object: '', path: '', message: (e as Error).message, source: label });
          continue;
        }
        out.push(...this.validateYamlWith(text, label, seen));
      }
    }
    return out;
  }

  /**
   * Throws one error listing every problem of the given objects; returns normally when there is none.
   */
  public assertValid(manifests: { [key: string]: any }[]): void {
    const problems = this.validateObjects(manifests);
    if (problems.length > 0) {
      throw new Error(`${problems.length} schema problem(s):\n${ManifestValidator.formatProblems(problems)}`);
    }
  }

  private validateOne(manifest: unknown, source: string | undefined, documentIndex: number | undefined): SchemaProblem[] {
    try {
      return this.check(manifest, source, documentIndex);
    } catch (e) {
      // a bug in the validator must not look like a crash of the caller's test or CLI
      return [{
        object: objectId(manifest),
        path: '',
        source,
        documentIndex,
        message: `internal validator error: ${(e as Error)?.message ?? String(e)}`,
      }];
    }
  }

  private check(manifest: unknown, source: string | undefined, documentIndex: number | undefined): SchemaProblem[] {
    const object = objectId(manifest);
    const problems: SchemaProblem[] = [];
    const add = (p: string, message: string, extra: { rule?: string; reason?: string } = {}) => {
      const problem: { [key: string]: unknown } = { object, path: p, message };
      if (source !== undefined) problem.source = source;
      if (documentIndex !== undefined) problem.documentIndex = documentIndex;
      if (extra.rule !== undefined) problem.rule = extra.rule;
      if (extra.reason !== undefined) problem.reason = extra.reason;
      problems.push(problem as unknown as SchemaProblem);
    };
    if (!isPlainObject(manifest)) {
      add('', `not a Kubernetes object: expected a mapping with apiVersion, kind and metadata (got ${describeValue(manifest)})`);
      return problems;
    }

    // a v1 List: validate its items
    if (manifest.apiVersion === 'v1' && typeof manifest.kind === 'string' && manifest.kind.endsWith('List') && Array.isArray(manifest.items)) {
      return manifest.items.flatMap((item: unknown) => this.check(item, source, documentIndex));
    }

    const kind = manifest.kind;
    const apiVersion = manifest.apiVersion;
    let ok = true;
    if (kind === undefined || kind === '' || kind === null) {
      add('kind', 'Required value: kind must be set (object has no kind)', { reason: 'FieldValueRequired' });
      ok = false;
    } else if (typeof kind !== 'string') {
      add('kind', `must be of type string (got ${describeValue(kind)})`, { reason: 'FieldValueTypeInvalid' });
      ok = false;
    }
    let gv: { group: string; version: string } | undefined;
    if (apiVersion === undefined || apiVersion === '' || apiVersion === null) {
      add('apiVersion', 'Required value: apiVersion must be set (object has no apiVersion)', { reason: 'FieldValueRequired' });
      ok = false;
    } else if (typeof apiVersion !== 'string') {
      add('apiVersion', `must be of type string (got ${describeValue(apiVersion)})`, { reason: 'FieldValueTypeInvalid' });
      ok = false;
    } else {
      gv = splitApiVersion(apiVersion);
      if (!gv) {
        add('apiVersion', `invalid apiVersion ${json(apiVersion)}: expected "group/version" or "version"`);
        ok = false;
      }
    }

    const known = gv !== undefined && this.catalog.hasGroup(gv.group);
    let crd: CrdVersion | undefined;
    if (ok && gv && known) {
      const versions = this.catalog.versionsOf(gv.group, kind);
      if (versions.length === 0) {
        add('kind', `unknown kind "${kind}" in API group ${gv.group} (the loaded CRDs define: ${this.catalog.kindsOf(gv.group).join(', ')})`, { reason: 'FieldValueNotSupported' });
      } else {
        crd = this.catalog.lookup(gv.group, kind, gv.version);
        const served = versions.filter((v) => v.served).map((v) => v.version);
        if (!crd) {
          add('apiVersion', `version "${gv.version}" of ${kind}.${gv.group} is not defined by the CRD (served versions: ${served.join(', ') || 'none'})`, { reason: 'FieldValueNotSupported' });
        } else if (!crd.served) {
          add('apiVersion', `version "${gv.version}" of ${kind}.${gv.group} is not served (served versions: ${served.join(', ') || 'none'})`, { reason: 'FieldValueNotSupported' });
          crd = undefined;
        }
      }
    } else if (ok && gv && !known && this.options.reportUnknownGroups) {
      add('apiVersion', `no CustomResourceDefinition loaded for API group ${gv.group === '' ? '"" (core)' : gv.group} (${apiVersion} ${kind})`, { reason: 'FieldValueNotSupported' });
    }

    // metadata is checked for every object of a known group, for objects without a usable apiVersion, and (unless
    // switched off) for core/apps/... objects the CRDs do not cover
    const checkMeta = known || gv === undefined || this.options.checkMetadataOfUnknownGroups !== false;
    if (checkMeta) {
      const builtinRule = crd ? undefined : builtinKindRule(apiVersion, kind);
      for (const issue of validateObjectMeta(manifest.metadata, crd?.namespaced ?? builtinRule?.namespaced, builtinRule?.name)) {
        add(issue.path, issue.message, { reason: issue.reason });
      }
    }
    if (!crd) return problems;

    if (manifest.status !== undefined && !this.options.allowStatus) {
      add('status', 'status must not be set in a manifest (it is written by controllers; the API server ignores or overwrites it)', { reason: 'FieldValueForbidden' });
    }

    const compiled = this.compile(crd, true);
    if (compiled.error) {
      add('', compiled.error);
      return problems;
    }
    if (!compiled.validate || !compiled.root) return problems; // no schema: anything goes

    const defaulted = JSON.parse(JSON.stringify(manifest));
    if (!this.options.allowStatus) delete defaulted.status;
    applyDefaults(defaulted, compiled.root);

    const errorPrefixes = new Set<string>();
    if (!compiled.validate(defaulted)) {
      const seen = new Set<string>();
      for (const err of compiled.validate.errors ?? []) {
        if (isBranchDetail(err)) continue;
        const located = translateAjvError(err, defaulted, compiled.ajvSchema);
        const p = formatPath(located.segments);
        const key = `${p}\u0000${located.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        add(p, located.message, { reason: located.reason });
        const segs = pointerSegments(err.instancePath, defaulted);
        for (let i = 0; i <= segs.length; i++) errorPrefixes.add(segs.slice(0, i).join('\u0000'));
      }
    }

    const issues: WalkIssue[] = [];
    walk(defaulted, compiled.root, [], {
      issues,
      rules: this.ruleCache,
      hasErrorBelow: (segments) => errorPrefixes.has(segments.join('\u0000')),
      root: true,
    });
    for (const issue of issues) add(formatPath(issue.segments), issue.message, { rule: issue.rule, reason: issue.reason });
    return problems;
  }

  private ajv(): Ajv {
    if (!this.ajvInstance) {
      const ajv = new Ajv({
        allErrors: true,
        strict: false,
        messages: false,
        // the schemas are huge (Sail's Istio): unoptimized code generation compiles about twice as fast
        code: { optimize: false },
        unicodeRegExp: true,
        addUsedSchema: false,
        validateSchema: false,
      });
      addFormats(ajv, ['byte', 'date', 'date-time', 'ipv4', 'ipv6', 'uuid', 'hostname', 'int32', 'float', 'double']);
      // ajv-formats accepts any integer as int64; the wire type cannot hold more than 64 bits
      ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n < 2 ** 63 && n >= -(2 ** 63) });
      this.ajvInstance = ajv;
    }
    return this.ajvInstance;
  }

  /** Compiles (once) the schema of a CRD version; with `withAjv` false only the walker tree is built. */
  private compile(crd: CrdVersion, withAjv: boolean): CompiledKind {
    const key = `${crd.group}/${crd.version}/${crd.kind}`;
    const hit = this.compiled.get(key);
    if (hit && (hit.validate || hit.error || !withAjv || !crd.schema)) return hit;
    if (!crd.schema) {
      const none: CompiledKind = { crd };
      this.compiled.set(key, none);
      return none;
    }
    const root = hit?.root ?? buildSchemaNode(crd.schema, '', true);
    if (!withAjv) {
      const partial: CompiledKind = { crd, root };
      this.compiled.set(key, partial);
      return partial;
    }
    let result: CompiledKind;
    try {
      const ajvSchema = toAjvSchema(crd.schema, true);
      const validate = this.ajv().compile(ajvSchema);
      result = { crd, root, validate, ajvSchema };
    } catch (e) {
      result = {
        crd,
        error: `the schema of ${key} (${crd.source}, document ${crd.documentIndex}) cannot be compiled: ${(e as Error).message.split('\n')[0]}`,
      };
    }
    this.compiled.set(key, result);
    return result;
  }
}

// Turns a CRD version's OpenAPI v3 structural schema into (a) a JSON schema that ajv can compile with the
// semantics kube-apiserver applies on create, and (b) a light tree of the same schema that the walker uses for
// defaulting, list-type checks and CEL rules. Internal: not re-exported from the package.

/** A raw (YAML-parsed) OpenAPI schema node. */
export type RawSchema = { [key: string]: any };

/** One `x-kubernetes-validations` entry. */
export interface RawValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** The parts of a schema node the walker needs, with children resolved. */
export interface SchemaNode {
  readonly raw: RawSchema;
  /** Human-readable location in the schema, e.g. `spec.http[*].route[*]`. */
  readonly location: string;
  readonly type?: string;
  readonly properties?: Map<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode;
  readonly preserveUnknownFields: boolean;
  readonly intOrString: boolean;
  readonly embeddedResource: boolean;
  readonly nullable: boolean;
  readonly listType?: string;
  readonly listMapKeys?: string[];
  /** Properties that declare a `default`. */
  readonly defaults: Array<[string, unknown]>;
  readonly rules: RawValidationRule[];
  /** True when this node or a descendant has defaults, list-type constraints or CEL rules. */
  readonly hasWork: boolean;
}

/** Formats the validator enforces (the formats kube-apiserver validates plus the numeric range hints). */
export const ENFORCED_FORMATS = new Set([
  'byte', 'date', 'date-time', 'ipv4', 'ipv6', 'uuid', 'hostname', 'int32', 'int64', 'float', 'double',
]);

const JUNCTORS = ['allOf', 'anyOf', 'oneOf'];

function isObject(v: unknown): v is RawSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(location: string, key: string): string {
  if (location === '') return key;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${location}.${key}` : `${location}[${key}]`;
}

/**
 * Builds the walker tree. `root` is true for `openAPIV3Schema` itself, where `apiVersion`, `kind` and `metadata` are
 * implicit.
 */
export function buildSchemaNode(raw: RawSchema, location: string, root: boolean = false): SchemaNode {
  const props = isObject(raw.properties) ? raw.properties : undefined;
  let properties: Map<string, SchemaNode> | undefined;
  const defaults: Array<[string, unknown]> = [];
  let hasWork = false;
  if (props) {
    properties = new Map();
    for (const [key, sub] of Object.entries(props)) {
      if (!isObject(sub)) continue;
      const node = buildSchemaNode(sub, child(location, key));
      properties.set(key, node);
      if (sub.default !== undefined) defaults.push([key, sub.default]);
      hasWork = hasWork || node.hasWork;
    }
  }
  if (root && properties) {
    // metadata of the object itself is validated as ObjectMeta, not by the CRD schema
    properties.delete('metadata');
  }
  const items = isObject(raw.items) ? buildSchemaNode(raw.items, `${location}[*]`) : undefined;
  const additionalProperties = isObject(raw.additionalProperties)
    ? buildSchemaNode(raw.additionalProperties, `${location}[*]`)
    : undefined;
  const rules: RawValidationRule[] = Array.isArray(raw['x-kubernetes-validations'])
    ? raw['x-kubernetes-validations'].filter((r: unknown) => isObject(r) && typeof r.rule === 'string')
    : [];
  const listType = typeof raw['x-kubernetes-list-type'] === 'string' ? raw['x-kubernetes-list-type'] : undefined;
  const listMapKeys = Array.isArray(raw['x-kubernetes-list-map-keys']) ? raw['x-kubernetes-list-map-keys'] : undefined;
  hasWork = hasWork || defaults.length > 0 || rules.length > 0 || listType === 'set' || listType === 'map'
    || (items?.hasWork ?? false) || (additionalProperties?.hasWork ?? false);
  return {
    raw,
    location,
    type: typeof raw.type === 'string' ? raw.type : undefined,
    properties,
    items,
    additionalProperties,
    preserveUnknownFields: raw['x-kubernetes-preserve-unknown-fields'] === true,
    intOrString: raw['x-kubernetes-int-or-string'] === true,
    embeddedResource: raw['x-kubernetes-embedded-resource'] === true,
    nullable: raw.nullable === true,
    listType,
    listMapKeys,
    defaults,
    rules,
    hasWork,
  };
}

/**
 * Converts a structural schema node into a JSON schema for ajv.
 *
 * - `nullable` becomes a `null` member of `type`; `x-kubernetes-int-or-string` becomes `["integer", "string"]`;
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0) become numeric bounds;
 * - every object node gets `additionalProperties: false` unless it declares `additionalProperties` or
 *   `x-kubernetes-preserve-unknown-fields` (unknown fields are errors, not silently pruned);
 * - the root and embedded resources implicitly allow `apiVersion`, `kind` and `metadata`;
 * - `default`, descriptions and `x-kubernetes-*` extensions are dropped (defaults are applied before validation,
 *   list types and CEL rules are checked by the walker);
 * - only formats kube-apiserver validates are kept.
 *
 * `inJunctor` is true inside `allOf`/`anyOf`/`oneOf`/`not`, where a structural schema only carries value
 * validations: there no `additionalProperties: false` is added.
 */
export function toAjvSchema(raw: RawSchema, root: boolean = false, inJunctor: boolean = false): RawSchema {
  const out: RawSchema = {};
  const intOrString = raw['x-kubernetes-int-or-string'] === true;
  const preserve = raw['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = raw['x-kubernetes-embedded-resource'] === true;

  let type: string | string[] | undefined = typeof raw.type === 'string' ? raw.type : undefined;
  if (intOrString) type = ['integer', 'string'];
  if (type !== undefined) {
    if (raw.nullable === true) type = [...(Array.isArray(type) ? type : [type]), 'null'];
    out.type = type;
  }

  for (const k of ['enum', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties',
    'maxProperties', 'multipleOf', 'uniqueItems', 'required']) {
    if (raw[k] !== undefined) out[k] = raw[k];
  }
  if (Array.isArray(out.enum) && raw.nullable === true && !out.enum.includes(null)) {
    out.enum = [...out.enum, null];
  }
  if (typeof raw.minimum === 'number') {
    if (raw.exclusiveMinimum === true) out.exclusiveMinimum = raw.minimum;
    else out.minimum = raw.minimum;
  } else if (typeof raw.exclusiveMinimum === 'number') {
    out.exclusiveMinimum = raw.exclusiveMinimum;
  }
  if (typeof raw.maximum === 'number') {
    if (raw.exclusiveMaximum === true) out.exclusiveMaximum = raw.maximum;
    else out.maximum = raw.maximum;
  } else if (typeof raw.exclusiveMaximum === 'number') {
    out.exclusiveMaximum = raw.exclusiveMaximum;
  }
  if (typeof raw.format === 'string' && ENFORCED_FORMATS.has(raw.format)) {
    out.format = raw.format;
  }

  if (isObject(raw.properties)) {
    out.properties = {};
    for (const [key, sub] of Object.entries(raw.properties)) {
      if (isObject(sub)) out.properties[key] = toAjvSchema(sub, false, inJunctor);
    }
  }
  if (root || embedded) {
    out.properties = out.properties ?? {};
    out.properties.apiVersion = out.properties.apiVersion ?? { type: 'string' };
    out.properties.kind = out.properties.kind ?? { type: 'string' };
    // metadata is checked as ObjectMeta by the validator itself; keep any extra constraints the CRD declares
    const meta = isObject(raw.properties?.metadata) ? toAjvSchema(raw.properties.metadata, false, true) : {};
    delete meta.additionalProperties;
    out.properties.metadata = meta;
    if (embedded) {
      out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), 'apiVersion', 'kind'])];
    }
  }
  if (isObject(raw.items)) {
    out.items = toAjvSchema(raw.items, false, inJunctor);
  }
  if (isObject(raw.additionalProperties)) {
    out.additionalProperties = toAjvSchema(raw.additionalProperties, false, inJunctor);
  } else if (typeof raw.additionalProperties === 'boolean') {
    out.additionalProperties = raw.additionalProperties;
  } else if (!inJunctor && !preserve && (raw.type === 'object' || out.properties !== undefined)) {
    out.additionalProperties = false;
  }

  for (const j of JUNCTORS) {
    if (!Array.isArray(raw[j])) continue;
    const branches: RawSchema[] = raw[j].filter(isObject);
    // int-or-string carries `anyOf: [{type: integer}, {type: string}]`, already expressed by `type`
    if (intOrString && j === 'anyOf' && branches.every((b) => Object.keys(b).length === 1 && typeof b.type === 'string')) {
      continue;
    }
    out[j] = branches.map((b) => toAjvSchema(b, false, true));
  }
  if (isObject(raw.not)) {
    out.not = toAjvSchema(raw.not, false, true);
  }
  return out;
}

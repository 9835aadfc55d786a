// ObjectMeta validation, the way kube-apiserver does it on create (apimachinery ValidateObjectMeta), plus the fields
// a generator must not emit because the server owns them. Internal: not re-exported from the package.

/** A problem found in `metadata`, relative to the object root. */
export interface MetaIssue {
  readonly path: string;
  readonly message: string;
  readonly reason: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/** ObjectMeta fields a client may set on create. */
const CLIENT_FIELDS = new Set(['name', 'generateName', 'namespace', 'labels', 'annotations', 'ownerReferences', 'finalizers']);
/** ObjectMeta fields the API server owns; a generated manifest carrying them is a bug (or a copy of live state). */
const SERVER_FIELDS = new Set([
  'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds',
  'selfLink', 'managedFields',
]);

/** Returns why `value` is not a DNS-1123 subdomain, or undefined when it is one. */
export function dns1123SubdomainError(value: string): string | undefined {
  if (value.length > 253) {
    return `must be no more than 253 characters (got ${value.length})`;
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\')';
  }
  return undefined;
}

/** Returns why `value` is not a DNS-1123 label, or undefined when it is one. */
export function dns1123LabelError(value: string): string | undefined {
  if (value.length > 63) {
    return `must be no more than 63 characters (got ${value.length})`;
  }
  if (!DNS1123_LABEL.test(value)) {
    return 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\')';
  }
  return undefined;
}

/** Returns why `key` is not a valid label/annotation key (`[prefix/]name`), or undefined when it is one. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      return 'prefix part must be non-empty';
    }
    const prefixError = dns1123SubdomainError(prefix);
    if (prefixError) {
      return `prefix part ${prefixError}`;
    }
  } else {
    return 'a qualified name must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and \'/\' (e.g. \'example.com/MyName\')';
  }
  if (name.length === 0) {
    return 'name part must be non-empty';
  }
  if (name.length > 63) {
    return `name part must be no more than 63 characters (got ${name.length})`;
  }
  if (!QUALIFIED_NAME.test(name)) {
    return 'name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\', \'my.name\' or \'123-abc\')';
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is one. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) {
    return `must be no more than 63 characters (got ${value.length})`;
  }
  if (!LABEL_VALUE.test(value)) {
    return 'a valid label value must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character';
  }
  return undefined;
}

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}[${key}]`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** How the API server validates `metadata.name` of a kind. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'pathSegment';

/** What the API server enforces for names and scope of the built-in kinds (those no CRD describes). */
export interface BuiltinKindRule {
  readonly name: NameRule;
  readonly namespaced: boolean;
}

const BUILTIN: { [apiVersionKind: string]: BuiltinKindRule } = {};
function builtin(apiVersion: string, namespaced: boolean, name: NameRule, kinds: string[]): void {
  for (const k of kinds) BUILTIN[`${apiVersion}/${k}`] = { name, namespaced };
}
builtin('v1', true, 'dns1035', ['Service']);
builtin('v1', false, 'label', ['Namespace']);
builtin('v1', true, 'subdomain', ['ConfigMap', 'Secret', 'ServiceAccount', 'Pod', 'Endpoints', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota']);
builtin('v1', false, 'subdomain', ['Node', 'PersistentVolume']);
builtin('apps/v1', true, 'subdomain', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
builtin('batch/v1', true, 'subdomain', ['Job', 'CronJob']);
builtin('networking.k8s.io/v1', true, 'subdomain', ['NetworkPolicy', 'Ingress']);
builtin('networking.k8s.io/v1', false, 'subdomain', ['IngressClass']);
builtin('policy/v1', true, 'subdomain', ['PodDisruptionBudget']);
builtin('autoscaling/v2', true, 'subdomain', ['HorizontalPodAutoscaler']);
builtin('rbac.authorization.k8s.io/v1', true, 'pathSegment', ['Role', 'RoleBinding']);
builtin('rbac.authorization.k8s.io/v1', false, 'pathSegment', ['ClusterRole', 'ClusterRoleBinding']);
builtin('admissionregistration.k8s.io/v1', false, 'subdomain', ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);
builtin('scheduling.k8s.io/v1', false, 'subdomain', ['PriorityClass']);
builtin('storage.k8s.io/v1', false, 'subdomain', ['StorageClass']);
builtin('apiextensions.k8s.io/v1', false, 'subdomain', ['CustomResourceDefinition']);

/** The name/scope rule of a built-in kind, or undefined for kinds the validator knows nothing about. */
export function builtinKindRule(apiVersion: unknown, kind: unknown): BuiltinKindRule | undefined {
  return typeof apiVersion === 'string' && typeof kind === 'string' ? BUILTIN[`${apiVersion}/${kind}`] : undefined;
}

function nameError(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'label':
      return dns1123LabelError(name);
    case 'dns1035':
      if (name.length > 63) return `must be no more than 63 characters (got ${name.length})`;
      return /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)
        ? undefined
        : 'a DNS-1035 label (required for Service names) must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\')';
    case 'pathSegment':
      if (name === '.' || name === '..') return `may not be '${name}'`;
      return /[/%]/.test(name) ? 'may not contain \'/\' or \'%\'' : undefined;
    default:
      return dns1123SubdomainError(name);
  }
}

/**
 * Validates `metadata` of an object to be created.
 *
 * @param metadata the value of `metadata` (may be anything)
 * @param namespaced whether the kind is namespaced; undefined when the kind is unknown to the validator
 * @param nameRule how `metadata.name` is validated (DNS-1123 subdomain for custom resources)
 */
export function validateObjectMeta(metadata: unknown, namespaced: boolean | undefined, nameRule: NameRule = 'subdomain'): MetaIssue[] {
  const issues: MetaIssue[] = [];
  const add = (path: string, message: string, reason: string = 'FieldValueInvalid') => issues.push({ path, message, reason });
  if (metadata === undefined) {
    add('metadata.name', 'name or generateName is required (metadata is missing)', 'FieldValueRequired');
    return issues;
  }
  if (!isPlainObject(metadata)) {
    add('metadata', `must be of type object (got ${describe(metadata)})`, 'FieldValueTypeInvalid');
    return issues;
  }

  for (const key of Object.keys(metadata)) {
    if (SERVER_FIELDS.has(key)) {
      add(`metadata.${key}`, `field "${key}" is set by the API server and must not appear in a manifest to be created`, 'FieldValueForbidden');
    } else if (!CLIENT_FIELDS.has(key)) {
      add(keyPath('metadata', key), `unknown field "${key}" (not a field of ObjectMeta)`, 'FieldValueUnknown');
    }
  }

  const name = metadata.name;
  const generateName = metadata.generateName;
  if (generateName !== undefined) {
    if (typeof generateName !== 'string') {
      add('metadata.generateName', `must be of type string (got ${describe(generateName)})`, 'FieldValueTypeInvalid');
    } else {
      // like the API server: a trailing '-' is allowed (the random suffix follows it)
      const masked = generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
      const err = dns1123SubdomainError(masked);
      if (err) add('metadata.generateName', `invalid value "${generateName}": ${err}`);
    }
  }
  if (name === undefined || name === '' || name === null) {
    if (generateName === undefined) {
      add('metadata.name', 'name or generateName is required', 'FieldValueRequired');
    }
  } else if (typeof name !== 'string') {
    add('metadata.name', `must be of type string (got ${describe(name)})`, 'FieldValueTypeInvalid');
  } else {
    const err = nameError(name, nameRule);
    if (err) add('metadata.name', `invalid value "${name}": ${err}`);
  }

  const ns = metadata.namespace;
  if (ns !== undefined && ns !== '') {
    if (typeof ns !== 'string') {
      add('metadata.namespace', `must be of type string (got ${describe(ns)})`, 'FieldValueTypeInvalid');
    } else if (namespaced === false) {
      add('metadata.namespace', `namespace "${ns}" is set on a cluster-scoped kind (the API server would drop it)`, 'FieldValueForbidden');
    } else {
      const err = dns1123LabelError(ns);
      if (err) add('metadata.namespace', `invalid value "${ns}": ${err}`);
    }
  }

  const labels = metadata.labels;
  if (labels !== undefined) {
    if (!isPlainObject(labels)) {
      add('metadata.labels', `must be of type object (map of string to string) (got ${describe(labels)})`, 'FieldValueTypeInvalid');
    } else {
      for (const [k, v] of Object.entries(labels)) {
        const keyErr = qualifiedNameError(k);
        if (keyErr) add(keyPath('metadata.labels', k), `invalid label key "${k}": ${keyErr}`);
        if (typeof v !== 'string') {
          add(keyPath('metadata.labels', k), `label value must be of type string (got ${describe(v)})`, 'FieldValueTypeInvalid');
        } else {
          const valErr = labelValueError(v);
          if (valErr) add(keyPath('metadata.labels', k), `invalid label value "${v}": ${valErr}`);
        }
      }
    }
  }

  const annotations = metadata.annotations;
  if (annotations !== undefined) {
    if (!isPlainObject(annotations)) {
      add('metadata.annotations', `must be of type object (map of string to string) (got ${describe(annotations)})`, 'FieldValueTypeInvalid');
    } else {
      let total = 0;
      for (const [k, v] of Object.entries(annotations)) {
        total += k.length;
        const keyErr = qualifiedNameError(k.toLowerCase());
        if (keyErr) add(keyPath('metadata.annotations', k), `invalid annotation key "${k}": ${keyErr}`);
        if (typeof v !== 'string') {
          add(keyPath('metadata.annotations', k), `annotation value must be of type string (got ${describe(v)})`, 'FieldValueTypeInvalid');
        } else {
          total += v.length;
        }
      }
      if (total > TOTAL_ANNOTATION_SIZE) {
        add('metadata.annotations', `annotations may not have more than ${TOTAL_ANNOTATION_SIZE} bytes in total (got ${total})`, 'FieldValueTooLong');
      }
    }
  }

  const finalizers = metadata.finalizers;
  if (finalizers !== undefined) {
    if (!Array.isArray(finalizers)) {
      add('metadata.finalizers', `must be of type array (got ${describe(finalizers)})`, 'FieldValueTypeInvalid');
    } else {
      finalizers.forEach((f, i) => {
        if (typeof f !== 'string') {
          add(`metadata.finalizers[${i}]`, `must be of type string (got ${describe(f)})`, 'FieldValueTypeInvalid');
        } else {
          const err = qualifiedNameError(f);
          if (err) add(`metadata.finalizers[${i}]`, `invalid finalizer "${f}": ${err}`);
        }
      });
    }
  }

  const owners = metadata.ownerReferences;
  if (owners !== undefined) {
    if (!Array.isArray(owners)) {
      add('metadata.ownerReferences', `must be of type array (got ${describe(owners)})`, 'FieldValueTypeInvalid');
    } else {
      owners.forEach((o, i) => {
        const base = `metadata.ownerReferences[${i}]`;
        if (!isPlainObject(o)) {
          add(base, `must be of type object (got ${describe(o)})`, 'FieldValueTypeInvalid');
          return;
        }
        for (const field of ['apiVersion', 'kind', 'name', 'uid']) {
          if (typeof o[field] !== 'string' || o[field] === '') {
            add(`${base}.${field}`, `${field} is required and must be a non-empty string`, 'FieldValueRequired');
          }
        }
        for (const key of Object.keys(o)) {
          if (!['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'].includes(key)) {
            add(keyPath(base, key), `unknown field "${key}" (not a field of OwnerReference)`, 'FieldValueUnknown');
          }
        }
      });
    }
  }
  return issues;
}

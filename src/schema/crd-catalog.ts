// Loading CustomResourceDefinitions from YAML into an index by group, kind and version. Internal: not re-exported.
import * as fs from 'fs';
import * as path from 'path';
import { parseYamlDocuments } from './yaml-input';

/** One version of one CRD. */
export interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly served: boolean;
  readonly namespaced: boolean;
  readonly crdName: string;
  readonly source: string;
  readonly documentIndex: number;
  /** `schema.openAPIV3Schema`, or undefined when the version declares none (then anything is accepted). */
  readonly schema?: { [key: string]: any };
}

/** All loaded CRDs, by API group, then kind, then version. */
export class CrdCatalog {
  private readonly groups = new Map<string, Map<string, Map<string, CrdVersion>>>();
  private readonly origins = new Map<string, string>();

  public get isEmpty(): boolean {
    return this.groups.size === 0;
  }

  public hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  public kindsOf(group: string): string[] {
    return [...(this.groups.get(group)?.keys() ?? [])].sort();
  }

  public versionsOf(group: string, kind: string): CrdVersion[] {
    return [...(this.groups.get(group)?.get(kind)?.values() ?? [])];
  }

  public lookup(group: string, kind: string, version: string): CrdVersion | undefined {
    return this.groups.get(group)?.get(kind)?.get(version);
  }

  /** Every CRD version, in load order. */
  public all(): CrdVersion[] {
    const out: CrdVersion[] = [];
    for (const kinds of this.groups.values()) {
      for (const versions of kinds.values()) out.push(...versions.values());
    }
    return out;
  }

  /**
   * Adds the CustomResourceDefinitions found in a YAML stream. Other documents are ignored.
   * Returns how many CRDs were added. Throws on malformed YAML or malformed CRDs, naming source and document.
   */
  public addYaml(text: string, source: string): number {
    const docs = parseYamlDocuments(text);
    for (const doc of docs) {
      if (doc.error !== undefined) {
        throw new Error(`Cannot load CRDs: ${source}, document ${doc.index}: malformed YAML: ${doc.error}`);
      }
    }
    return this.addDocuments(docs.map((d) => d.value), source);
  }

  /**
   * Adds the CustomResourceDefinitions of a JSON file: one object, a `List` of objects, or an array of objects
   * (JSON parses far faster than YAML: useful for large CRD sets that are loaded often, e.g. by test suites).
   */
  public addJson(text: string, source: string): number {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`Cannot load CRDs: ${source}: malformed JSON: ${(e as Error).message}`);
    }
    if (Array.isArray(value)) return this.addDocuments(value, source);
    if (typeof value === 'object' && value !== null && Array.isArray((value as any).items) && (value as any).kind !== 'CustomResourceDefinition') {
      return this.addDocuments((value as any).items, source);
    }
    return this.addDocuments([value], source);
  }

  /** Adds a file by its extension: `.json` as JSON, anything else as YAML. */
  public addFile(text: string, source: string): number {
    return /\.json$/i.test(source) ? this.addJson(text, source) : this.addYaml(text, source);
  }

  private addDocuments(values: unknown[], source: string): number {
    let added = 0;
    for (let index = 0; index < values.length; index++) {
      const where = `${source}, document ${index}`;
      const value: any = values[index];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      if (value.kind !== 'CustomResourceDefinition') continue;
      if (typeof value.apiVersion !== 'string' || !value.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
      if (value.apiVersion !== 'apiextensions.k8s.io/v1') {
        throw new Error(`Cannot load CRDs: ${where}: ${value.apiVersion} CustomResourceDefinitions are not supported (use apiextensions.k8s.io/v1)`);
      }
      this.addCrd(value, source, index);
      added++;
    }
    return added;
  }

  private addCrd(crd: { [key: string]: any }, source: string, documentIndex: number): void {
    const name = typeof crd.metadata?.name === 'string' ? crd.metadata.name : '(unnamed)';
    const where = `${source}, document ${documentIndex} (CustomResourceDefinition ${name})`;
    const spec = crd.spec;
    const group = spec?.group;
    const kind = spec?.names?.kind;
    if (typeof group !== 'string' || group === '') {
      throw new Error(`Cannot load CRDs: ${where}: spec.group is missing`);
    }
    if (typeof kind !== 'string' || kind === '') {
      throw new Error(`Cannot load CRDs: ${where}: spec.names.kind is missing`);
    }
    if (!Array.isArray(spec.versions) || spec.versions.length === 0) {
      throw new Error(`Cannot load CRDs: ${where}: spec.versions is missing or empty`);
    }
    const key = `${group}/${kind}`;
    const previous = this.origins.get(key);
    if (previous !== undefined) {
      throw new Error(`Cannot load CRDs: ${where}: ${kind}.${group} is already defined by ${previous}`);
    }
    this.origins.set(key, `${source}, document ${documentIndex}`);
    const namespaced = spec.scope !== 'Cluster';
    let kinds = this.groups.get(group);
    if (!kinds) {
      kinds = new Map();
      this.groups.set(group, kinds);
    }
    const versions = new Map<string, CrdVersion>();
    kinds.set(kind, versions);
    spec.versions.forEach((v: any, i: number) => {
      if (typeof v?.name !== 'string' || v.name === '') {
        throw new Error(`Cannot load CRDs: ${where}: spec.versions[${i}].name is missing`);
      }
      const schema = v.schema?.openAPIV3Schema;
      if (schema !== undefined && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
        throw new Error(`Cannot load CRDs: ${where}: spec.versions[${i}].schema.openAPIV3Schema is not an object`);
      }
      versions.set(v.name, {
        group,
        kind,
        version: v.name,
        served: v.served !== false,
        namespaced,
        crdName: name,
        source,
        documentIndex,
        schema,
      });
    });
  }
}

/** Lists `*.yaml`/`*.yml` (and with `json`, `*.json`) files below `dir`, recursively, sorted. */
export function listYamlFiles(dir: string, json: boolean = false): string[] {
  const pattern = json ? /\.(ya?ml|json)$/i : /\.ya?ml$/i;
  const out: string[] = [];
  const visit = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
        visit(full);
      } else if (pattern.test(e.name)) {
        out.push(full);
      }
    }
  };
  visit(dir);
  return out;
}

/** Reads a file, turning fs errors into a message naming the path. */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${what}: file not found: ${path.resolve(file)}`);
    throw new Error(`${what}: cannot read ${path.resolve(file)}: ${code ?? (e as Error).message}`);
  }
}

/** stat() that returns undefined for a missing path. */
export function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

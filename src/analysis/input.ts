/**
 * Input checks shared by every entry point (in-app, programmatic, command, cdk8s-cli plugin): each document
 * must be a Kubernetes object, Istio objects must be of a known kind, `List` objects are flattened.
 */
import * as YAML from 'yaml';
import { KubeObject } from './model';

/** Istio API groups and the kinds they serve in Istio 1.30 (plus the IstioOperator install API). */
const ISTIO_KINDS: { [group: string]: string[] } = {
  'networking.istio.io': ['DestinationRule', 'EnvoyFilter', 'Gateway', 'ProxyConfig', 'ServiceEntry', 'Sidecar',
    'VirtualService', 'WorkloadEntry', 'WorkloadGroup'],
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'],
  'telemetry.istio.io': ['Telemetry'],
  'extensions.istio.io': ['WasmPlugin', 'TrafficExtension'],
  'install.istio.io': ['IstioOperator'],
};

/** A problem with one input document; `where` names the file and document, or the construct path. */
export class AnalysisInputError extends Error {
  constructor(public readonly where: string, public readonly reason: string) {
    super(`${where}: ${reason}`);
    this.name = 'AnalysisInputError';
  }
}

/** Why `doc` is not an analyzable object, or undefined when it is fine. */
export function inputProblem(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return `not a Kubernetes object (got ${Array.isArray(doc) ? 'a list' : doc === null ? 'null' : typeof doc})`;
  }
  const o = doc as KubeObject;
  if (typeof o.apiVersion !== 'string' || o.apiVersion.length === 0) return 'not a Kubernetes object: apiVersion is missing';
  if (typeof o.kind !== 'string' || o.kind.length === 0) return 'not a Kubernetes object: kind is missing';
  if (o.metadata !== undefined && (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))) {
    return `not a Kubernetes object: metadata of ${o.kind} is not a map`;
  }
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  if (group === 'istio.io' || group.endsWith('.istio.io')) {
    const kinds = ISTIO_KINDS[group];
    if (!kinds || !kinds.includes(o.kind)) {
      const known = kinds ? `; ${group} serves ${kinds.join(', ')}` : '; it is not an API group of Istio 1.30';
      return `unknown Istio kind ${o.kind} in ${o.apiVersion}${known}`;
    }
  }
  if (o.metadata?.name !== undefined && typeof o.metadata.name !== 'string') {
    return `not a Kubernetes object: metadata.name of ${o.kind} is not a string`;
  }
  return undefined;
}

/**
 * Checks and flattens documents (`kind: List` items are expanded). `where(i)` names document i in errors.
 * Throws AnalysisInputError on the first bad document.
 */
export function checkObjects(docs: unknown[], where: (i: number, item?: number) => string): KubeObject[] {
  const out: KubeObject[] = [];
  docs.forEach((doc, i) => {
    const problem = inputProblem(doc);
    if (problem) throw new AnalysisInputError(where(i), problem);
    const o = doc as KubeObject;
    if (o.kind === 'List' && Array.isArray(o.items)) {
      o.items.forEach((item: unknown, j: number) => {
        const p = inputProblem(item);
        if (p) throw new AnalysisInputError(where(i, j), p);
        out.push(item as KubeObject);
      });
    } else if (o.kind !== 'List') {
      out.push(o);
    }
  });
  return out;
}

/** Parses a multi-document YAML text. Empty documents are skipped. Throws AnalysisInputError naming the file/document. */
export function parseYamlObjects(text: string, file: string): KubeObject[] {
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, { prettyErrors: false }) as YAML.Document.Parsed[];
  } catch (e) {
    throw new AnalysisInputError(file, `unparseable YAML: ${(e as Error).message}`);
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as YAML.Document.Parsed];
  const values: unknown[] = [];
  const indexes: number[] = [];
  docs.forEach((d, i) => {
    if (d.errors.length > 0) {
      const err = d.errors[0];
      throw new AnalysisInputError(`${file} (document ${i + 1})`, `unparseable YAML: ${err.message.split('\n')[0]}`);
    }
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new AnalysisInputError(`${file} (document ${i + 1})`, `unparseable YAML: ${(e as Error).message}`);
    }
    if (v === null || v === undefined) return; // empty document (e.g. a trailing ---)
    values.push(v);
    indexes.push(i + 1);
  });
  return checkObjects(values, (i, item) => `${file} (document ${indexes[i]}${item === undefined ? '' : `, List item ${item + 1}`})`);
}

/**
 * Internal model of the MeshAnalyzer: what a rule sees and what it returns.
 *
 * Nothing in this file is part of the jsii public API (src/analysis/index.ts exports only the
 * public classes and structs); rules and the runner use these TypeScript-only types.
 */
import type { ObjectIndex } from './object-index';

/** Fixed severity of a rule. The public `Finding.severity` carries the same strings. */
export type Severity = 'error' | 'warning';

/**
 * A plain JSON Kubernetes object, as rendered by `ApiObject.toJson()` or parsed from YAML.
 * The construct path of an in-app object is kept out of band (see `constructPathOf`).
 */
export type KubeObject = { [key: string]: any };

/** One problem a rule found on one object. The runner adds rule, severity, codes and construct path. */
export interface RawFinding {
  /** The object the finding is reported on (for conflicts: one finding per object involved). */
  readonly object: KubeObject;
  /** What is wrong, naming the fields and values involved. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** A rule: a pure function from the object index to findings. One rule per file in `rules/`. */
export interface Rule {
  /** Stable kebab-case id, e.g. `destination-host-not-found`. */
  readonly id: string;
  /** Fixed severity of every finding of this rule. */
  readonly severity: Severity;
  /** Matching istioctl analyze (IST…) and Kiali (KIA…) codes, possibly empty. */
  readonly codes: string[];
  /** One line: what the rule catches. */
  readonly summary: string;
  /** Runs the rule. Must not throw on any well-formed Kubernetes object (missing fields are normal). */
  check(ctx: AnalysisContext): RawFinding[];
}

/** Mesh-level assumptions of the evaluation model (issue 8 §3), resolved to concrete values. */
export interface AnalyzerSettingsResolved {
  /** Istio root namespace (meshConfig.rootNamespace). Default `istio-system`. */
  readonly rootNamespace: string;
  /** SPIFFE trust domain. Default `cluster.local`. */
  readonly trustDomain: string;
  /** Kubernetes cluster DNS domain used to expand short hosts. Default `cluster.local`. */
  readonly clusterDomain: string;
  /** Whether istiod/the proxies allocate virtual IPs for ServiceEntries (ISTIO_META_DNS_AUTO_ALLOCATE). Default false. */
  readonly dnsAutoAllocate: boolean;
}

/** What every rule receives. */
export interface AnalysisContext {
  readonly index: ObjectIndex;
  readonly settings: AnalyzerSettingsResolved;
}

/** The defaults of the evaluation model: an Istio 1.30 control plane with default mesh config. */
export const DEFAULT_SETTINGS: AnalyzerSettingsResolved = {
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  clusterDomain: 'cluster.local',
  dnsAutoAllocate: false,
};

const CONSTRUCT_PATHS = new WeakMap<object, string>();

/** Remembers the construct path an in-app object was rendered from (not serialized). */
export function setConstructPath(obj: KubeObject, path: string): void {
  CONSTRUCT_PATHS.set(obj, path);
}

/** The construct path recorded with `setConstructPath`, if any. */
export function constructPathOf(obj: KubeObject): string | undefined {
  return CONSTRUCT_PATHS.get(obj);
}

/** Safe accessor: `obj[key]` as an array (non-arrays yield []). */
export function arr(value: any): any[] {
  return Array.isArray(value) ? value : [];
}

/** Safe accessor: a plain object or {} . */
export function rec(value: any): { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Safe accessor: a string or undefined. */
export function str(value: any): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A string-to-string label map (non-string values dropped), or undefined when absent / not an object. */
export function labelMap(value: any): { [key: string]: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

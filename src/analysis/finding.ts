/**
 * The public result types of the MeshAnalyzer.
 */

/** Severity of a finding; every rule has a fixed severity. */
export enum FindingSeverity {
  /** The configuration is broken (traffic fails, a policy does not apply); fails `app.synth()`. */
  ERROR = 'error',
  /** The configuration works but is risky or ineffective; printed, does not fail synth by default. */
  WARNING = 'warning',
}

/** The lowest severity that fails synth / the command. */
export enum AnalyzerFailOn {
  /** Error findings fail (the default). */
  ERROR = 'error',
  /** Error and warning findings fail. */
  WARNING = 'warning',
  /** Nothing fails; findings are only reported. */
  NONE = 'none',
}

/** One problem found by a rule on one object. */
export interface Finding {
  /** Stable rule id, e.g. `destination-host-not-found`. */
  readonly rule: string;
  /** Fixed severity of the rule. */
  readonly severity: FindingSeverity;
  /** The object: `Kind/namespace/name` (cluster-scoped: `Kind//name`). */
  readonly object: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
  /**
   * Construct path of the object, when it was rendered by a cdk8s app.
   * @default - the object did not come from a construct (YAML input)
   */
  readonly constructPath?: string;
  /**
   * Matching istioctl analyze (IST…) and Kiali (KIA…) codes.
   * @default - no equivalent code
   */
  readonly codes?: string[];
}

/** A finding that a suppression with a reason silenced; listed so reviewers see it. */
export interface SuppressedFinding extends Finding {
  /** The reason given with the suppression. */
  readonly reason: string;
  /** Where the suppression came from: `annotation` (on the object) or `app` (analyzer settings). */
  readonly suppressedBy: string;
}

/** An app-level suppression. */
export interface AnalyzerSuppression {
  /** Rule id to suppress. */
  readonly rule: string;
  /**
   * Object reference `Kind/namespace/name`; `*` matches any one segment part (e.g. `VirtualService/shop/*`).
   * @default - every object
   */
  readonly object?: string;
  /** Why the finding is acceptable. Required: a suppression without a reason is itself an error. */
  readonly reason: string;
}

/** Mesh-level assumptions and reporting options of the analyzer. */
export interface MeshAnalyzerSettings {
  /**
   * Istio root namespace (meshConfig.rootNamespace): policies here are mesh-wide.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * SPIFFE trust domain of the mesh.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * Kubernetes cluster DNS domain; short hosts expand to `<host>.<namespace>.svc.<clusterDomain>`.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Whether the mesh allocates virtual IPs for ServiceEntries (ISTIO_META_DNS_AUTO_ALLOCATE / DNS capture).
   * @default false
   */
  readonly dnsAutoAllocate?: boolean;
  /**
   * App-level suppressions, each with a reason.
   * @default - none
   */
  readonly suppress?: AnalyzerSuppression[];
  /**
   * The lowest severity that fails synth.
   * @default AnalyzerFailOn.ERROR
   */
  readonly failOn?: AnalyzerFailOn;
}

/** Description of one analyzer rule. */
export interface AnalyzerRuleInfo {
  /** Stable rule id. */
  readonly id: string;
  /** Fixed severity. */
  readonly severity: FindingSeverity;
  /** Matching istioctl / Kiali codes. */
  readonly codes: string[];
  /** One line: what the rule catches. */
  readonly summary: string;
}

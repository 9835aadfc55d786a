/**
 * One reason why a Kubernetes object would be rejected (or silently altered) by the API server.
 */
export interface SchemaProblem {
  /**
   * The object, as `Kind/namespace/name` (`Kind//name` for cluster-scoped or namespace-less objects).
   * Unknown parts are left empty (`/ns/name` when `kind` is missing).
   */
  readonly object: string;

  /**
   * Path of the offending field inside the object, e.g. `spec.http[0].timeout` or
   * `metadata.labels[app.kubernetes.io/name]`. Empty for problems about the whole object.
   */
  readonly path: string;

  /**
   * What is wrong, and the offending value where that helps.
   */
  readonly message: string;

  /**
   * File (or other source label) the object came from.
   *
   * @default - the object was passed in directly, without a source
   */
  readonly source?: string;

  /**
   * Zero-based index of the YAML document in `source`.
   *
   * @default - the object did not come from a multi-document YAML stream
   */
  readonly documentIndex?: number;

  /**
   * The CEL rule (`x-kubernetes-validations[].rule`) that failed or could not be evaluated.
   *
   * @default - the problem does not come from a CEL rule
   */
  readonly rule?: string;

  /**
   * The Kubernetes field error type: `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`,
   * `FieldValueDuplicate`, `FieldValueNotSupported`, `FieldValueTypeInvalid` or `FieldValueTooLong`…
   * For CEL rules this is the rule's `reason` (default `FieldValueInvalid`).
   *
   * @default - not classified
   */
  readonly reason?: string;
}

/**
 * A CEL rule of a loaded CRD that the validator cannot evaluate: it does not parse, or it calls a function the
 * validator does not provide. Every object the rule applies to also gets a `SchemaProblem`.
 */
export interface CelRuleProblem {
  /**
   * `group/version/Kind` of the CRD version that declares the rule.
   */
  readonly kind: string;

  /**
   * Location of the rule in the schema, e.g. `spec.rules[*].to[*]`.
   */
  readonly schemaPath: string;

  /**
   * The rule text.
   */
  readonly rule: string;

  /**
   * Why the rule cannot be evaluated.
   */
  readonly message: string;
}

/**
 * Options for a `ManifestValidator`.
 */
export interface ManifestValidatorOptions {
  /**
   * Report objects whose API group is not defined by any loaded CRD (e.g. core `v1` Services,
   * `apps/v1` Deployments). Such objects still get their `metadata` checked when this is false.
   *
   * @default false - objects of unknown API groups are skipped (apart from `metadata`)
   */
  readonly reportUnknownGroups?: boolean;

  /**
   * Accept a `status` field. Generated manifests should never carry one, so by default it is reported.
   *
   * @default false
   */
  readonly allowStatus?: boolean;

  /**
   * Check `metadata` of objects of unknown API groups (name DNS-1123 subdomain, namespace DNS-1123 label, labels
   * and annotations).
   *
   * @default true
   */
  readonly checkMetadataOfUnknownGroups?: boolean;
}

import { createHash } from 'crypto';
import { Chart, JsonPatch, ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { MeshServiceBase } from './mesh-service-base';
import { RevisionedControlPlane } from './revisioned-control-plane';
import { DataplaneMode } from '../mesh/dataplane-mode';
import { AllowOptions, IMeshDestination } from '../mesh/destination';
import { Mesh } from '../mesh/mesh';
import { EdgeDestinationKind } from '../mesh/mesh-edge';
import { ServiceGraph } from '../mesh/service-graph';
import { ITrafficSource } from '../mesh/traffic-source';
import { checkAuthzPath, HTTP_METHODS } from '../private/allow';
import { fail, show } from '../private/errors';
import { GatewayWorkloadRecord, onGatewayWorkload } from '../private/gateways';
import { childName, nameFromId } from '../private/names';
import { claim } from '../private/ownership';
import { appSingleton } from '../private/registry';
import { checkSource } from '../private/sources';
import { checkLabels, checkPort, DNS_LABEL_RULE, isDnsLabel, uniqSorted } from '../private/validate';
import { AuthorizationOperation, AuthorizationPolicy, AuthorizationSource } from '../resources/authorization-policy';
import { PeerAuthentication } from '../resources/peer-authentication';
import { JwtRule, RequestAuthentication } from '../resources/request-authentication';
import { Sidecar } from '../resources/sidecar';
import { HttpMatch } from '../values/http-match';
import { AuthorizationAction, MtlsMode, OutboundTrafficPolicy } from '../values/istio-enums';

/** Namespaces a ZeroTrustNamespace refuses unless `allowSystemNamespace` is set. */
const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'];

/** A port of some workloads of the namespace that accepts a weaker mTLS mode than the namespace (a migration exception). */
export interface MtlsPortException {
  /** Pod labels of the workloads the exception applies to (non-empty: Istio applies port-level modes only to selected workloads). */
  readonly selector: { [key: string]: string };

  /** The container port (the port the workload listens on, not the Service port), 1–65535. */
  readonly port: number;

  /** The mode on that port: PERMISSIVE (plain text and mTLS) or DISABLE (plain text only). */
  readonly mode: MtlsMode;

  /** Why the port cannot be STRICT (recorded in the `cdk8s-istio.io/mtls-exception-reason` annotation). */
  readonly reason: string;
}

/** Props of a `ZeroTrustNamespace`. */
export interface ZeroTrustNamespaceProps {
  /**
   * The namespace name (a DNS-1123 label).
   *
   * @default - derived from the construct id (`Shop` → `shop`)
   */
  readonly name?: string;

  /**
   * The control-plane revision tag the namespace's sidecars are injected by: rendered as the one membership label
   * `istio.io/rev=<revisionTag>`. A tag (e.g. `prod-stable`), not a raw revision, so that moving the tag upgrades
   * the namespace. When the app declares a `RevisionedControlPlane`, the tag must be one of its tags.
   *
   * @default 'default'
   */
  readonly revisionTag?: string;

  /**
   * Extra labels of the Namespace. The mesh labels (`istio.io/rev`, `istio-injection`, `istio.io/dataplane-mode`,
   * `istio-discovery`) are written by the construct and refused here.
   *
   * @default - only the mesh labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * The namespace-wide mTLS mode (PeerAuthentication `default`). PERMISSIVE (plain text accepted) is allowed only as
   * an acknowledged migration step: it needs `permissiveReason` and is reported by the analyzer as a warning.
   *
   * @default MtlsMode.STRICT
   */
  readonly mtlsMode?: MtlsMode;

  /**
   * Why the namespace is PERMISSIVE (required with `mtlsMode: MtlsMode.PERMISSIVE`, refused otherwise); recorded in the
   * `cdk8s-istio.io/permissive-reason` annotation of the PeerAuthentication.
   *
   * @default - no reason (the namespace is STRICT)
   */
  readonly permissiveReason?: string;

  /**
   * Ports of selected workloads that accept a weaker mode than the namespace (e.g. a metrics port scraped in plain
   * text). Each needs a workload selector and a reason; rendered as one workload PeerAuthentication per selector.
   *
   * @default - no exception: every port of every workload uses the namespace mode
   */
  readonly portLevelMtls?: MtlsPortException[];

  /**
   * Audit mode for a phased rollout: every AuthorizationPolicy this construct renders (allow-nothing, plain-text DENY,
   * namespace-wide ALLOW, gateway ALLOW, JWT DENY) carries `istio.io/dry-run: "true"`, so Istio logs the decisions without enforcing
   * them. Per-service ALLOW policies are rendered by the services and are not affected.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * Requires mTLS in the authorization layer too: a namespace-wide DENY of requests without a peer identity
   * (`notPrincipals: ['*']`, policy `deny-plaintext`), defense in depth should a workload-level PeerAuthentication
   * ever accept plain text. Ports listed in `portLevelMtls` are excluded (`notPorts`). With the default, the policy is
   * not rendered when the namespace is PERMISSIVE or when an ingress gateway runs in it (its clients are outside the
   * mesh); setting it to `true` in those cases is an error.
   *
   * @default true
   */
  readonly denyPlaintext?: boolean;

  /**
   * Allows a Kubernetes system namespace (`kube-system`, `kube-public`, `kube-node-lease`) as `name`. Making them
   * deny-by-default breaks cluster components that are not in the mesh. (The mesh root namespace is always refused:
   * policies there are mesh-wide.)
   *
   * @default false
   */
  readonly allowSystemNamespace?: boolean;
}

/** Options of `ZeroTrustNamespace.requireJwt()`. */
export interface ZeroTrustNamespaceJwtOptions {
  /** The token issuer (`iss` claim), e.g. `https://accounts.example.com`. */
  readonly issuer: string;

  /** The https URL of the issuer's JSON Web Key Set (fetched by istiod; never a cluster-internal address). */
  readonly jwksUri: string;

  /** The accepted audiences (`aud` claim); at least one. */
  readonly audiences: string[];

  /**
   * Services of this namespace that require the token.
   *
   * @default - every workload of the namespace
   */
  readonly services?: MeshServiceBase[];
}

interface JwtTarget {
  readonly authn: RequestAuthentication;
  readonly policy: AuthorizationPolicy;
}

/**
 * A namespace that is zero-trust by construction (sidecar mode):
 *
 * - the `Namespace` with exactly one mesh-membership label, `istio.io/rev=<revisionTag>`, plus the discovery label
 *   (`istio-discovery=enabled`) the control plane's discoverySelectors match;
 * - a namespace-wide `PeerAuthentication` named `default`, STRICT;
 * - an allow-nothing `AuthorizationPolicy` (`spec: {}`): deny by default; access comes only from explicit ALLOW
 *   policies (the services' `allowFrom`, and this namespace's `allowFrom` for namespace-wide grants);
 * - a DENY of requests without a peer identity (mTLS required in the authorization layer too, `denyPlaintext`);
 * - a namespace-default `Sidecar` (no selector), REGISTRY_ONLY, whose egress hosts are `./*`, `<rootNamespace>/*`
 *   and the hosts the namespace's workloads were allowed to call in the service graph;
 * - when an ingress gateway of the app runs in this namespace, an ALLOW on the gateway's ports so that
 *   deny-by-default does not cut off external traffic;
 * - optionally (`requireJwt`) a RequestAuthentication and a DENY of requests without a valid token.
 *
 * It is a traffic source (every workload of the namespace, `source.namespaces`) and a destination (`allowFrom`
 * grants access to every workload of the namespace).
 */
export class ZeroTrustNamespace extends Construct implements ITrafficSource, IMeshDestination {
  /** Annotation recording why the namespace is PERMISSIVE. */
  public static readonly PERMISSIVE_REASON_ANNOTATION = 'cdk8s-istio.io/permissive-reason';
  /** Annotation recording why a port is exempt from the namespace mTLS mode. */
  public static readonly MTLS_EXCEPTION_REASON_ANNOTATION = 'cdk8s-istio.io/mtls-exception-reason';

  /**
   * The ZeroTrustNamespace of the app named `name`, if one is declared.
   */
  public static tryFind(scope: IConstruct, name: string): ZeroTrustNamespace | undefined {
    return registry(scope).get(name);
  }

  /** The namespace name. */
  public readonly name: string;
  /** The revision tag of the membership label. */
  public readonly revisionTag: string;
  /** The namespace-wide mTLS mode. */
  public readonly mtlsMode: MtlsMode;
  /** Whether the authorization policies of the namespace are in audit (dry-run) mode. */
  public readonly dryRun: boolean;
  /** The Namespace. */
  public readonly namespaceResource: kplus.Namespace;
  /** The namespace-wide PeerAuthentication (`default`). */
  public readonly peerAuthentication: PeerAuthentication;
  /** The workload PeerAuthentications of the port-level exceptions (one per selector). */
  public readonly portExceptions: PeerAuthentication[];
  /** The allow-nothing AuthorizationPolicy (`allow-nothing`, `spec: {}`). */
  public readonly allowNothingPolicy: AuthorizationPolicy;
  /** The namespace-default Sidecar (`default`). */
  public readonly sidecar: Sidecar;

  public readonly sourceNamespace: string;
  public readonly sourceServiceAccount?: string;
  public readonly sourceDescription: string;

  private readonly _mesh: Mesh;
  private _allowPolicy?: AuthorizationPolicy;
  private readonly _gatewayPolicies = new Map<string, AuthorizationPolicy>();
  private readonly _gatewayProblems: string[] = [];
  private readonly _jwt = new Map<string, JwtTarget>();
  private readonly _revisionTagDefaulted: boolean;
  private _denyPlaintext?: AuthorizationPolicy;
  private readonly _denyPlaintextExplicit: boolean;

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps = {}) {
    super(scope, id);
    this._mesh = Mesh.of(this);
    if (props === null || typeof props !== 'object') fail(this, `props must be a ZeroTrustNamespaceProps struct, got ${show(props)}`);
    if (this._mesh.dataplaneMode !== DataplaneMode.SIDECAR) {
      fail(this, `ZeroTrustNamespace supports dataplaneMode SIDECAR only in this release, got ${show(this._mesh.dataplaneMode)}`);
    }

    // ---- all input checks first: nothing is created when one fails
    const name = props.name ?? nameFromId(id);
    if (!isDnsLabel(name)) fail(this, `name must be ${DNS_LABEL_RULE}, got ${show(name)}`);
    this.checkNamespaceName(name, props.allowSystemNamespace);

    const revisionTag = props.revisionTag ?? 'default';
    if (!isDnsLabel(revisionTag)) {
      const raw: unknown = revisionTag;
      const hint = typeof raw === 'string' && raw.includes('.') ? ` (revision tags use '-', e.g. ${show(raw.replace(/\./g, '-'))})` : '';
      fail(this, `revisionTag must be ${DNS_LABEL_RULE}, got ${show(revisionTag)}${hint}`);
    }

    const userLabels = this.checkUserLabels(props.labels);
    const { mode, permissiveReason } = this.checkMtls(props.mtlsMode, props.permissiveReason);
    const exceptions = this.checkPortExceptions(props.portLevelMtls, mode);
    if (props.dryRun !== undefined && typeof props.dryRun !== 'boolean') fail(this, `dryRun must be a boolean, got ${show(props.dryRun)}`);
    if (props.denyPlaintext !== undefined && typeof props.denyPlaintext !== 'boolean') fail(this, `denyPlaintext must be a boolean, got ${show(props.denyPlaintext)}`);
    if (props.denyPlaintext === true && mode !== MtlsMode.STRICT) {
      fail(this, `denyPlaintext cannot be combined with mtlsMode ${mode}: it would deny the plain-text clients PERMISSIVE is there to admit; omit denyPlaintext (it is rendered once the namespace is STRICT)`);
    }

    const cp = RevisionedControlPlane.tryOf(this);
    if (cp?.cni && cp.cniNamespace === name) {
      fail(this, `name ${show(name)} is the namespace of the CNI node agent of ${cp.node.path}; it runs outside the mesh, use an application namespace`);
    }
    claim(this, 'zero-trust namespace', name, 'ZeroTrustNamespace name');
    claim(this, 'namespace', name, 'Namespace');

    this.name = name;
    this.revisionTag = revisionTag;
    this._revisionTagDefaulted = props.revisionTag === undefined;
    this.mtlsMode = mode;
    this.dryRun = props.dryRun ?? false;
    this.sourceNamespace = name;
    this.sourceDescription = `ZeroTrustNamespace ${name}`;
    registry(this).set(name, this);

    // ---- the Namespace: exactly one membership label, plus the discovery label
    this.namespaceResource = new kplus.Namespace(this, 'Resource', {
      metadata: {
        name,
        labels: {
          ...userLabels,
          [Mesh.REVISION_LABEL]: revisionTag,
          [Mesh.DISCOVERY_LABEL]: Mesh.DISCOVERY_LABEL_VALUE,
        },
      },
    });
    if (Chart.of(this).namespace !== undefined) {
      // A Namespace is cluster-scoped: it must not inherit the chart's namespace.
      ApiObject.of(this.namespaceResource).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    // ---- mTLS
    this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: {
        name: 'default',
        namespace: name,
        annotations: permissiveReason !== undefined ? { [ZeroTrustNamespace.PERMISSIVE_REASON_ANNOTATION]: permissiveReason } : undefined,
      },
      mtlsMode: mode,
    });
    this.portExceptions = exceptions.map(e => new PeerAuthentication(this, `MtlsException-${e.name}`, {
      metadata: {
        name: e.name,
        namespace: name,
        annotations: { [ZeroTrustNamespace.MTLS_EXCEPTION_REASON_ANNOTATION]: e.reasons.join('; ') },
      },
      selector: e.selector,
      mtlsMode: mode,
      portLevelMtls: e.ports,
    }));

    // ---- deny by default
    this.allowNothingPolicy = new AuthorizationPolicy(this, 'AllowNothing', {
      metadata: { name: 'allow-nothing', namespace: name },
      allowNothing: true,
      dryRun: this.dryRun || undefined,
    });

    // ---- mTLS in the authorization layer too (dropped again if an ingress gateway turns out to run here)
    this._denyPlaintextExplicit = props.denyPlaintext === true;
    if ((props.denyPlaintext ?? true) && mode === MtlsMode.STRICT) {
      const exempt = [...new Set(exceptions.flatMap(e => e.ports.map(p => p.port)))].sort((a, b) => a - b);
      this._denyPlaintext = new AuthorizationPolicy(this, 'DenyPlaintext', {
        metadata: { name: 'deny-plaintext', namespace: name },
        action: AuthorizationAction.DENY,
        rules: [{
          from: [{ notPrincipals: ['*'] }],
          to: exempt.length > 0 ? [{ notPorts: exempt }] : undefined,
        }],
        dryRun: this.dryRun || undefined,
      });
    }

    // ---- egress scoped to the graph
    const sidecar = new Sidecar(this, 'Sidecar', {
      metadata: { name: 'default', namespace: name },
      egressHosts: ['./*', `${this._mesh.rootNamespace}/*`],
      outboundTrafficPolicy: OutboundTrafficPolicy.REGISTRY_ONLY,
    });
    this.sidecar = sidecar;
    ServiceGraph.of(this).subscribe(
      ServiceGraph.fromNamespace(name),
      e => e.egressHosts.forEach(h => sidecar.addEgressHost(h)),
    );

    // ---- ingress gateways running in this namespace keep receiving external traffic
    onGatewayWorkload(this, g => {
      if (g.direction === 'ingress' && g.namespace === name) this.allowGateway(g);
    });

    // The control plane may be declared before or after this namespace: register now if it exists, else at synth.
    cp?.registerNamespace(name, revisionTag, this.node.path);
    this.node.addValidation({ validate: () => [...this.validateControlPlane(), ...this._gatewayProblems] });
  }

  /** The namespace-wide ALLOW policy rendered from `allowFrom` (created by the first call). */
  public get allowPolicy(): AuthorizationPolicy | undefined {
    return this._allowPolicy;
  }

  /** The DENY of requests without a peer identity (`deny-plaintext`), when rendered (see `denyPlaintext`). */
  public get denyPlaintextPolicy(): AuthorizationPolicy | undefined {
    return this._denyPlaintext;
  }

  /** The ALLOW policies that keep ingress gateways of this namespace reachable from outside the mesh. */
  public get gatewayPolicies(): AuthorizationPolicy[] {
    return [...this._gatewayPolicies.values()];
  }

  /**
   * Allows `source` to call every workload of the namespace (a namespace-wide ALLOW rule naming the source's
   * principal, or its namespace for a namespace source). `options.ports` are workload (container) ports, since a
   * namespace-wide grant has no Service to translate them; `methods`/`paths` apply to HTTP traffic only (Istio
   * drops HTTP rules on TCP ports, so such a grant does not open TCP workloads).
   */
  public allowFrom(source: ITrafficSource, options: AllowOptions = {}): void {
    const who = checkSource(this, 'allowFrom source', source);
    const operation = this.checkAllowOptions(options ?? {});
    const from: AuthorizationSource = who.serviceAccount !== undefined
      ? { principals: [this._mesh.principal(who.namespace, who.serviceAccount)] }
      : { namespaces: [who.namespace] };
    if (!this._allowPolicy) {
      this._allowPolicy = new AuthorizationPolicy(this, 'AllowPolicy', {
        metadata: { name: 'allow-namespace-wide', namespace: this.name },
        action: AuthorizationAction.ALLOW,
        dryRun: this.dryRun || undefined,
      });
    }
    this._allowPolicy.addRule({
      from: [{ ...from, requestPrincipals: options?.requireJwt ? ['*'] : undefined }],
      to: operation ? [operation] : undefined,
    });
    ServiceGraph.of(this).addEdge({
      source,
      sourceNamespace: who.namespace,
      sourceServiceAccount: who.serviceAccount,
      sourceDescription: source.sourceDescription,
      destinationKind: EdgeDestinationKind.NAMESPACE,
      destinationNamespace: this.name,
      destinationHosts: [`*.${this.name}.svc.${this._mesh.clusterDomain}`],
      egressHosts: [`${this.name}/*`],
      destinationPath: this.node.path,
    });
  }

  /**
   * Makes a valid JWT from `issuer` mandatory for the selected services (or every workload of the namespace): a
   * `RequestAuthentication` that validates the token, and an AuthorizationPolicy that DENYs requests without a
   * request principal (`notRequestPrincipals: ['*']`). Note that the request principal is `<iss>/<sub>`: tokens
   * without a `sub` claim are denied too. Calling it again for the same services adds another accepted issuer.
   */
  public requireJwt(options: ZeroTrustNamespaceJwtOptions): void {
    if (options === null || typeof options !== 'object') fail(this, `requireJwt options must be a ZeroTrustNamespaceJwtOptions struct, got ${show(options)}`);
    const issuer = options.issuer;
    if (typeof issuer !== 'string' || issuer.trim().length === 0) {
      fail(this, `requireJwt issuer must be a non-empty string (the token's iss claim, e.g. "https://accounts.example.com"), got ${show(issuer)}`);
    }
    if (/\s/.test(issuer)) fail(this, `requireJwt issuer must not contain whitespace, got ${show(issuer)}`);
    checkHttpsUrl(this, 'requireJwt jwksUri', options.jwksUri);
    if (!Array.isArray(options.audiences) || options.audiences.length === 0) {
      fail(this, `requireJwt audiences must list at least one accepted audience (aud claim); without it a token issued for any other service is accepted, got ${show(options.audiences)}`);
    }
    options.audiences.forEach((a, i) => {
      if (typeof a !== 'string' || a.trim().length === 0) fail(this, `requireJwt audiences[${i}] must be a non-empty string, got ${show(a)}`);
    });

    const targets: Array<{ key: string; selector?: { [key: string]: string } }> = [];
    if (options.services === undefined) {
      targets.push({ key: '' });
    } else {
      if (!Array.isArray(options.services) || options.services.length === 0) {
        fail(this, `requireJwt services must list at least one service of namespace ${this.name} (omit it for the whole namespace), got ${show(options.services)}`);
      }
      options.services.forEach((s, i) => {
        if (!(s instanceof MeshServiceBase)) fail(this, `requireJwt services[${i}] must be a MeshService or CanaryService of this app, got ${show(s)}`);
        if (s.namespace !== this.name) {
          fail(this, `requireJwt services[${i}] (${s.node.path}) is in namespace ${show(s.namespace)}, not in ${show(this.name)}; call requireJwt on that namespace`);
        }
        if (!targets.some(t => t.key === s.serviceName)) targets.push({ key: s.serviceName, selector: s.selector });
      });
    }
    for (const t of targets) {
      const existing = this._jwt.get(t.key);
      if (existing?.authn.issuers.includes(issuer)) {
        fail(this, `requireJwt issuer ${show(issuer)} is already required for ${t.key === '' ? `namespace ${this.name}` : `service ${t.key}`}`);
      }
    }

    const rule = { issuer, jwksUri: options.jwksUri, audiences: [...options.audiences] };
    for (const t of targets) {
      const existing = this._jwt.get(t.key);
      if (existing) {
        existing.authn.addJwtRule(rule);
        continue;
      }
      const suffix = t.key === '' ? undefined : t.key;
      const id = t.key === '' ? 'Namespace' : t.key;
      const authn = this.jwtAuthentication(`Jwt-${id}`, childName('jwt', suffix), t.selector, rule);
      const policy = new AuthorizationPolicy(this, `RequireJwt-${id}`, {
        metadata: { name: childName('require-jwt', suffix), namespace: this.name },
        action: AuthorizationAction.DENY,
        selector: t.selector,
        rules: [{ from: [{ notRequestPrincipals: ['*'] }] }],
        dryRun: this.dryRun || undefined,
      });
      this._jwt.set(t.key, { authn, policy });
    }
  }

  /**
   * Creates the RequestAuthentication; when the L2 refuses the rule (e.g. a jwksUri inside the cluster), the half-made
   * child is removed and the error names this construct and the requireJwt option.
   */
  private jwtAuthentication(id: string, name: string, selector: { [key: string]: string } | undefined, rule: JwtRule): RequestAuthentication {
    try {
      return new RequestAuthentication(this, id, { metadata: { name, namespace: this.name }, selector, jwtRules: [rule] });
    } catch (e) {
      this.node.tryRemoveChild(id);
      if ((e as Error).name !== 'IstioConfigError') throw e;
      return fail(this, `requireJwt ${(e as Error).message.replace(/^\[[^\]]*\] /, '').replace(/^jwtRules\[\d+\]\./, '')}`);
    }
  }

  /** The RequestAuthentications rendered by `requireJwt`, namespace-wide first, then by service name. */
  public get jwtAuthentications(): RequestAuthentication[] {
    return [...this._jwt.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t.authn);
  }

  /** The DENY policies rendered by `requireJwt`, in the order of `jwtAuthentications`. */
  public get jwtPolicies(): AuthorizationPolicy[] {
    return [...this._jwt.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t.policy);
  }

  /** The revision tag must be one the app's RevisionedControlPlane declares (when the app has one). */
  private validateControlPlane(): string[] {
    const cp = RevisionedControlPlane.tryOf(this);
    if (!cp) return [];
    if (cp.namespaceTag(this.name) === undefined) {
      try {
        cp.registerNamespace(this.name, this.revisionTag, this.node.path);
      } catch (e) {
        return [`cannot register namespace ${show(this.name)} with the control plane: ${(e as Error).message}`];
      }
    }
    if (cp.cni && cp.cniNamespace === this.name) {
      return [`name ${show(this.name)} is the namespace of the CNI node agent of ${cp.node.path}; it runs outside the mesh, use an application namespace`];
    }
    if (cp.hasTag(this.revisionTag)) return [];
    const tags = cp.tags;
    const revisionHint = cp.hasRevision(this.revisionTag) ? ` (${show(this.revisionTag)} is a revision, not a tag: bind namespaces to a tag that points at it, so upgrades never relabel them)` : '';
    return [`revisionTag ${show(this.revisionTag)}${this._revisionTagDefaulted ? ' (the default)' : ''} is not declared by the RevisionedControlPlane at ${cp.node.path}${revisionHint}; declared tags: ${tags.length > 0 ? tags.map(t => show(t)).join(', ') : '(none)'}`];
  }

  private checkNamespaceName(name: string, allowSystem: boolean | undefined): void {
    if (allowSystem !== undefined && typeof allowSystem !== 'boolean') fail(this, `allowSystemNamespace must be a boolean, got ${show(allowSystem)}`);
    if (this._mesh.isRootNamespace(name)) {
      fail(this, `name ${show(name)} is the mesh root namespace: PeerAuthentication and AuthorizationPolicy objects there apply to the whole mesh (an allow-nothing policy would deny every workload, gateways included); use an application namespace`);
    }
    const system = SYSTEM_NAMESPACES.includes(name);
    if (system && allowSystem !== true) {
      fail(this, `name ${show(name)} is a Kubernetes system namespace (${SYSTEM_NAMESPACES.join(', ')}); deny-by-default there breaks cluster components outside the mesh. Set allowSystemNamespace: true if you really mean it`);
    }
    if (!system && allowSystem === true) {
      fail(this, `allowSystemNamespace is only meaningful for ${SYSTEM_NAMESPACES.join(', ')}, got name ${show(name)}; remove it`);
    }
  }

  private checkUserLabels(labels: { [key: string]: string } | undefined): { [key: string]: string } {
    if (labels === undefined) return {};
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) fail(this, `labels must be a map of label keys to values, got ${show(labels)}`);
    const refused: { [key: string]: string } = {
      [Mesh.LEGACY_INJECTION_LABEL]: `it takes precedence over ${Mesh.REVISION_LABEL} (and with "disabled" the namespace silently leaves the mesh); the construct binds the namespace with ${Mesh.REVISION_LABEL} only`,
      [Mesh.REVISION_LABEL]: 'a second membership label; set revisionTag instead',
      [Mesh.DATAPLANE_MODE_LABEL]: `it enrolls the namespace in ambient mode, which conflicts with sidecar injection by ${Mesh.REVISION_LABEL}`,
      [Mesh.DISCOVERY_LABEL]: `the construct sets ${Mesh.DISCOVERY_LABEL}=${Mesh.DISCOVERY_LABEL_VALUE} so that the control plane's discoverySelectors see the namespace`,
    };
    for (const [k, v] of Object.entries(labels)) {
      if (k in refused) fail(this, `labels must not set ${k} (got ${k}=${show(v)}): ${refused[k]}`);
    }
    return checkLabels(this, 'labels', labels);
  }

  private checkMtls(mtlsMode: MtlsMode | undefined, permissiveReason: string | undefined): { mode: MtlsMode; permissiveReason?: string } {
    const mode = mtlsMode ?? MtlsMode.STRICT;
    if (mode === MtlsMode.PERMISSIVE) {
      if (permissiveReason === undefined) {
        fail(this, 'mtlsMode PERMISSIVE accepts plain-text traffic and is allowed only as an acknowledged migration step: give permissiveReason (e.g. "clients in namespace legacy are not in the mesh yet"), or use MtlsMode.STRICT');
      }
      if (typeof permissiveReason !== 'string' || permissiveReason.trim().length === 0) {
        fail(this, `permissiveReason must say why the namespace accepts plain text, got ${show(permissiveReason)}`);
      }
      return { mode, permissiveReason };
    }
    if (mode !== MtlsMode.STRICT) {
      fail(this, `mtlsMode must be STRICT, or PERMISSIVE as a migration step (with permissiveReason), got ${show(mode)}; for single ports use portLevelMtls`);
    }
    if (permissiveReason !== undefined) fail(this, `permissiveReason is only allowed with mtlsMode PERMISSIVE, got it with mtlsMode ${mode}; remove it`);
    return { mode };
  }

  private checkPortExceptions(exceptions: MtlsPortException[] | undefined, mode: MtlsMode):
  Array<{ name: string; selector: { [key: string]: string }; ports: Array<{ port: number; mode: MtlsMode }>; reasons: string[] }> {
    if (exceptions === undefined) return [];
    if (!Array.isArray(exceptions) || exceptions.length === 0) {
      fail(this, `portLevelMtls must list at least one exception (omit it for none), got ${show(exceptions)}`);
    }
    const groups = new Map<string, { selector: { [key: string]: string }; ports: Array<{ port: number; mode: MtlsMode }>; reasons: string[] }>();
    exceptions.forEach((e, i) => {
      const p = `portLevelMtls[${i}]`;
      if (e === null || typeof e !== 'object') fail(this, `${p} must be an MtlsPortException struct, got ${show(e)}`);
      if (e.selector === undefined || e.selector === null || typeof e.selector !== 'object' || Object.keys(e.selector).length === 0) {
        fail(this, `${p}.selector must name the workloads (pod labels) the exception applies to; a port-level exception without a selector is not allowed, got ${show(e.selector)}`);
      }
      checkLabels(this, `${p}.selector`, e.selector, { nonEmpty: true });
      checkPort(this, `${p}.port`, e.port);
      if (e.mode !== MtlsMode.PERMISSIVE && e.mode !== MtlsMode.DISABLE) {
        fail(this, `${p}.mode must be PERMISSIVE or DISABLE (an exception weakens the namespace mode ${mode}), got ${show(e.mode)}`);
      }
      if (typeof e.reason !== 'string' || e.reason.trim().length === 0) {
        fail(this, `${p}.reason must say why port ${e.port} cannot use ${mode}, got ${show(e.reason)}`);
      }
      const key = canonicalLabels(e.selector);
      const group = groups.get(key) ?? { selector: { ...e.selector }, ports: [], reasons: [] };
      if (group.ports.some(x => x.port === e.port)) fail(this, `${p}.port ${e.port} already has an exception for the same selector ${show(e.selector)}`);
      group.ports.push({ port: e.port, mode: e.mode });
      if (!group.reasons.includes(e.reason)) group.reasons.push(e.reason);
      groups.set(key, group);
    });
    // Names from the selector values; a hash only when two selectors would give the same name.
    const base = (sel: { [key: string]: string }) => nameFromId(Object.keys(sel).sort().map(k => sel[k]).join('-'));
    const counts = new Map<string, number>();
    for (const g of groups.values()) counts.set(base(g.selector), (counts.get(base(g.selector)) ?? 0) + 1);
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => {
      const b = base(g.selector);
      const name = counts.get(b)! > 1 ? childName('mtls-exception', `${b}-${shortHash(key)}`) : childName('mtls-exception', b);
      return { name, ...g, ports: [...g.ports].sort((x, y) => x.port - y.port) };
    });
  }

  private checkAllowOptions(options: AllowOptions): AuthorizationOperation | undefined {
    const prop = 'allowFrom options';
    if (typeof options !== 'object') fail(this, `${prop} must be an AllowOptions struct, got ${show(options)}`);
    if (options.ports !== undefined && (!Array.isArray(options.ports) || options.ports.length === 0)) {
      fail(this, `${prop}.ports must list at least one port (omit it to allow every port), got ${show(options.ports)}`);
    }
    const ports = (options.ports ?? []).map((n, i) => checkPort(this, `${prop}.ports[${i}]`, n));
    if (options.methods !== undefined && (!Array.isArray(options.methods) || options.methods.length === 0)) {
      fail(this, `${prop}.methods must list at least one method (omit it to allow every method), got ${show(options.methods)}`);
    }
    const methods = (options.methods ?? []).map((m, i) => {
      if (typeof m !== 'string' || !HTTP_METHODS.includes(m)) fail(this, `${prop}.methods[${i}] must be one of ${HTTP_METHODS.join(', ')}, got ${show(m)}`);
      return m;
    });
    if (options.paths !== undefined && (!Array.isArray(options.paths) || (options.paths.length === 0 && !options.pathMatches?.length))) {
      fail(this, `${prop}.paths must list at least one path (omit it to allow every path), got ${show(options.paths)}`);
    }
    const paths = (options.paths ?? []).map((p, i) => checkAuthzPath(this, `${prop}.paths[${i}]`, p));
    if (options.pathMatches !== undefined && !Array.isArray(options.pathMatches)) fail(this, `${prop}.pathMatches must be a list of HttpMatch, got ${show(options.pathMatches)}`);
    (options.pathMatches ?? []).forEach((m, i) => {
      if (!(m instanceof HttpMatch)) fail(this, `${prop}.pathMatches[${i}] must be HttpMatch.exact() or HttpMatch.prefix(), got ${show(m)}`);
      m._validatePath(this, `${prop}.pathMatches[${i}]`, { allowRegex: false });
      paths.push(m._toAuthzPath());
    });
    if (options.requireJwt !== undefined && typeof options.requireJwt !== 'boolean') fail(this, `${prop}.requireJwt must be a boolean, got ${show(options.requireJwt)}`);
    if (ports.length === 0 && methods.length === 0 && paths.length === 0) return undefined;
    return {
      ports: ports.length > 0 ? [...new Set(ports)].sort((a, b) => a - b) : undefined,
      methods: methods.length > 0 ? uniqSorted(methods) : undefined,
      paths: paths.length > 0 ? uniqSorted(paths) : undefined,
    };
  }

  /** An ALLOW on the gateway's listener ports, selected by the gateway's pod labels (no identity: clients are external). */
  private allowGateway(g: GatewayWorkloadRecord): void {
    // External clients of the gateway have no peer identity: a namespace-wide DENY of those would cut them off.
    if (this._denyPlaintextExplicit) {
      this._gatewayProblems.push(`denyPlaintext: true cannot be combined with the ingress gateway declared at ${g.constructPath}, which runs in this namespace: its clients are outside the mesh and have no peer identity, and a DENY cannot be overridden; omit denyPlaintext, or run the gateway in its own namespace`);
    } else if (this._denyPlaintext) {
      this.node.tryRemoveChild(this._denyPlaintext.node.id);
      this._denyPlaintext = undefined;
    }
    const key = canonicalLabels(g.selector);
    const ports = [...new Set(g.ports ?? [])].sort((a, b) => a - b);
    if (ports.length === 0 || Object.keys(g.selector ?? {}).length === 0) {
      this._gatewayProblems.push(`the ingress gateway declared at ${g.constructPath} runs in zero-trust namespace ${this.name} but declares no ${ports.length === 0 ? 'ports' : 'pod selector'}; its ALLOW policy cannot be rendered and deny-by-default would reject all external traffic`);
      return;
    }
    const existing = this._gatewayPolicies.get(key);
    if (existing) {
      existing.addRule({ to: [{ ports }] });
      return;
    }
    const base = childName('allow-ingress', nameFromId(g.serviceAccountName));
    const taken = [...this._gatewayPolicies.values()].some(p => p.name === base);
    const name = taken ? childName('allow-ingress', `${nameFromId(g.serviceAccountName)}-${shortHash(key)}`) : base;
    const policy = new AuthorizationPolicy(this, `AllowIngress-${name}`, {
      metadata: { name, namespace: this.name },
      action: AuthorizationAction.ALLOW,
      selector: { ...g.selector },
      rules: [{ to: [{ ports }] }],
      dryRun: this.dryRun || undefined,
    });
    this._gatewayPolicies.set(key, policy);
  }
}

function registry(scope: IConstruct): Map<string, ZeroTrustNamespace> {
  return appSingleton(scope, 'zeroTrustNamespaces', () => new Map<string, ZeroTrustNamespace>());
}

function canonicalLabels(labels: { [key: string]: string }): string {
  return JSON.stringify(Object.keys(labels).sort().map(k => [k, labels[k]]));
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

function checkHttpsUrl(scope: IConstruct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(scope, `${prop} must be an https URL of the issuer's key set (e.g. "https://accounts.example.com/.well-known/jwks.json"), got ${show(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(scope, `${prop} must be an absolute https URL, got ${show(value)}`);
  }
  if (url.protocol !== 'https:') fail(scope, `${prop} must use https (istiod would fetch the signing keys in plain text, and anyone on the path could replace them), got ${show(value)}`);
  return value;
}

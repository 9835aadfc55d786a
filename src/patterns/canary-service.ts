import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ApplyOrder } from './apply-order';
import { MeshServiceBase, MeshServiceBaseProps } from './mesh-service-base';
import { MeshWorkloadOptions, createService, createServiceAccount, createWorkload } from './mesh-workload';
import { Mesh } from '../mesh/mesh';
import { IstioConfigError, fail, show } from '../private/errors';
import { claim } from '../private/ownership';
import { DNS_LABEL_RULE, checkDnsSubdomain, checkDuration, checkInteger, checkLabels, isDnsLabel } from '../private/validate';
import { checkHeaderName, checkPercentage } from '../resources/private/common';
import {
  FaultInjection, HttpRouteMatch, HttpRouteOptions, RouteDestination, TcpRouteOptions, TlsRouteOptions, VirtualService,
} from '../resources/virtual-service';
import { HttpMatch } from '../values/http-match';
import { RetryPolicy } from '../values/retry-policy';

/** The reserved gateway name of every sidecar in the mesh. */
const MESH_GATEWAY = 'mesh';
/** Envoy's fractional-percent resolution: percentages with at most 4 decimal places. */
const PERCENT_DECIMALS = 4;
/** Options that only apply to workloads this app creates. */
const WORKLOAD_ONLY = ['image', 'replicas', 'env', 'resources', 'proxyResources', 'holdApplicationUntilProxyStarts', 'healthCheckPath', 'runAsUser'];

/** The stable version of a CanaryService whose workloads this app creates. */
export interface StableVersionOptions extends MeshWorkloadOptions {
  /**
   * Share of the traffic, an integer from 0 to 100. It is always `100 - canary.weight`; give it only to make
   * both numbers visible in code (a mismatch is an error).
   *
   * @default - 100 minus the canary's weight (100 without a canary)
   */
  readonly weight?: number;
}

/**
 * The canary version of a CanaryService whose workloads this app creates. `version` is required: it names the
 * canary's DestinationRule subset and Deployment and must differ from the stable version.
 */
export interface CanaryVersionOptions extends MeshWorkloadOptions {
  /** Share of the traffic the canary receives, an integer from 0 to 100 (the stable version gets the rest). */
  readonly weight: number;
}

/** The stable version of a CanaryService that wraps existing workloads. */
export interface ExistingStableVersion {
  /** The version; it names the DestinationRule subset (a DNS-1123 label). */
  readonly version: string;

  /**
   * Pod labels that select this version's pods (and no pod of the other version).
   *
   * @default - the service's podLabels plus `version: <version>`
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Share of the traffic, an integer from 0 to 100; always `100 - canary.weight` (a mismatch is an error).
   *
   * @default - 100 minus the canary's weight (100 without a canary)
   */
  readonly weight?: number;
}

/** The canary version of a CanaryService that wraps existing workloads. */
export interface ExistingCanaryVersion {
  /** The version; it names the DestinationRule subset (a DNS-1123 label) and must differ from the stable version. */
  readonly version: string;

  /**
   * Pod labels that select this version's pods (and no pod of the other version).
   *
   * @default - the service's podLabels plus `version: <version>`
   */
  readonly podLabels?: { [key: string]: string };

  /** Share of the traffic the canary receives, an integer from 0 to 100 (the stable version gets the rest). */
  readonly weight: number;
}

/** A request header that sends a request to the canary regardless of the weights (exact match). */
export interface CanaryHeader {
  /** Header name (lower case, e.g. `x-canary`). */
  readonly name: string;
  /** The exact header value that selects the canary (e.g. `always`). */
  readonly value: string;
}

/** A cookie that sends a request to the canary regardless of the weights. */
export interface CanaryCookie {
  /** Cookie name (an RFC 6265 token, e.g. `canary`). */
  readonly name: string;
  /** The exact cookie value that selects the canary (e.g. `always`). */
  readonly value: string;
}

/** How a CanaryService routes: resilience, overrides, mirroring, fault injection and apply order. */
export interface CanaryRoutingProps {
  /**
   * Route timeout (the whole request including retries) of every HTTP route of the service.
   *
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;

  /**
   * Retries of every HTTP route, rendered with `attempts`, `perTryTimeout` and `retryOn`; the DestinationRule's
   * `connectionPool.maxRetries` is the retry budget.
   *
   * @default RetryPolicy.recommended() — 2 retries on conditions that are safe for non-idempotent requests,
   * per-try timeout = timeout / 3
   */
  readonly retries?: RetryPolicy;

  /**
   * Requests carrying this header (exact value) go to the canary, whatever the weights; the route is placed
   * before the weighted route. Needs a canary and an HTTP port.
   *
   * @default - no header override
   */
  readonly canaryHeader?: CanaryHeader;

  /**
   * Requests carrying this cookie go to the canary, whatever the weights (placed before the weighted route).
   * Needs a canary and an HTTP port.
   *
   * @default - no cookie override
   */
  readonly canaryCookie?: CanaryCookie;

  /**
   * Mirrors (shadows) this percentage of the stable traffic to the canary, 0–100 with at most 4 decimal places.
   * The canary must not serve live traffic at the same time (`canary.weight` 0): mirroring to a subset that
   * already serves the request doubles its load.
   *
   * @default - no mirroring
   */
  readonly mirrorPercentage?: number;

  /**
   * Fault injection (delays or aborts) on every HTTP route of the service. For resilience tests only: requires
   * `allowFaultInjection: true`, is recorded in the `cdk8s-istio.io/fault-injection` annotation of the
   * VirtualService and reported as a warning at synth.
   *
   * @default - no fault injection
   */
  readonly fault?: FaultInjection;

  /**
   * Confirms that `fault` is meant to inject delays or errors into the service's real traffic.
   *
   * @default false
   */
  readonly allowFaultInjection?: boolean;

  /**
   * Ordering hints for GitOps tools, so the DestinationRule (subsets) is applied before the VirtualService.
   *
   * @default ApplyOrder.NONE
   */
  readonly applyOrder?: ApplyOrder;

  /**
   * Istio Gateways (`<namespace>/<name>`) besides `mesh` that the service's VirtualService is bound to, e.g. an
   * internal gateway whose servers admit the service's FQDN. For a public host use `IngressGateway.route()`,
   * which copies the traffic split into the gateway's own VirtualService.
   *
   * @default - only `mesh`
   */
  readonly gateways?: string[];
}

/** Props of a CanaryService whose workloads this app creates (Service, ServiceAccount, two Deployments). */
export interface CanaryServiceProps extends MeshServiceBaseProps, CanaryRoutingProps {
  /** The stable version (image, version label, replicas …). */
  readonly stable: StableVersionOptions;

  /**
   * The canary version and its share of the traffic. Without it the service runs only the stable version (the
   * state after a promotion), still routed explicitly to its subset.
   *
   * @default - no canary
   */
  readonly canary?: CanaryVersionOptions;

  /**
   * The ServiceAccount both versions run as (one identity for the service, token automount off).
   *
   * @default - the service name
   */
  readonly serviceAccountName?: string;
}

/** Props of a CanaryService that wraps workloads deployed by other tooling (selected by pod labels). */
export interface ExistingCanaryServiceProps extends MeshServiceBaseProps, CanaryRoutingProps {
  /** The stable version and the pod labels that select it. */
  readonly stable: ExistingStableVersion;

  /**
   * The canary version, the pod labels that select it and its share of the traffic.
   *
   * @default - no canary
   */
  readonly canary?: ExistingCanaryVersion;

  /** The service account the existing workloads run as (their identity in AuthorizationPolicies). */
  readonly serviceAccountName: string;

  /**
   * Pod labels that select every version of the service (policy and Sidecar selector).
   *
   * @default - { app: <service name> }
   */
  readonly podLabels?: { [key: string]: string };
}

/** One version, resolved. */
interface Version {
  readonly version: string;
  readonly labels: { [key: string]: string };
  readonly weight: number;
}

/** What a gateway asks a CanaryService for when it routes a path to it. */
interface GatewayRouteRequest {
  /** Path match of the gateway route (undefined: catch-all). */
  readonly uri?: HttpMatch;
  /** Service port to route to. */
  readonly port: number;
  /** Path rewrite. */
  readonly rewriteUri?: string;
  /** Route timeout override. */
  readonly timeout?: Duration;
}

/** Where and how `httpRoutes()` renders the routes of the service. */
interface HttpRouteShape {
  /** Path match (gateway routes). */
  readonly uri?: HttpMatch;
  /** Port match (mesh routes of a service with several ports). */
  readonly matchPort?: number;
  /** Destination port (services with several ports). */
  readonly port?: number;
  readonly rewriteUri?: string;
  /** Timeout override (gateway routes). */
  readonly timeout?: Duration;
  readonly namePrefix?: string;
  /** Name the routes (mesh VirtualService only: route names must be unique per VirtualService). */
  readonly named: boolean;
}

const WRAPPED = new WeakMap<object, ExistingCanaryServiceProps>();

/**
 * A service with a stable and a canary version, correct by construction and safe to apply from Git.
 *
 * It creates (or, with `fromExisting`, wraps) the workloads: one Service, one ServiceAccount shared by both
 * versions, two Deployments labelled `app` + `version`. It renders:
 * - a DestinationRule in the service's namespace with one subset per version (named after the version, selecting
 *   the labels the pod templates carry) and the MeshService traffic policy (ISTIO_MUTUAL, outlier detection,
 *   connection pool with a retry budget);
 * - a VirtualService for the FQDN bound to `mesh`, with explicit subset routes: header/cookie overrides to the
 *   canary first, then the weighted route (integer weights summing to 100; a single version carries no weight;
 *   a canary at weight 0 stays listed, so raising its weight changes only numbers), an explicit timeout and
 *   retries with `perTryTimeout`;
 * - optional mirroring, fault injection (explicit flag) and Argo CD sync waves (DestinationRule before
 *   VirtualService).
 *
 * Promotion is a code change: raise `canary.weight` 10 → 50 → 100, then make the canary the stable version
 * (`CanaryService.promote(props)`). `allowFrom` works exactly as on `MeshService`.
 */
export class CanaryService extends MeshServiceBase {
  /** Annotation on the VirtualService recording that fault injection is active. */
  public static readonly FAULT_INJECTION_ANNOTATION = 'cdk8s-istio.io/fault-injection';

  /**
   * Wraps workloads that already exist (deployed by other tooling), selected by pod labels: renders only the mesh
   * objects (DestinationRule with subsets, VirtualService, Sidecar, ALLOW policy).
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingCanaryServiceProps): CanaryService {
    const key = { ...props } as unknown as CanaryServiceProps;
    WRAPPED.set(key, props);
    return new CanaryService(scope, id, key);
  }

  /**
   * The props after promotion: the canary becomes the stable version (its weight dropped), there is no canary, and
   * the settings that only make sense with a canary (`canaryHeader`, `canaryCookie`, `mirrorPercentage`) are
   * removed. Deploy the 100 % step first, so that the old stable version already receives no traffic when the
   * promotion removes it.
   */
  public static promote(props: CanaryServiceProps): CanaryServiceProps {
    if (props === null || typeof props !== 'object' || props.canary === undefined || props.canary === null) {
      throw new IstioConfigError('CanaryService.promote', 'props.canary is required: promotion makes the canary the stable version');
    }
    const { weight: _weight, ...canary } = props.canary;
    const { canary: _canary, canaryHeader: _header, canaryCookie: _cookie, mirrorPercentage: _mirror, ...rest } = props;
    return { ...rest, stable: canary };
  }

  /** The Kubernetes Service (created workloads only). */
  public readonly service?: kplus.Service;
  /** The ServiceAccount both versions run as (created workloads only). */
  public readonly serviceAccount?: kplus.ServiceAccount;
  /** The stable Deployment (created workloads only). */
  public readonly stableDeployment?: kplus.Deployment;
  /** The canary Deployment (created workloads with a canary only). */
  public readonly canaryDeployment?: kplus.Deployment;
  /** The VirtualService bound to `mesh` (and `gateways`). */
  public readonly virtualService: VirtualService;
  /** The stable version (also its subset name). */
  public readonly stableVersion: string;
  /**
   * The canary version (also its subset name).
   *
   * @default - no canary
   */
  public readonly canaryVersion?: string;
  /** The stable version's share of the traffic (0–100). */
  public readonly stableWeight: number;
  /** The canary's share of the traffic (0–100; 0 without a canary). */
  public readonly canaryWeight: number;
  /** The apply-order hints. */
  public readonly applyOrder: ApplyOrder;
  /** The route timeout. */
  public readonly timeout: Duration;
  /** The route retries. */
  public readonly retries: RetryPolicy;

  private readonly _stable: Version;
  private readonly _canary?: Version;
  private readonly _timeoutMs: number;
  private readonly _mirror?: number;
  private readonly _overrides: Array<{ [name: string]: HttpMatch }> = [];
  private readonly _fault?: FaultInjection;
  private readonly _warnings: string[] = [];
  private _faultWarning?: string;
  private readonly _wrapped: boolean;

  constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    const wrap = WRAPPED.get(props);
    const name = MeshServiceBase.serviceNameOf(id, props);
    super(scope, id, props, wrap
      ? { serviceAccountName: wrap.serviceAccountName, selector: { ...(wrap.podLabels ?? { [Mesh.APP_LABEL]: name }) } }
      : { serviceAccountName: props.serviceAccountName ?? name, selector: { [Mesh.APP_LABEL]: name } });
    this._wrapped = wrap !== undefined;

    // Versions and weights.
    const stable = this.checkVersionStruct('stable', props.stable);
    const canary = props.canary === undefined ? undefined : this.checkVersionStruct('canary', props.canary);
    const canaryWeight = canary ? checkInteger(this, 'canary.weight', canary.weight, 0, 100) : 0;
    const stableWeight = 100 - canaryWeight;
    if (stable.weight !== undefined) {
      checkInteger(this, 'stable.weight', stable.weight, 0, 100);
      if (stable.weight !== stableWeight) {
        fail(this, canary
          ? `stable.weight and canary.weight must sum to 100, got ${stable.weight} + ${canaryWeight} = ${stable.weight + canaryWeight}; omit stable.weight to give the stable version the rest (${stableWeight})`
          : `stable.weight must be 100 without a canary (a single version receives all traffic), got ${show(stable.weight)}`);
      }
    }
    const stableVersion = this.checkVersionName('stable.version', stable.version ?? (wrap ? undefined : 'v1'));
    const canaryVersion = canary ? this.checkVersionName('canary.version', canary.version) : undefined;
    if (canaryVersion !== undefined && canaryVersion === stableVersion) {
      fail(this, `canary.version must differ from stable.version (both are ${show(stableVersion)}); each version is its own DestinationRule subset`);
    }
    this.stableVersion = stableVersion;
    this.canaryVersion = canaryVersion;
    this.stableWeight = stableWeight;
    this.canaryWeight = canaryWeight;

    // Workloads (created) or their labels (wrapped).
    let stableLabels: { [key: string]: string };
    let canaryLabels: { [key: string]: string } | undefined;
    if (wrap) {
      [stableLabels, canaryLabels] = this.wrappedLabels(wrap, stableVersion, canaryVersion);
    } else {
      const created = this.createWorkloads(props, stableVersion, canaryVersion);
      this.service = created.service;
      this.serviceAccount = created.serviceAccount;
      this.stableDeployment = created.stable;
      this.canaryDeployment = created.canary;
      stableLabels = { [Mesh.APP_LABEL]: this.serviceName, [Mesh.VERSION_LABEL]: stableVersion };
      canaryLabels = created.canary ? { [Mesh.APP_LABEL]: this.serviceName, [Mesh.VERSION_LABEL]: canaryVersion! } : undefined;
      this.node.addValidation({ validate: () => this.checkPodTemplates() });
    }
    if (canaryLabels) this.checkDistinctLabels(stableLabels, canaryLabels);
    this._stable = { version: stableVersion, labels: stableLabels, weight: stableWeight };
    this._canary = canaryLabels ? { version: canaryVersion!, labels: canaryLabels, weight: canaryWeight } : undefined;

    // Resilience.
    this.timeout = props.timeout ?? Duration.seconds(15);
    this._timeoutMs = checkDuration(this, 'timeout', this.timeout)!;
    if (props.retries !== undefined && !(props.retries instanceof RetryPolicy)) {
      fail(this, `retries must be a RetryPolicy (e.g. RetryPolicy.of({ attempts: 2 })), got ${show(props.retries)}`);
    }
    this.retries = props.retries ?? RetryPolicy.recommended();
    this.retries._validate(this, 'retries', this._timeoutMs);
    this.checkRetryRisks();

    // Overrides, mirroring, fault injection.
    this.checkOverrides(props);
    this._mirror = this.checkMirror(props.mirrorPercentage);
    this._fault = this.checkFault(props);
    const gateways = this.checkGateways(props.gateways);

    // Apply order.
    this.applyOrder = props.applyOrder ?? ApplyOrder.NONE;
    if (!(this.applyOrder instanceof ApplyOrder)) fail(this, `applyOrder must be an ApplyOrder (e.g. ApplyOrder.ARGO_CD_SYNC_WAVES), got ${show(this.applyOrder)}`);
    this.applyOrder._validate(this, 'applyOrder');

    // DestinationRule subsets (the base rendered the traffic policy).
    for (const v of this.versions) this.destinationRule.addSubset({ name: v.version, labels: v.labels });
    const drObject = ApiObject.of(this.destinationRule);
    for (const [k, val] of Object.entries(this.applyOrder._destinationRuleAnnotations())) drObject.metadata.addAnnotation(k, val);

    // VirtualService.
    this.virtualService = this.renderVirtualService(gateways);
    this._followExports(this.virtualService);
    for (const g of gateways) this._addExportNamespace(g.split('/')[0]);

    if (this._warnings.length > 0) {
      let printed = false;
      this.node.addValidation({
        validate: () => {
          if (!printed) process.stderr.write(this._warnings.map(w => `cdk8s-istio WARNING [${this.node.path}] ${w}\n`).join(''));
          printed = true;
          return [];
        },
      });
    }
  }

  /** Whether this CanaryService wraps existing workloads. */
  public get isWrapped(): boolean {
    return this._wrapped;
  }

  /**
   * Warnings about valid but risky settings (active fault injection, retries that do not fit in the timeout or that
   * repeat processed requests), also printed at synth.
   */
  public get warnings(): string[] {
    return [...this._warnings];
  }

  /** The subset names of the DestinationRule, stable first. */
  public get subsetNames(): string[] {
    return this.versions.map(v => v.version);
  }

  /**
   * The HTTP routes a gateway VirtualService needs for one path, so that ingress traffic honours the same split,
   * overrides, mirroring and resilience as mesh traffic (IST0140).
   * @internal
   */
  public _gatewayRoutes(request: GatewayRouteRequest): { routes: HttpRouteOptions[]; virtualServiceWave?: number } {
    const multi = this.ports.length > 1;
    return {
      routes: this.httpRoutes({
        uri: request.uri,
        port: multi ? request.port : undefined,
        rewriteUri: request.rewriteUri,
        timeout: request.timeout,
        named: false,
      }),
      virtualServiceWave: this.applyOrder.virtualServiceWave,
    };
  }

  /** Creates the Service, the shared ServiceAccount and one Deployment per version (via the MeshService helpers). */
  private createWorkloads(props: CanaryServiceProps, stableVersion: string, canaryVersion: string | undefined) {
    if ((props as { podLabels?: unknown }).podLabels !== undefined) fail(this, 'podLabels applies only to CanaryService.fromExisting; created workloads are labelled app + version');
    checkDnsSubdomain(this, 'serviceAccountName', this.serviceAccountName);
    claim(this, 'service account', `${this.namespace}/${this.serviceAccountName}`, 'ServiceAccount');
    const shape = { serviceName: this.serviceName, namespace: this.namespace, serviceAccountName: this.serviceAccountName, ports: this.ports };
    const serviceAccount = createServiceAccount(this, shape);
    const stable = createWorkload(this, 'StableDeployment', shape, serviceAccount, { ...props.stable, version: stableVersion }, 'stable.');
    const canary = props.canary ? createWorkload(this, 'CanaryDeployment', shape, serviceAccount, { ...props.canary, version: canaryVersion }, 'canary.') : undefined;
    return { serviceAccount, stable, canary, service: createService(this, shape) };
  }

  /** The subset labels of wrapped versions: given, or the service's pod labels plus `version`. */
  private wrappedLabels(wrap: ExistingCanaryServiceProps, stableVersion: string, canaryVersion: string | undefined):
  [{ [key: string]: string }, { [key: string]: string } | undefined] {
    if (typeof wrap.serviceAccountName !== 'string' || wrap.serviceAccountName.length === 0) {
      fail(this, `serviceAccountName is required to wrap existing workloads (their identity in AuthorizationPolicies), got ${show(wrap.serviceAccountName)}`);
    }
    checkDnsSubdomain(this, 'serviceAccountName', wrap.serviceAccountName);
    const base = this.selector;
    const stable = checkLabels(this, 'stable.podLabels', wrap.stable.podLabels ?? { ...base, [Mesh.VERSION_LABEL]: stableVersion }, { nonEmpty: true });
    const canary = wrap.canary
      ? checkLabels(this, 'canary.podLabels', wrap.canary.podLabels ?? { ...base, [Mesh.VERSION_LABEL]: canaryVersion! }, { nonEmpty: true })
      : undefined;
    return [stable, canary];
  }

  /** The mesh VirtualService: per port, explicit subset routes (HTTP: overrides first, then the weighted route). */
  private renderVirtualService(gateways: string[]): VirtualService {
    const annotations: { [key: string]: string } = { ...this.applyOrder._virtualServiceAnnotations() };
    if (this._exportsToAll) annotations[MeshServiceBase.EXPORT_TO_ALL_REASON_ANNOTATION] = 'see the DestinationRule';
    if (this._faultWarning) annotations[CanaryService.FAULT_INJECTION_ANNOTATION] = this._faultWarning;
    const ports = this.ports;
    const multi = ports.length > 1;
    const httpRoutes: HttpRouteOptions[] = [];
    const tcpRoutes: TcpRouteOptions[] = [];
    const tlsRoutes: TlsRouteOptions[] = [];
    for (const p of ports) {
      // With several ports, every route matches its port and names its destination port (IST0112).
      const port = multi ? p.number : undefined;
      if (p.isHttp) {
        httpRoutes.push(...this.httpRoutes({ matchPort: port, port, namePrefix: multi ? `${p.name}-` : '', named: true }));
      } else if (p.isTls) {
        tlsRoutes.push({ matches: [{ sniHosts: [this.host], port }], destinations: this.split(port, false) });
      } else {
        tcpRoutes.push({ matches: port !== undefined ? [{ port }] : undefined, destinations: this.split(port, false) });
      }
    }
    return new VirtualService(this, 'VirtualService', {
      metadata: { name: this.serviceName, namespace: this.namespace, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      hosts: [this.host],
      gateways: [MESH_GATEWAY, ...gateways],
      exportTo: this._exportsToAll ? ['*'] : ['.'],
      httpRoutes: httpRoutes.length > 0 ? httpRoutes : undefined,
      tcpRoutes: tcpRoutes.length > 0 ? tcpRoutes : undefined,
      tlsRoutes: tlsRoutes.length > 0 ? tlsRoutes : undefined,
    });
  }

  private get versions(): Version[] {
    return this._canary ? [this._stable, this._canary] : [this._stable];
  }

  /** The weighted destinations of a route. */
  private split(port: number | undefined, mirroring: boolean): RouteDestination[] {
    const stable = { host: this.host, subset: this._stable.version, port };
    const canary = this._canary;
    // A shadowed canary (weight 0 + mirror) must not also be a destination of the route it mirrors.
    if (!canary || (mirroring && canary.weight === 0)) return [stable];
    return [{ ...stable, weight: this._stable.weight }, { host: this.host, subset: canary.version, port, weight: canary.weight }];
  }

  /** The HTTP routes of one port (mesh) or one gateway path: header/cookie overrides first, then the weighted route. */
  private httpRoutes(o: HttpRouteShape): HttpRouteOptions[] {
    const base: HttpRouteMatch = { uri: o.uri, port: o.matchPort };
    const hasBase = o.uri !== undefined || o.matchPort !== undefined;
    const common = {
      timeout: o.timeout ?? this.timeout,
      retries: this.retries,
      rewriteUri: o.rewriteUri,
      fault: this._fault,
      allowFaultInjection: this._fault ? true : undefined,
    };
    const routes: HttpRouteOptions[] = [];
    if (this._canary && this._overrides.length > 0) {
      routes.push({
        ...common,
        name: o.named ? `${o.namePrefix ?? ''}canary-override` : undefined,
        matches: this._overrides.map(headers => ({ ...base, headers })),
        destinations: [{ host: this.host, subset: this._canary.version, port: o.port }],
      });
    }
    const mirroring = this._mirror !== undefined;
    routes.push({
      ...common,
      name: o.named ? `${o.namePrefix ?? ''}default` : undefined,
      matches: hasBase ? [base] : undefined,
      destinations: this.split(o.port, mirroring),
      mirror: mirroring ? { host: this.host, subset: this._canary!.version, port: o.port } : undefined,
      mirrorPercentage: this._mirror,
    });
    return routes;
  }

  private checkVersionStruct<T extends object>(prop: string, value: T): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail(this, `${prop} must be a version struct (e.g. { version: 'v1', image: 'example/reviews:1.0.0' }), got ${show(value)}`);
    }
    const given = (k: string) => (value as Record<string, unknown>)[k] !== undefined;
    if (this._wrapped) {
      const extra = WORKLOAD_ONLY.filter(given);
      if (extra.length > 0) fail(this, `${prop}.${extra[0]} applies only to versions this app creates; a wrapped workload keeps its own (use new CanaryService to create it)`);
    } else if (given('podLabels')) {
      fail(this, `${prop}.podLabels applies only to CanaryService.fromExisting; created workloads are labelled app + version`);
    }
    return value;
  }

  private checkVersionName(prop: string, version: unknown): string {
    if (version === undefined) fail(this, `${prop} is required: it names the version's DestinationRule subset (a DNS-1123 label such as 'v2')`);
    if (!isDnsLabel(version)) {
      fail(this, `${prop} must be ${DNS_LABEL_RULE}, because it names the DestinationRule subset; got ${show(version)}${typeof version === 'string' && isDnsLabel(version.toLowerCase().replace(/[._]/g, '-')) ? ` (e.g. ${show(version.toLowerCase().replace(/[._]/g, '-'))})` : ''}`);
    }
    return version;
  }

  /** Subset label sets must differ and neither may contain the other (then one subset selects both versions). */
  private checkDistinctLabels(stable: { [key: string]: string }, canary: { [key: string]: string }): void {
    const contains = (a: { [key: string]: string }, b: { [key: string]: string }) => Object.entries(a).every(([k, v]) => b[k] === v);
    const render = (l: { [key: string]: string }) => show(Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1))));
    if (contains(stable, canary) && contains(canary, stable)) {
      fail(this, `stable and canary select the same pods (both podLabels are ${render(stable)}); give each version a distinct label such as version: <version>`);
    }
    if (contains(stable, canary)) {
      fail(this, `stable.podLabels ${render(stable)} also select every canary pod (canary.podLabels ${render(canary)}), so the stable subset would receive canary traffic; add a label that only stable pods carry`);
    }
    if (contains(canary, stable)) {
      fail(this, `canary.podLabels ${render(canary)} also select every stable pod (stable.podLabels ${render(stable)}), so the canary subset would receive stable traffic; add a label that only canary pods carry`);
    }
  }

  /** Retry settings that are valid but risky are reported as warnings (bad-inputs §3.2 #38, #40). */
  private checkRetryRisks(): void {
    const r = this.retries;
    if (r.attempts === 0) return;
    const perTry = r._perTryMs(this._timeoutMs)!;
    if (perTry * (r.attempts + 1) > this._timeoutMs) {
      this._warnings.push(`retries: ${r.attempts + 1} attempts of perTryTimeout ${perTry}ms do not fit in the route timeout of ${this._timeoutMs}ms, so the later attempts are cut off; lower perTryTimeout or attempts, or raise timeout`);
    }
    if (r.retriesProcessedRequests) {
      this._warnings.push(`retries.retryOn (${r.retryOn.join(',')}) retries requests the application may already have processed, which duplicates non-idempotent requests (POST); keep such conditions for idempotent services`);
    }
  }

  private checkOverrides(props: CanaryRoutingProps): void {
    const header = props.canaryHeader;
    const cookie = props.canaryCookie;
    if (header === undefined && cookie === undefined) return;
    const prop = header !== undefined ? 'canaryHeader' : 'canaryCookie';
    if (!this._canary) fail(this, `${prop} routes requests to the canary, but there is no canary; remove ${prop} or add canary`);
    if (!this.ports.some(p => p.isHttp)) fail(this, `${prop} needs an HTTP port, but the ports are ${this.ports.map(p => `${p.number} (${p.protocol})`).join(', ')}`);
    if (header !== undefined) {
      if (header === null || typeof header !== 'object') fail(this, `canaryHeader must be a { name, value } struct, got ${show(header)}`);
      if (typeof header.name !== 'string' || header.name.length === 0) fail(this, `canaryHeader.name must be a non-empty HTTP header name (e.g. 'x-canary'), got ${show(header.name)}`);
      checkHeaderName(this, 'canaryHeader.name', header.name);
      if (header.name !== header.name.toLowerCase()) fail(this, `canaryHeader.name must be lower case (HTTP/2 header names are), got ${show(header.name)} (use ${show(header.name.toLowerCase())})`);
      if (['cookie', 'te', 'connection', 'content-length', 'transfer-encoding'].includes(header.name)) {
        fail(this, `canaryHeader.name must not be ${show(header.name)}${header.name === 'cookie' ? '; use canaryCookie for cookies' : ' (a hop-by-hop or framing header)'}`);
      }
      if (typeof header.value !== 'string' || header.value.length === 0 || /[\r\n\0]/.test(header.value) || header.value !== header.value.trim()) {
        fail(this, `canaryHeader.value must be a non-empty header value without CR, LF, NUL or surrounding whitespace, got ${show(header.value)}`);
      }
      this._overrides.push({ [header.name]: HttpMatch.exact(header.value) });
    }
    if (cookie !== undefined) {
      if (cookie === null || typeof cookie !== 'object') fail(this, `canaryCookie must be a { name, value } struct, got ${show(cookie)}`);
      if (typeof cookie.name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookie.name)) {
        fail(this, `canaryCookie.name must be a non-empty cookie name (letters, digits and !#$%&'*+-.^_\`|~), got ${show(cookie.name)}`);
      }
      if (typeof cookie.value !== 'string' || !/^[!#$%&'()*+\-./0-9:<=>?@A-Z[\]^_`a-z{|}~]+$/.test(cookie.value)) {
        fail(this, `canaryCookie.value must be a non-empty cookie value (printable ASCII without whitespace, '"', ',', ';' or '\\'), got ${show(cookie.value)}`);
      }
      const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, c => `\\${c}`);
      this._overrides.push({ cookie: HttpMatch.regex(`^(.*; ?)?${esc(cookie.name)}=${esc(cookie.value)}(;.*)?$`) });
    }
  }

  private checkMirror(percentage: number | undefined): number | undefined {
    if (percentage === undefined) return undefined;
    if (!this._canary) fail(this, 'mirrorPercentage mirrors stable traffic to the canary, but there is no canary; remove mirrorPercentage or add canary');
    checkPercentage(this, 'mirrorPercentage', percentage, PERCENT_DECIMALS);
    if (!this.ports.some(p => p.isHttp)) fail(this, `mirrorPercentage needs an HTTP port, but the ports are ${this.ports.map(p => `${p.number} (${p.protocol})`).join(', ')}`);
    if (this._canary.weight > 0) {
      fail(this, `mirrorPercentage mirrors to the canary subset ${show(this._canary.version)}, which already serves canary.weight ${this._canary.weight}% of the traffic; mirroring to a subset that serves the request doubles its load — set canary.weight to 0 to shadow the canary, or remove mirrorPercentage`);
    }
    return percentage;
  }

  private checkFault(props: CanaryRoutingProps): FaultInjection | undefined {
    const f = props.fault;
    if (props.allowFaultInjection !== undefined && typeof props.allowFaultInjection !== 'boolean') {
      fail(this, `allowFaultInjection must be a boolean, got ${show(props.allowFaultInjection)}`);
    }
    if (f === undefined) {
      if (props.allowFaultInjection === true) fail(this, 'allowFaultInjection is set without fault; remove it');
      return undefined;
    }
    if (props.allowFaultInjection !== true) {
      fail(this, 'fault injects delays or errors into the real traffic of the service; set allowFaultInjection: true to confirm (testing only)');
    }
    if (f === null || typeof f !== 'object') fail(this, `fault must be a FaultInjection struct, got ${show(f)}`);
    if (!this.ports.some(p => p.isHttp)) fail(this, `fault needs an HTTP port, but the ports are ${this.ports.map(p => `${p.number} (${p.protocol})`).join(', ')}`);
    if (f.delay === undefined && f.abortHttpStatus === undefined) fail(this, 'fault must set delay or abortHttpStatus');
    if (f.delayPercentage !== undefined && f.delay === undefined) fail(this, 'fault.delayPercentage is set without fault.delay');
    if (f.abortPercentage !== undefined && f.abortHttpStatus === undefined) fail(this, 'fault.abortPercentage is set without fault.abortHttpStatus');
    const delayMs = checkDuration(this, 'fault.delay', f.delay);
    if (f.delayPercentage !== undefined) checkPercentage(this, 'fault.delayPercentage', f.delayPercentage, PERCENT_DECIMALS);
    if (f.abortHttpStatus !== undefined) checkInteger(this, 'fault.abortHttpStatus', f.abortHttpStatus, 200, 599);
    if (f.abortPercentage !== undefined) checkPercentage(this, 'fault.abortPercentage', f.abortPercentage, PERCENT_DECIMALS);
    const parts: string[] = [];
    if (delayMs !== undefined) parts.push(`delay ${delayMs}ms on ${f.delayPercentage ?? 100}% of requests`);
    if (f.abortHttpStatus !== undefined) parts.push(`abort with HTTP ${f.abortHttpStatus} on ${f.abortPercentage ?? 100}% of requests`);
    this._faultWarning = `fault injection is active on every HTTP route of ${this.host} (${parts.join(', ')}); remove fault before production`;
    this._warnings.push(this._faultWarning);
    return { ...f };
  }

  private checkGateways(gateways: string[] | undefined): string[] {
    if (gateways === undefined) return [];
    if (!Array.isArray(gateways)) fail(this, `gateways must be a list of "<namespace>/<gateway name>", got ${show(gateways)}`);
    const seen = new Set<string>();
    gateways.forEach((g, i) => {
      if (g === MESH_GATEWAY) fail(this, `gateways[${i}] must not be "mesh": the VirtualService is always bound to the mesh; list only other Gateways`);
      const parts = typeof g === 'string' ? g.split('/') : [];
      if (parts.length !== 2 || !isDnsLabel(parts[0]) || !isDnsLabel(parts[1])) {
        fail(this, `gateways[${i}] must be "<namespace>/<gateway name>" (two DNS-1123 labels), got ${show(g)}`);
      }
      if (seen.has(g)) fail(this, `gateways lists ${show(g)} twice`);
      seen.add(g);
    });
    return [...gateways];
  }

  /** The subset labels must be carried by the pod templates of the Deployments (validated at synth). */
  private checkPodTemplates(): string[] {
    const errors: string[] = [];
    const pairs: Array<[Version | undefined, kplus.Deployment | undefined]> = [
      [this._stable, this.stableDeployment],
      [this._canary, this.canaryDeployment],
    ];
    for (const [v, d] of pairs) {
      if (!v || !d) continue;
      const missing = Object.entries(v.labels).filter(([k, val]) => d.podMetadata.getLabel(k) !== val);
      if (missing.length > 0) {
        errors.push(`subset ${show(v.version)} selects ${missing.map(([k, val]) => `${k}=${val}`).join(', ')}, which the pod template of Deployment ${d.name} does not carry; the subset would select no pods (503)`);
      }
    }
    return errors;
  }
}

import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MeshServiceBase, MeshServiceBaseProps } from './mesh-service-base';
import { MeshWorkloadOptions, createService, createServiceAccount, createWorkload } from './mesh-workload';
import { AllowOptions, IMeshService } from '../mesh/destination';
import { Mesh } from '../mesh/mesh';
import { ServiceGraph } from '../mesh/service-graph';
import { ITrafficSource } from '../mesh/traffic-source';
import { allowOperation } from '../private/allow';
import { fail, show } from '../private/errors';
import { claim } from '../private/ownership';
import { checkPorts } from '../private/ports';
import { checkSource, UNKNOWN_IDENTITY } from '../private/sources';
import { checkDnsLabel, checkDnsSubdomain, checkDuration, checkLabels } from '../private/validate';
import { VirtualService } from '../resources/virtual-service';
import { MeshPort } from '../values/mesh-port';
import { RetryPolicy } from '../values/retry-policy';

/** Routing options that make a service render a VirtualService. */
export interface MeshServiceRoutingProps {
  /**
   * Route timeout of the service's VirtualService. Setting `timeout` or `retries` renders the VirtualService.
   *
   * @default - no VirtualService unless `retries` is set; then 15 seconds
   */
  readonly timeout?: Duration;

  /**
   * Retries of the service's route; always rendered with `perTryTimeout` and `retryOn`.
   *
   * @default - no VirtualService unless `timeout` is set; then RetryPolicy.recommended()
   */
  readonly retries?: RetryPolicy;
}

/** Props of a MeshService that this app creates (Service, ServiceAccount, Deployment). */
export interface MeshServiceProps extends MeshServiceBaseProps, MeshServiceRoutingProps, MeshWorkloadOptions {
  /**
   * The ServiceAccount the workload runs as (one per service, token automount off).
   *
   * @default - the service name
   */
  readonly serviceAccountName?: string;
}

/** Props of a MeshService wrapping workloads that already exist (not created by this app). */
export interface ExistingMeshServiceProps extends MeshServiceBaseProps, MeshServiceRoutingProps {
  /** Pod labels that select the existing workload (non-empty). */
  readonly podLabels: { [key: string]: string };
  /** The service account the existing workload runs as. */
  readonly serviceAccountName: string;
}

/** Options of `MeshService.fromServiceName`. */
export interface MeshServiceImportOptions {
  /** The namespace of the service. */
  readonly namespace: string;

  /**
   * The service's ports; the first is the default route port.
   *
   * @default - [MeshPort.http(80)]
   */
  readonly ports?: MeshPort[];

  /**
   * The service account its workloads run as; needed to use it as a traffic source.
   *
   * @default - unknown: the service cannot be a source of allowFrom
   */
  readonly serviceAccountName?: string;
}

const WRAP = new WeakMap<object, ExistingMeshServiceProps>();
let pendingWrap: ExistingMeshServiceProps | undefined;

/**
 * One version of a workload in the mesh.
 *
 * Created: a `Service` whose ports declare their protocol (name prefix and `appProtocol`), one `ServiceAccount`
 * (token automount off), a `Deployment` labelled `app` + `version` with sidecar resources and
 * `holdApplicationUntilProxyStarts`. Wrapped (`fromExisting`): only the mesh objects.
 *
 * Always: a `DestinationRule` (`ISTIO_MUTUAL`, outlier detection, connection-pool limits), a `Sidecar` scoped
 * to its declared destinations, and, once something is allowed to call it, an ALLOW `AuthorizationPolicy`;
 * with `timeout`/`retries`, a `VirtualService` with an explicit timeout and retries.
 */
export class MeshService extends MeshServiceBase {
  /**
   * Wraps a workload that already exists (deployed by other tooling): renders only the mesh objects
   * (DestinationRule, Sidecar, ALLOW policy, optional VirtualService).
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingMeshServiceProps): MeshService {
    pendingWrap = props;
    try {
      return new MeshService(scope, id, props as unknown as MeshServiceProps);
    } finally {
      pendingWrap = undefined;
    }
  }

  /**
   * A reference to a service managed outside this app (another team's). `allowFrom` on it adds the host to
   * the callers' Sidecar egress (the owning team renders its policy); it renders nothing itself.
   */
  public static fromServiceName(scope: Construct, id: string, name: string, options: MeshServiceImportOptions): IMeshService {
    return new ImportedMeshService(scope, id, name, options);
  }

  /** The Kubernetes Service (created services only). */
  public readonly service?: kplus.Service;
  /** The ServiceAccount (created services only). */
  public readonly serviceAccount?: kplus.ServiceAccount;
  /** The Deployment (created services only). */
  public readonly deployment?: kplus.Deployment;
  /** The VirtualService, when routing options are set. */
  public readonly virtualService?: VirtualService;
  /** The workload's version label (created services only). */
  public readonly version?: string;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    const wrap = pendingWrap;
    pendingWrap = undefined;
    const version = props.version ?? 'v1';
    const name = MeshServiceBase.serviceNameOf(id, props);
    super(scope, id, props, wrap
      ? { serviceAccountName: wrap.serviceAccountName, selector: { ...wrap.podLabels } }
      : { serviceAccountName: props.serviceAccountName ?? name, selector: { [Mesh.APP_LABEL]: name } });
    if (wrap) {
      WRAP.set(this, wrap);
      if (typeof wrap.serviceAccountName !== 'string' || wrap.serviceAccountName.length === 0) {
        fail(this, `serviceAccountName is required to wrap an existing workload (its identity in AuthorizationPolicies), got ${show(wrap.serviceAccountName)}`);
      }
      checkDnsSubdomain(this, 'serviceAccountName', wrap.serviceAccountName);
      checkLabels(this, 'podLabels', wrap.podLabels, { nonEmpty: true });
      for (const p of ['image', 'replicas', 'env', 'resources', 'proxyResources', 'holdApplicationUntilProxyStarts', 'healthCheckPath', 'runAsUser', 'version']) {
        if ((wrap as any)[p] !== undefined) fail(this, `${p} applies only to services this app creates; a wrapped workload keeps its own`);
      }
    } else {
      this.version = version;
      this._create(props);
    }
    this.virtualService = this._renderRouting(props);
  }

  /** Whether this MeshService wraps an existing workload. */
  public get isWrapped(): boolean {
    return WRAP.has(this);
  }

  private _create(props: MeshServiceProps): void {
    checkDnsSubdomain(this, 'serviceAccountName', this.serviceAccountName);
    claim(this, 'service account', `${this.namespace}/${this.serviceAccountName}`, 'ServiceAccount');
    const shape = { serviceName: this.serviceName, namespace: this.namespace, serviceAccountName: this.serviceAccountName, ports: this.ports };
    const serviceAccount = createServiceAccount(this, shape);
    const deployment = createWorkload(this, 'Deployment', shape, serviceAccount, props);
    const service = createService(this, shape);
    (this as { service?: kplus.Service }).service = service;
    (this as { serviceAccount?: kplus.ServiceAccount }).serviceAccount = serviceAccount;
    (this as { deployment?: kplus.Deployment }).deployment = deployment;
  }

  private _renderRouting(props: MeshServiceRoutingProps): VirtualService | undefined {
    if (props.timeout === undefined && props.retries === undefined) return undefined;
    const timeout = props.timeout ?? Duration.seconds(15);
    const timeoutMs = checkDuration(this, 'timeout', timeout)!;
    if (props.retries !== undefined && !(props.retries instanceof RetryPolicy)) {
      fail(this, `retries must be a RetryPolicy (e.g. RetryPolicy.of({ attempts: 2 })), got ${show(props.retries)}`);
    }
    const retries = props.retries ?? RetryPolicy.recommended();
    retries._validate(this, 'retries', timeoutMs);
    const port = this.ports[0];
    if (!port.isHttp) fail(this, `timeout and retries apply to HTTP routes, but the default port ${port.number} is ${port.protocol}`);
    const vs = new VirtualService(this, 'VirtualService', {
      metadata: { name: this.serviceName, namespace: this.namespace, annotations: this._exportsToAll ? { [MeshServiceBase.EXPORT_TO_ALL_REASON_ANNOTATION]: 'see the DestinationRule' } : undefined },
      hosts: [this.host],
      exportTo: this._exportsToAll ? ['*'] : ['.'],
      // One port: one route. Several: one route per HTTP port, matched on that port and sent to it — a single
      // route with a destination port would send every port's traffic to that one port.
      httpRoutes: this.ports.length === 1
        ? [{ destinations: [{ host: this.host }], timeout, retries }]
        : this.ports.filter(p => p.isHttp).map(p => ({
          name: p.name,
          matches: [{ port: p.number }],
          destinations: [{ host: this.host, port: p.number }],
          timeout,
          retries,
        })),
    });
    this._followExports(vs);
    return vs;
  }
}

/** A service managed outside the app, known by name. */
class ImportedMeshService extends Construct implements IMeshService {
  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly host: string;
  public readonly sourceNamespace: string;
  public readonly sourceServiceAccount?: string;
  public readonly sourceDescription: string;
  private readonly _ports: MeshPort[];

  constructor(scope: Construct, id: string, name: string, options: MeshServiceImportOptions) {
    super(scope, id);
    this.serviceName = checkDnsLabel(this, 'name', name);
    this.namespace = checkDnsLabel(this, 'namespace', options.namespace);
    this._ports = checkPorts(this, 'ports', options.ports ?? [MeshPort.http(80)]);
    this.host = Mesh.of(this).serviceHost(this.serviceName, this.namespace);
    this.sourceNamespace = this.namespace;
    this.sourceServiceAccount = options.serviceAccountName;
    this.sourceDescription = `imported service ${this.namespace}/${this.serviceName}`;
    if (options.serviceAccountName !== undefined) checkDnsSubdomain(this, 'serviceAccountName', options.serviceAccountName);
    Object.defineProperty(this, UNKNOWN_IDENTITY, { value: options.serviceAccountName === undefined });
  }

  public get ports(): MeshPort[] {
    return [...this._ports];
  }

  public allowFrom(source: ITrafficSource, options: AllowOptions = {}): void {
    const who = checkSource(this, 'allowFrom source', source);
    allowOperation(this, 'allowFrom options', options ?? {}, this._ports);
    ServiceGraph.of(this).addServiceEdge(this, this.namespace, this.host, source, who);
  }
}

import { Construct } from 'constructs';
import { AllowOptions, IMeshService } from '../mesh/destination';
import { Mesh } from '../mesh/mesh';
import { EdgeDestinationKind } from '../mesh/mesh-edge';
import { ServiceGraph } from '../mesh/service-graph';
import { ITrafficSource } from '../mesh/traffic-source';
import { allowOperation } from '../private/allow';
import { fail, show } from '../private/errors';
import { childName, nameFromId } from '../private/names';
import { claim } from '../private/ownership';
import { checkPorts } from '../private/ports';
import { appSingletonIfExists } from '../private/registry';
import { checkSource } from '../private/sources';
import { checkDnsLabel, checkLabels } from '../private/validate';
import { AuthorizationPolicy } from '../resources/authorization-policy';
import { DestinationRule } from '../resources/destination-rule';
import { Sidecar } from '../resources/sidecar';
import { VirtualService } from '../resources/virtual-service';
import { LoadBalancer } from '../values/load-balancer';
import { MeshPort } from '../values/mesh-port';
import { ConnectionPoolOptions, OutlierDetectionOptions } from '../values/traffic-policy';

/** Props shared by every service construct (`MeshService`, `CanaryService`). */
export interface MeshServiceBaseProps {
  /** The namespace of the service (a DNS-1123 label). */
  readonly namespace: string;

  /**
   * The Kubernetes Service name (a DNS-1123 label).
   *
   * @default - derived from the construct id (`ProductPage` → `productpage`)
   */
  readonly name?: string;

  /**
   * The service's port. Give `port` or `ports`.
   *
   * @default - `ports` is used
   */
  readonly port?: MeshPort;

  /**
   * The service's ports; the first is the default route port. Give `port` or `ports`.
   *
   * @default - `port` is used
   */
  readonly ports?: MeshPort[];

  /**
   * Outlier detection of the service's DestinationRule.
   *
   * @default - consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 50
   */
  readonly outlierDetection?: OutlierDetectionOptions;

  /**
   * Connection-pool limits of the service's DestinationRule.
   *
   * @default - maxConnections 1024, connectTimeout 10s, http1MaxPendingRequests 1024, http2MaxRequests 1024, maxRetries 3
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Load-balancing policy.
   *
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Render a Sidecar for the service's workloads whose egress lists exactly the destinations they were
   * allowed to call (plus the root namespace), with `outboundTrafficPolicy: REGISTRY_ONLY`.
   *
   * @default true
   */
  readonly restrictEgress?: boolean;

  /**
   * Export the service's routing configuration (DestinationRule, VirtualService) to every namespace
   * (`exportTo: ['*']`) instead of only to the namespaces of its declared callers. Give the reason; it is
   * recorded in the `cdk8s-istio.io/export-to-all-reason` annotation.
   *
   * @default - exported to its own namespace and the namespaces of the sources allowed to call it
   */
  readonly exportToAllReason?: string;
}

/** Identity of the workloads behind a service, resolved by the concrete construct. */
export interface ServiceWorkloadIdentity {
  /** Service account the workloads run as. */
  readonly serviceAccountName: string;
  /** Pod labels that select every workload of the service (policy and Sidecar selector). */
  readonly selector: { [key: string]: string };
}

/**
 * The behaviour every service construct shares: its identity (namespace, name, FQDN host, service account),
 * its DestinationRule, its Sidecar, its ALLOW policy, and its place in the service graph.
 */
export abstract class MeshServiceBase extends Construct implements IMeshService {
  /** Annotation recording why a service is exported to every namespace. */
  public static readonly EXPORT_TO_ALL_REASON_ANNOTATION = 'cdk8s-istio.io/export-to-all-reason';

  /** The Kubernetes Service name of a service construct: `props.name`, or derived from the construct id. */
  public static serviceNameOf(id: string, props: MeshServiceBaseProps): string {
    return props.name ?? nameFromId(id);
  }

  public readonly serviceName: string;
  public readonly namespace: string;
  public readonly host: string;
  /** The service account the service's workloads run as. */
  public readonly serviceAccountName: string;
  /** The pod labels that select the service's workloads. */
  public readonly selector: { [key: string]: string };
  /** The DestinationRule for the service's host (`ISTIO_MUTUAL`, outlier detection, connection pool). */
  public readonly destinationRule: DestinationRule;
  /** The service's Sidecar (egress scoped to its declared destinations), unless `restrictEgress` is false. */
  public readonly sidecar?: Sidecar;
  public readonly sourceNamespace: string;
  public readonly sourceServiceAccount?: string;
  public readonly sourceDescription: string;

  /** @internal */
  protected readonly _mesh: Mesh;
  private readonly _ports: MeshPort[];
  private readonly _exported: Array<{ addExportTo(ns: string): void }> = [];
  private readonly _exportNamespaces = new Set<string>();
  private readonly _exportToAll: boolean;
  private _policy?: AuthorizationPolicy;

  /**
   * @param identity the service account and pod selector of the service's workloads (compute the default
   * service name with `MeshServiceBase.serviceNameOf(id, props)`)
   */
  protected constructor(scope: Construct, id: string, props: MeshServiceBaseProps, identity: ServiceWorkloadIdentity) {
    super(scope, id);
    this._mesh = Mesh.of(this);
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace);
    this.serviceName = checkDnsLabel(this, 'name', MeshServiceBase.serviceNameOf(id, props));
    if (props.port !== undefined && props.ports !== undefined) fail(this, 'give either port or ports, not both');
    if (props.port === undefined && props.ports === undefined) fail(this, 'port (one MeshPort) or ports (several) is required, e.g. port: MeshPort.http(8080)');
    this._ports = checkPorts(this, props.port !== undefined ? 'port' : 'ports', props.ports ?? [props.port!]);
    const who = identity;
    this.serviceAccountName = who.serviceAccountName;
    this.selector = checkLabels(this, 'podLabels', who.selector, { nonEmpty: true });
    this.host = this._mesh.serviceHost(this.serviceName, this.namespace);
    claim(this, 'mesh host', this.host, 'host');

    this.sourceNamespace = this.namespace;
    this.sourceServiceAccount = this.serviceAccountName;
    this.sourceDescription = `${this.constructor.name} ${this.namespace}/${this.serviceName}`;

    if (props.exportToAllReason !== undefined && props.exportToAllReason.trim() === '') {
      fail(this, 'exportToAllReason must say why the service is exported to every namespace, got ""');
    }
    this._exportToAll = props.exportToAllReason !== undefined;
    const exportAnnotations = this._exportToAll ? { [MeshServiceBase.EXPORT_TO_ALL_REASON_ANNOTATION]: props.exportToAllReason! } : undefined;

    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata: { name: this.serviceName, namespace: this.namespace, annotations: exportAnnotations },
      host: this.host,
      exportTo: this._exportToAll ? ['*'] : ['.'],
      outlierDetection: props.outlierDetection,
      connectionPool: props.connectionPool,
      loadBalancer: props.loadBalancer,
    });
    this._exported.push(this.destinationRule);

    if (props.restrictEgress ?? true) {
      const sidecar = new Sidecar(this, 'Sidecar', {
        metadata: { name: this.serviceName, namespace: this.namespace },
        selector: this.selector,
        egressHosts: [`${this._mesh.rootNamespace}/*`],
      });
      this.sidecar = sidecar;
      // Edges from this identity, and from the whole namespace (a ZeroTrustNamespace or TrafficSource.namespace()
      // as the caller): a workload with its own Sidecar ignores the namespace default Sidecar, so it needs both.
      ServiceGraph.of(this).subscribe(
        e => e.sourceNamespace === this.namespace && (e.sourceServiceAccount === this.serviceAccountName || e.sourceServiceAccount === undefined),
        e => e.egressHosts.forEach(h => sidecar.addEgressHost(h)),
      );
    }
    // A namespace-wide grant (ZeroTrustNamespace.allowFrom) lets the caller reach this service too, so the caller's
    // namespace must see its routing configuration.
    ServiceGraph.of(this).subscribe(
      e => e.destinationKind === EdgeDestinationKind.NAMESPACE && e.destinationNamespace === this.namespace,
      e => this._addExportNamespace(e.sourceNamespace),
    );
  }

  /** The service ports; the first is the default route port. */
  public get ports(): MeshPort[] {
    return [...this._ports];
  }

  /** The ALLOW policy rendered from the `allowFrom` edges (created by the first `allowFrom`). */
  public get authorizationPolicy(): AuthorizationPolicy | undefined {
    return this._policy;
  }

  /** Namespaces the service's routing configuration is exported to, besides its own. */
  public get exportedNamespaces(): string[] {
    return [...this._exportNamespaces].sort();
  }

  /**
   * Allows `source` to call this service: adds an ALLOW rule for the source's identity, the service's host
   * to the source's Sidecar egress, and the source's namespace to this service's exportTo.
   */
  public allowFrom(source: ITrafficSource, options: AllowOptions = {}): void {
    const who = checkSource(this, 'allowFrom source', source);
    if (source === (this as ITrafficSource) || (who.namespace === this.namespace && who.serviceAccount === this.serviceAccountName)) {
      fail(this, `allowFrom source is the service itself (${this.namespace}/${this.serviceAccountName}); a workload does not need a grant to be itself — remove the call`);
    }
    const operation = allowOperation(this, 'allowFrom options', options ?? {}, this._ports);
    const from = who.serviceAccount !== undefined
      ? { principals: [this._mesh.principal(who.namespace, who.serviceAccount)] }
      : { namespaces: [who.namespace] };
    if (!this._policy) {
      this._policy = new AuthorizationPolicy(this, 'AllowPolicy', {
        metadata: { name: childName(this.serviceName, 'allow'), namespace: this.namespace },
        selector: this.selector,
        // in a ZeroTrustNamespace rolled out in audit mode, the service's grants are audited too
        dryRun: appSingletonIfExists<Map<string, { dryRun?: boolean }>>(this, 'zeroTrustNamespaces')?.get(this.namespace)?.dryRun || undefined,
      });
    }
    this._policy.addRule({
      from: [{ ...from, requestPrincipals: options?.requireJwt ? ['*'] : undefined }],
      to: operation ? [{ ports: operation.ports, methods: operation.methods, paths: operation.paths }] : undefined,
    });
    this._addExportNamespace(who.namespace);
    ServiceGraph.of(this).addServiceEdge(this, this.namespace, this.host, source, who);
  }

  /**
   * Makes the service's routing configuration visible in `namespace` (a caller's or a gateway's namespace).
   * @internal
   */
  public _addExportNamespace(namespace: string): void {
    if (this._exportToAll || namespace === this.namespace || this._exportNamespaces.has(namespace)) return;
    this._exportNamespaces.add(namespace);
    for (const o of this._exported) o.addExportTo(namespace);
  }

  /**
   * Registers a VirtualService (or other object) whose exportTo follows the service's.
   * @internal
   */
  protected _followExports(obj: VirtualService | { addExportTo(ns: string): void }): void {
    this._exported.push(obj);
    for (const ns of this._exportNamespaces) obj.addExportTo(ns);
  }

  /**
   * Whether the service exports to every namespace.
   * @internal
   */
  protected get _exportsToAll(): boolean {
    return this._exportToAll;
  }

  /** @internal */
  protected _badProp(prop: string, value: unknown, allowed: string): never {
    return fail(this, `${prop} must be ${allowed}, got ${show(value)}`);
  }
}

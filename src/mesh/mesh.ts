import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DataplaneMode } from './dataplane-mode';
import { MeshEdge } from './mesh-edge';
import { ServiceGraph } from './service-graph';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { fail, show } from '../private/errors';
import { checkDnsLabel, checkDnsSubdomain, isDnsLabel, isDnsSubdomain } from '../private/validate';
import { PeerAuthentication } from '../resources/peer-authentication';
import { MtlsMode } from '../values/istio-enums';

const MESH_KEY = Symbol.for('cdk8s-istio.Mesh');

/** Mesh-wide settings. */
export interface MeshProps {
  /**
   * The mesh root namespace (`meshConfig.rootNamespace`): mesh-wide policies live here.
   *
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;

  /**
   * The trust domain of workload identities (`<trustDomain>/ns/<namespace>/sa/<serviceAccount>`).
   *
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;

  /**
   * The Kubernetes cluster DNS domain used in service FQDNs (`<svc>.<ns>.svc.<clusterDomain>`).
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * How workloads join the mesh. Only SIDECAR is supported in this release.
   *
   * @default DataplaneMode.SIDECAR
   */
  readonly dataplaneMode?: DataplaneMode;

  /**
   * Mesh-wide mTLS mode: a `PeerAuthentication` named `default` in the root namespace.
   * PERMISSIVE is accepted only as a migration step and is reported by the analyzer as a warning.
   *
   * @default MtlsMode.STRICT
   */
  readonly mtlsMode?: MtlsMode;

  /**
   * Run the MeshAnalyzer over the whole app during `app.synth()`; error findings stop synthesis before
   * any file is written.
   *
   * @default true
   */
  readonly analyze?: boolean;
}

/**
 * The mesh: one per App. Holds the mesh-wide settings every other construct reads (root namespace,
 * trust domain, cluster domain, data-plane mode), the service graph of `allowFrom` edges, and renders
 * the mesh-wide `PeerAuthentication`.
 *
 * Declare it first; `Mesh.of(scope)` finds it, or creates one with defaults in the chart of `scope`.
 */
export class Mesh extends Construct {
  /** Label key of the workload's application name (used by selectors and subsets). */
  public static readonly APP_LABEL = 'app';
  /** Label key of the workload's version (used by subsets). */
  public static readonly VERSION_LABEL = 'version';
  /** Namespace label binding a namespace to a control-plane revision tag (sidecar injection). */
  public static readonly REVISION_LABEL = 'istio.io/rev';
  /** Namespace label enrolling a namespace in ambient mode. */
  public static readonly DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
  /** The legacy injection label; never written by this library (it overrides `istio.io/rev`). */
  public static readonly LEGACY_INJECTION_LABEL = 'istio-injection';
  /** Namespace label the control plane's `discoverySelectors` match (istiod ignores other namespaces). */
  public static readonly DISCOVERY_LABEL = 'istio-discovery';
  /** Value of the discovery label. */
  public static readonly DISCOVERY_LABEL_VALUE = 'enabled';

  /**
   * The app's Mesh, created with defaults (in the chart of `scope`) if the app declares none.
   */
  public static of(scope: IConstruct): Mesh {
    const existing = (scope.node.root as unknown as Record<symbol, Mesh | undefined>)[MESH_KEY];
    if (existing) return existing;
    let chart: Chart;
    try {
      chart = Chart.of(scope);
    } catch {
      return fail(scope, 'cannot create the default Mesh: the construct is not inside a Chart');
    }
    const mesh = new Mesh(chart, 'IstioMesh', {});
    mesh._implicit = true;
    return mesh;
  }

  /** The mesh root namespace. */
  public readonly rootNamespace: string;
  /** The trust domain. */
  public readonly trustDomain: string;
  /** The cluster DNS domain. */
  public readonly clusterDomain: string;
  /** The data-plane mode. */
  public readonly dataplaneMode: DataplaneMode;
  /** The mesh-wide mTLS mode. */
  public readonly mtlsMode: MtlsMode;
  /** The mesh-wide PeerAuthentication (`<rootNamespace>/default`). */
  public readonly peerAuthentication: PeerAuthentication;

  private _implicit = false;

  constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, id);
    const root = this.node.root as unknown as Record<symbol, unknown>;
    const existing = root[MESH_KEY] as Mesh | undefined;
    if (existing) {
      fail(this, existing._implicit
        ? `a Mesh must be declared before any other cdk8s-istio construct: one was already created with defaults at ${existing.node.path} because a construct needed it first`
        : `only one Mesh per App is allowed; one is already declared at ${existing.node.path}`);
    }
    this.rootNamespace = checkDnsLabel(this, 'rootNamespace', props.rootNamespace ?? 'istio-system');
    const td = props.trustDomain ?? 'cluster.local';
    if (!isDnsSubdomain(td)) fail(this, `trustDomain must be a DNS-1123 subdomain such as 'cluster.local', got ${show(td)}`);
    this.trustDomain = td;
    this.clusterDomain = checkDnsSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    this.dataplaneMode = props.dataplaneMode ?? DataplaneMode.SIDECAR;
    if (this.dataplaneMode === DataplaneMode.AMBIENT) {
      fail(this, 'dataplaneMode AMBIENT is not yet supported by this release of cdk8s-istio; use DataplaneMode.SIDECAR');
    }
    if (!Object.values(DataplaneMode).includes(this.dataplaneMode)) {
      fail(this, `dataplaneMode must be one of ${Object.values(DataplaneMode).join(', ')}, got ${show(this.dataplaneMode)}`);
    }
    this.mtlsMode = props.mtlsMode ?? MtlsMode.STRICT;
    if (this.mtlsMode !== MtlsMode.STRICT && this.mtlsMode !== MtlsMode.PERMISSIVE) {
      fail(this, `mtlsMode must be STRICT, or PERMISSIVE as a migration step, got ${show(this.mtlsMode)}`);
    }
    Object.defineProperty(root, MESH_KEY, { value: this, enumerable: false });

    this.peerAuthentication = new PeerAuthentication(this, 'MeshWidePeerAuthentication', {
      metadata: { name: 'default', namespace: this.rootNamespace },
      mtlsMode: this.mtlsMode,
    });

    if (props.analyze ?? true) {
      MeshAnalyzer.of(this).configure({
        rootNamespace: this.rootNamespace,
        trustDomain: this.trustDomain,
        clusterDomain: this.clusterDomain,
      });
    }
  }

  /** The SPIFFE principal of a service account, as AuthorizationPolicies spell it (no `spiffe://`). */
  public principal(namespace: string, serviceAccount: string): string {
    return `${this.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }

  /** The FQDN of a Kubernetes service: `<name>.<namespace>.svc.<clusterDomain>`. */
  public serviceHost(name: string, namespace: string): string {
    return `${name}.${namespace}.svc.${this.clusterDomain}`;
  }

  /** Every `allowFrom` edge declared in the app so far, in declaration order. */
  public get edges(): MeshEdge[] {
    return ServiceGraph.of(this).edges;
  }

  /** Whether `namespace` is the mesh root namespace. */
  public isRootNamespace(namespace: string): boolean {
    return isDnsLabel(namespace) && namespace === this.rootNamespace;
  }
}

import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { ConfigMap, Namespace } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { cniValues, helmCniValues, helmIstiodValues, istiodValues, IstiodSettings } from './control-plane/istiod-values';
import { scanNamespaces } from './control-plane/namespace-scan';
import { checkCpu, checkMemory } from './control-plane/quantities';
import {
  checkRelease, checkRevisionName, compareReleases, minorDistance, ReleaseNumber, sailCniVersion, sailIstioVersion, sailReleaseRange,
} from './control-plane/versions';
import { ProxyResources } from './mesh-workload';
import * as sail from '../../imports/sailoperator.io';
import { DataplaneMode } from '../mesh/dataplane-mode';
import { Mesh } from '../mesh/mesh';
import { fail, show } from '../private/errors';
import { claim } from '../private/ownership';
import { appSingleton, appSingletonIfExists } from '../private/registry';
import { checkDnsLabel, checkInteger } from '../private/validate';
import { OutboundTrafficPolicy } from '../values/istio-enums';

/** One istiod control plane revision: a name for the objects and the Istio release it runs. */
export interface ControlPlaneRevision {
  /**
   * The revision name: a DNS-1123 label without dots, e.g. `1-30-3` for Istio 1.30.3. It names the Sail `Istio`
   * object (and the Helm `revision`). Namespaces never use it directly: they bind to a tag that points at it.
   */
  readonly name: string;

  /**
   * The Istio release, `major.minor.patch` (e.g. `1.30.3`). With Sail resources it must be a release the pinned
   * Sail operator CRD lists.
   */
  readonly version: string;
}

/** Which image flavour the control plane and proxies run (`global.variant`). */
export enum ImageVariant {
  /** Distroless images: no shell or package manager, fewer CVEs (Istio security best practice). */
  DISTROLESS = 'distroless',
  /** The debug images (with a shell and tools) — for troubleshooting. */
  DEBUG = 'debug',
}

/** How Envoy normalizes request paths before authorization and routing (`meshConfig.pathNormalization`). */
export enum PathNormalization {
  /** No normalization at all: path-based policies can be bypassed. */
  NONE = 'NONE',
  /** RFC 3986 normalization (Istio's default). */
  BASE = 'BASE',
  /** BASE plus merging of repeated slashes (`//a` = `/a`). */
  MERGE_SLASHES = 'MERGE_SLASHES',
  /** MERGE_SLASHES plus decoding of `%2F`, `%5C` (recommended when you allow by default). */
  DECODE_AND_MERGE_SLASHES = 'DECODE_AND_MERGE_SLASHES',
}

/** Props of a `RevisionedControlPlane`. */
export interface RevisionedControlPlaneProps {
  /**
   * The control plane revisions to run side by side. More with `addRevision()`.
   *
   * @default - none here; at least one must be added with `addRevision()` before synth
   */
  readonly revisions?: ControlPlaneRevision[];

  /**
   * Stable revision tags: tag name → revision name, e.g. `{ 'prod-stable': '1-29-2', 'prod-canary': '1-30-3' }`.
   * Namespaces bind to tags (`istio.io/rev=<tag>`), so an upgrade moves a tag instead of relabelling namespaces.
   * A tag named `default` is allowed. More with `setTag()`.
   *
   * @default - no tags
   */
  readonly tags?: { [tag: string]: string };

  /**
   * What proxies do with traffic to hosts outside the service registry (`meshConfig.outboundTrafficPolicy.mode`).
   *
   * @default OutboundTrafficPolicy.REGISTRY_ONLY (Istio's default is ALLOW_ANY)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;

  /**
   * Start application containers only once the sidecar is ready
   * (`meshConfig.defaultConfig.holdApplicationUntilProxyStarts`).
   *
   * @default true
   */
  readonly holdApplicationUntilProxyStarts?: boolean;

  /**
   * Merge application metrics into the sidecar's Prometheus endpoint (`meshConfig.enablePrometheusMerge`).
   * Leave off when you scrape with ServiceMonitors, over TLS, or have colliding metric names.
   *
   * @default false (Istio's default is true)
   */
  readonly prometheusMerge?: boolean;

  /**
   * Where proxies write access logs (`meshConfig.accessLogFile`); an empty string turns access logging off.
   *
   * @default '/dev/stdout'
   */
  readonly accessLogFile?: string;

  /**
   * Mesh-wide sidecar CPU and memory requests and limits (`global.proxy.resources`), for every injected pod
   * without its own `sidecar.istio.io/proxy*` annotations. Each field defaults on its own, to the same sizes that
   * MeshService workloads get (the istiod chart's own defaults are limits 2000m / 1024Mi).
   *
   * @default - requests 100m / 128Mi, limits 1000m / 512Mi
   */
  readonly proxyResources?: ProxyResources;

  /**
   * istiod replicas per revision (`pilot.replicaCount` and `pilot.autoscaleMin`). One replica is a cluster-wide
   * single point of failure for pod creation (the injection webhook fails closed).
   *
   * @default 2
   */
  readonly istiodReplicas?: number;

  /**
   * Upper bound of the istiod autoscaler (`pilot.autoscaleMax`); equal to `istiodReplicas` turns autoscaling off.
   *
   * @default 5
   */
  readonly istiodMaxReplicas?: number;

  /**
   * Render PodDisruptionBudgets for istiod (`global.defaultPodDisruptionBudget.enabled`).
   *
   * @default true
   */
  readonly podDisruptionBudget?: boolean;

  /**
   * Image flavour of istiod and the proxies (`global.variant`).
   *
   * @default ImageVariant.DISTROLESS
   */
  readonly imageVariant?: ImageVariant;

  /**
   * Request path normalization (`meshConfig.pathNormalization.normalization`).
   *
   * @default PathNormalization.MERGE_SLASHES (Istio's default is BASE)
   */
  readonly pathNormalization?: PathNormalization;

  /**
   * Make istiod watch only namespaces labelled `istio-discovery=enabled` (plus the root namespace) through
   * `meshConfig.discoverySelectors`. `bind()` and ZeroTrustNamespace put that label on member namespaces.
   *
   * @default true
   */
  readonly discoverySelectors?: boolean;

  /**
   * Install the Istio CNI node agent (a Sail `IstioCNI`, or the `cni` chart with Helm) and tell istiod to rely on
   * it (`pilot.cni.enabled`), so injected pods need no NET_ADMIN/NET_RAW init container.
   *
   * @default true
   */
  readonly cni?: boolean;

  /**
   * Istio release of the CNI node agent. A CNI agent at 1.x works with control planes 1.x-1 to 1.x+1.
   *
   * @default - the oldest declared revision's version that is within one minor release of every revision: the node
   * agent stays put while a canary revision is on trial and follows once the old revision is removed
   */
  readonly cniVersion?: string;

  /**
   * Namespace of the CNI node agent.
   *
   * @default 'istio-cni'
   */
  readonly cniNamespace?: string;

  /**
   * Render the Sail operator resources (`Istio` per revision, `IstioRevisionTag` per tag, `IstioCNI`).
   *
   * @default true
   */
  readonly sailResources?: boolean;

  /**
   * Also render the same configuration as Helm values: one ConfigMap `istiod-<revision>-values` per revision (key
   * `values.yaml`, for the `istiod` chart, with `revision` and `revisionTags`) and `istio-cni-values` for the
   * `cni` chart, in the root namespace. See also `renderHelmValues()`.
   *
   * @default false
   */
  readonly helmValues?: boolean;

  /**
   * Render the Namespace objects of the root namespace (and of the CNI namespace when `cni` is on).
   * Turn off when another tool creates them.
   *
   * @default true
   */
  readonly createNamespaces?: boolean;
}

interface RevisionRecord {
  readonly revision: ControlPlaneRevision;
  readonly release: ReleaseNumber;
}

interface NamespaceRecord {
  tag: string;
  /** Construct path of whoever binds it (this control plane for `bind()`). */
  readonly owner: string;
  /** The Namespace object, when `bind()` renders it. */
  readonly rendered?: Namespace;
}

const KEY = 'RevisionedControlPlane';

/**
 * Istio's control plane as revisions with stable revision tags, for canary upgrades of Istio itself, rendered as
 * Sail operator (`sailoperator.io/v1`) resources with best-practice mesh configuration — or as Helm values.
 *
 * **Sail model.** Each declared revision is one Sail `Istio` object named after the revision, with
 * `updateStrategy.type: RevisionBased`, its version and `namespace` = the mesh root namespace. One `Istio` per
 * revision (rather than one `Istio` whose version changes, or hand-written `IstioRevision`s) because:
 * a single `Istio` holds one desired version and the operator deletes the previous revision as soon as nothing
 * uses it, so two revisions cannot be *pinned* side by side in Git; and `IstioRevision` is the operator's own
 * low-level object (Sail documents it as created by the operator, not by users), without an update strategy.
 * With one `Istio` per revision both control planes exist for as long as the code declares them, and each keeps
 * RevisionBased semantics for its own patch bumps. Each tag is an `IstioRevisionTag` whose `targetRef` is the
 * revision's `Istio` (the operator resolves it to that `Istio`'s active `IstioRevision`, named
 * `<revision>-v<version with dashes>`); namespaces are labelled `istio.io/rev=<tag>` and never with a revision.
 *
 * **Upgrade flow** (each step is one commit; restart workloads between steps 3 and 5):
 * `addRevision({ name: '1-30-3', version: '1.30.3' })` → `setTag('prod-canary', '1-30-3')` →
 * `bind('shop', 'prod-canary')` (move namespaces) → `setTag('prod-stable', '1-30-3')` → `removeRevision('1-29-2')`,
 * which refuses while a tag still points at the revision.
 *
 * **Checks.** Bad input fails in the constructor or method that received it (an `IstioConfigError` whose message names the construct path, prop, value and what is allowed). Facts that depend on later calls are
 * checked in a validation before anything is written: namespaces bound to undeclared tags, `istio-injection`
 * labels on any Namespace of the app, member namespaces that istiod would not discover. Revisions more than two
 * minor releases apart (canary upgrades support at most N → N+2) and CNI version skew are warnings, printed once
 * with `console.warn` and listed in `warnings`.
 *
 * One per app; `RevisionedControlPlane.tryOf(scope)` finds it. Sidecar data plane only.
 */
export class RevisionedControlPlane extends Construct {
  /** Name of the ConfigMap data key that holds the Helm values. */
  public static readonly HELM_VALUES_KEY = 'values.yaml';

  /** The app's control plane, if one is declared. */
  public static tryOf(scope: IConstruct): RevisionedControlPlane | undefined {
    return appSingletonIfExists<RevisionedControlPlane>(scope, KEY);
  }

  /** The mesh root namespace, where istiod runs. */
  public readonly rootNamespace: string;
  /** The trust domain (from the Mesh). */
  public readonly trustDomain: string;
  /** `meshConfig.outboundTrafficPolicy.mode`. */
  public readonly outboundTrafficPolicy: OutboundTrafficPolicy;
  /** `meshConfig.defaultConfig.holdApplicationUntilProxyStarts`. */
  public readonly holdApplicationUntilProxyStarts: boolean;
  /** `meshConfig.enablePrometheusMerge`. */
  public readonly prometheusMerge: boolean;
  /** `meshConfig.accessLogFile` ('' = off). */
  public readonly accessLogFile: string;
  /** Sidecar resources, every field resolved. */
  public readonly proxyResources: ProxyResources;
  /** istiod replicas per revision. */
  public readonly istiodReplicas: number;
  /** istiod autoscaler maximum. */
  public readonly istiodMaxReplicas: number;
  /** Whether istiod gets PodDisruptionBudgets. */
  public readonly podDisruptionBudget: boolean;
  /** `global.variant`. */
  public readonly imageVariant: ImageVariant;
  /** `meshConfig.pathNormalization`. */
  public readonly pathNormalization: PathNormalization;
  /** Whether istiod only discovers labelled namespaces. */
  public readonly discoverySelectors: boolean;
  /** Whether the CNI node agent is installed. */
  public readonly cni: boolean;
  /** Namespace of the CNI node agent. */
  public readonly cniNamespace: string;
  /** Whether Sail resources are rendered. */
  public readonly sailResources: boolean;
  /** Whether Helm values ConfigMaps are rendered. */
  public readonly helmValues: boolean;
  /** Whether the root (and CNI) Namespace objects are rendered. */
  public readonly createNamespaces: boolean;

  /** The Sail `IstioCNI` object, when `cni` and `sailResources` are on. */
  public readonly cniObject?: ApiObject;
  /** The root namespace's Namespace, when `createNamespaces` is on. */
  public readonly rootNamespaceObject?: Namespace;

  private readonly _cniVersion?: ReleaseNumber;
  /** The one source of truth for both renderings, computed (and checked) once in the constructor. */
  private readonly _istiodValues: sail.IstioSpecValues;
  private readonly _cniValues: sail.IstioCniSpecValues;
  private readonly _revisions = new Map<string, RevisionRecord>();
  private readonly _tags = new Map<string, string>();
  private readonly _namespaces = new Map<string, NamespaceRecord>();

  constructor(scope: Construct, id: string, props: RevisionedControlPlaneProps = {}) {
    super(scope, id);
    const existing = RevisionedControlPlane.tryOf(scope);
    if (existing) fail(this, `an app has one RevisionedControlPlane, and ${existing.node.path} is already declared; add revisions and tags to it instead`);

    const mesh = Mesh.of(this);
    if (mesh.dataplaneMode !== DataplaneMode.SIDECAR) {
      fail(this, `RevisionedControlPlane supports the sidecar data plane only, but the Mesh's dataplaneMode is ${show(mesh.dataplaneMode)}`);
    }
    this.rootNamespace = mesh.rootNamespace;
    this.trustDomain = mesh.trustDomain;

    this.outboundTrafficPolicy = props.outboundTrafficPolicy ?? OutboundTrafficPolicy.REGISTRY_ONLY;
    if (!Object.values(OutboundTrafficPolicy).includes(this.outboundTrafficPolicy)) {
      fail(this, `outboundTrafficPolicy must be one of ${Object.values(OutboundTrafficPolicy).join(', ')}, got ${show(this.outboundTrafficPolicy)}`);
    }
    this.holdApplicationUntilProxyStarts = checkBoolean(this, 'holdApplicationUntilProxyStarts', props.holdApplicationUntilProxyStarts, true);
    this.prometheusMerge = checkBoolean(this, 'prometheusMerge', props.prometheusMerge, false);
    this.accessLogFile = props.accessLogFile ?? '/dev/stdout';
    if (typeof this.accessLogFile !== 'string' || (this.accessLogFile !== '' && !this.accessLogFile.startsWith('/'))) {
      fail(this, `accessLogFile must be an absolute file path such as "/dev/stdout", or "" to turn access logging off, got ${show(this.accessLogFile)}`);
    }

    const res = props.proxyResources ?? {};
    this.proxyResources = {
      cpuRequest: res.cpuRequest ?? '100m',
      memoryRequest: res.memoryRequest ?? '128Mi',
      cpuLimit: res.cpuLimit ?? '1000m',
      memoryLimit: res.memoryLimit ?? '512Mi',
    };
    const cpuReq = checkCpu(this, 'proxyResources.cpuRequest', this.proxyResources.cpuRequest);
    const cpuLim = checkCpu(this, 'proxyResources.cpuLimit', this.proxyResources.cpuLimit);
    const memReq = checkMemory(this, 'proxyResources.memoryRequest', this.proxyResources.memoryRequest);
    const memLim = checkMemory(this, 'proxyResources.memoryLimit', this.proxyResources.memoryLimit);
    if (cpuReq > cpuLim) {
      fail(this, `proxyResources.cpuRequest must not exceed proxyResources.cpuLimit, got ${show(this.proxyResources.cpuRequest)} > ${show(this.proxyResources.cpuLimit)} (Kubernetes rejects such pods)`);
    }
    if (memReq > memLim) {
      fail(this, `proxyResources.memoryRequest must not exceed proxyResources.memoryLimit, got ${show(this.proxyResources.memoryRequest)} > ${show(this.proxyResources.memoryLimit)} (Kubernetes rejects such pods)`);
    }

    this.istiodReplicas = checkInteger(this, 'istiodReplicas', props.istiodReplicas ?? 2, 1, 100);
    this.istiodMaxReplicas = checkInteger(this, 'istiodMaxReplicas', props.istiodMaxReplicas ?? Math.max(5, this.istiodReplicas), 1, 100);
    if (this.istiodMaxReplicas < this.istiodReplicas) {
      fail(this, `istiodMaxReplicas must be at least istiodReplicas (${this.istiodReplicas}), got ${this.istiodMaxReplicas}`);
    }
    this.podDisruptionBudget = checkBoolean(this, 'podDisruptionBudget', props.podDisruptionBudget, true);
    this.imageVariant = checkEnum(this, 'imageVariant', props.imageVariant ?? ImageVariant.DISTROLESS, Object.values(ImageVariant));
    this.pathNormalization = checkEnum(this, 'pathNormalization', props.pathNormalization ?? PathNormalization.MERGE_SLASHES, Object.values(PathNormalization));
    this.discoverySelectors = checkBoolean(this, 'discoverySelectors', props.discoverySelectors, true);
    this.cni = checkBoolean(this, 'cni', props.cni, true);
    this.cniNamespace = checkDnsLabel(this, 'cniNamespace', props.cniNamespace ?? 'istio-cni');
    if (props.cniVersion !== undefined) {
      if (!this.cni) fail(this, `cniVersion ${show(props.cniVersion)} is set but cni is false; remove cniVersion or turn cni on`);
      this._cniVersion = checkRelease(this, 'cniVersion', props.cniVersion);
    }
    if (props.cniNamespace !== undefined && !this.cni) {
      fail(this, `cniNamespace ${show(props.cniNamespace)} is set but cni is false; remove cniNamespace or turn cni on`);
    }
    this.sailResources = checkBoolean(this, 'sailResources', props.sailResources, true);
    this.helmValues = checkBoolean(this, 'helmValues', props.helmValues, false);
    if (!this.sailResources && !this.helmValues) {
      fail(this, 'sailResources and helmValues are both false, so nothing would be rendered; keep one of them on');
    }
    this.createNamespaces = checkBoolean(this, 'createNamespaces', props.createNamespaces, true);
    if (this.cni && this.cniNamespace === this.rootNamespace) {
      fail(this, `cniNamespace must differ from the root namespace ${show(this.rootNamespace)} (the CNI agent runs privileged, apart from istiod), got ${show(this.cniNamespace)}`);
    }
    if (this._cniVersion && this.sailResources && !sailCniVersion(this._cniVersion)) {
      fail(this, `cniVersion must be ${sailReleaseRange()}, got ${show(this._cniVersion.text)}`);
    }

    const settings: IstiodSettings = {
      rootNamespace: this.rootNamespace,
      trustDomain: this.trustDomain,
      clusterDomain: mesh.clusterDomain,
      discoveryLabel: this.discoverySelectors ? { key: Mesh.DISCOVERY_LABEL, value: Mesh.DISCOVERY_LABEL_VALUE } : undefined,
      outboundTrafficPolicy: this.outboundTrafficPolicy,
      holdApplicationUntilProxyStarts: this.holdApplicationUntilProxyStarts,
      prometheusMerge: this.prometheusMerge,
      accessLogFile: this.accessLogFile,
      proxyCpuRequest: this.proxyResources.cpuRequest!,
      proxyMemoryRequest: this.proxyResources.memoryRequest!,
      proxyCpuLimit: this.proxyResources.cpuLimit!,
      proxyMemoryLimit: this.proxyResources.memoryLimit!,
      istiodReplicas: this.istiodReplicas,
      istiodMaxReplicas: this.istiodMaxReplicas,
      podDisruptionBudget: this.podDisruptionBudget,
      imageVariant: this.imageVariant,
      pathNormalization: this.pathNormalization,
      cni: this.cni,
    };
    this._istiodValues = istiodValues(settings);
    this._cniValues = cniValues(settings);

    if (this.createNamespaces) {
      claim(this, 'namespace', this.rootNamespace, 'Namespace');
      this.rootNamespaceObject = new Namespace(this, 'RootNamespace', { metadata: { name: this.rootNamespace } });
      if (this.cni) {
        claim(this, 'namespace', this.cniNamespace, 'Namespace');
        new Namespace(this, 'CniNamespace', { metadata: { name: this.cniNamespace } });
      }
    }
    if (this.cni && this.sailResources) {
      this.cniObject = new sail.IstioCni(this, 'Cni', {
        metadata: { name: 'default' },
        spec: Lazy.any({ produce: () => this._renderCniSpec() }),
      });
    }
    if (this.cni && this.helmValues) {
      const cm = new ConfigMap(this, 'HelmCniValues', { metadata: { name: 'istio-cni-values', namespace: this.rootNamespace } });
      cm.addData(RevisionedControlPlane.HELM_VALUES_KEY, lazyString(() => Yaml.stringify(helmCniValues(this._cniValues))));
    }

    for (const [i, r] of (props.revisions ?? []).entries()) {
      if (r === null || typeof r !== 'object') fail(this, `revisions[${i}] must be an object { name, version }, got ${show(r)}`);
      this._addRevision(r, `revisions[${i}]`);
    }
    for (const [tag, revision] of Object.entries(props.tags ?? {})) {
      this._setTag(tag, revision, `tags.${tag}`);
    }

    // Registered last, so that a constructor that refused its props leaves no half-built control plane behind.
    appSingleton(this, KEY, () => this);
    this.node.addValidation({ validate: () => this._validate() });
  }

  // ---------------------------------------------------------------------------------------------- revisions

  /**
   * Adds a control plane revision (step 1 of an upgrade: the new istiod runs beside the old one, serving nobody
   * until a tag points at it).
   */
  public addRevision(revision: ControlPlaneRevision): void {
    if (revision === null || typeof revision !== 'object') fail(this, `addRevision() needs a revision { name, version }, got ${show(revision)}`);
    this._addRevision(revision, 'revision');
  }

  /**
   * Removes a revision (the last step of an upgrade). Refuses while a tag points at it — move the tags first
   * with `setTag()`, and restart the workloads of the namespaces on those tags before removing.
   */
  public removeRevision(name: string): void {
    if (!this._revisions.has(name)) {
      fail(this, `removeRevision(${show(name)}): no such revision; declared revisions: ${this._list(this._revisions.keys())}`);
    }
    const tags = [...this._tags.entries()].filter(([, r]) => r === name).map(([t]) => t).sort();
    if (tags.length > 0) {
      const namespaces = this._namespacesOn(tags);
      const users = namespaces.length > 0 ? ` (used by namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')})` : '';
      fail(this, `removeRevision(${show(name)}): revision ${show(name)} is still the target of tag${tags.length > 1 ? 's' : ''} ${tags.map(t => show(t)).join(', ')}${users}; point ${tags.length > 1 ? 'them' : 'it'} at another revision with setTag() first`);
    }
    this._revisions.delete(name);
    this.node.tryRemoveChild(revisionId(name));
    this.node.tryRemoveChild(helmValuesId(name));
  }

  /** The declared revisions, in declaration order (copies). */
  public get revisions(): ControlPlaneRevision[] {
    return [...this._revisions.values()].map(r => ({ name: r.revision.name, version: r.revision.version }));
  }

  /** Whether a revision of that name is declared. */
  public hasRevision(name: string): boolean {
    return this._revisions.has(name);
  }

  /** The oldest declared Istio version (the one whose feature set every config must respect). */
  public get oldestVersion(): string | undefined {
    return this._releases()[0]?.text;
  }

  /** The Sail `Istio` object of a revision, e.g. to `addJsonPatch` it. */
  public revisionObject(name: string): ApiObject {
    if (!this._revisions.has(name)) fail(this, `revisionObject(${show(name)}): no such revision; declared revisions: ${this._list(this._revisions.keys())}`);
    if (!this.sailResources) fail(this, `revisionObject(${show(name)}): sailResources is false, so there is no Sail Istio object`);
    return this.node.findChild(revisionId(name)) as ApiObject;
  }

  // ---------------------------------------------------------------------------------------------- tags

  /**
   * Creates a tag or points an existing one at another revision (`prod-canary` at the new revision, later
   * `prod-stable`). Namespaces on the tag move to that revision when their workloads restart.
   */
  public setTag(tag: string, revision: string): void {
    this._setTag(tag, revision, `setTag(${show(tag)}, ${show(revision)})`);
  }

  /** Removes a tag. Refuses while a namespace is bound to it. */
  public removeTag(tag: string): void {
    if (!this._tags.has(tag)) fail(this, `removeTag(${show(tag)}): no such tag; declared tags: ${this._list(this._tags.keys())}`);
    const namespaces = this._namespacesOn([tag]);
    if (namespaces.length > 0) {
      fail(this, `removeTag(${show(tag)}): tag ${show(tag)} is still used by namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}; move ${namespaces.length > 1 ? 'them' : 'it'} to another tag first`);
    }
    this._tags.delete(tag);
    this.node.tryRemoveChild(tagId(tag));
  }

  /** Whether a tag of that name is declared. */
  public hasTag(tag: string): boolean {
    return this._tags.has(tag);
  }

  /** The declared tag names, sorted. */
  public get tags(): string[] {
    return [...this._tags.keys()].sort();
  }

  /** The revision a tag points at, if the tag is declared. */
  public tagTarget(tag: string): string | undefined {
    return this._tags.get(tag);
  }

  /** The Sail `IstioRevisionTag` object of a tag, e.g. to `addJsonPatch` it. */
  public tagObject(tag: string): ApiObject {
    if (!this._tags.has(tag)) fail(this, `tagObject(${show(tag)}): no such tag; declared tags: ${this._list(this._tags.keys())}`);
    if (!this.sailResources) fail(this, `tagObject(${show(tag)}): sailResources is false, so there is no Sail IstioRevisionTag object`);
    return this.node.findChild(tagId(tag)) as ApiObject;
  }

  // ---------------------------------------------------------------------------------------------- namespaces

  /**
   * Renders the Namespace `namespace` as a member of the mesh on `tag`: labels `istio.io/rev=<tag>` and
   * `istio-discovery=enabled`, nothing else Istio-related. (A ZeroTrustNamespace binds its own namespace.)
   */
  public bind(namespace: string, tag: string): Namespace {
    const prop = `bind(${show(namespace)}, ${show(tag)})`;
    this._checkMember(namespace, prop);
    this._checkTagExists(tag, prop);
    const existing = this._namespaces.get(namespace);
    if (existing) {
      fail(this, `${prop}: namespace ${show(namespace)} is already bound to tag ${show(existing.tag)} by ${existing.owner}; use moveNamespace() to change its tag`);
    }
    claim(this, 'namespace', namespace, 'Namespace');
    const ns = new Namespace(this, namespaceId(namespace), { metadata: { name: namespace } });
    ns.metadata.addLabel(Mesh.REVISION_LABEL, tag);
    if (this.discoverySelectors) ns.metadata.addLabel(Mesh.DISCOVERY_LABEL, Mesh.DISCOVERY_LABEL_VALUE);
    this._namespaces.set(namespace, { tag, owner: this.node.path, rendered: ns });
    return ns;
  }

  /** Moves a namespace bound with `bind()` to another tag (relabels it; restart its workloads afterwards). */
  public moveNamespace(namespace: string, tag: string): void {
    const prop = `moveNamespace(${show(namespace)}, ${show(tag)})`;
    const record = this._namespaces.get(namespace);
    if (!record) fail(this, `${prop}: namespace ${show(namespace)} is not bound; bind it with bind() first`);
    if (!record.rendered) {
      fail(this, `${prop}: namespace ${show(namespace)} is bound by ${record.owner}; change the tag there (for a ZeroTrustNamespace: its revisionTag)`);
    }
    this._checkTagExists(tag, prop);
    record.tag = tag;
    record.rendered.metadata.addLabel(Mesh.REVISION_LABEL, tag);
  }

  /**
   * Records a namespace that another construct renders and binds to `tag` (e.g. a ZeroTrustNamespace), so the
   * tag and revision checks see it; renders nothing. Registering again from the same owner updates the tag.
   * An undeclared tag is reported at synth, so the owner may register before the tag is declared.
   *
   * @param constructPath who binds it, for messages @default - the caller is not named in messages
   */
  public registerNamespace(namespace: string, tag: string, constructPath?: string): void {
    const prop = `registerNamespace(${show(namespace)}, ${show(tag)})`;
    this._checkMember(namespace, prop);
    checkRevisionName(this, `${prop}: tag`, tag);
    const owner = constructPath ?? '<unnamed construct>';
    const existing = this._namespaces.get(namespace);
    if (existing && (existing.rendered || existing.owner !== owner)) {
      fail(this, `${prop}: namespace ${show(namespace)} is already bound to tag ${show(existing.tag)} by ${existing.owner}; a namespace has exactly one membership label`);
    }
    this._namespaces.set(namespace, { tag, owner });
  }

  /** The tag a namespace is bound to, if it is bound or registered. */
  public namespaceTag(namespace: string): string | undefined {
    return this._namespaces.get(namespace)?.tag;
  }

  /** Bound and registered namespaces, sorted. */
  public get namespaces(): string[] {
    return [...this._namespaces.keys()].sort();
  }

  // ---------------------------------------------------------------------------------------------- Helm

  /**
   * The configuration of one revision as Helm values for the `istiod` chart (YAML), computed from the same settings
   * as the Sail `Istio.spec.values`, plus `revision` and the `revisionTags` that point at it. Feed it to
   * `helm install istiod-<revision> istio/istiod -n <root namespace> -f values.yaml` (the `base` and `cni`
   * charts are installed once).
   */
  public renderHelmValues(revision: string): string {
    if (!this._revisions.has(revision)) {
      fail(this, `renderHelmValues(${show(revision)}): no such revision; declared revisions: ${this._list(this._revisions.keys())}`);
    }
    return this._helmValuesYaml(revision);
  }

  // ---------------------------------------------------------------------------------------------- warnings

  /**
   * Warnings about the current declaration: revisions more than two minor releases apart (Istio supports canary
   * upgrades N → N+2 at most), a CNI agent more than one minor release from a revision, a single istiod replica
   * with a PodDisruptionBudget (blocks node drains). Printed once per app with `console.warn` at synth.
   */
  public get warnings(): string[] {
    const out: string[] = [];
    const releases = this._releases();
    if (releases.length >= 2) {
      const oldest = releases[0];
      const newest = releases[releases.length - 1];
      const distance = minorDistance(oldest, newest);
      if (distance > 2) {
        const o = this._revisionOf(oldest);
        const n = this._revisionOf(newest);
        out.push(`revisions ${show(o)} (${oldest.text}) and ${show(n)} (${newest.text}) are ${Number.isFinite(distance) ? `${distance} minor releases` : 'different major versions'} apart; Istio supports canary upgrades across at most two minor releases, so upgrade through an intermediate revision`);
      }
    }
    const cni = this._effectiveCniVersion();
    if (cni) {
      const far = releases.filter(r => minorDistance(r, cni) > 1);
      if (far.length > 0) {
        out.push(`the CNI agent ${cni.text} supports control planes within one minor release of it, but revision${far.length > 1 ? 's' : ''} ${far.map(r => `${show(this._revisionOf(r))} (${r.text})`).join(', ')} ${far.length > 1 ? 'are' : 'is'} further away; set cniVersion to a release in between, or upgrade in smaller steps`);
      }
    }
    if (this.istiodReplicas === 1 && this.podDisruptionBudget) {
      out.push('istiodReplicas is 1 with podDisruptionBudget on: the PodDisruptionBudget (minAvailable 1) blocks node drains, and one replica is a single point of failure for pod creation; use 2 or more replicas');
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------- internals

  private _addRevision(revision: ControlPlaneRevision, prop: string): void {
    const name = checkRevisionName(this, `${prop}.name`, revision.name);
    const release = checkRelease(this, `${prop}.version`, revision.version);
    if (this._revisions.has(name)) {
      fail(this, `${prop}.name: revision ${show(name)} is declared twice; revision names must be unique (declared: ${this._list(this._revisions.keys())})`);
    }
    if (this._tags.has(name)) {
      fail(this, `${prop}.name: ${show(name)} is already a tag name; a revision and a tag must not share a name (istio.io/rev=${name} would be ambiguous)`);
    }
    const version = sailIstioVersion(release);
    if (this.sailResources && version === undefined) {
      fail(this, `${prop}.version must be ${sailReleaseRange()}, got ${show(release.text)}`);
    }
    this._revisions.set(name, { revision: { name, version: release.text }, release });
    if (this.sailResources) {
      new sail.Istio(this, revisionId(name), {
        metadata: { name },
        spec: Lazy.any({ produce: () => this._renderIstioSpec(name) }),
      });
    }
    if (this.helmValues) {
      const cm = new ConfigMap(this, helmValuesId(name), { metadata: { name: `istiod-${name}-values`, namespace: this.rootNamespace } });
      cm.addData(RevisionedControlPlane.HELM_VALUES_KEY, lazyString(() => this._helmValuesYaml(name)));
    }
  }

  private _setTag(tag: string, revision: string, prop: string): void {
    checkRevisionName(this, `${prop}: tag`, tag);
    if (this._revisions.has(tag)) {
      fail(this, `${prop}: tag ${show(tag)} has the name of a revision; a tag must not be named like a revision (use e.g. "prod-stable")`);
    }
    if (typeof revision !== 'string' || !this._revisions.has(revision)) {
      fail(this, `${prop}: tag ${show(tag)} points at revision ${show(revision)}, which is not declared; declared revisions: ${this._list(this._revisions.keys())}`);
    }
    const isNew = !this._tags.has(tag);
    this._tags.set(tag, revision);
    if (isNew && this.sailResources) {
      new sail.IstioRevisionTag(this, tagId(tag), {
        metadata: { name: tag },
        spec: Lazy.any({ produce: () => this._renderTagSpec(tag) }),
      });
    }
  }

  private _checkMember(namespace: string, prop: string): void {
    checkDnsLabel(this, `${prop}: namespace`, namespace);
    if (namespace === this.rootNamespace) {
      fail(this, `${prop}: ${show(namespace)} is the mesh root namespace, where istiod runs; it is not bound to a tag`);
    }
    if (this.cni && namespace === this.cniNamespace) {
      fail(this, `${prop}: ${show(namespace)} is the CNI agent's namespace; it is not bound to a tag`);
    }
  }

  private _checkTagExists(tag: string, prop: string): void {
    if (this._tags.has(tag)) return;
    const hint = this._revisions.has(tag) ? ` (${show(tag)} is a revision: bind namespaces to a tag that points at it, so upgrades never relabel them)` : '';
    fail(this, `${prop}: tag ${show(tag)} is not declared${hint}; declared tags: ${this._list(this._tags.keys())}`);
  }

  private _namespacesOn(tags: string[]): string[] {
    return [...this._namespaces.entries()].filter(([, r]) => tags.includes(r.tag)).map(([n]) => n).sort();
  }

  private _list(names: Iterable<string>): string {
    const all = [...names].sort();
    return all.length > 0 ? all.map(n => show(n)).join(', ') : '(none)';
  }

  private _releases(): ReleaseNumber[] {
    return [...this._revisions.values()].map(r => r.release).sort(compareReleases);
  }

  private _revisionOf(release: ReleaseNumber): string {
    return [...this._revisions.values()].find(r => r.release === release)?.revision.name ?? release.text;
  }

  /**
   * The explicit cniVersion, or the oldest declared release within one minor of every revision (else the oldest):
   * the node agent, which every pod depends on, is not changed while a canary revision is on trial, and follows
   * once the old revision is removed.
   */
  private _effectiveCniVersion(): ReleaseNumber | undefined {
    if (!this.cni) return undefined;
    if (this._cniVersion) return this._cniVersion;
    const releases = this._releases();
    const compatible = releases.filter(c => releases.every(r => minorDistance(r, c) <= 1));
    return compatible[0] ?? releases[0];
  }

  private _tagsOf(revision: string): string[] {
    return [...this._tags.entries()].filter(([, r]) => r === revision).map(([t]) => t).sort();
  }

  /** @internal */
  public _renderIstioSpec(revision: string): sail.IstioSpec | undefined {
    const record = this._revisions.get(revision);
    if (!record) return undefined;
    return {
      namespace: this.rootNamespace,
      version: sailIstioVersion(record.release)!,
      updateStrategy: { type: sail.IstioSpecUpdateStrategyType.REVISION_BASED },
      values: this._istiodValues,
    };
  }

  /** @internal */
  public _renderTagSpec(tag: string): sail.IstioRevisionTagSpec | undefined {
    const revision = this._tags.get(tag);
    if (revision === undefined) return undefined;
    return { targetRef: { kind: sail.IstioRevisionTagSpecTargetRefKind.ISTIO, name: revision } };
  }

  /** @internal */
  public _renderCniSpec(): sail.IstioCniSpec | undefined {
    const release = this._effectiveCniVersion();
    const version = release ? sailCniVersion(release) : undefined;
    if (version === undefined) return undefined; // reported by the validation (no revisions)
    return { namespace: this.cniNamespace, version, values: this._cniValues };
  }

  private _helmValuesYaml(revision: string): string {
    return Yaml.stringify(helmIstiodValues(this._istiodValues, revision, this._tagsOf(revision)));
  }

  private _validate(): string[] {
    const errors: string[] = [];
    if (this._revisions.size === 0) {
      errors.push('revisions: the control plane declares no revision; add one with revisions: [{ name: "1-30-3", version: "1.30.3" }] or addRevision()');
    }
    for (const [namespace, record] of [...this._namespaces.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!this._tags.has(record.tag)) {
        errors.push(`namespace ${show(namespace)} (bound by ${record.owner}) uses tag ${show(record.tag)}, which is not declared; declared tags: ${this._list(this._tags.keys())}`);
      }
    }
    // One pass over every rendered Namespace of the app (any construct, raw L1 or Include).
    const rendered = scanNamespaces(this);
    for (const [i, ns] of rendered.entries()) {
      const where = `namespace ${show(ns.name)} (${ns.path})`;
      if (i > 0 && rendered[i - 1].name === ns.name) {
        errors.push(`${where} is also rendered by ${rendered[i - 1].path}; declare each Namespace once (with bind() or a ZeroTrustNamespace)`);
        continue;
      }
      if (Mesh.LEGACY_INJECTION_LABEL in ns.labels) {
        errors.push(`${where} has the label ${Mesh.LEGACY_INJECTION_LABEL}=${ns.labels[Mesh.LEGACY_INJECTION_LABEL]}, which takes precedence over istio.io/rev and defeats revision-based upgrades; remove it and bind the namespace to a tag (istio.io/rev=<tag>)`);
      }
      const rev = ns.labels[Mesh.REVISION_LABEL];
      if (rev === undefined) continue;
      const record = this._namespaces.get(ns.name);
      if (record && record.tag !== rev) {
        errors.push(`${where} is labelled ${Mesh.REVISION_LABEL}=${rev} but is bound to tag ${show(record.tag)} by ${record.owner}; a namespace has exactly one membership label`);
      } else if (!record && !this._tags.has(rev)) {
        const hint = this._revisions.has(rev) ? ` (${show(rev)} is a revision: label namespaces with a tag that points at it)` : '';
        errors.push(`${where} has ${Mesh.REVISION_LABEL}=${rev}, which is not a declared tag${hint}; declared tags: ${this._list(this._tags.keys())}`);
      }
      if (Mesh.DATAPLANE_MODE_LABEL in ns.labels) {
        errors.push(`${where} has both ${Mesh.REVISION_LABEL}=${rev} and ${Mesh.DATAPLANE_MODE_LABEL}=${ns.labels[Mesh.DATAPLANE_MODE_LABEL]}; a namespace joins the mesh one way only (sidecar injection takes precedence)`);
      }
      if (this.discoverySelectors && ns.labels[Mesh.DISCOVERY_LABEL] !== Mesh.DISCOVERY_LABEL_VALUE) {
        errors.push(`${where} is bound to the mesh (${Mesh.REVISION_LABEL}=${rev}) but lacks ${Mesh.DISCOVERY_LABEL}=${Mesh.DISCOVERY_LABEL_VALUE}, so istiod's discoverySelectors ignore it; add the label`);
      }
    }
    if (errors.length === 0) {
      const warned = appSingleton(this, `${KEY}.warned`, () => new Set<string>());
      for (const w of this.warnings) {
        if (warned.has(w)) continue;
        warned.add(w);
        console.warn(`[${this.node.path}] warning: ${w}`);
      }
    }
    return errors;
  }
}

function revisionId(name: string): string {
  return `Revision-${name}`;
}
function tagId(tag: string): string {
  return `Tag-${tag}`;
}
function helmValuesId(name: string): string {
  return `HelmValues-${name}`;
}
function namespaceId(name: string): string {
  return `Namespace-${name}`;
}

/** A string rendered at synth (cdk8s resolves the Lazy wherever the string ends up in a manifest). */
function lazyString(produce: () => string): string {
  return Lazy.any({ produce }) as unknown as string;
}

function checkBoolean(scope: IConstruct, prop: string, value: unknown, dflt: boolean): boolean {
  if (value === undefined) return dflt;
  if (typeof value !== 'boolean') fail(scope, `${prop} must be true or false, got ${show(value)}`);
  return value;
}

function checkEnum<T extends string>(scope: IConstruct, prop: string, value: T, allowed: T[]): T {
  if (!allowed.includes(value)) fail(scope, `${prop} must be one of ${allowed.map(a => show(a)).join(', ')}, got ${show(value)}`);
  return value;
}

/**
 * The index every rule reads: built once per analysis run in one pass over the objects (O(n)),
 * so no rule re-walks the input or the construct tree.
 */
import { arr, AnalyzerSettingsResolved, KubeObject, labelMap, rec, str } from './model';

/** Kinds that are cluster-scoped (no namespace); everything else is namespaced. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'PriorityClass', 'IngressClass', 'PriorityLevelConfiguration', 'FlowSchema',
  'RuntimeClass', 'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'CertificateSigningRequest',
  'GatewayClass', 'ClusterIssuer', 'PodSecurityPolicy',
  // sailoperator.io
  'Istio', 'IstioRevision', 'IstioRevisionTag', 'IstioCNI', 'ZTunnel',
]);

/** Pod-template owning kinds (issue 8 §3: workloads). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** A Kubernetes Service port. */
export interface ServicePortInfo {
  readonly number: number;
  readonly name?: string;
  readonly appProtocol?: string;
  /** `TCP` unless set. */
  readonly protocol: string;
  /** Number or named container port; undefined means "same as number". */
  readonly targetPort?: number | string;
}

/** A Kubernetes Service, indexed by FQDN. */
export interface ServiceInfo {
  readonly object: KubeObject;
  readonly name: string;
  readonly namespace: string;
  /** `<name>.<namespace>.svc.<clusterDomain>` */
  readonly fqdn: string;
  /** `ClusterIP` unless set. */
  readonly type: string;
  readonly ports: ServicePortInfo[];
  /** Undefined when the Service has no selector (endpoints managed elsewhere). */
  readonly selector?: { [key: string]: string };
  readonly externalName?: string;
}

/** One container port of a workload. */
export interface ContainerPortInfo {
  readonly containerPort: number;
  readonly name?: string;
  readonly protocol: string;
}

/** A container (or init container) of a workload's pod template. */
export interface ContainerInfo {
  readonly name: string;
  readonly image?: string;
  readonly ports: ContainerPortInfo[];
  readonly securityContext: { [key: string]: any };
  readonly init: boolean;
}

/** The pod template of a workload object. */
export interface WorkloadInfo {
  readonly object: KubeObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Pod labels (template labels; for a Pod its own labels). */
  readonly labels: { [key: string]: string };
  /** Pod annotations. */
  readonly annotations: { [key: string]: string };
  /** `default` unless set. */
  readonly serviceAccountName: string;
  /** Containers then init containers. */
  readonly containers: ContainerInfo[];
  /** Pod-level securityContext ({} when unset). */
  readonly podSecurityContext: { [key: string]: any };
  /** Selected by an Istio Gateway in the app, or template annotation `inject.istio.io/templates: gateway`. */
  isGateway: boolean;
}

/** Parsed `exportTo`: `all` (`*`), `none` (`~`), or a set of namespaces (`.` already resolved). */
export interface ExportScope {
  readonly all: boolean;
  readonly namespaces: Set<string>;
}

const EXPORT_ALL: ExportScope = { all: true, namespaces: new Set() };

/** Index over one analysis run's objects. */
export class ObjectIndex {
  /** Kind/namespace/name of an object; cluster-scoped: `Kind//name`. */
  public static objectRef(obj: KubeObject): string {
    const kind = str(obj.kind) ?? '';
    const name = str(rec(obj.metadata).name) ?? '';
    return `${kind}/${ObjectIndex.namespaceOf(obj)}/${name}`;
  }

  /** Effective namespace: metadata.namespace, `default` for namespaced kinds without one, '' when cluster-scoped. */
  public static namespaceOf(obj: KubeObject): string {
    const kind = str(obj.kind) ?? '';
    // Kubernetes convention: Cluster* kinds (ClusterRole, ClusterIssuer, ClusterPolicy, …) are cluster-scoped.
    if (CLUSTER_SCOPED_KINDS.has(kind) || /^Cluster[A-Z]/.test(kind)) return '';
    return str(rec(obj.metadata).namespace) || 'default';
  }

  /** metadata.name ('' when missing). */
  public static nameOf(obj: KubeObject): string {
    return str(rec(obj.metadata).name) ?? '';
  }

  /** API group of an object ('' for the core group). */
  public static groupOf(obj: KubeObject): string {
    const av = str(obj.apiVersion) ?? '';
    const slash = av.indexOf('/');
    return slash < 0 ? '' : av.slice(0, slash);
  }

  /** True when every key/value of `selector` is in `labels`. An empty selector matches everything. */
  public static selectorMatches(selector: { [key: string]: string } | undefined, labels: { [key: string]: string }): boolean {
    if (!selector) return true;
    for (const [k, v] of Object.entries(selector)) {
      if (labels[k] !== v) return false;
    }
    return true;
  }

  public readonly objects: KubeObject[];
  public readonly settings: AnalyzerSettingsResolved;
  /** Objects by kind (any API group; use `ofKind(kind, group)` to filter by group). */
  public readonly byKind = new Map<string, KubeObject[]>();
  /** Objects by effective namespace ('' for cluster-scoped). */
  public readonly byNamespace = new Map<string, KubeObject[]>();
  /** Namespaces whose Namespace object is in the input. */
  public readonly ownedNamespaces = new Set<string>();
  /** Namespace objects by name. */
  public readonly namespaceObjects = new Map<string, KubeObject>();
  /** Kubernetes Services by FQDN. */
  public readonly servicesByFqdn = new Map<string, ServiceInfo>();
  /** All Services, in input order. */
  public readonly services: ServiceInfo[] = [];
  /** Istio ServiceEntries by (lower-cased) host, as written (wildcards kept). */
  public readonly serviceEntriesByHost = new Map<string, KubeObject[]>();
  /** ServiceEntries whose host starts with `*` (matched by suffix). */
  public readonly wildcardServiceEntryHosts: Array<{ host: string; object: KubeObject }> = [];
  /** All workloads (pod templates), in input order. */
  public readonly workloads: WorkloadInfo[] = [];
  /** Workloads by namespace. */
  public readonly workloadsByNamespace = new Map<string, WorkloadInfo[]>();
  /** Namespaces in which the app defines at least one workload. */
  public readonly namespacesWithWorkloads = new Set<string>();
  /** Istio Gateways by `namespace/name`. */
  public readonly gateways = new Map<string, KubeObject>();
  /** Istio DestinationRules by expanded host. */
  public readonly destinationRulesByHost = new Map<string, KubeObject[]>();
  /** Istio VirtualServices, in input order. */
  public readonly virtualServices: KubeObject[] = [];
  /** ServiceAccounts by `namespace/name`. */
  public readonly serviceAccounts = new Map<string, KubeObject>();
  /** Workloads that are gateways (see WorkloadInfo.isGateway). */
  public readonly gatewayWorkloads: WorkloadInfo[] = [];

  private readonly kindGroup = new Map<string, KubeObject[]>();
  /** Workloads by `<namespace>\0key=value` and, for any namespace, by `\0key=value`. */
  private readonly workloadsByLabel = new Map<string, WorkloadInfo[]>();
  private readonly selectorCache = new Map<string, WorkloadInfo[]>();

  constructor(objects: KubeObject[], settings: AnalyzerSettingsResolved) {
    this.objects = objects;
    this.settings = settings;
    for (const obj of objects) this.add(obj);
    this.markGatewayWorkloads();
  }

  /** Objects of a kind; when `group` is given ('' = core) only that API group. */
  public ofKind(kind: string, group?: string): KubeObject[] {
    if (group === undefined) return this.byKind.get(kind) ?? [];
    return this.kindGroup.get(`${group}|${kind}`) ?? [];
  }

  /** Istio networking objects of a kind (networking.istio.io). */
  public networking(kind: string): KubeObject[] {
    return this.ofKind(kind, 'networking.istio.io');
  }

  /** Istio security objects of a kind (security.istio.io). */
  public security(kind: string): KubeObject[] {
    return this.ofKind(kind, 'security.istio.io');
  }

  public objectRef(obj: KubeObject): string {
    return ObjectIndex.objectRef(obj);
  }

  public namespaceOf(obj: KubeObject): string {
    return ObjectIndex.namespaceOf(obj);
  }

  public selectorMatches(selector: { [key: string]: string } | undefined, labels: { [key: string]: string }): boolean {
    return ObjectIndex.selectorMatches(selector, labels);
  }

  /** True when the app contains the Namespace object. */
  public isOwned(namespace: string): boolean {
    return this.ownedNamespaces.has(namespace);
  }

  /**
   * Expands a short host (no dot) against `namespace`: `reviews` → `reviews.<ns>.svc.<clusterDomain>`.
   * Hosts with a dot and wildcard hosts are returned lower-cased, unchanged otherwise.
   */
  public expandHost(host: string, namespace: string): string {
    const h = host.toLowerCase();
    if (h.startsWith('*') || h.includes('.')) return h;
    return `${h}.${namespace}.svc.${this.settings.clusterDomain}`;
  }

  /** True when `host` is a name inside the cluster domain (e.g. `x.ns.svc.cluster.local`). */
  public isClusterLocal(host: string): boolean {
    const cd = this.settings.clusterDomain.toLowerCase();
    const h = host.toLowerCase();
    return h === cd || h.endsWith(`.${cd}`);
  }

  /**
   * For `<name>.<ns>.svc.<clusterDomain>`, the name and namespace; undefined for any other host
   * (including wildcards).
   */
  public parseServiceHost(host: string): { name: string; namespace: string } | undefined {
    const suffix = `.svc.${this.settings.clusterDomain.toLowerCase()}`;
    const h = host.toLowerCase();
    if (!h.endsWith(suffix) || h.startsWith('*')) return undefined;
    const parts = h.slice(0, -suffix.length).split('.');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
    return { name: parts[0], namespace: parts[1] };
  }

  /** Workloads in `namespace` whose pod labels match `matchLabels` (all workloads when matchLabels is undefined). */
  public workloadsSelectedBy(namespace: string, matchLabels: { [key: string]: string } | undefined): WorkloadInfo[] {
    return this.matching(namespace, matchLabels);
  }

  /** Workloads of any namespace whose pod labels match `matchLabels` (how Istio Gateway selectors apply). */
  public workloadsMatchingAnywhere(matchLabels: { [key: string]: string } | undefined): WorkloadInfo[] {
    return this.matching(undefined, matchLabels);
  }

  /** Selector lookups through the label index, memoized per (namespace, selector). */
  private matching(namespace: string | undefined, matchLabels: { [key: string]: string } | undefined): WorkloadInfo[] {
    const entries = Object.entries(matchLabels ?? {});
    if (entries.length === 0) {
      return namespace === undefined ? [...this.workloads] : [...(this.workloadsByNamespace.get(namespace) ?? [])];
    }
    const key = `${namespace ?? '*'}|${entries.map(([k, v]) => `${k}=${v}`).sort().join(',')}`;
    const cached = this.selectorCache.get(key);
    if (cached) return [...cached];
    // Start from the smallest bucket of one label, then check the whole selector.
    let smallest: WorkloadInfo[] | undefined;
    for (const [k, v] of entries) {
      const bucket = this.workloadsByLabel.get(`${namespace ?? ''}\u0000${k}=${v}`) ?? [];
      if (!smallest || bucket.length < smallest.length) smallest = bucket;
      if (bucket.length === 0) break;
    }
    const out = (smallest ?? []).filter((w) => (namespace === undefined || w.namespace === namespace)
      && ObjectIndex.selectorMatches(matchLabels, w.labels));
    this.selectorCache.set(key, out);
    return [...out];
  }

  /**
   * The export scope of an Istio config object (`spec.exportTo`) or a Service
   * (annotation `networking.istio.io/exportTo`). Default (unset or empty): exported everywhere.
   */
  public exportScope(obj: KubeObject): ExportScope {
    let list: string[];
    if (obj.kind === 'Service' && ObjectIndex.groupOf(obj) === '') {
      const ann = str(rec(rec(obj.metadata).annotations)['networking.istio.io/exportTo']);
      list = ann ? ann.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [];
    } else {
      list = arr(rec(obj.spec).exportTo).filter((s): s is string => typeof s === 'string');
    }
    if (list.length === 0) return EXPORT_ALL;
    const ns = ObjectIndex.namespaceOf(obj);
    const out = new Set<string>();
    let all = false;
    for (const e of list) {
      if (e === '*') all = true;
      else if (e === '.') out.add(ns);
      else if (e !== '~') out.add(e);
    }
    return { all, namespaces: out };
  }

  /** True when `obj` is visible (exported) to `namespace`. */
  public isVisibleTo(obj: KubeObject, namespace: string): boolean {
    const scope = this.exportScope(obj);
    return scope.all || scope.namespaces.has(namespace);
  }

  /**
   * ServiceEntries in the app declaring `host` (exact, or by a wildcard SE host covering it), optionally
   * only those visible to `fromNamespace`.
   */
  public serviceEntriesFor(host: string, fromNamespace?: string): KubeObject[] {
    const h = host.toLowerCase();
    const out: KubeObject[] = [];
    const seen = new Set<KubeObject>();
    const add = (o: KubeObject) => {
      if (seen.has(o)) return;
      if (fromNamespace !== undefined && !this.isVisibleTo(o, fromNamespace)) return;
      seen.add(o);
      out.push(o);
    };
    for (const o of this.serviceEntriesByHost.get(h) ?? []) add(o);
    for (const w of this.wildcardServiceEntryHosts) {
      if (hostCoveredBy(h, w.host)) add(w.object);
    }
    return out;
  }

  /** DestinationRules whose host (expanded against the DR's namespace) equals `host`. */
  public destinationRulesFor(host: string): KubeObject[] {
    return this.destinationRulesByHost.get(host.toLowerCase()) ?? [];
  }

  private add(obj: KubeObject): void {
    const kind = str(obj.kind) ?? '';
    const group = ObjectIndex.groupOf(obj);
    const ns = ObjectIndex.namespaceOf(obj);
    push(this.byKind, kind, obj);
    push(this.kindGroup, `${group}|${kind}`, obj);
    push(this.byNamespace, ns, obj);
    const name = ObjectIndex.nameOf(obj);
    const spec = rec(obj.spec);

    if (group === '' && kind === 'Namespace') {
      this.ownedNamespaces.add(name);
      this.namespaceObjects.set(name, obj);
    } else if (group === '' && kind === 'Service') {
      this.addService(obj, name, ns, spec);
    } else if (group === '' && kind === 'ServiceAccount') {
      this.serviceAccounts.set(`${ns}/${name}`, obj);
    } else if (group === 'networking.istio.io') {
      if (kind === 'ServiceEntry') {
        for (const host of arr(spec.hosts)) {
          if (typeof host !== 'string') continue;
          const h = host.toLowerCase();
          push(this.serviceEntriesByHost, h, obj);
          if (h.startsWith('*')) this.wildcardServiceEntryHosts.push({ host: h, object: obj });
        }
      } else if (kind === 'Gateway') {
        this.gateways.set(`${ns}/${name}`, obj);
      } else if (kind === 'DestinationRule') {
        const host = str(spec.host);
        if (host) push(this.destinationRulesByHost, this.expandHost(host, ns), obj);
      } else if (kind === 'VirtualService') {
        this.virtualServices.push(obj);
      }
    }
    if (WORKLOAD_KINDS.has(kind) && (group === '' || group === 'apps' || group === 'batch')) {
      this.addWorkload(obj, kind, name, ns);
    }
  }

  private addService(obj: KubeObject, name: string, ns: string, spec: { [key: string]: any }): void {
    const ports: ServicePortInfo[] = [];
    for (const p of arr(spec.ports)) {
      const pr = rec(p);
      const num = typeof pr.port === 'number' ? pr.port : Number(pr.port);
      if (!Number.isFinite(num)) continue;
      ports.push({
        number: num,
        name: str(pr.name),
        appProtocol: str(pr.appProtocol),
        protocol: str(pr.protocol) ?? 'TCP',
        targetPort: typeof pr.targetPort === 'number' || typeof pr.targetPort === 'string' ? pr.targetPort : undefined,
      });
    }
    const selector = labelMap(spec.selector);
    const info: ServiceInfo = {
      object: obj,
      name,
      namespace: ns,
      fqdn: `${name}.${ns}.svc.${this.settings.clusterDomain}`.toLowerCase(),
      type: str(spec.type) ?? 'ClusterIP',
      ports,
      selector: selector && Object.keys(selector).length > 0 ? selector : undefined,
      externalName: str(spec.externalName),
    };
    this.services.push(info);
    if (!this.servicesByFqdn.has(info.fqdn)) this.servicesByFqdn.set(info.fqdn, info);
  }

  private addWorkload(obj: KubeObject, kind: string, name: string, ns: string): void {
    let podMeta: { [key: string]: any };
    let podSpec: { [key: string]: any };
    if (kind === 'Pod') {
      podMeta = rec(obj.metadata);
      podSpec = rec(obj.spec);
    } else if (kind === 'CronJob') {
      const tpl = rec(rec(rec(rec(obj.spec).jobTemplate).spec).template);
      podMeta = rec(tpl.metadata);
      podSpec = rec(tpl.spec);
    } else {
      const tpl = rec(rec(obj.spec).template);
      podMeta = rec(tpl.metadata);
      podSpec = rec(tpl.spec);
    }
    const containers: ContainerInfo[] = [];
    const addContainers = (list: any, init: boolean) => {
      for (const c of arr(list)) {
        const cr = rec(c);
        const ports: ContainerPortInfo[] = [];
        for (const p of arr(cr.ports)) {
          const pr = rec(p);
          if (typeof pr.containerPort !== 'number') continue;
          ports.push({ containerPort: pr.containerPort, name: str(pr.name), protocol: str(pr.protocol) ?? 'TCP' });
        }
        containers.push({ name: str(cr.name) ?? '', image: str(cr.image), ports, securityContext: rec(cr.securityContext), init });
      }
    };
    addContainers(podSpec.containers, false);
    addContainers(podSpec.initContainers, true);
    const annotations = labelMap(podMeta.annotations) ?? {};
    const info: WorkloadInfo = {
      object: obj,
      kind,
      name,
      namespace: ns,
      labels: labelMap(podMeta.labels) ?? {},
      annotations,
      serviceAccountName: str(podSpec.serviceAccountName) || str(podSpec.serviceAccount) || 'default',
      containers,
      podSecurityContext: rec(podSpec.securityContext),
      isGateway: annotations['inject.istio.io/templates'] === 'gateway',
    };
    this.workloads.push(info);
    push(this.workloadsByNamespace, ns, info);
    for (const [k, v] of Object.entries(info.labels)) {
      push(this.workloadsByLabel, `\u0000${k}=${v}`, info); // any namespace
      push(this.workloadsByLabel, `${ns}\u0000${k}=${v}`, info);
    }
    this.namespacesWithWorkloads.add(ns);
  }

  private markGatewayWorkloads(): void {
    const seen = new Set<string>();
    for (const gw of this.gateways.values()) {
      const sel = labelMap(rec(gw.spec).selector);
      if (!sel || Object.keys(sel).length === 0) continue;
      const key = Object.entries(sel).map(([k, v]) => `${k}=${v}`).sort().join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const w of this.workloadsMatchingAnywhere(sel)) w.isGateway = true;
    }
    for (const w of this.workloads) if (w.isGateway) this.gatewayWorkloads.push(w);
  }
}

/** True when `host` (exact or wildcard) is covered by the (possibly wildcard) `pattern`. */
export function hostCoveredBy(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  if (p === h) return true;
  if (p.startsWith('*')) {
    const suffix = p.slice(1); // ".example.com"
    if (h.startsWith('*')) return h.slice(1).endsWith(suffix);
    return h.endsWith(suffix) && h.length > suffix.length;
  }
  return false;
}

/** True when two (possibly wildcard) hosts share at least one concrete name. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCoveredBy(a, b) || hostCoveredBy(b, a);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

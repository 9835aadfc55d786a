/**
 * Shared semantics for the scoping, security, workloads-and-namespaces and telemetry rules:
 * policy scopes (selector / namespace-wide / targetRefs), mesh membership and ambient mode,
 * PeerAuthentication resolution, AuthorizationPolicy matching and Service port protocols.
 *
 * Everything here is a pure function of the ObjectIndex (plus settings); nothing walks the construct tree.
 */
import { AnalyzerSettingsResolved, arr, KubeObject, labelMap, rec, str } from '../model';
import { ObjectIndex, ServiceInfo, ServicePortInfo, WorkloadInfo } from '../object-index';

export type Labels = { [key: string]: string };

export const LABEL_INJECTION = 'istio-injection';
export const LABEL_REV = 'istio.io/rev';
export const LABEL_DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';

/** metadata.labels as a string map ({} when absent). */
export function labelsOf(obj: KubeObject): Labels {
  return labelMap(rec(obj.metadata).labels) ?? {};
}

/** metadata.annotations as a string map ({} when absent). */
export function annotationsOf(obj: KubeObject): Labels {
  return labelMap(rec(obj.metadata).annotations) ?? {};
}

/** `Kind/namespace/name` of an object, for messages. */
export function ref(obj: KubeObject): string {
  return ObjectIndex.objectRef(obj);
}

/** Names of objects, sorted, for messages. */
export function names(objs: KubeObject[]): string {
  return objs.map((o) => `${ObjectIndex.namespaceOf(o)}/${ObjectIndex.nameOf(o)}`).sort().join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Policy scope
// ---------------------------------------------------------------------------------------------------------------

/** How an Istio policy chooses the workloads it applies to. */
export interface PolicyScope {
  /** `namespace`: no selector and no targetRefs (namespace-wide, mesh-wide in the root namespace). */
  readonly kind: 'namespace' | 'selector' | 'targetRefs';
  /** The selector labels (kind `selector`). */
  readonly labels?: Labels;
  /** `group/kind/name` of each target (kind `targetRefs`). */
  readonly targets?: string[];
}

/**
 * The scope of a Sidecar, EnvoyFilter (`workloadSelector.labels`), DestinationRule (`workloadSelector.matchLabels`)
 * or selector/targetRefs policy (`selector.matchLabels`, `targetRef`, `targetRefs`). An empty selector is
 * namespace-wide, as in Istio.
 */
export function policyScope(obj: KubeObject): PolicyScope {
  const spec = rec(obj.spec);
  const kind = str(obj.kind);
  let labels: Labels | undefined;
  if (kind === 'Sidecar' || kind === 'EnvoyFilter') {
    labels = labelMap(rec(spec.workloadSelector).labels);
  } else if (kind === 'DestinationRule') {
    labels = labelMap(rec(spec.workloadSelector).matchLabels);
  } else {
    labels = labelMap(rec(spec.selector).matchLabels);
  }
  const targets: string[] = [];
  for (const t of [...arr(spec.targetRefs), ...(spec.targetRef ? [spec.targetRef] : [])]) {
    const tr = rec(t);
    const name = str(tr.name);
    if (name) targets.push(`${str(tr.group) ?? ''}/${str(tr.kind) ?? ''}/${name}`);
  }
  if (targets.length > 0) return { kind: 'targetRefs', targets };
  if (labels && Object.keys(labels).length > 0) return { kind: 'selector', labels };
  return { kind: 'namespace' };
}

/** Canonical string of a label map (sorted key=value pairs). */
export function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

/** `k=v, k2=v2` for messages. */
export function showLabels(labels: Labels | undefined): string {
  return labels ? Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(', ') : '';
}

/** Objects grouped by effective namespace, in input order. */
export function byNamespace(objs: KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const o of objs) {
    const ns = ObjectIndex.namespaceOf(o);
    const list = out.get(ns);
    if (list) list.push(o);
    else out.set(ns, [o]);
  }
  return out;
}

/**
 * Input order, with `metadata.creationTimestamp` first when present (Istio resolves duplicates "oldest wins").
 */
export function oldestFirst(objs: KubeObject[]): KubeObject[] {
  return objs
    .map((o, i) => ({ o, i, t: str(rec(o.metadata).creationTimestamp) ?? '' }))
    .sort((a, b) => {
      if (a.t && b.t && a.t !== b.t) return a.t < b.t ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.o);
}

/** Options of `scopeConflicts`. */
export interface ScopeConflictOptions {
  /** Namespaces not to check at all. */
  readonly skipNamespace?: (ns: string) => boolean;
  /** Workloads that do not count for overlap (e.g. ambient pods for Sidecars). */
  readonly skipWorkload?: (w: WorkloadInfo) => boolean;
  /** Whether two objects targeting the same `targetRefs` target conflict. */
  readonly targetRefs?: boolean;
}

/**
 * Objects of one kind that conflict because they apply to the same scope: more than one namespace-wide object in a
 * namespace, several selector objects selecting one workload (in namespaces where the app defines workloads; in
 * other namespaces, identical selectors), or several objects with the same targetRefs target.
 * Returns, per conflicting object, the reasons (one line each).
 */
export function scopeConflicts(index: ObjectIndex, objs: KubeObject[], opts: ScopeConflictOptions = {}): Map<KubeObject, string[]> {
  const out = new Map<KubeObject, string[]>();
  const add = (o: KubeObject, reason: string) => {
    const list = out.get(o);
    if (!list) out.set(o, [reason]);
    else if (!list.includes(reason)) list.push(reason);
  };
  for (const [ns, list] of byNamespace(objs)) {
    if (opts.skipNamespace?.(ns)) continue;
    const nsWide: KubeObject[] = [];
    const selectors: Array<{ obj: KubeObject; labels: Labels }> = [];
    const targets = new Map<string, KubeObject[]>();
    for (const o of list) {
      const scope = policyScope(o);
      if (scope.kind === 'namespace') {
        nsWide.push(o);
      } else if (scope.kind === 'selector') {
        selectors.push({ obj: o, labels: scope.labels! });
      } else if (opts.targetRefs) {
        for (const t of new Set(scope.targets)) {
          const l = targets.get(t);
          if (l) l.push(o);
          else targets.set(t, [o]);
        }
      }
    }
    if (nsWide.length > 1) {
      for (const o of nsWide) add(o, `${nsWide.length} objects without a selector in namespace ${ns}: ${names(nsWide)}`);
    }
    if (selectors.length > 1) {
      if (index.namespacesWithWorkloads.has(ns)) {
        for (const w of index.workloadsByNamespace.get(ns) ?? []) {
          if (opts.skipWorkload?.(w)) continue;
          const hits = selectors.filter((s) => ObjectIndex.selectorMatches(s.labels, w.labels));
          if (hits.length < 2) continue;
          for (const h of hits) add(h.obj, `${names(hits.map((x) => x.obj))} all select ${w.kind}/${w.namespace}/${w.name}`);
        }
      } else {
        const groups = new Map<string, KubeObject[]>();
        for (const s of selectors) {
          const k = labelKey(s.labels);
          const l = groups.get(k);
          if (l) l.push(s.obj);
          else groups.set(k, [s.obj]);
        }
        for (const [k, g] of groups) {
          if (g.length < 2) continue;
          for (const o of g) add(o, `${names(g)} have the same selector (${k})`);
        }
      }
    }
    for (const [t, g] of targets) {
      if (g.length < 2) continue;
      for (const o of g) add(o, `${names(g)} all target ${t}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Mesh membership, injection and ambient mode
// ---------------------------------------------------------------------------------------------------------------

/** Labels of the app's Namespace object, undefined when the namespace is not owned. */
export function namespaceLabels(index: ObjectIndex, ns: string): Labels | undefined {
  const obj = index.namespaceObjects.get(ns);
  return obj ? labelsOf(obj) : undefined;
}

/** True when the namespace labels enable sidecar injection (`istio-injection=enabled` or `istio.io/rev`). */
export function labelsInjectSidecars(labels: Labels): boolean {
  if (labels[LABEL_INJECTION] !== undefined) return labels[LABEL_INJECTION] === 'enabled';
  return labels[LABEL_REV] !== undefined && labels[LABEL_REV] !== '';
}

/**
 * An owned namespace in ambient mode: `istio.io/dataplane-mode=ambient` and no sidecar injection label
 * (a sidecar label wins, as in istioctl's NamespaceInAmbientMode).
 */
export function isAmbientNamespace(index: ObjectIndex, ns: string): boolean {
  const labels = namespaceLabels(index, ns);
  if (!labels) return false;
  if (labels[LABEL_INJECTION] === 'enabled') return false;
  if (labels[LABEL_REV]) return false;
  return labels[LABEL_DATAPLANE_MODE] === 'ambient';
}

/** Pod label or annotation `sidecar.istio.io/inject` (label wins), lower-cased. */
export function podInjectValue(w: WorkloadInfo): string | undefined {
  const v = w.labels[SIDECAR_INJECT] ?? w.annotations[SIDECAR_INJECT];
  return v === undefined ? undefined : v.toLowerCase();
}

/** The pod template asks for a sidecar explicitly (`sidecar.istio.io/inject=true` label or a pod `istio.io/rev`). */
export function podRequestsSidecar(w: WorkloadInfo): boolean {
  return w.labels[SIDECAR_INJECT]?.toLowerCase() === 'true' || !!w.labels[LABEL_REV];
}

/** True when the workload's pods get an Envoy sidecar (unknown namespaces: assumed injected). */
export function hasSidecar(index: ObjectIndex, w: WorkloadInfo): boolean {
  if (w.containers.some((c) => c.name === 'istio-proxy')) return true;
  const inject = podInjectValue(w);
  if (inject === 'false') return false;
  if (podRequestsSidecar(w)) return true;
  if (w.labels[LABEL_DATAPLANE_MODE] === 'ambient') {
    const nsl = namespaceLabels(index, w.namespace);
    return nsl ? labelsInjectSidecars(nsl) : false;
  }
  const labels = namespaceLabels(index, w.namespace);
  if (!labels) return !isAmbientNamespace(index, w.namespace);
  if (isAmbientNamespace(index, w.namespace)) return false;
  return labelsInjectSidecars(labels) || inject === 'true';
}

/** True when the workload runs in ambient mode (pod label, or an ambient namespace without a sidecar or opt-out). */
export function isAmbientWorkload(index: ObjectIndex, w: WorkloadInfo): boolean {
  if (hasSidecar(index, w)) return false;
  const mode = w.labels[LABEL_DATAPLANE_MODE];
  if (mode === 'ambient') return true;
  if (mode === 'none') return false;
  return isAmbientNamespace(index, w.namespace);
}

/**
 * True when the workload is part of the mesh: it gets a sidecar or runs in ambient mode. In an owned namespace
 * without injection or ambient labels the default control plane injects nothing, so such workloads are outside the
 * mesh; in namespaces the app does not declare they are assumed injected unless they opt out.
 */
export function inMesh(index: ObjectIndex, w: WorkloadInfo): boolean {
  return hasSidecar(index, w) || isAmbientWorkload(index, w);
}

/** Waypoint deployments generated by istiod (label `gateway.istio.io/managed: istio.io-mesh-controller`). */
export function isWaypoint(w: WorkloadInfo): boolean {
  return labelsOf(w.object)['gateway.istio.io/managed'] === 'istio.io-mesh-controller'
    || w.labels['gateway.istio.io/managed'] === 'istio.io-mesh-controller';
}

/** Istio control-plane objects (istioctl's IsIstioControlPlane: an `istio` label or `release: istio`). */
export function isControlPlaneObject(obj: KubeObject): boolean {
  const labels = labelsOf(obj);
  return labels.istio !== undefined || labels.release === 'istio';
}

// ---------------------------------------------------------------------------------------------------------------
// PeerAuthentication
// ---------------------------------------------------------------------------------------------------------------

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE' | 'UNSET';

/** `spec.mtls.mode` (UNSET when absent). */
export function paMode(pa: KubeObject): MtlsMode {
  return normalizeMode(str(rec(rec(pa.spec).mtls).mode));
}

function normalizeMode(m: string | undefined): MtlsMode {
  const u = (m ?? '').toUpperCase();
  return u === 'STRICT' || u === 'PERMISSIVE' || u === 'DISABLE' ? u : 'UNSET';
}

/** `spec.portLevelMtls[port].mode` (UNSET when absent). */
export function paPortMode(pa: KubeObject, port: number): MtlsMode {
  const entry = rec(rec(rec(pa.spec).portLevelMtls)[String(port)]);
  return normalizeMode(str(entry.mode));
}

/**
 * The PeerAuthentication hierarchy of the app: mesh (root namespace, no selector), namespace (no selector) and
 * workload (selector, not in the root namespace, where Istio ignores it). Duplicates: the oldest wins.
 */
export class MtlsModel {
  private readonly meshPolicy?: KubeObject;
  private readonly namespacePolicy = new Map<string, KubeObject>();
  private readonly workloadPolicies = new Map<string, Array<{ pa: KubeObject; labels: Labels }>>();

  constructor(index: ObjectIndex, settings: AnalyzerSettingsResolved) {
    for (const pa of oldestFirst(index.security('PeerAuthentication'))) {
      const ns = ObjectIndex.namespaceOf(pa);
      const scope = policyScope(pa);
      if (scope.kind === 'selector') {
        if (ns === settings.rootNamespace) continue;
        const list = this.workloadPolicies.get(ns) ?? [];
        list.push({ pa, labels: scope.labels! });
        this.workloadPolicies.set(ns, list);
      } else if (scope.kind === 'namespace') {
        if (ns === settings.rootNamespace && !this.meshPolicy) this.meshPolicy = pa;
        if (!this.namespacePolicy.has(ns)) this.namespacePolicy.set(ns, pa);
      }
    }
  }

  /** Mode for workloads in `ns` without workload-level policies (namespace, then mesh, then PERMISSIVE). */
  public namespaceMode(ns: string): 'STRICT' | 'PERMISSIVE' | 'DISABLE' {
    const nsPa = this.namespacePolicy.get(ns);
    const nsMode = nsPa ? paMode(nsPa) : 'UNSET';
    if (nsMode !== 'UNSET') return nsMode;
    const meshMode = this.meshPolicy ? paMode(this.meshPolicy) : 'UNSET';
    return meshMode === 'UNSET' ? 'PERMISSIVE' : meshMode;
  }

  /** Effective server mode of a workload (pod labels in `ns`) on workload port `port` (undefined: the workload default). */
  public workloadMode(ns: string, labels: Labels, port?: number): 'STRICT' | 'PERMISSIVE' | 'DISABLE' {
    const wl = (this.workloadPolicies.get(ns) ?? []).find((p) => ObjectIndex.selectorMatches(p.labels, labels));
    if (wl) {
      if (port !== undefined) {
        const pm = paPortMode(wl.pa, port);
        if (pm !== 'UNSET') return pm;
      }
      const m = paMode(wl.pa);
      if (m !== 'UNSET') return m;
    }
    return this.namespaceMode(ns);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// AuthorizationPolicy
// ---------------------------------------------------------------------------------------------------------------

/** `spec.action` upper-cased, ALLOW when absent. */
export function authzAction(ap: KubeObject): string {
  return (str(rec(ap.spec).action) ?? 'ALLOW').toUpperCase();
}

/** `spec.rules` (non-object entries dropped). */
export function authzRules(ap: KubeObject): Array<{ [key: string]: any }> {
  return arr(rec(ap.spec).rules).map((r) => rec(r));
}

/** The `source` objects of a rule's `from` list. */
export function ruleSources(rule: { [key: string]: any }): Array<{ [key: string]: any }> {
  return arr(rule.from).map((f) => rec(rec(f).source));
}

/** The `operation` objects of a rule's `to` list. */
export function ruleOperations(rule: { [key: string]: any }): Array<{ [key: string]: any }> {
  return arr(rule.to).map((t) => rec(rec(t).operation));
}

/** The conditions of a rule's `when` list. */
export function ruleConditions(rule: { [key: string]: any }): Array<{ [key: string]: any }> {
  return arr(rule.when).map((c) => rec(c));
}

/** A list field as strings (non-strings dropped). */
export function strings(value: any): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

/**
 * True when an AuthorizationPolicy (or RequestAuthentication) applies to a workload: same namespace (no selector,
 * or a matching selector) or the root namespace (mesh-wide, or a matching selector). targetRefs policies never
 * apply to pods through this path.
 */
export function policyAppliesTo(policy: KubeObject, w: WorkloadInfo, settings: AnalyzerSettingsResolved): boolean {
  const ns = ObjectIndex.namespaceOf(policy);
  if (ns !== w.namespace && ns !== settings.rootNamespace) return false;
  const scope = policyScope(policy);
  if (scope.kind === 'targetRefs') return false;
  if (scope.kind === 'namespace') return true;
  return ObjectIndex.selectorMatches(scope.labels, w.labels);
}

// ---------------------------------------------------------------------------------------------------------------
// Services and ports
// ---------------------------------------------------------------------------------------------------------------

const KNOWN_PROTOCOLS: { [key: string]: string } = {
  'tcp': 'TCP',
  'udp': 'UDP',
  'grpc': 'GRPC',
  'grpc-web': 'GRPC-Web',
  'http': 'HTTP',
  'http_proxy': 'HTTP_PROXY',
  'http2': 'HTTP2',
  'https': 'HTTPS',
  'tls': 'TLS',
  'mongo': 'Mongo',
  'redis': 'Redis',
  'mysql': 'MySQL',
};

/** Ports Istio treats as TCP without a declared protocol (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/**
 * The protocol Istio derives for a Service port (as istio's ConvertProtocol): UDP/SCTP from `protocol`, else
 * `appProtocol` when set, else the port name prefix (`<proto>[-suffix]`). Undefined when nothing declares a
 * protocol Istio knows (it then sniffs the protocol, or treats the port as opaque TCP).
 */
export function istioProtocol(port: ServicePortInfo): string | undefined {
  const k8s = port.protocol.toUpperCase();
  if (k8s === 'UDP') return 'UDP';
  if (k8s === 'SCTP') return 'SCTP';
  let name = port.name ?? '';
  if (port.appProtocol !== undefined) {
    name = port.appProtocol;
    if (name === 'kubernetes.io/h2c') return 'HTTP2';
    if (name === 'kubernetes.io/ws') return 'HTTP';
    if (name === 'kubernetes.io/wss') return 'HTTPS';
  }
  if (name.toLowerCase().startsWith('grpc-web')) return 'GRPC-Web';
  const dash = name.indexOf('-');
  const prefix = (dash >= 0 ? name.slice(0, dash) : name).toLowerCase();
  const p = KNOWN_PROTOCOLS[prefix];
  if (p) return p;
  if (WELL_KNOWN_TCP_PORTS.has(port.number)) return 'TCP';
  return undefined;
}

/**
 * The workload port a Service port sends to: the numeric targetPort, a named targetPort resolved against the
 * workload's container ports (kept as the name when no container declares it), or the Service port number.
 */
export function resolveTargetPort(port: ServicePortInfo, w?: WorkloadInfo): number | string {
  const tp = port.targetPort;
  if (tp === undefined || tp === '' || tp === 0) return port.number;
  if (typeof tp === 'number') return tp;
  if (/^[0-9]+$/.test(tp)) return Number(tp);
  if (w) {
    for (const c of w.containers) {
      const cp = c.ports.find((p) => p.name === tp);
      if (cp) return cp.containerPort;
    }
  }
  return tp;
}

/**
 * The Services (with a selector) that select each workload, computed once through the index's label lookup
 * (workloads no Service selects are absent).
 */
export function servicesByWorkload(index: ObjectIndex): Map<WorkloadInfo, ServiceInfo[]> {
  const out = new Map<WorkloadInfo, ServiceInfo[]>();
  for (const svc of index.services) {
    if (!svc.selector) continue;
    for (const w of index.workloadsSelectedBy(svc.namespace, svc.selector)) {
      const l = out.get(w);
      if (l) l.push(svc);
      else out.set(w, [svc]);
    }
  }
  return out;
}

/**
 * The walk of the rules that compare the Services selecting one workload: calls `visit` for every workload of the
 * mesh (waypoints excluded) that Services select, with those Services and an `add(object, reason)` that records a
 * reason (once per object). Returns the reasons per object, objects and reasons in the order added.
 */
export function reasonsPerWorkloadServices(
  index: ObjectIndex,
  visit: (w: WorkloadInfo, svcs: ServiceInfo[], add: (o: KubeObject, reason: string) => void) => void,
): Map<KubeObject, Set<string>> {
  const reasons = new Map<KubeObject, Set<string>>();
  const add = (o: KubeObject, r: string) => {
    const s = reasons.get(o) ?? new Set<string>();
    s.add(r);
    reasons.set(o, s);
  };
  for (const [w, svcs] of servicesByWorkload(index)) {
    if (isWaypoint(w) || !inMesh(index, w)) continue;
    visit(w, svcs, add);
  }
  return reasons;
}

/** The workload port a Service port reaches (`resolveTargetPort`), with `/<protocol>` unless the transport is TCP. */
export function workloadPortKey(port: ServicePortInfo, w: WorkloadInfo): string {
  const transport = port.protocol.toUpperCase();
  return `${resolveTargetPort(port, w)}${transport === 'TCP' ? '' : `/${transport}`}`;
}

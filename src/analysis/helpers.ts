/**
 * Shared readers for Istio networking objects (VirtualService routes, gateway bindings, exportTo
 * scopes, service resolution). Pure functions over plain JSON; no rule logic here.
 */
import { arr, KubeObject, labelMap, rec, str } from './model';
import { ExportScope, ObjectIndex, ServiceInfo } from './object-index';

/** Istio's reserved gateway name for the sidecars of the mesh. */
export const MESH_GATEWAY = 'mesh';

/** One destination of a VirtualService route or mirror. */
export interface RouteDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly weight?: number;
  /** `http`, `tcp`, `tls` (route destinations) or `mirror` (http mirror/mirrors). */
  readonly section: 'http' | 'tcp' | 'tls' | 'mirror';
}

function destinationOf(d: any, section: RouteDestination['section'], weight?: any): RouteDestination | undefined {
  const dest = rec(d);
  const host = str(dest.host);
  if (!host) return undefined;
  const portNumber = rec(dest.port).number;
  return {
    host,
    subset: str(dest.subset) || undefined,
    port: typeof portNumber === 'number' ? portNumber : undefined,
    weight: typeof weight === 'number' ? weight : undefined,
    section,
  };
}

/** The route destinations of an http/tcp/tls route entry. */
export function routeEntryDestinations(route: any, section: 'http' | 'tcp' | 'tls'): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const r of arr(rec(route).route)) {
    const d = destinationOf(rec(r).destination, section, rec(r).weight);
    if (d) out.push(d);
  }
  return out;
}

/** Every destination of a VirtualService: http/tcp/tls route destinations, then http mirrors. */
export function vsDestinations(vs: KubeObject, includeMirrors = true): RouteDestination[] {
  const spec = rec(vs.spec);
  const out: RouteDestination[] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    for (const route of arr(spec[section])) out.push(...routeEntryDestinations(route, section));
  }
  if (includeMirrors) {
    for (const route of arr(spec.http)) {
      const r = rec(route);
      const m = destinationOf(r.mirror, 'mirror');
      if (m) out.push(m);
      for (const mm of arr(r.mirrors)) {
        const d = destinationOf(rec(mm).destination, 'mirror');
        if (d) out.push(d);
      }
    }
  }
  return out;
}

/** `spec.hosts` of a VirtualService (strings only). */
export function vsHosts(vs: KubeObject): string[] {
  return arr(rec(vs.spec).hosts).filter((h): h is string => typeof h === 'string' && h.length > 0);
}

/** Top-level `spec.gateways` (strings only). Empty means the VirtualService is bound to `mesh` only. */
export function vsGateways(vs: KubeObject): string[] {
  return arr(rec(vs.spec).gateways).filter((g): g is string => typeof g === 'string' && g.length > 0);
}

/** True when the VirtualService applies to sidecars: `gateways` omitted/empty or containing `mesh`. */
export function isMeshBound(vs: KubeObject): boolean {
  const gws = vsGateways(vs);
  return gws.length === 0 || gws.includes(MESH_GATEWAY);
}

/** Top-level gateways other than `mesh`. */
export function nonMeshGateways(vs: KubeObject): string[] {
  return vsGateways(vs).filter((g) => g !== MESH_GATEWAY);
}

/**
 * Resolves a gateway reference as Istio does: `ns/name`, `./name`, a short `name` (VirtualService
 * namespace) or the legacy `name.ns.svc.cluster.local` form.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): { namespace: string; name: string } | undefined {
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    if (!name) return undefined;
    return { namespace: ns === '.' || ns === '' ? vsNamespace : ns, name };
  }
  const dot = ref.indexOf('.');
  if (dot < 0) return { namespace: vsNamespace, name: ref };
  const rest = ref.slice(dot + 1);
  const next = rest.indexOf('.');
  return { namespace: next < 0 ? rest : rest.slice(0, next), name: ref.slice(0, dot) };
}

/** True when two export scopes share at least one namespace. */
export function scopesOverlap(a: ExportScope, b: ExportScope): boolean {
  const aEmpty = !a.all && a.namespaces.size === 0;
  const bEmpty = !b.all && b.namespaces.size === 0;
  if (aEmpty || bEmpty) return false;
  if (a.all || b.all) return true;
  for (const ns of a.namespaces) if (b.namespaces.has(ns)) return true;
  return false;
}

/** Human form of an export scope. */
export function describeScope(s: ExportScope): string {
  if (s.all) return 'all namespaces';
  if (s.namespaces.size === 0) return 'no namespace';
  return [...s.namespaces].sort().join(', ');
}

/** How a destination host resolves against the app's Services and ServiceEntries. */
export interface HostResolution {
  /**
   * `found`: a Service or ServiceEntry in the app declares it (visible to the referrer);
   * `not-exported`: declared, but not exported to the referrer's namespace;
   * `missing`: the app is authoritative for the host (owned namespace, or outside the cluster domain) and nothing declares it;
   * `unknown`: the host is in a namespace the app does not own (cannot be checked).
   */
  readonly status: 'found' | 'not-exported' | 'missing' | 'unknown';
  readonly service?: ServiceInfo;
  readonly serviceEntries: KubeObject[];
  /** Distinct port numbers of the declaring Service/ServiceEntries (in declaration order). */
  readonly ports: number[];
}

/**
 * Resolves an expanded (FQDN) host. With `fromNamespaces`, only Services/ServiceEntries exported to one of those
 * namespaces count as found.
 */
export function resolveHost(index: ObjectIndex, host: string, fromNamespaces?: string[]): HostResolution {
  const h = host.toLowerCase();
  if (h.startsWith('*')) return { status: 'unknown', serviceEntries: [], ports: [] };
  const visible = (o: KubeObject) => fromNamespaces === undefined || fromNamespaces.some((ns) => index.isVisibleTo(o, ns));
  const allEntries = index.serviceEntriesFor(h);
  const entries = allEntries.filter(visible);
  const svc = index.servicesByFqdn.get(h);
  const svcVisible = svc !== undefined && visible(svc.object);
  if (svcVisible || entries.length > 0) {
    const ports: number[] = [];
    const add = (n: any) => {
      if (typeof n === 'number' && !ports.includes(n)) ports.push(n);
    };
    if (svcVisible && svc) for (const p of svc.ports) add(p.number);
    for (const e of entries) for (const p of arr(rec(e.spec).ports)) add(rec(p).number);
    return { status: 'found', service: svcVisible ? svc : undefined, serviceEntries: entries, ports };
  }
  if (svc !== undefined || allEntries.length > 0) {
    return { status: 'not-exported', service: svc, serviceEntries: allEntries, ports: [] };
  }
  if (index.isClusterLocal(h)) {
    const parsed = index.parseServiceHost(h);
    if (parsed && index.isOwned(parsed.namespace)) return { status: 'missing', serviceEntries: [], ports: [] };
    return { status: 'unknown', serviceEntries: [], ports: [] };
  }
  return { status: 'missing', serviceEntries: [], ports: [] };
}

/** Formats a list for messages: `a`, `a and b`, `a, b and c`. */
export function listText(items: string[]): string {
  const uniq = [...new Set(items)];
  if (uniq.length <= 1) return uniq.join('');
  return `${uniq.slice(0, -1).join(', ')} and ${uniq[uniq.length - 1]}`;
}

/** Quotes a value for messages. */
export function q(value: string): string {
  return `'${value}'`;
}

/**
 * The namespaces whose proxies may apply a VirtualService's routes, for exportTo visibility: its own namespace, the
 * namespaces of the Gateways it binds to, and the namespaces of the app's workloads those Gateways select.
 */
export function vsProxyNamespaces(index: ObjectIndex, vs: KubeObject): string[] {
  const ns = index.namespaceOf(vs);
  const out = new Set<string>([ns]);
  for (const ref of nonMeshGateways(vs)) {
    const r = resolveGatewayRef(ref, ns);
    if (!r) continue;
    out.add(r.namespace);
    const gw = index.gateways.get(`${r.namespace}/${r.name}`);
    const sel = gw ? labelMap(rec(gw.spec).selector) : undefined;
    if (sel && Object.keys(sel).length > 0) for (const w of index.workloadsMatchingAnywhere(sel)) out.add(w.namespace);
  }
  return [...out];
}

/** A VirtualService destination with its host expanded and resolved from the namespaces the VirtualService applies in. */
export interface ResolvedDestination {
  readonly destination: RouteDestination;
  /** The destination host, expanded to an FQDN against the VirtualService's namespace. */
  readonly host: string;
  readonly resolution: HostResolution;
}

/** Every destination (mirrors included) of a VirtualService, each resolved once. */
export function resolvedVsDestinations(index: ObjectIndex, vs: KubeObject): ResolvedDestination[] {
  const ns = index.namespaceOf(vs);
  const proxies = vsProxyNamespaces(index, vs);
  return vsDestinations(vs).map(destination => {
    const host = index.expandHost(destination.host, ns);
    return { destination, host, resolution: resolveHost(index, host, proxies) };
  });
}

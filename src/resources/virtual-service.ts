import { ApiObjectMetadata, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/networking.istio.io';
import { fail, show } from '../private/errors';
import { checkDnsLabel, checkDuration, checkInteger, checkLabels, checkPort, renderMillis, uniqSorted } from '../private/validate';
import { HttpMatch, MatchKind } from '../values/http-match';
import { RetryPolicy } from '../values/retry-policy';
import {
  addSizeValidation, canonical, checkArray, checkHeaderName, checkHeaderValue, checkHostName, checkIpOrCidr, checkNoOverlap,
  checkPercentage, checkStrings, copyData, ExportToList, hostCovers, HTTP_METHODS, namespaceOf, resolveMetadata,
} from './private/common';

/** The reserved gateway name that binds a VirtualService to every sidecar of the mesh. */
const MESH = 'mesh';
const JWT_CLAIM = '@request.auth.claims.';
/** Percentages of mirroring and fault injection: Envoy's fractional percent has a resolution of one in a million. */
const PERCENT_DECIMALS = 4;

/** A destination of a route: a host, optionally a subset and a port, and its share of the traffic. */
export interface RouteDestination {
  /** Fully qualified host name of a Kubernetes Service or ServiceEntry, e.g. `reviews.shop.svc.cluster.local`. */
  readonly host: string;

  /**
   * A subset of the host defined in its DestinationRule (a DNS-1123 label).
   *
   * @default - every endpoint of the host
   */
  readonly subset?: string;

  /**
   * Port of the host. Required by Istio when the destination service exposes several ports.
   *
   * @default - the only port of the destination service
   */
  readonly port?: number;

  /**
   * Percentage of the route's traffic, an integer from 0 to 100. Required on every destination of a route with two
   * or more destinations, where the weights must sum to exactly 100. A single destination always receives all of
   * the traffic and is rendered without a weight. Not allowed on a mirror.
   *
   * @default - 100 (single destination only)
   */
  readonly weight?: number;
}

/** The conditions of one HTTP route match; all given conditions must hold. */
export interface HttpRouteMatch {
  /**
   * The URI path.
   *
   * @default - any path
   */
  readonly uri?: HttpMatch;

  /**
   * Request headers (lower-case names). `@request.auth.claims.<claim>` matches a JWT claim (gateway-bound routes only).
   *
   * @default - no header condition
   */
  readonly headers?: { [name: string]: HttpMatch };

  /**
   * Headers that must not match.
   *
   * @default - no condition
   */
  readonly withoutHeaders?: { [name: string]: HttpMatch };

  /**
   * Query parameters (`HttpMatch.exact()` or `HttpMatch.regex()`; Istio has no prefix match for them).
   *
   * @default - no query parameter condition
   */
  readonly queryParams?: { [name: string]: HttpMatch };

  /**
   * HTTP method, one of GET HEAD POST PUT DELETE PATCH OPTIONS CONNECT TRACE.
   *
   * @default - any method
   */
  readonly method?: string;

  /**
   * Restricts the match to traffic arriving through these gateways (each must be one of the VirtualService's gateways).
   *
   * @default - every gateway of the VirtualService
   */
  readonly gateways?: string[];

  /**
   * Port the request was addressed to.
   *
   * @default - any port
   */
  readonly port?: number;
}

/** Fault injection on an HTTP route (testing only; requires `allowFaultInjection: true` on the route). */
export interface FaultInjection {
  /**
   * Fixed delay added before forwarding.
   *
   * @default - no delay
   */
  readonly delay?: Duration;

  /**
   * Percentage of requests delayed, 0–100 with at most 4 decimal places.
   *
   * @default 100 (when `delay` is set)
   */
  readonly delayPercentage?: number;

  /**
   * HTTP status returned instead of forwarding (200–599).
   *
   * @default - no abort
   */
  readonly abortHttpStatus?: number;

  /**
   * Percentage of requests aborted, 0–100 with at most 4 decimal places.
   *
   * @default 100 (when `abortHttpStatus` is set)
   */
  readonly abortPercentage?: number;
}

/** An HTTP redirect answered by the proxy instead of forwarding. */
export interface HttpRedirect {
  /**
   * Replaces the path (must start with '/').
   *
   * @default - the request path
   */
  readonly uri?: string;

  /**
   * Replaces the authority (host).
   *
   * @default - the request authority
   */
  readonly authority?: string;

  /**
   * Replaces the port.
   *
   * @default - the request port (or the scheme's default when the scheme changes)
   */
  readonly port?: number;

  /**
   * Replaces the scheme ('http' or 'https').
   *
   * @default - the request scheme
   */
  readonly scheme?: string;

  /**
   * Status code: 301, 302, 303, 307 or 308.
   *
   * @default 301
   */
  readonly redirectCode?: number;
}

/** A CORS policy of an HTTP route. */
export interface CorsPolicy {
  /** Allowed origins (exact, prefix or regex match on the Origin header, e.g. `HttpMatch.exact('https://shop.example.com')`). */
  readonly allowOrigins: HttpMatch[];

  /**
   * Allowed methods.
   *
   * @default - Envoy's default (the method of the request)
   */
  readonly allowMethods?: string[];

  /**
   * Allowed request headers.
   *
   * @default - none beyond the CORS-safelisted headers
   */
  readonly allowHeaders?: string[];

  /**
   * Response headers the browser may read.
   *
   * @default - only the CORS-safelisted response headers
   */
  readonly exposeHeaders?: string[];

  /**
   * How long the browser may cache the preflight result.
   *
   * @default - not set (the browser's default)
   */
  readonly maxAge?: Duration;

  /**
   * Whether credentials (cookies, authorization headers) may be sent.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;
}

/** Header changes of one direction (request or response). */
export interface HeaderManipulation {
  /**
   * Headers to set (overwriting).
   *
   * @default - none
   */
  readonly set?: { [name: string]: string };

  /**
   * Headers to append.
   *
   * @default - none
   */
  readonly add?: { [name: string]: string };

  /**
   * Headers to remove.
   *
   * @default - none
   */
  readonly remove?: string[];
}

/** Header changes of an HTTP route. */
export interface HeaderOperations {
  /**
   * Changes to the request before forwarding.
   *
   * @default - no change
   */
  readonly request?: HeaderManipulation;

  /**
   * Changes to the response before returning it.
   *
   * @default - no change
   */
  readonly response?: HeaderManipulation;
}

/** One HTTP route of a VirtualService. */
export interface HttpRouteOptions {
  /**
   * Name of the route (appears in access logs and metrics); unique within the VirtualService.
   *
   * @default - unnamed
   */
  readonly name?: string;

  /**
   * Match conditions; the route applies when any of them matches. A route without matches catches every request and
   * must be the last HTTP route.
   *
   * @default - catch-all
   */
  readonly matches?: HttpRouteMatch[];

  /**
   * Where the traffic goes. Empty only for a redirect route.
   */
  readonly destinations: RouteDestination[];

  /**
   * Route timeout (the whole request, including retries). Not rendered on redirect routes.
   *
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;

  /**
   * Retries. Rendered with `attempts`, an explicit `perTryTimeout` (the route timeout divided by attempts + 1 unless
   * given) and `retryOn`. Not rendered on redirect routes.
   *
   * @default RetryPolicy.recommended()
   */
  readonly retries?: RetryPolicy;

  /**
   * Copies the traffic to this destination (fire and forget). Must differ from every primary destination.
   *
   * @default - no mirroring
   */
  readonly mirror?: RouteDestination;

  /**
   * Percentage of the traffic mirrored, 0–100 with at most 4 decimal places (Envoy's resolution is one in a million).
   *
   * @default 100 (when `mirror` is set)
   */
  readonly mirrorPercentage?: number;

  /**
   * Fault injection. Requires `allowFaultInjection: true`.
   *
   * @default - no fault injection
   */
  readonly fault?: FaultInjection;

  /**
   * Confirms that `fault` is meant to inject errors or delays into the traffic of this route.
   *
   * @default false
   */
  readonly allowFaultInjection?: boolean;

  /**
   * Rewrites the path (or the matched prefix, for a prefix match) before forwarding.
   *
   * @default - no rewrite
   */
  readonly rewriteUri?: string;

  /**
   * Answers with a redirect instead of forwarding (then `destinations` must be empty).
   *
   * @default - no redirect
   */
  readonly redirect?: HttpRedirect;

  /**
   * CORS policy.
   *
   * @default - no CORS handling
   */
  readonly corsPolicy?: CorsPolicy;

  /**
   * Request and response header changes.
   *
   * @default - no header changes
   */
  readonly headers?: HeaderOperations;
}

/** The conditions of one TCP route match. */
export interface TcpRouteMatch {
  /**
   * Destination port.
   *
   * @default - any port
   */
  readonly port?: number;

  /**
   * Destination IP addresses or CIDR blocks.
   *
   * @default - any destination address
   */
  readonly destinationSubnets?: string[];

  /**
   * Labels of the calling workloads.
   *
   * @default - any caller
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Restricts the match to these gateways (each must be one of the VirtualService's gateways).
   *
   * @default - every gateway of the VirtualService
   */
  readonly gateways?: string[];
}

/** One TCP route of a VirtualService. */
export interface TcpRouteOptions {
  /**
   * Match conditions. A route without matches catches all traffic and must be the last TCP route.
   *
   * @default - catch-all
   */
  readonly matches?: TcpRouteMatch[];

  /** Where the traffic goes. */
  readonly destinations: RouteDestination[];
}

/** The conditions of one TLS (SNI) route match. */
export interface TlsRouteMatch {
  /** SNI names to match; each must be covered by one of the VirtualService's hosts. */
  readonly sniHosts: string[];

  /**
   * Destination port.
   *
   * @default - any port
   */
  readonly port?: number;

  /**
   * Destination IP addresses or CIDR blocks.
   *
   * @default - any destination address
   */
  readonly destinationSubnets?: string[];

  /**
   * Restricts the match to these gateways (each must be one of the VirtualService's gateways).
   *
   * @default - every gateway of the VirtualService
   */
  readonly gateways?: string[];
}

/** One TLS route of a VirtualService (routing of TLS connections by SNI without terminating them). */
export interface TlsRouteOptions {
  /** Match conditions (at least one). */
  readonly matches: TlsRouteMatch[];

  /** Where the traffic goes. */
  readonly destinations: RouteDestination[];
}

/** Props of a `VirtualService`. */
export interface VirtualServiceProps {
  /**
   * Metadata of the VirtualService object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * The hosts whose traffic the VirtualService routes: fully qualified names. `*.example.com` and `*` are accepted
   * only on a gateway-only VirtualService (not bound to `mesh`). Duplicates and overlaps are rejected.
   */
  readonly hosts: string[];

  /**
   * Gateways the routes apply to: `mesh` (every sidecar) or `<namespace>/<gateway name>`. `addGateway()` adds to this list.
   *
   * @default ['mesh']
   */
  readonly gateways?: string[];

  /**
   * Namespaces the VirtualService is visible to ('.' is its own namespace, '*' every namespace).
   *
   * @default ['.']
   */
  readonly exportTo?: string[];

  /**
   * HTTP routes, in evaluation order (the first match wins).
   *
   * @default - none; add them with `addHttpRoute()`
   */
  readonly httpRoutes?: HttpRouteOptions[];

  /**
   * TCP routes, in evaluation order.
   *
   * @default - none; add them with `addTcpRoute()`
   */
  readonly tcpRoutes?: TcpRouteOptions[];

  /**
   * TLS (SNI) routes, in evaluation order.
   *
   * @default - none; add them with `addTlsRoute()`
   */
  readonly tlsRoutes?: TlsRouteOptions[];
}

/** A checked HTTP route with its defaults resolved. */
interface HttpRoute {
  readonly options: HttpRouteOptions;
  readonly timeoutMs?: number;
  readonly retries?: RetryPolicy;
  readonly matchKeys: string[];
  readonly jwtMatches: number[];
}

interface L4Route<T> {
  readonly options: T;
  readonly matchKeys: string[];
}

/**
 * An Istio VirtualService: ordered HTTP, TCP and TLS routes for a set of hosts, with explicit timeouts and retries.
 *
 * Routes added after construction (`addHttpRoute()`) count; the object is rendered at synth.
 */
export class VirtualService extends Construct {
  /** The Kubernetes name of the VirtualService. */
  public readonly name: string;

  private readonly _hosts: string[];
  private readonly _gateways: string[];
  private readonly _exportTo: ExportToList;
  private readonly _http: HttpRoute[] = [];
  private readonly _tcp: Array<L4Route<TcpRouteOptions>> = [];
  private readonly _tls: Array<L4Route<TlsRouteOptions>> = [];

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;

    checkArray(this, 'hosts', props.hosts, { nonEmpty: true });
    props.hosts.forEach((h, i) => checkHostName(this, `hosts[${i}]`, h, { wildcard: true, star: true }));
    checkNoOverlap(this, 'hosts', props.hosts);
    this._hosts = [...props.hosts];

    const gateways = checkArray(this, 'gateways', props.gateways ?? [MESH], { nonEmpty: true });
    gateways.forEach((g, i) => checkGatewayRef(this, `gateways[${i}]`, g));
    checkStrings(this, 'gateways', gateways);
    this._gateways = [...gateways];
    this.checkHostsForMesh('gateways');

    this._exportTo = new ExportToList(this, namespaceOf(this, props.metadata), props.exportTo);

    for (const r of checkArray(this, 'httpRoutes', props.httpRoutes ?? [])) this.addHttpRoute(r);
    for (const r of checkArray(this, 'tcpRoutes', props.tcpRoutes ?? [])) this.addTcpRoute(r);
    for (const r of checkArray(this, 'tlsRoutes', props.tlsRoutes ?? [])) this.addTlsRoute(r);

    const resource = new k8s.VirtualService(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);

    this.node.addValidation({ validate: () => this.validateLate() });
  }

  /** The hosts (copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The gateways, sorted (copy). */
  public get gateways(): string[] {
    return uniqSorted(this._gateways);
  }

  /** The namespaces the VirtualService is exported to, sorted (copy). */
  public get exportTo(): string[] {
    return this._exportTo.list;
  }

  /** Appends an HTTP route (after the existing ones: the first match wins). */
  public addHttpRoute(route: HttpRouteOptions): void {
    const prop = `httpRoutes[${this._http.length}]`;
    this._http.push(this.checkHttpRoute(prop, route));
  }

  /** Appends a TCP route. */
  public addTcpRoute(route: TcpRouteOptions): void {
    const prop = `tcpRoutes[${this._tcp.length}]`;
    if (route === null || typeof route !== 'object') fail(this, `${prop} must be a TcpRouteOptions struct, got ${show(route)}`);
    const matches = route.matches === undefined ? undefined : checkArray(this, `${prop}.matches`, route.matches);
    const matchKeys = (matches ?? []).map((m, i) => {
      const mp = `${prop}.matches[${i}]`;
      if (m === null || typeof m !== 'object' || Object.values(m).every(v => v === undefined)) {
        fail(this, `${mp} sets no condition; omit matches for a catch-all route`);
      }
      this.checkL4Match(mp, m);
      if (m.sourceLabels !== undefined) checkLabels(this, `${mp}.sourceLabels`, m.sourceLabels, { nonEmpty: true });
      return canonical(renderTcpMatch(m));
    });
    checkUnreachable(this, 'tcpRoutes', this._tcp.map(r => r.matchKeys), this._tcp.length, matchKeys);
    checkDestinations(this, `${prop}.destinations`, route.destinations);
    this._tcp.push({ options: copyData(route), matchKeys });
  }

  /** Appends a TLS (SNI) route. */
  public addTlsRoute(route: TlsRouteOptions): void {
    const prop = `tlsRoutes[${this._tls.length}]`;
    if (route === null || typeof route !== 'object') fail(this, `${prop} must be a TlsRouteOptions struct, got ${show(route)}`);
    checkArray(this, `${prop}.matches`, route.matches, { nonEmpty: true });
    const matchKeys = route.matches.map((m, i) => {
      const mp = `${prop}.matches[${i}]`;
      checkStrings(this, `${mp}.sniHosts`, m?.sniHosts, { nonEmpty: true }).forEach((h, j) => {
        checkHostName(this, `${mp}.sniHosts[${j}]`, h, { wildcard: true });
        if (!this._hosts.some(vh => hostCovers(vh, h))) {
          fail(this, `${mp}.sniHosts[${j}] ${show(h)} is not covered by any of the hosts ${show(this._hosts)}; Istio rejects it`);
        }
      });
      this.checkL4Match(mp, m);
      return canonical(renderTlsMatch(m));
    });
    checkUnreachable(this, 'tlsRoutes', this._tls.map(r => r.matchKeys), this._tls.length, matchKeys);
    checkDestinations(this, `${prop}.destinations`, route.destinations);
    this._tls.push({ options: copyData(route), matchKeys });
  }

  /**
   * Binds the VirtualService to one more gateway (`mesh` or `<namespace>/<name>`). Adding one that is already bound
   * does nothing.
   */
  public addGateway(ref: string): void {
    checkGatewayRef(this, 'addGateway()', ref);
    if (this._gateways.includes(ref)) return;
    this._gateways.push(ref);
    this.checkHostsForMesh('addGateway()');
    this._http.forEach((r, i) => this.checkJwtRoute(`httpRoutes[${i}]`, r));
  }

  /** Makes the VirtualService visible to one more namespace. Idempotent. */
  public addExportTo(namespace: string): void {
    this._exportTo.add('addExportTo()', namespace);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.VirtualServiceSpec {
    return {
      hosts: uniqSorted(this._hosts),
      gateways: this.gateways,
      exportTo: this._exportTo.list,
      http: this._http.length > 0 ? this._http.map(r => renderHttpRoute(r)) : undefined,
      tcp: this._tcp.length > 0 ? this._tcp.map(r => ({
        match: r.options.matches && r.options.matches.length > 0 ? r.options.matches.map(renderTcpMatch) : undefined,
        route: renderDestinations(r.options.destinations),
      })) : undefined,
      tls: this._tls.length > 0 ? this._tls.map(r => ({
        match: r.options.matches.map(renderTlsMatch),
        route: renderDestinations(r.options.destinations),
      })) : undefined,
    };
  }

  private get meshBound(): boolean {
    return this._gateways.includes(MESH);
  }

  private checkHostsForMesh(prop: string): void {
    if (!this.meshBound) return;
    this._hosts.forEach((h, i) => {
      if (h === '*') {
        fail(this, `hosts[${i}] "*" is not allowed on a VirtualService bound to the mesh gateway (it would capture the traffic of every service); ${prop} includes "mesh"`);
      }
      if (h.startsWith('*.')) {
        fail(this, `hosts[${i}] ${show(h)}: wildcard hosts are allowed only on a gateway-only VirtualService (gateways without "mesh"); ${prop} includes "mesh"`);
      }
    });
  }

  /** The conditions TCP and TLS matches share: port, destination subnets, gateways. */
  private checkL4Match(prop: string, m: { port?: number; destinationSubnets?: string[]; gateways?: string[] }): void {
    if (m.port !== undefined) checkPort(this, `${prop}.port`, m.port);
    if (m.destinationSubnets !== undefined) {
      checkStrings(this, `${prop}.destinationSubnets`, m.destinationSubnets, { nonEmpty: true })
        .forEach((s, j) => checkIpOrCidr(this, `${prop}.destinationSubnets[${j}]`, s));
    }
    if (m.gateways !== undefined) this.checkMatchGateways(`${prop}.gateways`, m.gateways);
  }

  private checkMatchGateways(prop: string, gateways: string[]): void {
    checkStrings(this, prop, gateways, { nonEmpty: true }).forEach((g, i) => checkGatewayRef(this, `${prop}[${i}]`, g));
  }

  private checkHttpRoute(prop: string, route: HttpRouteOptions): HttpRoute {
    if (route === null || typeof route !== 'object') fail(this, `${prop} must be an HttpRouteOptions struct, got ${show(route)}`);
    if (route.name !== undefined) {
      if (typeof route.name !== 'string' || route.name.trim().length === 0) fail(this, `${prop}.name must be a non-empty string, got ${show(route.name)}`);
      const other = this._http.findIndex(r => r.options.name === route.name);
      if (other >= 0) fail(this, `${prop}.name ${show(route.name)} is already used by httpRoutes[${other}]; route names must be unique`);
    }

    // Matches and reachability.
    const matches = route.matches === undefined ? undefined : checkArray(this, `${prop}.matches`, route.matches);
    const jwtMatches: number[] = [];
    const matchKeys = (matches ?? []).map((m, i) => {
      const mp = `${prop}.matches[${i}]`;
      this.checkHttpMatch(mp, m);
      const names = [...Object.keys(m.headers ?? {}), ...Object.keys(m.withoutHeaders ?? {})];
      if (names.some(n => n.startsWith(JWT_CLAIM))) jwtMatches.push(i);
      return canonical(renderHttpMatch(m));
    });
    checkUnreachable(this, 'httpRoutes', this._http.map(r => r.matchKeys), this._http.length, matchKeys);

    // Destinations, or a redirect.
    checkArray(this, `${prop}.destinations`, route.destinations);
    let timeoutMs: number | undefined;
    let retries: RetryPolicy | undefined;
    if (route.redirect !== undefined) {
      if (route.destinations.length > 0) fail(this, `${prop} sets both redirect and destinations; a route either redirects or forwards`);
      const forwarding = { timeout: route.timeout, retries: route.retries, mirror: route.mirror, fault: route.fault, rewriteUri: route.rewriteUri };
      for (const [k, v] of Object.entries(forwarding)) {
        if (v !== undefined) fail(this, `${prop}.${k} cannot be combined with redirect (the proxy answers the redirect itself)`);
      }
      checkRedirect(this, `${prop}.redirect`, route.redirect);
    } else {
      if (route.destinations.length === 0) fail(this, `${prop}.destinations must list at least one destination (or set redirect)`);
      checkDestinations(this, `${prop}.destinations`, route.destinations);
      timeoutMs = checkDuration(this, `${prop}.timeout`, route.timeout ?? Duration.seconds(15));
      retries = route.retries ?? RetryPolicy.recommended();
      if (!(retries instanceof RetryPolicy)) fail(this, `${prop}.retries must be a RetryPolicy (e.g. RetryPolicy.of({ attempts: 2 })), got ${show(retries)}`);
      retries._validate(this, `${prop}.retries`, timeoutMs);
    }

    // Mirror.
    if (route.mirror !== undefined) {
      checkDestination(this, `${prop}.mirror`, route.mirror);
      if (route.mirror.weight !== undefined) fail(this, `${prop}.mirror.weight is not allowed; use mirrorPercentage`);
      const same = route.destinations.findIndex(d => d.host === route.mirror!.host && d.subset === route.mirror!.subset);
      if (same >= 0) {
        fail(this, `${prop}.mirror ${show(route.mirror.host)}${route.mirror.subset ? ` subset ${show(route.mirror.subset)}` : ''} is also destinations[${same}]; mirroring a destination to itself doubles its load`);
      }
    }
    if (route.mirrorPercentage !== undefined) {
      if (route.mirror === undefined) fail(this, `${prop}.mirrorPercentage is set without mirror`);
      checkPercentage(this, `${prop}.mirrorPercentage`, route.mirrorPercentage, PERCENT_DECIMALS);
    }

    // Fault injection.
    if (route.fault !== undefined) {
      if (route.allowFaultInjection !== true) {
        fail(this, `${prop}.fault injects delays or errors into real traffic; set allowFaultInjection: true on the route to confirm`);
      }
      checkFault(this, `${prop}.fault`, route.fault);
    }

    if (route.rewriteUri !== undefined) {
      if (typeof route.rewriteUri !== 'string' || !route.rewriteUri.startsWith('/') || /[\s?#]/.test(route.rewriteUri)) {
        fail(this, `${prop}.rewriteUri must be a path starting with '/' (no whitespace, query or fragment), got ${show(route.rewriteUri)}`);
      }
    }
    if (route.corsPolicy !== undefined) checkCors(this, `${prop}.corsPolicy`, route.corsPolicy);
    if (route.headers !== undefined) checkHeaderOperations(this, `${prop}.headers`, route.headers);

    const checked: HttpRoute = { options: copyRoute(route), timeoutMs, retries, matchKeys, jwtMatches };
    this.checkJwtRoute(prop, checked);
    return checked;
  }

  private checkHttpMatch(prop: string, m: HttpRouteMatch): void {
    if (m === null || typeof m !== 'object' || Object.values(m).every(v => v === undefined)) {
      fail(this, `${prop} sets no condition; omit matches for a catch-all route`);
    }
    if (m.uri !== undefined) {
      if (!(m.uri instanceof HttpMatch)) fail(this, `${prop}.uri must be an HttpMatch (e.g. HttpMatch.prefix('/api')), got ${show(m.uri)}`);
      m.uri._validatePath(this, `${prop}.uri`, { allowRegex: true });
    }
    for (const [field, map] of [['headers', m.headers], ['withoutHeaders', m.withoutHeaders]] as const) {
      if (map === undefined) continue;
      const entries = Object.entries(map);
      if (entries.length === 0) fail(this, `${prop}.${field} must not be an empty map; omit it`);
      for (const [name, match] of entries) {
        if (name.startsWith(JWT_CLAIM)) {
          if (name.length === JWT_CLAIM.length || /\s/.test(name)) fail(this, `${prop}.${field} key ${show(name)} must name a claim after "${JWT_CLAIM}"`);
        } else {
          checkHeaderName(this, `${prop}.${field} key`, name);
          if (name !== name.toLowerCase()) fail(this, `${prop}.${field} key must be lower case (HTTP/2 header names are), got ${show(name)}`);
        }
        checkStringMatch(this, `${prop}.${field}[${name}]`, match);
      }
    }
    if (m.queryParams !== undefined) {
      const entries = Object.entries(m.queryParams);
      if (entries.length === 0) fail(this, `${prop}.queryParams must not be an empty map; omit it`);
      for (const [name, match] of entries) {
        if (name.length === 0 || /[\s&=#]/.test(name)) fail(this, `${prop}.queryParams key must be a query parameter name, got ${show(name)}`);
        checkStringMatch(this, `${prop}.queryParams[${name}]`, match);
        if (match.kind === MatchKind.PREFIX) fail(this, `${prop}.queryParams[${name}] must be HttpMatch.exact() or HttpMatch.regex(); Istio has no prefix match for query parameters`);
      }
    }
    if (m.method !== undefined && !HTTP_METHODS.includes(m.method)) {
      fail(this, `${prop}.method must be one of ${HTTP_METHODS.join(' ')}, got ${show(m.method)}`);
    }
    if (m.gateways !== undefined) this.checkMatchGateways(`${prop}.gateways`, m.gateways);
    if (m.port !== undefined) checkPort(this, `${prop}.port`, m.port);
  }

  /** JWT-claim matches are only supported on gateways (Istio rejects them on mesh-bound routes). */
  private checkJwtRoute(prop: string, route: HttpRoute): void {
    for (const i of route.jwtMatches) {
      const gateways = route.options.matches![i].gateways ?? this._gateways;
      if (gateways.includes(MESH)) {
        fail(this, `${prop}.matches[${i}] matches a JWT claim (${JWT_CLAIM}…), which Istio supports only on gateways, but the match applies to the mesh gateway; bind the VirtualService (or matches[${i}].gateways) to ingress gateways only`);
      }
    }
  }

  private validateLate(): string[] {
    const errors: string[] = [];
    if (this._http.length + this._tcp.length + this._tls.length === 0) {
      errors.push('VirtualService has no routes: add at least one with addHttpRoute(), addTcpRoute() or addTlsRoute() (Istio rejects a VirtualService without routes)');
    }
    const check = (prop: string, matches: Array<{ gateways?: string[] }> | undefined) => (matches ?? []).forEach((m, i) => {
      (m.gateways ?? []).forEach((g, j) => {
        if (!this._gateways.includes(g)) {
          errors.push(`${prop}.matches[${i}].gateways[${j}] ${show(g)} is not one of the VirtualService's gateways ${show(this.gateways)}, so the match never applies`);
        }
      });
    });
    this._http.forEach((r, i) => check(`httpRoutes[${i}]`, r.options.matches));
    this._tcp.forEach((r, i) => check(`tcpRoutes[${i}]`, r.options.matches));
    this._tls.forEach((r, i) => check(`tlsRoutes[${i}]`, r.options.matches));
    return errors;
  }
}

/** `mesh` or `<namespace>/<name>`, both DNS-1123 labels. */
function checkGatewayRef(scope: IConstruct, prop: string, ref: string): void {
  if (ref === MESH) return;
  if (typeof ref !== 'string') fail(scope, `${prop} must be "mesh" or "<namespace>/<gateway name>", got ${show(ref)}`);
  const parts = ref.split('/');
  if (parts.length === 1) {
    fail(scope, `${prop} must be "mesh" or "<namespace>/<gateway name>", got ${show(ref)}; an unqualified name resolves against the VirtualService's namespace, so write e.g. "istio-system/${ref}"`);
  }
  if (parts.length !== 2) fail(scope, `${prop} must be "mesh" or "<namespace>/<gateway name>", got ${show(ref)}`);
  checkDnsLabel(scope, `${prop} namespace`, parts[0]);
  checkDnsLabel(scope, `${prop} gateway name`, parts[1]);
}

/** Checks a header, query or origin match (not a path). */
function checkStringMatch(scope: IConstruct, prop: string, m: HttpMatch): void {
  if (!(m instanceof HttpMatch)) fail(scope, `${prop} must be an HttpMatch (e.g. HttpMatch.exact('v2')), got ${show(m)}`);
  if (m.kind === MatchKind.REGEX) {
    m._validatePath(scope, prop, { allowRegex: true });
    return;
  }
  if (typeof m.value !== 'string' || m.value.length === 0) fail(scope, `${prop} ${m.kind} match must not be empty`);
  if (/[\r\n\0]/.test(m.value)) fail(scope, `${prop} must not contain CR, LF or NUL characters, got ${show(m.value)}`);
}

function checkDestination(scope: IConstruct, prop: string, d: RouteDestination): void {
  if (d === null || typeof d !== 'object') fail(scope, `${prop} must be a RouteDestination struct, got ${show(d)}`);
  checkHostName(scope, `${prop}.host`, d.host);
  if (d.subset !== undefined) checkDnsLabel(scope, `${prop}.subset`, d.subset);
  if (d.port !== undefined) checkPort(scope, `${prop}.port`, d.port);
  if (d.weight !== undefined) checkInteger(scope, `${prop}.weight`, d.weight, 0, 100);
}

/** Weights: integers 0–100 summing to 100 when there are two or more destinations; no host+subset twice. */
function checkDestinations(scope: IConstruct, prop: string, dests: RouteDestination[]): void {
  checkArray(scope, prop, dests, { nonEmpty: true });
  const seen = new Map<string, number>();
  dests.forEach((d, i) => {
    checkDestination(scope, `${prop}[${i}]`, d);
    const key = `${d.host}|${d.subset ?? ''}`;
    if (seen.has(key)) {
      fail(scope, `${prop}[${i}] routes to ${show(d.host)}${d.subset ? ` subset ${show(d.subset)}` : ''} like ${prop}[${seen.get(key)}]; list each destination once`);
    }
    seen.set(key, i);
  });
  if (dests.length === 1) {
    if (dests[0].weight === 0) fail(scope, `${prop}[0].weight is 0, so the route sends its traffic nowhere; at least one destination must have a non-zero weight`);
    return;
  }
  const missing = dests.findIndex(d => d.weight === undefined);
  if (missing >= 0) fail(scope, `${prop}[${missing}].weight must be set: a route with ${dests.length} destinations needs integer weights that sum to 100`);
  const sum = dests.reduce((s, d) => s + d.weight!, 0);
  if (sum !== 100) fail(scope, `${prop} weights must sum to exactly 100, got ${dests.map(d => d.weight).join(' + ')} = ${sum}`);
}

/**
 * Route order is kept; a route after a catch-all, and a match identical to an earlier one, are unreachable.
 */
function checkUnreachable(scope: IConstruct, kind: string, earlier: string[][], index: number, keys: string[]): void {
  const catchAll = earlier.findIndex(k => k.length === 0);
  if (catchAll >= 0) {
    fail(scope, `${kind}[${index}] is unreachable: ${kind}[${catchAll}] has no matches and catches all traffic; put the catch-all route last`);
  }
  keys.forEach((k, i) => {
    const dup = keys.indexOf(k);
    if (dup !== i) fail(scope, `${kind}[${index}].matches[${i}] is identical to matches[${dup}] of the same route`);
    earlier.forEach((ek, j) => {
      const at = ek.indexOf(k);
      if (at >= 0) fail(scope, `${kind}[${index}].matches[${i}] is identical to ${kind}[${j}].matches[${at}], so it can never match (the first match wins)`);
    });
  });
}

function checkRedirect(scope: IConstruct, prop: string, r: HttpRedirect): void {
  if (r === null || typeof r !== 'object') fail(scope, `${prop} must be an HttpRedirect struct, got ${show(r)}`);
  if (r.uri === undefined && r.authority === undefined && r.port === undefined && r.scheme === undefined) {
    fail(scope, `${prop} must change at least one of uri, authority, port or scheme (otherwise it redirects to itself)`);
  }
  if (r.uri !== undefined && (typeof r.uri !== 'string' || !r.uri.startsWith('/') || /\s/.test(r.uri))) {
    fail(scope, `${prop}.uri must be a path starting with '/', got ${show(r.uri)}`);
  }
  if (r.authority !== undefined) checkHostName(scope, `${prop}.authority`, r.authority);
  if (r.port !== undefined) checkPort(scope, `${prop}.port`, r.port);
  if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') fail(scope, `${prop}.scheme must be "http" or "https", got ${show(r.scheme)}`);
  if (r.redirectCode !== undefined && ![301, 302, 303, 307, 308].includes(r.redirectCode)) {
    fail(scope, `${prop}.redirectCode must be one of 301, 302, 303, 307, 308, got ${show(r.redirectCode)}`);
  }
}

function checkFault(scope: IConstruct, prop: string, f: FaultInjection): void {
  if (f === null || typeof f !== 'object') fail(scope, `${prop} must be a FaultInjection struct, got ${show(f)}`);
  if (f.delay === undefined && f.abortHttpStatus === undefined) fail(scope, `${prop} must set delay or abortHttpStatus`);
  if (f.delayPercentage !== undefined && f.delay === undefined) fail(scope, `${prop}.delayPercentage is set without delay`);
  if (f.abortPercentage !== undefined && f.abortHttpStatus === undefined) fail(scope, `${prop}.abortPercentage is set without abortHttpStatus`);
  checkDuration(scope, `${prop}.delay`, f.delay);
  if (f.delayPercentage !== undefined) checkPercentage(scope, `${prop}.delayPercentage`, f.delayPercentage, PERCENT_DECIMALS);
  if (f.abortHttpStatus !== undefined) checkInteger(scope, `${prop}.abortHttpStatus`, f.abortHttpStatus, 200, 599);
  if (f.abortPercentage !== undefined) checkPercentage(scope, `${prop}.abortPercentage`, f.abortPercentage, PERCENT_DECIMALS);
}

function checkCors(scope: IConstruct, prop: string, c: CorsPolicy): void {
  if (c === null || typeof c !== 'object') fail(scope, `${prop} must be a CorsPolicy struct, got ${show(c)}`);
  checkArray(scope, `${prop}.allowOrigins`, c.allowOrigins, { nonEmpty: true }).forEach((o, i) => checkStringMatch(scope, `${prop}.allowOrigins[${i}]`, o));
  if (c.allowMethods !== undefined) {
    checkStrings(scope, `${prop}.allowMethods`, c.allowMethods, { nonEmpty: true }).forEach((m, i) => {
      if (!HTTP_METHODS.includes(m)) fail(scope, `${prop}.allowMethods[${i}] must be one of ${HTTP_METHODS.join(' ')}, got ${show(m)}`);
    });
  }
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    const list = c[field];
    if (list === undefined) continue;
    checkStrings(scope, `${prop}.${field}`, list, { nonEmpty: true }).forEach((h, i) => {
      if (h !== '*') checkHeaderName(scope, `${prop}.${field}[${i}]`, h);
    });
  }
  checkDuration(scope, `${prop}.maxAge`, c.maxAge);
}

function checkHeaderOperations(scope: IConstruct, prop: string, h: HeaderOperations): void {
  if (h === null || typeof h !== 'object' || (h.request === undefined && h.response === undefined)) {
    fail(scope, `${prop} must set request or response`);
  }
  for (const dir of ['request', 'response'] as const) {
    const m = h[dir];
    if (m === undefined) continue;
    const p = `${prop}.${dir}`;
    if (m === null || typeof m !== 'object' || (m.set === undefined && m.add === undefined && m.remove === undefined)) fail(scope, `${p} must set set, add or remove`);
    for (const op of ['set', 'add'] as const) {
      const map = m[op];
      if (map === undefined) continue;
      if (Object.keys(map).length === 0) fail(scope, `${p}.${op} must not be an empty map; omit it`);
      for (const [name, value] of Object.entries(map)) {
        checkHeaderName(scope, `${p}.${op} key`, name);
        checkHeaderValue(scope, `${p}.${op}[${name}]`, value);
      }
    }
    if (m.remove !== undefined) checkStrings(scope, `${p}.remove`, m.remove, { nonEmpty: true }).forEach((n, i) => checkHeaderName(scope, `${p}.remove[${i}]`, n));
  }
}

/** Copy of a route's options (HttpMatch and RetryPolicy instances are immutable and kept). */
function copyRoute(r: HttpRouteOptions): HttpRouteOptions {
  return {
    ...r,
    matches: r.matches?.map(m => ({
      ...m,
      headers: m.headers && { ...m.headers },
      withoutHeaders: m.withoutHeaders && { ...m.withoutHeaders },
      queryParams: m.queryParams && { ...m.queryParams },
      gateways: m.gateways && [...m.gateways],
    })),
    destinations: r.destinations.map(d => ({ ...d })),
    mirror: r.mirror && { ...r.mirror },
    corsPolicy: r.corsPolicy && { ...r.corsPolicy, allowOrigins: [...r.corsPolicy.allowOrigins] },
    headers: copyData(r.headers),
    redirect: r.redirect && { ...r.redirect },
    fault: r.fault && { ...r.fault },
  };
}

function renderMatchMap(map: { [name: string]: HttpMatch } | undefined): { [name: string]: k8s.VirtualServiceSpecHttpMatchHeaders } | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v._toStringMatch()]));
}

function renderHttpMatch(m: HttpRouteMatch): k8s.VirtualServiceSpecHttpMatch {
  return {
    uri: m.uri?._toStringMatch(),
    headers: renderMatchMap(m.headers),
    withoutHeaders: renderMatchMap(m.withoutHeaders),
    queryParams: renderMatchMap(m.queryParams),
    method: m.method !== undefined ? { exact: m.method } : undefined,
    gateways: m.gateways ? uniqSorted(m.gateways) : undefined,
    port: m.port,
  };
}

function renderTcpMatch(m: TcpRouteMatch): k8s.VirtualServiceSpecTcpMatch {
  return {
    port: m.port,
    destinationSubnets: m.destinationSubnets ? uniqSorted(m.destinationSubnets) : undefined,
    sourceLabels: m.sourceLabels ? { ...m.sourceLabels } : undefined,
    gateways: m.gateways ? uniqSorted(m.gateways) : undefined,
  };
}

function renderTlsMatch(m: TlsRouteMatch): k8s.VirtualServiceSpecTlsMatch {
  return {
    sniHosts: uniqSorted(m.sniHosts),
    port: m.port,
    destinationSubnets: m.destinationSubnets ? uniqSorted(m.destinationSubnets) : undefined,
    gateways: m.gateways ? uniqSorted(m.gateways) : undefined,
  };
}

function renderDestination(d: RouteDestination): k8s.VirtualServiceSpecHttpRouteDestination {
  return { host: d.host, subset: d.subset, port: d.port !== undefined ? { number: d.port } : undefined };
}

function renderDestinations(dests: RouteDestination[]): Array<{ destination: k8s.VirtualServiceSpecHttpRouteDestination; weight?: number }> {
  return dests.map(d => ({ destination: renderDestination(d), weight: dests.length > 1 ? d.weight : undefined }));
}

function renderHeaderManipulation(m: HeaderManipulation | undefined): k8s.VirtualServiceSpecHttpHeadersRequest | undefined {
  if (m === undefined) return undefined;
  return { set: m.set && { ...m.set }, add: m.add && { ...m.add }, remove: m.remove && uniqSorted(m.remove) };
}

function renderHttpRoute(r: HttpRoute): k8s.VirtualServiceSpecHttp {
  const o = r.options;
  const retries = r.retries;
  const perTry = retries && retries.attempts > 0 ? retries._perTryMs(r.timeoutMs) : undefined;
  const fault = o.fault;
  return {
    name: o.name,
    match: o.matches && o.matches.length > 0 ? o.matches.map(renderHttpMatch) : undefined,
    route: o.destinations.length > 0 ? renderDestinations(o.destinations) : undefined,
    redirect: o.redirect && {
      uri: o.redirect.uri,
      authority: o.redirect.authority,
      port: o.redirect.port,
      scheme: o.redirect.scheme,
      redirectCode: o.redirect.redirectCode ?? 301,
    },
    timeout: r.timeoutMs !== undefined ? renderMillis(r.timeoutMs) : undefined,
    retries: retries && (retries.attempts === 0 ? { attempts: 0 } : {
      attempts: retries.attempts,
      perTryTimeout: perTry !== undefined ? renderMillis(perTry) : undefined,
      retryOn: retries.retryOn.join(','),
      retryRemoteLocalities: retries.retryRemoteLocalities,
    }),
    mirror: o.mirror && renderDestination(o.mirror),
    mirrorPercentage: o.mirror && { value: o.mirrorPercentage ?? 100 },
    fault: fault && {
      delay: fault.delay && { fixedDelay: renderMillis(fault.delay.toMilliseconds()), percentage: { value: fault.delayPercentage ?? 100 } },
      abort: fault.abortHttpStatus !== undefined
        ? { httpStatus: fault.abortHttpStatus, percentage: { value: fault.abortPercentage ?? 100 } }
        : undefined,
    },
    rewrite: o.rewriteUri !== undefined ? { uri: o.rewriteUri } : undefined,
    corsPolicy: o.corsPolicy && {
      allowOrigins: o.corsPolicy.allowOrigins.map(m => m._toStringMatch()),
      allowMethods: o.corsPolicy.allowMethods && [...o.corsPolicy.allowMethods],
      allowHeaders: o.corsPolicy.allowHeaders && [...o.corsPolicy.allowHeaders],
      exposeHeaders: o.corsPolicy.exposeHeaders && [...o.corsPolicy.exposeHeaders],
      maxAge: o.corsPolicy.maxAge && renderMillis(o.corsPolicy.maxAge.toMilliseconds()),
      allowCredentials: o.corsPolicy.allowCredentials,
    },
    headers: o.headers && { request: renderHeaderManipulation(o.headers.request), response: renderHeaderManipulation(o.headers.response) },
  };
}

import { createHash } from 'crypto';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplyOrder } from './apply-order';
import { CanaryService } from './canary-service';
import { IMeshService } from '../mesh/destination';
import { ITrafficSource } from '../mesh/traffic-source';
import { fail, show } from '../private/errors';
import { registerGatewayWorkload } from '../private/gateways';
import { childName, nameFromId } from '../private/names';
import { claim } from '../private/ownership';
import { checkDuration, checkLabels, checkPort, DNS_LABEL_RULE, isDnsLabel, isDnsSubdomain, isFqdn } from '../private/validate';
import { Gateway } from '../resources/gateway';
import { HttpRouteOptions, VirtualService } from '../resources/virtual-service';
import { HttpMatch } from '../values/http-match';
import { GatewayTlsMode, TlsProtocolVersion } from '../values/istio-enums';
import { Protocol } from '../values/protocol';
import { RetryPolicy } from '../values/retry-policy';

/** Props of an `IngressGateway`. */
export interface IngressGatewayProps {
  /**
   * The public hosts the gateway serves: fully qualified DNS names (`shop.example.com`) or a wildcard subdomain
   * (`*.example.com`). A bare `*` needs `allowAnyHost: true`.
   */
  readonly hosts: string[];

  /**
   * Name of the Kubernetes TLS Secret (in the gateway's namespace) with the server certificate for the hosts;
   * rendered as the HTTPS server's `credentialName`.
   */
  readonly tlsSecret: string;

  /**
   * Name of the Istio Gateway object (a DNS-1123 label).
   *
   * @default - derived from the construct id (`Public` → `public`)
   */
  readonly name?: string;

  /**
   * Namespace the ingress gateway deployment runs in; the Gateway and its VirtualServices are rendered there.
   *
   * @default 'istio-ingress'
   */
  readonly namespace?: string;

  /**
   * Pod labels of the existing ingress gateway deployment (the Gateway's selector).
   *
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * The service account the ingress gateway pods run as: the identity that `route()` grants access to the routed
   * services.
   *
   * @default 'istio-ingressgateway' (the Istio `gateway` Helm chart installed as release `istio-ingressgateway`,
   * whose pods are labelled `istio: ingressgateway`)
   */
  readonly serviceAccountName?: string;

  /**
   * Port of the HTTPS server. It is also the port a ZeroTrustNamespace of the gateway's namespace opens on the gateway
   * pods, so it must be the port they listen on (the Istio `gateway` Helm chart uses the same number for its Service
   * port and container port).
   *
   * @default 443
   */
  readonly httpsPort?: number;

  /**
   * Port of the plain-HTTP server that redirects to HTTPS (see `httpsPort` about the port number).
   *
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Answer plain HTTP on `httpPort` with a redirect to HTTPS. With `false`, no plain-HTTP server is rendered.
   *
   * @default true
   */
  readonly redirectHttp?: boolean;

  /**
   * Minimum TLS version of the HTTPS server: TLSV1_2 or TLSV1_3.
   *
   * @default TlsProtocolVersion.TLSV1_2
   */
  readonly minTlsVersion?: TlsProtocolVersion;

  /**
   * Allow the bare `*` host (every host name), which lets the gateway serve any Host header.
   *
   * @default false
   */
  readonly allowAnyHost?: boolean;
}

/** Options of `IngressGateway.route()`. Give exactly one of `pathPrefix` and `exactPath`. */
export interface IngressRouteOptions {
  /**
   * Route requests whose path starts with this prefix (`/` routes everything not matched by a more specific route).
   *
   * @default - `exactPath` is used
   */
  readonly pathPrefix?: string;

  /**
   * Route requests with exactly this path.
   *
   * @default - `pathPrefix` is used
   */
  readonly exactPath?: string;

  /**
   * Rewrite the matched prefix (or the exact path) to this path before forwarding.
   *
   * @default - the path is forwarded unchanged
   */
  readonly rewrite?: string;

  /**
   * Route timeout of the gateway route.
   *
   * @default - the CanaryService's timeout, otherwise Duration.seconds(15)
   */
  readonly timeout?: Duration;

  /**
   * The service port to route to (an HTTP port of the service).
   *
   * @default - the service's first port
   */
  readonly port?: number;

  /**
   * Which of the gateway's hosts the route applies to.
   *
   * @default - every host of the gateway
   */
  readonly hosts?: string[];
}

/** One `route()` call, resolved. */
interface RouteGroup {
  /** 0: exact path, 1: path prefix. */
  readonly kind: number;
  readonly path: string;
  readonly routes: HttpRouteOptions[];
  readonly description: string;
  readonly virtualServiceWave?: number;
}

/**
 * Public ingress through an Istio `Gateway` bound to an existing ingress gateway deployment (default: pods labelled
 * `istio: ingressgateway` in `istio-ingress`).
 *
 * It renders an HTTPS server for the hosts (TLS ≥ 1.2, certificate from `tlsSecret`), a plain-HTTP server that
 * redirects to HTTPS, and, for every host, one VirtualService bound only to this Gateway, whose routes `route()`
 * adds, ordered most specific first (exact paths, then longer prefixes) so that a `/` catch-all comes last.
 *
 * `route(service, ...)` also lets the gateway's identity call the service (`service.allowFrom(gateway)`: ALLOW
 * rule, exportTo of the gateway's namespace), and a route to a `CanaryService` carries the same subsets, weights,
 * header overrides and mirroring as its mesh route, so ingress traffic honours the split (IST0140).
 */
export class IngressGateway extends Construct implements ITrafficSource {
  /**
   * Annotation on the Gateway naming the service account of the gateway pods (which the gateway's own installation,
   * e.g. its Helm release, owns): the identity `route()` grants access to the routed services.
   */
  public static readonly SERVICE_ACCOUNT_ANNOTATION = 'cdk8s-istio.io/workload-service-account';

  /** The Istio Gateway. */
  public readonly gateway: Gateway;
  /** The name of the Gateway object. */
  public readonly gatewayName: string;
  /** The namespace the gateway runs in. */
  public readonly namespace: string;
  /** `<namespace>/<name>`: how VirtualServices reference the Gateway. */
  public readonly gatewayRef: string;
  /** The service account of the gateway pods. */
  public readonly serviceAccountName: string;
  /** The HTTPS port. */
  public readonly httpsPort: number;
  /**
   * The plain-HTTP (redirect) port.
   *
   * @default - no plain-HTTP server (`redirectHttp: false`)
   */
  public readonly httpPort?: number;
  /** The minimum TLS version. */
  public readonly minTlsVersion: TlsProtocolVersion;
  public readonly sourceNamespace: string;
  public readonly sourceServiceAccount?: string;
  public readonly sourceDescription: string;

  private readonly _hosts: string[];
  private readonly _selector: { [key: string]: string };
  private readonly _groups = new Map<string, RouteGroup[]>();
  private readonly _virtualServices = new Map<string, VirtualService>();

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') fail(this, `props must be an IngressGatewayProps struct with hosts and tlsSecret, got ${show(props)}`);
    this.gatewayName = this.checkLabel('name', props.name ?? nameFromId(id));
    this.namespace = this.checkLabel('namespace', props.namespace ?? 'istio-ingress');
    this.gatewayRef = `${this.namespace}/${this.gatewayName}`;
    this._selector = checkLabels(this, 'selector', props.selector ?? { istio: 'ingressgateway' }, { nonEmpty: true });
    const sa = props.serviceAccountName ?? 'istio-ingressgateway';
    if (!isDnsSubdomain(sa)) fail(this, `serviceAccountName must be a DNS-1123 subdomain (a Kubernetes ServiceAccount name), got ${show(sa)}`);
    this.serviceAccountName = sa;

    const allowAnyHost = props.allowAnyHost ?? false;
    if (typeof allowAnyHost !== 'boolean') fail(this, `allowAnyHost must be a boolean, got ${show(allowAnyHost)}`);
    this._hosts = this.checkHosts(props.hosts, allowAnyHost);

    if (typeof props.tlsSecret !== 'string' || !isDnsSubdomain(props.tlsSecret)) {
      fail(this, `tlsSecret must be the name of a Kubernetes Secret in namespace ${this.namespace} (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters), got ${show(props.tlsSecret)}`);
    }
    this.minTlsVersion = props.minTlsVersion ?? TlsProtocolVersion.TLSV1_2;
    if (this.minTlsVersion !== TlsProtocolVersion.TLSV1_2 && this.minTlsVersion !== TlsProtocolVersion.TLSV1_3) {
      fail(this, `minTlsVersion must be TLSV1_2 or TLSV1_3 (older versions are insecure; TLS_AUTO leaves the choice to Envoy), got ${show(this.minTlsVersion)}`);
    }
    this.httpsPort = checkPort(this, 'httpsPort', props.httpsPort ?? 443);
    const redirect = props.redirectHttp ?? true;
    if (typeof redirect !== 'boolean') fail(this, `redirectHttp must be a boolean, got ${show(redirect)}`);
    if (!redirect && props.httpPort !== undefined) fail(this, 'httpPort is set but redirectHttp is false, so no plain-HTTP server is rendered; remove httpPort or redirectHttp');
    this.httpPort = redirect ? checkPort(this, 'httpPort', props.httpPort ?? 80) : undefined;
    if (this.httpPort === this.httpsPort) fail(this, `httpPort and httpsPort must differ (one port has one protocol), both are ${this.httpsPort}`);

    this.sourceNamespace = this.namespace;
    this.sourceServiceAccount = this.serviceAccountName;
    this.sourceDescription = `IngressGateway ${this.gatewayRef}`;

    claim(this, 'gateway', this.gatewayRef, 'Gateway');
    this._hosts.forEach((h, i) => {
      claim(this, 'mesh host', h, 'host');
      if (/\.svc(\.|$)/.test(h)) fail(this, `hosts[${i}] ${show(h)} is an in-cluster service name; the ingress gateway serves public host names (route() a service to expose it)`);
    });

    const serverHosts = this._hosts.map(h => `./${h}`);
    this.gateway = new Gateway(this, 'Resource', {
      metadata: {
        name: this.gatewayName,
        namespace: this.namespace,
        annotations: { [IngressGateway.SERVICE_ACCOUNT_ANNOTATION]: this.serviceAccountName },
      },
      selector: { ...this._selector },
      servers: [
        {
          // Port names are unique per gateway workload (Istio skips a second server with the same port name).
          name: childName('https', this.gatewayName),
          port: this.httpsPort,
          protocol: Protocol.HTTPS,
          hosts: serverHosts,
          allowWildcardHost: allowAnyHost || undefined,
          tlsMode: GatewayTlsMode.SIMPLE,
          credentialName: props.tlsSecret,
          minProtocolVersion: this.minTlsVersion,
        },
        ...(this.httpPort !== undefined ? [{
          name: childName('http', this.gatewayName),
          port: this.httpPort,
          protocol: Protocol.HTTP,
          hosts: serverHosts,
          allowWildcardHost: allowAnyHost || undefined,
          httpsRedirect: true,
        }] : []),
      ],
    });

    registerGatewayWorkload(this, {
      direction: 'ingress',
      namespace: this.namespace,
      selector: { ...this._selector },
      serviceAccountName: this.serviceAccountName,
      ports: this.httpPort !== undefined ? [this.httpPort, this.httpsPort].sort((a, b) => a - b) : [this.httpsPort],
      constructPath: this.node.path,
    });

    this.node.addValidation({
      validate: () => (this._groups.size === 0 ? ['IngressGateway has no routes: add at least one with route(service, { pathPrefix: \'/\' })'] : []),
    });
  }

  /** The hosts (copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The pod labels of the gateway workload (copy). */
  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }

  /**
   * The VirtualService of a host, once a route for it exists.
   *
   * @returns undefined when nothing is routed for `host` yet
   */
  public virtualServiceFor(host: string): VirtualService | undefined {
    return this._virtualServices.get(host);
  }

  /**
   * Routes requests for a path (on every host of the gateway, or `options.hosts`) to `service`, and lets the
   * gateway's identity call the service on that port and path.
   */
  public route(service: IMeshService, options: IngressRouteOptions): void {
    const prop = 'route';
    if (service === null || typeof service !== 'object' || typeof service.host !== 'string' || typeof service.allowFrom !== 'function') {
      fail(this, `${prop} service must be a mesh service (MeshService, CanaryService or MeshService.fromServiceName), got ${show(service)}`);
    }
    if (options === null || typeof options !== 'object') fail(this, `${prop} options must be an IngressRouteOptions struct with pathPrefix or exactPath, got ${show(options)}`);
    const { kind, path } = this.checkPath(prop, options);
    const rewrite = options.rewrite;
    if (rewrite !== undefined) this.checkPathValue(`${prop} rewrite`, rewrite);
    const ports = service.ports;
    const port = options.port === undefined ? ports[0] : ports.find(p => p.number === options.port);
    if (!port) fail(this, `${prop} port must be one of the ports of ${service.sourceDescription} (${ports.map(p => p.number).join(', ')}), got ${show(options.port)}`);
    if (!port.isHttp) fail(this, `${prop}: port ${port.number} of ${service.sourceDescription} is ${port.protocol}; the gateway routes HTTP only (give port: one of the HTTP ports)`);
    const hosts = this.checkRouteHosts(prop, options.hosts);

    const canary = service instanceof CanaryService ? service : undefined;
    const timeout = options.timeout;
    if (timeout !== undefined) {
      const ms = checkDuration(this, `${prop} timeout`, timeout)!;
      (canary ? canary.retries : RetryPolicy.recommended())._validate(this, `${prop} timeout ${timeout.toHumanString()} with the service's retries`, ms);
    }
    const uri = kind === 1 && path === '/' && rewrite === undefined ? undefined : (kind === 0 ? HttpMatch.exact(path) : HttpMatch.prefix(path));
    const destinationPort = ports.length > 1 ? port.number : undefined;
    let routes: HttpRouteOptions[];
    let virtualServiceWave: number | undefined;
    if (canary) {
      const r = canary._gatewayRoutes({ uri, port: port.number, rewriteUri: rewrite, timeout });
      routes = r.routes;
      virtualServiceWave = r.virtualServiceWave;
    } else {
      routes = [{
        matches: uri ? [{ uri }] : undefined,
        destinations: [{ host: service.host, port: destinationPort }],
        timeout: timeout ?? Duration.seconds(15),
        retries: RetryPolicy.recommended(),
        rewriteUri: rewrite,
      }];
    }
    const description = `${service.sourceDescription} (${kind === 0 ? 'exactPath' : 'pathPrefix'} ${show(path)})`;
    for (const host of hosts) {
      const groups = this._groups.get(host) ?? [];
      const same = groups.find(g => g.kind === kind && g.path === path);
      if (same) fail(this, `${prop}: ${kind === 0 ? 'exactPath' : 'pathPrefix'} ${show(path)} on host ${show(host)} is already routed to ${same.description}; each path is routed once per host`);
    }
    for (const host of hosts) {
      const groups = [...(this._groups.get(host) ?? []), { kind, path, routes, description, virtualServiceWave }];
      groups.sort(bySpecificity);
      this._groups.set(host, groups);
      this.renderHost(host, groups);
    }

    // The gateway's identity may call the service on this port, for the paths it forwards.
    const forwarded = rewrite ?? path;
    const paths = kind === 0 ? [forwarded] : (forwarded === '/' ? undefined : [`${forwarded}*`]);
    service.allowFrom(this, { ports: [port.number], paths });
  }

  /** (Re)creates the VirtualService of a host with its routes in order. */
  private renderHost(host: string, groups: RouteGroup[]): void {
    const id = `Routes-${host}`;
    this.node.tryRemoveChild(id);
    const waves = groups.map(g => g.virtualServiceWave).filter((w): w is number => w !== undefined);
    const annotations = waves.length > 0 ? { [ApplyOrder.ARGO_CD_SYNC_WAVE_ANNOTATION]: String(Math.max(...waves)) } : undefined;
    const vs = new VirtualService(this, id, {
      metadata: { name: this.virtualServiceName(host), namespace: this.namespace, annotations },
      hosts: [host],
      gateways: [this.gatewayRef],
      exportTo: ['.'],
      httpRoutes: groups.flatMap(g => g.routes),
    });
    this._virtualServices.set(host, vs);
  }

  /**
   * `<gateway>.<host>` (`public.shop.example.com`): unique per namespace, since Gateway names are claimed per
   * namespace, contain no '.', and a gateway's hosts never overlap.
   */
  private virtualServiceName(host: string): string {
    const name = `${this.gatewayName}.${host === '*' ? 'any-host' : host.replace(/^\*\./, 'wildcard.')}`;
    if (name.length <= 253) return name;
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    return `${name.slice(0, 244).replace(/[.-]+$/, '')}-${hash}`;
  }

  private checkLabel(prop: string, value: unknown): string {
    if (!isDnsLabel(value)) fail(this, `${prop} must be ${DNS_LABEL_RULE}, got ${show(value)}`);
    return value;
  }

  private checkHosts(hosts: string[], allowAnyHost: boolean): string[] {
    if (!Array.isArray(hosts) || hosts.length === 0) fail(this, `hosts must list at least one public host name (e.g. ['shop.example.com']), got ${show(hosts)}`);
    const out: string[] = [];
    hosts.forEach((h, i) => {
      const prop = `hosts[${i}]`;
      if (h === '*') {
        if (!allowAnyHost) fail(this, `${prop} "*" would serve every host name and let any VirtualService in the namespace bind to the gateway; list the hosts, or set allowAnyHost: true`);
      } else if (typeof h !== 'string') {
        fail(this, `${prop} must be a host name, got ${show(h)}`);
      } else if (h !== h.toLowerCase()) {
        fail(this, `${prop} must be lower case, got ${show(h)} (use ${show(h.toLowerCase())})`);
      } else if (h.startsWith('*.')) {
        if (!isFqdn(h.slice(2))) fail(this, `${prop} must be "*." followed by a fully qualified DNS name (e.g. "*.example.com"), got ${show(h)}`);
      } else if (!isFqdn(h) || h.includes('*')) {
        fail(this, `${prop} must be a fully qualified DNS name such as "shop.example.com" (lower-case labels separated by '.', '*' only as a leading "*." label), got ${show(h)}`);
      }
      const dup = out.findIndex(o => o === h || o === '*' || h === '*' || (o.startsWith('*.') && h.endsWith(o.slice(1))) || (h.startsWith('*.') && o.endsWith(h.slice(1))));
      if (dup >= 0) fail(this, `${prop} ${show(h)} overlaps hosts[${dup}] ${show(out[dup])}; list each host once`);
      out.push(h);
    });
    return out;
  }

  private checkRouteHosts(prop: string, hosts: string[] | undefined): string[] {
    if (hosts === undefined) return [...this._hosts];
    if (!Array.isArray(hosts) || hosts.length === 0) fail(this, `${prop} hosts must list at least one of the gateway's hosts (${this._hosts.join(', ')}), got ${show(hosts)}`);
    hosts.forEach((h, i) => {
      if (!this._hosts.includes(h)) fail(this, `${prop} hosts[${i}] must be one of the gateway's hosts (${this._hosts.join(', ')}), got ${show(h)}`);
      if (hosts.indexOf(h) !== i) fail(this, `${prop} hosts lists ${show(h)} twice`);
    });
    return [...hosts];
  }

  private checkPath(prop: string, options: IngressRouteOptions): { kind: number; path: string } {
    if (options.pathPrefix !== undefined && options.exactPath !== undefined) {
      fail(this, `${prop}: give either pathPrefix or exactPath, not both (got pathPrefix ${show(options.pathPrefix)} and exactPath ${show(options.exactPath)})`);
    }
    if (options.pathPrefix === undefined && options.exactPath === undefined) {
      fail(this, `${prop}: give pathPrefix (e.g. '/' for everything, '/api/') or exactPath (e.g. '/healthz')`);
    }
    if (options.exactPath !== undefined) return { kind: 0, path: this.checkPathValue(`${prop} exactPath`, options.exactPath) };
    return { kind: 1, path: this.checkPathValue(`${prop} pathPrefix`, options.pathPrefix) };
  }

  private checkPathValue(prop: string, path: unknown): string {
    if (typeof path !== 'string' || !path.startsWith('/')) fail(this, `${prop} must be a path starting with '/', got ${show(path)}`);
    const star = path.indexOf('*');
    if (star >= 0) {
      fail(this, star === path.length - 1
        ? `${prop} must not end with '*': Istio matches '*' literally; a pathPrefix already matches everything below it (use ${show(path.slice(0, -1))}), got ${show(path)}`
        : `${prop} has '*' in the middle (Istio matches it literally, so the route never applies); route a prefix with pathPrefix or one path with exactPath, got ${show(path)}`);
    }
    if (!/^\/[A-Za-z0-9\-._~!&',;=:@/]*$/.test(path)) {
      fail(this, `${prop} must be a URI path of letters, digits and - . _ ~ ! & ' , ; = : @ / (no whitespace, query, fragment, percent-encoding or regex characters), got ${show(path)}`);
    }
    if (path.length > 1024) fail(this, `${prop} must be at most 1024 characters, got ${path.length}`);
    return path;
  }
}

/** Exact paths first, then prefixes from the longest to `/`; equal rank by path. */
function bySpecificity(a: RouteGroup, b: RouteGroup): number {
  if (a.kind !== b.kind) return a.kind - b.kind;
  if (a.kind === 1 && a.path.length !== b.path.length) return b.path.length - a.path.length;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

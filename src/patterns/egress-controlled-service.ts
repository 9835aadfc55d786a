import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkExternalHost, claimExternalHosts, externalHostsOverlap, hostSuffixes, looksLikeIp } from './egress/hosts';
import { AllowOptions, IMeshDestination } from '../mesh/destination';
import { Mesh } from '../mesh/mesh';
import { EdgeDestinationKind } from '../mesh/mesh-edge';
import { ServiceGraph } from '../mesh/service-graph';
import { ITrafficSource } from '../mesh/traffic-source';
import { allowOperation } from '../private/allow';
import { fail, show } from '../private/errors';
import { registerGatewayWorkload } from '../private/gateways';
import { childName, nameFromId } from '../private/names';
import { claim } from '../private/ownership';
import { checkPorts } from '../private/ports';
import { checkSource } from '../private/sources';
import { checkDnsLabel, checkDnsSubdomain, checkDuration, checkLabels, checkPort, isFqdn, uniqSorted } from '../private/validate';
import { AuthorizationPolicy, AuthorizationRule } from '../resources/authorization-policy';
import { DestinationRule } from '../resources/destination-rule';
import { Gateway } from '../resources/gateway';
import { isCidr, isIp } from '../resources/private/common';
import { ServiceEntry } from '../resources/service-entry';
import { HttpRouteOptions, RouteDestination, TcpRouteOptions, TlsRouteOptions, VirtualService } from '../resources/virtual-service';
import { GatewayTlsMode, ServiceEntryResolution, TlsMode } from '../values/istio-enums';
import { MeshPort } from '../values/mesh-port';
import { Protocol } from '../values/protocol';
import { RetryPolicy } from '../values/retry-policy';
import { ConnectionPoolOptions, OutlierDetectionOptions } from '../values/traffic-policy';

/** The egress gateway an EgressControlledService routes through. */
export interface EgressGatewayOptions {
  /**
   * Namespace the egress gateway pods (and their Service) run in. The Gateway, the gateway's
   * AuthorizationPolicy and the DestinationRule for the hop to the gateway are rendered here.
   *
   * @default 'istio-egress'
   */
  readonly namespace?: string;

  /**
   * Pod labels of the egress gateway pods (non-empty): the selector of the Gateway and of its AuthorizationPolicy.
   *
   * @default { istio: 'egressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * Name of the egress gateway's Kubernetes Service (sidecars send the traffic to
   * `<serviceName>.<namespace>.svc.<clusterDomain>`).
   *
   * @default 'istio-egressgateway'
   */
  readonly serviceName?: string;

  /**
   * Service account the egress gateway pods run as.
   *
   * @default - the service name
   */
  readonly serviceAccountName?: string;

  /**
   * Port of the gateway Service that receives the (Istio mTLS) traffic from the sidecars; the Gateway server
   * listens on it.
   *
   * @default 443
   */
  readonly port?: number;

  /**
   * Container port of the gateway pods behind `port`.
   *
   * @default - the same number as `port` (as in Istio's `gateway` Helm chart)
   */
  readonly targetPort?: number;
}

/** Props of an `EgressControlledService`. */
export interface EgressControlledServiceProps {
  /**
   * The external hosts: fully qualified domain names such as `api.stripe.com`. Wildcards (`*.example.com`) only
   * with `allowWildcardHosts`. Never an IP address (give IPs in `addresses`) and never a cluster-local name.
   */
  readonly hosts: string[];

  /**
   * The ports, each with its protocol declared (`MeshPort.https(443)`, `MeshPort.tls(443)`, `MeshPort.tcp(5432)`,
   * `MeshPort.http(80)` with `originateTls` …).
   */
  readonly ports: MeshPort[];

  /**
   * Base name of the rendered objects (a DNS-1123 label).
   *
   * @default - derived from the construct id (`Stripe` → `stripe`)
   */
  readonly name?: string;

  /**
   * Namespace of the ServiceEntry, of the VirtualService and of the DestinationRule for the external host.
   * Callers in other namespaces see them through `exportTo`.
   *
   * @default - the egress gateway's namespace with `egressGateway`, otherwise the mesh root namespace
   */
  readonly namespace?: string;

  /**
   * How the proxies find the service's endpoints. DNS and DNS_ROUND_ROBIN resolve the host; NONE forwards to
   * the address the caller used and needs `addresses`; DYNAMIC_DNS resolves per request (wildcard hosts).
   * STATIC is not offered (it needs endpoints; declare a `ServiceEntry` directly).
   *
   * @default ServiceEntryResolution.DNS
   */
  readonly resolution?: ServiceEntryResolution;

  /**
   * Addresses of the service: IP addresses (any resolution) or CIDR blocks (resolution NONE only). Required
   * with resolution NONE, and for TCP ports unless `dnsAutoAllocate`: Istio matches TCP traffic by destination
   * address, so without them the port would be open to every destination.
   *
   * @default - no addresses
   */
  readonly addresses?: string[];

  /**
   * Declares that the mesh allocates addresses to ServiceEntries itself (DNS proxying with
   * `ISTIO_META_DNS_AUTO_ALLOCATE`), so TCP ports need no `addresses`. Nothing is rendered.
   *
   * @default false
   */
  readonly dnsAutoAllocate?: boolean;

  /**
   * Allows wildcard hosts (`*.example.com`), which open egress to every subdomain. They need resolution
   * DYNAMIC_DNS, or NONE with CIDR `addresses`, and cannot go through an egress gateway.
   *
   * @default false
   */
  readonly allowWildcardHosts?: boolean;

  /**
   * Route the traffic through an egress gateway: the sidecars send it (Istio mTLS) to the gateway, which is
   * the only proxy that talks to the external host, and an AuthorizationPolicy on the gateway allows exactly the
   * declared callers. This is the mode that enforces egress; without it, egress is scoped by the callers'
   * Sidecars (REGISTRY_ONLY), which a workload that bypasses its sidecar is not bound by.
   *
   * @default - no egress gateway: the callers' sidecars connect to the external host directly
   */
  readonly egressGateway?: EgressGatewayOptions;

  /**
   * The applications send plain HTTP on the (HTTP) ports, and the proxy that talks to the external host (the
   * egress gateway, or the caller's sidecar without one) originates TLS to `tlsOriginationPort`, verifying the
   * server certificate. Every port must be an HTTP port.
   *
   * @default false
   */
  readonly originateTls?: boolean;

  /**
   * Port of the external host that TLS is originated to (`originateTls` only).
   *
   * @default 443
   */
  readonly tlsOriginationPort?: number;

  /**
   * Server name (SNI) presented when originating TLS (`originateTls` only).
   *
   * @default - the host
   */
  readonly sni?: string;

  /**
   * Sends no SNI when originating TLS (`originateTls` only). The server certificate is then checked only
   * against `subjectAltNames`, which become required.
   *
   * @default false
   */
  readonly disableSni?: boolean;

  /**
   * Names the server certificate must carry when originating TLS (`originateTls` only).
   *
   * @default - the SNI name (the host)
   */
  readonly subjectAltNames?: string[];

  /**
   * Path, inside the proxy that originates TLS, of the CA bundle that verifies the server (`originateTls` only).
   *
   * @default - the proxy's operating-system trust store (Istio ≥ 1.21 verifies server certificates against it)
   */
  readonly caCertificates?: string;

  /**
   * Skips verification of the server certificate when originating TLS (`originateTls` only; not with
   * `caCertificates` or `subjectAltNames`). Insecure: anyone on the path can impersonate the server.
   *
   * @default false
   */
  readonly insecureSkipVerify?: boolean;

  /**
   * Timeout of requests on HTTP ports (each hop, when routed through the egress gateway). HTTP ports only.
   *
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;

  /**
   * Retries on HTTP ports (rendered with `perTryTimeout` and `retryOn`). HTTP ports only.
   *
   * @default RetryPolicy.recommended() (2 attempts, only on failures where the request was not processed)
   */
  readonly retries?: RetryPolicy;

  /**
   * Connection-pool limits towards the external host.
   *
   * @default - maxConnections 1024, connectTimeout 10s, http1MaxPendingRequests 1024, http2MaxRequests 1024, maxRetries 3
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Outlier detection of the external host's endpoints.
   *
   * @default - consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 50
   */
  readonly outlierDetection?: OutlierDetectionOptions;
}

interface ResolvedGateway {
  readonly namespace: string;
  readonly selector: { [key: string]: string };
  readonly serviceName: string;
  readonly serviceAccountName: string;
  readonly port: number;
  readonly targetPort: number;
  readonly host: string;
}

interface Caller {
  readonly from: { principals?: string[]; namespaces?: string[] };
  readonly methods?: string[];
  readonly paths?: string[];
}

const RESOLUTIONS = [
  ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN, ServiceEntryResolution.NONE, ServiceEntryResolution.DYNAMIC_DNS,
];
const MESH_GATEWAY = 'mesh';

/**
 * An external dependency (an API, a database) that only the workloads which declare it can reach.
 *
 * Renders a `ServiceEntry` (FQDN hosts, `location: MESH_EXTERNAL`, explicit port protocols, `resolution: DNS` by
 * default) exported only to its own namespace and the namespaces of the sources allowed to call it, and per
 * exact host a `DestinationRule` with resilience defaults (connection limits, outlier detection; `SIMPLE` TLS with
 * SNI, subjectAltNames and CA verification when originating TLS) and, for HTTP ports, a `VirtualService` with an
 * explicit timeout and retries. `allowFrom(source)` adds the hosts to the caller's Sidecar egress.
 *
 * With `egressGateway`, the traffic goes through the egress gateway: an Istio `Gateway` for the hosts
 * (`ISTIO_MUTUAL`), a `VirtualService` from the sidecars to the gateway and from the gateway to the host, a
 * `DestinationRule` for the hop to the gateway (`ISTIO_MUTUAL` with the host as SNI), and an ALLOW
 * `AuthorizationPolicy` on the gateway that lists exactly the callers' identities.
 */
export class EgressControlledService extends Construct implements IMeshDestination {
  /** Base name of the rendered objects. */
  public readonly name: string;
  /** Namespace of the ServiceEntry, VirtualServices and external-host DestinationRules. */
  public readonly namespace: string;
  /** The resolution of the ServiceEntry. */
  public readonly resolution: ServiceEntryResolution;
  /** Whether TLS is originated by the proxy. */
  public readonly originateTls: boolean;
  /** The ServiceEntry. */
  public readonly serviceEntry: ServiceEntry;
  /** The Istio Gateway on the egress gateway (with `egressGateway`). */
  public readonly gateway?: Gateway;
  /** Namespace of the egress gateway (with `egressGateway`). */
  public readonly egressGatewayNamespace?: string;
  /** FQDN of the egress gateway Service (with `egressGateway`). */
  public readonly egressGatewayHost?: string;
  /**
   * The DestinationRule for the hop to the egress gateway (with `egressGateway`): one subset per host, each with
   * `ISTIO_MUTUAL` and the host as SNI.
   */
  public readonly gatewayDestinationRule?: DestinationRule;

  private readonly _mesh: Mesh;
  private readonly _hosts: string[];
  private readonly _ports: MeshPort[];
  private readonly _gw?: ResolvedGateway;
  private readonly _destinationRules: DestinationRule[] = [];
  private readonly _virtualServices: VirtualService[] = [];
  private readonly _callers = new Map<string, Caller>();
  private readonly _callerNamespaces = new Set<string>();
  private _policy?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: EgressControlledServiceProps) {
    super(scope, id);
    if (props === null || typeof props !== 'object') {
      fail(this, `props must be an EgressControlledServiceProps struct with hosts and ports, got ${show(props)}`);
    }
    this._mesh = Mesh.of(this);
    this.name = checkDnsLabel(this, 'name', props.name ?? nameFromId(id));

    // Hosts.
    const allowWildcard = this.bool('allowWildcardHosts', props.allowWildcardHosts);
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
      fail(this, `hosts must list at least one fully qualified domain name (e.g. ['api.stripe.com']), got ${show(props.hosts)}`);
    }
    if (props.hosts.length > 256) fail(this, `hosts may list at most 256 entries (a ServiceEntry's limit), got ${props.hosts.length}`);
    const hosts = props.hosts.map((h, i) => checkExternalHost(this, `hosts[${i}]`, h, { allowWildcard, clusterDomain: this._mesh.clusterDomain }));
    for (let i = 0; i < hosts.length; i++) {
      for (let j = 0; j < i; j++) {
        if (hosts[i] === hosts[j]) fail(this, `hosts lists ${show(hosts[i])} twice (hosts[${j}] and hosts[${i}])`);
        if (externalHostsOverlap(hosts[i], hosts[j])) {
          fail(this, `hosts[${i}] ${show(hosts[i])} overlaps hosts[${j}] ${show(hosts[j])}; list each name once (the wildcard already covers the other)`);
        }
      }
    }
    this._hosts = hosts;
    const wildcards = hosts.filter(h => h.startsWith('*.'));
    const exact = hosts.filter(h => !h.startsWith('*.'));

    // Ports.
    this._ports = checkPorts(this, 'ports', props.ports);
    if (this._ports.length > 256) fail(this, `ports may list at most 256 entries, got ${this._ports.length}`);
    const l4 = this._ports.filter(p => !p.isHttp && !p.isTls);
    const httpPorts = this._ports.filter(p => p.isHttp);

    // Egress gateway and namespace.
    this._gw = props.egressGateway !== undefined ? this.resolveGateway(props.egressGateway) : undefined;
    const gw = this._gw;
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? gw?.namespace ?? this._mesh.rootNamespace);

    // Resolution and addresses.
    const resolution = props.resolution ?? ServiceEntryResolution.DNS;
    if (!RESOLUTIONS.includes(resolution)) {
      const why = resolution === ServiceEntryResolution.STATIC ? ' (STATIC needs endpoints: declare a ServiceEntry directly)' : '';
      fail(this, `resolution must be one of ${RESOLUTIONS.join(', ')}, got ${show(resolution)}${why}`);
    }
    this.resolution = resolution;
    let addresses: string[] | undefined;
    if (props.addresses !== undefined) {
      if (!Array.isArray(props.addresses) || props.addresses.length === 0) {
        fail(this, `addresses must list at least one IP address or CIDR block (omit it for none), got ${show(props.addresses)}`);
      }
      props.addresses.forEach((a, i) => {
        if (typeof a !== 'string' || (!isIp(a) && !isCidr(a))) fail(this, `addresses[${i}] must be an IP address or a CIDR block (e.g. 203.0.113.10 or 203.0.113.0/24), got ${show(a)}`);
        if (props.addresses!.indexOf(a) !== i) fail(this, `addresses lists ${show(a)} twice`);
        if (isCidr(a) && resolution !== ServiceEntryResolution.NONE) {
          fail(this, `addresses[${i}] ${show(a)} is a CIDR block, which Istio allows only with resolution NONE (got ${resolution}); list IP addresses, or use resolution: ServiceEntryResolution.NONE`);
        }
      });
      addresses = [...props.addresses];
    }
    const dnsAutoAllocate = this.bool('dnsAutoAllocate', props.dnsAutoAllocate);
    if (resolution === ServiceEntryResolution.NONE && addresses === undefined) {
      fail(this, 'resolution NONE needs addresses (the CIDR blocks or IP addresses of the service): without them the sidecar matches the traffic by port only, which opens that port to every destination');
    }

    // Wildcard hosts.
    for (const w of wildcards) {
      const i = hosts.indexOf(w);
      if (gw) {
        fail(this, `hosts[${i}] ${show(w)} is a wildcard, which cannot be routed through an egress gateway (the gateway needs one name per host for its server, SNI and policy); list the exact hosts`);
      }
      if (resolution === ServiceEntryResolution.NONE) {
        const notCidr = (addresses ?? []).find(a => !isCidr(a));
        if (notCidr !== undefined) {
          fail(this, `hosts[${i}] ${show(w)} is a wildcard with resolution NONE, so traffic is matched by address: addresses must be CIDR blocks covering every name the wildcard stands for, got ${show(notCidr)}`);
        }
      } else if (resolution !== ServiceEntryResolution.DYNAMIC_DNS) {
        fail(this, `hosts[${i}] ${show(w)} is a wildcard, which resolution ${resolution} cannot resolve (there is no single name to look up); use resolution DYNAMIC_DNS, or NONE with the service's CIDR blocks in addresses`);
      }
    }

    // TCP ports.
    if (l4.length > 0) {
      const desc = l4.map(p => `ports[${this._ports.indexOf(p)}] ${p.name} (${p.protocol})`).join(', ');
      if (resolution === ServiceEntryResolution.DYNAMIC_DNS) {
        fail(this, `${desc}: resolution DYNAMIC_DNS resolves the name of each request (HTTP Host or TLS SNI), which TCP traffic does not carry; use resolution DNS with addresses, or NONE with CIDR addresses`);
      }
      if (addresses === undefined && !dnsAutoAllocate) {
        fail(this, `${desc} carries TCP, which Istio matches by destination address and port; without addresses the port would be open to every destination. Give addresses (the service's IPs, or CIDR blocks with resolution NONE), or set dnsAutoAllocate: true if the mesh allocates addresses (ISTIO_META_DNS_AUTO_ALLOCATE)`);
      }
      if (hosts.length > 1 && resolution !== ServiceEntryResolution.NONE) {
        fail(this, `${desc} carries TCP, so with resolution ${resolution} the service can have only one host (Istio cannot tell the hosts' TCP traffic apart), got ${hosts.length}; declare one EgressControlledService per host`);
      }
    }
    if (dnsAutoAllocate) {
      if (l4.length === 0) fail(this, 'dnsAutoAllocate: true only matters for TCP ports (it replaces addresses), and the service has none; remove it');
      if (addresses !== undefined) fail(this, 'dnsAutoAllocate: true and addresses are both set; the mesh allocates addresses only to ServiceEntries without them, so give one of the two');
    }

    // Egress gateway constraints.
    if (gw) {
      if (this._ports.length > 1) {
        fail(this, `ports: with egressGateway a service can have only one port (the gateway receives it on egressGateway.port ${gw.port} and cannot tell two ports of one host apart), got ${this._ports.map(p => p.name).join(', ')}`);
      }
      if (resolution !== ServiceEntryResolution.DNS && resolution !== ServiceEntryResolution.DNS_ROUND_ROBIN) {
        fail(this, `resolution ${resolution} cannot be used with egressGateway: the gateway connects to the external host itself and must resolve its name; use DNS (the default) or DNS_ROUND_ROBIN`);
      }
    }

    // TLS origination.
    this.originateTls = this.bool('originateTls', props.originateTls);
    const tls = this.checkTlsOrigination(props);

    // Routing and resilience.
    const timeoutMs = checkDuration(this, 'timeout', props.timeout);
    if (props.retries !== undefined && !(props.retries instanceof RetryPolicy)) {
      fail(this, `retries must be a RetryPolicy (e.g. RetryPolicy.of({ attempts: 2 })), got ${show(props.retries)}`);
    }
    for (const [prop, value] of [['timeout', props.timeout], ['retries', props.retries]] as const) {
      if (value === undefined) continue;
      if (httpPorts.length === 0) {
        fail(this, `${prop} applies to HTTP ports, and ${this._ports.map(p => `${p.name} (${p.protocol})`).join(', ')} ${this._ports.length === 1 ? 'is' : 'are'} not HTTP; for TCP and TLS set connectionPool.connectTimeout instead`);
      }
      if (exact.length === 0) fail(this, `${prop} cannot be applied to wildcard hosts (Istio routes only exact hosts); remove it`);
    }
    props.retries?._validate(this, 'retries', timeoutMs ?? 15000);
    for (const [prop, value] of [['connectionPool', props.connectionPool], ['outlierDetection', props.outlierDetection]] as const) {
      if (value !== undefined && exact.length === 0) {
        fail(this, `${prop} cannot be applied to wildcard hosts (a DestinationRule needs an exact host); remove it`);
      }
    }

    // App-wide uniqueness: object names and hosts.
    claim(this, 'egress object name', `${this.namespace}/${this.name}`, 'object name (namespace/name)');
    if (gw && gw.namespace !== this.namespace) claim(this, 'egress object name', `${gw.namespace}/${this.name}`, 'object name (namespace/name)');
    claimExternalHosts(this, 'hosts', hosts);

    // The ServiceEntry.
    const sePorts = this.originateTls
      ? this._ports.map(p => MeshPort.of(p.number, p.protocol, { name: p.name, targetPort: tls.port }))
      : this._ports;
    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      metadata: { name: this.name, namespace: this.namespace },
      hosts,
      allowWildcardHosts: allowWildcard || undefined,
      ports: sePorts,
      resolution,
      addresses,
      dnsAutoAllocate: dnsAutoAllocate || undefined,
      exportTo: ['.'],
    });

    // Per exact host: the DestinationRule towards the host, and the routes.
    const suffixes = hostSuffixes(exact);
    const objectName = (h: string) => (hosts.length === 1 ? this.name : childName(this.name, suffixes.get(h)));
    const idOf = (kind: string, h: string) => (hosts.length === 1 ? kind : `${kind}-${h}`);
    const gatewayName = this.name;
    const gatewayRef = gw && `${gw.namespace}/${gatewayName}`;

    if (gw) {
      this.egressGatewayNamespace = gw.namespace;
      this.egressGatewayHost = gw.host;
      const port = this._ports[0];
      this.gateway = new Gateway(this, 'Gateway', {
        metadata: { name: gatewayName, namespace: gw.namespace },
        selector: gw.selector,
        // HTTP: one server for every host (the gateway routes by Host header). TLS and TCP: one server per host,
        // because after terminating the mTLS the gateway picks the TCP route by server, not by host.
        servers: (port.isHttp ? [exact] : exact.map(h => [h])).map(group => ({
          port: gw.port,
          protocol: port.isHttp ? Protocol.HTTPS : Protocol.TLS,
          name: childName(port.isHttp ? 'https' : 'tls', group.length === exact.length ? this.name : objectName(group[0])),
          hosts: group.map(h => `${this.namespace}/${h}`),
          tlsMode: GatewayTlsMode.ISTIO_MUTUAL,
        })),
      });
      // The SNI is set per subset: every EgressControlledService using the gateway adds a DestinationRule for the
      // gateway host, and Istio merges their subsets but keeps only one top-level traffic policy, so a top-level SNI
      // would be wrong for all but one of them. For the same reason no resilience defaults are rendered here.
      this.gatewayDestinationRule = new DestinationRule(this, 'GatewayDestinationRule', {
        metadata: { name: childName(this.name, 'egressgateway'), namespace: gw.namespace },
        host: gw.host,
        exportTo: ['.'],
        tlsMode: TlsMode.ISTIO_MUTUAL,
        resilienceDefaults: false,
        subsets: exact.map(h => ({ name: objectName(h), labels: gw.selector, tlsMode: TlsMode.ISTIO_MUTUAL, sni: h })),
      });
      registerGatewayWorkload(this, {
        direction: 'egress',
        namespace: gw.namespace,
        selector: { ...gw.selector },
        serviceAccountName: gw.serviceAccountName,
        ports: [gw.targetPort],
        constructPath: this.node.path,
      });
    }

    for (const h of exact) {
      const sni = tls.sni ?? h;
      const verify = this.originateTls && !tls.insecureSkipVerify;
      const dr = new DestinationRule(this, idOf('DestinationRule', h), {
        metadata: { name: objectName(h), namespace: this.namespace },
        host: h,
        exportTo: ['.'],
        tlsMode: this.originateTls ? TlsMode.SIMPLE : TlsMode.DISABLE,
        sni: this.originateTls && !tls.disableSni ? sni : undefined,
        subjectAltNames: verify ? tls.subjectAltNames ?? [sni] : undefined,
        caCertificates: this.originateTls ? tls.caCertificates : undefined,
        insecureSkipVerify: this.originateTls && tls.insecureSkipVerify ? true : undefined,
        connectionPool: props.connectionPool,
        outlierDetection: props.outlierDetection,
      });
      if (gw) dr.addExportTo(gw.namespace);
      this._destinationRules.push(dr);

      const timeout = props.timeout;
      const retries = props.retries;
      const httpRoutes: HttpRouteOptions[] = [];
      const tlsRoutes: TlsRouteOptions[] = [];
      const tcpRoutes: TcpRouteOptions[] = [];
      if (gw) {
        const port = this._ports[0];
        const toGateway: RouteDestination = { host: gw.host, subset: objectName(h), port: gw.port };
        const toHost: RouteDestination = { host: h, port: port.number };
        if (port.isHttp) {
          httpRoutes.push({ name: 'to-egress-gateway', matches: [{ gateways: [MESH_GATEWAY], port: port.number }], destinations: [toGateway], timeout, retries });
          httpRoutes.push({ name: 'from-egress-gateway', matches: [{ gateways: [gatewayRef!], port: gw.port }], destinations: [toHost], timeout, retries });
        } else if (port.isTls) {
          tlsRoutes.push({ matches: [{ gateways: [MESH_GATEWAY], port: port.number, sniHosts: [h] }], destinations: [toGateway] });
          tcpRoutes.push({ matches: [{ gateways: [gatewayRef!], port: gw.port }], destinations: [toHost] });
        } else {
          tcpRoutes.push({ matches: [{ gateways: [MESH_GATEWAY], port: port.number }], destinations: [toGateway] });
          tcpRoutes.push({ matches: [{ gateways: [gatewayRef!], port: gw.port }], destinations: [toHost] });
        }
      } else if (httpPorts.length > 0) {
        for (const p of this._ports) {
          const to: RouteDestination[] = [{ host: h, port: p.number }];
          if (p.isHttp) httpRoutes.push({ name: p.name, matches: [{ port: p.number }], destinations: to, timeout, retries });
          else if (p.isTls) tlsRoutes.push({ matches: [{ port: p.number, sniHosts: [h] }], destinations: to });
          else tcpRoutes.push({ matches: [{ port: p.number }], destinations: to });
        }
      }
      if (httpRoutes.length + tlsRoutes.length + tcpRoutes.length > 0) {
        const vs = new VirtualService(this, idOf('VirtualService', h), {
          metadata: { name: objectName(h), namespace: this.namespace },
          hosts: [h],
          gateways: gw ? [MESH_GATEWAY, gatewayRef!] : [MESH_GATEWAY],
          exportTo: ['.'],
          httpRoutes: httpRoutes.length > 0 ? httpRoutes : undefined,
          tlsRoutes: tlsRoutes.length > 0 ? tlsRoutes : undefined,
          tcpRoutes: tcpRoutes.length > 0 ? tcpRoutes : undefined,
        });
        if (gw) vs.addExportTo(gw.namespace);
        this._virtualServices.push(vs);
      }
    }
    if (gw) this.serviceEntry.addExportTo(gw.namespace);

    this.node.addValidation({ validate: () => this.validateLate() });
  }

  /** The external hosts (copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The ports (copy). */
  public get ports(): MeshPort[] {
    return [...this._ports];
  }

  /** Namespaces of the sources allowed to call the service, sorted. */
  public get callerNamespaces(): string[] {
    return uniqSorted(this._callerNamespaces);
  }

  /** The DestinationRules towards the external hosts, one per exact host (copy). */
  public get destinationRules(): DestinationRule[] {
    return [...this._destinationRules];
  }

  /** The VirtualServices, one per exact host (with HTTP ports or an egress gateway) (copy). */
  public get virtualServices(): VirtualService[] {
    return [...this._virtualServices];
  }

  /** The ALLOW policy on the egress gateway (with `egressGateway`, once a source is allowed). */
  public get authorizationPolicy(): AuthorizationPolicy | undefined {
    return this._policy;
  }

  /**
   * Allows `source` to call the external service: its hosts (and, with an egress gateway, the gateway) are added to
   * the source's Sidecar egress, the source's namespace to the exportTo of the ServiceEntry and routes, and, with an
   * egress gateway, the source's identity to the gateway's ALLOW policy.
   *
   * `options.methods` and `options.paths` need an egress gateway and an HTTP port (only the gateway can enforce
   * them); `options.ports` cannot narrow the grant (a Sidecar lists hosts, not ports).
   */
  public allowFrom(source: ITrafficSource, options: AllowOptions = {}): void {
    const who = checkSource(this, 'allowFrom source', source);
    const opts = options ?? {};
    if (typeof opts !== 'object') fail(this, `allowFrom options must be an AllowOptions struct, got ${show(options)}`);
    if (opts.requireJwt !== undefined && opts.requireJwt !== false) {
      fail(this, 'allowFrom options.requireJwt is not supported for an external service: the JWT of the caller is not validated on the way out; omit it');
    }
    const gw = this._gw;
    if (!gw && (opts.methods !== undefined || opts.paths !== undefined || opts.pathMatches !== undefined)) {
      fail(this, 'allowFrom options.methods and paths can be enforced only by an egress gateway: without egressGateway the caller\'s sidecar reaches the whole host, so they would be ignored; set egressGateway, or omit them');
    }
    const op = allowOperation(this, 'allowFrom options', opts, this._ports);
    if (opts.ports !== undefined && new Set(opts.ports).size < this._ports.length) {
      fail(this, `allowFrom options.ports cannot allow only some ports of an external service (the caller's Sidecar lists hosts, not ports, so every port ${this._ports.map(p => p.number).join(', ')} becomes reachable); omit ports`);
    }

    const from = who.serviceAccount !== undefined
      ? { principals: [this._mesh.principal(who.namespace, who.serviceAccount)] }
      : { namespaces: [who.namespace] };
    const caller: Caller = { from, methods: op?.methods, paths: op?.paths };
    const key = JSON.stringify(caller);
    const isNew = !this._callers.has(key);
    this._callers.set(key, caller);

    if (!this._callerNamespaces.has(who.namespace)) {
      this._callerNamespaces.add(who.namespace);
      this.serviceEntry.addExportTo(who.namespace);
      for (const vs of this._virtualServices) vs.addExportTo(who.namespace);
      if (gw) this.gatewayDestinationRule!.addExportTo(who.namespace);
      else for (const dr of this._destinationRules) dr.addExportTo(who.namespace);
    }

    if (gw && isNew) {
      if (!this._policy) {
        this._policy = new AuthorizationPolicy(this, 'GatewayAuthorizationPolicy', {
          metadata: { name: this.name, namespace: gw.namespace },
          selector: gw.selector,
        });
      }
      this._policy.addRule(this.gatewayRule(caller));
    }

    const egressHosts = this._hosts.map(h => `${this.namespace}/${h}`);
    if (gw) egressHosts.push(`${gw.namespace}/${gw.host}`);
    ServiceGraph.of(this).addEdge({
      source,
      sourceNamespace: who.namespace,
      sourceServiceAccount: who.serviceAccount,
      sourceDescription: source.sourceDescription,
      destinationKind: EdgeDestinationKind.EXTERNAL,
      destinationNamespace: this.namespace,
      destinationHosts: [...this._hosts],
      egressHosts,
      destinationPath: this.node.path,
    });
  }

  /** The gateway ALLOW rule of one caller: its identity, for these hosts only. */
  private gatewayRule(caller: Caller): AuthorizationRule {
    const port = this._ports[0];
    if (port.isHttp) {
      return { from: [caller.from], to: [{ hosts: [...this._hosts], methods: caller.methods, paths: caller.paths }] };
    }
    // TLS and TCP: the gateway sees no Host header, only the SNI of the sidecar's mTLS connection (the host).
    return { from: [caller.from], when: [{ key: 'connection.sni', values: [...this._hosts] }] };
  }

  private validateLate(): string[] {
    const errors: string[] = [];
    if (this._callers.size === 0) {
      errors.push(`no source may call ${this._hosts.join(', ')}: call allowFrom(source) for each workload that needs it `
        + `(an EgressControlledService nobody may call is reachable by no one${this._gw ? ' and its egress gateway policy would have no rules' : ''})`);
    }
    const own = this.serviceEntry;
    for (const c of this.node.root.node.findAll()) {
      if (!(c instanceof ServiceEntry) || c === own || c.node.path.startsWith(`${this.node.path}/`)) continue;
      for (const h of this._hosts) {
        const clash = c.hosts.find(o => externalHostsOverlap(o, h));
        if (clash !== undefined) {
          errors.push(`hosts ${show(h)} ${clash === h ? 'is also declared' : `overlaps ${show(clash)}, declared`} by the ServiceEntry at ${c.node.path}; `
            + 'Istio keeps only one definition per host, so declare it once (the EgressControlledService renders its own ServiceEntry)');
        }
      }
    }
    return errors;
  }

  private bool(prop: string, value: boolean | undefined): boolean {
    if (value !== undefined && typeof value !== 'boolean') fail(this, `${prop} must be a boolean, got ${show(value)}`);
    return value ?? false;
  }

  private resolveGateway(o: EgressGatewayOptions): ResolvedGateway {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      fail(this, `egressGateway must be an EgressGatewayOptions struct (e.g. { namespace: 'istio-egress' }), got ${show(o)}`);
    }
    const namespace = checkDnsLabel(this, 'egressGateway.namespace', o.namespace ?? 'istio-egress');
    const selector = o.selector ?? { istio: 'egressgateway' };
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) {
      fail(this, `egressGateway.selector must select the egress gateway pods with at least one label (e.g. { istio: 'egressgateway' }); an empty selector would put the Gateway and its AuthorizationPolicy on every pod of namespace ${show(namespace)}, got ${show(selector)}`);
    }
    checkLabels(this, 'egressGateway.selector', selector, { nonEmpty: true });
    const serviceName = checkDnsLabel(this, 'egressGateway.serviceName', o.serviceName ?? 'istio-egressgateway');
    const serviceAccountName = checkDnsSubdomain(this, 'egressGateway.serviceAccountName', o.serviceAccountName ?? serviceName);
    const port = checkPort(this, 'egressGateway.port', o.port ?? 443);
    const targetPort = checkPort(this, 'egressGateway.targetPort', o.targetPort ?? port);
    const host = this._mesh.serviceHost(serviceName, namespace);
    return { namespace, selector: { ...selector }, serviceName, serviceAccountName, port, targetPort, host };
  }

  private checkTlsOrigination(p: EgressControlledServiceProps): {
    port: number; sni?: string; disableSni: boolean; subjectAltNames?: string[]; caCertificates?: string; insecureSkipVerify: boolean;
  } {
    const disableSni = this.bool('disableSni', p.disableSni);
    const insecureSkipVerify = this.bool('insecureSkipVerify', p.insecureSkipVerify);
    const given: string[] = (['tlsOriginationPort', 'sni', 'subjectAltNames', 'caCertificates'] as const).filter(k => p[k] !== undefined);
    if (disableSni) given.push('disableSni');
    if (insecureSkipVerify) given.push('insecureSkipVerify');
    if (!this.originateTls) {
      if (given.length > 0) {
        fail(this, `${given.join(', ')} ${given.length === 1 ? 'configures' : 'configure'} TLS origination, but originateTls is not set; set originateTls: true (on HTTP ports), or remove ${given.length === 1 ? 'it' : 'them'}`);
      }
      return { port: 443, disableSni, insecureSkipVerify };
    }
    this._ports.forEach((port, i) => {
      if (port.isTls) {
        fail(this, `originateTls: ports[${i}] ${port.name} is ${port.protocol}, which is already TLS (the application encrypts), so originating TLS would encrypt twice; declare the port as MeshPort.http(${port.number}) if the application sends plain HTTP, or remove originateTls`);
      }
      if (!port.isHttp) {
        fail(this, `originateTls needs HTTP ports (the proxy upgrades the application's plain HTTP to TLS), but ports[${i}] ${port.name} is ${port.protocol}`);
      }
      if (port.targetPort !== port.number) {
        fail(this, `originateTls: ports[${i}] ${port.name} sets targetPort ${port.targetPort}; the external port TLS goes to is tlsOriginationPort (@default 443)`);
      }
    });
    const tlsPort = checkPort(this, 'tlsOriginationPort', p.tlsOriginationPort ?? 443);
    if (p.sni !== undefined) {
      if (disableSni) fail(this, `sni ${show(p.sni)} and disableSni: true contradict each other; give one`);
      if (typeof p.sni !== 'string' || !isFqdn(p.sni) || looksLikeIp(p.sni)) fail(this, `sni must be a fully qualified domain name (the server name to present), got ${show(p.sni)}`);
    }
    let sans: string[] | undefined;
    if (p.subjectAltNames !== undefined) {
      if (!Array.isArray(p.subjectAltNames) || p.subjectAltNames.length === 0) {
        fail(this, `subjectAltNames must list at least one name the server certificate carries, got ${show(p.subjectAltNames)}`);
      }
      p.subjectAltNames.forEach((s, i) => {
        if (typeof s !== 'string' || s.trim() === '' || /\s/.test(s)) fail(this, `subjectAltNames[${i}] must be a name (DNS name, URI or IP) without whitespace, got ${show(s)}`);
        if (p.subjectAltNames!.indexOf(s) !== i) fail(this, `subjectAltNames lists ${show(s)} twice`);
      });
      sans = [...p.subjectAltNames];
    }
    if (p.caCertificates !== undefined && (typeof p.caCertificates !== 'string' || p.caCertificates.trim() === '' || /\s/.test(p.caCertificates))) {
      fail(this, `caCertificates must be the path of a CA bundle inside the proxy (e.g. /etc/certs/ca.pem), got ${show(p.caCertificates)}`);
    }
    if (insecureSkipVerify) {
      const conflicting = (['caCertificates', 'subjectAltNames'] as const).filter(k => p[k] !== undefined);
      if (conflicting.length > 0) {
        fail(this, `insecureSkipVerify: true cannot be combined with ${conflicting.join(' or ')} (the server certificate is either verified or not)`);
      }
    } else if (disableSni && sans === undefined) {
      fail(this, 'subjectAltNames is required when disableSni is true and the server certificate is verified: without SNI there is no name to check the certificate against, so any certificate the CA signed would be accepted; list the names the server certificate must carry (e.g. ["api.stripe.com"]), or send SNI');
    }
    return { port: tlsPort, sni: p.sni, disableSni, subjectAltNames: sans, caCertificates: p.caCertificates, insecureSkipVerify };
  }
}

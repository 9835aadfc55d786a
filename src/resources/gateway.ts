import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/networking.istio.io';
import { fail, show } from '../private/errors';
import { checkDnsLabel, checkDnsSubdomain, checkPort, isDnsLabel, uniqSorted } from '../private/validate';
import { GatewayTlsMode, TlsProtocolVersion } from '../values/istio-enums';
import { MeshPort } from '../values/mesh-port';
import { Protocol } from '../values/protocol';
import { addSizeValidation, checkArray, checkEnum, checkHostName, checkSelector, checkStrings, resolveMetadata, wire } from './private/common';

/** The protocols a Gateway server accepts. */
const GATEWAY_PROTOCOLS: string[] = [
  Protocol.HTTP, Protocol.HTTP2, Protocol.HTTPS, Protocol.GRPC, Protocol.GRPC_WEB, Protocol.TCP, Protocol.TLS, Protocol.MONGO,
];

/** Modes that terminate TLS at the gateway (and so take a minimum protocol version). */
const TERMINATING = [GatewayTlsMode.SIMPLE, GatewayTlsMode.MUTUAL, GatewayTlsMode.OPTIONAL_MUTUAL, GatewayTlsMode.ISTIO_MUTUAL];
/** Modes that need a certificate Secret. */
const NEEDS_CREDENTIAL = [GatewayTlsMode.SIMPLE, GatewayTlsMode.MUTUAL, GatewayTlsMode.OPTIONAL_MUTUAL];

/** One server (listener) of a Gateway. */
export interface GatewayServer {
  /** Port number the gateway listens on. */
  readonly port: number;

  /** Protocol on the port: HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TCP, TLS or MONGO. */
  readonly protocol: Protocol;

  /**
   * Port name (a DNS-1123 label), unique within the Gateway.
   *
   * @default '<protocol>-<port>', with '-2', '-3' … appended when several servers share a port
   */
  readonly name?: string;

  /**
   * Hosts the server admits: `<namespace>/<host>` (only VirtualServices of that namespace may bind) or `<host>`.
   * A bare `*` host (with or without a namespace) is rejected unless `allowWildcardHost` is set.
   */
  readonly hosts: string[];

  /**
   * Allows a bare `*` host (every host), which lets any VirtualService bind to the server.
   *
   * @default false
   */
  readonly allowWildcardHost?: boolean;

  /**
   * TLS mode. Required for HTTPS and TLS servers; not allowed on other protocols.
   *
   * @default - no TLS
   */
  readonly tlsMode?: GatewayTlsMode;

  /**
   * Name of the Secret (in the gateway's namespace) with the server certificate (and CA for MUTUAL). Required for
   * SIMPLE, MUTUAL and OPTIONAL_MUTUAL; not allowed for PASSTHROUGH and ISTIO_MUTUAL.
   *
   * @default - no Secret
   */
  readonly credentialName?: string;

  /**
   * Minimum TLS version of a server that terminates TLS.
   *
   * @default TlsProtocolVersion.TLSV1_2 (servers that terminate TLS)
   */
  readonly minProtocolVersion?: TlsProtocolVersion;

  /**
   * Answers plain HTTP requests with a redirect to HTTPS (HTTP servers only).
   *
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** Props of a `Gateway`. */
export interface GatewayProps {
  /**
   * Metadata of the Gateway object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Pod labels of the gateway workloads that implement the Gateway (non-empty).
   *
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * Servers.
   *
   * @default - none; add them with `addServer()` (at least one is required at synth)
   */
  readonly servers?: GatewayServer[];
}

interface Server {
  readonly options: GatewayServer;
  readonly name: string;
}

/**
 * An Istio (networking.istio.io) Gateway: listeners of an ingress or egress gateway deployment.
 */
export class Gateway extends Construct {
  /** The Kubernetes name of the Gateway. */
  public readonly name: string;

  private readonly selector: { [key: string]: string };
  private readonly _servers: Server[] = [];

  constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this.selector = checkSelector(this, 'selector', props.selector ?? { istio: 'ingressgateway' });
    for (const s of checkArray(this, 'servers', props.servers ?? [])) this.addServer(s);

    const resource = new k8s.Gateway(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);

    this.node.addValidation({
      validate: () => (this._servers.length === 0 ? ['Gateway has no servers: add at least one with addServer()'] : []),
    });
  }

  /** The port names of the servers, in order (copy). */
  public get serverNames(): string[] {
    return this._servers.map(s => s.name);
  }

  /** Adds a server. */
  public addServer(server: GatewayServer): void {
    const prop = `servers[${this._servers.length}]`;
    if (server === null || typeof server !== 'object') fail(this, `${prop} must be a GatewayServer struct, got ${show(server)}`);
    checkPort(this, `${prop}.port`, server.port);
    const protocol = server.protocol;
    if (!GATEWAY_PROTOCOLS.includes(protocol)) {
      fail(this, `${prop}.protocol must be one of ${GATEWAY_PROTOCOLS.join(', ')}, got ${show(protocol)}`);
    }
    const clash = this._servers.findIndex(s => s.options.port === server.port && s.options.protocol !== protocol);
    if (clash >= 0) {
      fail(this, `${prop} uses port ${server.port} with protocol ${protocol}, but servers[${clash}] uses it with ${this._servers[clash].options.protocol}; one port has one protocol`);
    }

    // Port name.
    let name = server.name;
    if (name !== undefined) {
      checkDnsLabel(this, `${prop}.name`, name);
      const same = this._servers.findIndex(s => s.name === name);
      if (same >= 0) fail(this, `${prop}.name ${show(name)} is already used by servers[${same}]; port names must be unique within a Gateway`);
    } else {
      const base = MeshPort.of(server.port, protocol).name; // '<protocol prefix>-<port>'
      name = base;
      for (let n = 2; this._servers.some(s => s.name === name); n++) name = `${base}-${n}`;
    }

    // Hosts.
    const allowWildcard = server.allowWildcardHost ?? false;
    checkStrings(this, `${prop}.hosts`, server.hosts, { nonEmpty: true }).forEach((h, i) => {
      const hp = `${prop}.hosts[${i}]`;
      const parts = h.split('/');
      if (parts.length > 2) fail(this, `${hp} must be "<namespace>/<host>" or "<host>", got ${show(h)}`);
      const host = parts[parts.length - 1];
      if (parts.length === 2) {
        const ns = parts[0];
        if (ns !== '.' && ns !== '*' && !isDnsLabel(ns)) fail(this, `${hp} namespace must be '.', '*' or a namespace name, got ${show(ns)} in ${show(h)}`);
      }
      if (host === '*' && !allowWildcard) {
        fail(this, `${hp} ${show(h)} admits every host, so any VirtualService can bind to this server; list the hosts, or set allowWildcardHost: true`);
      }
      checkHostName(this, hp, host, { wildcard: true, star: true });
    });

    // TLS.
    const mode = server.tlsMode;
    if (mode !== undefined) {
      if ((mode as string) === 'AUTO_PASSTHROUGH') {
        fail(this, `${prop}.tlsMode AUTO_PASSTHROUGH exposes every service of the mesh by SNI (ISTIO-SECURITY-2021-006); it is only for east-west gateways`);
      }
      checkEnum(this, `${prop}.tlsMode`, mode, GatewayTlsMode);
      if (protocol !== Protocol.HTTPS && protocol !== Protocol.TLS) {
        fail(this, `${prop}.tlsMode is set on a ${protocol} server; TLS settings are allowed only on HTTPS and TLS servers${protocol === Protocol.HTTP ? ' (use protocol HTTPS, or httpsRedirect)' : ''}`);
      }
    } else if (protocol === Protocol.HTTPS || protocol === Protocol.TLS) {
      fail(this, `${prop} is a ${protocol} server without tlsMode; set tlsMode (e.g. GatewayTlsMode.SIMPLE with credentialName)`);
    }
    if (server.credentialName !== undefined) {
      checkDnsSubdomain(this, `${prop}.credentialName`, server.credentialName);
      if (mode === undefined || !NEEDS_CREDENTIAL.includes(mode)) fail(this, `${prop}.credentialName is not allowed with tlsMode ${mode ?? '(none)'}`);
    } else if (mode !== undefined && NEEDS_CREDENTIAL.includes(mode)) {
      fail(this, `${prop}.credentialName is required with tlsMode ${mode} (the Secret with the server certificate)`);
    }
    if (server.minProtocolVersion !== undefined) {
      checkEnum(this, `${prop}.minProtocolVersion`, server.minProtocolVersion, TlsProtocolVersion);
      if (mode === undefined || !TERMINATING.includes(mode)) fail(this, `${prop}.minProtocolVersion applies only to servers that terminate TLS, got tlsMode ${mode ?? '(none)'}`);
    }
    if (server.httpsRedirect !== undefined) {
      if (typeof server.httpsRedirect !== 'boolean') fail(this, `${prop}.httpsRedirect must be a boolean, got ${show(server.httpsRedirect)}`);
      if (server.httpsRedirect && protocol !== Protocol.HTTP) fail(this, `${prop}.httpsRedirect is allowed only on HTTP servers, got ${protocol}`);
    }

    this._servers.push({ options: { ...server, hosts: [...server.hosts] }, name });
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.GatewaySpec {
    return {
      selector: { ...this.selector },
      servers: this._servers.length > 0 ? this._servers.map(s => {
        const o = s.options;
        const mode = o.tlsMode;
        let tls: k8s.GatewaySpecServersTls | undefined;
        if (mode !== undefined) {
          tls = {
            mode: wire<k8s.GatewaySpecServersTlsMode>(mode),
            credentialName: o.credentialName,
            minProtocolVersion: TERMINATING.includes(mode)
              ? wire<k8s.GatewaySpecServersTlsMinProtocolVersion>(o.minProtocolVersion ?? TlsProtocolVersion.TLSV1_2)
              : undefined,
          };
        } else if (o.httpsRedirect) {
          tls = { httpsRedirect: true };
        }
        return {
          port: { number: o.port, name: s.name, protocol: o.protocol },
          hosts: uniqSorted(o.hosts),
          tls,
        };
      }) : undefined,
    };
  }
}

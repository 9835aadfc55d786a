import { IConstruct } from 'constructs';
import { Protocol } from './protocol';
import { fail, show } from '../private/errors';
import { checkPort, isDnsLabel } from '../private/validate';

/** Options for a `MeshPort`. */
export interface MeshPortOptions {
  /**
   * Port name. Istio selects the protocol from the name prefix (`<protocol>[-<suffix>]`), so a custom
   * name must start with the protocol's prefix (`http-web`, `grpc-api`).
   *
   * @default '<protocol prefix>-<port number>', e.g. 'http-9080'
   */
  readonly name?: string;

  /**
   * The port the container listens on (the Service `targetPort`, the port Istio policies match).
   *
   * @default - the port number
   */
  readonly targetPort?: number;
}

const PREFIX: Record<string, string> = {
  [Protocol.HTTP]: 'http',
  [Protocol.HTTP2]: 'http2',
  [Protocol.HTTPS]: 'https',
  [Protocol.GRPC]: 'grpc',
  [Protocol.GRPC_WEB]: 'grpc-web',
  [Protocol.TCP]: 'tcp',
  [Protocol.TLS]: 'tls',
  [Protocol.MONGO]: 'mongo',
  [Protocol.MYSQL]: 'mysql',
  [Protocol.REDIS]: 'redis',
};

/**
 * A port of a mesh service or external service, with its protocol declared explicitly
 * (Istio protocol selection: port name prefix and `appProtocol`).
 *
 * `MeshPort.http(9080)`, `MeshPort.grpc(9090)`, `MeshPort.https(443)`, `MeshPort.tcp(5432)`.
 */
export class MeshPort {
  /** A plain-text HTTP/1.1 port. */
  public static http(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.HTTP, options);
  }

  /** A plain-text HTTP/2 port. */
  public static http2(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.HTTP2, options);
  }

  /** An HTTPS port (TLS that the application terminates; Istio treats it as opaque TLS with SNI). */
  public static https(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.HTTPS, options);
  }

  /** A gRPC port. */
  public static grpc(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.GRPC, options);
  }

  /** A gRPC-Web port. */
  public static grpcWeb(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.GRPC_WEB, options);
  }

  /** An opaque TCP port. */
  public static tcp(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.TCP, options);
  }

  /** A TLS port (routed by SNI). */
  public static tls(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.TLS, options);
  }

  /** A MongoDB port. */
  public static mongo(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.MONGO, options);
  }

  /** A MySQL port (server-first: never left to protocol sniffing). */
  public static mysql(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.MYSQL, options);
  }

  /** A Redis port. */
  public static redis(port: number, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, Protocol.REDIS, options);
  }

  /** A port with any protocol. */
  public static of(port: number, protocol: Protocol, options: MeshPortOptions = {}): MeshPort {
    return new MeshPort(port, protocol, options);
  }

  /** The port number (the Service port). */
  public readonly number: number;
  /** The protocol. */
  public readonly protocol: Protocol;
  /** The port name, `<protocol prefix>[-suffix]`. */
  public readonly name: string;
  /** The container port. */
  public readonly targetPort: number;

  private constructor(port: number, protocol: Protocol, options: MeshPortOptions) {
    this.number = port;
    this.protocol = protocol;
    this.name = options.name ?? `${PREFIX[protocol] ?? String(protocol).toLowerCase()}-${port}`;
    this.targetPort = options.targetPort ?? port;
  }

  /** The Kubernetes `appProtocol` value Istio recognises for this port (`http`, `grpc`, `tcp` …). */
  public get appProtocol(): string {
    return PREFIX[this.protocol] ?? String(this.protocol).toLowerCase();
  }

  /** Whether Istio handles this port as HTTP (L7 routing, retries, HTTP authorization apply). */
  public get isHttp(): boolean {
    return [Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC, Protocol.GRPC_WEB].includes(this.protocol);
  }

  /** Whether traffic on this port is TLS the application (not the mesh) handles. */
  public get isTls(): boolean {
    return this.protocol === Protocol.HTTPS || this.protocol === Protocol.TLS;
  }

  /**
   * Checks the port for the construct that received it.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    checkPort(scope, `${prop}.number`, this.number);
    checkPort(scope, `${prop}.targetPort`, this.targetPort);
    if (!Object.values(Protocol).includes(this.protocol)) {
      fail(scope, `${prop}.protocol must be one of ${Object.values(Protocol).join(', ')}, got ${show(this.protocol)}`);
    }
    if (!isDnsLabel(this.name)) {
      fail(scope, `${prop}.name must be a DNS-1123 label, got ${show(this.name)}`);
    }
    const prefix = this.appProtocol;
    if (this.name !== prefix && !this.name.startsWith(`${prefix}-`)) {
      fail(scope, `${prop}.name must start with the protocol prefix "${prefix}" (Istio selects the protocol from "<protocol>[-<suffix>]"), got ${show(this.name)}`);
    }
  }
}

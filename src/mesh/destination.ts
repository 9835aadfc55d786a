import { IConstruct } from 'constructs';
import { ITrafficSource } from './traffic-source';
import { HttpMatch } from '../values/http-match';
import { MeshPort } from '../values/mesh-port';

/**
 * What an `allowFrom` grant permits. Everything is a positive match; an empty options object allows
 * every request from the source.
 */
export interface AllowOptions {
  /**
   * Service ports the source may call (translated to the workload's target ports in the policy).
   *
   * @default - every port of the destination
   */
  readonly ports?: number[];

  /**
   * HTTP methods the source may use (GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE).
   * HTTP ports only.
   *
   * @default - every method
   */
  readonly methods?: string[];

  /**
   * Request paths in AuthorizationPolicy syntax: `/exact`, a prefix `/api/*`, a suffix `*.png`.
   * A `*` anywhere else is rejected (Istio would treat it literally). HTTP ports only.
   *
   * @default - every path
   */
  readonly paths?: string[];

  /**
   * Request paths as typed matches (`HttpMatch.exact('/healthz')`, `HttpMatch.prefix('/api/')`); no regex.
   * Combined with `paths`.
   *
   * @default - every path
   */
  readonly pathMatches?: HttpMatch[];

  /**
   * Also require a valid JWT (a request principal) on these requests. Pair with a RequestAuthentication
   * (e.g. `ZeroTrustNamespace.requireJwt`) that validates the token.
   *
   * @default false
   */
  readonly requireJwt?: boolean;
}

/**
 * A destination in the service graph: `allowFrom(source)` lets `source` call it, and updates every
 * object that depends on that fact (the destination's ALLOW rule, the source's Sidecar egress,
 * the destination's exportTo).
 */
export interface IMeshDestination extends IConstruct {
  /**
   * Allows `source` to call this destination.
   */
  allowFrom(source: ITrafficSource, options?: AllowOptions): void;
}

/**
 * A Kubernetes service in the mesh (created by this app, wrapped, or imported by name).
 */
export interface IMeshService extends IMeshDestination, ITrafficSource {
  /** The Kubernetes Service name. */
  readonly serviceName: string;
  /** The namespace of the service. */
  readonly namespace: string;
  /** The service FQDN, `<name>.<namespace>.svc.<clusterDomain>`. */
  readonly host: string;
  /** The service ports; the first is the default route port. */
  readonly ports: MeshPort[];
}

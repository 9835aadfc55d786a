/** What kind of destination an edge leads to. */
export enum EdgeDestinationKind {
  /** A service in the mesh. */
  SERVICE = 'service',
  /** Every service of a namespace. */
  NAMESPACE = 'namespace',
  /** A host outside the mesh (ServiceEntry). */
  EXTERNAL = 'external',
}

/**
 * One declared "may call" edge of the service graph, as recorded by `allowFrom()`.
 */
export interface MeshEdge {
  /** Namespace of the caller. */
  readonly sourceNamespace: string;
  /**
   * Service account of the caller.
   *
   * @default - every workload of the source namespace
   */
  readonly sourceServiceAccount?: string;
  /** Description of the caller. */
  readonly sourceDescription: string;
  /** Kind of destination. */
  readonly destinationKind: EdgeDestinationKind;
  /** Namespace of the destination (for external services: the namespace its ServiceEntry lives in). */
  readonly destinationNamespace: string;
  /** Hosts the caller may now reach (FQDNs). */
  readonly destinationHosts: string[];
  /** The caller's Sidecar egress entries this edge adds (`<namespace>/<host>`). */
  readonly egressHosts: string[];
  /** Construct path of the destination. */
  readonly destinationPath: string;
}


/**
 * Something that sends traffic in the mesh: a mesh service, a namespace, the ingress gateway,
 * or an identity outside this app (`TrafficSource.serviceAccount('ns', 'sa')`).
 *
 * Its identity becomes the `principals` (or `namespaces`) of the destination's ALLOW rule.
 */
export interface ITrafficSource {
  /** The namespace the source's workloads run in. */
  readonly sourceNamespace: string;

  /**
   * The service account the source's workloads run as.
   *
   * @default - the whole namespace is the source (rendered as `namespaces`)
   */
  readonly sourceServiceAccount?: string;

  /** A short description used in messages, e.g. `MeshService shop/productpage`. */
  readonly sourceDescription: string;
}

/**
 * Traffic sources that are not constructs of this app.
 */
export class TrafficSource {
  /**
   * Workloads running as a Kubernetes service account (principal `<trustDomain>/ns/<namespace>/sa/<name>`).
   */
  public static serviceAccount(namespace: string, name: string): ITrafficSource {
    return new ServiceAccountSource(namespace, name);
  }

  /**
   * Every workload of a namespace (rendered as `source.namespaces`).
   */
  public static namespace(name: string): ITrafficSource {
    return new NamespaceSource(name);
  }

  private constructor() {}
}

class ServiceAccountSource implements ITrafficSource {
  public readonly sourceDescription: string;
  constructor(public readonly sourceNamespace: string, public readonly sourceServiceAccount: string) {
    this.sourceDescription = `service account ${sourceNamespace}/${sourceServiceAccount}`;
  }
}

class NamespaceSource implements ITrafficSource {
  public readonly sourceDescription: string;
  constructor(public readonly sourceNamespace: string) {
    this.sourceDescription = `namespace ${sourceNamespace}`;
  }
}

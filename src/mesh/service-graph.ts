import { IConstruct } from 'constructs';
import { EdgeDestinationKind, MeshEdge } from './mesh-edge';
import { ITrafficSource } from './traffic-source';
import { appSingleton } from '../private/registry';

/** An edge with the source object it came from. */
export interface EdgeRecord extends MeshEdge {
  readonly source: ITrafficSource;
}

type Listener = { matches: (e: EdgeRecord) => boolean; notify: (e: EdgeRecord) => void };

/**
 * The app's service graph: every `allowFrom` edge, in declaration order. Objects that depend on an
 * edge (the caller's Sidecar, a namespace Sidecar, the destination's policy and exportTo) subscribe
 * here, so one edge updates all of them at once — and listeners registered later see earlier edges.
 *
 * Internal: not exported from the package.
 */
export class ServiceGraph {
  public static of(scope: IConstruct): ServiceGraph {
    return appSingleton(scope, 'ServiceGraph', () => new ServiceGraph());
  }

  /** Edges whose caller runs as this identity (namespace + service account). */
  public static fromIdentity(namespace: string, serviceAccount: string): (e: EdgeRecord) => boolean {
    return e => e.sourceNamespace === namespace && e.sourceServiceAccount === serviceAccount;
  }

  /** Edges whose caller runs in this namespace (any service account, or the namespace itself). */
  public static fromNamespace(namespace: string): (e: EdgeRecord) => boolean {
    return e => e.sourceNamespace === namespace;
  }

  private readonly _edges: EdgeRecord[] = [];
  private readonly _listeners: Listener[] = [];

  public addEdge(edge: EdgeRecord): void {
    this._edges.push(edge);
    for (const l of this._listeners) if (l.matches(edge)) l.notify(edge);
  }

  /** Records that `source` (identity `who`) may call the service `host` in `namespace`, declared at `destination`. */
  public addServiceEdge(
    destination: IConstruct, namespace: string, host: string, source: ITrafficSource, who: { namespace: string; serviceAccount?: string },
  ): void {
    this.addEdge({
      source,
      sourceNamespace: who.namespace,
      sourceServiceAccount: who.serviceAccount,
      sourceDescription: source.sourceDescription,
      destinationKind: EdgeDestinationKind.SERVICE,
      destinationNamespace: namespace,
      destinationHosts: [host],
      egressHosts: [`${namespace}/${host}`],
      destinationPath: destination.node.path,
    });
  }

  /** Calls `notify` for every edge (past and future) that `matches`. */
  public subscribe(matches: (e: EdgeRecord) => boolean, notify: (e: EdgeRecord) => void): void {
    this._listeners.push({ matches, notify });
    for (const e of this._edges) if (matches(e)) notify(e);
  }

  public get edges(): MeshEdge[] {
    return this._edges.map(({ source: _source, ...rest }) => ({
      ...rest,
      destinationHosts: [...rest.destinationHosts],
      egressHosts: [...rest.egressHosts],
    }));
  }
}

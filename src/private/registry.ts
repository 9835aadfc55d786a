import { IConstruct } from 'constructs';

/**
 * One instance of T per construct tree (per App), stored on the root under a symbol.
 * Used for app-wide facts (the mesh, the service graph, host ownership) so no construct
 * walks the tree to find them.
 */
export function appSingleton<T>(scope: IConstruct, key: string, create: () => T): T {
  const root = scope.node.root as unknown as Record<symbol, unknown>;
  const sym = Symbol.for(`cdk8s-istio.${key}`);
  if (!(sym in root)) {
    Object.defineProperty(root, sym, { value: create(), enumerable: false });
  }
  return root[sym] as T;
}

/** The app-wide value stored under `key`, if any. */
export function appSingletonIfExists<T>(scope: IConstruct, key: string): T | undefined {
  const root = scope.node.root as unknown as Record<symbol, unknown>;
  return root[Symbol.for(`cdk8s-istio.${key}`)] as T | undefined;
}

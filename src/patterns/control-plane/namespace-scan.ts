import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A core/v1 Namespace as rendered, with the construct that renders it. Internal. */
export interface RenderedNamespace {
  readonly name: string;
  readonly labels: { readonly [key: string]: string };
  /** Construct path of the ApiObject. */
  readonly path: string;
}

/**
 * Every core/v1 Namespace object in the app — from any construct, raw L1 class or `Include` — rendered once
 * (`toJson()`, so JSON patches count). Called from one app-wide validation per synth; the result is handed to
 * every check that needs it instead of each check walking and rendering the tree again.
 */
export function scanNamespaces(scope: IConstruct): RenderedNamespace[] {
  const found: RenderedNamespace[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'Namespace' || c.apiVersion !== 'v1') continue;
    const json = c.toJson();
    const labels = json?.metadata?.labels ?? {};
    found.push({ name: String(json?.metadata?.name ?? c.name), labels: { ...labels }, path: c.node.path });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

/**
 * telemetry-missing-provider: a Telemetry that has no effect because of its providers (istioctl IST0157):
 * - an `accessLogging` entry without providers while the mesh has no default access-logging provider (the Istio
 *   default mesh config has none) and no Telemetry above it (mesh-wide, then namespace-wide) or entry before it
 *   names one — Istio's mergeLogs inherits providers down that chain — unless the entry only disables logging;
 * - a provider name that the mesh config does not define. Checked only when the app contains the mesh config
 *   (Sail `Istio`/`IstioRevision`, `IstioOperator`, or the `istio` ConfigMap in the root namespace); the built-in
 *   providers `prometheus`, `stackdriver` and `envoy` always exist.
 */
import { parse } from 'yaml';
import { arr, KubeObject, rec, RawFinding, Rule, str } from '../model';
import { ObjectIndex } from '../object-index';
import { policyScope, strings } from './b-helpers';

const BUILTIN_PROVIDERS = ['prometheus', 'stackdriver', 'envoy'];

interface MeshProviders {
  /** Whether any mesh config is part of the app. */
  readonly inApp: boolean;
  readonly names: Set<string>;
  readonly defaultAccessLogging: boolean;
}

function meshProviders(index: ObjectIndex, root: string): MeshProviders {
  const configs: Array<{ [key: string]: any }> = [];
  for (const kind of ['Istio', 'IstioRevision']) {
    for (const o of index.ofKind(kind, 'sailoperator.io')) configs.push(rec(rec(rec(o.spec).values).meshConfig));
  }
  for (const o of index.ofKind('IstioOperator', 'install.istio.io')) configs.push(rec(rec(o.spec).meshConfig));
  for (const cm of index.ofKind('ConfigMap', '')) {
    const name = ObjectIndex.nameOf(cm);
    if (ObjectIndex.namespaceOf(cm) !== root || (name !== 'istio' && !name.startsWith('istio-'))) continue;
    const mesh = str(rec(cm.data).mesh);
    if (mesh === undefined) continue;
    try {
      configs.push(rec(parse(mesh)));
    } catch {
      // An unparseable mesh config is not this rule's concern.
    }
  }
  const names = new Set(BUILTIN_PROVIDERS);
  let defaultAccessLogging = false;
  for (const mc of configs) {
    for (const p of arr(mc.extensionProviders)) {
      const n = str(rec(p).name);
      if (n) names.add(n);
    }
    if (strings(rec(mc.defaultProviders).accessLogging).length > 0) defaultAccessLogging = true;
  }
  return { inApp: configs.length > 0, names, defaultAccessLogging };
}

export const TELEMETRY_MISSING_PROVIDER: Rule = {
  id: 'telemetry-missing-provider',
  severity: 'warning',
  codes: ['IST0157'],
  summary: 'A Telemetry has an access-logging entry without providers (no default), or names a provider the in-app mesh config does not define.',
  check(ctx) {
    const index = ctx.index;
    const telemetries = index.ofKind('Telemetry', 'telemetry.istio.io');
    if (telemetries.length === 0) return [];
    const mesh = meshProviders(index, ctx.settings.rootNamespace);
    const out: RawFinding[] = [];
    const root = ctx.settings.rootNamespace;
    /** Whether a Telemetry names an access-logging provider (which entries below it inherit). */
    const logsProviders = (t: KubeObject) => arr(rec(t.spec).accessLogging).some((e) => arr(rec(e).providers).length > 0);
    const namespaceWide = (ns: string) => telemetries.filter((t) => ObjectIndex.namespaceOf(t) === ns && policyScope(t).kind === 'namespace');
    for (const t of telemetries) {
      const spec = rec(t.spec);
      const problems: string[] = [];
      // Istio merges access logging root -> namespace -> workload (mergeLogs): an entry without providers inherits
      // the providers of the levels above it and of the entries before it.
      const ns = ObjectIndex.namespaceOf(t);
      const scope = policyScope(t).kind;
      const parents = [
        ...(ns !== root || scope !== 'namespace' ? namespaceWide(root) : []),
        ...(ns !== root && scope !== 'namespace' ? namespaceWide(ns) : []),
      ].filter((p) => p !== t);
      let inherited = mesh.defaultAccessLogging || parents.some(logsProviders);
      for (const entry of arr(spec.accessLogging)) {
        const e = rec(entry);
        const providers = arr(e.providers);
        if (providers.length > 0) inherited = true;
        if (providers.length === 0 && e.disabled !== true && !inherited) {
          problems.push('an accessLogging entry has no providers, and neither the mesh config (defaultProviders) nor a Telemetry above it (mesh-wide, namespace-wide) names one, so it is ignored');
        }
      }
      if (mesh.inApp) {
        const unknown = new Set<string>();
        for (const section of ['accessLogging', 'tracing', 'metrics']) {
          for (const entry of arr(spec[section])) {
            for (const p of arr(rec(entry).providers)) {
              const n = str(rec(p).name);
              if (n && !mesh.names.has(n)) unknown.add(`${section} provider "${n}"`);
            }
          }
        }
        if (unknown.size > 0) problems.push(`${[...unknown].join(', ')} ${unknown.size > 1 ? 'are' : 'is'} not defined in the mesh config (extensionProviders)`);
      }
      if (problems.length === 0) continue;
      out.push({
        object: t as KubeObject,
        message: `Telemetry has no effect: ${[...new Set(problems)].join('; ')}.`,
        hint: 'Name a provider defined in meshConfig.extensionProviders (built-in: envoy, prometheus, stackdriver), e.g. accessLogging: [{ providers: [{ name: envoy }] }], or set meshConfig.defaultProviders.',
      });
    }
    return out;
  },
};

/**
 * dr-shadows-mesh-wide-policy: a DestinationRule for a host covered by a mesh-wide DestinationRule (root namespace,
 * wildcard host such as `*.local`, exported everywhere) that omits top-level trafficPolicy settings the mesh-wide
 * one sets. DestinationRules do not inherit: for that host Istio uses only the more specific rule, so the
 * mesh-wide tls / outlierDetection / connectionPool / loadBalancer settings silently stop applying (Kiali KIA0204).
 */
import { KubeObject, rec, RawFinding, Rule, str } from '../model';
import { hostCoveredBy, ObjectIndex } from '../object-index';

export const DR_SHADOWS_MESH_WIDE_POLICY: Rule = {
  id: 'dr-shadows-mesh-wide-policy',
  severity: 'warning',
  codes: ['KIA0204'],
  summary: 'A host DestinationRule omits top-level traffic-policy settings that a mesh-wide DestinationRule sets (no inheritance).',
  check(ctx) {
    const index = ctx.index;
    const root = ctx.settings.rootNamespace;
    const drs = index.networking('DestinationRule');
    const meshWide: Array<{ dr: KubeObject; host: string; keys: string[] }> = [];
    for (const dr of drs) {
      const spec = rec(dr.spec);
      const host = str(spec.host)?.toLowerCase();
      if (ObjectIndex.namespaceOf(dr) !== root || !host || !host.startsWith('*')) continue;
      if (spec.workloadSelector !== undefined) continue;
      if (!index.exportScope(dr).all) continue;
      const tp = rec(spec.trafficPolicy);
      const keys = Object.keys(tp).filter((k) => tp[k] !== undefined && tp[k] !== null);
      if (keys.length > 0) meshWide.push({ dr, host, keys });
    }
    if (meshWide.length === 0) return [];
    const out: RawFinding[] = [];
    for (const dr of drs) {
      if (meshWide.some((m) => m.dr === dr)) continue;
      const spec = rec(dr.spec);
      const raw = str(spec.host);
      if (!raw) continue;
      const ns = ObjectIndex.namespaceOf(dr);
      const host = index.expandHost(raw, ns);
      const present = new Set(Object.keys(rec(spec.trafficPolicy)));
      const missing = new Map<string, string[]>();
      for (const m of meshWide) {
        if (!hostCoveredBy(host, m.host)) continue;
        if (host === m.host && ns === root) continue;
        const lacks = m.keys.filter((k) => !present.has(k));
        if (lacks.length > 0) missing.set(`${root}/${ObjectIndex.nameOf(m.dr)}`, lacks);
      }
      if (missing.size === 0) continue;
      const parts = [...missing].map(([name, keys]) => `${keys.join(', ')} (set by the mesh-wide DestinationRule ${name})`);
      out.push({
        object: dr,
        message: `DestinationRule for ${host} replaces the mesh-wide DestinationRule but omits trafficPolicy ${parts.join('; ')}; DestinationRules do not inherit, so those settings no longer apply to ${host}.`,
        hint: 'Repeat the mesh-wide settings (e.g. tls.mode: ISTIO_MUTUAL, outlierDetection) in this DestinationRule\'s top-level trafficPolicy.',
      });
    }
    return out;
  },
};

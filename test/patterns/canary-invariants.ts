import { findObjects } from '../helpers';

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Every weighted destination list of every route (http, tcp, tls) of a VirtualService. */
export function routeLists(vs: any): any[][] {
  return ['http', 'tcp', 'tls'].flatMap(k => (vs.spec[k] ?? []).map((r: any) => r.route ?? []));
}

export interface CanaryInvariantOptions {
  /**
   * The workloads are wrapped (`CanaryService.fromExisting`): their pod templates are not part of the output, so
   * subsets are not matched against them.
   * @default false
   */
  readonly wrapped?: boolean;
}

/**
 * The acceptance invariants of issue 4, over one synthesized output (shared by canary-service.test.ts and
 * canary-service.property.test.ts):
 * - every DestinationRule subset has labels, distinct from those of the other subsets, that select a pod template of
 *   the output (unless the workloads are wrapped);
 * - every subset a VirtualService routes or mirrors to exists in the DestinationRule of its host;
 * - the weights of every route are integers summing to 100 (a single destination carries none);
 * - a mirror names a subset that is not one of the route's own destinations;
 * - with sync waves, the DestinationRule's wave is lower than the VirtualService's.
 */
export function expectCanaryInvariants(out: any[], options: CanaryInvariantOptions = {}): void {
  const rules = findObjects(out, 'DestinationRule');
  const pods = findObjects(out, 'Deployment').map(d => d.spec.template.metadata.labels ?? {});
  const selectsPod = (subsetLabels: { [k: string]: string }) =>
    pods.some(labels => Object.entries(subsetLabels).every(([k, v]) => labels[k] === v));

  for (const dr of rules) {
    const subsets: any[] = dr.spec.subsets ?? [];
    for (const subset of subsets) {
      expect(Object.keys(subset.labels).length).toBeGreaterThan(0);
      if (!options.wrapped) expect(selectsPod(subset.labels)).toBe(true);
      for (const other of subsets) {
        if (other.name !== subset.name) expect(JSON.stringify(other.labels)).not.toEqual(JSON.stringify(subset.labels));
      }
    }
  }

  for (const vs of findObjects(out, 'VirtualService')) {
    for (const kind of ['http', 'tcp', 'tls']) {
      for (const r of vs.spec[kind] ?? []) {
        const route: any[] = r.route ?? [];
        if (route.length === 1) expect(route[0].weight).toBeUndefined();
        else expect(route.reduce((s: number, d: any) => s + d.weight, 0)).toBe(100);
        for (const { destination: d, weight } of route) {
          expect(Number.isInteger(weight ?? 0)).toBe(true);
          if (!d.subset) continue;
          const dr = rules.find(x => x.spec.host === d.host);
          expect(dr).toBeDefined();
          const subset = dr.spec.subsets.find((s: any) => s.name === d.subset);
          expect(subset).toBeDefined();
          if (!options.wrapped) expect(selectsPod(subset.labels)).toBe(true);
          const drWave = dr.metadata.annotations?.[SYNC_WAVE];
          const vsWave = vs.metadata.annotations?.[SYNC_WAVE];
          if (drWave !== undefined || vsWave !== undefined) expect(Number(drWave)).toBeLessThan(Number(vsWave));
        }
        if (r.mirror) {
          expect(r.mirror.subset).toBeDefined();
          const dr = rules.find(x => x.spec.host === r.mirror.host);
          expect(dr.spec.subsets.map((s: any) => s.name)).toContain(r.mirror.subset);
          expect(route.some(d => d.destination.subset === r.mirror.subset)).toBe(false);
        }
      }
    }
  }
}

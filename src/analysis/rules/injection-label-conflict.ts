/**
 * injection-label-conflict: a Namespace carries more than one data-plane membership label (istioctl IST0123):
 * - `istio-injection=enabled` and `istio.io/rev` (istio-injection wins; the revision is ignored);
 * - `istio-injection=disabled` and `istio.io/rev` (no webhook matches: the namespace silently leaves the mesh);
 * - `istio.io/dataplane-mode=ambient` with `istio-injection=enabled` or `istio.io/rev` (sidecars win over ambient).
 * And a pod template that labels itself `istio.io/dataplane-mode=ambient` while it also gets a sidecar (pod
 * `sidecar.istio.io/inject=true` / `istio.io/rev`, or a sidecar-injected namespace) (Kiali KIA1311).
 * `istio-injection=disabled` with ambient (ambient, explicitly without sidecars) is consistent and not reported.
 */
import { RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';
import {
  LABEL_DATAPLANE_MODE, LABEL_INJECTION, LABEL_REV, labelsInjectSidecars, labelsOf, namespaceLabels, podInjectValue, podRequestsSidecar,
} from './b-helpers';

export const INJECTION_LABEL_CONFLICT: Rule = {
  id: 'injection-label-conflict',
  severity: 'warning',
  codes: ['IST0123', 'KIA1311'],
  summary: 'A Namespace (or pod template) combines istio-injection, istio.io/rev and istio.io/dataplane-mode=ambient labels that contradict each other.',
  check(ctx) {
    const index = ctx.index;
    const out: RawFinding[] = [];
    for (const ns of index.ofKind('Namespace', '')) {
      const labels = labelsOf(ns);
      const injection = labels[LABEL_INJECTION];
      const rev = labels[LABEL_REV];
      const ambient = labels[LABEL_DATAPLANE_MODE] === 'ambient';
      const problems: string[] = [];
      if (injection !== undefined && rev !== undefined) {
        problems.push(injection === 'enabled'
          ? `${LABEL_INJECTION}=enabled takes precedence over ${LABEL_REV}=${rev}, so the revision label is ignored`
          : `${LABEL_INJECTION}=${injection} together with ${LABEL_REV}=${rev}: no injection webhook matches, so the namespace is silently outside the mesh`);
      }
      if (ambient && (injection === 'enabled' || (rev !== undefined && injection === undefined))) {
        problems.push(`${LABEL_DATAPLANE_MODE}=ambient together with sidecar injection (${injection === 'enabled' ? `${LABEL_INJECTION}=enabled` : `${LABEL_REV}=${rev}`}): sidecar injection wins and the ambient label has no effect`);
      }
      if (problems.length === 0) continue;
      out.push({
        object: ns,
        message: `Namespace ${ObjectIndex.nameOf(ns)} has conflicting mesh membership labels: ${problems.join('; ')}.`,
        hint: `Keep exactly one membership label: ${LABEL_REV}=<tag> for sidecars (revision-based), or ${LABEL_DATAPLANE_MODE}=ambient; remove ${LABEL_INJECTION} when revisions are used.`,
      });
    }
    for (const w of index.workloads) {
      if (w.isGateway) continue;
      if (w.labels[LABEL_DATAPLANE_MODE] !== 'ambient' || podInjectValue(w) === 'false') continue;
      let why: string | undefined;
      if (podRequestsSidecar(w)) {
        why = `its pod labels request a sidecar (${w.labels[LABEL_REV] ? `${LABEL_REV}=${w.labels[LABEL_REV]}` : 'sidecar.istio.io/inject=true'})`;
      } else {
        const nsl = namespaceLabels(index, w.namespace);
        if (nsl && labelsInjectSidecars(nsl)) why = `namespace ${w.namespace} injects sidecars`;
      }
      if (!why) continue;
      out.push({
        object: w.object,
        message: `The pod template is labelled ${LABEL_DATAPLANE_MODE}=ambient but ${why}: the pods get a sidecar and ambient mode does not apply.`,
        hint: 'Choose one data plane for the workload: remove the ambient label, or opt the pods out of sidecar injection (sidecar.istio.io/inject: "false").',
      });
    }
    return out;
  },
};

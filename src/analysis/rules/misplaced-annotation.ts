/**
 * misplaced-annotation: an Istio annotation is set on a kind of object Istio does not read it from
 * (istioctl IST0107), so it has no effect:
 * - pod annotations (`sidecar.istio.io/*`, `proxy.istio.io/config`, `traffic.sidecar.istio.io/*`,
 *   `inject.istio.io/templates`, `prometheus.istio.io/merge-metrics`, …) on a Deployment / StatefulSet / DaemonSet /
 *   ReplicaSet / Job / CronJob itself instead of its pod template, or on a Service or Namespace;
 * - `networking.istio.io/exportTo` (a Service annotation) on a pod template, workload or Namespace.
 * A workload whose pod template carries the same annotation as well is not reported (the setting does apply).
 */
import { KubeObject, rec, RawFinding, Rule } from '../model';
import { ObjectIndex } from '../object-index';
import { annotationsOf } from './b-helpers';

const POD_PREFIXES = [
  'sidecar.istio.io/', 'traffic.sidecar.istio.io/', 'status.sidecar.istio.io/', 'readiness.status.sidecar.istio.io/',
  'proxy.istio.io/', 'inject.istio.io/', 'prometheus.istio.io/',
];
const POD_EXACT = ['ambient.istio.io/bypass-inbound-capture', 'ambient.istio.io/redirection'];
const SERVICE_ONLY = ['networking.istio.io/exportTo'];

const CONTROLLER_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

function isPodAnnotation(key: string): boolean {
  return POD_PREFIXES.some((p) => key.startsWith(p)) || POD_EXACT.includes(key);
}

export const MISPLACED_ANNOTATION: Rule = {
  id: 'misplaced-annotation',
  severity: 'warning',
  codes: ['IST0107'],
  summary: 'An Istio annotation is placed on the wrong kind of object (e.g. sidecar annotations on a Deployment instead of its pod template).',
  check(ctx) {
    const index = ctx.index;
    const out: RawFinding[] = [];
    const podAnnotations = new Map<KubeObject, { [key: string]: string }>();
    for (const w of index.workloads) podAnnotations.set(w.object, w.annotations);

    const report = (object: KubeObject, misplaced: string[], where: string, belongs: string) => {
      out.push({
        object,
        message: `Istio annotation${misplaced.length > 1 ? 's' : ''} ${misplaced.join(', ')} ${misplaced.length > 1 ? 'are' : 'is'} set on the ${where}, where Istio does not read ${misplaced.length > 1 ? 'them' : 'it'} (${belongs}).`,
        hint: belongs.startsWith('pod')
          ? 'Move the annotation to the pod template (spec.template.metadata.annotations; for a CronJob spec.jobTemplate.spec.template.metadata.annotations).'
          : 'Move networking.istio.io/exportTo to the Service it should scope.',
      });
    };

    for (const obj of index.objects) {
      const kind = String(obj.kind ?? '');
      const group = ObjectIndex.groupOf(obj);
      if (group !== '' && group !== 'apps' && group !== 'batch') continue;
      const own = annotationsOf(obj);
      const keys = Object.keys(own);
      if (CONTROLLER_KINDS.has(kind)) {
        const tpl = podAnnotations.get(obj) ?? {};
        const jobTpl = kind === 'CronJob' ? annotationsOf(rec(rec(obj.spec).jobTemplate)) : {};
        const pod = [...keys, ...Object.keys(jobTpl)].filter((k) => isPodAnnotation(k) && tpl[k] === undefined);
        const svc = keys.filter((k) => SERVICE_ONLY.includes(k));
        const tplSvc = Object.keys(tpl).filter((k) => SERVICE_ONLY.includes(k));
        if (pod.length > 0) report(obj, [...new Set(pod)], `${kind} object`, 'pod annotations belong in the pod template');
        else if (svc.length > 0 || tplSvc.length > 0) report(obj, [...new Set([...svc, ...tplSvc])], `${kind}`, 'exportTo is a Service annotation');
      } else if (kind === 'Pod') {
        const svc = keys.filter((k) => SERVICE_ONLY.includes(k));
        if (svc.length > 0) report(obj, svc, 'Pod', 'exportTo is a Service annotation');
      } else if (kind === 'Service' || kind === 'Namespace') {
        const pod = keys.filter(isPodAnnotation);
        const svc = kind === 'Namespace' ? keys.filter((k) => SERVICE_ONLY.includes(k)) : [];
        if (pod.length > 0) report(obj, pod, kind, 'pod annotations belong in the pod template');
        else if (svc.length > 0) report(obj, svc, kind, 'exportTo is a Service annotation');
      }
    }
    return out;
  },
};

/**
 * application-uid-1337: an application container runs as UID 1337, the UID of the Istio proxy. The sidecar's
 * iptables rules exempt that UID from redirection, so the application's traffic bypasses the proxy (no mTLS, no
 * policy) (istioctl IST0144). The effective UID is the container's runAsUser, else the pod's; `istio-proxy`
 * containers and Istio control-plane workloads are not checked.
 */
import { RawFinding, Rule } from '../model';
import { isControlPlaneObject } from './b-helpers';

const PROXY_UID = 1337;

function uid(value: any): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export const APPLICATION_UID_1337: Rule = {
  id: 'application-uid-1337',
  severity: 'warning',
  codes: ['IST0144'],
  summary: 'An application container runs as UID 1337 (the Istio proxy UID), so its traffic bypasses the sidecar.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const w of ctx.index.workloads) {
      if (isControlPlaneObject(w.object) || w.labels.istio !== undefined) continue;
      const podUid = uid(w.podSecurityContext.runAsUser);
      const offenders = w.containers
        .filter((c) => !c.init && c.name !== 'istio-proxy' && c.name !== 'istio-operator')
        .filter((c) => (uid(c.securityContext.runAsUser) ?? podUid) === PROXY_UID)
        .map((c) => c.name);
      if (offenders.length === 0) continue;
      out.push({
        object: w.object,
        message: `Container${offenders.length > 1 ? 's' : ''} ${offenders.join(', ')} run${offenders.length > 1 ? '' : 's'} as UID ${PROXY_UID}, the Istio proxy's UID: the sidecar does not intercept ${offenders.length > 1 ? 'their' : 'its'} traffic, bypassing mTLS and policies.`,
        hint: 'Run the application with a different UID (securityContext.runAsUser, pod- or container-level).',
      });
    }
    return out;
  },
};

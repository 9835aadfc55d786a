/**
 * dr-drops-mtls: a DestinationRule sets a client TLS mode other than ISTIO_MUTUAL (DISABLE, SIMPLE, MUTUAL, or a
 * `tls` block without mode, which means DISABLE) for a port of an in-app Service whose server side requires mTLS
 * (STRICT after resolving mesh, namespace, workload and port-level PeerAuthentications). The client then sends
 * plaintext or its own TLS to a proxy that only accepts Istio mTLS: 503s (Kiali KIA0207 / KIA0208).
 * Port-level, subset-level and top-level settings are resolved per Service port. Workloads outside the mesh (opted
 * out, or in an owned namespace without injection/ambient labels) have no proxy enforcing STRICT and are skipped.
 */
import { arr, KubeObject, labelMap, rec, RawFinding, Rule, str } from '../model';
import { hostCoveredBy, ObjectIndex, ServiceInfo } from '../object-index';
import { inMesh, isAmbientNamespace, labelsInjectSidecars, MtlsModel, namespaceLabels, resolveTargetPort } from './b-helpers';

/** The mode of a `tls` block (a block without mode means DISABLE); undefined when there is no block (auto-mTLS). */
function modeOf(tls: any): string | undefined {
  if (tls === undefined || tls === null) return undefined;
  return (str(rec(tls).mode) ?? 'DISABLE').toUpperCase();
}

/**
 * TLS mode for a Service port, as Istio merges a DestinationRule (`MergeTrafficPolicy`): the top-level `tls`, replaced
 * by a matching top-level `portLevelSettings` entry; then the subset's `tls` when set; then a matching subset
 * `portLevelSettings` entry. A matching port-level entry replaces `tls` entirely (port-level settings do not inherit),
 * so an entry without `tls` means auto-mTLS. Undefined: no TLS setting, auto-mTLS.
 */
function tlsModeFor(top: { [key: string]: any }, port: number, subset?: { [key: string]: any }): string | undefined {
  const portLevel = (tp: { [key: string]: any }) => arr(tp.portLevelSettings).map(rec).find((p) => Number(rec(p.port).number) === port);
  const topPort = portLevel(top);
  let mode = topPort ? modeOf(topPort.tls) : modeOf(top.tls);
  if (subset) {
    mode = modeOf(subset.tls) ?? mode;
    const subsetPort = portLevel(subset);
    if (subsetPort) mode = modeOf(subsetPort.tls);
  }
  return mode;
}

export const DR_DROPS_MTLS: Rule = {
  id: 'dr-drops-mtls',
  severity: 'error',
  codes: ['KIA0207', 'KIA0208'],
  summary: 'A DestinationRule sends non-Istio-mTLS traffic (DISABLE/SIMPLE/MUTUAL) to an in-app service whose workloads require STRICT mTLS.',
  check(ctx) {
    const index = ctx.index;
    const mtls = new MtlsModel(index, ctx.settings);
    const out: RawFinding[] = [];
    /** Unknown namespaces are assumed in the mesh; owned ones need an injection or ambient label. */
    const namespaceInMesh = (ns: string) => {
      const labels = namespaceLabels(index, ns);
      return !labels || labelsInjectSidecars(labels) || isAmbientNamespace(index, ns);
    };

    for (const dr of index.networking('DestinationRule')) {
      const spec = rec(dr.spec);
      const host = str(spec.host);
      if (!host) continue;
      const h = index.expandHost(host, ObjectIndex.namespaceOf(dr));
      const services: ServiceInfo[] = h.startsWith('*')
        ? index.services.filter((s) => hostCoveredBy(s.fqdn, h))
        : [index.servicesByFqdn.get(h)].filter((s): s is ServiceInfo => s !== undefined);
      const top = rec(spec.trafficPolicy);
      const variants: Array<{ subset?: string; labels?: { [key: string]: string }; policy: (port: number) => string | undefined }> = [
        { policy: (port) => tlsModeFor(top, port) },
      ];
      for (const ss of arr(spec.subsets)) {
        const s = rec(ss);
        if (s.trafficPolicy === undefined) continue;
        const stp = rec(s.trafficPolicy);
        variants.push({
          subset: str(s.name),
          labels: labelMap(s.labels) ?? {},
          policy: (port) => tlsModeFor(top, port, stp),
        });
      }
      const problems: string[] = [];
      for (const svc of services) {
        if (svc.type === 'ExternalName' || !svc.selector) continue;
        for (const port of svc.ports) {
          for (const v of variants) {
            const mode = v.policy(port.number);
            if (mode === undefined || mode === 'ISTIO_MUTUAL') continue;
            const where = `${v.subset ? `subset ${v.subset}, ` : ''}port ${port.number}`;
            const workloads = index.workloadsSelectedBy(svc.namespace, { ...svc.selector, ...(v.labels ?? {}) })
              .filter((w) => inMesh(index, w));
            const nsWorkloads = index.workloadsSelectedBy(svc.namespace, svc.selector);
            let strict: string | undefined;
            if (nsWorkloads.length > 0) {
              const w = workloads.find((x) => {
                const tp = resolveTargetPort(port, x);
                return mtls.workloadMode(svc.namespace, x.labels, typeof tp === 'number' ? tp : undefined) === 'STRICT';
              });
              if (w) strict = `${w.kind}/${w.namespace}/${w.name} requires STRICT mTLS`;
            } else if (namespaceInMesh(svc.namespace) && mtls.namespaceMode(svc.namespace) === 'STRICT') {
              strict = `namespace ${svc.namespace} requires STRICT mTLS`;
            }
            if (strict) problems.push(`tls.mode ${mode} for ${svc.fqdn} (${where}) but ${strict}`);
          }
        }
      }
      if (problems.length === 0) continue;
      out.push({
        object: dr as KubeObject,
        message: `DestinationRule drops Istio mTLS: ${[...new Set(problems)].join('; ')}. The server proxies reject these connections (503).`,
        hint: 'Use tls.mode: ISTIO_MUTUAL for in-mesh hosts (or omit tls and rely on auto-mTLS); if the server really must accept plaintext, relax its PeerAuthentication for that port instead.',
      });
    }
    return out;
  },
};

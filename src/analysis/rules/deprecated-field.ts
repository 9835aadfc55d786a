import { listText } from '../helpers';
import { arr, RawFinding, rec, Rule } from '../model';

function trafficPolicyDeprecations(tp: any, where: string, out: string[]): void {
  const p = rec(tp);
  if (rec(p.outlierDetection).consecutiveErrors !== undefined) {
    out.push(`${where}.outlierDetection.consecutiveErrors (use consecutive5xxErrors)`);
  }
  if (rec(rec(p.loadBalancer).consistentHash).minimumRingSize !== undefined) {
    out.push(`${where}.loadBalancer.consistentHash.minimumRingSize (use consistentHash.ringHash.minimumRingSize)`);
  }
  arr(p.portLevelSettings).forEach((pl, i) => trafficPolicyDeprecations(pl, `${where}.portLevelSettings[${i}]`, out));
}

/** Deprecated Istio API fields (IST0002): they still work today and disappear in a later release. */
export const DEPRECATED_FIELD: Rule = {
  id: 'deprecated-field',
  severity: 'warning',
  codes: ['IST0002'],
  summary: 'An Istio object uses a deprecated field.',
  check({ index }) {
    const out: RawFinding[] = [];
    const report = (obj: any, fields: string[]) => {
      if (fields.length === 0) return;
      out.push({
        object: obj,
        message: `${obj.kind} uses deprecated field ${listText(fields)}.`,
        hint: 'Move to the replacement field shown; deprecated fields are removed in a later Istio release.',
      });
    };
    for (const vs of index.virtualServices) {
      const fields: string[] = [];
      arr(rec(vs.spec).http).forEach((route, i) => {
        const r = rec(route);
        if (r.mirrorPercent !== undefined) fields.push(`http[${i}].mirrorPercent (use mirrorPercentage)`);
        if (rec(r.corsPolicy).allowOrigin !== undefined) fields.push(`http[${i}].corsPolicy.allowOrigin (use allowOrigins)`);
        if (rec(rec(r.fault).delay).percent !== undefined) fields.push(`http[${i}].fault.delay.percent (use percentage)`);
      });
      report(vs, fields);
    }
    for (const dr of index.networking('DestinationRule')) {
      const fields: string[] = [];
      const spec = rec(dr.spec);
      trafficPolicyDeprecations(spec.trafficPolicy, 'trafficPolicy', fields);
      arr(spec.subsets).forEach((s, i) => trafficPolicyDeprecations(rec(s).trafficPolicy, `subsets[${i}].trafficPolicy`, fields));
      report(dr, fields);
    }
    for (const sc of index.networking('Sidecar')) {
      const fields: string[] = [];
      if (rec(rec(sc.spec).outboundTrafficPolicy).egressProxy !== undefined) {
        fields.push('outboundTrafficPolicy.egressProxy (ignored; route through an egress gateway instead)');
      }
      report(sc, fields);
    }
    return out;
  },
};

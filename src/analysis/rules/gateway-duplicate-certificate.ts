import { listText } from '../helpers';
import { arr, KubeObject, RawFinding, Rule, str } from '../model';
import { gatewayServers, shareWorkload } from './_gateway-util';

/** Certificate identities of a Gateway's TLS servers. */
function certificates(gw: KubeObject): string[] {
  const out: string[] = [];
  for (const s of gatewayServers(gw)) {
    if (!s.tls) continue;
    const cn = str(s.tls.credentialName);
    if (cn) out.push(`credentialName ${cn}`);
    for (const c of arr(s.tls.credentialNames)) if (typeof c === 'string' && c) out.push(`credentialName ${c}`);
    const cert = str(s.tls.serverCertificate);
    const key = str(s.tls.privateKey);
    if (!cn && cert && key) out.push(`serverCertificate ${cert}`);
  }
  return [...new Set(out)];
}

/** Several Gateways on one workload serve the same certificate: HTTP/2 connection reuse then yields 404s. */
export const GATEWAY_DUPLICATE_CERTIFICATE: Rule = {
  id: 'gateway-duplicate-certificate',
  severity: 'warning',
  codes: ['IST0138'],
  summary: 'Two Gateways on the same workload use the same TLS certificate.',
  check({ index }) {
    const gws = index.networking('Gateway').map((gw) => ({ gw, certs: certificates(gw) })).filter((g) => g.certs.length > 0);
    const byCert = new Map<string, KubeObject[]>();
    for (const g of gws) for (const c of g.certs) byCert.set(c, [...(byCert.get(c) ?? []), g.gw]);
    const hits = new Map<KubeObject, Set<string>>();
    for (const [cert, list] of byCert) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i];
          const b = list[j];
          if (!shareWorkload(index, a, b, true)) continue;
          for (const [x, y] of [[a, b], [b, a]]) {
            const set = hits.get(x) ?? new Set<string>();
            set.add(`${cert} (also ${index.objectRef(y)})`);
            hits.set(x, set);
          }
        }
      }
    }
    const out: RawFinding[] = [];
    for (const { gw } of gws) {
      const h = hits.get(gw);
      if (!h) continue;
      out.push({
        object: gw,
        message: `Gateway shares ${listText([...h])} with another Gateway on the same workload; clients reusing an HTTP/2 connection get 404 for the other Gateway's hosts.`,
        hint: 'Serve all hosts of one certificate from a single Gateway (one server with several hosts), or use distinct certificates.',
      });
    }
    return out;
  },
};

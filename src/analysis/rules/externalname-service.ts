import { listText } from '../helpers';
import { RawFinding, Rule } from '../model';

const L7_PROTOCOLS = new Set(['http', 'http2', 'https', 'grpc', 'grpc-web', 'tls']);
const L7_APP_PROTOCOLS = new Set([...L7_PROTOCOLS, 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);

function declaresL7(name: string | undefined, appProtocol: string | undefined): boolean {
  if (appProtocol !== undefined) return L7_APP_PROTOCOLS.has(appProtocol.toLowerCase());
  if (!name) return false;
  const n = name.toLowerCase();
  const proto = n.startsWith('grpc-web') ? 'grpc-web' : n.split('-')[0];
  return L7_PROTOCOLS.has(proto);
}

/**
 * An ExternalName Service with TCP (or unnamed, or no) ports: the sidecar cannot tell its traffic apart and
 * may not forward it; egress to it bypasses ServiceEntry-based control.
 */
export const EXTERNALNAME_SERVICE: Rule = {
  id: 'externalname-service',
  severity: 'warning',
  codes: ['IST0150'],
  summary: 'An ExternalName Service carries TCP (or undeclared-protocol) traffic through the mesh.',
  check({ index }) {
    const out: RawFinding[] = [];
    for (const svc of index.services) {
      if (svc.type !== 'ExternalName') continue;
      const tcp = svc.ports.filter((p) => !declaresL7(p.name, p.appProtocol));
      if (svc.ports.length > 0 && tcp.length === 0) continue;
      const what = svc.ports.length === 0
        ? 'declares no ports'
        : `has port ${listText(tcp.map((p) => `${p.number}${p.name ? ` (${p.name})` : ' (unnamed)'}`))} without an HTTP/TLS protocol`;
      out.push({
        object: svc.object,
        message: `ExternalName Service ${svc.namespace}/${svc.name} (→ ${svc.externalName ?? '?'}) ${what}; the sidecar may not forward its TCP traffic correctly.`,
        hint: 'Declare the external host with a ServiceEntry (resolution DNS, explicit protocol) instead, or name the ports <protocol>[-suffix] with an HTTP/TLS protocol.',
      });
    }
    return out;
  },
};

/**
 * port-name-protocol: a Service port declares no protocol Istio understands — neither `appProtocol` nor a
 * `<protocol>[-suffix]` port name (http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp) — so
 * Istio falls back to protocol sniffing or plain TCP and L7 routing, retries and HTTP authorization may silently not
 * apply (istioctl IST0118, Kiali KIA0601 / KIA0602). UDP/SCTP ports, Istio's well-known TCP ports (25, 53, 3306,
 * 27017), ExternalName Services (see externalname-service), system namespaces and Istio control-plane Services are
 * skipped, as in istioctl.
 */
import { RawFinding, Rule } from '../model';
import { isControlPlaneObject, istioProtocol } from './b-helpers';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export const PORT_NAME_PROTOCOL: Rule = {
  id: 'port-name-protocol',
  severity: 'warning',
  codes: ['IST0118', 'KIA0601', 'KIA0602'],
  summary: 'A Service port has neither appProtocol nor a <protocol>[-suffix] name, so Istio has to guess the protocol.',
  check(ctx) {
    const out: RawFinding[] = [];
    for (const svc of ctx.index.services) {
      if (SYSTEM_NAMESPACES.has(svc.namespace) || svc.type === 'ExternalName' || isControlPlaneObject(svc.object)) continue;
      const bad = svc.ports.filter((p) => istioProtocol(p) === undefined);
      if (bad.length === 0) continue;
      const list = bad.map((p) => `${p.number}${p.appProtocol !== undefined ? ` (appProtocol "${p.appProtocol}")` : p.name ? ` ("${p.name}")` : ' (unnamed)'}`);
      out.push({
        object: svc.object,
        message: `Service port${bad.length > 1 ? 's' : ''} ${list.join(', ')} ${bad.length > 1 ? 'declare' : 'declares'} no protocol Istio recognizes: traffic is sniffed or treated as opaque TCP, so HTTP routing, retries and L7 authorization may not apply.`,
        hint: 'Set appProtocol (http, http2, grpc, tcp, tls, …) or name the port <protocol>[-suffix], e.g. "http-web" or "grpc-api".',
      });
    }
    return out;
  },
};

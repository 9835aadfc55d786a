import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'port-name-protocol';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function svc(name: string, ports: string, extra = ''): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop${extra} }
spec:
  selector: { app: ${name} }
  ports:
${ports}`;
}

describe(RULE, () => {
  test('fires on unnamed, unprefixed and unknown-appProtocol ports', () => {
    expect(findings(svc('web', '    - { port: 80, targetPort: 8080 }\n')
      + svc('api', '    - { name: web, port: 8080 }\n    - { name: http2foo, port: 8081 }\n')
      + svc('grpc', '    - { name: grpc, port: 9090, appProtocol: custom }\n'))).toEqual([
      'warning Service/shop/api',
      'warning Service/shop/grpc',
      'warning Service/shop/web',
    ]);
  });

  test('near miss: <protocol>[-suffix] names, appProtocol, Kubernetes appProtocols, UDP and well-known TCP ports', () => {
    expect(findings(svc('web', '    - { name: http-web, port: 80 }\n    - { name: GRPC, port: 9090 }\n    - { name: grpc-web-ui, port: 9091 }\n')
      + svc('api', '    - { name: api, port: 8080, appProtocol: http }\n    - { name: ws, port: 8081, appProtocol: kubernetes.io/ws }\n    - { port: 8082, appProtocol: kubernetes.io/h2c }\n')
      + svc('dns', '    - { name: dns, port: 53, protocol: UDP }\n    - { name: dns-tcp, port: 53, protocol: TCP }\n    - { name: syslog, port: 514, protocol: UDP }\n')
      + svc('db', '    - { name: db, port: 3306 }\n    - { port: 27017 }\n'))).toEqual([]);
  });

  test('near miss: ExternalName Services, kube-system and Istio control-plane Services are skipped', () => {
    const yaml = `
apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: shop }
spec: { type: ExternalName, externalName: legacy.example.com, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: metrics-server, namespace: kube-system }
spec: { selector: { app: metrics-server }, ports: [{ name: main, port: 443 }] }
---
apiVersion: v1
kind: Service
metadata: { name: istio-ingressgateway, namespace: istio-system, labels: { istio: ingressgateway } }
spec: { selector: { istio: ingressgateway }, ports: [{ name: status-port, port: 15021 }, { name: http2, port: 80 }] }
`;
    expect(findings(yaml)).toEqual([]);
  });
});

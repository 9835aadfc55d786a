import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'conflicting-port-protocols';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const DEPLOY = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: app
          image: example/api:1
          ports: [{ containerPort: 8080, name: web }, { containerPort: 9090, name: grpc }]
`;

function svc(name: string, ports: string): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { app: api }
  ports:
${ports}`;
}

describe(RULE, () => {
  test('fires when two Services declare HTTP and TCP for the same workload port (on the workload and both Services)', () => {
    expect(findings(DEPLOY + svc('api', '    - { name: http, port: 8080 }\n') + svc('api-raw', '    - { name: tcp, port: 8080 }\n'))).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-raw',
    ]);
  });

  test('fires when a named targetPort and a numeric one reach the same container port with different protocols', () => {
    expect(findings(DEPLOY + svc('api', '    - { name: grpc, port: 9090, targetPort: grpc }\n') + svc('api-h1', '    - { port: 80, targetPort: 9090, appProtocol: http }\n'))).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-h1',
    ]);
  });

  test('near miss: the same protocol on the same port, and different protocols on different workload ports', () => {
    expect(findings(DEPLOY + svc('api', '    - { name: http, port: 8080 }\n    - { name: grpc, port: 9090 }\n')
      + svc('api-canary', '    - { name: http-web, port: 8080, appProtocol: http }\n'))).toEqual([]);
  });

  test('near miss: TCP and UDP on one port number, and an undeclared protocol (left to port-name-protocol)', () => {
    expect(findings(DEPLOY + svc('dns', '    - { name: dns-udp, port: 53, protocol: UDP }\n    - { name: dns-tcp, port: 53, protocol: TCP }\n')
      + svc('api', '    - { name: http, port: 8080 }\n') + svc('api-any', '    - { name: web, port: 8080 }\n'))).toEqual([]);
  });

  test('near miss: a workload outside the mesh (owned namespace without injection labels)', () => {
    const ns = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
`;
    expect(findings(ns + DEPLOY + svc('api', '    - { name: http, port: 8080 }\n') + svc('api-raw', '    - { name: tcp, port: 8080 }\n'))).toEqual([]);
  });
});

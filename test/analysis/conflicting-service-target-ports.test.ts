import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'conflicting-service-target-ports';

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
    metadata: { labels: { app: api, version: v1 } }
    spec:
      containers:
        - name: app
          image: example/api:1
          ports: [{ containerPort: 8080, name: http }]
`;

function svc(name: string, selector: string, ports: string): string {
  return `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { ${selector} }
  ports:
${ports}`;
}

describe(RULE, () => {
  test('fires when two Services reach targetPort 8080 from ports 80 and 8080 (on the workload and both Services)', () => {
    expect(findings(DEPLOY + svc('api', 'app: api', '    - { name: http, port: 80, targetPort: 8080 }\n')
      + svc('api-v1', 'app: api, version: v1', '    - { name: http, port: 8080, targetPort: http }\n'))).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-v1',
    ]);
  });

  test('near miss: both Services use the same port for the targetPort', () => {
    expect(findings(DEPLOY + svc('api', 'app: api', '    - { name: http, port: 80, targetPort: 8080 }\n')
      + svc('api-v1', 'app: api, version: v1', '    - { name: http, port: 80, targetPort: http }\n'))).toEqual([]);
  });

  test('near miss: different targetPorts, Services selecting other workloads, and one Service exposing a port twice', () => {
    expect(findings(DEPLOY + svc('api', 'app: api', '    - { name: http, port: 80, targetPort: 8080 }\n    - { name: http-alt, port: 8080, targetPort: 8080 }\n')
      + svc('admin', 'app: api', '    - { name: http-admin, port: 9000, targetPort: 9000 }\n')
      + svc('other', 'app: other', '    - { name: http, port: 8080, targetPort: 8080 }\n'))).toEqual([]);
  });
});

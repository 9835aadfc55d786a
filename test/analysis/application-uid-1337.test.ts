import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'application-uid-1337';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function deploy(name: string, podSecurity: string, containers: string): string {
  return `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${podSecurity ? `      securityContext: ${podSecurity}\n` : ''}      containers:
${containers}`;
}

describe(RULE, () => {
  test('fires on a container running as UID 1337', () => {
    expect(findings(deploy('api', '', '        - { name: app, image: example/api:1, securityContext: { runAsUser: 1337 } }\n'))).toEqual([
      'warning Deployment/shop/api',
    ]);
  });

  test('fires on a pod-level runAsUser 1337 inherited by a container, and on a bare Pod', () => {
    const pod = `
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: shop }
spec:
  securityContext: { runAsUser: 1337 }
  containers: [{ name: shell, image: busybox }]
`;
    expect(findings(deploy('api', '{ runAsUser: 1337 }', '        - { name: app, image: example/api:1 }\n') + pod)).toEqual([
      'warning Deployment/shop/api',
      'warning Pod/shop/debug',
    ]);
  });

  test('near miss: other UIDs, a container overriding the pod UID, and a gateway istio-proxy container as 1337', () => {
    expect(findings(deploy('api', '{ runAsUser: 1337 }', '        - { name: app, image: example/api:1, securityContext: { runAsUser: 1000 } }\n')
      + deploy('web', '{ runAsUser: 1000 }', '        - { name: app, image: example/web:1 }\n')
      + deploy('ingress', '', '        - { name: istio-proxy, image: auto, securityContext: { runAsUser: 1337 } }\n'))).toEqual([]);
  });
});

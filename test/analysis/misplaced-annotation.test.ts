import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'misplaced-annotation';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

describe(RULE, () => {
  test('fires on sidecar annotations on the Deployment instead of its pod template', () => {
    const yaml = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
  annotations: { sidecar.istio.io/inject: "false", proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }" }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: app, image: example/api:1 }] }
`;
    expect(findings(yaml)).toEqual(['warning Deployment/shop/api']);
  });

  test('fires on pod annotations on a Service and a Namespace, and exportTo on a pod template', () => {
    const yaml = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, annotations: { sidecar.istio.io/proxyCPU: 100m } }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop, annotations: { traffic.sidecar.istio.io/excludeOutboundPorts: "5432" } }
spec: { selector: { app: api }, ports: [{ name: http, port: 80 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop }
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: { annotations: { networking.istio.io/exportTo: "." } }
        spec: { restartPolicy: Never, containers: [{ name: report, image: example/report:1 }] }
`;
    expect(findings(yaml)).toEqual([
      'warning CronJob/shop/report',
      'warning Namespace//shop',
      'warning Service/shop/api',
    ]);
  });

  test('near miss: pod annotations in pod templates (also CronJob), exportTo on a Service, non-Istio annotations', () => {
    const yaml = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop, annotations: { deployment.kubernetes.io/revision: "3" } }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata:
      labels: { app: api }
      annotations: { sidecar.istio.io/proxyCPU: 100m, proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }" }
    spec: { containers: [{ name: app, image: example/api:1 }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop, annotations: { networking.istio.io/exportTo: "." } }
spec: { selector: { app: api }, ports: [{ name: http, port: 80 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop }
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: { annotations: { sidecar.istio.io/inject: "false" } }
        spec: { restartPolicy: Never, containers: [{ name: report, image: example/report:1 }] }
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: the annotation is on both the Deployment and its pod template (it applies)', () => {
    const yaml = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop, annotations: { sidecar.istio.io/inject: "false" } }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api }, annotations: { sidecar.istio.io/inject: "false" } }
    spec: { containers: [{ name: app, image: example/api:1 }] }
`;
    expect(findings(yaml)).toEqual([]);
  });
});

import { deployment, findingsOf, KubeObject, Labels, service } from './fixtures';

const RULE = 'misplaced-annotation';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** The hourly CronJob report in shop, its pod template annotated with `podAnnotations`. */
function reportCronJob(podAnnotations: Labels): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'shop' },
    spec: {
      schedule: '0 * * * *',
      jobTemplate: {
        spec: {
          template: {
            metadata: { annotations: podAnnotations },
            spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'example/report:1' }] },
          },
        },
      },
    },
  };
}

/** The api Service in shop (http on port 80), with `annotations`. */
const apiService = (annotations: Labels) => service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80 }], { annotations });

describe(RULE, () => {
  test('fires on sidecar annotations on the Deployment instead of its pod template', () => {
    const objects = [
      deployment('shop', 'api', { app: 'api' }, {
        annotations: { 'sidecar.istio.io/inject': 'false', 'proxy.istio.io/config': '{ holdApplicationUntilProxyStarts: true }' },
      }),
    ];
    expect(findings(objects)).toEqual(['warning Deployment/shop/api']);
  });

  test('fires on pod annotations on a Service and a Namespace, and exportTo on a pod template', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', annotations: { 'sidecar.istio.io/proxyCPU': '100m' } } },
      apiService({ 'traffic.sidecar.istio.io/excludeOutboundPorts': '5432' }),
      reportCronJob({ 'networking.istio.io/exportTo': '.' }),
    ];
    expect(findings(objects)).toEqual([
      'warning CronJob/shop/report',
      'warning Namespace//shop',
      'warning Service/shop/api',
    ]);
  });

  test('near miss: pod annotations in pod templates (also CronJob), exportTo on a Service, non-Istio annotations', () => {
    const objects = [
      deployment('shop', 'api', { app: 'api' }, {
        annotations: { 'deployment.kubernetes.io/revision': '3' },
        podAnnotations: { 'sidecar.istio.io/proxyCPU': '100m', 'proxy.istio.io/config': '{ holdApplicationUntilProxyStarts: true }' },
      }),
      apiService({ 'networking.istio.io/exportTo': '.' }),
      reportCronJob({ 'sidecar.istio.io/inject': 'false' }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: the annotation is on both the Deployment and its pod template (it applies)', () => {
    const objects = [
      deployment('shop', 'api', { app: 'api' }, {
        annotations: { 'sidecar.istio.io/inject': 'false' },
        podAnnotations: { 'sidecar.istio.io/inject': 'false' },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

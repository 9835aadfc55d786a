import { deployment, findingsOf, KubeObject, namespace } from './fixtures';

const RULE = 'injection-label-conflict';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

describe(RULE, () => {
  test('fires on istio-injection=enabled plus istio.io/rev (IST0123)', () => {
    expect(findings([namespace('shop', { 'istio-injection': 'enabled', 'istio.io/rev': 'prod-stable' })])).toEqual(['warning Namespace//shop']);
  });

  test('fires on istio-injection=disabled plus istio.io/rev, and on ambient plus sidecar injection', () => {
    const objects = [
      namespace('a', { 'istio-injection': 'disabled', 'istio.io/rev': 'prod-stable' }),
      namespace('b', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' }),
      namespace('c', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/rev': 'prod-canary' }),
    ];
    expect(findings(objects)).toEqual([
      'warning Namespace//a',
      'warning Namespace//b',
      'warning Namespace//c',
    ]);
  });

  test('fires on a pod template labelled ambient that also gets a sidecar (KIA1311)', () => {
    const objects = [
      namespace('shop', { 'istio.io/rev': 'prod-stable' }),
      deployment('shop', 'api', { 'app': 'api', 'istio.io/dataplane-mode': 'ambient' }),
      deployment('jobs', 'worker', { 'app': 'worker', 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'true' }),
    ];
    expect(findings(objects)).toEqual([
      'warning Deployment/jobs/worker',
      'warning Deployment/shop/api',
    ]);
  });

  test('near miss: exactly one membership label, ambient with istio-injection=disabled, and dataplane-mode none', () => {
    const objects = [
      namespace('a', { 'istio.io/rev': 'prod-stable' }),
      namespace('b', { 'istio-injection': 'enabled' }),
      namespace('c', { 'istio.io/dataplane-mode': 'ambient' }),
      namespace('d', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'disabled' }),
      namespace('e', { 'istio.io/dataplane-mode': 'none', 'istio.io/rev': 'prod-stable' }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: an ambient pod opted out of sidecars, and a gateway Deployment in an ambient namespace', () => {
    const objects = [
      namespace('shop', { 'istio.io/rev': 'prod-stable' }),
      deployment('shop', 'api', { 'app': 'api', 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'false' }),
      namespace('edge', { 'istio.io/dataplane-mode': 'ambient' }),
      deployment('edge', 'ingress', { 'app': 'ingress', 'istio': 'ingress', 'sidecar.istio.io/inject': 'true' }, {
        podAnnotations: { 'inject.istio.io/templates': 'gateway' },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

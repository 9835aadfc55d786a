import { deployment, findingsOf, KubeObject, service } from './fixtures';

const RULE = 'conflicting-service-target-ports';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const DEPLOY = deployment('shop', 'api', { app: 'api', version: 'v1' }, { containerPorts: [{ containerPort: 8080, name: 'http' }] });

describe(RULE, () => {
  test('fires when two Services reach targetPort 8080 from ports 80 and 8080 (on the workload and both Services)', () => {
    const objects = [
      DEPLOY,
      service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 8080 }]),
      service('shop', 'api-v1', { app: 'api', version: 'v1' }, [{ name: 'http', port: 8080, targetPort: 'http' }]),
    ];
    expect(findings(objects)).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-v1',
    ]);
  });

  test('near miss: both Services use the same port for the targetPort', () => {
    const objects = [
      DEPLOY,
      service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 8080 }]),
      service('shop', 'api-v1', { app: 'api', version: 'v1' }, [{ name: 'http', port: 80, targetPort: 'http' }]),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: different targetPorts, Services selecting other workloads, and one Service exposing a port twice', () => {
    const objects = [
      DEPLOY,
      service('shop', 'api', { app: 'api' }, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'http-alt', port: 8080, targetPort: 8080 }]),
      service('shop', 'admin', { app: 'api' }, [{ name: 'http-admin', port: 9000, targetPort: 9000 }]),
      service('shop', 'other', { app: 'other' }, [{ name: 'http', port: 8080, targetPort: 8080 }]),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

import { deployment, findingsOf, Json, KubeObject, namespace, service } from './fixtures';

const RULE = 'conflicting-port-protocols';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const DEPLOY = deployment('shop', 'api', { app: 'api' }, { containerPorts: [{ containerPort: 8080, name: 'web' }, { containerPort: 9090, name: 'grpc' }] });

/** A Service in shop selecting the api pods. */
const svc = (name: string, ports: Json[]) => service('shop', name, { app: 'api' }, ports);

describe(RULE, () => {
  test('fires when two Services declare HTTP and TCP for the same workload port (on the workload and both Services)', () => {
    expect(findings([DEPLOY, svc('api', [{ name: 'http', port: 8080 }]), svc('api-raw', [{ name: 'tcp', port: 8080 }])])).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-raw',
    ]);
  });

  test('fires when a named targetPort and a numeric one reach the same container port with different protocols', () => {
    const objects = [
      DEPLOY,
      svc('api', [{ name: 'grpc', port: 9090, targetPort: 'grpc' }]),
      svc('api-h1', [{ port: 80, targetPort: 9090, appProtocol: 'http' }]),
    ];
    expect(findings(objects)).toEqual([
      'warning Deployment/shop/api',
      'warning Service/shop/api',
      'warning Service/shop/api-h1',
    ]);
  });

  test('near miss: the same protocol on the same port, and different protocols on different workload ports', () => {
    const objects = [
      DEPLOY,
      svc('api', [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }]),
      svc('api-canary', [{ name: 'http-web', port: 8080, appProtocol: 'http' }]),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: TCP and UDP on one port number, and an undeclared protocol (left to port-name-protocol)', () => {
    const objects = [
      DEPLOY,
      svc('dns', [{ name: 'dns-udp', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
      svc('api', [{ name: 'http', port: 8080 }]),
      svc('api-any', [{ name: 'web', port: 8080 }]),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: a workload outside the mesh (owned namespace without injection labels)', () => {
    const ns = namespace('shop');
    expect(findings([ns, DEPLOY, svc('api', [{ name: 'http', port: 8080 }]), svc('api-raw', [{ name: 'tcp', port: 8080 }])])).toEqual([]);
  });
});

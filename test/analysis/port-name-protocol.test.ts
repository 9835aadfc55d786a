import { findingsOf, fromYaml, Json, KubeObject, service } from './fixtures';

const RULE = 'port-name-protocol';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** A Service in shop selecting `app: <name>`. */
const svc = (name: string, ports: Json[]) => service('shop', name, { app: name }, ports);

describe(RULE, () => {
  test('fires on unnamed, unprefixed and unknown-appProtocol ports', () => {
    const objects = [
      svc('web', [{ port: 80, targetPort: 8080 }]),
      svc('api', [{ name: 'web', port: 8080 }, { name: 'http2foo', port: 8081 }]),
      svc('grpc', [{ name: 'grpc', port: 9090, appProtocol: 'custom' }]),
    ];
    expect(findings(objects)).toEqual([
      'warning Service/shop/api',
      'warning Service/shop/grpc',
      'warning Service/shop/web',
    ]);
  });

  test('near miss: <protocol>[-suffix] names, appProtocol, Kubernetes appProtocols, UDP and well-known TCP ports', () => {
    const objects = [
      svc('web', [{ name: 'http-web', port: 80 }, { name: 'GRPC', port: 9090 }, { name: 'grpc-web-ui', port: 9091 }]),
      svc('api', [
        { name: 'api', port: 8080, appProtocol: 'http' },
        { name: 'ws', port: 8081, appProtocol: 'kubernetes.io/ws' },
        { port: 8082, appProtocol: 'kubernetes.io/h2c' },
      ]),
      svc('dns', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'syslog', port: 514, protocol: 'UDP' }]),
      svc('db', [{ name: 'db', port: 3306 }, { port: 27017 }]),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: ExternalName Services, kube-system and Istio control-plane Services are skipped', () => {
    const objects = [
      ...fromYaml(`
apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: shop }
spec: { type: ExternalName, externalName: legacy.example.com, ports: [{ port: 80 }] }
`),
      service('kube-system', 'metrics-server', { app: 'metrics-server' }, [{ name: 'main', port: 443 }]),
      service('istio-system', 'istio-ingressgateway', { istio: 'ingressgateway' }, [{ name: 'status-port', port: 15021 }, { name: 'http2', port: 80 }], {
        labels: { istio: 'ingressgateway' },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

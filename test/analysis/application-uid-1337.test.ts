import { deployment, findingsOf, Json, KubeObject } from './fixtures';

const RULE = 'application-uid-1337';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** A Deployment in shop with the given pod securityContext (none when undefined) and containers. */
const deploy = (name: string, securityContext: Json | undefined, containers: Json[]) =>
  deployment('shop', name, { app: name }, { securityContext, containers });

describe(RULE, () => {
  test('fires on a container running as UID 1337', () => {
    expect(findings([deploy('api', undefined, [{ name: 'app', image: 'example/api:1', securityContext: { runAsUser: 1337 } }])])).toEqual([
      'warning Deployment/shop/api',
    ]);
  });

  test('fires on a pod-level runAsUser 1337 inherited by a container, and on a bare Pod', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop' },
      spec: { securityContext: { runAsUser: 1337 }, containers: [{ name: 'shell', image: 'busybox' }] },
    };
    expect(findings([deploy('api', { runAsUser: 1337 }, [{ name: 'app', image: 'example/api:1' }]), pod])).toEqual([
      'warning Deployment/shop/api',
      'warning Pod/shop/debug',
    ]);
  });

  test('near miss: other UIDs, a container overriding the pod UID, and a gateway istio-proxy container as 1337', () => {
    const objects = [
      deploy('api', { runAsUser: 1337 }, [{ name: 'app', image: 'example/api:1', securityContext: { runAsUser: 1000 } }]),
      deploy('web', { runAsUser: 1000 }, [{ name: 'app', image: 'example/web:1' }]),
      deploy('ingress', undefined, [{ name: 'istio-proxy', image: 'auto', securityContext: { runAsUser: 1337 } }]),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

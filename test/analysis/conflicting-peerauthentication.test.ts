import { deployment, findingsOf, KubeObject, peerAuthentication } from './fixtures';

const RULE = 'conflicting-peerauthentication';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const APP = deployment('shop', 'reviews', { app: 'reviews', version: 'v1' });

describe(RULE, () => {
  test('fires on two namespace-wide PeerAuthentications in one namespace, on both', () => {
    const objects = [
      peerAuthentication('shop', 'default', { mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'zero-trust', { mtls: { mode: 'PERMISSIVE' } }),
    ];
    expect(findings(objects)).toEqual([
      'error PeerAuthentication/shop/default',
      'error PeerAuthentication/shop/zero-trust',
    ]);
  });

  test('fires on two mesh-wide PeerAuthentications in the root namespace', () => {
    const objects = [
      peerAuthentication('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
      peerAuthentication('istio-system', 'mesh', { mtls: { mode: 'STRICT' } }),
    ];
    expect(findings(objects)).toEqual([
      'error PeerAuthentication/istio-system/default',
      'error PeerAuthentication/istio-system/mesh',
    ]);
  });

  test('fires on two workload PeerAuthentications selecting the same Deployment', () => {
    const objects = [
      APP,
      peerAuthentication('shop', 'reviews', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'reviews-v1', { selector: { matchLabels: { version: 'v1' } }, mtls: { mode: 'PERMISSIVE' } }),
    ];
    expect(findings(objects)).toEqual([
      'error PeerAuthentication/shop/reviews',
      'error PeerAuthentication/shop/reviews-v1',
    ]);
  });

  test('near miss: mesh, namespace and workload levels (the intended hierarchy)', () => {
    const objects = [
      APP,
      peerAuthentication('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'default', { mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'reviews', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'UNSET' },
        portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: selectors that do not select a common workload', () => {
    const objects = [
      APP,
      peerAuthentication('shop', 'a', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'b', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'STRICT' } }),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

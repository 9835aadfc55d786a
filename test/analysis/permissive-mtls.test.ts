import { findingsOf, KubeObject, peerAuthentication } from './fixtures';

const RULE = 'permissive-mtls';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

describe(RULE, () => {
  test('fires on a mesh-wide PERMISSIVE and a namespace-wide DISABLE', () => {
    const objects = [
      peerAuthentication('istio-system', 'default', { mtls: { mode: 'PERMISSIVE' } }),
      peerAuthentication('legacy', 'default', { mtls: { mode: 'DISABLE' } }),
    ];
    expect(findings(objects)).toEqual([
      'warning PeerAuthentication/istio-system/default',
      'warning PeerAuthentication/legacy/default',
    ]);
  });

  test('fires on a namespace-wide PERMISSIVE with an empty selector', () => {
    expect(findings([peerAuthentication('shop', 'default', { selector: { matchLabels: {} }, mtls: { mode: 'PERMISSIVE' } })])).toEqual([
      'warning PeerAuthentication/shop/default',
    ]);
  });

  test('near miss: namespace-wide STRICT plus a workload PERMISSIVE with portLevelMtls', () => {
    const objects = [
      peerAuthentication('shop', 'default', { mtls: { mode: 'STRICT' } }),
      peerAuthentication('shop', 'metrics', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'PERMISSIVE' },
        portLevelMtls: { 9090: { mode: 'DISABLE' } },
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: UNSET (inherit) and no mtls block at all', () => {
    expect(findings([peerAuthentication('shop', 'default', { mtls: { mode: 'UNSET' } }), peerAuthentication('team', 'default', {})])).toEqual([]);
  });
});

import { Chart, Testing } from 'cdk8s';
import { DataplaneMode, Mesh, MeshPort, MeshService, MtlsMode, PeerAuthentication, TrafficSource } from '../../src';
import { findObject, findObjects, synthValid } from '../helpers';

describe('Mesh', () => {
  test('renders a mesh-wide STRICT PeerAuthentication named default in the root namespace', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    // WHEN
    const mesh = new Mesh(chart, 'Mesh');
    // THEN
    const pa = findObject(synthValid(chart), 'PeerAuthentication', 'default', 'istio-system');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(mesh.rootNamespace).toBe('istio-system');
    expect(mesh.trustDomain).toBe('cluster.local');
    expect(mesh.clusterDomain).toBe('cluster.local');
    expect(mesh.dataplaneMode).toBe(DataplaneMode.SIDECAR);
  });

  test('rootNamespace, trustDomain, clusterDomain and mtlsMode are rendered where they apply', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'platform');
    // WHEN
    const mesh = new Mesh(chart, 'Mesh', { rootNamespace: 'mesh-root', trustDomain: 'corp.example', clusterDomain: 'k8s.corp', mtlsMode: MtlsMode.PERMISSIVE });
    const svc = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1' });
    svc.allowFrom(TrafficSource.serviceAccount('web', 'frontend'));
    // THEN
    const out = synthValid(chart);
    expect(findObject(out, 'PeerAuthentication', 'default', 'mesh-root').spec.mtls.mode).toBe('PERMISSIVE');
    expect(svc.host).toBe('api.shop.svc.k8s.corp');
    expect(mesh.principal('web', 'frontend')).toBe('corp.example/ns/web/sa/frontend');
    const policy = findObject(out, 'AuthorizationPolicy', 'api-allow', 'shop');
    expect(policy.spec.rules[0].from[0].source.principals).toEqual(['corp.example/ns/web/sa/frontend']);
    expect(findObject(out, 'Sidecar', 'api', 'shop').spec.egress[0].hosts).toContain('mesh-root/*');
  });

  test('Mesh.of returns the declared mesh, or creates one with defaults', () => {
    // GIVEN
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    // WHEN
    const implicit = Mesh.of(b);
    // THEN
    expect(Mesh.of(a)).toBe(implicit);
    expect(implicit.node.path).toBe('b/IstioMesh');
    expect(findObjects(synthValid(b), 'PeerAuthentication')).toHaveLength(1);
  });

  test('fails when a second Mesh is declared', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new Mesh(chart, 'Mesh');
    expect(() => new Mesh(chart, 'Other')).toThrow(/\[platform\/Other\] only one Mesh per App is allowed; one is already declared at platform\/Mesh/);
  });

  test('fails when the Mesh is declared after a construct created the default one', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1' });
    expect(() => new Mesh(chart, 'Mesh')).toThrow(/a Mesh must be declared before any other cdk8s-istio construct/);
  });

  test('fails when dataplaneMode is AMBIENT (not yet supported)', () => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(() => new Mesh(chart, 'Mesh', { dataplaneMode: DataplaneMode.AMBIENT })).toThrow(/\[platform\/Mesh\] dataplaneMode AMBIENT is not yet supported/);
  });

  test('fails when mtlsMode is DISABLE', () => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(() => new Mesh(chart, 'Mesh', { mtlsMode: MtlsMode.DISABLE })).toThrow(/mtlsMode must be STRICT, or PERMISSIVE as a migration step, got "DISABLE"/);
  });

  test.each([
    ['rootNamespace', { rootNamespace: 'Istio_System' }, /rootNamespace must be a DNS-1123 label.*got "Istio_System"/],
    ['trustDomain', { trustDomain: 'bad domain' }, /trustDomain must be a DNS-1123 subdomain.*got "bad domain"/],
    ['clusterDomain', { clusterDomain: '-x' }, /clusterDomain must be a DNS-1123 subdomain.*got "-x"/],
  ])('fails when %s is invalid', (_prop, props, message) => {
    const chart = new Chart(Testing.app(), 'platform');
    expect(() => new Mesh(chart, 'Mesh', props)).toThrow(message);
  });

  test('analyze (default true) runs the MeshAnalyzer during synth; analyze: false does not', () => {
    // GIVEN two namespace-wide PeerAuthentications in one namespace (analyzer error conflicting-peerauthentication)
    const conflicting = (analyze: boolean | undefined) => {
      const chart = new Chart(Testing.app(), 'platform');
      new Mesh(chart, 'Mesh', analyze === undefined ? {} : { analyze });
      new PeerAuthentication(chart, 'A', { metadata: { name: 'a', namespace: 'shop' } });
      new PeerAuthentication(chart, 'B', { metadata: { name: 'b', namespace: 'shop' } });
      return chart;
    };
    // THEN
    expect(() => Testing.synth(conflicting(undefined))).toThrow(/conflicting-peerauthentication/);
    expect(findObjects(synthValid(conflicting(false)), 'PeerAuthentication')).toHaveLength(3);
  });
});

import { App, Names } from 'cdk8s';
import { MeshPort, OutboundTrafficPolicy, Sidecar, SidecarProps, networking } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const REVIEWS = 'shop/reviews.shop.svc.cluster.local';

function scSpec(app: App): any {
  return findObject(synthValid(app), 'Sidecar').spec;
}

describe('Sidecar', () => {
  test('renders the egress hosts and REGISTRY_ONLY explicitly', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const sc = new Sidecar(chart, 'Default', { egressHosts: ['istio-system/*', REVIEWS] });
    // THEN
    const obj = findObject(synthValid(app), 'Sidecar');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(sc), namespace: 'shop' });
    expect(obj.spec).toEqual({
      egress: [{ hosts: ['istio-system/*', REVIEWS] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(sc.outboundTrafficPolicy).toBe(OutboundTrafficPolicy.REGISTRY_ONLY);
    expect(sc.name).toBe(Names.toDnsLabel(sc));
    expect(sc.node.findChild('Resource')).toBeInstanceOf(networking.Sidecar);
  });

  test('addEgressHost() after construction counts; duplicates are dropped; hosts are sorted', () => {
    const { app, chart } = setup();
    const sc = new Sidecar(chart, 'SC', { egressHosts: ['istio-system/*'] });
    sc.addEgressHost('./ratings.shop.svc.cluster.local');
    sc.addEgressHost(REVIEWS);
    sc.addEgressHost(REVIEWS);
    sc.addEgressHost('*/api.stripe.com');
    const expected = ['*/api.stripe.com', './ratings.shop.svc.cluster.local', 'istio-system/*', REVIEWS];
    expect(sc.egressHosts).toEqual(expected);
    expect(scSpec(app).egress).toEqual([{ hosts: expected }]);
  });

  test('selector, ALLOW_ANY and egressPort', () => {
    const { app, chart } = setup();
    new Sidecar(chart, 'SC', {
      metadata: { name: 'reviews' },
      selector: { app: 'reviews' },
      outboundTrafficPolicy: OutboundTrafficPolicy.ALLOW_ANY,
      egressPort: MeshPort.http(9080),
      egressHosts: ['./*'],
    });
    const obj = findObject(synthValid(app), 'Sidecar');
    expect(obj.metadata.name).toBe('reviews');
    expect(obj.spec).toEqual({
      workloadSelector: { labels: { app: 'reviews' } },
      egress: [{ port: { number: 9080, protocol: 'HTTP', name: 'http-9080' }, hosts: ['./*'] }],
      outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    });
  });

  test('"*/*" with allowAllEgressHosts', () => {
    const { app, chart } = setup();
    new Sidecar(chart, 'SC', { egressHosts: ['*/*'], allowAllEgressHosts: true });
    expect(scSpec(app).egress).toEqual([{ hosts: ['*/*'] }]);
  });

  describe('bad input', () => {
    test.each<[string, SidecarProps, string]>([
      ['a host has no namespace', { egressHosts: ['reviews.shop.svc.cluster.local'] }, 'egressHosts[0] must be "<namespace>/<host>" (\'.\' for the Sidecar\'s namespace, \'*\' for any), got "reviews.shop.svc.cluster.local" (e.g. "./reviews.shop.svc.cluster.local")'],
      ['a host is a short name', { egressHosts: ['shop/reviews'] }, 'egressHosts[0] host must be a fully qualified host name'],
      ['a namespace token is invalid', { egressHosts: ['Shop/reviews.shop.svc.cluster.local'] }, "egressHosts[0] namespace must be '.', '*', '~' or a namespace name (a DNS-1123 label), got \"Shop\""],
      ['a host has two slashes', { egressHosts: ['a/b/c.example.com'] }, 'egressHosts[0] must be "<namespace>/<host>"'],
      ['"*/*" is not opted in', { egressHosts: ['*/*'] }, 'egressHosts[0] "*/*" imports every service of the mesh, which disables egress scoping; list the hosts the workload calls, or set allowAllEgressHosts: true'],
      ['"*/*" is combined with other hosts', { egressHosts: ['istio-system/*', '*/*'], allowAllEgressHosts: true }, 'egressHosts[1] "*/*": "*/*" already covers every host and cannot be combined with other egress hosts'],
      ['the selector is empty', { selector: {}, egressHosts: ['./*'] }, 'selector must contain at least one label, got {}'],
      ['the outbound policy is unknown', { outboundTrafficPolicy: 'DENY' as OutboundTrafficPolicy, egressHosts: ['./*'] }, 'outboundTrafficPolicy must be one of REGISTRY_ONLY, ALLOW_ANY, got "DENY"'],
      ['the egress port name lacks its protocol prefix', { egressPort: MeshPort.http(80, { name: 'web' }), egressHosts: ['./*'] }, 'egressPort.name must start with the protocol prefix "http"'],
    ])('fails when %s', (_description, props, message) => {
      const { chart } = setup();
      expect(() => new Sidecar(chart, 'SC', props)).toThrow(failure('test/SC', message));
    });

    test('fails when addEgressHost() gets a host without namespace', () => {
      const { chart } = setup();
      const sc = new Sidecar(chart, 'SC', { egressHosts: ['./*'] });
      expect(() => sc.addEgressHost('api.stripe.com')).toThrow(failure('test/SC', 'addEgressHost() must be "<namespace>/<host>"'));
    });

    test('fails at synth when no egress host was ever added', () => {
      const { app, chart } = setup();
      new Sidecar(chart, 'SC');
      expect(() => synthValid(app)).toThrow('[test/SC] Sidecar has no egress hosts: a Sidecar without egress imports every service of the mesh; add hosts with addEgressHost()');
    });
  });
});

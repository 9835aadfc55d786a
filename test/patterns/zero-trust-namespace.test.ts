import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  AuthorizationPolicy, HttpMatch, Mesh, MeshAnalyzer, MeshPort, MeshService, MtlsMode, TrafficSource,
} from '../../src';
import { EdgeDestinationKind } from '../../src/mesh/mesh-edge';
import { IngressGateway } from '../../src/patterns/ingress-gateway';
import { RevisionedControlPlane } from '../../src/patterns/revisioned-control-plane';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust-namespace';
import { registerGatewayWorkload } from '../../src/private/gateways';
import { findObject, findObjects, synthExample, synthValid } from '../helpers';
import { expectZeroTrustInvariants, inNamespace } from './zero-trust-invariants';

// ---------------------------------------------------------------------------------------------------------------
// helpers

function setup(meshProps: { rootNamespace?: string; trustDomain?: string } = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new Mesh(chart, 'Mesh', meshProps);
  return { app, chart };
}

function service(chart: Chart, id: string, namespace: string, port = MeshPort.http(8080)): MeshService {
  return new MeshService(chart, id, { namespace, port, image: `example/${id.toLowerCase()}:1.0.0` });
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Asserts our error type and returns its message. */
function configError(fn: () => unknown): string {
  const e = errorOf(fn);
  expect(e.name).toBe('IstioConfigError');
  return e.message;
}

// ---------------------------------------------------------------------------------------------------------------

describe('ZeroTrustNamespace: what it renders', () => {
  test('renders the Namespace, a STRICT namespace-wide PeerAuthentication, allow-nothing and a REGISTRY_ONLY Sidecar', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const shop = new ZeroTrustNamespace(chart, 'Shop', { name: 'shop', revisionTag: 'prod-stable' });
    // THEN
    const out = synthValid(app);
    const objs = inNamespace(out, 'shop');
    expect(objs.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'AuthorizationPolicy/allow-nothing', 'AuthorizationPolicy/deny-plaintext', 'Namespace/shop', 'PeerAuthentication/default', 'Sidecar/default',
    ]);

    const ns = findObject(out, 'Namespace', 'shop');
    expect(ns.apiVersion).toBe('v1');
    expect(ns.metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled' });
    expect(ns.metadata.namespace).toBeUndefined();

    const pa = findObject(out, 'PeerAuthentication', 'default', 'shop');
    expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(pa.metadata.annotations).toBeUndefined();

    const deny = findObject(out, 'AuthorizationPolicy', 'allow-nothing', 'shop');
    expect(deny.spec).toEqual({});
    expect(deny.metadata.annotations).toBeUndefined();

    const plaintext = findObject(out, 'AuthorizationPolicy', 'deny-plaintext', 'shop');
    expect(plaintext.spec).toEqual({ action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }] });

    const sidecar = findObject(out, 'Sidecar', 'default', 'shop');
    expect(sidecar.spec).toEqual({
      egress: [{ hosts: ['./*', 'istio-system/*'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });

    expect(shop.name).toBe('shop');
    expect(shop.denyPlaintextPolicy?.name).toBe('deny-plaintext');
    expect(shop.revisionTag).toBe('prod-stable');
    expect(shop.mtlsMode).toBe(MtlsMode.STRICT);
    expect(shop.dryRun).toBe(false);
    expect(shop.allowPolicy).toBeUndefined();
    expect(shop.sourceNamespace).toBe('shop');
    expect(shop.sourceServiceAccount).toBeUndefined();
    expect(shop.sourceDescription).toBe('ZeroTrustNamespace shop');
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop]);
  });

  test('name defaults to the construct id and revisionTag to "default"', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const z = new ZeroTrustNamespace(chart, 'OrderHistory');
    // THEN
    const out = synthValid(app);
    expect(z.name).toBe('orderhistory');
    expect(findObject(out, 'Namespace', 'orderhistory').metadata.labels['istio.io/rev']).toBe('default');
  });

  test('user labels are added to the Namespace next to the mesh labels', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop', { labels: { 'team': 'checkout', 'example.com/cost-center': 'cc-42' } });
    // THEN
    expect(findObject(synthValid(app), 'Namespace', 'shop').metadata.labels).toEqual({
      'team': 'checkout', 'example.com/cost-center': 'cc-42', 'istio.io/rev': 'default', 'istio-discovery': 'enabled',
    });
  });

  test('the Sidecar imports the configured mesh root namespace', () => {
    // GIVEN
    const { app, chart } = setup({ rootNamespace: 'mesh-config' });
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop');
    // THEN
    expect(findObject(synthValid(app), 'Sidecar', 'default', 'shop').spec.egress).toEqual([{ hosts: ['./*', 'mesh-config/*'] }]);
  });

  test('the Namespace is cluster-scoped even in a chart with a default namespace', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'apps' });
    new Mesh(chart, 'Mesh');
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop');
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'Namespace', 'shop').metadata.namespace).toBeUndefined();
    expect(findObject(out, 'PeerAuthentication', 'default', 'shop')).toBeDefined();
    expect(findObject(out, 'Sidecar', 'default', 'shop')).toBeDefined();
  });

  test('the Namespace is the default child (ApiObject.of finds it)', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const z = new ZeroTrustNamespace(chart, 'Shop');
    // THEN
    expect(z.node.defaultChild).toBe(z.namespaceResource);
    expect(Testing.synth(chart).some(o => o.kind === 'Namespace')).toBe(true);
  });

  test('tryFind returns the namespace declared with that name', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const z = new ZeroTrustNamespace(chart, 'Shop');
    // THEN
    expect(ZeroTrustNamespace.tryFind(chart, 'shop')).toBe(z);
    expect(ZeroTrustNamespace.tryFind(chart, 'other')).toBeUndefined();
  });

  test('system namespaces are accepted with allowSystemNamespace', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new ZeroTrustNamespace(chart, 'Public', { name: 'kube-public', allowSystemNamespace: true });
    // THEN
    expect(findObject(synthValid(app), 'AuthorizationPolicy', 'allow-nothing', 'kube-public').spec).toEqual({});
  });
});

describe('ZeroTrustNamespace: mTLS', () => {
  test('PERMISSIVE with a reason renders the mode, records the reason and is reported as a warning', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const z = new ZeroTrustNamespace(chart, 'Legacy', { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: 'batch jobs in ns etl have no sidecar yet' });
    // THEN
    const out = synthValid(app);
    const pa = findObject(out, 'PeerAuthentication', 'default', 'legacy');
    expect(pa.spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
    expect(pa.metadata.annotations).toEqual({ 'cdk8s-istio.io/permissive-reason': 'batch jobs in ns etl have no sidecar yet' });
    expect(z.mtlsMode).toBe(MtlsMode.PERMISSIVE);
    const findings = MeshAnalyzer.analyze(out);
    expect(findings.map(f => [f.rule, f.severity, f.object])).toEqual([['permissive-mtls', 'warning', 'PeerAuthentication/legacy/default']]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [z]);
  });

  test('portLevelMtls renders one workload PeerAuthentication per selector, with the namespace mode and the reasons', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const z = new ZeroTrustNamespace(chart, 'Shop', {
      portLevelMtls: [
        { selector: { app: 'legacy' }, port: 9100, mode: MtlsMode.PERMISSIVE, reason: 'node exporter scraped without mTLS' },
        { selector: { app: 'legacy' }, port: 8081, mode: MtlsMode.DISABLE, reason: 'health checks from the cloud load balancer' },
        { selector: { app: 'cache', tier: 'db' }, port: 6379, mode: MtlsMode.PERMISSIVE, reason: 'clients outside the mesh' },
      ],
    });
    // THEN
    const out = synthValid(app);
    const legacy = findObject(out, 'PeerAuthentication', 'mtls-exception-legacy', 'shop');
    expect(legacy.spec).toEqual({
      selector: { matchLabels: { app: 'legacy' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8081: { mode: 'DISABLE' }, 9100: { mode: 'PERMISSIVE' } },
    });
    expect(legacy.metadata.annotations).toEqual({
      'cdk8s-istio.io/mtls-exception-reason': 'node exporter scraped without mTLS; health checks from the cloud load balancer',
    });
    const cache = findObject(out, 'PeerAuthentication', 'mtls-exception-cache-db', 'shop');
    expect(cache.spec.selector).toEqual({ matchLabels: { app: 'cache', tier: 'db' } });
    expect(cache.spec.portLevelMtls).toEqual({ 6379: { mode: 'PERMISSIVE' } });
    expect(z.portExceptions.map(p => p.name)).toEqual(['mtls-exception-cache-db', 'mtls-exception-legacy']);
    expect(MeshAnalyzer.analyze(out).filter(f => f.severity === 'error')).toEqual([]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [z]);
  });

  test('port exceptions whose selectors would share a name get a stable hash suffix', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop', {
      portLevelMtls: [
        { selector: { app: 'a.b' }, port: 9100, mode: MtlsMode.PERMISSIVE, reason: 'r1' },
        { selector: { app: 'a-b' }, port: 9100, mode: MtlsMode.PERMISSIVE, reason: 'r2' },
      ],
    });
    // THEN
    const names = findObjects(synthValid(app), 'PeerAuthentication').map(p => p.metadata.name).filter(n => n.startsWith('mtls-exception'));
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const n of names) expect(n).toMatch(/^mtls-exception-a-b-[0-9a-f]{8}$/);
  });
});

describe('ZeroTrustNamespace: denyPlaintext (mTLS required in the authorization layer)', () => {
  test('ports of the mTLS exceptions are excluded from the DENY', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop', {
      portLevelMtls: [
        { selector: { app: 'legacy' }, port: 9100, mode: MtlsMode.PERMISSIVE, reason: 'scraper' },
        { selector: { app: 'other' }, port: 8081, mode: MtlsMode.PERMISSIVE, reason: 'health checks' },
      ],
    });
    // THEN
    expect(findObject(synthValid(app), 'AuthorizationPolicy', 'deny-plaintext', 'shop').spec.rules).toEqual([
      { from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { notPorts: ['8081', '9100'] } }] },
    ]);
  });

  test('not rendered when turned off, or (by default) when the namespace is PERMISSIVE', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const off = new ZeroTrustNamespace(chart, 'Off', { denyPlaintext: false });
    const permissive = new ZeroTrustNamespace(chart, 'Legacy', { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: 'migration' });
    // THEN
    const out = synthValid(app);
    expect(findObjects(out, 'AuthorizationPolicy').filter(a => a.metadata.name === 'deny-plaintext')).toEqual([]);
    expect(off.denyPlaintextPolicy).toBeUndefined();
    expect(permissive.denyPlaintextPolicy).toBeUndefined();
  });

  test('dropped (by default) when an ingress gateway runs in the namespace, and the app analyzes clean', () => {
    // GIVEN
    const { app, chart } = setup();
    const edge = new ZeroTrustNamespace(chart, 'Edge');
    // WHEN
    registerGatewayWorkload(chart, { direction: 'ingress', namespace: 'edge', selector: { istio: 'gw' }, serviceAccountName: 'gw', ports: [8443], constructPath: 'test/Gw' });
    // THEN
    const out = synthValid(app);
    expect(findObjects(inNamespace(out, 'edge'), 'AuthorizationPolicy').map(a => a.metadata.name).sort()).toEqual(['allow-ingress-gw', 'allow-nothing']);
    expect(edge.denyPlaintextPolicy).toBeUndefined();
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('fails when denyPlaintext is set for a PERMISSIVE namespace, or next to an ingress gateway', () => {
    const { app, chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Legacy', { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: 'migration', denyPlaintext: true }))).toBe(
      '[test/Legacy] denyPlaintext cannot be combined with mtlsMode PERMISSIVE: it would deny the plain-text clients PERMISSIVE is there to admit; omit denyPlaintext (it is rendered once the namespace is STRICT)');
    expect(configError(() => new ZeroTrustNamespace(chart, 'Bad', { denyPlaintext: 1 as unknown as boolean }))).toBe('[test/Bad] denyPlaintext must be a boolean, got 1');
    new ZeroTrustNamespace(chart, 'Edge', { denyPlaintext: true });
    registerGatewayWorkload(chart, { direction: 'ingress', namespace: 'edge', selector: { istio: 'gw' }, serviceAccountName: 'gw', ports: [8443], constructPath: 'test/Gw' });
    expect(() => app.synthYaml()).toThrow(
      '[test/Edge] denyPlaintext: true cannot be combined with the ingress gateway declared at test/Gw, which runs in this namespace: its clients are outside the mesh and have no peer identity, and a DENY cannot be overridden; omit denyPlaintext, or run the gateway in its own namespace');
  });
});

describe('ZeroTrustNamespace: allowFrom (namespace-wide grants)', () => {
  test('a service source becomes a principal, a namespace source a namespace, with the options as the operation', () => {
    // GIVEN
    const { app, chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop');
    const payments = new ZeroTrustNamespace(chart, 'Payments');
    const web = service(chart, 'Web', 'shop');
    // WHEN
    payments.allowFrom(web, { ports: [8443, 8080, 8080], methods: ['POST', 'GET'], paths: ['/pay/*'], pathMatches: [HttpMatch.exact('/healthz'), HttpMatch.prefix('/v2/')] });
    payments.allowFrom(shop);
    payments.allowFrom(TrafficSource.serviceAccount('ops', 'prober'), { requireJwt: true });
    payments.allowFrom(TrafficSource.namespace('monitoring'), { ports: [9090] });
    // THEN
    const out = synthValid(app);
    const ap = findObject(out, 'AuthorizationPolicy', 'allow-namespace-wide', 'payments');
    expect(ap.spec.selector).toBeUndefined();
    expect(ap.spec.action).toBe('ALLOW');
    expect(ap.spec.rules).toEqual([
      {
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
        to: [{ operation: { ports: ['8080', '8443'], methods: ['GET', 'POST'], paths: ['/healthz', '/pay/*', '/v2/*'] } }],
      },
      { from: [{ source: { namespaces: ['shop'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/ops/sa/prober'], requestPrincipals: ['*'] } }] },
      { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9090'] } }] },
    ]);
    expect(payments.allowPolicy?.name).toBe('allow-namespace-wide');
    expect(MeshAnalyzer.analyze(out).filter(f => f.severity === 'error')).toEqual([]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop, payments]);
  });

  test('principals use the mesh trust domain', () => {
    // GIVEN
    const { app, chart } = setup({ trustDomain: 'prod.example.com' });
    const z = new ZeroTrustNamespace(chart, 'Shop');
    // WHEN
    z.allowFrom(TrafficSource.serviceAccount('ops', 'prober'));
    // THEN
    expect(findObject(synthValid(app), 'AuthorizationPolicy', 'allow-namespace-wide', 'shop').spec.rules)
      .toEqual([{ from: [{ source: { principals: ['prod.example.com/ns/ops/sa/prober'] } }] }]);
  });

  test('the same grant twice renders one rule; the namespace may allow itself', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    // WHEN
    z.allowFrom(z);
    z.allowFrom(z);
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'AuthorizationPolicy', 'allow-namespace-wide', 'shop').spec.rules).toEqual([{ from: [{ source: { namespaces: ['shop'] } }] }]);
    expect(findObject(out, 'Sidecar', 'default', 'shop').spec.egress[0].hosts).toEqual(['./*', 'istio-system/*', 'shop/*']);
  });

  test('records a NAMESPACE edge in the service graph, and the caller namespace Sidecar imports the namespace', () => {
    // GIVEN
    const { app, chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop');
    const payments = new ZeroTrustNamespace(chart, 'Payments');
    // WHEN
    payments.allowFrom(shop);
    // THEN
    const edges = Mesh.of(chart).edges;
    expect(edges).toEqual([{
      sourceNamespace: 'shop',
      sourceServiceAccount: undefined,
      sourceDescription: 'ZeroTrustNamespace shop',
      destinationKind: EdgeDestinationKind.NAMESPACE,
      destinationNamespace: 'payments',
      destinationHosts: ['*.payments.svc.cluster.local'],
      egressHosts: ['payments/*'],
      destinationPath: payments.node.path,
    }]);
    const out = synthValid(app);
    expect(findObject(out, 'Sidecar', 'default', 'shop').spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*', 'payments/*'] }]);
    expect(findObject(out, 'Sidecar', 'default', 'payments').spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*'] }]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop, payments]);
  });

  test('the namespace Sidecar collects the egress of every edge whose caller runs in the namespace, declared before or after it', () => {
    // GIVEN
    const { app, chart } = setup();
    const web = service(chart, 'Web', 'shop');
    const api = service(chart, 'Api', 'payments');
    const ledger = service(chart, 'Ledger', 'ledger');
    api.allowFrom(web); // before the namespace exists
    // WHEN
    const shop = new ZeroTrustNamespace(chart, 'Shop');
    ledger.allowFrom(web); // after
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'Sidecar', 'default', 'shop').spec.egress).toEqual([{
      hosts: ['./*', 'istio-system/*', 'ledger/ledger.ledger.svc.cluster.local', 'payments/api.payments.svc.cluster.local'],
    }]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop]);
  });

  test('grants made after construction still count (rendered at synth)', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    synthValid(app);
    // WHEN
    z.allowFrom(TrafficSource.namespace('frontend'));
    // THEN
    expect(findObject(synthValid(app), 'AuthorizationPolicy', 'allow-namespace-wide', 'shop').spec.rules).toEqual([{ from: [{ source: { namespaces: ['frontend'] } }] }]);
  });

  test('services in the namespace keep their own per-service ALLOW next to allow-nothing', () => {
    // GIVEN
    const { app, chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop');
    const reviews = service(chart, 'Reviews', 'shop');
    const productpage = service(chart, 'ProductPage', 'shop');
    // WHEN
    reviews.allowFrom(productpage, { methods: ['GET'] });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'AuthorizationPolicy', 'allow-nothing', 'shop').spec).toEqual({});
    const allow = findObject(out, 'AuthorizationPolicy', 'reviews-allow', 'shop');
    expect(allow.spec.selector).toEqual({ matchLabels: { app: 'reviews' } });
    expect(allow.spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }]);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop]);
  });
});

describe('ZeroTrustNamespace: ingress', () => {
  const gateway = { direction: 'ingress' as const, namespace: 'edge', selector: { istio: 'ingressgateway' }, serviceAccountName: 'public-gateway', ports: [8443, 8080] };

  test('an ingress gateway running in the namespace gets an ALLOW on its ports (registered after the namespace)', () => {
    // GIVEN
    const { app, chart } = setup();
    const edge = new ZeroTrustNamespace(chart, 'Edge');
    // WHEN
    registerGatewayWorkload(chart, { ...gateway, constructPath: 'test/Public' });
    // THEN
    const out = synthValid(app);
    const ap = findObject(out, 'AuthorizationPolicy', 'allow-ingress-public-gateway', 'edge');
    expect(ap.spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { istio: 'ingressgateway' } }, rules: [{ to: [{ operation: { ports: ['8080', '8443'] } }] }] });
    expect(edge.gatewayPolicies.map(p => p.name)).toEqual(['allow-ingress-public-gateway']);
    expectZeroTrustInvariants(out, Mesh.of(chart), [edge], [gateway.selector]);
  });

  test('a gateway registered before the namespace is replayed; egress gateways and other namespaces are ignored', () => {
    // GIVEN
    const { app, chart } = setup();
    registerGatewayWorkload(chart, { ...gateway, constructPath: 'test/Public' });
    registerGatewayWorkload(chart, { ...gateway, direction: 'egress', selector: { istio: 'egressgateway' }, serviceAccountName: 'egress', constructPath: 'test/Egress' });
    registerGatewayWorkload(chart, { ...gateway, namespace: 'istio-ingress', constructPath: 'test/Other' });
    // WHEN
    const edge = new ZeroTrustNamespace(chart, 'Edge');
    // THEN
    const aps = findObjects(inNamespace(synthValid(app), 'edge'), 'AuthorizationPolicy').map(a => a.metadata.name).sort();
    expect(aps).toEqual(['allow-ingress-public-gateway', 'allow-nothing']);
    expect(edge.gatewayPolicies).toHaveLength(1);
  });

  test('two listeners of the same gateway workload share one policy; another workload with the same service account gets its own', () => {
    // GIVEN
    const { app, chart } = setup();
    new ZeroTrustNamespace(chart, 'Edge');
    // WHEN
    registerGatewayWorkload(chart, { ...gateway, ports: [8080], constructPath: 'test/A' });
    registerGatewayWorkload(chart, { ...gateway, ports: [8443], constructPath: 'test/B' });
    registerGatewayWorkload(chart, { ...gateway, selector: { istio: 'internal' }, ports: [8080], constructPath: 'test/C' });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'AuthorizationPolicy', 'allow-ingress-public-gateway', 'edge').spec.rules).toEqual([
      { to: [{ operation: { ports: ['8080'] } }] }, { to: [{ operation: { ports: ['8443'] } }] },
    ]);
    const other = findObjects(out, 'AuthorizationPolicy').filter(a => /^allow-ingress-public-gateway-[0-9a-f]{8}$/.test(a.metadata.name));
    expect(other).toHaveLength(1);
    expect(other[0].spec.selector).toEqual({ matchLabels: { istio: 'internal' } });
  });

  test.each([['gateway declared after the namespace'], ['gateway declared before the namespace']])(
    'an IngressGateway running in a zero-trust namespace keeps admitting external traffic (%s)', (order) => {
      // GIVEN
      const { app, chart } = setup();
      const zts: ZeroTrustNamespace[] = [];
      if (order.endsWith('after the namespace')) zts.push(new ZeroTrustNamespace(chart, 'Ingress', { name: 'istio-ingress' }));
      const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
      if (order.endsWith('before the namespace')) zts.push(new ZeroTrustNamespace(chart, 'Ingress', { name: 'istio-ingress' }));
      zts.push(new ZeroTrustNamespace(chart, 'Shop'));
      const storefront = service(chart, 'Storefront', 'shop');
      // WHEN
      gw.route(storefront, { pathPrefix: '/' });
      // THEN
      const out = synthValid(app);
      const allow = findObject(out, 'AuthorizationPolicy', 'allow-ingress-istio-ingressgateway', 'istio-ingress');
      expect(allow.spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { istio: 'ingressgateway' } }, rules: [{ to: [{ operation: { ports: ['80', '443'] } }] }] });
      expect(findObjects(inNamespace(out, 'istio-ingress'), 'AuthorizationPolicy').map(a => a.metadata.name).sort()).toEqual(['allow-ingress-istio-ingressgateway', 'allow-nothing']);
      expect(findObject(out, 'AuthorizationPolicy', 'storefront-allow', 'shop').spec.rules)
        .toEqual([{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
      expect(MeshAnalyzer.analyze(out)).toEqual([]);
      expectZeroTrustInvariants(out, Mesh.of(chart), zts, [{ istio: 'ingressgateway' }]);
      // With the gateway's Deployment (installed outside the app, e.g. by Helm) in view, the analyzer confirms that the
      // ALLOW keeps it reachable, and that without it allow-nothing would cut it off.
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' },
        spec: {
          selector: { matchLabels: { istio: 'ingressgateway' } },
          template: {
            metadata: { labels: { istio: 'ingressgateway' }, annotations: { 'inject.istio.io/templates': 'gateway' } },
            spec: { serviceAccountName: 'istio-ingressgateway', containers: [{ name: 'istio-proxy', image: 'auto' }] },
          },
        },
      };
      const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' } };
      expect(MeshAnalyzer.analyze([...out, deployment, sa])).toEqual([]);
      const without = [...out, deployment, sa].filter(o => o.metadata?.name !== 'allow-ingress-istio-ingressgateway');
      expect(MeshAnalyzer.analyze(without).map(f => `${f.rule} ${f.object}`)).toContain('namespace-deny-blocks-gateway AuthorizationPolicy/istio-ingress/allow-nothing');
    });

  test('a service routed through a gateway of another namespace keeps the gateway principal next to allow-nothing', () => {
    // GIVEN: the gateway's allowFrom edge, as IngressGateway.route() declares it
    const { app, chart } = setup();
    const shop = new ZeroTrustNamespace(chart, 'Shop');
    const productpage = service(chart, 'ProductPage', 'shop');
    // WHEN
    productpage.allowFrom(TrafficSource.serviceAccount('istio-ingress', 'public-gateway'));
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'AuthorizationPolicy', 'productpage-allow', 'shop').spec.rules)
      .toEqual([{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/public-gateway'] } }] }]);
    expect(findObject(out, 'AuthorizationPolicy', 'allow-nothing', 'shop').spec).toEqual({});
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop]);
  });
});

describe('ZeroTrustNamespace: dryRun', () => {
  test('every authorization policy of the namespace carries istio.io/dry-run; PeerAuthentication and Sidecar do not', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop', { dryRun: true });
    const web = service(chart, 'Web', 'shop');
    // WHEN
    z.allowFrom(TrafficSource.namespace('frontend'));
    z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks.json', audiences: ['shop'], services: [web] });
    registerGatewayWorkload(chart, { direction: 'ingress', namespace: 'shop', selector: { istio: 'gw' }, serviceAccountName: 'gw', ports: [8080], constructPath: 'test/Gw' });
    // THEN
    const out = synthValid(app);
    const ours = ['allow-nothing', 'allow-namespace-wide', 'require-jwt-web', 'allow-ingress-gw'];
    expect(findObjects(inNamespace(out, 'shop'), 'AuthorizationPolicy').map(a => a.metadata.name).sort()).toEqual([...ours].sort());
    for (const name of ours) {
      expect(findObject(out, 'AuthorizationPolicy', name, 'shop').metadata.annotations).toEqual({ [AuthorizationPolicy.DRY_RUN_ANNOTATION]: 'true' });
    }
    expect(findObject(out, 'PeerAuthentication', 'default', 'shop').metadata.annotations).toBeUndefined();
    expect(findObject(out, 'Sidecar', 'default', 'shop').metadata.annotations).toBeUndefined();
    expect(z.dryRun).toBe(true);
  });

  test('the plain-text DENY is dry-run too', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    new ZeroTrustNamespace(chart, 'Shop', { dryRun: true });
    // THEN
    expect(findObject(synthValid(app), 'AuthorizationPolicy', 'deny-plaintext', 'shop').metadata.annotations).toEqual({ 'istio.io/dry-run': 'true' });
  });

  test('without dryRun no policy carries the annotation', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop', { dryRun: false });
    // WHEN
    z.allowFrom(TrafficSource.namespace('frontend'));
    z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks.json', audiences: ['shop'] });
    // THEN
    for (const ap of findObjects(synthValid(app), 'AuthorizationPolicy')) expect(ap.metadata.annotations).toBeUndefined();
  });
});

describe('ZeroTrustNamespace: requireJwt', () => {
  const jwt = { issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json', audiences: ['shop-api'] };

  test('namespace-wide: a RequestAuthentication and a DENY without request principal, both without selector', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    // WHEN
    z.requireJwt(jwt);
    // THEN
    const out = synthValid(app);
    const ra = findObject(out, 'RequestAuthentication', 'jwt', 'shop').spec;
    expect(ra.selector).toBeUndefined();
    expect(ra.jwtRules).toHaveLength(1);
    expect(ra.jwtRules[0].issuer).toBe('https://id.example.com');
    expect(ra.jwtRules[0].jwksUri ?? ra.jwtRules[0].jwks_uri).toBe('https://id.example.com/.well-known/jwks.json');
    expect(ra.jwtRules[0].audiences).toEqual(['shop-api']);
    expect(findObject(out, 'AuthorizationPolicy', 'require-jwt', 'shop').spec).toEqual({
      action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
    });
    expect(z.jwtAuthentications.map(r => r.name)).toEqual(['jwt']);
    expect(z.jwtPolicies.map(p => p.name)).toEqual(['require-jwt']);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
    expectZeroTrustInvariants(out, Mesh.of(chart), [z]);
  });

  test('selected services: one RequestAuthentication and DENY per service, selected by its pod labels', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    const web = service(chart, 'Web', 'shop');
    const api = service(chart, 'Api', 'shop');
    service(chart, 'Internal', 'shop');
    // WHEN
    z.requireJwt({ ...jwt, services: [web, api, web] });
    // THEN
    const out = synthValid(app);
    for (const name of ['web', 'api']) {
      expect(findObject(out, 'RequestAuthentication', `jwt-${name}`, 'shop').spec.selector).toEqual({ matchLabels: { app: name } });
      const deny = findObject(out, 'AuthorizationPolicy', `require-jwt-${name}`, 'shop');
      expect(deny.spec).toEqual({ action: 'DENY', selector: { matchLabels: { app: name } }, rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] });
    }
    expect(findObjects(out, 'RequestAuthentication')).toHaveLength(2);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('a second issuer for the same target is added to the same RequestAuthentication', () => {
    // GIVEN
    const { app, chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    z.requireJwt(jwt);
    // WHEN
    z.requireJwt({ issuer: 'https://partner.example.org', jwksUri: 'https://partner.example.org/keys', audiences: ['shop-api', 'partner'] });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'RequestAuthentication', 'jwt', 'shop').spec.jwtRules.map((r: any) => [r.issuer, r.audiences])).toEqual([
      ['https://id.example.com', ['shop-api']], ['https://partner.example.org', ['partner', 'shop-api']],
    ]);
    expect(findObjects(out, 'AuthorizationPolicy').filter(a => a.metadata.name === 'require-jwt')).toHaveLength(1);
  });
});

describe('ZeroTrustNamespace: RevisionedControlPlane', () => {
  const CP = {
    revisions: [{ name: '1-29-2', version: '1.29.2' }, { name: '1-30-3', version: '1.30.3' }],
    tags: { 'prod-stable': '1-29-2', 'prod-canary': '1-30-3' },
  };

  test('a namespace on a declared tag is registered with the control plane (declared before it)', () => {
    // GIVEN
    const { app, chart } = setup();
    const cp = new RevisionedControlPlane(chart, 'ControlPlane', CP);
    // WHEN
    const shop = new ZeroTrustNamespace(chart, 'Shop', { revisionTag: 'prod-stable' });
    // THEN
    expect(cp.namespaceTag('shop')).toBe('prod-stable');
    const out = synthValid(app);
    expect(findObject(out, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled' });
    expectZeroTrustInvariants(out, Mesh.of(chart), [shop]);
    // the control plane now refuses to remove the tag the namespace uses
    expect(configError(() => cp.removeTag('prod-stable'))).toMatch(/tag "prod-stable" is still used by namespace shop/);
  });

  test('a namespace declared before the control plane is registered at synth', () => {
    // GIVEN
    const { app, chart } = setup();
    new ZeroTrustNamespace(chart, 'Shop', { revisionTag: 'prod-canary' });
    // WHEN
    const cp = new RevisionedControlPlane(chart, 'ControlPlane', CP);
    // THEN
    synthValid(app);
    expect(cp.namespaceTag('shop')).toBe('prod-canary');
  });

  test('fails when the revision tag is not declared by the control plane (declared before or after the namespace)', () => {
    for (const order of ['cp-first', 'namespace-first']) {
      const { app, chart } = setup();
      if (order === 'cp-first') new RevisionedControlPlane(chart, 'ControlPlane', CP);
      new ZeroTrustNamespace(chart, 'Shop', { revisionTag: 'prod-beta' });
      if (order === 'namespace-first') new RevisionedControlPlane(chart, 'ControlPlane', CP);
      expect(() => app.synthYaml()).toThrow(
        '[test/Shop] revisionTag "prod-beta" is not declared by the RevisionedControlPlane at test/ControlPlane; declared tags: "prod-canary", "prod-stable"');
    }
  });

  test('fails when the revision tag is a revision name, or the default tag is not declared', () => {
    const { app, chart } = setup();
    new RevisionedControlPlane(chart, 'ControlPlane', CP);
    new ZeroTrustNamespace(chart, 'Shop', { revisionTag: '1-29-2' });
    new ZeroTrustNamespace(chart, 'Payments');
    const message = errorOf(() => app.synthYaml()).message;
    expect(message).toContain('[test/Shop] revisionTag "1-29-2" is not declared by the RevisionedControlPlane at test/ControlPlane ("1-29-2" is a revision, not a tag: bind namespaces to a tag that points at it, so upgrades never relabel them); declared tags: "prod-canary", "prod-stable"');
    expect(message).toContain('[test/Payments] revisionTag "default" (the default) is not declared by the RevisionedControlPlane at test/ControlPlane; declared tags: "prod-canary", "prod-stable"');
  });

  test('fails when the namespace is the CNI agent namespace or is also bound by the control plane', () => {
    const { chart } = setup();
    const cp = new RevisionedControlPlane(chart, 'ControlPlane', CP);
    expect(configError(() => new ZeroTrustNamespace(chart, 'Cni', { name: 'istio-cni', revisionTag: 'prod-stable' })))
      .toBe('[test/Cni] name "istio-cni" is the namespace of the CNI node agent of test/ControlPlane; it runs outside the mesh, use an application namespace');
    cp.bind('orders', 'prod-stable');
    expect(configError(() => new ZeroTrustNamespace(chart, 'Orders', { revisionTag: 'prod-stable' })))
      .toBe('[test/Orders] Namespace "orders" is already claimed by test/ControlPlane; each namespace may be declared once per app');
  });
});

describe('ZeroTrustNamespace: bad input', () => {
  test('fails when two ZeroTrustNamespaces have the same name', () => {
    const { chart } = setup();
    new ZeroTrustNamespace(chart, 'Shop', { name: 'shop' });
    expect(configError(() => new ZeroTrustNamespace(chart, 'Shop2', { name: 'shop' })))
      .toBe('[test/Shop2] ZeroTrustNamespace name "shop" is already claimed by test/Shop; each zero-trust namespace may be declared once per app');
  });

  test.each([
    ['Shop'], ['shop_1'], ['-shop'], ['shop.prod'], ['a'.repeat(64)], [''],
  ])('fails when the name is not a DNS-1123 label (%j)', (name) => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { name })))
      .toBe(`[test/Z] name must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got ${JSON.stringify(name)}`);
  });

  test.each([['kube-system'], ['kube-public'], ['kube-node-lease']])('fails when the name is the system namespace %s', (name) => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { name }))).toBe(
      `[test/Z] name "${name}" is a Kubernetes system namespace (kube-system, kube-public, kube-node-lease); deny-by-default there breaks cluster components outside the mesh. Set allowSystemNamespace: true if you really mean it`);
  });

  test('fails when the name is the mesh root namespace, even with allowSystemNamespace', () => {
    const { chart } = setup({ rootNamespace: 'mesh-root' });
    for (const [i, props] of [{ name: 'mesh-root' }, { name: 'mesh-root', allowSystemNamespace: true }].entries()) {
      expect(configError(() => new ZeroTrustNamespace(chart, `Z${i}`, props))).toBe(
        `[test/Z${i}] name "mesh-root" is the mesh root namespace: PeerAuthentication and AuthorizationPolicy objects there apply to the whole mesh (an allow-nothing policy would deny every workload, gateways included); use an application namespace`);
    }
  });

  test('fails when allowSystemNamespace is set for an ordinary namespace', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { name: 'shop', allowSystemNamespace: true })))
      .toBe('[test/Z] allowSystemNamespace is only meaningful for kube-system, kube-public, kube-node-lease, got name "shop"; remove it');
  });

  test('fails when the revision tag is not a DNS-1123 label', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { revisionTag: '1.30.3' }))).toBe(
      '[test/Z] revisionTag must be a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters), got "1.30.3" (revision tags use \'-\', e.g. "1-30-3")');
    expect(configError(() => new ZeroTrustNamespace(chart, 'Y', { revisionTag: 'Prod' }))).toMatch(/^\[test\/Y\] revisionTag must be a DNS-1123 label .*, got "Prod"$/);
  });

  test.each([
    ['istio-injection', 'enabled', 'it takes precedence over istio.io/rev (and with "disabled" the namespace silently leaves the mesh); the construct binds the namespace with istio.io/rev only'],
    ['istio.io/rev', 'canary', 'a second membership label; set revisionTag instead'],
    ['istio.io/dataplane-mode', 'ambient', 'it enrolls the namespace in ambient mode, which conflicts with sidecar injection by istio.io/rev'],
    ['istio-discovery', 'disabled', "the construct sets istio-discovery=enabled so that the control plane's discoverySelectors see the namespace"],
  ])('fails when user labels set %s', (key, value, why) => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { labels: { team: 'a', [key]: value } })))
      .toBe(`[test/Z] labels must not set ${key} (got ${key}=${JSON.stringify(value)}): ${why}`);
  });

  test('fails when a user label is not a valid Kubernetes label', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { labels: { team: 'not valid!' } })))
      .toBe('[test/Z] labels.team must be a label value (at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit), got "not valid!"');
  });

  test('fails when PERMISSIVE is not acknowledged with a reason', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { mtlsMode: MtlsMode.PERMISSIVE }))).toBe(
      '[test/Z] mtlsMode PERMISSIVE accepts plain-text traffic and is allowed only as an acknowledged migration step: give permissiveReason (e.g. "clients in namespace legacy are not in the mesh yet"), or use MtlsMode.STRICT');
    expect(configError(() => new ZeroTrustNamespace(chart, 'Y', { mtlsMode: MtlsMode.PERMISSIVE, permissiveReason: '  ' })))
      .toBe('[test/Y] permissiveReason must say why the namespace accepts plain text, got "  "');
  });

  test.each([[MtlsMode.DISABLE], [MtlsMode.UNSET], ['LOOSE' as MtlsMode]])('fails when mtlsMode is %s', (mode) => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { mtlsMode: mode, permissiveReason: 'x' })))
      .toBe(`[test/Z] mtlsMode must be STRICT, or PERMISSIVE as a migration step (with permissiveReason), got ${JSON.stringify(mode)}; for single ports use portLevelMtls`);
  });

  test('fails when permissiveReason is given for a STRICT namespace', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { permissiveReason: 'migration' })))
      .toBe('[test/Z] permissiveReason is only allowed with mtlsMode PERMISSIVE, got it with mtlsMode STRICT; remove it');
  });

  test('fails when a port-level exception has no selector, an empty selector, a bad port, a strict mode or no reason', () => {
    const { chart } = setup();
    const ok = { selector: { app: 'legacy' }, port: 9100, mode: MtlsMode.PERMISSIVE, reason: 'scraper' };
    const cases: Array<[any, string]> = [
      [{ ...ok, selector: undefined }, 'portLevelMtls[0].selector must name the workloads (pod labels) the exception applies to; a port-level exception without a selector is not allowed, got undefined'],
      [{ ...ok, selector: {} }, 'portLevelMtls[0].selector must name the workloads (pod labels) the exception applies to; a port-level exception without a selector is not allowed, got {}'],
      [{ ...ok, port: 0 }, 'portLevelMtls[0].port must be an integer from 1 to 65535, got 0'],
      [{ ...ok, port: 70000 }, 'portLevelMtls[0].port must be an integer from 1 to 65535, got 70000'],
      [{ ...ok, mode: MtlsMode.STRICT }, 'portLevelMtls[0].mode must be PERMISSIVE or DISABLE (an exception weakens the namespace mode STRICT), got "STRICT"'],
      [{ ...ok, reason: '' }, 'portLevelMtls[0].reason must say why port 9100 cannot use STRICT, got ""'],
      [{ ...ok, reason: undefined }, 'portLevelMtls[0].reason must say why port 9100 cannot use STRICT, got undefined'],
    ];
    cases.forEach(([exception, message], i) => {
      expect(configError(() => new ZeroTrustNamespace(chart, `Z${i}`, { name: `z${i}`, portLevelMtls: [exception] }))).toBe(`[test/Z${i}] ${message}`);
    });
    expect(configError(() => new ZeroTrustNamespace(chart, 'Dup', { portLevelMtls: [ok, { ...ok, reason: 'again' }] })))
      .toBe('[test/Dup] portLevelMtls[1].port 9100 already has an exception for the same selector {"app":"legacy"}');
    expect(configError(() => new ZeroTrustNamespace(chart, 'Empty', { portLevelMtls: [] })))
      .toBe('[test/Empty] portLevelMtls must list at least one exception (omit it for none), got []');
  });

  test('fails when dryRun is not a boolean', () => {
    const { chart } = setup();
    expect(configError(() => new ZeroTrustNamespace(chart, 'Z', { dryRun: 'yes' as unknown as boolean })))
      .toBe('[test/Z] dryRun must be a boolean, got "yes"');
  });

  test('fails when jwksUri is not https', () => {
    const { chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'http://id.example.com/jwks', audiences: ['a'] }))).toBe(
      '[test/Shop] requireJwt jwksUri must use https (istiod would fetch the signing keys in plain text, and anyone on the path could replace them), got "http://id.example.com/jwks"');
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'id.example.com/jwks', audiences: ['a'] })))
      .toBe('[test/Shop] requireJwt jwksUri must be an absolute https URL, got "id.example.com/jwks"');
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com', jwksUri: '', audiences: ['a'] })))
      .toBe('[test/Shop] requireJwt jwksUri must be an https URL of the issuer\'s key set (e.g. "https://accounts.example.com/.well-known/jwks.json"), got ""');
  });

  test('fails when jwksUri points inside the cluster', () => {
    const { chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'https://169.254.169.254/keys', audiences: ['a'] })))
      .toBe('[test/Shop] requireJwt jwksUri must not point to a link-local address (istiod would fetch it from inside the cluster: SSRF), got "https://169.254.169.254/keys"');
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'https://keys.auth.svc.cluster.local/jwks', audiences: ['a'] })))
      .toBe('[test/Shop] requireJwt jwksUri must not point to a cluster-internal host name (istiod would fetch it from inside the cluster: SSRF), got "https://keys.auth.svc.cluster.local/jwks"');
    // nothing is left behind by the refused calls
    expect(z.jwtAuthentications).toEqual([]);
    expect(z.node.children.map(c => c.node.id)).not.toContain('Jwt-Namespace');
    z.requireJwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', audiences: ['a'] });
    expect(z.jwtAuthentications).toHaveLength(1);
  });

  test('fails when the issuer is empty', () => {
    const { chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    for (const issuer of ['', '   ', undefined as unknown as string]) {
      expect(configError(() => z.requireJwt({ issuer, jwksUri: 'https://id.example.com/jwks', audiences: ['a'] })))
        .toBe(`[test/Shop] requireJwt issuer must be a non-empty string (the token's iss claim, e.g. "https://accounts.example.com"), got ${issuer === undefined ? 'undefined' : JSON.stringify(issuer)}`);
    }
    expect(configError(() => z.requireJwt({ issuer: 'https://id.example.com x', jwksUri: 'https://id.example.com/jwks', audiences: ['a'] })))
      .toBe('[test/Shop] requireJwt issuer must not contain whitespace, got "https://id.example.com x"');
  });

  test('fails when requireJwt has no audience, a service of another namespace, or repeats an issuer', () => {
    const { chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    const other = service(chart, 'Api', 'payments');
    const base = { issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', audiences: ['a'] };
    expect(configError(() => z.requireJwt({ ...base, audiences: [] }))).toBe(
      '[test/Shop] requireJwt audiences must list at least one accepted audience (aud claim); without it a token issued for any other service is accepted, got []');
    expect(configError(() => z.requireJwt({ ...base, audiences: [''] }))).toBe('[test/Shop] requireJwt audiences[0] must be a non-empty string, got ""');
    expect(configError(() => z.requireJwt({ ...base, services: [other] }))).toBe(
      '[test/Shop] requireJwt services[0] (test/Api) is in namespace "payments", not in "shop"; call requireJwt on that namespace');
    expect(configError(() => z.requireJwt({ ...base, services: [] }))).toBe(
      '[test/Shop] requireJwt services must list at least one service of namespace shop (omit it for the whole namespace), got []');
    expect(configError(() => z.requireJwt({ ...base, services: [TrafficSource.serviceAccount('shop', 'x') as any] }))).toMatch(
      /^\[test\/Shop\] requireJwt services\[0\] must be a MeshService or CanaryService of this app, got /);
    z.requireJwt(base);
    expect(configError(() => z.requireJwt(base))).toBe('[test/Shop] requireJwt issuer "https://id.example.com" is already required for namespace shop');
  });

  test('fails when allowFrom gets a bad source or bad options', () => {
    const { chart } = setup();
    const z = new ZeroTrustNamespace(chart, 'Shop');
    expect(configError(() => z.allowFrom(undefined as any))).toBe(
      '[test/Shop] allowFrom source must be a traffic source (a mesh service, a namespace, the ingress gateway or TrafficSource.serviceAccount()), got undefined');
    expect(configError(() => z.allowFrom(TrafficSource.namespace('Bad_NS')))).toBe(
      '[test/Shop] allowFrom source: the namespace of namespace Bad_NS cannot be determined or is not a DNS-1123 label, got "Bad_NS"');
    const src = TrafficSource.namespace('frontend');
    expect(configError(() => z.allowFrom(src, { ports: [0] }))).toBe('[test/Shop] allowFrom options.ports[0] must be an integer from 1 to 65535, got 0');
    expect(configError(() => z.allowFrom(src, { ports: [] }))).toBe('[test/Shop] allowFrom options.ports must list at least one port (omit it to allow every port), got []');
    expect(configError(() => z.allowFrom(src, { methods: ['FETCH'] }))).toBe(
      '[test/Shop] allowFrom options.methods[0] must be one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE, got "FETCH"');
    expect(configError(() => z.allowFrom(src, { methods: [] }))).toBe('[test/Shop] allowFrom options.methods must list at least one method (omit it to allow every method), got []');
    expect(configError(() => z.allowFrom(src, { paths: ['/api/*/admin'] }))).toBe(
      "[test/Shop] allowFrom options.paths[0] has '*' in the middle (Istio matches it literally, so the rule never applies); use a prefix '/api/*', a suffix '*.png' or an exact path, got \"/api/*/admin\"");
    expect(configError(() => z.allowFrom(src, { paths: [] }))).toBe('[test/Shop] allowFrom options.paths must list at least one path (omit it to allow every path), got []');
    expect(configError(() => z.allowFrom(src, { pathMatches: [HttpMatch.regex('/a.*')] }))).toBe(
      '[test/Shop] allowFrom options.pathMatches[0] must be HttpMatch.exact() or HttpMatch.prefix(); regex paths are not allowed here, got regex "/a.*"');
    expect(configError(() => z.allowFrom(src, { requireJwt: 'yes' as any }))).toBe('[test/Shop] allowFrom options.requireJwt must be a boolean, got "yes"');
    // nothing was granted by the failed calls
    expect(z.allowPolicy).toBeUndefined();
    expect(Mesh.of(chart).edges).toEqual([]);
  });

  test('fails at synth, before any file is written, when an ingress gateway in the namespace declares no ports', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ztn-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    new Mesh(chart, 'Mesh');
    new ZeroTrustNamespace(chart, 'Edge');
    // WHEN
    registerGatewayWorkload(chart, { direction: 'ingress', namespace: 'edge', selector: { istio: 'gw' }, serviceAccountName: 'gw', ports: [], constructPath: 'test/Gw' });
    // THEN
    expect(() => app.synth()).toThrow(/\[test\/Edge\] the ingress gateway declared at test\/Gw runs in zero-trust namespace edge but declares no ports; its ALLOW policy cannot be rendered and deny-by-default would reject all external traffic/);
    expect(fs.readdirSync(outdir).filter(f => f.endsWith('.yaml'))).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

describe('examples/zero-trust', () => {
  const objects = Object.values(synthExample('zero-trust')).flat();

  test('each namespace: one membership label, one STRICT namespace-wide PeerAuthentication, allow-nothing, plain text denied', () => {
    for (const ns of ['shop', 'payments']) {
      expect(findObject(objects, 'Namespace', ns).metadata.labels).toEqual({ 'istio.io/rev': 'prod-stable', 'istio-discovery': 'enabled' });
      const pas = findObjects(inNamespace(objects, ns), 'PeerAuthentication');
      expect(pas.map(p => [p.metadata.name, p.spec])).toEqual([['default', { mtls: { mode: 'STRICT' } }]]);
      expect(findObject(objects, 'AuthorizationPolicy', 'allow-nothing', ns).spec).toEqual({});
      expect(findObject(objects, 'AuthorizationPolicy', 'deny-plaintext', ns).spec).toEqual({ action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }] });
    }
  });

  test('the only ALLOW rules are the declared calls, and the namespace Sidecars import exactly the declared hosts', () => {
    const allows = findObjects(objects, 'AuthorizationPolicy').filter(a => a.spec.action === 'ALLOW')
      .map(a => [`${a.metadata.namespace}/${a.metadata.name}`, a.spec.rules]);
    expect(allows).toEqual([
      ['shop/storefront-allow', [
        { from: [{ source: { principals: ['cluster.local/ns/payments/sa/checkout'] } }], to: [{ operation: { methods: ['GET'], paths: ['/catalog/*'] } }] },
        // the ingress gateway's identity, from gateway.route(storefront): only storefront is reachable from outside
        { from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'] } }] },
      ]],
      ['payments/checkout-allow', [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/storefront'] } }], to: [{ operation: { methods: ['POST'], paths: ['/checkout/*'] } }] }]],
    ]);
    expect(findObject(objects, 'Sidecar', 'default', 'shop').spec).toEqual({
      egress: [{ hosts: ['./*', 'istio-system/*', 'payments/checkout.payments.svc.cluster.local'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(findObject(objects, 'Sidecar', 'default', 'payments').spec).toEqual({
      egress: [{ hosts: ['./*', 'istio-system/*', 'istio-system/api.stripe.com', 'shop/storefront.shop.svc.cluster.local'] }],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(findObject(objects, 'ServiceEntry', 'stripe').spec.exportTo).toEqual(['.', 'payments']);
    for (const o of objects) expect(o.spec?.exportTo ?? []).not.toContain('*');
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { Mesh } from '../../src/mesh/mesh';
import { TrafficSource } from '../../src/mesh/traffic-source';
import { EgressControlledService, EgressControlledServiceProps } from '../../src/patterns/egress-controlled-service';
import { MeshService } from '../../src/patterns/mesh-service';
import { ZeroTrustNamespace } from '../../src/patterns/zero-trust-namespace';
import { onGatewayWorkload, GatewayWorkloadRecord } from '../../src/private/gateways';
import { DestinationRule } from '../../src/resources/destination-rule';
import { ServiceEntry } from '../../src/resources/service-entry';
import { ServiceEntryResolution } from '../../src/values/istio-enums';
import { MeshPort } from '../../src/values/mesh-port';
import { RetryPolicy } from '../../src/values/retry-policy';
import { findObject, findObjects, synthExample, synthValid } from '../helpers';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------------------

interface World {
  readonly app: App;
  readonly chart: Chart;
  readonly orders: MeshService;
  readonly payments: MeshService;
  readonly reviews: MeshService;
  /** A service that is never allowed to call anything external. */
  readonly catalog: MeshService;
}

/** GIVEN an app with a Mesh and four services in three namespaces. */
function world(): World {
  const app = new App();
  const chart = new Chart(app, 'platform');
  new Mesh(chart, 'Mesh');
  const orders = new MeshService(chart, 'Orders', { namespace: 'shop', port: MeshPort.http(8080), image: 'orders:1' });
  const payments = new MeshService(chart, 'Payments', { namespace: 'billing', port: MeshPort.http(8080), image: 'payments:1' });
  const reviews = new MeshService(chart, 'Reviews', { namespace: 'books', port: MeshPort.http(9080), image: 'reviews:1' });
  const catalog = new MeshService(chart, 'Catalog', { namespace: 'shop', port: MeshPort.http(8080), image: 'catalog:1' });
  return { app, chart, orders, payments, reviews, catalog };
}

/** GIVEN a fresh world, WHEN an EgressControlledService is declared there; THEN the construct throws. */
function configError(props: Partial<EgressControlledServiceProps>, id = 'Ext'): Error {
  const w = world();
  try {
    new EgressControlledService(w.chart, id, { hosts: ['api.example.com'], ports: [MeshPort.https(443)], ...props } as EgressControlledServiceProps);
  } catch (e) {
    expect((e as Error).name).toBe('IstioConfigError');
    return e as Error;
  }
  throw new Error('expected an IstioConfigError, but the construct accepted the props');
}

function egressHosts(manifests: any[], name: string, namespace: string): string[] {
  return findObject(manifests, 'Sidecar', name, namespace).spec.egress.flatMap((e: any) => e.hosts);
}

function analyzerFindings(app: App): string[] {
  const manifests = synthValid(app);
  return MeshAnalyzer.analyze(manifests).map(f => `${f.severity} ${f.rule} ${f.object}: ${f.message}`);
}

/**
 * Every host a VirtualService routes to is declared (a ServiceEntry host, or the egress gateway Service), every
 * subset is defined by a DestinationRule for that host, and every gateway it binds to exists.
 */
function expectRoutesResolve(manifests: any[], gatewayHosts: string[]): void {
  const seHosts = new Set(findObjects(manifests, 'ServiceEntry').flatMap(se => se.spec.hosts));
  const subsets = new Map<string, Set<string>>();
  for (const dr of findObjects(manifests, 'DestinationRule')) {
    const set = subsets.get(dr.spec.host) ?? new Set<string>();
    for (const s of dr.spec.subsets ?? []) set.add(s.name);
    subsets.set(dr.spec.host, set);
  }
  const gateways = new Set(findObjects(manifests, 'Gateway').map(g => `${g.metadata.namespace}/${g.metadata.name}`));
  for (const vs of findObjects(manifests, 'VirtualService')) {
    for (const g of vs.spec.gateways ?? []) {
      if (g !== 'mesh') expect(gateways).toContain(g);
    }
    for (const section of ['http', 'tls', 'tcp']) {
      for (const route of vs.spec[section] ?? []) {
        for (const m of route.match ?? []) for (const g of m.gateways ?? []) expect(vs.spec.gateways).toContain(g);
        for (const r of route.route) {
          const host = r.destination.host;
          if (host.endsWith('.svc.cluster.local') && !gatewayHosts.includes(host)) continue; // in-mesh services
          expect([...seHosts, ...gatewayHosts]).toContain(host);
          if (r.destination.subset !== undefined) expect([...(subsets.get(host) ?? [])]).toContain(r.destination.subset);
        }
      }
    }
  }
}

const GW_HOST = 'istio-egressgateway.istio-egress.svc.cluster.local';

// ---------------------------------------------------------------------------------------------------------------
// Registry-only mode (no egress gateway)
// ---------------------------------------------------------------------------------------------------------------

describe('EgressControlledService without an egress gateway', () => {
  test('renders a MESH_EXTERNAL ServiceEntry with FQDN hosts, explicit protocols and DNS resolution in the root namespace', () => {
    // GIVEN
    const w = world();
    // WHEN
    const stripe = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    stripe.allowFrom(w.orders);
    // THEN
    const se = findObject(synthValid(w.app), 'ServiceEntry', 'stripe', 'istio-system');
    expect(se.spec).toEqual({
      hosts: ['api.stripe.com'],
      location: 'MESH_EXTERNAL',
      ports: [{ number: 443, name: 'https-443', protocol: 'HTTPS' }],
      resolution: 'DNS',
      exportTo: ['.', 'shop'],
    });
    expect(stripe.namespace).toBe('istio-system');
    expect(stripe.name).toBe('stripe');
  });

  test('exportTo covers exactly the callers\' namespaces (plus its own), also for callers added later', () => {
    // GIVEN
    const w = world();
    const stripe = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.http(80)] });
    // WHEN
    stripe.allowFrom(w.orders);
    stripe.allowFrom(w.payments);
    stripe.allowFrom(w.orders); // idempotent
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'stripe').spec.exportTo).toEqual(['.', 'billing', 'shop']);
    expect(findObject(m, 'VirtualService', 'stripe', 'istio-system').spec.exportTo).toEqual(['.', 'billing', 'shop']);
    expect(findObject(m, 'DestinationRule', 'stripe', 'istio-system').spec.exportTo).toEqual(['.', 'billing', 'shop']);
    expect(stripe.callerNamespaces).toEqual(['billing', 'shop']);
  });

  test('the callers\' Sidecars list the host, the non-callers\' do not', () => {
    // GIVEN
    const w = world();
    const stripe = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    const github = new EgressControlledService(w.chart, 'GitHub', { hosts: ['api.github.com'], ports: [MeshPort.https(443)] });
    // WHEN
    stripe.allowFrom(w.orders);
    github.allowFrom(w.reviews);
    // THEN
    const m = synthValid(w.app);
    expect(egressHosts(m, 'orders', 'shop')).toContain('istio-system/api.stripe.com');
    expect(egressHosts(m, 'orders', 'shop')).not.toContain('istio-system/api.github.com');
    expect(egressHosts(m, 'reviews', 'books')).toContain('istio-system/api.github.com');
    expect(egressHosts(m, 'reviews', 'books')).not.toContain('istio-system/api.stripe.com');
    for (const [name, ns] of [['catalog', 'shop'], ['payments', 'billing']]) {
      expect(egressHosts(m, name, ns).filter(h => h.includes('stripe') || h.includes('github'))).toEqual([]);
    }
    expect(findObject(m, 'ServiceEntry', 'stripe').spec.exportTo).toEqual(['.', 'shop']);
    expect(findObject(m, 'ServiceEntry', 'github').spec.exportTo).toEqual(['.', 'books']);
  });

  test('a TLS-only service gets a DestinationRule with resilience defaults and tls DISABLE, and no VirtualService', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.tls(443)] }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    const dr = findObject(m, 'DestinationRule', 'stripe', 'istio-system');
    expect(dr.spec.host).toBe('api.stripe.com');
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'DISABLE' });
    expect(dr.spec.trafficPolicy.connectionPool.tcp).toEqual({ maxConnections: 1024, connectTimeout: '10s' });
    expect(dr.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
    expect(findObjects(m, 'VirtualService').filter(v => v.metadata.namespace === 'istio-system')).toEqual([]);
    expect(findObjects(m, 'Gateway')).toEqual([]);
    expect(findObjects(m, 'AuthorizationPolicy').filter(a => a.metadata.namespace === 'istio-system')).toEqual([]);
  });

  test('HTTP ports get a VirtualService with an explicit 15s timeout and retries; TLS ports of the same host a TLS route', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80), MeshPort.https(443)] }).allowFrom(w.orders);
    // THEN
    const vs = findObject(synthValid(w.app), 'VirtualService', 'api', 'istio-system');
    expect(vs.spec.hosts).toEqual(['api.example.com']);
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.http).toEqual([{
      name: 'http-80',
      match: [{ port: 80 }],
      route: [{ destination: { host: 'api.example.com', port: { number: 80 } } }],
      timeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
    }]);
    expect(vs.spec.tls).toEqual([{ match: [{ port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }]);
  });

  test('timeout, retries, connectionPool and outlierDetection are rendered', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', {
      hosts: ['api.example.com'],
      ports: [MeshPort.http(80)],
      timeout: Duration.seconds(4),
      retries: RetryPolicy.of({ attempts: 3 }),
      connectionPool: { maxConnections: 50, connectTimeout: Duration.seconds(2) },
      outlierDetection: { consecutive5xxErrors: 3, maxEjectionPercent: 30 },
    }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    const route = findObject(m, 'VirtualService', 'api').spec.http[0];
    expect(route.timeout).toBe('4s');
    expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '1s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' });
    const tp = findObject(m, 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy;
    expect(tp.connectionPool.tcp).toEqual({ maxConnections: 50, connectTimeout: '2s' });
    expect(tp.outlierDetection.consecutive5xxErrors).toBe(3);
    expect(tp.outlierDetection.maxEjectionPercent).toBe(30);
  });

  test('name and namespace props name and place every object', () => {
    // GIVEN
    const w = world();
    // WHEN
    const ext = new EgressControlledService(w.chart, 'Api', { name: 'partner-api', namespace: 'egress-config', hosts: ['api.example.com'], ports: [MeshPort.http(80)] });
    ext.allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'partner-api', 'egress-config').spec.exportTo).toEqual(['.', 'shop']);
    expect(findObject(m, 'DestinationRule', 'partner-api', 'egress-config').spec.host).toBe('api.example.com');
    expect(findObject(m, 'VirtualService', 'partner-api', 'egress-config').spec.hosts).toEqual(['api.example.com']);
    expect(egressHosts(m, 'orders', 'shop')).toContain('egress-config/api.example.com');
  });

  test('resolution and addresses are rendered; a TCP database with an address is allowed', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Db', {
      hosts: ['db.example.com'],
      ports: [MeshPort.tcp(5432)],
      addresses: ['203.0.113.10'],
      resolution: ServiceEntryResolution.DNS_ROUND_ROBIN,
    }).allowFrom(w.orders);
    // THEN
    const se = findObject(synthValid(w.app), 'ServiceEntry', 'db');
    expect(se.spec.resolution).toBe('DNS_ROUND_ROBIN');
    expect(se.spec.addresses).toEqual(['203.0.113.10']);
    expect(se.spec.ports).toEqual([{ number: 5432, name: 'tcp-5432', protocol: 'TCP' }]);
  });

  test('dnsAutoAllocate lets a TCP port go without addresses (nothing extra is rendered)', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Db', { hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)], dnsAutoAllocate: true }).allowFrom(w.orders);
    // THEN
    const se = findObject(synthValid(w.app), 'ServiceEntry', 'db');
    expect(se.spec.addresses).toBeUndefined();
    expect(se.spec.resolution).toBe('DNS');
  });

  test('resolution NONE with CIDR addresses (a database subnet)', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Db', {
      hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)], resolution: ServiceEntryResolution.NONE, addresses: ['10.20.0.0/16'],
    }).allowFrom(w.orders);
    // THEN
    const se = findObject(synthValid(w.app), 'ServiceEntry', 'db');
    expect(se.spec.resolution).toBe('NONE');
    expect(se.spec.addresses).toEqual(['10.20.0.0/16']);
  });

  test('allowWildcardHosts with DYNAMIC_DNS: the wildcard reaches the ServiceEntry and the caller\'s Sidecar, no DestinationRule', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Buckets', {
      hosts: ['*.s3.example.com'], ports: [MeshPort.https(443)], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS,
    }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'buckets').spec.hosts).toEqual(['*.s3.example.com']);
    expect(findObject(m, 'ServiceEntry', 'buckets').spec.resolution).toBe('DYNAMIC_DNS');
    expect(egressHosts(m, 'orders', 'shop')).toContain('istio-system/*.s3.example.com');
    expect(findObjects(m, 'DestinationRule').filter(d => d.metadata.namespace === 'istio-system')).toEqual([]);
  });

  test('several hosts: one DestinationRule and VirtualService per host, named after the host', () => {
    // GIVEN
    const w = world();
    // WHEN
    const ext = new EgressControlledService(w.chart, 'Google', { hosts: ['www.googleapis.com', 'oauth2.googleapis.com'], ports: [MeshPort.http(80)] });
    ext.allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'google').spec.hosts).toEqual(['oauth2.googleapis.com', 'www.googleapis.com']);
    expect(findObject(m, 'DestinationRule', 'google-www-googleapis-com').spec.host).toBe('www.googleapis.com');
    expect(findObject(m, 'DestinationRule', 'google-oauth2-googleapis-com').spec.host).toBe('oauth2.googleapis.com');
    expect(findObject(m, 'VirtualService', 'google-www-googleapis-com').spec.http[0].route[0].destination.host).toBe('www.googleapis.com');
    expect(ext.hosts).toEqual(['www.googleapis.com', 'oauth2.googleapis.com']);
    expect(ext.ports.map(p => p.name)).toEqual(['http-80']);
    expect(ext.destinationRules).toHaveLength(2);
    expect(ext.virtualServices).toHaveLength(2);
    expect(egressHosts(m, 'orders', 'shop')).toEqual(expect.arrayContaining(['istio-system/www.googleapis.com', 'istio-system/oauth2.googleapis.com']));
    expectRoutesResolve(m, []);
  });

  test('sources: a service account and a whole namespace', () => {
    // GIVEN
    const w = world();
    const ext = new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.https(443)] });
    // WHEN
    ext.allowFrom(TrafficSource.serviceAccount('jobs', 'nightly'));
    ext.allowFrom(TrafficSource.namespace('reports'));
    // THEN
    const se = findObject(synthValid(w.app), 'ServiceEntry', 'api');
    expect(se.spec.exportTo).toEqual(['.', 'jobs', 'reports']);
  });

  test('in a ZeroTrustNamespace, the namespace-default Sidecar lists the host too (for a service and a namespace source)', () => {
    // GIVEN
    const w = world();
    new ZeroTrustNamespace(w.chart, 'Shop', { name: 'shop' });
    new ZeroTrustNamespace(w.chart, 'Books', { name: 'books' });
    const stripe = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    const github = new EgressControlledService(w.chart, 'GitHub', { hosts: ['api.github.com'], ports: [MeshPort.https(443)] });
    // WHEN
    stripe.allowFrom(w.orders);
    github.allowFrom(TrafficSource.namespace('books'));
    // THEN
    const m = synthValid(w.app);
    expect(egressHosts(m, 'default', 'shop')).toContain('istio-system/api.stripe.com');
    expect(egressHosts(m, 'default', 'shop')).not.toContain('istio-system/api.github.com');
    expect(egressHosts(m, 'default', 'books')).toContain('istio-system/api.github.com');
    expect(egressHosts(m, 'default', 'books')).not.toContain('istio-system/api.stripe.com');
    expect(findObject(m, 'ServiceEntry', 'github').spec.exportTo).toEqual(['.', 'books']);
  });

  test('the rendered objects are analyzer-clean', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80), MeshPort.https(443)] }).allowFrom(w.orders);
    new EgressControlledService(w.chart, 'Db', { hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)], addresses: ['203.0.113.10'] }).allowFrom(w.payments);
    // THEN
    expect(analyzerFindings(w.app)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// TLS origination
// ---------------------------------------------------------------------------------------------------------------

describe('EgressControlledService with originateTls', () => {
  test('the sidecar originates SIMPLE TLS to 443 with SNI and subjectAltNames of the host (CA: the system bundle)', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80)], originateTls: true }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'api').spec.ports).toEqual([{ number: 80, name: 'http-80', protocol: 'HTTP', targetPort: 443 }]);
    expect(findObject(m, 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy.tls).toEqual({
      mode: 'SIMPLE', sni: 'api.example.com', subjectAltNames: ['api.example.com'],
    });
  });

  test('tlsOriginationPort, sni, subjectAltNames and caCertificates are rendered', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', {
      hosts: ['api.example.com'],
      ports: [MeshPort.http(8080)],
      originateTls: true,
      tlsOriginationPort: 8443,
      sni: 'edge.example.com',
      subjectAltNames: ['edge.example.com', 'api.example.com'],
      caCertificates: '/etc/certs/partner-ca.pem',
    }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'ServiceEntry', 'api').spec.ports[0].targetPort).toBe(8443);
    expect(findObject(m, 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy.tls).toEqual({
      mode: 'SIMPLE', sni: 'edge.example.com', subjectAltNames: ['api.example.com', 'edge.example.com'], caCertificates: '/etc/certs/partner-ca.pem',
    });
  });

  test('the subjectAltNames default follows an explicit sni', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80)], originateTls: true, sni: 'edge.example.com' }).allowFrom(w.orders);
    // THEN
    expect(findObject(synthValid(w.app), 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy.tls.subjectAltNames).toEqual(['edge.example.com']);
  });

  test('disableSni with subjectAltNames: no SNI is sent, the certificate is checked against the names', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', {
      hosts: ['api.example.com'], ports: [MeshPort.http(80)], originateTls: true, disableSni: true, subjectAltNames: ['legacy.example.com'],
    }).allowFrom(w.orders);
    // THEN
    expect(findObject(synthValid(w.app), 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy.tls).toEqual({
      mode: 'SIMPLE', subjectAltNames: ['legacy.example.com'],
    });
  });

  test('insecureSkipVerify renders insecureSkipVerify and keeps the SNI', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80)], originateTls: true, insecureSkipVerify: true }).allowFrom(w.orders);
    // THEN
    expect(findObject(synthValid(w.app), 'DestinationRule', 'api', 'istio-system').spec.trafficPolicy.tls).toEqual({
      mode: 'SIMPLE', sni: 'api.example.com', insecureSkipVerify: true,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Egress gateway mode
// ---------------------------------------------------------------------------------------------------------------

describe('EgressControlledService through the egress gateway', () => {
  function viaGateway(): { w: World; ext: EgressControlledService; m: any[] } {
    const w = world();
    const ext = new EgressControlledService(w.chart, 'GitHub', {
      hosts: ['api.github.com'], ports: [MeshPort.http(80)], originateTls: true, egressGateway: {},
    });
    ext.allowFrom(w.orders);
    ext.allowFrom(w.reviews, { methods: ['GET'], paths: ['/repos/*'] });
    return { w, ext, m: synthValid(w.app) };
  }

  test('everything lives in the gateway namespace by default; the ServiceEntry is exported to the callers', () => {
    // GIVEN / WHEN
    const { ext, m } = viaGateway();
    // THEN
    expect(ext.namespace).toBe('istio-egress');
    expect(ext.egressGatewayNamespace).toBe('istio-egress');
    expect(ext.egressGatewayHost).toBe(GW_HOST);
    expect(findObject(m, 'ServiceEntry', 'github', 'istio-egress').spec.exportTo).toEqual(['.', 'books', 'shop']);
  });

  test('an Istio Gateway on the egress gateway admits the host over Istio mTLS', () => {
    // GIVEN / WHEN
    const { m } = viaGateway();
    // THEN
    expect(findObject(m, 'Gateway', 'github', 'istio-egress').spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{
        port: { number: 443, name: 'https-github', protocol: 'HTTPS' },
        hosts: ['istio-egress/api.github.com'],
        tls: { mode: 'ISTIO_MUTUAL', minProtocolVersion: 'TLSV1_2' },
      }],
    });
  });

  test('the hop to the gateway is ISTIO_MUTUAL with the host as SNI, in a subset exported to the callers', () => {
    // GIVEN / WHEN
    const { ext, m } = viaGateway();
    // THEN
    const hop = findObject(m, 'DestinationRule', 'github-egressgateway', 'istio-egress');
    expect(hop.spec).toEqual({
      host: GW_HOST,
      exportTo: ['.', 'books', 'shop'],
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [{ name: 'github', labels: { istio: 'egressgateway' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'api.github.com' } } }],
    });
    expect(ext.gatewayDestinationRule).toBeInstanceOf(DestinationRule);
    expect(ApiObject.of(ext.gatewayDestinationRule!).kind).toBe('DestinationRule');
    expect(ext.gatewayDestinationRule!.name).toBe('github-egressgateway');
    expect(ext.gatewayDestinationRule!.subsets).toEqual(['github']);
  });

  test('the VirtualService sends mesh traffic to the gateway and gateway traffic to the external host', () => {
    // GIVEN / WHEN
    const { m } = viaGateway();
    // THEN
    const vs = findObject(m, 'VirtualService', 'github', 'istio-egress');
    expect(vs.spec.gateways).toEqual(['istio-egress/github', 'mesh']);
    expect(vs.spec.exportTo).toEqual(['.', 'books', 'shop']);
    expect(vs.spec.http.map((r: any) => ({ name: r.name, match: r.match, route: r.route, timeout: r.timeout }))).toEqual([
      { name: 'to-egress-gateway', match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GW_HOST, subset: 'github', port: { number: 443 } } }], timeout: '15s' },
      { name: 'from-egress-gateway', match: [{ gateways: ['istio-egress/github'], port: 443 }], route: [{ destination: { host: 'api.github.com', port: { number: 80 } } }], timeout: '15s' },
    ]);
    expectRoutesResolve(m, [GW_HOST]);
  });

  test('TLS is originated at the gateway: the DestinationRule to the host is SIMPLE and visible to the gateway only', () => {
    // GIVEN / WHEN
    const { m } = viaGateway();
    // THEN
    const dr = findObject(m, 'DestinationRule', 'github', 'istio-egress');
    expect(dr.spec.exportTo).toEqual(['.']);
    expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'SIMPLE', sni: 'api.github.com', subjectAltNames: ['api.github.com'] });
    expect(findObject(m, 'ServiceEntry', 'github').spec.ports).toEqual([{ number: 80, name: 'http-80', protocol: 'HTTP', targetPort: 443 }]);
  });

  test('the gateway AuthorizationPolicy ALLOWs exactly the callers\' principals for the host (host and host:*)', () => {
    // GIVEN / WHEN
    const { ext, m } = viaGateway();
    // THEN
    const ap = findObject(m, 'AuthorizationPolicy', 'github', 'istio-egress');
    expect(ap.spec.selector).toEqual({ matchLabels: { istio: 'egressgateway' } });
    expect(ap.spec.action).toBe('ALLOW');
    expect(ap.spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/orders'] } }], to: [{ operation: { hosts: ['api.github.com', 'api.github.com:*'] } }] },
      {
        from: [{ source: { principals: ['cluster.local/ns/books/sa/reviews'] } }],
        to: [{ operation: { hosts: ['api.github.com', 'api.github.com:*'], methods: ['GET'], paths: ['/repos/*'] } }],
      },
    ]);
    const principals = ap.spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals));
    expect(principals.sort()).toEqual(['cluster.local/ns/books/sa/reviews', 'cluster.local/ns/shop/sa/orders']);
    expect(ext.authorizationPolicy?.name).toBe('github');
  });

  test('the callers\' Sidecars list the host and the egress gateway; the non-callers\' list neither', () => {
    // GIVEN / WHEN
    const { m } = viaGateway();
    // THEN
    for (const [name, ns] of [['orders', 'shop'], ['reviews', 'books']]) {
      expect(egressHosts(m, name, ns)).toEqual(expect.arrayContaining(['istio-egress/api.github.com', `istio-egress/${GW_HOST}`]));
    }
    for (const [name, ns] of [['catalog', 'shop'], ['payments', 'billing']]) {
      expect(egressHosts(m, name, ns).filter(h => h.startsWith('istio-egress/'))).toEqual([]);
    }
  });

  test('a namespace source is rendered as source.namespaces', () => {
    // GIVEN
    const w = world();
    const ext = new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80)], egressGateway: {} });
    // WHEN
    ext.allowFrom(TrafficSource.namespace('reports'));
    // THEN
    expect(findObject(synthValid(w.app), 'AuthorizationPolicy', 'api', 'istio-egress').spec.rules).toEqual([
      { from: [{ source: { namespaces: ['reports'] } }], to: [{ operation: { hosts: ['api.example.com', 'api.example.com:*'] } }] },
    ]);
  });

  test('a TLS port: a TLS route to the gateway, a TCP route from it, and a policy on the SNI', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)], egressGateway: {} }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    const vs = findObject(m, 'VirtualService', 'stripe', 'istio-egress');
    expect(vs.spec.tls).toEqual([{ match: [{ gateways: ['mesh'], port: 443, sniHosts: ['api.stripe.com'] }], route: [{ destination: { host: GW_HOST, subset: 'stripe', port: { number: 443 } } }] }]);
    expect(vs.spec.tcp).toEqual([{ match: [{ gateways: ['istio-egress/stripe'], port: 443 }], route: [{ destination: { host: 'api.stripe.com', port: { number: 443 } } }] }]);
    expect(findObject(m, 'Gateway', 'stripe').spec.servers[0].port).toEqual({ number: 443, name: 'tls-stripe', protocol: 'TLS' });
    expect(findObject(m, 'AuthorizationPolicy', 'stripe', 'istio-egress').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/orders'] } }], when: [{ key: 'connection.sni', values: ['api.stripe.com'] }] },
    ]);
    expect(findObject(m, 'DestinationRule', 'stripe', 'istio-egress').spec.trafficPolicy.tls).toEqual({ mode: 'DISABLE' });
    expectRoutesResolve(m, [GW_HOST]);
  });

  test('several TLS hosts through the gateway: one Gateway server per host, so each TCP route stays with its host', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Google', {
      hosts: ['www.googleapis.com', 'oauth2.googleapis.com'], ports: [MeshPort.https(443)], egressGateway: {},
    }).allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'Gateway', 'google').spec.servers.map((sv: any) => [sv.port.name, sv.hosts])).toEqual([
      ['tls-google-www-googleapis-com', ['istio-egress/www.googleapis.com']],
      ['tls-google-oauth2-googleapis-com', ['istio-egress/oauth2.googleapis.com']],
    ]);
    for (const h of ['www.googleapis.com', 'oauth2.googleapis.com']) {
      const vs = findObject(m, 'VirtualService', `google-${h.replace(/\./g, '-')}`);
      expect(vs.spec.hosts).toEqual([h]);
      expect(vs.spec.tcp[0].route[0].destination.host).toBe(h);
      expect(vs.spec.tls[0].route[0].destination.subset).toBe(`google-${h.replace(/\./g, '-')}`);
    }
    const hop = findObject(m, 'DestinationRule', 'google-egressgateway');
    expect(hop.spec.subsets.map((x: any) => [x.name, x.trafficPolicy.tls.sni])).toEqual([
      ['google-oauth2-googleapis-com', 'oauth2.googleapis.com'], ['google-www-googleapis-com', 'www.googleapis.com'],
    ]);
    expect(findObject(m, 'AuthorizationPolicy', 'google').spec.rules[0].when).toEqual([{ key: 'connection.sni', values: ['oauth2.googleapis.com', 'www.googleapis.com'] }]);
    expectRoutesResolve(m, [GW_HOST]);
    expect(analyzerFindings(w.app)).toEqual([]);
  });

  test('a TCP database through the gateway', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'Db', { hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)], addresses: ['203.0.113.10'], egressGateway: {} }).allowFrom(w.payments);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'VirtualService', 'db', 'istio-egress').spec.tcp).toEqual([
      { match: [{ gateways: ['mesh'], port: 5432 }], route: [{ destination: { host: GW_HOST, subset: 'db', port: { number: 443 } } }] },
      { match: [{ gateways: ['istio-egress/db'], port: 443 }], route: [{ destination: { host: 'db.example.com', port: { number: 5432 } } }] },
    ]);
    expect(findObject(m, 'AuthorizationPolicy', 'db', 'istio-egress').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/billing/sa/payments'] } }]);
    expectRoutesResolve(m, [GW_HOST]);
  });

  test('egressGateway options: namespace, selector, serviceName, serviceAccountName, port and targetPort', () => {
    // GIVEN
    const w = world();
    const seen: GatewayWorkloadRecord[] = [];
    onGatewayWorkload(w.chart, g => seen.push(g));
    // WHEN
    const ext = new EgressControlledService(w.chart, 'Api', {
      hosts: ['api.example.com'],
      ports: [MeshPort.http(80)],
      namespace: 'egress-config',
      egressGateway: { namespace: 'gw', selector: { app: 'egress' }, serviceName: 'egress', serviceAccountName: 'egress-sa', port: 8443, targetPort: 18443 },
    });
    ext.allowFrom(w.orders);
    // THEN
    const m = synthValid(w.app);
    expect(findObject(m, 'Gateway', 'api', 'gw').spec.selector).toEqual({ app: 'egress' });
    expect(findObject(m, 'Gateway', 'api', 'gw').spec.servers[0].port.number).toBe(8443);
    expect(findObject(m, 'Gateway', 'api', 'gw').spec.servers[0].hosts).toEqual(['egress-config/api.example.com']);
    expect(findObject(m, 'AuthorizationPolicy', 'api', 'gw').spec.selector).toEqual({ matchLabels: { app: 'egress' } });
    expect(findObject(m, 'DestinationRule', 'api-egressgateway', 'gw').spec.host).toBe('egress.gw.svc.cluster.local');
    expect(findObject(m, 'DestinationRule', 'api-egressgateway', 'gw').spec.subsets[0].labels).toEqual({ app: 'egress' });
    const vs = findObject(m, 'VirtualService', 'api', 'egress-config');
    expect(vs.spec.exportTo).toEqual(['.', 'gw', 'shop']);
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'egress.gw.svc.cluster.local', subset: 'api', port: { number: 8443 } });
    expect(vs.spec.http[1].match).toEqual([{ gateways: ['gw/api'], port: 8443 }]);
    expect(findObject(m, 'ServiceEntry', 'api', 'egress-config').spec.exportTo).toEqual(['.', 'gw', 'shop']);
    expect(findObject(m, 'DestinationRule', 'api', 'egress-config').spec.exportTo).toEqual(['.', 'gw']);
    expect(egressHosts(m, 'orders', 'shop')).toEqual(expect.arrayContaining(['egress-config/api.example.com', 'gw/egress.gw.svc.cluster.local']));
    expect(seen).toEqual([{
      direction: 'egress', namespace: 'gw', selector: { app: 'egress' }, serviceAccountName: 'egress-sa', ports: [18443], constructPath: 'platform/Api',
    }]);
  });

  test('two services on one gateway: distinct Gateway port names and hop subsets, each SNI its own host', () => {
    // GIVEN
    const w = world();
    // WHEN
    new EgressControlledService(w.chart, 'GitHub', { hosts: ['api.github.com'], ports: [MeshPort.http(80)], originateTls: true, egressGateway: {} }).allowFrom(w.orders);
    new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)], egressGateway: {} }).allowFrom(w.payments);
    // THEN
    const m = synthValid(w.app);
    const names = findObjects(m, 'Gateway').map(g => g.spec.servers[0].port.name).sort();
    expect(names).toEqual(['https-github', 'tls-stripe']);
    const subsets = findObjects(m, 'DestinationRule').filter(d => d.spec.host === GW_HOST).flatMap(d => d.spec.subsets);
    expect(subsets.map((s: any) => [s.name, s.trafficPolicy.tls.sni]).sort()).toEqual([['github', 'api.github.com'], ['stripe', 'api.stripe.com']]);
    expect(analyzerFindings(w.app)).toEqual([]);
    expectRoutesResolve(m, [GW_HOST]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The example
// ---------------------------------------------------------------------------------------------------------------

describe('examples/egress-lockdown', () => {
  test('synthesizes schema-valid objects: two APIs (one through the gateway with TLS origination) and a TCP database', () => {
    // GIVEN / WHEN
    const files = synthExample('egress-lockdown');
    const m = Object.values(files).flat();
    // THEN
    const ses = findObjects(m, 'ServiceEntry');
    expect(ses.map(se => se.spec.hosts[0]).sort()).toEqual(['api.github.com', 'api.stripe.com', 'inventory-db.example.com']);
    expect(findObject(m, 'DestinationRule', 'github', 'istio-egress').spec.trafficPolicy.tls.mode).toBe('SIMPLE');
    expect(findObject(m, 'ServiceEntry', 'inventorydb').spec.ports[0].protocol).toBe('TCP');
    expect(findObject(m, 'ServiceEntry', 'inventorydb').spec.addresses).toEqual(['203.0.113.20']);
    expect(findObject(m, 'AuthorizationPolicy', 'github', 'istio-egress').spec.rules.flatMap((r: any) => r.from[0].source.principals))
      .toEqual(['cluster.local/ns/catalog/sa/reviews']);
    expect(findObject(m, 'AuthorizationPolicy', 'inventorydb', 'istio-egress').spec.rules.flatMap((r: any) => r.from[0].source.principals))
      .toEqual(['cluster.local/ns/shop/sa/inventory']);
    // Each dependency is in exactly its caller's Sidecar.
    expect(egressHosts(m, 'orders', 'shop').filter(h => !h.endsWith('/*'))).toEqual(['istio-system/api.stripe.com']);
    expect(egressHosts(m, 'inventory', 'shop').filter(h => !h.endsWith('/*'))).toEqual([
      'istio-egress/inventory-db.example.com', `istio-egress/${GW_HOST}`,
    ]);
    expect(egressHosts(m, 'reviews', 'catalog').filter(h => !h.endsWith('/*'))).toEqual(['istio-egress/api.github.com', `istio-egress/${GW_HOST}`]);
    expectRoutesResolve(m, [GW_HOST]);
    expect(MeshAnalyzer.analyze(m).filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('docs/egress.md', () => {
  test('shows code copied verbatim from the example (the page cannot drift from the API)', () => {
    // GIVEN
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'egress.md'), 'utf8');
    const main = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'egress-lockdown', 'main.ts'), 'utf8');
    // WHEN
    const snippet = /```ts\n([\s\S]*?)```/.exec(doc)![1].trimEnd();
    // THEN
    expect(main).toContain(snippet);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------------------------

describe('EgressControlledService bad input', () => {
  test('fails when a host is not a fully qualified domain name', () => {
    expect(configError({ hosts: ['stripe'] }).message).toBe(
      '[platform/Ext] hosts[0] must be a fully qualified domain name such as "api.stripe.com", got "stripe": it has no domain part (a short name resolves against the caller\'s namespace, not the internet)',
    );
  });

  test('fails when a host is an IP address', () => {
    expect(configError({ hosts: ['203.0.113.10'] }).message).toMatch(
      /^\[platform\/Ext\] hosts\[0\] "203\.0\.113\.10" is an IP address, but hosts must be DNS names; .* give its IP addresses in addresses$/,
    );
  });

  test('fails when a host is "*", upper case, has a trailing dot, or is cluster-local', () => {
    expect(configError({ hosts: ['*'] }).message).toMatch(/hosts\[0\] must not be "\*"/);
    expect(configError({ hosts: ['API.example.com'] }).message).toMatch(/hosts\[0\] must be lower case .*got "API\.example\.com"; use "api\.example\.com"/);
    expect(configError({ hosts: ['api.example.com.'] }).message).toMatch(/hosts\[0\] must not end with '\.'/);
    expect(configError({ hosts: ['reviews.shop.svc.cluster.local'] }).message).toMatch(/hosts\[0\] "reviews\.shop\.svc\.cluster\.local" is inside the cluster domain "cluster\.local"/);
  });

  test('fails when hosts is empty, or lists a host twice', () => {
    expect(configError({ hosts: [] }).message).toMatch(/hosts must list at least one fully qualified domain name .*got \[\]/);
    expect(configError({ hosts: ['a.example.com', 'a.example.com'] }).message).toMatch(/hosts lists "a\.example\.com" twice/);
  });

  test('fails when a wildcard host is given without allowWildcardHosts', () => {
    expect(configError({ hosts: ['*.example.com'] }).message).toMatch(/hosts\[0\] "\*\.example\.com" is a wildcard, which opens egress to every subdomain; .*set allowWildcardHosts: true/);
  });

  test('fails when a wildcard host uses DNS resolution', () => {
    expect(configError({ hosts: ['*.example.com'], allowWildcardHosts: true }).message).toMatch(
      /hosts\[0\] "\*\.example\.com" is a wildcard, which resolution DNS cannot resolve .*use resolution DYNAMIC_DNS, or NONE with the service's CIDR blocks/,
    );
  });

  test('fails when a wildcard host uses resolution NONE with a plain IP address instead of CIDR blocks', () => {
    expect(configError({ hosts: ['*.example.com'], allowWildcardHosts: true, resolution: ServiceEntryResolution.NONE, addresses: ['203.0.113.10'] }).message)
      .toMatch(/hosts\[0\] "\*\.example\.com" is a wildcard with resolution NONE, .*addresses must be CIDR blocks .*got "203\.0\.113\.10"/);
  });

  test('fails when hosts overlap within one service', () => {
    expect(configError({ hosts: ['*.example.com', 'api.example.com'], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS }).message)
      .toMatch(/hosts\[1\] "api\.example\.com" overlaps hosts\[0\] "\*\.example\.com"/);
  });

  test('fails when two EgressControlledServices declare the same host', () => {
    // GIVEN
    const w = world();
    new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => new EgressControlledService(w.chart, 'Stripe2', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] })).toThrow(
      '[platform/Stripe2] hosts[0] "api.stripe.com" is already declared by the EgressControlledService at platform/Stripe; each external host may be declared by one EgressControlledService (merge them, or list disjoint hosts)',
    );
  });

  test('fails when a wildcard of one EgressControlledService overlaps a host of another', () => {
    // GIVEN
    const w = world();
    new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => new EgressControlledService(w.chart, 'All', {
      hosts: ['*.example.com'], ports: [MeshPort.https(443)], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS,
    })).toThrow(/\[platform\/All\] hosts\[0\] "\*\.example\.com" overlaps "api\.example\.com", declared by the EgressControlledService at platform\/Api/);
  });

  test('fails when a ServiceEntry of the app declares a host of an EgressControlledService (nothing is written)', () => {
    // GIVEN
    const w = world();
    const ext = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    ext.allowFrom(w.orders);
    new ServiceEntry(w.chart, 'Legacy', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => w.app.synthYaml()).toThrow(/\[platform\/Stripe\] hosts "api\.stripe\.com" is also declared by the ServiceEntry at platform\/Legacy; Istio keeps only one definition per host/);
  });

  test('fails when two EgressControlledServices would render objects with the same name in one namespace', () => {
    // GIVEN
    const w = world();
    new EgressControlledService(w.chart, 'Api', { hosts: ['a.example.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => new EgressControlledService(w.chart, 'Other', { name: 'api', hosts: ['b.example.com'], ports: [MeshPort.https(443)] }))
      .toThrow(/\[platform\/Other\] object name \(namespace\/name\) "istio-system\/api" is already claimed by platform\/Api/);
  });

  test('fails when resolution is NONE without addresses', () => {
    expect(configError({ resolution: ServiceEntryResolution.NONE }).message).toBe(
      '[platform/Ext] resolution NONE needs addresses (the CIDR blocks or IP addresses of the service): without them the sidecar matches the traffic by port only, which opens that port to every destination',
    );
  });

  test('fails when resolution is STATIC (it needs endpoints)', () => {
    expect(configError({ resolution: ServiceEntryResolution.STATIC }).message).toMatch(/resolution must be one of DNS, DNS_ROUND_ROBIN, NONE, DYNAMIC_DNS, got "STATIC" \(STATIC needs endpoints/);
  });

  test('fails when a TCP port has no addresses and DNS auto-allocation is off', () => {
    expect(configError({ hosts: ['db.example.com'], ports: [MeshPort.tcp(5432)] }).message).toMatch(
      /^\[platform\/Ext\] ports\[0\] tcp-5432 \(TCP\) carries TCP, which Istio matches by destination address and port; without addresses the port would be open to every destination\. Give addresses .*or set dnsAutoAllocate: true/,
    );
  });

  test('fails when a TCP service has several hosts, or uses DYNAMIC_DNS', () => {
    expect(configError({ hosts: ['a.example.com', 'b.example.com'], ports: [MeshPort.tcp(5432)], addresses: ['203.0.113.10'] }).message)
      .toMatch(/ports\[0\] tcp-5432 \(TCP\) carries TCP, so with resolution DNS the service can have only one host/);
    expect(configError({ ports: [MeshPort.tcp(5432)], resolution: ServiceEntryResolution.DYNAMIC_DNS }).message).toMatch(/resolution DYNAMIC_DNS resolves the name of each request/);
  });

  test('fails when addresses are invalid, or CIDR blocks with DNS resolution', () => {
    expect(configError({ addresses: ['not-an-ip'] }).message).toMatch(/addresses\[0\] must be an IP address or a CIDR block .*got "not-an-ip"/);
    expect(configError({ addresses: ['10.0.0.0/8'] }).message).toMatch(/addresses\[0\] "10\.0\.0\.0\/8" is a CIDR block, which Istio allows only with resolution NONE \(got DNS\)/);
    expect(configError({ addresses: [] }).message).toMatch(/addresses must list at least one IP address or CIDR block/);
  });

  test('fails when dnsAutoAllocate is set without TCP ports, or together with addresses', () => {
    expect(configError({ dnsAutoAllocate: true }).message).toMatch(/dnsAutoAllocate: true only matters for TCP ports/);
    expect(configError({ ports: [MeshPort.tcp(5432)], addresses: ['203.0.113.10'], dnsAutoAllocate: true }).message).toMatch(/dnsAutoAllocate: true and addresses are both set/);
  });

  test('fails when TLS origination is asked for on a port that is already TLS', () => {
    expect(configError({ ports: [MeshPort.https(443)], originateTls: true }).message).toBe(
      '[platform/Ext] originateTls: ports[0] https-443 is HTTPS, which is already TLS (the application encrypts), so originating TLS would encrypt twice; declare the port as MeshPort.http(443) if the application sends plain HTTP, or remove originateTls',
    );
    expect(configError({ ports: [MeshPort.http(80), MeshPort.tls(8443)], originateTls: true }).message).toMatch(/originateTls: ports\[1\] tls-8443 is TLS, which is already TLS/);
  });

  test('fails when TLS origination is asked for on a TCP port, or on a port with a targetPort', () => {
    expect(configError({ ports: [MeshPort.tcp(5432)], addresses: ['203.0.113.10'], originateTls: true }).message).toMatch(/originateTls needs HTTP ports .*ports\[0\] tcp-5432 is TCP/);
    expect(configError({ ports: [MeshPort.http(80, { targetPort: 8080 })], originateTls: true }).message).toMatch(/ports\[0\] http-80 sets targetPort 8080; the external port TLS goes to is tlsOriginationPort/);
  });

  test('fails when TLS settings are given without originateTls', () => {
    expect(configError({ sni: 'api.example.com', caCertificates: '/etc/ca.pem' }).message).toBe(
      '[platform/Ext] sni, caCertificates configure TLS origination, but originateTls is not set; set originateTls: true (on HTTP ports), or remove them',
    );
  });

  test('fails when subjectAltNames is missing while CA verification is on and SNI is off', () => {
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, disableSni: true }).message).toBe(
      '[platform/Ext] subjectAltNames is required when disableSni is true and the server certificate is verified: without SNI there is no name to check the certificate against, so any certificate the CA signed would be accepted; list the names the server certificate must carry (e.g. ["api.stripe.com"]), or send SNI',
    );
  });

  test('fails when insecureSkipVerify is combined with verification settings, or sni with disableSni', () => {
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, insecureSkipVerify: true, subjectAltNames: ['a.example.com'] }).message)
      .toMatch(/insecureSkipVerify: true cannot be combined with subjectAltNames/);
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, disableSni: true, sni: 'a.example.com' }).message).toMatch(/sni "a\.example\.com" and disableSni: true contradict each other/);
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, sni: 'edge' }).message).toMatch(/sni must be a fully qualified domain name .*got "edge"/);
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, caCertificates: ' ' }).message).toMatch(/caCertificates must be the path of a CA bundle/);
    expect(configError({ ports: [MeshPort.http(80)], originateTls: true, subjectAltNames: [] }).message).toMatch(/subjectAltNames must list at least one name/);
  });

  test('fails when the egress gateway selector is empty', () => {
    expect(configError({ egressGateway: { selector: {} } }).message).toBe(
      '[platform/Ext] egressGateway.selector must select the egress gateway pods with at least one label (e.g. { istio: \'egressgateway\' }); an empty selector would put the Gateway and its AuthorizationPolicy on every pod of namespace "istio-egress", got {}',
    );
  });

  test('fails when egressGateway options are invalid', () => {
    expect(configError({ egressGateway: { namespace: 'Istio_Egress' } }).message).toMatch(/egressGateway\.namespace must be a DNS-1123 label/);
    expect(configError({ egressGateway: { port: 0 } }).message).toMatch(/egressGateway\.port must be an integer from 1 to 65535, got 0/);
    expect(configError({ egressGateway: { selector: { istio: 'egress*' } } }).message).toMatch(/egressGateway\.selector\.istio must/);
  });

  test('fails when a service routed through the egress gateway has several ports, a wildcard host, or resolution NONE', () => {
    expect(configError({ ports: [MeshPort.http(80), MeshPort.https(443)], egressGateway: {} }).message).toMatch(/ports: with egressGateway a service can have only one port .*got http-80, https-443/);
    expect(configError({ hosts: ['*.example.com'], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS, egressGateway: {} }).message)
      .toMatch(/hosts\[0\] "\*\.example\.com" is a wildcard, which cannot be routed through an egress gateway/);
    expect(configError({ ports: [MeshPort.tcp(5432)], resolution: ServiceEntryResolution.NONE, addresses: ['10.0.0.0/24'], egressGateway: {} }).message)
      .toMatch(/resolution NONE cannot be used with egressGateway/);
  });

  test('fails when timeout or retries are given for a service without HTTP ports', () => {
    expect(configError({ timeout: Duration.seconds(3) }).message).toMatch(/timeout applies to HTTP ports, and https-443 \(HTTPS\) is not HTTP/);
    expect(configError({ retries: RetryPolicy.recommended() }).message).toMatch(/retries applies to HTTP ports/);
  });

  test('fails when connectionPool or outlierDetection are invalid (checked by the DestinationRule it renders)', () => {
    expect(configError({ connectionPool: { maxConnections: -1 } }).message).toBe(
      '[platform/Ext/DestinationRule] connectionPool.maxConnections must be an integer from 0 to 2147483647, got -1',
    );
    expect(configError({ outlierDetection: { maxEjectionPercent: 101 } }).message).toMatch(/^\[platform\/Ext\/DestinationRule\] outlierDetection\.maxEjectionPercent must be an integer from 0 to 100, got 101/);
    expect(configError({
      hosts: ['*.example.com'], allowWildcardHosts: true, resolution: ServiceEntryResolution.DYNAMIC_DNS, connectionPool: { maxConnections: 5 },
    }).message).toMatch(/connectionPool cannot be applied to wildcard hosts/);
  });

  test('fails when props, egressGateway or retries have the wrong shape (e.g. from another jsii language)', () => {
    const w = world();
    expect(() => new EgressControlledService(w.chart, 'A', undefined as any)).toThrow(/\[platform\/A\] props must be an EgressControlledServiceProps struct with hosts and ports, got undefined/);
    expect(configError({ egressGateway: 'istio-egress' as any }).message).toMatch(/egressGateway must be an EgressGatewayOptions struct .*got "istio-egress"/);
    expect(configError({ ports: [MeshPort.http(80)], retries: { attempts: 2 } as any }).message).toMatch(/retries must be a RetryPolicy .*got \{"attempts":2\}/);
    expect(configError({ originateTls: 'yes' as any }).message).toMatch(/originateTls must be a boolean, got "yes"/);
  });

  test('fails when ports are missing or invalid, or the name is not a DNS label', () => {
    expect(configError({ ports: [] }).message).toMatch(/ports must list at least one MeshPort/);
    expect(configError({ ports: [MeshPort.http(80), MeshPort.http(80)] }).message).toMatch(/ports\[1\]\.name "http-80" is used by another port/);
    expect(configError({ name: 'Stripe API' }).message).toMatch(/name must be a DNS-1123 label/);
    expect(configError({ namespace: 'bad_ns' }).message).toMatch(/namespace must be a DNS-1123 label/);
  });

  test('fails when no source is allowed to call the service (nothing is written)', () => {
    // GIVEN
    const w = world();
    new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => w.app.synthYaml()).toThrow(/\[platform\/Stripe\] no source may call api\.stripe\.com: call allowFrom\(source\)/);
  });

  test('fails when allowFrom asks for methods or paths without an egress gateway', () => {
    // GIVEN
    const w = world();
    const ext = new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80)] });
    // WHEN / THEN
    expect(() => ext.allowFrom(w.orders, { methods: ['GET'] })).toThrow(/\[platform\/Api\] allowFrom options\.methods and paths can be enforced only by an egress gateway/);
  });

  test('fails when allowFrom asks for methods on a TLS port at the gateway, for requireJwt, or for some ports only', () => {
    // GIVEN
    const w = world();
    const tlsExt = new EgressControlledService(w.chart, 'Stripe', { hosts: ['api.stripe.com'], ports: [MeshPort.https(443)], egressGateway: {} });
    const multi = new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.http(80), MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => tlsExt.allowFrom(w.orders, { methods: ['GET'] })).toThrow(/allowFrom options: methods and paths need HTTP ports, but 443 \(HTTPS\) is not HTTP/);
    expect(() => tlsExt.allowFrom(w.orders, { requireJwt: true })).toThrow(/allowFrom options\.requireJwt is not supported for an external service/);
    expect(() => multi.allowFrom(w.orders, { ports: [443] })).toThrow(/allowFrom options\.ports cannot allow only some ports of an external service/);
    expect(() => multi.allowFrom(w.orders, { ports: [444] })).toThrow(/allowFrom options\.ports\[0\] must be one of the destination's ports \(80, 443\), got 444/);
  });

  test('fails when allowFrom gets something that is not a traffic source', () => {
    // GIVEN
    const w = world();
    const ext = new EgressControlledService(w.chart, 'Api', { hosts: ['api.example.com'], ports: [MeshPort.https(443)] });
    // WHEN / THEN
    expect(() => ext.allowFrom(undefined as any)).toThrow(/\[platform\/Api\] allowFrom source must be a traffic source/);
    expect(() => ext.allowFrom(TrafficSource.serviceAccount('Bad_NS', 'x'))).toThrow(/allowFrom source: the namespace of service account Bad_NS\/x .*not a DNS-1123 label/);
  });
});

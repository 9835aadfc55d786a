import { App, Duration, Names } from 'cdk8s';
import { DestinationRule, DestinationRuleProps, LoadBalancer, TlsMode, networking } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const HOST = 'reviews.shop.svc.cluster.local';

function drSpec(app: App): any {
  return findObject(synthValid(app), 'DestinationRule').spec;
}

const DEFAULT_POOL = {
  tcp: { maxConnections: 1024, connectTimeout: '10s' },
  http: { http1MaxPendingRequests: 1024, http2MaxRequests: 1024, maxRetries: 3 },
};
const DEFAULT_OUTLIER = { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 };

describe('DestinationRule', () => {
  describe('defaults', () => {
    test('renders ISTIO_MUTUAL, the default pool and outlier detection, and own-namespace export', () => {
      // GIVEN
      const { app, chart } = setup();
      // WHEN
      const dr = new DestinationRule(chart, 'Reviews', { host: HOST });
      // THEN
      const obj = findObject(synthValid(app), 'DestinationRule');
      expect(obj.metadata).toEqual({ name: Names.toDnsLabel(dr), namespace: 'shop' });
      expect(obj.spec).toEqual({
        host: HOST,
        exportTo: ['.'],
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: DEFAULT_POOL, outlierDetection: DEFAULT_OUTLIER },
      });
      expect(dr.node.findChild('Resource')).toBeInstanceOf(networking.DestinationRule);
      expect(dr.host).toBe(HOST);
      expect(dr.tlsMode).toBe(TlsMode.ISTIO_MUTUAL);
      expect(dr.name).toBe(Names.toDnsLabel(dr));
    });
  });

  describe('props', () => {
    test('metadata', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', { host: HOST, metadata: { name: 'reviews', namespace: 'web', annotations: { a: 'b' } } });
      expect(findObject(synthValid(app), 'DestinationRule').metadata).toEqual({ name: 'reviews', namespace: 'web', annotations: { a: 'b' } });
    });

    test('subsets, added later too; rendered sorted by name; getter lists names', () => {
      const { app, chart } = setup();
      const dr = new DestinationRule(chart, 'DR', { host: HOST, subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
      dr.addSubset({
        name: 'v1',
        labels: { version: 'v1', app: 'reviews' },
        loadBalancer: LoadBalancer.roundRobin(),
        connectionPool: { maxConnections: 10 },
        outlierDetection: { maxEjectionPercent: 20 },
      });
      expect(dr.subsets).toEqual(['v2', 'v1']);
      expect(drSpec(app).subsets).toEqual([
        {
          name: 'v1',
          labels: { app: 'reviews', version: 'v1' },
          trafficPolicy: {
            loadBalancer: { simple: 'ROUND_ROBIN' },
            connectionPool: { ...DEFAULT_POOL, tcp: { maxConnections: 10, connectTimeout: '10s' } },
            outlierDetection: { ...DEFAULT_OUTLIER, maxEjectionPercent: 20 },
          },
        },
        { name: 'v2', labels: { version: 'v2' } },
      ]);
    });

    test('exportTo and addExportTo()', () => {
      const { app, chart } = setup();
      const dr = new DestinationRule(chart, 'DR', { host: HOST, exportTo: ['web'] });
      dr.addExportTo('api');
      dr.addExportTo('api');
      expect(dr.exportTo).toEqual(['api', 'web']);
      expect(drSpec(app).exportTo).toEqual(['api', 'web']);
    });

    test('loadBalancer, outlierDetection and connectionPool', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', {
        host: HOST,
        loadBalancer: LoadBalancer.consistentHashByCookie('session', Duration.hours(1), '/'),
        outlierDetection: {
          consecutive5xxErrors: 3,
          consecutiveGatewayErrors: 2,
          interval: Duration.seconds(5),
          baseEjectionTime: Duration.minutes(1),
          maxEjectionPercent: 30,
          minHealthPercent: 40,
        },
        connectionPool: {
          maxConnections: 100,
          connectTimeout: Duration.millis(250),
          http1MaxPendingRequests: 10,
          http2MaxRequests: 20,
          maxRequestsPerConnection: 1,
          maxRetries: 5,
          idleTimeout: Duration.minutes(5),
        },
      });
      const tp = drSpec(app).trafficPolicy;
      expect(tp.loadBalancer).toEqual({ consistentHash: { httpCookie: { name: 'session', ttl: '3600s', path: '/' } } });
      expect(tp.outlierDetection).toEqual({
        consecutive5xxErrors: 3, consecutiveGatewayErrors: 2, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 30, minHealthPercent: 40,
      });
      expect(tp.connectionPool).toEqual({
        tcp: { maxConnections: 100, connectTimeout: '0.25s' },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 20, maxRequestsPerConnection: 1, maxRetries: 5, idleTimeout: '300s' },
      });
    });

    test('portLevelSettings, sorted by port, without empty objects', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', {
        host: HOST,
        portLevelSettings: [
          { port: 9443, outlierDetection: { consecutive5xxErrors: 1 } },
          { port: 9080, loadBalancer: LoadBalancer.leastRequest(), connectionPool: { maxRetries: 1 } },
        ],
      });
      expect(drSpec(app).trafficPolicy.portLevelSettings).toEqual([
        { port: { number: 9080 }, loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: { ...DEFAULT_POOL, http: { ...DEFAULT_POOL.http, maxRetries: 1 } } },
        { port: { number: 9443 }, outlierDetection: { ...DEFAULT_OUTLIER, consecutive5xxErrors: 1 } },
      ]);
    });

    test('TLS origination with SIMPLE', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', {
        host: 'api.stripe.com',
        tlsMode: TlsMode.SIMPLE,
        sni: 'api.stripe.com',
        subjectAltNames: ['api.stripe.com', '*.stripe.com'],
        caCertificates: '/etc/ssl/certs/ca-certificates.crt',
      });
      expect(drSpec(app).trafficPolicy.tls).toEqual({
        mode: 'SIMPLE', sni: 'api.stripe.com', subjectAltNames: ['*.stripe.com', 'api.stripe.com'], caCertificates: '/etc/ssl/certs/ca-certificates.crt',
      });
    });

    test('MUTUAL with a credential Secret', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', { host: 'bank.example.com', tlsMode: TlsMode.MUTUAL, credentialName: 'bank-client', sni: 'bank.example.com', subjectAltNames: ['bank.example.com'] });
      expect(drSpec(app).trafficPolicy.tls).toEqual({ mode: 'MUTUAL', credentialName: 'bank-client', sni: 'bank.example.com', subjectAltNames: ['bank.example.com'] });
    });

    test('insecureSkipVerify when explicitly set', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', { host: 'self-signed.example.com', tlsMode: TlsMode.SIMPLE, insecureSkipVerify: true });
      expect(drSpec(app).trafficPolicy.tls).toEqual({ mode: 'SIMPLE', insecureSkipVerify: true });
    });

    test('ISTIO_MUTUAL with sni and subjectAltNames; DISABLE', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'A', { host: HOST, sni: HOST, subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/reviews'] });
      new DestinationRule(chart, 'B', { host: 'legacy.shop.svc.cluster.local', tlsMode: TlsMode.DISABLE });
      const drs = synthValid(app).filter(m => m.kind === 'DestinationRule');
      expect(drs[0].spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL', sni: HOST, subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/reviews'] });
      expect(drs[1].spec.trafficPolicy.tls).toEqual({ mode: 'DISABLE' });
    });

    test('SIMPLE without sni: the certificate is verified against subjectAltNames only', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'A', { host: 'api.example.com', tlsMode: TlsMode.SIMPLE, subjectAltNames: ['legacy.example.com'] });
      new DestinationRule(chart, 'B', { host: 'bank.example.com', tlsMode: TlsMode.MUTUAL, credentialName: 'bank-client', subjectAltNames: ['bank.example.com'] });
      const drs = synthValid(app).filter(m => m.kind === 'DestinationRule');
      expect(drs[0].spec.trafficPolicy.tls).toEqual({ mode: 'SIMPLE', subjectAltNames: ['legacy.example.com'] });
      expect(drs[1].spec.trafficPolicy.tls).toEqual({ mode: 'MUTUAL', credentialName: 'bank-client', subjectAltNames: ['bank.example.com'] });
    });

    test('subset-level TLS: each field rendered under the subset, the rule keeps its own TLS', () => {
      // GIVEN
      const { app, chart } = setup();
      // WHEN
      const dr = new DestinationRule(chart, 'DR', {
        host: 'api.example.com',
        tlsMode: TlsMode.DISABLE,
        subsets: [{
          name: 'simple',
          labels: { version: 'v1' },
          tlsMode: TlsMode.SIMPLE,
          sni: 'v1.api.example.com',
          subjectAltNames: ['v1.api.example.com', 'api.example.com'],
          caCertificates: '/etc/certs/ca.pem',
        }],
      });
      dr.addSubset({ name: 'mutual', labels: { version: 'v2' }, tlsMode: TlsMode.MUTUAL, credentialName: 'client-cert', subjectAltNames: ['v2.api.example.com'] });
      dr.addSubset({ name: 'self-signed', labels: { version: 'v3' }, tlsMode: TlsMode.SIMPLE, insecureSkipVerify: true, loadBalancer: LoadBalancer.random() });
      dr.addSubset({ name: 'plain', labels: { version: 'v4' }, tlsMode: TlsMode.DISABLE });
      // THEN
      const spec = drSpec(app);
      expect(spec.trafficPolicy.tls).toEqual({ mode: 'DISABLE' });
      expect(spec.subsets).toEqual([
        { name: 'mutual', labels: { version: 'v2' }, trafficPolicy: { tls: { mode: 'MUTUAL', credentialName: 'client-cert', subjectAltNames: ['v2.api.example.com'] } } },
        { name: 'plain', labels: { version: 'v4' }, trafficPolicy: { tls: { mode: 'DISABLE' } } },
        { name: 'self-signed', labels: { version: 'v3' }, trafficPolicy: { loadBalancer: { simple: 'RANDOM' }, tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
        {
          name: 'simple',
          labels: { version: 'v1' },
          trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'v1.api.example.com', subjectAltNames: ['api.example.com', 'v1.api.example.com'], caCertificates: '/etc/certs/ca.pem' } },
        },
      ]);
    });

    test('subsets with the same labels and different sni (one per server name, e.g. on an egress gateway)', () => {
      const { app, chart } = setup('istio-egress');
      const gw = 'istio-egressgateway.istio-egress.svc.cluster.local';
      const dr = new DestinationRule(chart, 'DR', { host: gw, resilienceDefaults: false });
      dr.addSubset({ name: 'github', labels: { istio: 'egressgateway' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'api.github.com' });
      dr.addSubset({ name: 'stripe', labels: { istio: 'egressgateway' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'api.stripe.com' });
      expect(drSpec(app)).toEqual({
        host: gw,
        exportTo: ['.'],
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        subsets: [
          { name: 'github', labels: { istio: 'egressgateway' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'api.github.com' } } },
          { name: 'stripe', labels: { istio: 'egressgateway' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'api.stripe.com' } } },
        ],
      });
    });

    test('resilienceDefaults: false renders only the pool and outlier detection that are given', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'A', { host: HOST, resilienceDefaults: false });
      new DestinationRule(chart, 'B', { host: 'ratings.shop.svc.cluster.local', resilienceDefaults: false, connectionPool: { maxConnections: 10 } });
      new DestinationRule(chart, 'C', { host: 'details.shop.svc.cluster.local', resilienceDefaults: true });
      const drs = synthValid(app).filter(m => m.kind === 'DestinationRule');
      expect(drs[0].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
      expect(drs[1].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: { ...DEFAULT_POOL, tcp: { maxConnections: 10, connectTimeout: '10s' } } });
      expect(drs[2].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' }, connectionPool: DEFAULT_POOL, outlierDetection: DEFAULT_OUTLIER });
    });

    test('workloadSelector', () => {
      const { app, chart } = setup();
      new DestinationRule(chart, 'DR', { host: HOST, workloadSelector: { app: 'productpage' } });
      expect(drSpec(app).workloadSelector).toEqual({ matchLabels: { app: 'productpage' } });
    });
  });

  describe('bad input', () => {
    const base: DestinationRuleProps = { host: HOST };
    test.each<[string, DestinationRuleProps, string]>([
      ['the host is a short name', { host: 'reviews' }, 'host must be a fully qualified host name (e.g. reviews.shop.svc.cluster.local), got "reviews"'],
      ['two subsets have the same name', { ...base, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }] }, 'subsets[1].name "v1" is already used by subsets[0]; subset names must be unique'],
      ['two subsets have the same labels', { ...base, subsets: [{ name: 'stable', labels: { version: 'v1' } }, { name: 'canary', labels: { version: 'v1' } }] }, 'subsets[1].labels {"version":"v1"} are the labels of subsets[0] "stable"; two subsets with the same labels select the same pods'],
      ['a subset name has a dot', { ...base, subsets: [{ name: 'v1.2', labels: { version: 'v1' } }] }, 'subsets[0].name must be a DNS-1123 label'],
      ['a subset name is upper case', { ...base, subsets: [{ name: 'V2', labels: { version: 'v1' } }] }, 'subsets[0].name must be a DNS-1123 label'],
      ['a subset name has an underscore', { ...base, subsets: [{ name: 'canary_1', labels: { version: 'v1' } }] }, 'subsets[0].name must be a DNS-1123 label'],
      ['a subset name is 64 characters long', { ...base, subsets: [{ name: 'a'.repeat(64), labels: { version: 'v1' } }] }, 'subsets[0].name must be a DNS-1123 label'],
      ['a subset has no labels', { ...base, subsets: [{ name: 'v1', labels: {} }] }, 'subsets[0].labels must contain at least one label, got {} (a subset without labels selects every pod of the service)'],
      ['a subset label value has a wildcard', { ...base, subsets: [{ name: 'v1', labels: { version: 'v*' } }] }, 'subsets[0].labels.version must'],
      ['maxEjectionPercent is above 100', { ...base, outlierDetection: { maxEjectionPercent: 101 } }, 'outlierDetection.maxEjectionPercent must be an integer from 0 to 100, got 101'],
      ['maxEjectionPercent is negative', { ...base, outlierDetection: { maxEjectionPercent: -1 } }, 'outlierDetection.maxEjectionPercent must be an integer from 0 to 100, got -1'],
      ['minHealthPercent is above 100', { ...base, outlierDetection: { minHealthPercent: 150 } }, 'outlierDetection.minHealthPercent must be an integer from 0 to 100, got 150'],
      ['the ejection interval is sub-millisecond', { ...base, outlierDetection: { interval: Duration.millis(0.5) } }, 'outlierDetection.interval must be a whole number of milliseconds'],
      ['consecutive5xxErrors is negative', { ...base, outlierDetection: { consecutive5xxErrors: -1 } }, 'outlierDetection.consecutive5xxErrors must be an integer from 0 to 4294967295, got -1'],
      ['a pool limit is negative', { ...base, connectionPool: { maxConnections: -1 } }, 'connectionPool.maxConnections must be an integer from 0 to 2147483647, got -1'],
      ['maxRetries is negative', { ...base, connectionPool: { maxRetries: -3 } }, 'connectionPool.maxRetries must be an integer from 0 to 2147483647, got -3'],
      ['the connect timeout is zero', { ...base, connectionPool: { connectTimeout: Duration.seconds(0) } }, 'connectionPool.connectTimeout must be at least 1ms'],
      ['a subset pool limit is negative', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, connectionPool: { http2MaxRequests: -5 } }] }, 'subsets[0].connectionPool.http2MaxRequests must be an integer from 0 to 2147483647, got -5'],
      ['a port policy is empty', { ...base, portLevelSettings: [{ port: 80 }] }, 'portLevelSettings[0] must set loadBalancer, connectionPool or outlierDetection (Istio rejects an empty port policy)'],
      ['a port policy port is out of range', { ...base, portLevelSettings: [{ port: 0, loadBalancer: LoadBalancer.random() }] }, 'portLevelSettings[0].port must be an integer from 1 to 65535, got 0'],
      ['a port is listed twice', { ...base, portLevelSettings: [{ port: 80, loadBalancer: LoadBalancer.random() }, { port: 80, loadBalancer: LoadBalancer.random() }] }, 'portLevelSettings[1].port 80 is listed twice'],
      ['the tls mode is unknown', { ...base, tlsMode: 'AUTO' as TlsMode }, 'tlsMode must be one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL, got "AUTO"'],
      ['SIMPLE has no subjectAltNames', { host: 'api.example.com', tlsMode: TlsMode.SIMPLE, sni: 'api.example.com' }, 'subjectAltNames is required when tlsMode is SIMPLE'],
      ['SIMPLE has neither sni nor subjectAltNames', { host: 'api.example.com', tlsMode: TlsMode.SIMPLE }, 'subjectAltNames is required when tlsMode is SIMPLE (otherwise any certificate the CA signed is accepted)'],
      ['MUTUAL has no credentialName', { host: 'api.example.com', tlsMode: TlsMode.MUTUAL, sni: 'api.example.com', subjectAltNames: ['api.example.com'] }, 'credentialName is required when tlsMode is MUTUAL'],
      ['insecureSkipVerify comes with a CA', { host: 'api.example.com', tlsMode: TlsMode.SIMPLE, insecureSkipVerify: true, caCertificates: '/ca.pem' }, 'insecureSkipVerify cannot be combined with caCertificates'],
      ['insecureSkipVerify comes with SANs', { host: 'api.example.com', tlsMode: TlsMode.SIMPLE, insecureSkipVerify: true, subjectAltNames: ['x'] }, 'insecureSkipVerify cannot be combined with subjectAltNames'],
      ['ISTIO_MUTUAL comes with a CA', { ...base, caCertificates: '/ca.pem' }, 'caCertificates cannot be set when tlsMode is ISTIO_MUTUAL'],
      ['ISTIO_MUTUAL comes with insecureSkipVerify', { ...base, insecureSkipVerify: true }, 'insecureSkipVerify cannot be set when tlsMode is ISTIO_MUTUAL'],
      ['DISABLE comes with sni', { ...base, tlsMode: TlsMode.DISABLE, sni: HOST }, 'sni cannot be set when tlsMode is DISABLE'],
      ['credentialName is not a Secret name', { host: 'api.example.com', tlsMode: TlsMode.MUTUAL, credentialName: 'Bank_Client' }, 'credentialName must be a DNS-1123 subdomain'],
      ['subjectAltNames lists a name twice', { ...base, subjectAltNames: ['a', 'a'] }, 'subjectAltNames lists "a" twice'],
      ['resilienceDefaults is not a boolean', { ...base, resilienceDefaults: 'no' as any }, 'resilienceDefaults must be a boolean, got "no"'],
      ['a subset sets sni without tlsMode', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, sni: HOST }] }, "subsets[0].sni needs subsets[0].tlsMode (a subset's TLS settings replace the DestinationRule's as a whole)"],
      ['a subset sets TLS fields without tlsMode', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, subjectAltNames: ['a'], caCertificates: '/ca.pem' }] }, 'subsets[0].subjectAltNames, subsets[0].caCertificates need subsets[0].tlsMode'],
      ['a subset tls mode is unknown', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: 'AUTO' as TlsMode }] }, 'subsets[0].tlsMode must be one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL, got "AUTO"'],
      ['a subset sni is not a host name', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'not a host' }] }, 'subsets[0].sni must be a fully qualified host name'],
      ['a subset SIMPLE has no subjectAltNames', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.SIMPLE, sni: HOST }] }, 'subsets[0].subjectAltNames is required when subsets[0].tlsMode is SIMPLE'],
      ['a subset MUTUAL has no credentialName', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.MUTUAL, subjectAltNames: ['a'] }] }, 'subsets[0].credentialName is required when subsets[0].tlsMode is MUTUAL'],
      ['a subset DISABLE comes with sni', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.DISABLE, sni: HOST }] }, 'subsets[0].sni cannot be set when subsets[0].tlsMode is DISABLE'],
      ['a subset ISTIO_MUTUAL comes with a CA', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, caCertificates: '/ca.pem' }] }, 'subsets[0].caCertificates cannot be set when subsets[0].tlsMode is ISTIO_MUTUAL'],
      ['a subset caCertificates is blank', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.SIMPLE, caCertificates: ' ', subjectAltNames: ['a'] }] }, 'subsets[0].caCertificates must be a non-empty file path, got " "'],
      ['a subset credentialName is not a Secret name', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.MUTUAL, credentialName: 'Bank_Client' }] }, 'subsets[0].credentialName must be a DNS-1123 subdomain'],
      ['a subset insecureSkipVerify comes with SANs', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.SIMPLE, insecureSkipVerify: true, subjectAltNames: ['a'] }] }, 'subsets[0].insecureSkipVerify cannot be combined with subsets[0].subjectAltNames'],
      ['a subset insecureSkipVerify is not a boolean', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.SIMPLE, insecureSkipVerify: 'yes' as any }] }, 'subsets[0].insecureSkipVerify must be a boolean, got "yes"'],
      ['a subset subjectAltNames lists a name twice', { ...base, subsets: [{ name: 'v1', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, subjectAltNames: ['a', 'a'] }] }, 'subsets[0].subjectAltNames lists "a" twice'],
      ['two subsets have the same labels and the same sni', {
        ...base,
        subsets: [{ name: 'a', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'a.example.com' }, { name: 'b', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'a.example.com' }],
      }, 'subsets[1].labels {"v":"1"} are the labels of subsets[0] "a"; two subsets with the same labels select the same pods (allowed only when they present different sni)'],
      ['two subsets have the same labels and only one has an sni', {
        ...base,
        subsets: [{ name: 'a', labels: { v: '1' }, tlsMode: TlsMode.ISTIO_MUTUAL, sni: 'a.example.com' }, { name: 'b', labels: { v: '1' } }],
      }, 'subsets[1].labels {"v":"1"} are the labels of subsets[0] "a"'],
      ['the workload selector is empty', { ...base, workloadSelector: {} }, 'workloadSelector must contain at least one label, got {}'],
      ['exportTo has duplicates', { ...base, exportTo: ['a', 'a'] }, 'exportTo lists "a" twice'],
    ])('fails when %s', (_description, props, message) => {
      // GIVEN
      const { chart } = setup();
      // WHEN / THEN
      expect(() => new DestinationRule(chart, 'DR', props)).toThrow(failure('test/DR', message));
    });

    test('fails when addSubset() repeats a name', () => {
      const { chart } = setup();
      const dr = new DestinationRule(chart, 'DR', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      expect(() => dr.addSubset({ name: 'v1', labels: { version: 'v9' } })).toThrow(failure('test/DR', 'subsets[1].name "v1" is already used by subsets[0]'));
    });

    test('fails when addExportTo() gets "*"', () => {
      const { chart } = setup();
      const dr = new DestinationRule(chart, 'DR', { host: HOST });
      expect(() => dr.addExportTo('*')).toThrow(failure('test/DR', 'addExportTo() "*" cannot be added to exportTo'));
    });
  });
});

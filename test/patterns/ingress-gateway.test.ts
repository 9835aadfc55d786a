import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ApplyOrder, CanaryService, IngressGateway, IngressRouteOptions, Mesh, MeshAnalyzer, MeshPort, MeshService, RetryPolicy,
  TlsProtocolVersion, ZeroTrustNamespace,
} from '../../src';
import { findObject, findObjects, synthValid } from '../helpers';

const PRODUCTPAGE = 'productpage.shop.svc.cluster.local';
const REVIEWS = 'reviews.shop.svc.cluster.local';

function setup(analyze = true) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new Mesh(chart, 'Mesh', { analyze });
  const productpage = new MeshService(chart, 'ProductPage', { namespace: 'shop', port: MeshPort.http(9080), image: 'example/productpage:1.0.0' });
  return { app, chart, productpage };
}

function reviewsCanary(chart: Chart, extra: object = {}) {
  return new CanaryService(chart, 'Reviews', {
    namespace: 'shop',
    port: MeshPort.http(9080),
    stable: { version: 'v1', image: 'example/reviews:1.0.0' },
    canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 10 },
    ...extra,
  });
}

describe('IngressGateway', () => {
  test('renders an HTTPS server (TLS >= 1.2, credentialName) and an HTTP->HTTPS redirect on the existing ingress deployment', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    // WHEN
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    gw.route(productpage, { pathPrefix: '/' });
    // THEN
    const out = synthValid(app);
    expect(gw.gatewayRef).toBe('istio-ingress/public');
    const gateway = findObject(out, 'Gateway', 'public', 'istio-ingress');
    expect(gateway.metadata.annotations).toEqual({ 'cdk8s-istio.io/workload-service-account': 'istio-ingressgateway' });
    expect(gateway.spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(gateway.spec.servers).toEqual([
      {
        port: { number: 443, name: 'https-public', protocol: 'HTTPS' },
        hosts: ['./shop.example.com'],
        tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2' },
      },
      {
        port: { number: 80, name: 'http-public', protocol: 'HTTP' },
        hosts: ['./shop.example.com'],
        tls: { httpsRedirect: true },
      },
    ]);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('route() renders one VirtualService per host, bound only to the gateway, with a catch-all for "/"', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com', 'www.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(productpage, { pathPrefix: '/' });
    // THEN
    const out = synthValid(app);
    const names = findObjects(out, 'VirtualService').map(v => v.metadata.name).sort();
    expect(names).toEqual(['public.shop.example.com', 'public.www.example.com']);
    const vs = findObject(out, 'VirtualService', 'public.shop.example.com', 'istio-ingress');
    expect(gw.virtualServiceFor('shop.example.com')).toBeDefined();
    expect(gw.virtualServiceFor('other.example.com')).toBeUndefined();
    expect(vs.spec.hosts).toEqual(['shop.example.com']);
    expect(vs.spec.gateways).toEqual(['istio-ingress/public']);
    expect(vs.spec.exportTo).toEqual(['.']);
    expect(vs.spec.http).toEqual([{
      route: [{ destination: { host: PRODUCTPAGE } }],
      timeout: '15s',
      retries: { attempts: 2, perTryTimeout: '5s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes' },
    }]);
  });

  test('routing grants the gateway identity access and exports the service configuration to the gateway namespace', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(productpage, { pathPrefix: '/' });
    gw.route(productpage, { exactPath: '/healthz' });
    // THEN
    const out = synthValid(app);
    expect(gw.sourceDescription).toBe('IngressGateway istio-ingress/public');
    const policy = findObject(out, 'AuthorizationPolicy', 'productpage-allow', 'shop');
    expect(policy.spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['9080'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['9080'], paths: ['/healthz'] } }] },
    ]);
    expect(findObject(out, 'DestinationRule', 'productpage', 'shop').spec.exportTo).toEqual(['.', 'istio-ingress']);
  });

  test('a deny-by-default namespace of the gateway gets the ALLOW policy external traffic needs', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    new ZeroTrustNamespace(chart, 'Ingress', { name: 'istio-ingress' });
    new ZeroTrustNamespace(chart, 'Shop', { name: 'shop' });
    // WHEN
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    gw.route(productpage, { pathPrefix: '/' });
    // THEN (the Gateway's cdk8s-istio.io/workload-service-account annotation declares the gateway pods' service
    // account, which the gateway's Helm release owns, so the analyzer knows the principal)
    const out = synthValid(app);
    const allow = findObjects(out, 'AuthorizationPolicy').filter(p => p.metadata.namespace === 'istio-ingress' && p.spec.selector);
    expect(allow).toHaveLength(1);
    expect(allow[0].spec.selector.matchLabels).toEqual({ istio: 'ingressgateway' });
    expect(allow[0].spec.rules).toEqual([{ to: [{ operation: { ports: ['80', '443'] } }] }]);
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('routes are ordered most specific first: exact paths, longer prefixes, then the catch-all', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'example/api:1' });
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN (declared in the least helpful order)
    gw.route(productpage, { pathPrefix: '/' });
    gw.route(api, { pathPrefix: '/api/' });
    gw.route(api, { pathPrefix: '/api/v1/admin/' });
    gw.route(productpage, { exactPath: '/healthz' });
    gw.route(api, { exactPath: '/api/status' });
    // THEN
    const http = findObject(synthValid(app), 'VirtualService', 'public.shop.example.com').spec.http;
    expect(http.map((r: any) => r.match?.[0].uri ?? 'catch-all')).toEqual([
      { exact: '/api/status' },
      { exact: '/healthz' },
      { prefix: '/api/v1/admin/' },
      { prefix: '/api/' },
      'catch-all',
    ]);
    expect(http[3].route).toEqual([{ destination: { host: 'api.shop.svc.cluster.local' } }]);
  });

  test('a route to a CanaryService carries the subsets, weights and header override of the mesh route (IST0140)', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const reviews = reviewsCanary(chart, { canaryHeader: { name: 'x-canary', value: 'always' }, applyOrder: ApplyOrder.ARGO_CD_SYNC_WAVES });
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(productpage, { pathPrefix: '/' });
    gw.route(reviews, { pathPrefix: '/reviews/' });
    // THEN
    const out = synthValid(app);
    const vs = findObject(out, 'VirtualService', 'public.shop.example.com');
    expect(vs.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(vs.spec.http[0].match).toEqual([{ uri: { prefix: '/reviews/' }, headers: { 'x-canary': { exact: 'always' } } }]);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: REVIEWS, subset: 'v2' } }]);
    expect(vs.spec.http[1].match).toEqual([{ uri: { prefix: '/reviews/' } }]);
    expect(vs.spec.http[1].route).toEqual([
      { destination: { host: REVIEWS, subset: 'v1' }, weight: 90 },
      { destination: { host: REVIEWS, subset: 'v2' }, weight: 10 },
    ]);
    expect(vs.spec.http[2].route).toEqual([{ destination: { host: PRODUCTPAGE } }]);
    expect(findObject(out, 'DestinationRule', 'reviews').spec.exportTo).toEqual(['.', 'istio-ingress']);
    expect(MeshAnalyzer.analyze(out).map(f => f.rule)).not.toContain('ingress-route-ignores-subset');
    expect(MeshAnalyzer.analyze(out)).toEqual([]);
  });

  test('a route to a shadowed canary mirrors at the gateway too', () => {
    // GIVEN
    const { app, chart } = setup();
    const reviews = reviewsCanary(chart, { canary: { version: 'v2', image: 'example/reviews:1.1.0', weight: 0 }, mirrorPercentage: 20 });
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(reviews, { pathPrefix: '/' });
    // THEN
    const route = findObject(synthValid(app), 'VirtualService', 'public.shop.example.com').spec.http[0];
    expect(route.route).toEqual([{ destination: { host: REVIEWS, subset: 'v1' } }]);
    expect(route.mirror).toEqual({ host: REVIEWS, subset: 'v2' });
    expect(route.mirrorPercentage).toEqual({ value: 20 });
  });

  test('rewrite and timeout are rendered; the gateway may call the rewritten paths only', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const reviews = reviewsCanary(chart);
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(reviews, { pathPrefix: '/api/reviews/', rewrite: '/reviews/', timeout: Duration.seconds(30) });
    gw.route(productpage, { exactPath: '/login', rewrite: '/auth/login', timeout: Duration.seconds(3) });
    // THEN
    const out = synthValid(app);
    const http = findObject(out, 'VirtualService', 'public.shop.example.com').spec.http;
    expect(http[0].match).toEqual([{ uri: { exact: '/login' } }]);
    expect(http[0].rewrite).toEqual({ uri: '/auth/login' });
    expect(http[0].timeout).toBe('3s');
    expect(http[0].retries.perTryTimeout).toBe('1s');
    expect(http[1].rewrite).toEqual({ uri: '/reviews/' });
    expect(http[1].timeout).toBe('30s');
    expect(findObject(out, 'AuthorizationPolicy', 'reviews-allow').spec.rules[0].to).toEqual([{ operation: { ports: ['9080'], paths: ['/reviews/*'] } }]);
    expect(findObject(out, 'AuthorizationPolicy', 'productpage-allow').spec.rules[0].to).toEqual([{ operation: { ports: ['9080'], paths: ['/auth/login'] } }]);
  });

  test('a rewrite of "/" keeps an explicit prefix match so that only the prefix is rewritten', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(productpage, { pathPrefix: '/', rewrite: '/shop/' });
    // THEN
    const route = findObject(synthValid(app), 'VirtualService', 'public.shop.example.com').spec.http[0];
    expect(route.match).toEqual([{ uri: { prefix: '/' } }]);
    expect(route.rewrite).toEqual({ uri: '/shop/' });
  });

  test('a CanaryService route uses the service timeout by default', () => {
    // GIVEN
    const { app, chart } = setup();
    const reviews = reviewsCanary(chart, { timeout: Duration.seconds(6) });
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(reviews, { pathPrefix: '/' });
    // THEN
    const route = findObject(synthValid(app), 'VirtualService', 'public.shop.example.com').spec.http[0];
    expect(route.timeout).toBe('6s');
    expect(route.retries.perTryTimeout).toBe('2s');
  });

  test('hosts restricts a route to some of the gateway hosts; port picks the service port', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    const api = new MeshService(chart, 'Api', { namespace: 'shop', ports: [MeshPort.grpc(9090), MeshPort.http(8080)], image: 'example/api:1' });
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com', 'api.example.com'], tlsSecret: 'shop-cert' });
    // WHEN
    gw.route(productpage, { pathPrefix: '/', hosts: ['shop.example.com'] });
    gw.route(api, { pathPrefix: '/', hosts: ['api.example.com'], port: 8080 });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'VirtualService', 'public.shop.example.com').spec.http[0].route).toEqual([{ destination: { host: PRODUCTPAGE } }]);
    expect(findObject(out, 'VirtualService', 'public.api.example.com').spec.http[0].route).toEqual([{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 8080 } } }]);
    expect(findObject(out, 'AuthorizationPolicy', 'api-allow').spec.rules[0].to).toEqual([{ operation: { ports: ['8080'] } }]);
  });

  test('name, namespace, selector, serviceAccountName, ports, minTlsVersion are rendered', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    // WHEN
    const gw = new IngressGateway(chart, 'Public', {
      hosts: ['shop.example.com'],
      tlsSecret: 'shop-cert',
      name: 'shop-gw',
      namespace: 'edge',
      selector: { app: 'edge-gateway' },
      serviceAccountName: 'edge-gateway',
      httpsPort: 8443,
      httpPort: 8080,
      minTlsVersion: TlsProtocolVersion.TLSV1_3,
    });
    gw.route(productpage, { pathPrefix: '/' });
    // THEN
    const out = synthValid(app);
    const gateway = findObject(out, 'Gateway', 'shop-gw', 'edge');
    expect(gateway.metadata.annotations[IngressGateway.SERVICE_ACCOUNT_ANNOTATION]).toBe('edge-gateway');
    expect(gateway.spec.selector).toEqual({ app: 'edge-gateway' });
    expect(gateway.spec.servers.map((s: any) => [s.port.number, s.port.name, s.tls.minProtocolVersion ?? s.tls.httpsRedirect])).toEqual([
      [8443, 'https-shop-gw', 'TLSV1_3'],
      [8080, 'http-shop-gw', true],
    ]);
    const vs = findObject(out, 'VirtualService', 'shop-gw.shop.example.com', 'edge');
    expect(vs.spec.gateways).toEqual(['edge/shop-gw']);
    expect(findObject(out, 'AuthorizationPolicy', 'productpage-allow').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/edge/sa/edge-gateway']);
    expect(gw.selector).toEqual({ app: 'edge-gateway' });
    expect(gw.hosts).toEqual(['shop.example.com']);
  });

  test('redirectHttp: false renders no plain-HTTP server and registers only the HTTPS port', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    new ZeroTrustNamespace(chart, 'Ingress', { name: 'istio-ingress' });
    // WHEN
    const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert', redirectHttp: false });
    gw.route(productpage, { pathPrefix: '/' });
    // THEN
    const out = synthValid(app);
    expect(gw.httpPort).toBeUndefined();
    expect(findObject(out, 'Gateway', 'public').spec.servers.map((s: any) => s.port.number)).toEqual([443]);
    const allow = findObjects(out, 'AuthorizationPolicy').filter(p => p.metadata.namespace === 'istio-ingress' && p.spec.selector);
    expect(allow[0].spec.rules).toEqual([{ to: [{ operation: { ports: ['443'] } }] }]);
  });

  test('a wildcard subdomain host is accepted; a bare "*" only with allowAnyHost', () => {
    // GIVEN
    const { app, chart, productpage } = setup();
    // WHEN
    const wild = new IngressGateway(chart, 'Wild', { hosts: ['*.example.com'], tlsSecret: 'wildcard-cert' });
    wild.route(productpage, { pathPrefix: '/' });
    const any = new IngressGateway(chart, 'Any', { hosts: ['*'], tlsSecret: 'any-cert', allowAnyHost: true, selector: { istio: 'other-gateway' } });
    any.route(productpage, { pathPrefix: '/' });
    // THEN
    const out = synthValid(app);
    expect(findObject(out, 'Gateway', 'wild').spec.servers[0].hosts).toEqual(['./*.example.com']);
    expect(findObject(out, 'VirtualService', 'wild.wildcard.example.com').spec.hosts).toEqual(['*.example.com']);
    expect(findObject(out, 'Gateway', 'any').spec.servers[0].hosts).toEqual(['./*']);
    expect(findObject(out, 'VirtualService', 'any.any-host').spec.hosts).toEqual(['*']);
  });

  test('routes of any declaration order come out most specific first with the catch-all last (property)', () => {
    const pathArb: fc.Arbitrary<IngressRouteOptions> = fc.oneof(
      fc.constant({ pathPrefix: '/' }),
      fc.stringMatching(/^(\/[a-z]{1,3}){1,3}\/?$/).map(p => ({ pathPrefix: p })),
      fc.stringMatching(/^(\/[a-z]{1,3}){1,3}$/).map(p => ({ exactPath: p })),
    );
    fc.assert(fc.property(fc.uniqueArray(pathArb, { minLength: 1, maxLength: 8, selector: o => JSON.stringify(o) }), routes => {
      const { app, chart, productpage } = setup();
      const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
      for (const r of routes) gw.route(productpage, r);
      const http = findObject(synthValid(app), 'VirtualService', 'public.shop.example.com').spec.http;
      const keys = http.map((r: any) => (r.match ? (r.match[0].uri.exact !== undefined ? [0, r.match[0].uri.exact] : [1, r.match[0].uri.prefix]) : [2, '']));
      for (let i = 1; i < keys.length; i++) {
        const [ka, pa] = keys[i - 1];
        const [kb, pb] = keys[i];
        expect(ka <= kb).toBe(true);
        // No earlier prefix covers a later path: every path reaches its own route.
        if (ka === 1) expect(pb.startsWith(pa) && pb !== pa).toBe(false);
      }
      expect(http.filter((r: any) => !r.match).length).toBeLessThanOrEqual(1);
      if (routes.some(r => r.pathPrefix === '/')) expect(http[http.length - 1].match).toBeUndefined();
    }), { numRuns: 40 });
  });
});

describe('IngressGateway bad input', () => {
  const make = (props: object) => {
    const { chart } = setup();
    return () => new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert', ...props });
  };

  test('fails when a host is a bare "*"', () => {
    expect(make({ hosts: ['*'] })).toThrow('[test/Public] hosts[0] "*" would serve every host name and let any VirtualService in the namespace bind to the gateway; list the hosts, or set allowAnyHost: true');
  });

  test.each([
    ['shop_example.com'], ['localhost'], ['http://shop.example.com'], ['shop.example.com.'], ['a.*.example.com'], ['10.0.0.1'], [''],
  ])('fails when a host is not a DNS name: %j', host => {
    expect(make({ hosts: [host] })).toThrow(`[test/Public] hosts[0] must be a fully qualified DNS name such as "shop.example.com" (lower-case labels separated by '.', '*' only as a leading "*." label), got ${JSON.stringify(host)}`);
  });

  test('fails when a host is upper case, a bad wildcard, listed twice, overlapping, or missing', () => {
    expect(make({ hosts: ['Shop.example.com'] })).toThrow('[test/Public] hosts[0] must be lower case, got "Shop.example.com" (use "shop.example.com")');
    expect(make({ hosts: ['*.com'] })).toThrow('[test/Public] hosts[0] must be "*." followed by a fully qualified DNS name (e.g. "*.example.com"), got "*.com"');
    expect(make({ hosts: ['a.example.com', 'a.example.com'] })).toThrow('[test/Public] hosts[1] "a.example.com" overlaps hosts[0] "a.example.com"; list each host once');
    expect(make({ hosts: ['*.example.com', 'a.example.com'] })).toThrow(/hosts\[1\] "a\.example\.com" overlaps hosts\[0\] "\*\.example\.com"/);
    expect(make({ hosts: [] })).toThrow("[test/Public] hosts must list at least one public host name (e.g. ['shop.example.com']), got []");
  });

  test.each([['Shop_Cert'], [''], ['-cert'], ['a'.repeat(254)]])('fails when tlsSecret is not a valid Secret name: %s', secret => {
    expect(make({ tlsSecret: secret })).toThrow(/^\[test\/Public\] tlsSecret must be the name of a Kubernetes Secret in namespace istio-ingress \(a DNS-1123 subdomain/);
  });

  test('fails when the minimum TLS version is below 1.2 or left to Envoy', () => {
    expect(make({ minTlsVersion: TlsProtocolVersion.TLSV1_1 })).toThrow('[test/Public] minTlsVersion must be TLSV1_2 or TLSV1_3 (older versions are insecure; TLS_AUTO leaves the choice to Envoy), got "TLSV1_1"');
    expect(make({ minTlsVersion: TlsProtocolVersion.TLS_AUTO })).toThrow(/minTlsVersion must be TLSV1_2 or TLSV1_3/);
  });

  test('fails when name, namespace, selector, service account or ports are invalid', () => {
    expect(make({ name: 'Public_GW' })).toThrow(/\[test\/Public\] name must be a DNS-1123 label .*got "Public_GW"/);
    expect(make({ namespace: 'Istio' })).toThrow(/\[test\/Public\] namespace must be a DNS-1123 label .*got "Istio"/);
    expect(make({ selector: {} })).toThrow(/\[test\/Public\] selector must contain at least one label/);
    expect(make({ serviceAccountName: 'Bad SA' })).toThrow('[test/Public] serviceAccountName must be a DNS-1123 subdomain (a Kubernetes ServiceAccount name), got "Bad SA"');
    expect(make({ httpsPort: 0 })).toThrow('[test/Public] httpsPort must be an integer from 1 to 65535, got 0');
    expect(make({ httpPort: 443 })).toThrow('[test/Public] httpPort and httpsPort must differ (one port has one protocol), both are 443');
    expect(make({ redirectHttp: false, httpPort: 8080 })).toThrow('[test/Public] httpPort is set but redirectHttp is false, so no plain-HTTP server is rendered; remove httpPort or redirectHttp');
  });

  test('fails when two IngressGateways (or an IngressGateway and a service) claim the same host or Gateway', () => {
    const { chart } = setup();
    new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    expect(() => new IngressGateway(chart, 'Public2', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert', name: 'public2' }))
      .toThrow('[test/Public2] host "shop.example.com" is already claimed by test/Public; each mesh host may be declared once per app');
    expect(() => new IngressGateway(chart, 'Other', { hosts: ['other.example.com'], tlsSecret: 'c', name: 'public' }))
      .toThrow('[test/Other] Gateway "istio-ingress/public" is already claimed by test/Public; each gateway may be declared once per app');
    reviewsCanary(chart);
    expect(() => new IngressGateway(chart, 'Internal', { hosts: [REVIEWS], tlsSecret: 'c', name: 'internal' }))
      .toThrow(`[test/Internal] host "${REVIEWS}" is already claimed by test/Reviews; each mesh host may be declared once per app`);
    expect(() => new IngressGateway(chart, 'Internal2', { hosts: ['ratings.shop.svc.cluster.local'], tlsSecret: 'c', name: 'internal2' }))
      .toThrow('[test/Internal2] hosts[0] "ratings.shop.svc.cluster.local" is an in-cluster service name; the ingress gateway serves public host names (route() a service to expose it)');
  });

  describe('route()', () => {
    const routeTo = (options: object, service?: (c: Chart) => any) => {
      const { chart, productpage } = setup();
      const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
      const target = service ? service(chart) : productpage;
      return () => gw.route(target, options as any);
    };

    test('fails when a route path has "*" in the middle', () => {
      expect(routeTo({ pathPrefix: '/api/*/items' })).toThrow('[test/Public] route pathPrefix has \'*\' in the middle (Istio matches it literally, so the route never applies); route a prefix with pathPrefix or one path with exactPath, got "/api/*/items"');
      expect(routeTo({ exactPath: '/a*b' })).toThrow(/route exactPath has '\*' in the middle/);
    });

    test('fails when a route path ends with "*"', () => {
      expect(routeTo({ pathPrefix: '/api/*' })).toThrow('[test/Public] route pathPrefix must not end with \'*\': Istio matches \'*\' literally; a pathPrefix already matches everything below it (use "/api/"), got "/api/*"');
    });

    test('fails when a route gives both or neither of pathPrefix and exactPath, or a relative path', () => {
      expect(routeTo({ pathPrefix: '/a', exactPath: '/b' })).toThrow('[test/Public] route: give either pathPrefix or exactPath, not both (got pathPrefix "/a" and exactPath "/b")');
      expect(routeTo({})).toThrow("[test/Public] route: give pathPrefix (e.g. '/' for everything, '/api/') or exactPath (e.g. '/healthz')");
      expect(routeTo({ pathPrefix: 'api' })).toThrow('[test/Public] route pathPrefix must be a path starting with \'/\', got "api"');
      expect(routeTo({ pathPrefix: '/a?b=1' })).toThrow(/route pathPrefix must be a URI path of letters, digits and .* \(no whitespace, query, fragment, percent-encoding or regex characters\), got "\/a\?b=1"/);
      expect(routeTo({ exactPath: '/c++' })).toThrow(/route exactPath must be a URI path of letters, digits/);
      expect(routeTo({ pathPrefix: '/', rewrite: 'x' })).toThrow('[test/Public] route rewrite must be a path starting with \'/\', got "x"');
    });

    test('fails when a path is routed twice on a host', () => {
      const { chart, productpage } = setup();
      const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'example/api:1' });
      const gw = new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
      gw.route(productpage, { pathPrefix: '/' });
      expect(() => gw.route(api, { pathPrefix: '/' })).toThrow('[test/Public] route: pathPrefix "/" on host "shop.example.com" is already routed to MeshService shop/productpage (pathPrefix "/"); each path is routed once per host');
    });

    test('fails when route hosts are not hosts of the gateway', () => {
      expect(routeTo({ pathPrefix: '/', hosts: ['other.example.com'] })).toThrow('[test/Public] route hosts[0] must be one of the gateway\'s hosts (shop.example.com), got "other.example.com"');
      expect(routeTo({ pathPrefix: '/', hosts: [] })).toThrow(/route hosts must list at least one of the gateway's hosts/);
    });

    test('fails when the port is not a port of the service, or not HTTP', () => {
      expect(routeTo({ pathPrefix: '/', port: 1234 })).toThrow('[test/Public] route port must be one of the ports of MeshService shop/productpage (9080), got 1234');
      expect(routeTo({ pathPrefix: '/' }, c => new MeshService(c, 'Db', { namespace: 'data', port: MeshPort.tcp(5432), image: 'db:1' })))
        .toThrow('[test/Public] route: port 5432 of MeshService data/db is TCP; the gateway routes HTTP only (give port: one of the HTTP ports)');
    });

    test('fails when the route timeout cannot hold the retries', () => {
      expect(routeTo({ pathPrefix: '/', timeout: Duration.millis(2) })).toThrow("[test/Public] route timeout 2 millis with the service's retries: the route timeout (2ms) is too short to split into 3 attempts of at least 1ms");
      expect(routeTo({ pathPrefix: '/', timeout: Duration.seconds(1) }, c => reviewsCanary(c, { retries: RetryPolicy.of({ attempts: 1, perTryTimeout: Duration.seconds(2) }) })))
        .toThrow("[test/Public] route timeout 1 second with the service's retries.perTryTimeout must be shorter than the route timeout (1000ms) or no retry can ever happen, got 2000ms");
    });

    test('fails when the service is not a mesh service', () => {
      expect(routeTo({ pathPrefix: '/' }, () => ({ host: 'x' }))).toThrow(/\[test\/Public\] route service must be a mesh service/);
    });
  });

  test('fails at synth, writing nothing, when a gateway has no routes', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingress-nowrite-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    new Mesh(chart, 'Mesh');
    // WHEN
    new IngressGateway(chart, 'Public', { hosts: ['shop.example.com'], tlsSecret: 'shop-cert' });
    // THEN
    expect(() => app.synth()).toThrow(/\[test\/Public\] IngressGateway has no routes: add at least one with route\(service, \{ pathPrefix: '\/' \}\)/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

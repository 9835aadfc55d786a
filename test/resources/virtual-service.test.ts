import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Names } from 'cdk8s';
import { HttpMatch, HttpRouteOptions, RetryPolicy, VirtualService, VirtualServiceProps, networking } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const HOST = 'reviews.shop.svc.cluster.local';
const OTHER = 'ratings.shop.svc.cluster.local';

/** Synthesizes the app (validations included), checks every object against the CRDs, returns the VS spec. */
function vsSpec(app: App, name?: string): any {
  return findObject(synthValid(app), 'VirtualService', name).spec;
}

const simple: HttpRouteOptions = { destinations: [{ host: HOST }] };

describe('VirtualService', () => {
  describe('defaults', () => {
    test('renders the mesh gateway, own-namespace export, a 15s timeout and recommended retries', () => {
      // GIVEN
      const { app, chart } = setup();
      // WHEN
      const construct = new VirtualService(chart, 'Reviews', { hosts: [HOST], httpRoutes: [simple] });
      // THEN
      const manifests = synthValid(app);
      const vs = findObject(manifests, 'VirtualService');
      expect(vs.metadata).toEqual({ name: Names.toDnsLabel(construct), namespace: 'shop' });
      expect(vs.spec.hosts).toEqual([HOST]);
      expect(vs.spec.gateways).toEqual(['mesh']);
      expect(vs.spec.exportTo).toEqual(['.']);
      expect(vs.spec.http).toEqual([{
        route: [{ destination: { host: HOST } }],
        timeout: '15s',
        retries: {
          attempts: 2,
          perTryTimeout: '5s',
          retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
        },
      }]);
      expect(vs.spec.tcp).toBeUndefined();
      expect(vs.spec.tls).toBeUndefined();
    });

    test('the L1 object is the child "Resource"', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'Reviews', { hosts: [HOST], httpRoutes: [simple] });
      expect(vs.node.findChild('Resource')).toBeInstanceOf(networking.VirtualService);
      expect(vs.name).toBe(Names.toDnsLabel(vs));
      expect(vs.name).toMatch(/^test-reviews-[0-9a-f]{8}$/);
    });
  });

  describe('props', () => {
    test('metadata sets name, namespace and labels', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', { metadata: { name: 'reviews', namespace: 'web', labels: { team: 'a' } }, hosts: [HOST], httpRoutes: [simple] });
      const vs = findObject(synthValid(app), 'VirtualService');
      expect(vs.metadata).toEqual({ name: 'reviews', namespace: 'web', labels: { team: 'a' } });
    });

    test('hosts are rendered sorted; the getter returns a copy in the given order', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: [OTHER, HOST], httpRoutes: [simple] });
      vs.hosts.push('x.example.com');
      expect(vs.hosts).toEqual([OTHER, HOST]);
      expect(vsSpec(app).hosts).toEqual([OTHER, HOST].sort());
    });

    test('gateways are rendered sorted; addGateway() adds and is idempotent', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: [HOST], gateways: ['istio-system/public'], httpRoutes: [simple] });
      vs.addGateway('istio-system/internal');
      vs.addGateway('istio-system/internal');
      expect(vs.gateways).toEqual(['istio-system/internal', 'istio-system/public']);
      expect(vsSpec(app).gateways).toEqual(['istio-system/internal', 'istio-system/public']);
    });

    test('addGateway() on the default adds to mesh', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: [HOST], httpRoutes: [simple] });
      vs.addGateway('istio-system/public');
      expect(vsSpec(app).gateways).toEqual(['istio-system/public', 'mesh']);
    });

    test('exportTo and addExportTo() (idempotent, own namespace is ".")', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: [HOST], exportTo: ['.', 'web'], httpRoutes: [simple] });
      vs.addExportTo('api');
      vs.addExportTo('web');
      vs.addExportTo('shop');
      expect(vs.exportTo).toEqual(['.', 'api', 'web']);
      expect(vsSpec(app).exportTo).toEqual(['.', 'api', 'web']);
    });

    test('routes added after construction count, in order', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: [HOST] });
      vs.addHttpRoute({ name: 'v2', matches: [{ headers: { 'x-canary': HttpMatch.exact('1') } }], destinations: [{ host: HOST, subset: 'v2' }] });
      vs.addHttpRoute({ name: 'default', destinations: [{ host: HOST, subset: 'v1' }] });
      const http = vsSpec(app).http;
      expect(http.map((r: any) => r.name)).toEqual(['v2', 'default']);
      expect(http[0].match).toEqual([{ headers: { 'x-canary': { exact: '1' } } }]);
    });

    test('every match condition is rendered', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        gateways: ['mesh', 'istio-system/public'],
        httpRoutes: [{
          matches: [{
            uri: HttpMatch.prefix('/api/'),
            headers: { 'x-user': HttpMatch.regex('^(alice|bob)$') },
            withoutHeaders: { 'x-debug': HttpMatch.exact('1') },
            queryParams: { v: HttpMatch.exact('2') },
            method: 'GET',
            gateways: ['istio-system/public'],
            port: 9080,
          }, { uri: HttpMatch.exact('/healthz') }],
          destinations: [{ host: HOST }],
        }, simple],
      });
      expect(vsSpec(app).http[0].match).toEqual([{
        uri: { prefix: '/api/' },
        headers: { 'x-user': { regex: '^(alice|bob)$' } },
        withoutHeaders: { 'x-debug': { exact: '1' } },
        queryParams: { v: { exact: '2' } },
        method: { exact: 'GET' },
        gateways: ['istio-system/public'],
        port: 9080,
      }, { uri: { exact: '/healthz' } }]);
    });

    test('weights are rendered for two or more destinations, with subsets and ports', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [{ destinations: [{ host: HOST, subset: 'v1', port: 9080, weight: 90 }, { host: HOST, subset: 'v2', port: 9080, weight: 10 }] }],
      });
      expect(vsSpec(app).http[0].route).toEqual([
        { destination: { host: HOST, subset: 'v1', port: { number: 9080 } }, weight: 90 },
        { destination: { host: HOST, subset: 'v2', port: { number: 9080 } }, weight: 10 },
      ]);
    });

    test('a zero weight is kept (make-before-break)', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [{ destinations: [{ host: HOST, subset: 'v1', weight: 100 }, { host: HOST, subset: 'v2', weight: 0 }] }],
      });
      expect(vsSpec(app).http[0].route.map((r: any) => r.weight)).toEqual([100, 0]);
    });

    test('a single destination renders no weight', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', { hosts: [HOST], httpRoutes: [{ destinations: [{ host: HOST, weight: 30 }] }] });
      expect(vsSpec(app).http[0].route).toEqual([{ destination: { host: HOST } }]);
    });

    test('timeout and retries (explicit per-try timeout, derived per-try timeout, none)', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [
          { matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: HOST }], timeout: Duration.seconds(3), retries: RetryPolicy.of({ attempts: 3, perTryTimeout: Duration.millis(500), retryOn: ['5xx'], retryRemoteLocalities: true }) },
          { matches: [{ uri: HttpMatch.prefix('/b') }], destinations: [{ host: HOST }], timeout: Duration.seconds(1), retries: RetryPolicy.of({ attempts: 2 }) },
          { destinations: [{ host: HOST }], retries: RetryPolicy.none() },
        ],
      });
      const http = vsSpec(app).http;
      expect(http[0].timeout).toBe('3s');
      expect(http[0].retries).toEqual({ attempts: 3, perTryTimeout: '0.5s', retryOn: '5xx', retryRemoteLocalities: true });
      expect(http[1].timeout).toBe('1s');
      expect(http[1].retries.perTryTimeout).toBe('0.333s');
      expect(http[2].retries).toEqual({ attempts: 0 });
      expect(http[2].timeout).toBe('15s');
    });

    test('mirror with the default and an explicit percentage', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [
          { matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: HOST, subset: 'v1' }], mirror: { host: HOST, subset: 'v2' } },
          { destinations: [{ host: HOST, subset: 'v1' }], mirror: { host: OTHER, port: 9080 }, mirrorPercentage: 0.5 },
        ],
      });
      const http = vsSpec(app).http;
      expect(http[0].mirror).toEqual({ host: HOST, subset: 'v2' });
      expect(http[0].mirrorPercentage).toEqual({ value: 100 });
      expect(http[1].mirror).toEqual({ host: OTHER, port: { number: 9080 } });
      expect(http[1].mirrorPercentage).toEqual({ value: 0.5 });
    });

    test('fault injection with allowFaultInjection', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [
          { matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: HOST }], allowFaultInjection: true, fault: { delay: Duration.millis(1500), delayPercentage: 10, abortHttpStatus: 503, abortPercentage: 0.1 } },
          { destinations: [{ host: HOST }], allowFaultInjection: true, fault: { abortHttpStatus: 500 } },
        ],
      });
      const http = vsSpec(app).http;
      expect(http[0].fault).toEqual({ delay: { fixedDelay: '1.5s', percentage: { value: 10 } }, abort: { httpStatus: 503, percentage: { value: 0.1 } } });
      expect(http[1].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 100 } } });
    });

    test('rewriteUri, corsPolicy and header operations', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [{
          destinations: [{ host: HOST }],
          rewriteUri: '/v2/',
          corsPolicy: {
            allowOrigins: [HttpMatch.exact('https://shop.example.com'), HttpMatch.prefix('https://dev.')],
            allowMethods: ['GET', 'POST'],
            allowHeaders: ['content-type'],
            exposeHeaders: ['x-request-id'],
            maxAge: Duration.hours(1),
            allowCredentials: true,
          },
          headers: {
            request: { set: { 'x-forwarded-client': '%DOWNSTREAM_REMOTE_ADDRESS%' }, add: { 'x-a': 'b' }, remove: ['x-z', 'x-y'] },
            response: { remove: ['server'] },
          },
        }],
      });
      const r = vsSpec(app).http[0];
      expect(r.rewrite).toEqual({ uri: '/v2/' });
      expect(r.corsPolicy).toEqual({
        allowOrigins: [{ exact: 'https://shop.example.com' }, { prefix: 'https://dev.' }],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['content-type'],
        exposeHeaders: ['x-request-id'],
        maxAge: '3600s',
        allowCredentials: true,
      });
      expect(r.headers).toEqual({
        request: { set: { 'x-forwarded-client': '%DOWNSTREAM_REMOTE_ADDRESS%' }, add: { 'x-a': 'b' }, remove: ['x-y', 'x-z'] },
        response: { remove: ['server'] },
      });
    });

    test('a redirect route renders no route, timeout or retries', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: [HOST],
        httpRoutes: [
          { matches: [{ uri: HttpMatch.exact('/old') }], destinations: [], redirect: { uri: '/new' } },
          { matches: [{ uri: HttpMatch.exact('/moved') }], destinations: [], redirect: { authority: 'shop.example.com', port: 8443, scheme: 'https', redirectCode: 308 } },
          simple,
        ],
      });
      const http = vsSpec(app).http;
      expect(http[0]).toEqual({ match: [{ uri: { exact: '/old' } }], redirect: { uri: '/new', redirectCode: 301 } });
      expect(http[1].redirect).toEqual({ authority: 'shop.example.com', port: 8443, scheme: 'https', redirectCode: 308 });
    });

    test('JWT-claim matches on a gateway-only VirtualService', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', {
        hosts: ['shop.example.com'],
        gateways: ['istio-system/public'],
        httpRoutes: [{ matches: [{ headers: { '@request.auth.claims.groups': HttpMatch.exact('beta') } }], destinations: [{ host: HOST, subset: 'v2' }] }, simple],
      });
      expect(vsSpec(app).http[0].match).toEqual([{ headers: { '@request.auth.claims.groups': { exact: 'beta' } } }]);
    });

    test('wildcard and "*" hosts on a gateway-only VirtualService', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'A', { hosts: ['*.example.com'], gateways: ['istio-system/public'], httpRoutes: [simple] });
      new VirtualService(chart, 'B', { hosts: ['*'], gateways: ['istio-system/public'], httpRoutes: [simple] });
      const vss = synthValid(app).filter(m => m.kind === 'VirtualService');
      expect(vss.map(v => v.spec.hosts)).toEqual([['*.example.com'], ['*']]);
    });

    test('TCP routes with matches and weights', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', {
        hosts: ['db.shop.svc.cluster.local'],
        tcpRoutes: [{
          matches: [{ port: 5432, destinationSubnets: ['10.0.0.0/8'], sourceLabels: { app: 'api' }, gateways: ['mesh'] }],
          destinations: [{ host: 'db.shop.svc.cluster.local', subset: 'primary', weight: 80 }, { host: 'db.shop.svc.cluster.local', subset: 'replica', weight: 20 }],
        }],
      });
      vs.addTcpRoute({ destinations: [{ host: 'db.shop.svc.cluster.local', port: 5432 }] });
      expect(vsSpec(app).tcp).toEqual([
        {
          match: [{ port: 5432, destinationSubnets: ['10.0.0.0/8'], sourceLabels: { app: 'api' }, gateways: ['mesh'] }],
          route: [
            { destination: { host: 'db.shop.svc.cluster.local', subset: 'primary' }, weight: 80 },
            { destination: { host: 'db.shop.svc.cluster.local', subset: 'replica' }, weight: 20 },
          ],
        },
        { route: [{ destination: { host: 'db.shop.svc.cluster.local', port: { number: 5432 } } }] },
      ]);
    });

    test('TLS routes by SNI', () => {
      const { app, chart } = setup();
      const vs = new VirtualService(chart, 'VS', {
        hosts: ['api.example.com'],
        gateways: ['mesh', 'istio-system/egress'],
        tlsRoutes: [{ matches: [{ sniHosts: ['api.example.com'], gateways: ['mesh'] }], destinations: [{ host: 'egress.istio-system.svc.cluster.local', port: 443 }] }],
      });
      vs.addTlsRoute({
        matches: [{ sniHosts: ['api.example.com'], port: 443, destinationSubnets: ['192.168.0.0/16'], gateways: ['istio-system/egress'] }],
        destinations: [{ host: 'api.example.com', port: 443 }],
      });
      expect(vsSpec(app).tls).toEqual([
        {
          match: [{ sniHosts: ['api.example.com'], gateways: ['mesh'] }],
          route: [{ destination: { host: 'egress.istio-system.svc.cluster.local', port: { number: 443 } } }],
        },
        {
          match: [{ sniHosts: ['api.example.com'], port: 443, destinationSubnets: ['192.168.0.0/16'], gateways: ['istio-system/egress'] }],
          route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }],
        },
      ]);
    });

    test('output is deterministic', () => {
      const build = () => {
        const { app, chart } = setup();
        const vs = new VirtualService(chart, 'VS', { hosts: [OTHER, HOST], exportTo: ['web', '.'] });
        vs.addExportTo('api');
        vs.addHttpRoute(simple);
        synthValid(app);
        return app.synthYaml();
      };
      expect(build()).toEqual(build());
    });
  });

  describe('bad input', () => {
    const base: VirtualServiceProps = { hosts: [HOST], httpRoutes: [simple] };
    const route = (r: Partial<HttpRouteOptions>): VirtualServiceProps => ({ hosts: [HOST], httpRoutes: [{ destinations: [{ host: HOST }], ...r }] });
    const dests = (...d: Array<{ subset?: string; weight?: number; host?: string }>): VirtualServiceProps =>
      ({ hosts: [HOST], httpRoutes: [{ destinations: d.map(x => ({ host: HOST, ...x })) }] });

    test.each<[string, VirtualServiceProps, string]>([
      ['hosts is empty', { ...base, hosts: [] }, 'hosts must not be empty'],
      ['a host is a short name', { ...base, hosts: ['reviews'] }, 'hosts[0] must be a fully qualified host name (e.g. reviews.shop.svc.cluster.local), got "reviews"'],
      ['a host is upper case', { ...base, hosts: ['Reviews.shop.svc.cluster.local'] }, 'hosts[0] must be lower case'],
      ['a mesh-bound VirtualService claims "*"', { ...base, hosts: ['*'] }, 'hosts[0] "*" is not allowed on a VirtualService bound to the mesh gateway'],
      ['a mesh-bound VirtualService has a wildcard host', { ...base, hosts: ['*.example.com'] }, 'wildcard hosts are allowed only on a gateway-only VirtualService'],
      ['a host is listed twice', { ...base, hosts: [HOST, HOST] }, `hosts lists "${HOST}" twice`],
      ['hosts overlap', { ...base, hosts: ['*.example.com', 'a.example.com'], gateways: ['istio-system/gw'] }, 'hosts[1] "a.example.com" overlaps hosts[0] "*.example.com"'],
      ['a gateway is not namespace-qualified', { ...base, gateways: ['public'] }, 'gateways[0] must be "mesh" or "<namespace>/<gateway name>", got "public"; an unqualified name resolves against the VirtualService\'s namespace, so write e.g. "istio-system/public"'],
      ['a gateway namespace is invalid', { ...base, gateways: ['Istio/public'] }, 'gateways[0] namespace must be a DNS-1123 label'],
      ['a gateway is listed twice', { ...base, gateways: ['mesh', 'mesh'] }, 'gateways lists "mesh" twice'],
      ['exportTo lists a namespace twice', { ...base, exportTo: ['web', 'web'] }, 'exportTo lists "web" twice'],
      ["exportTo combines '*' with others", { ...base, exportTo: ['*', 'web'] }, "exportTo may contain '*' (every namespace) or '~' (no namespace) only alone"],
      ['weights do not sum to 100 (90/20)', dests({ subset: 'a', weight: 90 }, { subset: 'b', weight: 20 }), 'httpRoutes[0].destinations weights must sum to exactly 100, got 90 + 20 = 110'],
      ['weights do not sum to 100 (50/40)', dests({ subset: 'a', weight: 50 }, { subset: 'b', weight: 40 }), 'weights must sum to exactly 100, got 50 + 40 = 90'],
      ['a weight is negative', dests({ subset: 'a', weight: -10 }, { subset: 'b', weight: 110 }), 'httpRoutes[0].destinations[0].weight must be an integer from 0 to 100, got -10'],
      ['a weight is not an integer', dests({ subset: 'a', weight: 33.3 }, { subset: 'b', weight: 66.7 }), 'httpRoutes[0].destinations[0].weight must be an integer from 0 to 100, got 33.3'],
      ['a weight is NaN', dests({ subset: 'a', weight: NaN }, { subset: 'b', weight: 100 }), 'weight must be an integer from 0 to 100, got NaN'],
      ['a weight is Infinity', dests({ subset: 'a', weight: Infinity }, { subset: 'b', weight: 0 }), 'weight must be an integer from 0 to 100, got Infinity'],
      ['a weight is -0', dests({ subset: 'a', weight: -0 }, { subset: 'b', weight: 100 }), 'weight must be an integer from 0 to 100, got -0'],
      ['all weights are 0', dests({ subset: 'a', weight: 0 }, { subset: 'b', weight: 0 }), 'weights must sum to exactly 100, got 0 + 0 = 0'],
      ['a single destination has weight 0', dests({ weight: 0 }), 'httpRoutes[0].destinations[0].weight is 0, so the route sends its traffic nowhere'],
      ['a weight is missing', dests({ subset: 'a', weight: 100 }, { subset: 'b' }), 'httpRoutes[0].destinations[1].weight must be set: a route with 2 destinations needs integer weights that sum to 100'],
      ['the same subset is listed twice', dests({ subset: 'v1', weight: 50 }, { subset: 'v1', weight: 50 }), `httpRoutes[0].destinations[1] routes to "${HOST}" subset "v1" like httpRoutes[0].destinations[0]`],
      ['a destination host is short', dests({ host: 'reviews' }), 'httpRoutes[0].destinations[0].host must be a fully qualified host name'],
      ['a subset is not a DNS label', dests({ subset: 'V2' }), 'httpRoutes[0].destinations[0].subset must be a DNS-1123 label'],
      ['a destination port is out of range', { hosts: [HOST], httpRoutes: [{ destinations: [{ host: HOST, port: 70000 }] }] }, 'httpRoutes[0].destinations[0].port must be an integer from 1 to 65535, got 70000'],
      ['a route has no destinations and no redirect', route({ destinations: [] }), 'httpRoutes[0].destinations must list at least one destination (or set redirect)'],
      ['a catch-all route comes before another route', { hosts: [HOST], httpRoutes: [simple, { matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: HOST }] }] }, 'httpRoutes[1] is unreachable: httpRoutes[0] has no matches and catches all traffic; put the catch-all route last'],
      ['two routes have identical matches', { hosts: [HOST], httpRoutes: [{ matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: HOST }] }, { matches: [{ uri: HttpMatch.prefix('/a') }], destinations: [{ host: OTHER }] }] }, 'httpRoutes[1].matches[0] is identical to httpRoutes[0].matches[0], so it can never match'],
      ['a route repeats a match', route({ matches: [{ method: 'GET' }, { method: 'GET' }] }), 'httpRoutes[0].matches[1] is identical to matches[0] of the same route'],
      ['a match is empty', route({ matches: [{}] }), 'httpRoutes[0].matches[0] sets no condition; omit matches for a catch-all route'],
      ['a route name is used twice', { hosts: [HOST], httpRoutes: [{ name: 'a', matches: [{ method: 'GET' }], destinations: [{ host: HOST }] }, { name: 'a', destinations: [{ host: HOST }] }] }, 'httpRoutes[1].name "a" is already used by httpRoutes[0]'],
      ['a JWT-claim match is bound to the mesh', route({ matches: [{ headers: { '@request.auth.claims.groups': HttpMatch.exact('beta') } }] }), 'httpRoutes[0].matches[0] matches a JWT claim (@request.auth.claims.…), which Istio supports only on gateways'],
      ['a JWT-claim match targets the mesh gateway', { hosts: ['shop.example.com'], gateways: ['istio-system/public', 'mesh'], httpRoutes: [{ matches: [{ gateways: ['mesh'], withoutHeaders: { '@request.auth.claims.sub': HttpMatch.exact('x') } }], destinations: [{ host: HOST }] }] }, 'which Istio supports only on gateways'],
      ['the timeout is below 1ms', route({ timeout: Duration.millis(0) }), 'httpRoutes[0].timeout must be at least 1ms'],
      ['the timeout has sub-millisecond precision', route({ timeout: Duration.millis(1.5) }), 'httpRoutes[0].timeout must be a whole number of milliseconds'],
      ['retries have more than 10 attempts', route({ retries: RetryPolicy.of({ attempts: 11 }) }), 'httpRoutes[0].retries.attempts must be an integer from 0 to 10, got 11'],
      ['retries have negative attempts', route({ retries: RetryPolicy.of({ attempts: -1 }) }), 'httpRoutes[0].retries.attempts must be an integer from 0 to 10, got -1'],
      ['perTryTimeout is not shorter than the timeout', route({ timeout: Duration.seconds(2), retries: RetryPolicy.of({ attempts: 2, perTryTimeout: Duration.seconds(2) }) }), 'httpRoutes[0].retries.perTryTimeout must be shorter than the route timeout (2000ms)'],
      ['retryOn has an unknown condition', route({ retries: RetryPolicy.of({ attempts: 1, retryOn: ['5xx', 'foo'] }) }), 'httpRoutes[0].retries.retryOn has an unknown condition "foo"'],
      ['attempts 0 come with retryOn', route({ retries: RetryPolicy.of({ attempts: 0, retryOn: ['5xx'] }) }), 'with attempts 0 (retries disabled)'],
      ['mirrorPercentage is above 100', route({ mirror: { host: OTHER }, mirrorPercentage: 101 }), 'httpRoutes[0].mirrorPercentage must be a number from 0 to 100 with at most 4 decimal places, got 101'],
      ['mirrorPercentage is negative', route({ mirror: { host: OTHER }, mirrorPercentage: -1 }), 'mirrorPercentage must be a number from 0 to 100'],
      ['mirrorPercentage is too precise', route({ mirror: { host: OTHER }, mirrorPercentage: 0.00001 }), 'with at most 4 decimal places, got 0.00001'],
      ['mirrorPercentage is set without mirror', route({ mirrorPercentage: 10 }), 'httpRoutes[0].mirrorPercentage is set without mirror'],
      ['the mirror is a primary destination', route({ mirror: { host: HOST } }), `httpRoutes[0].mirror "${HOST}" is also destinations[0]; mirroring a destination to itself doubles its load`],
      ['the mirror has a weight', route({ mirror: { host: OTHER, weight: 10 } }), 'httpRoutes[0].mirror.weight is not allowed; use mirrorPercentage'],
      ['fault injection is not confirmed', route({ fault: { abortHttpStatus: 503 } }), 'httpRoutes[0].fault injects delays or errors into real traffic; set allowFaultInjection: true on the route to confirm'],
      ['fault injection sets nothing', route({ allowFaultInjection: true, fault: {} }), 'httpRoutes[0].fault must set delay or abortHttpStatus'],
      ['the abort status is out of range', route({ allowFaultInjection: true, fault: { abortHttpStatus: 700 } }), 'httpRoutes[0].fault.abortHttpStatus must be an integer from 200 to 599, got 700'],
      ['delayPercentage is set without delay', route({ allowFaultInjection: true, fault: { abortHttpStatus: 503, delayPercentage: 5 } }), 'httpRoutes[0].fault.delayPercentage is set without delay'],
      ['a redirect comes with destinations', route({ redirect: { uri: '/x' } }), 'httpRoutes[0] sets both redirect and destinations'],
      ['a redirect comes with a timeout', route({ destinations: [], redirect: { uri: '/x' }, timeout: Duration.seconds(1) }), 'httpRoutes[0].timeout cannot be combined with redirect'],
      ['a redirect changes nothing', route({ destinations: [], redirect: {} }), 'httpRoutes[0].redirect must change at least one of uri, authority, port or scheme'],
      ['a redirect code is not a redirect', route({ destinations: [], redirect: { uri: '/x', redirectCode: 200 } }), 'httpRoutes[0].redirect.redirectCode must be one of 301, 302, 303, 307, 308, got 200'],
      ['a redirect scheme is unknown', route({ destinations: [], redirect: { scheme: 'ftp' } }), 'httpRoutes[0].redirect.scheme must be "http" or "https", got "ftp"'],
      ['rewriteUri is not a path', route({ rewriteUri: 'v2' }), 'httpRoutes[0].rewriteUri must be a path starting with \'/\''],
      ['a URI match has a * in the middle', route({ matches: [{ uri: HttpMatch.exact('/api/*/x') }] }), "httpRoutes[0].matches[0].uri must not contain '*'"],
      ['a regex uses look-ahead', route({ matches: [{ uri: HttpMatch.regex('^/(?!admin)') }] }), 'httpRoutes[0].matches[0].uri must be an RE2 regex'],
      ['a header name is upper case', route({ matches: [{ headers: { 'X-User': HttpMatch.exact('a') } }] }), 'httpRoutes[0].matches[0].headers key must be lower case'],
      ['a header name is a pseudo-header', route({ matches: [{ headers: { ':authority': HttpMatch.exact('a') } }] }), 'httpRoutes[0].matches[0].headers key must be an HTTP header name'],
      ['a header match is on Host', route({ matches: [{ headers: { host: HttpMatch.exact('a') } }] }), 'must not be the Host header'],
      ['a header prefix match is empty', route({ matches: [{ headers: { 'x-a': HttpMatch.prefix('') } }] }), 'httpRoutes[0].matches[0].headers[x-a] prefix match must not be empty'],
      ['a query parameter uses a prefix match', route({ matches: [{ queryParams: { v: HttpMatch.prefix('2') } }] }), 'httpRoutes[0].matches[0].queryParams[v] must be HttpMatch.exact() or HttpMatch.regex()'],
      ['a method is unknown', route({ matches: [{ method: 'FETCH' }] }), 'httpRoutes[0].matches[0].method must be one of GET HEAD POST PUT DELETE PATCH OPTIONS CONNECT TRACE, got "FETCH"'],
      ['a match port is out of range', route({ matches: [{ port: 0 }] }), 'httpRoutes[0].matches[0].port must be an integer from 1 to 65535, got 0'],
      ['a CORS policy allows no origin', route({ corsPolicy: { allowOrigins: [] } }), 'httpRoutes[0].corsPolicy.allowOrigins must not be empty'],
      ['a CORS method is unknown', route({ corsPolicy: { allowOrigins: [HttpMatch.exact('*')], allowMethods: ['get'] } }), 'httpRoutes[0].corsPolicy.allowMethods[0] must be one of GET'],
      ['header operations are empty', route({ headers: {} }), 'httpRoutes[0].headers must set request or response'],
      ['a header value has CR/LF', route({ headers: { request: { set: { 'x-a': 'b\r\nx-evil: 1' } } } }), 'httpRoutes[0].headers.request.set[x-a] must not contain CR, LF or NUL characters'],
      ['a header value has a stray %', route({ headers: { response: { add: { 'x-a': '50%' } } } }), "httpRoutes[0].headers.response.add[x-a] has a '%' that is not part of an Envoy %COMMAND% expression"],
      ['a TLS route SNI host is not among the hosts', { hosts: ['api.example.com'], gateways: ['istio-system/egress'], tlsRoutes: [{ matches: [{ sniHosts: ['other.example.com'] }], destinations: [{ host: 'api.example.com' }] }] }, 'tlsRoutes[0].matches[0].sniHosts[0] "other.example.com" is not covered by any of the hosts'],
      ['a TLS route has no matches', { hosts: ['api.example.com'], tlsRoutes: [{ matches: [], destinations: [{ host: 'api.example.com' }] }] }, 'tlsRoutes[0].matches must not be empty'],
      ['a TCP catch-all comes before another TCP route', { hosts: [HOST], tcpRoutes: [{ destinations: [{ host: HOST }] }, { matches: [{ port: 1 }], destinations: [{ host: HOST }] }] }, 'tcpRoutes[1] is unreachable: tcpRoutes[0] has no matches'],
      ['a TCP match subnet is invalid', { hosts: [HOST], tcpRoutes: [{ matches: [{ destinationSubnets: ['10.0.0.0/40'] }], destinations: [{ host: HOST }] }] }, 'tcpRoutes[0].matches[0].destinationSubnets[0] must be an IP address or a CIDR block'],
    ])('fails when %s', (_description, props, message) => {
      // GIVEN
      const { chart } = setup();
      // WHEN / THEN
      expect(() => new VirtualService(chart, 'VS', props)).toThrow(failure('test/VS', message));
    });

    test('fails when addGateway("mesh") binds a wildcard host to the mesh', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: ['*.example.com'], gateways: ['istio-system/public'], httpRoutes: [simple] });
      expect(() => vs.addGateway('mesh')).toThrow('[test/VS] hosts[0] "*.example.com": wildcard hosts are allowed only on a gateway-only VirtualService (gateways without "mesh"); addGateway() includes "mesh"');
    });

    test('fails when addGateway("mesh") would make a JWT-claim route mesh-bound', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'VS', { hosts: ['shop.example.com'], gateways: ['istio-system/public'] });
      vs.addHttpRoute({ matches: [{ headers: { '@request.auth.claims.groups': HttpMatch.exact('beta') } }], destinations: [{ host: HOST }] });
      expect(() => vs.addGateway('mesh')).toThrow('[test/VS] httpRoutes[0].matches[0] matches a JWT claim');
    });

    test('fails when addGateway() gets an unqualified name', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'VS', base);
      expect(() => vs.addGateway('public')).toThrow('[test/VS] addGateway() must be "mesh" or "<namespace>/<gateway name>", got "public"');
    });

    test('fails when addHttpRoute() adds a route after a catch-all', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'VS', base);
      expect(() => vs.addHttpRoute({ matches: [{ method: 'GET' }], destinations: [{ host: HOST }] })).toThrow('[test/VS] httpRoutes[1] is unreachable');
    });

    test('fails when addExportTo() gets an invalid namespace', () => {
      const { chart } = setup();
      const vs = new VirtualService(chart, 'VS', base);
      expect(() => vs.addExportTo('Web')).toThrow("[test/VS] addExportTo() must be '.', '*', '~' or a namespace name (a DNS-1123 label), got \"Web\"");
    });

    test('fails at synth when no route was ever added, and writes no file', () => {
      // GIVEN
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'vs-'));
      const app = new App({ outdir });
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      new VirtualService(chart, 'VS', { hosts: [HOST] });
      // WHEN / THEN
      expect(() => app.synth()).toThrow('[test/VS] VirtualService has no routes: add at least one with addHttpRoute(), addTcpRoute() or addTlsRoute()');
      expect(fs.readdirSync(outdir)).toEqual([]);
      fs.rmSync(outdir, { recursive: true, force: true });
    });

    test('fails at synth when the rendered object is larger than etcd accepts', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', { hosts: [HOST], httpRoutes: [{ destinations: [{ host: HOST }], headers: { request: { set: { 'x-big': 'a'.repeat(1_600_000) } } } }] });
      expect(() => synthValid(app)).toThrow(/\[test\/VS\] the rendered VirtualService is \d+ bytes; Kubernetes stores objects of at most about 1\.5 MiB \(1572864 bytes\) in etcd/);
    });

    test('fails at synth when a match names a gateway the VirtualService is not bound to', () => {
      const { app, chart } = setup();
      new VirtualService(chart, 'VS', { hosts: [HOST], httpRoutes: [{ matches: [{ gateways: ['istio-system/public'], method: 'GET' }], destinations: [{ host: HOST }] }, simple] });
      expect(() => synthValid(app)).toThrow('[test/VS] httpRoutes[0].matches[0].gateways[0] "istio-system/public" is not one of the VirtualService\'s gateways ["mesh"], so the match never applies');
    });
  });
});

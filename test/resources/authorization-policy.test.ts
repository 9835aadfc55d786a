import { App, Names } from 'cdk8s';
import { AuthorizationAction, AuthorizationPolicy, AuthorizationPolicyProps, AuthorizationRule, security } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const PP = 'cluster.local/ns/shop/sa/productpage';

function apSpec(app: App): any {
  return findObject(synthValid(app), 'AuthorizationPolicy').spec;
}

const allowPp: AuthorizationRule = { from: [{ principals: [PP] }] };

describe('AuthorizationPolicy', () => {
  describe('defaults', () => {
    test('an ALLOW policy with explicit action and its rules', () => {
      // GIVEN
      const { app, chart } = setup();
      // WHEN
      const ap = new AuthorizationPolicy(chart, 'Reviews', { selector: { app: 'reviews' }, rules: [allowPp] });
      // THEN
      const obj = findObject(synthValid(app), 'AuthorizationPolicy');
      expect(obj.metadata).toEqual({ name: Names.toDnsLabel(ap), namespace: 'shop' });
      expect(obj.spec).toEqual({
        action: 'ALLOW',
        selector: { matchLabels: { app: 'reviews' } },
        rules: [{ from: [{ source: { principals: [PP] } }] }],
      });
      expect(ap.node.findChild('Resource')).toBeInstanceOf(security.AuthorizationPolicy);
      expect(ap.action).toBe(AuthorizationAction.ALLOW);
      expect(ap.name).toBe(Names.toDnsLabel(ap));
    });
  });

  describe('props', () => {
    test('allowNothing renders spec: {} (namespace-wide) or only the selector', () => {
      const { app, chart } = setup();
      const a = new AuthorizationPolicy(chart, 'AllowNothing', { allowNothing: true });
      new AuthorizationPolicy(chart, 'Selected', { allowNothing: true, selector: { app: 'db' } });
      const aps = synthValid(app).filter(m => m.kind === 'AuthorizationPolicy');
      expect(aps[0].spec).toEqual({});
      expect(aps[1].spec).toEqual({ selector: { matchLabels: { app: 'db' } } });
      expect(a.allowNothing).toBe(true);
    });

    test('every source, operation and condition field is rendered (sorted, hosts in both forms, ports as strings)', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', {
        action: AuthorizationAction.DENY,
        rules: [{
          from: [{
            principals: ['cluster.local/ns/b/sa/x', 'cluster.local/ns/a/sa/*'],
            notPrincipals: ['*'],
            namespaces: ['shop', 'web'],
            notNamespaces: ['kube-*'],
            requestPrincipals: ['https://auth.example.com/*'],
            notRequestPrincipals: ['*'],
            ipBlocks: ['10.0.0.0/8', '192.168.1.1'],
            notIpBlocks: ['10.1.0.0/16'],
          }],
          to: [{
            hosts: ['Shop.Example.com', 'api.example.com:8443', '*'],
            notHosts: ['admin.example.com'],
            ports: [9443, 80],
            notPorts: [15021],
            methods: ['POST', 'GET'],
            notMethods: ['DELETE'],
            paths: ['/admin/*', '*.php', '/users/{*}/profile', '/files/{**}'],
            notPaths: ['/healthz'],
          }],
          when: [
            { key: 'request.headers[x-tenant]', values: ['b', 'a'], notValues: ['z'] },
            { key: 'source.ip', values: ['10.0.0.0/8'] },
            { key: 'destination.port', values: ['8080'] },
            { key: 'request.auth.claims[groups]', values: ['admin'] },
          ],
        }],
      });
      expect(apSpec(app)).toEqual({
        action: 'DENY',
        rules: [{
          from: [{
            source: {
              principals: ['cluster.local/ns/a/sa/*', 'cluster.local/ns/b/sa/x'],
              notPrincipals: ['*'],
              namespaces: ['shop', 'web'],
              notNamespaces: ['kube-*'],
              requestPrincipals: ['https://auth.example.com/*'],
              notRequestPrincipals: ['*'],
              ipBlocks: ['10.0.0.0/8', '192.168.1.1'],
              notIpBlocks: ['10.1.0.0/16'],
            },
          }],
          to: [{
            operation: {
              hosts: ['*', 'api.example.com:8443', 'shop.example.com', 'shop.example.com:*'],
              notHosts: ['admin.example.com', 'admin.example.com:*'],
              ports: ['80', '9443'],
              notPorts: ['15021'],
              methods: ['GET', 'POST'],
              notMethods: ['DELETE'],
              paths: ['*.php', '/admin/*', '/files/{**}', '/users/{*}/profile'],
              notPaths: ['/healthz'],
            },
          }],
          when: [
            { key: 'request.headers[x-tenant]', values: ['a', 'b'], notValues: ['z'] },
            { key: 'source.ip', values: ['10.0.0.0/8'] },
            { key: 'destination.port', values: ['8080'] },
            { key: 'request.auth.claims[groups]', values: ['admin'] },
          ],
        }],
      });
    });

    test('rules added later count, keep their order and are deduplicated; the getter returns copies', () => {
      const { app, chart } = setup();
      const ap = new AuthorizationPolicy(chart, 'AP', { selector: { app: 'reviews' } });
      ap.addRule({ from: [{ namespaces: ['web'] }] });
      ap.addRule(allowPp);
      ap.addRule({ from: [{ principals: [PP] }] });
      const copy = ap.rules;
      (copy[0].from as any)[0].namespaces.push('evil');
      expect(ap.rules).toEqual([{ from: [{ namespaces: ['web'] }] }, allowPp]);
      expect(apSpec(app).rules).toEqual([
        { from: [{ source: { namespaces: ['web'] } }] },
        { from: [{ source: { principals: [PP] } }] },
      ]);
    });

    test('ALLOW with negative matching when the rule opts in', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { rules: [{ from: [{ notNamespaces: ['legacy'] }], to: [{ notPaths: ['/admin/*'] }], allowNegativeMatch: true }] });
      expect(apSpec(app).rules).toEqual([{ from: [{ source: { notNamespaces: ['legacy'] } }], to: [{ operation: { notPaths: ['/admin/*'] } }] }]);
    });

    test('CUSTOM with a provider', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{ to: [{ paths: ['/admin/*'] }] }] });
      const spec = apSpec(app);
      expect(spec.action).toBe('CUSTOM');
      expect(spec.provider).toEqual({ name: 'ext-authz' });
    });

    test('AUDIT', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { action: AuthorizationAction.AUDIT, rules: [{ to: [{ methods: ['DELETE'] }] }] });
      expect(apSpec(app).action).toBe('AUDIT');
    });

    test('targetRefs with the group derived from the kind', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', {
        targetRefs: [{ kind: 'Gateway', name: 'waypoint' }, { kind: 'Service', name: 'reviews' }, { kind: 'ServiceEntry', name: 'stripe' }],
        rules: [allowPp],
      });
      expect(apSpec(app).targetRefs).toEqual([
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
        { group: '', kind: 'Service', name: 'reviews' },
        { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'stripe' },
      ]);
    });

    test('dryRun sets the istio.io/dry-run annotation and keeps others', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { metadata: { name: 'deny-legacy', annotations: { owner: 'sec' } }, dryRun: true, action: AuthorizationAction.DENY, rules: [{ from: [{ namespaces: ['legacy'] }] }] });
      const obj = findObject(synthValid(app), 'AuthorizationPolicy');
      expect(obj.metadata).toEqual({ name: 'deny-legacy', namespace: 'shop', annotations: { 'owner': 'sec', 'istio.io/dry-run': 'true' } });
      expect(AuthorizationPolicy.DRY_RUN_ANNOTATION).toBe('istio.io/dry-run');
    });
  });

  describe('bad input', () => {
    const rule = (r: AuthorizationRule): AuthorizationPolicyProps => ({ rules: [r] });
    test.each<[string, AuthorizationPolicyProps, string]>([
      ['a rule is empty', rule({}), 'rules[0] is empty: a rule without from, to or when matches every request (in an ALLOW policy it allows everything); use allowNothing for deny-all'],
      ['a source is empty', rule({ from: [{}] }), 'rules[0].from[0] is an empty source (Istio rejects it; an empty rule would match everyone); use allowNothing for deny-all'],
      ['an operation is empty', rule({ to: [{}] }), 'rules[0].to[0] is an empty operation (Istio rejects it; an empty rule would match everything); use allowNothing for deny-all'],
      ['from is an empty list', rule({ from: [] }), 'rules[0].from must not be empty'],
      ['a principal list is empty', rule({ from: [{ principals: [] }] }), 'rules[0].from[0].principals must not be empty'],
      ['ALLOW uses notPrincipals', rule({ from: [{ notPrincipals: [PP] }] }), 'rules[0].from[0].notPrincipals is negative matching in an ALLOW policy, which is bypass-prone'],
      ['ALLOW uses notNamespaces', rule({ from: [{ notNamespaces: ['a'] }] }), 'rules[0].from[0].notNamespaces is negative matching in an ALLOW policy'],
      ['ALLOW uses notPaths', rule({ to: [{ notPaths: ['/admin'] }] }), 'rules[0].to[0].notPaths is negative matching in an ALLOW policy'],
      ['ALLOW uses notValues', rule({ when: [{ key: 'source.namespace', notValues: ['a'] }] }), 'rules[0].when[0].notValues is negative matching in an ALLOW policy'],
      ['a path has * in the middle', rule({ to: [{ paths: ['/api/*/admin'] }] }), "rules[0].to[0].paths[0] may contain '*' only alone, as a prefix or as a suffix (Istio treats a '*' in the middle literally, so the match never applies), got \"/api/*/admin\""],
      ['a principal has * in the middle', rule({ from: [{ principals: ['cluster.local/ns/*/sa/x'] }] }), "rules[0].from[0].principals[0] may contain '*' only alone, as a prefix or as a suffix"],
      ['a namespace has * in the middle', rule({ from: [{ namespaces: ['team-*-prod'] }] }), "rules[0].from[0].namespaces[0] may contain '*' only alone"],
      ['a host has * in the middle', rule({ to: [{ hosts: ['*.svc.*'] }] }), "rules[0].to[0].hosts[0] may contain '*' only alone"],
      ['a principal starts with spiffe://', rule({ from: [{ principals: [`spiffe://${PP}`] }] }), 'rules[0].from[0].principals[0] must not start with "spiffe://" (Istio adds it itself, so the doubled prefix never matches)'],
      ['a method is unknown', rule({ to: [{ methods: ['FETCH'] }] }), 'rules[0].to[0].methods[0] must be one of GET HEAD POST PUT DELETE PATCH OPTIONS CONNECT TRACE, got "FETCH"'],
      ['a method is lower case', rule({ to: [{ methods: ['get'] }] }), 'rules[0].to[0].methods[0] must be one of GET'],
      ['a port is out of range', rule({ to: [{ ports: [0] }] }), 'rules[0].to[0].ports[0] must be an integer from 1 to 65535, got 0'],
      ['a port is listed twice', rule({ to: [{ ports: [80, 80] }] }), 'rules[0].to[0].ports lists a port twice'],
      ['a path does not start with /', rule({ to: [{ paths: ['api'] }] }), "rules[0].to[0].paths[0] must start with '/'"],
      ['a path template segment is malformed', rule({ to: [{ paths: ['/a/{x}'] }] }), 'rules[0].to[0].paths[0]: a path template segment must be exactly {*} or {**}'],
      ['{**} is not the last segment', rule({ to: [{ paths: ['/a/{**}/b'] }] }), 'rules[0].to[0].paths[0]: {**} may only be the last segment of a path template'],
      ['an IP block is invalid', rule({ from: [{ ipBlocks: ['10.0.0.0/33'] }] }), 'rules[0].from[0].ipBlocks[0] must be an IP address or a CIDR block'],
      ['a condition key is unknown', rule({ when: [{ key: 'request.path', values: ['/x'] }] }), 'rules[0].when[0].key must be a supported attribute'],
      ['a condition has no values', rule({ when: [{ key: 'source.namespace' }] }), 'rules[0].when[0] must set values or notValues'],
      ['a condition IP is invalid', rule({ when: [{ key: 'source.ip', values: ['nope'] }] }), 'rules[0].when[0].values[0] must be an IP address or a CIDR block'],
      ['a condition port is invalid', rule({ when: [{ key: 'destination.port', values: ['http'] }] }), 'rules[0].when[0].values[0] must be an integer from 1 to 65535, got NaN'],
      ['CUSTOM has no provider', { action: AuthorizationAction.CUSTOM, rules: [allowPp] }, 'provider is required with action CUSTOM'],
      ['a provider is given to ALLOW', { provider: 'ext-authz', rules: [allowPp] }, 'provider is only allowed with action CUSTOM, got action ALLOW'],
      ['allowNothing comes with rules', { allowNothing: true, rules: [allowPp] }, 'rules cannot be combined with allowNothing'],
      ['allowNothing comes with an action', { allowNothing: true, action: AuthorizationAction.DENY }, 'action cannot be combined with allowNothing'],
      ['the selector is empty', { selector: {}, rules: [allowPp] }, 'selector must contain at least one label, got {} (an empty selector selects every workload of the namespace; omit selector to mean that)'],
      ['the selector has a wildcard value', { selector: { app: '*' }, rules: [allowPp] }, 'selector.app must'],
      ['selector and targetRefs are both set', { selector: { app: 'a' }, targetRefs: [{ kind: 'Service', name: 'a' }], rules: [allowPp] }, 'selector and targetRefs cannot both be set'],
      ['a target kind is unsupported', { targetRefs: [{ kind: 'Deployment', name: 'a' }], rules: [allowPp] }, 'targetRefs[0].kind must be one of Gateway, GatewayClass, Service, ServiceEntry, got "Deployment"'],
      ['a target is listed twice', { targetRefs: [{ kind: 'Service', name: 'a' }, { kind: 'Service', name: 'a' }], rules: [allowPp] }, 'targetRefs lists "Service/a" twice'],
      ['the action is unknown', { action: 'LOG' as AuthorizationAction, rules: [allowPp] }, 'action must be one of ALLOW, DENY, AUDIT, CUSTOM, got "LOG"'],
    ])('fails when %s', (_description, props, message) => {
      // GIVEN
      const { chart } = setup();
      // WHEN / THEN
      expect(() => new AuthorizationPolicy(chart, 'AP', props)).toThrow(failure('test/AP', message));
    });

    test('fails at synth when DENY has no rules', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { action: AuthorizationAction.DENY });
      expect(() => synthValid(app)).toThrow('[test/AP] AuthorizationPolicy with action DENY has no rules: add at least one rule with addRule()');
    });

    test('fails at synth when ALLOW has no rules (say allowNothing)', () => {
      const { app, chart } = setup();
      new AuthorizationPolicy(chart, 'AP', { selector: { app: 'x' } });
      expect(() => synthValid(app)).toThrow('[test/AP] AuthorizationPolicy with action ALLOW has no rules: an ALLOW policy without rules denies every request; set allowNothing: true if that is what you mean');
    });

    test('rules added before synth satisfy the check', () => {
      const { app, chart } = setup();
      const ap = new AuthorizationPolicy(chart, 'AP', { action: AuthorizationAction.DENY });
      ap.addRule({ from: [{ notPrincipals: ['*'] }] });
      expect(apSpec(app).rules).toEqual([{ from: [{ source: { notPrincipals: ['*'] } }] }]);
    });

    test('fails when addRule() is called on an allow-nothing policy', () => {
      const { chart } = setup();
      const ap = new AuthorizationPolicy(chart, 'AP', { allowNothing: true });
      expect(() => ap.addRule(allowPp)).toThrow(failure('test/AP', 'rules[0]: an allow-nothing policy cannot have rules'));
    });

    test('fails when addRule() gets an empty rule', () => {
      const { chart } = setup();
      const ap = new AuthorizationPolicy(chart, 'AP', { rules: [allowPp] });
      expect(() => ap.addRule({ from: undefined })).toThrow(failure('test/AP', 'rules[1] is empty'));
    });
  });
});

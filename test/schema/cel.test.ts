import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ManifestValidator } from '../../src/schema';
import { CRD_DIR, crdValidator } from '../helpers';
import { widget, widgetCrd, WidgetRule } from './fixtures/widget-crd';

/** A validator whose Widget spec carries the given rules. */
function withRules(...rules: WidgetRule[]): ManifestValidator {
  return ManifestValidator.fromYaml(widgetCrd(rules), 'widget-crd.yaml');
}

const SAMPLE_SPEC = {
  'name': 'abc',
  'size': 3,
  'ratio': 0.5,
  'port': 80,
  'when': '2024-05-01T10:00:00Z',
  'blob': 'aGk=',
  'tags': ['a', 'b'],
  'numbers': [1, 2, 3],
  'durations': ['1ms', '1.5s', '1h2m'],
  'namespace': 'team-a',
  'dash-name': 'y',
};

describe('CEL rules of the pinned CRDs', () => {
  test('every rule compiles with the functions the validator provides', () => {
    // GIVEN the pinned CRDs and the number of rules they declare
    let declared = 0;
    for (const f of fs.readdirSync(CRD_DIR).filter((n) => n.endsWith('.yaml'))) {
      declared += (fs.readFileSync(path.join(CRD_DIR, f), 'utf8').match(/^\s*- (message: .*\n\s*)?rule: /gm) ?? []).length;
    }
    // WHEN
    const problems = crdValidator().ruleProblems;
    // THEN all are enforced: none is reported as impossible to evaluate
    expect(declared).toBeGreaterThan(600);
    expect(problems).toEqual([]);
  });

  test('the duration forms the CRDs use parse like Go durations', () => {
    // GIVEN a DestinationRule using 1ms, 1.5s, 1h2m and 90m
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'd', namespace: 'n' },
      spec: {
        host: 'x',
        trafficPolicy: {
          connectionPool: { tcp: { connectTimeout: '1ms', maxConnectionDuration: '1h2m', tcpKeepalive: { time: '1.5s', interval: '90m' } } },
        },
      },
    };
    // THEN accepted; 999us is rejected
    expect(crdValidator().validateObject(dr)).toEqual([]);
    dr.spec.trafficPolicy.connectionPool.tcp.connectTimeout = '999us';
    expect(crdValidator().validateObject(dr).map((p) => p.message)).toEqual(['must be a valid duration greater than 1ms']);
  });
});

describe('rules that cannot be evaluated are reported loudly', () => {
  test('a rule calling a function the validator does not provide', () => {
    // GIVEN
    const v = withRules({ rule: 'self.name.frobnicate() && isWidget(self)' });
    // THEN it is listed in ruleProblems ...
    expect(v.ruleProblems).toEqual([{
      kind: 'example.com/v1/Widget',
      schemaPath: 'spec',
      rule: 'self.name.frobnicate() && isWidget(self)',
      message: 'calls .frobnicate(), isWidget(), which this validator does not provide',
    }]);
    // ... and every object it applies to gets a problem
    expect(v.validateObject(widget({ name: 'a' }))).toEqual([expect.objectContaining({
      object: 'Widget/ns/w',
      path: 'spec',
      message: 'CEL rule cannot be evaluated by this validator: calls .frobnicate(), isWidget(), which this validator does not provide',
      rule: 'self.name.frobnicate() && isWidget(self)',
    })]);
  });

  test('a rule that does not parse', () => {
    // GIVEN
    const v = withRules({ rule: 'self.name ==', message: 'never' });
    // THEN
    expect(v.ruleProblems).toEqual([expect.objectContaining({ rule: 'self.name ==', message: expect.stringMatching(/^does not parse: /) })]);
    expect(v.validateObject(widget())).toEqual([expect.objectContaining({
      path: 'spec', message: expect.stringMatching(/^CEL rule cannot be evaluated by this validator: does not parse: /),
    })]);
  });

  test('a messageExpression that cannot be compiled is listed; the static message is used', () => {
    // GIVEN
    const v = withRules({ rule: 'self.size > 5', message: 'size too small', messageExpression: 'nope(self)' });
    // THEN
    expect(v.ruleProblems).toEqual([expect.objectContaining({ rule: 'nope(self)', message: 'messageExpression calls nope(), which this validator does not provide' })]);
    expect(v.validateObject(widget({ size: 3 })).map((p) => p.message)).toEqual(['size too small']);
  });
});

describe('rule semantics', () => {
  test('transition rules (oldSelf) are skipped on create', () => {
    // GIVEN
    const v = withRules({ rule: 'self.name == oldSelf.name', message: 'immutable' });
    // THEN
    expect(v.ruleProblems).toEqual([]);
    expect(v.validateObject(widget({ name: 'a' }))).toEqual([]);
  });

  test('message, messageExpression, fieldPath and reason are honoured', () => {
    // GIVEN
    const v = withRules(
      { rule: 'self.size > 5' },
      { rule: 'self.name.size() > 5', messageExpression: '"name " + self.name + " is too short"', fieldPath: '.name', reason: 'FieldValueForbidden' },
      { rule: 'self.labels.size() == 0', message: 'no labels', fieldPath: ".labels['team.example.com/owner']" },
    );
    // WHEN
    const problems = v.validateObject(widget({ name: 'abc', size: 3, labels: { 'team.example.com/owner': 'x' } }));
    // THEN
    expect(problems).toEqual([
      expect.objectContaining({ path: 'spec', message: 'failed rule: self.size > 5', rule: 'self.size > 5', reason: 'FieldValueInvalid' }),
      expect.objectContaining({ path: 'spec.name', message: 'name abc is too short', reason: 'FieldValueForbidden' }),
      expect.objectContaining({ path: 'spec.labels[team.example.com/owner]', message: 'no labels' }),
    ]);
  });

  test('a runtime evaluation error fails the rule, with the error in the message', () => {
    // GIVEN a rule reading a field that is not set
    const v = withRules({ rule: 'self.name == "x"' });
    // WHEN
    const problems = v.validateObject(widget({ size: 3 }));
    // THEN
    expect(problems).toEqual([expect.objectContaining({
      path: 'spec', message: expect.stringMatching(/^failed rule: self\.name == "x" \(rule evaluation error: .*name/),
    })]);
  });

  test('rules are evaluated only where the value is present', () => {
    // GIVEN a Sidecar without any connection pool (its duration rules sit below)
    const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 's', namespace: 'n' }, spec: {} };
    // THEN
    expect(crdValidator().validateObject(sidecar)).toEqual([]);
  });

  test('additionalProperties rules run per map value, items rules per element', () => {
    // GIVEN an AuthorizationPolicy whose second label value has a wildcard and a ServiceEntry whose second host is "*"
    const ap = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'a', namespace: 'n' },
      spec: { selector: { matchLabels: { app: 'ok', version: 'v*' } } },
    };
    const se = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 's', namespace: 'n' },
      spec: { hosts: ['a.example.com', '*'], ports: [{ number: 443, name: 'https' }], resolution: 'DNS' },
    };
    // THEN each element is located exactly
    expect(crdValidator().validateObject(ap).map((p) => `${p.path}: ${p.message}`)).toEqual(['spec.selector.matchLabels.version: wildcard not allowed in label value match']);
    expect(crdValidator().validateObject(se).map((p) => `${p.path}: ${p.message}`)).toEqual(['spec.hosts[1]: hostname cannot be wildcard']);
  });

  test('defaults are visible to rules', () => {
    // GIVEN mode defaults to A
    const v = withRules({ rule: 'self.mode == "A"', message: 'mode must default to A' });
    // THEN
    expect(v.validateObject(widget({}))).toEqual([]);
    expect(v.validateObject(widget({ mode: 'B' })).map((p) => p.message)).toEqual(['mode must default to A']);
  });
});

describe('values are bound with their schema types', () => {
  test.each([
    ['integers are int', 'type(self.size) == int && self.size == 3'],
    ['numbers are double', 'type(self.ratio) == double && self.ratio == 0.5'],
    ['int-or-string holding a number is int', 'type(self.port) == int'],
    ['lists of integers sum as int', 'self.numbers.sum() == 6'],
    ['date-time strings are timestamps', "self.when > timestamp('2020-01-01T00:00:00Z')"],
    ['byte strings are bytes', "self.blob == b'hi'"],
    ['reserved words are escaped', "self.__namespace__ == 'team-a'"],
    ['dashes are escaped', "self.dash__dash__name == 'y'"],
    ['macros', "self.tags.exists_one(t, t == 'a') && self.numbers.map(n, n * 2) == [2, 4, 6] && self.numbers.filter(n, n > 1).size() == 2 && has(self.name) && !has(self.note)"],
    ['durations', "self.durations.all(d, duration(d) >= duration('1ms')) && duration('1.5s') == duration('1500ms') && duration('1h2m') == duration('3720s')"],
  ])('%s', (_name, rule) => {
    // GIVEN a rule that holds for the sample spec
    const v = withRules({ rule });
    // WHEN / THEN
    expect(v.validateObject(widget(SAMPLE_SPEC))).toEqual([]);
    expect(v.ruleProblems).toEqual([]);
  });

  test('int-or-string holding a string is string', () => {
    const v = withRules({ rule: "type(self.port) == string && self.port == 'http'" });
    expect(v.validateObject(widget({ port: 'http' }))).toEqual([]);
  });
});

describe('Kubernetes CEL library functions', () => {
  const holds: Array<[string, string]> = [
    // URLs
    ['isURL', "isURL('https://example.com:8443/a%20b?x=1') && isURL('/just/a/path') && !isURL('example.com/path') && !isURL('https://ex ample.com') && !isURL('')"],
    ['url getters', "url('https://user@example.com:8443/p/q?x=1&x=2&y=').getScheme() == 'https' && url('https://example.com:8443/p').getHost() == 'example.com:8443' && url('https://example.com:8443/p').getHostname() == 'example.com' && url('https://example.com:8443/p').getPort() == '8443' && url('https://example.com/p%20q').getEscapedPath() == '/p%20q'"],
    ['url query', "url('https://e.com/?a=1&a=2&b=x+y').getQuery() == {'a': ['1', '2'], 'b': ['x y']}"],
    ['url IPv6 host', "url('https://[::1]:80/').getHostname() == '::1' && url('https://[::1]:80/').getPort() == '80' && url('https://example.com').getPort() == ''"],
    // IPs
    ['isIP', "isIP('10.0.0.1') && isIP('2001:db8::1') && !isIP('10.0.0.01') && !isIP('::ffff:1.2.3.4') && !isIP('fe80::1%eth0') && !isIP('300.1.1.1')"],
    ['ip family and classes', "ip('::1').family() == 6 && ip('10.0.0.1').family() == 4 && ip('127.0.0.1').isLoopback() && ip('::1').isLoopback() && ip('fe80::1').isLinkLocalUnicast() && ip('169.254.1.1').isLinkLocalUnicast() && ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast() && ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast() && ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()"],
    ['ip canonical form and equality', "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1') && !ip.isCanonical('2001:db8:0:0:0:0:0:1') && ip('2001:db8:0:0:0:0:0:1') == ip('2001:db8::1') && string(ip('2001:0db8::1')) == '2001:db8::1' && string(ip('1:0:0:1:0:0:0:1')) == '1:0:0:1::1'"],
    // CIDRs
    ['isCIDR', "isCIDR('10.0.0.0/8') && isCIDR('2001:db8::/32') && !isCIDR('10.0.0.0') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0/08')"],
    ['cidr methods', "cidr('10.0.0.0/8').containsIP('10.1.2.3') && cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && !cidr('10.0.0.0/8').containsIP('11.0.0.1') && cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8')) && cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.1.2.3/8').ip() == ip('10.1.2.3') && cidr('::/0').prefixLength() == 0 && string(cidr('2001:db8::/32')) == '2001:db8::/32'"],
    // quantities
    ['isQuantity', "isQuantity('500m') && isQuantity('1.5Gi') && isQuantity('1e3') && !isQuantity('1.2.3') && !isQuantity('5 Mi')"],
    ['quantity arithmetic and comparison', "quantity('1Gi').isGreaterThan(quantity('1G')) && quantity('1000m') == quantity('1') && !quantity('1.5').isInteger() && quantity('2k').asInteger() == 2000 && quantity('500m').asApproximateFloat() == 0.5 && quantity('-1').sign() == -1 && quantity('1').add(quantity('500m')).compareTo(quantity('1500m')) == 0 && quantity('1').sub(1).sign() == 0 && quantity('1Ki').isLessThan(quantity('1025')) && quantity('1').add(2).asInteger() == 3"],
    // lists
    ['list helpers', "[1, 2, 3].isSorted() && ![3, 1].isSorted() && ['a', 'b'].isSorted() && [1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2 && [1].indexOf(7) == -1"],
    // strings and regex
    ['strings extension', "'a,b'.split(',') == ['a', 'b'] && 'Hello'.lowerAscii() == 'hello' && 'abc'.reverse() == 'cba' && ' x '.trim() == 'x' && ['a', 'b'].join('-') == 'a-b' && 'abc'.charAt(1) == 'b' && 'hello'.indexOf('l') == 2 && 'x'.replace('x', 'y') == 'y' && 'abcdef'.substring(1, 3) == 'bc' && 'ABC'.upperAscii() == 'ABC'"],
    ['format', "'%s-%d'.format(['a', 1]) == 'a-1'"],
    ['regex', "'abc123'.find('[0-9]+') == '123' && 'abc'.find('[0-9]') == '' && 'a1b2c3'.findAll('[0-9]') == ['1', '2', '3'] && 'a1b2c3'.findAll('[0-9]', 2) == ['1', '2'] && 'abc'.matches('^a') && matches('abc', 'c$') && 'ABC'.matches('(?i)^abc$')"],
    // sets, encoders, semver
    ['sets', 'sets.contains([1, 2, 3], [2]) && !sets.contains([1], [2]) && sets.intersects([1], [1, 2]) && sets.equivalent([1, 2], [2, 1, 1])'],
    ['base64', "base64.encode(b'hi') == 'aGk=' && base64.decode('aGk=') == b'hi'"],
    ['semver', "isSemver('1.0.0-rc.1') && !isSemver('1.0') && semver('1.2.3').isLessThan(semver('1.10.0')) && semver('1.2.3').major() == 1 && semver('1.0.0-rc.1').isLessThan(semver('1.0.0')) && semver('2.0.0').compareTo(semver('1.9.9')) == 1"],
  ];

  test.each(holds)('%s', (_name, rule) => {
    // GIVEN a rule made only of library calls that should all hold
    const v = withRules({ rule });
    // WHEN / THEN
    expect(v.ruleProblems).toEqual([]);
    expect(ManifestValidator.formatProblems(v.validateObject(widget(SAMPLE_SPEC)))).toBe('');
  });

  test.each([
    ['url() of an invalid URL', "url('not a url').getScheme() == ''", /URL parse error/],
    ['ip() of an invalid address', "ip('10.0.0.256').family() == 4", /IP Address "10\.0\.0\.256" parse error/],
    ['cidr() of an invalid prefix', "cidr('10.0.0.0').prefixLength() == 0", /network address "10\.0\.0\.0" parse error/],
    ['quantity() of an invalid quantity', "quantity('x').sign() == 0", /quantities must match/],
    ['asInteger() of a fraction', "quantity('1.5').asInteger() == 1", /cannot convert value to integer/],
    ['min() of an empty list', '[].min() == 0', /min called on empty list/],
  ])('fails when %s (a runtime error fails the rule)', (_name, rule, error) => {
    // GIVEN
    const v = withRules({ rule });
    // WHEN
    const problems = v.validateObject(widget(SAMPLE_SPEC));
    // THEN
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(error);
    expect(problems[0].message).toMatch(/^failed rule: .* \(rule evaluation error: /);
  });
});

describe('ruleProblems and the pinned CRD YAML agree', () => {
  test('the rules the validator counts are the rules in the files', () => {
    // GIVEN every rule text in the pinned CRDs
    const rules = new Set<string>();
    for (const f of fs.readdirSync(CRD_DIR).filter((n) => n.endsWith('.yaml'))) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, f), 'utf8'))) {
        const visit = (s: any): void => {
          if (!s || typeof s !== 'object') return;
          if (Array.isArray(s['x-kubernetes-validations'])) for (const r of s['x-kubernetes-validations']) rules.add(r.rule);
          Object.values(s).forEach(visit);
        };
        visit(doc.toJS());
      }
    }
    // WHEN each is compiled in a one-rule CRD
    const failing = [...rules].filter((rule) => withRules({ rule }).ruleProblems.length > 0);
    // THEN none fails
    expect(rules.size).toBeGreaterThan(100);
    expect(failing).toEqual([]);
  });
});

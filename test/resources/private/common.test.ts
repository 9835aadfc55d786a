import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  canonical, checkHeaderValue, checkHostName, checkPercentage, checkWildcardPosition, ExportToList, hostCovers, hostsOverlap, isCidr, isIp,
  resolveMetadata,
} from '../../../src/resources/private/common';

function scope(namespace?: string): Construct {
  return new Construct(new Chart(Testing.app(), 'test', { namespace }), 'Thing');
}

describe('resolveMetadata', () => {
  test('names the object after the construct path', () => {
    // GIVEN / WHEN
    const md = resolveMetadata(scope(), undefined);
    // THEN
    expect(md.name).toMatch(/^test-thing-[0-9a-f]{8}$/);
  });

  test('keeps an explicit name, namespace and labels', () => {
    const md = resolveMetadata(scope(), { name: 'reviews', namespace: 'shop', labels: { app: 'reviews' } });
    expect(md).toEqual({ name: 'reviews', namespace: 'shop', labels: { app: 'reviews' } });
  });

  test.each([
    ['the name is not a DNS-1123 subdomain', { name: 'Reviews' }, '[test/Thing] metadata.name must be a DNS-1123 subdomain'],
    ['the namespace is not a DNS-1123 label', { namespace: 'shop.prod' }, '[test/Thing] metadata.namespace must be a DNS-1123 label'],
    ['a label value is invalid', { labels: { app: '-x' } }, '[test/Thing] metadata.labels.app must be a label value'],
  ])('fails when %s', (_d, md, message) => {
    expect(() => resolveMetadata(scope(), md)).toThrow(message);
  });
});

describe('ExportToList', () => {
  test("defaults to '.', adds namespaces idempotently and renders them sorted", () => {
    // GIVEN
    const list = new ExportToList(scope('shop'), 'shop', undefined);
    // WHEN
    list.add('add', 'web');
    list.add('add', 'api');
    list.add('add', 'web');
    list.add('add', 'shop'); // own namespace == '.'
    // THEN
    expect(list.list).toEqual(['.', 'api', 'web']);
  });

  test("adding to '*' changes nothing", () => {
    const list = new ExportToList(scope(), undefined, ['*']);
    list.add('add', 'web');
    expect(list.list).toEqual(['*']);
  });

  test.each([
    ['a namespace is listed twice', ['a', 'a'], 'exportTo lists "a" twice'],
    ["'.' and the own namespace are both listed", ['.', 'shop'], 'exportTo lists "shop" twice'],
    ["'*' is combined with others", ['*', 'a'], "exportTo may contain '*' (every namespace) or '~' (no namespace) only alone"],
    ["'~' is combined with others", ['~', 'a'], "exportTo may contain '*' (every namespace) or '~' (no namespace) only alone"],
    ['a namespace is not a DNS label', ['Shop'], "exportTo[0] must be '.', '*', '~' or a namespace name"],
    ['the list is empty', [], 'exportTo must not be empty'],
  ])('fails when %s', (_d, values, message) => {
    expect(() => new ExportToList(scope('shop'), 'shop', values)).toThrow(`[test/Thing] ${message}`);
  });

  test("fails when '*' is added to a list", () => {
    const list = new ExportToList(scope(), undefined, ['.']);
    expect(() => list.add('addExportTo()', '*')).toThrow('[test/Thing] addExportTo() "*" cannot be added to exportTo [\".\"]');
  });

  test("fails when a namespace is added to '~'", () => {
    const list = new ExportToList(scope(), undefined, ['~']);
    expect(() => list.add('addExportTo()', 'web')).toThrow("exportTo is '~'");
  });
});

describe('host helpers', () => {
  test('overlap and coverage of wildcard hosts', () => {
    expect(hostsOverlap('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostsOverlap('a.foo.com', '*.foo.com')).toBe(true);
    expect(hostsOverlap('*', 'x.y')).toBe(true);
    expect(hostsOverlap('a.foo.com', 'b.foo.com')).toBe(false);
    expect(hostCovers('*.foo.com', 'a.b.foo.com')).toBe(true);
    expect(hostCovers('a.foo.com', '*.foo.com')).toBe(false);
  });

  test.each([
    ['a short name', 'reviews', {}, 'short names resolve against the namespace of the rule'],
    ['upper case', 'Reviews.shop.svc', {}, 'must be lower case'],
    ['a trailing dot', 'a.example.com.', {}, "must not end with '.'"],
    ['a wildcard where none is allowed', '*.example.com', {}, 'wildcard hosts are not allowed here'],
    ['a wildcard in the middle', 'a.*.com', { wildcard: true }, "may contain '*' only as a leading \"*.\" label"],
    ['"*" where it is not allowed', '*', {}, 'must not be "*"'],
  ])('checkHostName fails on %s', (_d, value, options, message) => {
    expect(() => checkHostName(scope(), 'host', value, options)).toThrow(message);
  });
});

describe('value checks', () => {
  test('IP addresses and CIDR blocks', () => {
    expect(['10.0.0.1', '::1', '2001:db8::1', '::ffff:10.0.0.1'].every(isIp)).toBe(true);
    expect(['10.0.0.256', '1.2.3', 'fe80:::1', 'example.com'].some(isIp)).toBe(false);
    expect(['10.0.0.0/8', '2001:db8::/32'].every(isCidr)).toBe(true);
    expect(['10.0.0.0/33', '10.0.0.0', '10.0.0.0/8/1'].some(isCidr)).toBe(false);
  });

  test('percentages with limited decimals', () => {
    expect(checkPercentage(scope(), 'p', 12.3456, 4)).toBe(12.3456);
    expect(() => checkPercentage(scope(), 'p', 12.34567, 4)).toThrow('p must be a number from 0 to 100 with at most 4 decimal places, got 12.34567');
    expect(() => checkPercentage(scope(), 'p', NaN, 4)).toThrow('got NaN');
  });

  test("'*' only alone, as a prefix or as a suffix", () => {
    expect(checkWildcardPosition(scope(), 'v', '/api/*')).toBe('/api/*');
    expect(checkWildcardPosition(scope(), 'v', '*.png')).toBe('*.png');
    expect(() => checkWildcardPosition(scope(), 'v', '/api/*/admin')).toThrow("v may contain '*' only alone, as a prefix or as a suffix");
    expect(() => checkWildcardPosition(scope(), 'v', '*a*')).toThrow('Istio treats a');
  });

  test('header values', () => {
    expect(checkHeaderValue(scope(), 'h', '%DOWNSTREAM_REMOTE_ADDRESS% 100%%')).toBeDefined();
    expect(() => checkHeaderValue(scope(), 'h', 'a\r\nb')).toThrow('must not contain CR, LF or NUL');
    expect(() => checkHeaderValue(scope(), 'h', '50%')).toThrow("has a '%' that is not part of an Envoy %COMMAND% expression");
  });

  test('canonical JSON ignores key order and undefined fields', () => {
    expect(canonical({ b: 1, a: [{ y: 1, x: undefined }] })).toBe(canonical({ a: [{ y: 1 }], b: 1 }));
  });
});

import { Names } from 'cdk8s';
import { JwtRule, RequestAuthentication, security } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

const ISSUER = 'https://auth.example.com';

describe('RequestAuthentication', () => {
  test('renders one rule per issuer; the key set is discovered from an https issuer', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const ra = new RequestAuthentication(chart, 'Jwt', { jwtRules: [{ issuer: ISSUER }] });
    // THEN
    const obj = findObject(synthValid(app), 'RequestAuthentication');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(ra), namespace: 'shop' });
    expect(obj.spec).toEqual({ jwtRules: [{ issuer: ISSUER }] });
    expect(ra.issuers).toEqual([ISSUER]);
    expect(ra.name).toBe(Names.toDnsLabel(ra));
    expect(ra.node.findChild('Resource')).toBeInstanceOf(security.RequestAuthentication);
  });

  test('every JWT rule field, a selector, and rules added later', () => {
    const { app, chart } = setup();
    const ra = new RequestAuthentication(chart, 'RA', {
      metadata: { name: 'jwt' },
      selector: { app: 'api' },
      jwtRules: [{
        issuer: 'accounts.example.com',
        jwksUri: 'https://accounts.example.com/.well-known/jwks.json',
        audiences: ['shop', 'api'],
        forwardOriginalToken: true,
        fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }, { name: 'x-token' }],
        outputClaimToHeaders: [{ claim: 'sub', header: 'x-user' }],
      }],
    });
    ra.addJwtRule({ issuer: ISSUER });
    const obj = findObject(synthValid(app), 'RequestAuthentication');
    expect(obj.metadata.name).toBe('jwt');
    expect(obj.spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      jwtRules: [
        {
          issuer: 'accounts.example.com',
          jwksUri: 'https://accounts.example.com/.well-known/jwks.json',
          audiences: ['api', 'shop'],
          forwardOriginalToken: true,
          fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }, { name: 'x-token' }],
          outputClaimToHeaders: [{ claim: 'sub', header: 'x-user' }],
        },
        { issuer: ISSUER },
      ],
    });
  });

  describe('bad input', () => {
    const rule = (r: Partial<JwtRule>): JwtRule => ({ issuer: ISSUER, ...r });
    test.each<[string, JwtRule[], string]>([
      ['there are no rules', [], 'jwtRules must not be empty'],
      ['the issuer is empty', [rule({ issuer: '' })], 'jwtRules[0].issuer must be a non-empty string, got ""'],
      ['two rules have the same issuer', [rule({}), rule({})], `jwtRules[1].issuer "${ISSUER}" is already used by jwtRules[0]; use one rule per issuer`],
      ['the issuer is no URL and there is no jwksUri', [rule({ issuer: 'accounts' })], 'jwtRules[0].jwksUri is required: the issuer "accounts" is not an https URL'],
      ['jwksUri is plain http', [rule({ jwksUri: 'http://auth.example.com/jwks' })], 'jwtRules[0].jwksUri must use https (the key set must not be fetched in plain text)'],
      ['jwksUri is not a URL', [rule({ jwksUri: 'jwks.json' })], 'jwtRules[0].jwksUri must be an absolute https URL, got "jwks.json"'],
      ['jwksUri is on loopback', [rule({ jwksUri: 'https://127.0.0.1/jwks' })], 'jwtRules[0].jwksUri must not point to a loopback address (istiod would fetch it from inside the cluster: SSRF)'],
      ['jwksUri is localhost', [rule({ jwksUri: 'https://localhost:8443/jwks' })], 'jwtRules[0].jwksUri must not point to localhost'],
      ['jwksUri is IPv6 loopback', [rule({ jwksUri: 'https://[::1]/jwks' })], 'must not point to a loopback or unspecified address'],
      ['jwksUri is an IPv4-mapped loopback', [rule({ jwksUri: 'https://[::ffff:127.0.0.1]/jwks' })], 'must not point to a loopback address'],
      ['jwksUri is link-local (cloud metadata)', [rule({ jwksUri: 'https://169.254.169.254/latest' })], 'jwtRules[0].jwksUri must not point to a link-local address'],
      ['jwksUri is a cluster-internal service', [rule({ jwksUri: 'https://keycloak.auth.svc.cluster.local/jwks' })], 'must not point to a cluster-internal host name'],
      ['jwksUri is a single-label host', [rule({ jwksUri: 'https://keycloak/jwks' })], 'must not point to a single-label (cluster-internal) host name'],
      ['the discovered issuer is internal', [rule({ issuer: 'https://10.0.0.1.nip.io.svc' })], 'jwtRules[0].issuer must not point to a cluster-internal host name'],
      ['a claim goes to Authorization', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: 'Authorization' }] })], 'jwtRules[0].outputClaimToHeaders[0].header "Authorization" must not be Host, Authorization, :authority or X-Forwarded-*'],
      ['a claim goes to Host', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: 'host' }] })], 'outputClaimToHeaders[0].header "host" must not be Host'],
      ['a claim goes to :authority', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: ':authority' }] })], 'outputClaimToHeaders[0].header ":authority" must not be Host'],
      ['a claim goes to X-Forwarded-For', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: 'X-Forwarded-For' }] })], 'outputClaimToHeaders[0].header "X-Forwarded-For" must not be'],
      ['a claim header has invalid characters', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: 'x user' }] })], "outputClaimToHeaders[0].header must consist of letters, digits, '-' and '_'"],
      ['a claim is empty', [rule({ outputClaimToHeaders: [{ claim: '', header: 'x-user' }] })], 'outputClaimToHeaders[0].claim must be a non-empty string'],
      ['two claims go to one header', [rule({ outputClaimToHeaders: [{ claim: 'sub', header: 'x-user' }, { claim: 'email', header: 'X-User' }] })], 'outputClaimToHeaders headers lists "x-user" twice'],
      ['an audience is empty', [rule({ audiences: [''] })], 'jwtRules[0].audiences[0] must be a non-empty string'],
      ['an audience list is empty', [rule({ audiences: [] })], 'jwtRules[0].audiences must not be empty'],
      ['a token header name is invalid', [rule({ fromHeaders: [{ name: 'x jwt' }] })], 'jwtRules[0].fromHeaders[0].name must be an HTTP header name'],
      ['a token header prefix is empty', [rule({ fromHeaders: [{ name: 'x-jwt', prefix: '' }] })], 'jwtRules[0].fromHeaders[0].prefix must be a non-empty string'],
    ])('fails when %s', (_description, jwtRules, message) => {
      const { chart } = setup();
      expect(() => new RequestAuthentication(chart, 'RA', { jwtRules })).toThrow(failure('test/RA', message));
    });

    test('fails when the selector is empty', () => {
      const { chart } = setup();
      expect(() => new RequestAuthentication(chart, 'RA', { selector: {}, jwtRules: [{ issuer: ISSUER }] })).toThrow(failure('test/RA', 'selector must contain at least one label, got {}'));
    });

    test('fails when addJwtRule() repeats an issuer', () => {
      const { chart } = setup();
      const ra = new RequestAuthentication(chart, 'RA', { jwtRules: [{ issuer: ISSUER }] });
      expect(() => ra.addJwtRule({ issuer: ISSUER })).toThrow(failure('test/RA', 'jwtRules[1].issuer'));
    });
  });
});

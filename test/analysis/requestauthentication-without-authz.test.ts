import { authorizationPolicy, deployment, findingsOf, JWT_RULES, KubeObject, requestAuthentication } from './fixtures';

const RULE = 'requestauthentication-without-authz';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

const API = deployment('shop', 'api', { app: 'api' });

/** The RequestAuthentication api-jwt in shop, selecting pods labelled `app`. */
const apiJwt = (app: string) => requestAuthentication('shop', 'api-jwt', { selector: { matchLabels: { app } }, jwtRules: JWT_RULES });

const APP = [API, apiJwt('api')];

describe(RULE, () => {
  test('fires on a RequestAuthentication alone (tokens optional)', () => {
    expect(findings(APP)).toEqual(['warning RequestAuthentication/shop/api-jwt']);
  });

  test('fires when the JWT-requiring policy selects other workloads', () => {
    const objects = [
      ...APP,
      authorizationPolicy('shop', 'other', {
        selector: { matchLabels: { app: 'web' } },
        action: 'DENY',
        rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
      }),
      authorizationPolicy('shop', 'api-mtls', {
        selector: { matchLabels: { app: 'api' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }],
      }),
    ];
    expect(findings(objects)).toEqual(['warning RequestAuthentication/shop/api-jwt']);
  });

  test('near miss: a DENY notRequestPrincipals on the same selector', () => {
    const objects = [
      ...APP,
      authorizationPolicy('shop', 'require-jwt', {
        selector: { matchLabels: { app: 'api' } },
        action: 'DENY',
        rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: a namespace-wide ALLOW requiring requestPrincipals covers the selected workload', () => {
    const objects = [
      ...APP,
      authorizationPolicy('shop', 'jwt-only', { rules: [{ from: [{ source: { requestPrincipals: ['https://issuer.example.com/*'] } }] }] }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: an ALLOW with a request.auth.claims condition on the ingress gateway', () => {
    const objects = [
      requestAuthentication('istio-system', 'ingress-jwt', { selector: { matchLabels: { istio: 'ingressgateway' } }, jwtRules: JWT_RULES }),
      authorizationPolicy('istio-system', 'ingress-jwt', {
        selector: { matchLabels: { istio: 'ingressgateway' } },
        rules: [{ when: [{ key: 'request.auth.claims[groups]', values: ['shoppers'] }] }],
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });

  test('near miss: a RequestAuthentication that selects no workload (reported by workload-selector-no-match)', () => {
    expect(findings([API, apiJwt('apii')])).toEqual([]);
  });
});

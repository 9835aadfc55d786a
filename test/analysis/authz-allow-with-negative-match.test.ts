import { authorizationPolicy, findingsOf, Json, KubeObject } from './fixtures';

const RULE = 'authz-allow-with-negative-match';

const findings = (objects: KubeObject[]) => findingsOf(RULE, objects);

/** An AuthorizationPolicy in shop on the reviews pods. */
function reviewsPolicy(name: string, spec: Json) {
  return authorizationPolicy('shop', name, { selector: { matchLabels: { app: 'reviews' } }, ...spec });
}

describe(RULE, () => {
  test('fires on ALLOW with notPaths (explicit and default action)', () => {
    const objects = [
      reviewsPolicy('allow-but-admin', { action: 'ALLOW', rules: [{ to: [{ operation: { notPaths: ['/admin*'] } }] }] }),
      reviewsPolicy('implicit-allow', { rules: [{ to: [{ operation: { methods: ['GET'], notHosts: ['internal.example.com'] } }] }] }),
    ];
    expect(findings(objects)).toEqual([
      'warning AuthorizationPolicy/shop/allow-but-admin',
      'warning AuthorizationPolicy/shop/implicit-allow',
    ]);
  });

  test('fires on ALLOW with notNamespaces and with a notValues condition', () => {
    const objects = [
      reviewsPolicy('not-ns', { rules: [{ from: [{ source: { notNamespaces: ['untrusted'] } }] }] }),
      reviewsPolicy('not-values', { rules: [{ when: [{ key: 'request.headers[x-env]', notValues: ['dev'] }] }] }),
    ];
    expect(findings(objects)).toEqual([
      'warning AuthorizationPolicy/shop/not-ns',
      'warning AuthorizationPolicy/shop/not-values',
    ]);
  });

  test('near miss: DENY with notPaths / notPrincipals (the recommended pattern) and ALLOW with positive matches', () => {
    const objects = [
      reviewsPolicy('deny-non-public', { action: 'DENY', rules: [{ to: [{ operation: { notPaths: ['/public/*'] } }] }] }),
      reviewsPolicy('require-mtls', { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }] }),
      reviewsPolicy('allow-get', {
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }],
        }],
      }),
    ];
    expect(findings(objects)).toEqual([]);
  });
});

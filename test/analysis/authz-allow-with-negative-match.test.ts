import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'authz-allow-with-negative-match';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function ap(name: string, body: string): string {
  return `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
${body}`;
}

describe(RULE, () => {
  test('fires on ALLOW with notPaths (explicit and default action)', () => {
    expect(findings(ap('allow-but-admin', `  action: ALLOW
  rules: [{ to: [{ operation: { notPaths: ["/admin*"] } }] }]
`) + ap('implicit-allow', `  rules: [{ to: [{ operation: { methods: ["GET"], notHosts: ["internal.example.com"] } }] }]
`))).toEqual([
      'warning AuthorizationPolicy/shop/allow-but-admin',
      'warning AuthorizationPolicy/shop/implicit-allow',
    ]);
  });

  test('fires on ALLOW with notNamespaces and with a notValues condition', () => {
    expect(findings(ap('not-ns', `  rules: [{ from: [{ source: { notNamespaces: ["untrusted"] } }] }]
`) + ap('not-values', `  rules: [{ when: [{ key: "request.headers[x-env]", notValues: ["dev"] }] }]
`))).toEqual([
      'warning AuthorizationPolicy/shop/not-ns',
      'warning AuthorizationPolicy/shop/not-values',
    ]);
  });

  test('near miss: DENY with notPaths / notPrincipals (the recommended pattern) and ALLOW with positive matches', () => {
    expect(findings(ap('deny-non-public', `  action: DENY
  rules: [{ to: [{ operation: { notPaths: ["/public/*"] } }] }]
`) + ap('require-mtls', `  action: DENY
  rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }]
`) + ap('allow-get', `  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }], to: [{ operation: { methods: ["GET"], paths: ["/reviews/*"] } }] }]
`))).toEqual([]);
  });
});

import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'requestauthentication-without-authz';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: app, image: example/api:1 }] }
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: api-jwt, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
`;

function ap(name: string, body: string): string {
  return `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: shop }
spec:
${body}`;
}

describe(RULE, () => {
  test('fires on a RequestAuthentication alone (tokens optional)', () => {
    expect(findings(APP)).toEqual(['warning RequestAuthentication/shop/api-jwt']);
  });

  test('fires when the JWT-requiring policy selects other workloads', () => {
    expect(findings(APP + ap('other', `  selector: { matchLabels: { app: web } }
  action: DENY
  rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }]
`) + ap('api-mtls', `  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }] }]
`))).toEqual(['warning RequestAuthentication/shop/api-jwt']);
  });

  test('near miss: a DENY notRequestPrincipals on the same selector', () => {
    expect(findings(APP + ap('require-jwt', `  selector: { matchLabels: { app: api } }
  action: DENY
  rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }]
`))).toEqual([]);
  });

  test('near miss: a namespace-wide ALLOW requiring requestPrincipals covers the selected workload', () => {
    expect(findings(APP + ap('jwt-only', `  rules: [{ from: [{ source: { requestPrincipals: ["https://issuer.example.com/*"] } }] }]
`))).toEqual([]);
  });

  test('near miss: an ALLOW with a request.auth.claims condition on the ingress gateway', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ingress-jwt, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ingress-jwt, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  rules: [{ when: [{ key: "request.auth.claims[groups]", values: ["shoppers"] }] }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: a RequestAuthentication that selects no workload (reported by workload-selector-no-match)', () => {
    expect(findings(APP.replace('selector: { matchLabels: { app: api } }\n  jwtRules', 'selector: { matchLabels: { app: apii } }\n  jwtRules'))).toEqual([]);
  });
});

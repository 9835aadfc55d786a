import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'workload-selector-no-match';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const APP = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/rev: prod-stable } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  template:
    metadata: { labels: { app: reviews, version: v1 } }
    spec: { containers: [{ name: app, image: example/reviews:1 }] }
`;

describe(RULE, () => {
  test('fires on an AuthorizationPolicy, a Sidecar and a Telemetry whose selector has a typo', () => {
    const yaml = `${APP}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: review } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }] }]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: reviews, namespace: shop }
spec:
  workloadSelector: { labels: { app: reviews, version: v2 } }
  egress: [{ hosts: ["./*"] }]
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviewz } }
  tracing: [{ randomSamplingPercentage: 10 }]
`;
    expect(findings(yaml)).toEqual([
      'warning AuthorizationPolicy/shop/reviews',
      'warning Sidecar/shop/reviews',
      'warning Telemetry/shop/reviews',
    ]);
  });

  test('fires on a PeerAuthentication selecting labels no pod template has', () => {
    const yaml = `${APP}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: reviews-metrics, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews, tier: backend } }
  mtls: { mode: STRICT }
  portLevelMtls: { "9090": { mode: PERMISSIVE } }
`;
    expect(findings(yaml)).toEqual(['warning PeerAuthentication/shop/reviews-metrics']);
  });

  test('near miss: selectors that match the pod template labels (not the Deployment labels)', () => {
    const yaml = `${APP}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews, version: v1 } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }] }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: namespaces without workloads in the app, the root namespace, and namespace-wide policies', () => {
    const yaml = `${APP}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: payments, namespace: payments }
spec:
  selector: { matchLabels: { app: payments } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/reviews"] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext-authz, namespace: istio-system }
spec:
  selector: { matchLabels: { app: something-elsewhere } }
  action: CUSTOM
  provider: { name: oauth2 }
  rules: [{ to: [{ operation: { paths: ["/admin*"] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: shop }
spec: {}
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: gateways are excluded (Gateway selectors and policies aimed at gateway pods)', () => {
    const yaml = `${APP}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ingress, namespace: shop }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  rules: [{ to: [{ operation: { ports: ["8080"] } }] }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ingress-jwt, namespace: shop }
spec:
  selector: { matchLabels: { app: istio-ingressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('fires on an EnvoyFilter and a DestinationRule workloadSelector that match nothing', () => {
    const yaml = `${APP}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: { name: reviews-lua, namespace: shop }
spec:
  workloadSelector: { labels: { app: reviews-v2 } }
  configPatches:
    - applyTo: HTTP_FILTER
      match: { context: SIDECAR_INBOUND }
      patch: { operation: INSERT_BEFORE, value: { name: envoy.filters.http.lua } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings-from-reviews, namespace: shop }
spec:
  host: ratings.shop.svc.cluster.local
  workloadSelector: { matchLabels: { app: reviewer } }
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } }
`;
    expect(findings(yaml)).toEqual(['warning DestinationRule/shop/ratings-from-reviews', 'warning EnvoyFilter/shop/reviews-lua']);
  });

  test('near miss: the selector matches the pod template of an Argo Rollout', () => {
    const yaml = `${APP}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: ratings, namespace: shop }
spec:
  selector: { matchLabels: { app: ratings } }
  template:
    metadata: { labels: { app: ratings } }
    spec: { containers: [{ name: app, image: example/ratings:1 }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ratings, namespace: shop }
spec:
  selector: { matchLabels: { app: ratings } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/reviews"] } }] }]
`;
    expect(findings(yaml)).toEqual([]);
  });
});

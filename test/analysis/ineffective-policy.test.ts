import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'ineffective-policy';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const AMBIENT = `
apiVersion: v1
kind: Namespace
metadata: { name: mesh, labels: { istio.io/dataplane-mode: ambient } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: mesh }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: app, image: example/api:1 }] }
`;

describe(RULE, () => {
  test('fires on a Sidecar in an ambient namespace (IST0167)', () => {
    const yaml = `${AMBIENT}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: mesh }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
  outboundTrafficPolicy: { mode: REGISTRY_ONLY }
`;
    expect(findings(yaml)).toEqual(['warning Sidecar/mesh/default']);
  });

  test('fires on a selector PeerAuthentication in the root namespace (ignored by Istio)', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ingress-permissive, namespace: istio-system }
spec:
  selector: { matchLabels: { app: legacy } }
  mtls: { mode: PERMISSIVE }
`;
    expect(findings(yaml)).toEqual(['warning PeerAuthentication/istio-system/ingress-permissive']);
  });

  test('fires on selector-based L7 policies in an ambient namespace (KIA0110, KIA1115, KIA1117)', () => {
    const yaml = `${AMBIENT}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-get-only, namespace: mesh }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ to: [{ operation: { methods: ["GET"], paths: ["/api/*"] } }] }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: api-jwt, namespace: mesh }
spec:
  selector: { matchLabels: { app: api } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: api-logs, namespace: mesh }
spec:
  selector: { matchLabels: { app: api } }
  accessLogging: [{ providers: [{ name: envoy }] }]
`;
    expect(findings(yaml)).toEqual([
      'warning AuthorizationPolicy/mesh/api-get-only',
      'warning RequestAuthentication/mesh/api-jwt',
      'warning Telemetry/mesh/api-logs',
    ]);
  });

  test('fires on a selector that targets Gateway API gateway pods (IST0166)', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: gw-allow, namespace: edge }
spec:
  selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: public } }
  rules: [{ to: [{ operation: { ports: ["80"] } }] }]
`;
    expect(findings(yaml)).toEqual(['warning AuthorizationPolicy/edge/gw-allow']);
  });

  test('near miss: the root-namespace mesh-wide PeerAuthentication and Sidecar without selector', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: istio-system }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: ambient policies with targetRefs, L4-only selector policies, and a sidecar namespace', () => {
    const yaml = `${AMBIENT}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-l4, namespace: mesh }
spec:
  selector: { matchLabels: { app: api } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/mesh/sa/web"] } }], to: [{ operation: { ports: ["8080"] } }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-l7, namespace: mesh }
spec:
  targetRefs: [{ kind: Service, group: "", name: api }]
  rules: [{ to: [{ operation: { methods: ["GET"] } }] }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: api-jwt, namespace: mesh }
spec:
  targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }]
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
---
apiVersion: v1
kind: Namespace
metadata: { name: classic, labels: { istio.io/rev: prod-stable } }
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: classic }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: a namespace labelled both ambient and istio.io/rev runs sidecars, so its Sidecar applies', () => {
    const yaml = `
apiVersion: v1
kind: Namespace
metadata: { name: mixed, labels: { istio.io/dataplane-mode: ambient, istio.io/rev: prod-stable } }
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: mixed }
spec:
  egress: [{ hosts: ["./*"] }]
`;
    expect(findings(yaml)).toEqual([]);
  });

  test('fires on a Sidecar whose selected pods all run in ambient mode (pod label) in a sidecar namespace', () => {
    const yaml = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/rev: prod-stable } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: batch, namespace: shop }
spec:
  selector: { matchLabels: { app: batch } }
  template:
    metadata: { labels: { app: batch, istio.io/dataplane-mode: ambient, sidecar.istio.io/inject: "false" } }
    spec: { containers: [{ name: app, image: example/batch:1 }] }
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: batch, namespace: shop }
spec:
  workloadSelector: { labels: { app: batch } }
  egress: [{ hosts: ["./*"] }]
`;
    expect(findings(yaml)).toEqual(['warning Sidecar/shop/batch']);
  });
});

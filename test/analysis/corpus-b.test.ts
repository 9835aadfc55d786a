// Expert corpus for the scoping, security, workloads-and-namespaces and telemetry rules: realistic multi-object
// configurations, each with exactly the (severity, rule, object) set these rules must report on it (findings of
// the references/routing/gateways/egress rules are ignored). Written from the spec (issue 8, §3 and §4) and Istio's
// behaviour, before reading the rules.
import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { RULES_B } from '../../src/analysis/rules/registry-b';
import { expectValid } from '../helpers';

const B = new Set(RULES_B.map((r) => r.id));

function load(yaml: string): any[] {
  return parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
}

/** `severity rule object` of every B-group finding, sorted. */
function bFindings(yaml: string): string[] {
  const objects = load(yaml);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects).filter((f) => B.has(f.rule)).map((f) => `${f.severity} ${f.rule} ${f.object}`).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// builders (YAML fragments)

const ns = (name: string, labels = ''): string => `
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
${labels ? `  labels: { ${labels} }` : ''}
`;

const sa = (namespace: string, name: string): string => `
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: ${namespace} }
`;

interface DepOpts {
  readonly sa?: string;
  readonly podAnnotations?: string;
  readonly podExtraLabels?: string;
  readonly podSecurity?: string;
  readonly containerSecurity?: string;
  readonly ports?: string;
  readonly meta?: string;
  readonly extraContainers?: string;
  readonly initContainers?: string;
}

const dep = (namespace: string, name: string, labels: string, o: DepOpts = {}): string => `
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
${o.meta ?? ''}
spec:
  selector: { matchLabels: { ${labels} } }
  template:
    metadata:
      labels: { ${labels}${o.podExtraLabels ? `, ${o.podExtraLabels}` : ''} }
${o.podAnnotations ? `      annotations: { ${o.podAnnotations} }` : ''}
    spec:
${o.sa ? `      serviceAccountName: ${o.sa}` : ''}
${o.podSecurity ? `      securityContext: { ${o.podSecurity} }` : ''}
${o.initContainers ?? ''}
      containers:
        - name: app
          image: example/${name}:1.0.0
          ports: ${o.ports ?? '[{ containerPort: 8080, name: http }]'}
${o.containerSecurity ? `          securityContext: { ${o.containerSecurity} }` : ''}
${o.extraContainers ?? ''}
`;

const svc = (namespace: string, name: string, selector: string, ports: string, meta = ''): string => `
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
${meta}
spec:
  selector: { ${selector} }
  ports: ${ports}
`;

const pa = (namespace: string, name: string, spec: string): string => `
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

const dr = (namespace: string, name: string, spec: string): string => `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

const ap = (namespace: string, name: string, spec: string): string => `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

const ra = (namespace: string, name: string, spec: string): string => `
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

const sidecar = (namespace: string, name: string, spec: string): string => `
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

const telemetry = (namespace: string, name: string, spec: string): string => `
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ${name}, namespace: ${namespace} }
spec: ${spec}
`;

/** An injected shop namespace with reviews (port 9080 -> 8080) and productpage, each with its own ServiceAccount. */
const SHOP = `${ns('shop', 'istio-injection: enabled')}
${sa('shop', 'reviews')}
${sa('shop', 'productpage')}
${dep('shop', 'reviews', 'app: reviews', { sa: 'reviews' })}
${dep('shop', 'productpage', 'app: productpage', { sa: 'productpage' })}
${svc('shop', 'reviews', 'app: reviews', '[{ name: http, port: 9080, targetPort: 8080 }]')}
${svc('shop', 'productpage', 'app: productpage', '[{ name: http, port: 9080, targetPort: 8080 }]')}
`;

const JWT = 'jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]';

/** A Helm-installed ingress gateway (gateway injection template) in an owned namespace. */
const HELM_INGRESS = `${ns('istio-ingress', 'istio-injection: enabled')}
${dep('istio-ingress', 'istio-ingress', 'app: istio-ingress, istio: ingress', {
    podAnnotations: 'inject.istio.io/templates: gateway',
    ports: '[{ containerPort: 8080, name: http }, { containerPort: 8443, name: https }]',
  })}
---
apiVersion: v1
kind: Service
metadata:
  name: istio-ingress
  namespace: istio-ingress
  labels: { app: istio-ingress, istio: ingress }
spec:
  type: LoadBalancer
  selector: { app: istio-ingress, istio: ingress }
  ports:
    - { name: status-port, port: 15021, targetPort: 15021 }
    - { name: http2, port: 80, targetPort: 8080 }
    - { name: https, port: 443, targetPort: 8443 }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-ingress }
spec:
  selector: { istio: ingress }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ["shop/*"]
`;

interface Scenario {
  readonly name: string;
  readonly yaml: string;
  readonly expected: string[];
}

const SCENARIOS: Scenario[] = [
  // ---------------------------------------------------------------- clean baselines
  {
    name: 'bookinfo-like namespace with mesh-wide STRICT, ISTIO_MUTUAL DR and principal-based ALLOW: clean',
    yaml: `${SHOP}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: ISTIO_MUTUAL } } }')}
${ap('shop', 'allow-nothing', '{}')}
${ap('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, action: ALLOW, rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }], to: [{ operation: { methods: ["GET"] } }] }] }')}
${ap('shop', 'productpage', '{ selector: { matchLabels: { app: productpage } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingress"] } }] }] }')}
`,
    expected: [],
  },

  // ---------------------------------------------------------------- permissive-mtls / conflicting-peerauthentication
  {
    name: 'mesh-wide PERMISSIVE and namespace-wide DISABLE are reported; UNSET and workload PERMISSIVE are not',
    yaml: `${SHOP}
${ns('legacy', 'istio-injection: enabled')}
${ns('batch', 'istio-injection: enabled')}
${pa('istio-system', 'default', '{ mtls: { mode: PERMISSIVE } }')}
${pa('legacy', 'default', '{ mtls: { mode: DISABLE } }')}
${pa('batch', 'default', '{ mtls: { mode: UNSET } }')}
${pa('shop', 'reviews-exception', '{ selector: { matchLabels: { app: reviews } }, mtls: { mode: PERMISSIVE } }')}
`,
    expected: [
      'warning permissive-mtls PeerAuthentication/istio-system/default',
      'warning permissive-mtls PeerAuthentication/legacy/default',
    ],
  },
  {
    name: 'two namespace-wide PeerAuthentications in one namespace conflict (and the PERMISSIVE one is permissive)',
    yaml: `${SHOP}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${pa('shop', 'migration', '{ mtls: { mode: PERMISSIVE } }')}
`,
    expected: [
      'error conflicting-peerauthentication PeerAuthentication/shop/default',
      'error conflicting-peerauthentication PeerAuthentication/shop/migration',
      'warning permissive-mtls PeerAuthentication/shop/migration',
    ],
  },
  {
    name: 'mesh -> namespace -> workload hierarchy with portLevelMtls is not a conflict',
    yaml: `${SHOP}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${pa('shop', 'reviews-metrics', '{ selector: { matchLabels: { app: reviews } }, mtls: { mode: STRICT }, portLevelMtls: { "9090": { mode: PERMISSIVE } } }')}
${pa('shop', 'productpage', '{ selector: { matchLabels: { app: productpage } }, mtls: { mode: STRICT } }')}
`,
    expected: [],
  },
  {
    name: 'two workload PeerAuthentications selecting the same pods conflict',
    yaml: `${SHOP}
${pa('shop', 'reviews-a', '{ selector: { matchLabels: { app: reviews } }, mtls: { mode: STRICT } }')}
${pa('shop', 'reviews-b', '{ selector: { matchLabels: { app: reviews } }, portLevelMtls: { "8080": { mode: PERMISSIVE } } }')}
`,
    expected: [
      'error conflicting-peerauthentication PeerAuthentication/shop/reviews-a',
      'error conflicting-peerauthentication PeerAuthentication/shop/reviews-b',
    ],
  },
  {
    name: 'a selector PeerAuthentication in the root namespace is ineffective (not a conflict with the mesh-wide one)',
    yaml: `${SHOP}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${pa('istio-system', 'legacy', '{ selector: { matchLabels: { app: legacy } }, mtls: { mode: PERMISSIVE } }')}
`,
    expected: ['warning ineffective-policy PeerAuthentication/istio-system/legacy'],
  },

  // ---------------------------------------------------------------- dr-drops-mtls
  {
    name: 'DISABLE and SIMPLE to in-app services under namespace STRICT drop mTLS; ISTIO_MUTUAL does not',
    yaml: `${SHOP}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } } }')}
${dr('shop', 'productpage', '{ host: productpage, trafficPolicy: { tls: { mode: SIMPLE } } }')}
`,
    expected: [
      'error dr-drops-mtls DestinationRule/shop/productpage',
      'error dr-drops-mtls DestinationRule/shop/reviews',
    ],
  },
  {
    name: 'mesh-wide STRICT: DISABLE at top level but ISTIO_MUTUAL on the only port is fine; subset DISABLE is not',
    yaml: `${SHOP}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE }, portLevelSettings: [{ port: { number: 9080 }, tls: { mode: ISTIO_MUTUAL } }] } }')}
${dr('shop', 'productpage', '{ host: productpage.shop.svc.cluster.local, subsets: [{ name: plain, labels: { app: productpage }, trafficPolicy: { tls: { mode: DISABLE } } }] }')}
`,
    expected: ['error dr-drops-mtls DestinationRule/shop/productpage'],
  },
  {
    name: 'namespace PERMISSIVE overriding mesh STRICT, or a workload PERMISSIVE, lets DISABLE through',
    yaml: `${SHOP}
${ns('legacy', 'istio-injection: enabled')}
${dep('legacy', 'old', 'app: old')}
${svc('legacy', 'old', 'app: old', '[{ name: http, port: 80, targetPort: 8080 }]')}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${pa('legacy', 'default', '{ mtls: { mode: PERMISSIVE } }')}
${pa('shop', 'reviews-plain', '{ selector: { matchLabels: { app: reviews } }, mtls: { mode: PERMISSIVE } }')}
${dr('legacy', 'old', '{ host: old.legacy.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } } }')}
`,
    expected: ['warning permissive-mtls PeerAuthentication/legacy/default'],
  },
  {
    name: 'STRICT with a PERMISSIVE container port: DISABLE on the Service port targeting it is fine',
    yaml: `${SHOP}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${pa('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, mtls: { mode: STRICT }, portLevelMtls: { "8080": { mode: PERMISSIVE } } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: DISABLE } }] } }')}
`,
    expected: [],
  },
  {
    name: 'SIMPLE to an external ServiceEntry host and DISABLE to a non-injected namespace under mesh STRICT: fine',
    yaml: `${SHOP}
${ns('tools')}
${dep('tools', 'grafana', 'app: grafana')}
${svc('tools', 'grafana', 'app: grafana', '[{ name: http, port: 3000, targetPort: 8080 }]')}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: TLS }]
${dr('shop', 'stripe', '{ host: api.stripe.com, trafficPolicy: { tls: { mode: SIMPLE, sni: api.stripe.com } } }')}
${dr('shop', 'grafana', '{ host: grafana.tools.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } } }')}
`,
    expected: [],
  },

  // ---------------------------------------------------------------- dr-shadows-mesh-wide-policy
  {
    name: 'a subsets-only host DestinationRule shadows the mesh-wide one; one repeating its settings does not',
    yaml: `${SHOP}
${dr('istio-system', 'mesh-default', '{ host: "*.local", trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s } } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, subsets: [{ name: v1, labels: { app: reviews } }] }')}
${dr('shop', 'productpage', '{ host: productpage.shop.svc.cluster.local, trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, outlierDetection: { consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 60s } } }')}
`,
    expected: ['warning dr-shadows-mesh-wide-policy DestinationRule/shop/reviews'],
  },
  {
    name: 'a wildcard DestinationRule outside the root namespace is not mesh-wide',
    yaml: `${SHOP}
${dr('shop', 'shop-default', '{ host: "*.shop.svc.cluster.local", trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, subsets: [{ name: v1, labels: { app: reviews } }] }')}
`,
    expected: [],
  },

  // ---------------------------------------------------------------- namespace-deny-blocks-gateway
  {
    name: 'allow-nothing in the namespace of a Helm-installed ingress gateway blocks it',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('istio-ingress', 'allow-nothing', '{}')}
`,
    expected: ['error namespace-deny-blocks-gateway AuthorizationPolicy/istio-ingress/allow-nothing'],
  },
  {
    name: 'allow-nothing next to a gateway ALLOW selecting the gateway pods is fine',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('istio-ingress', 'allow-nothing', '{}')}
${ap('istio-ingress', 'ingress', '{ selector: { matchLabels: { istio: ingress } }, action: ALLOW, rules: [{ to: [{ operation: { ports: ["8080", "8443"] } }] }] }')}
`,
    expected: [],
  },
  {
    name: 'DENY without a peer identity in the gateway namespace blocks it; a DENY on paths does not',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('istio-ingress', 'deny-unauthenticated', '{ action: DENY, rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] }')}
${ap('istio-ingress', 'deny-admin', '{ action: DENY, rules: [{ to: [{ operation: { paths: ["/admin", "/admin/*"] } }] }] }')}
`,
    expected: ['error namespace-deny-blocks-gateway AuthorizationPolicy/istio-ingress/deny-unauthenticated'],
  },
  {
    name: 'allow-nothing in an application namespace (no gateway there) is the zero-trust pattern: clean',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('shop', 'allow-nothing', '{}')}
${ap('shop', 'deny-unauthenticated', '{ action: DENY, rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] }')}
`,
    expected: [],
  },

  // ---------------------------------------------------------------- authz-principal-unknown-serviceaccount
  {
    name: 'principals: unknown SA in an owned namespace is an error; default, wildcards, unowned ns, other trust domain are not',
    yaml: `${SHOP}
${ap('shop', 'reviews', `{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [
      "cluster.local/ns/shop/sa/product-page",
      "cluster.local/ns/shop/sa/default",
      "cluster.local/ns/shop/sa/productpage",
      "cluster.local/ns/payments/sa/checkout",
      "partner.example.org/ns/shop/sa/ghost",
      "cluster.local/ns/shop/sa/*"] } }] }] }`)}
${ap('shop', 'deny-ghost', '{ selector: { matchLabels: { app: productpage } }, action: DENY, rules: [{ from: [{ source: { notPrincipals: ["cluster.local/ns/shop/sa/reviewz"] } }], to: [{ operation: { paths: ["/admin"] } }] }] }')}
`,
    expected: [
      'error authz-principal-unknown-serviceaccount AuthorizationPolicy/shop/deny-ghost',
      'error authz-principal-unknown-serviceaccount AuthorizationPolicy/shop/reviews',
    ],
  },

  // ---------------------------------------------------------------- authz-allow-with-negative-match
  {
    name: 'ALLOW with notPaths / notValues is negative matching; DENY with notPaths and ALLOW with paths are not',
    yaml: `${SHOP}
${ap('shop', 'all-but-admin', '{ selector: { matchLabels: { app: reviews } }, rules: [{ to: [{ operation: { notPaths: ["/admin*"] } }] }] }')}
${ap('shop', 'no-debug-header', '{ selector: { matchLabels: { app: productpage } }, action: ALLOW, rules: [{ when: [{ key: "request.headers[x-debug]", notValues: ["1"] }] }] }')}
${ap('shop', 'deny-non-api', '{ selector: { matchLabels: { app: reviews } }, action: DENY, rules: [{ to: [{ operation: { notPaths: ["/api/*"] } }] }] }')}
${ap('shop', 'api-only', '{ selector: { matchLabels: { app: productpage } }, rules: [{ to: [{ operation: { paths: ["/api/*"], methods: ["GET"] } }] }] }')}
`,
    expected: [
      'warning authz-allow-with-negative-match AuthorizationPolicy/shop/all-but-admin',
      'warning authz-allow-with-negative-match AuthorizationPolicy/shop/no-debug-header',
    ],
  },

  // ---------------------------------------------------------------- requestauthentication-without-authz
  {
    name: 'RequestAuthentication without a policy requiring a JWT warns; with ALLOW requestPrincipals or DENY notRequestPrincipals it does not',
    yaml: `${SHOP}
${ns('api', 'istio-injection: enabled')}
${dep('api', 'gateway-api', 'app: gateway-api')}
${dep('api', 'orders', 'app: orders')}
${ra('shop', 'reviews-jwt', `{ selector: { matchLabels: { app: reviews } }, ${JWT} }`)}
${ra('shop', 'productpage-jwt', `{ selector: { matchLabels: { app: productpage } }, ${JWT} }`)}
${ap('shop', 'productpage-require-jwt', '{ selector: { matchLabels: { app: productpage } }, rules: [{ from: [{ source: { requestPrincipals: ["https://issuer.example.com/*"] } }] }] }')}
${ra('api', 'jwt', `{ ${JWT} }`)}
${ap('api', 'require-jwt', '{ action: DENY, rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }] }')}
`,
    expected: ['warning requestauthentication-without-authz RequestAuthentication/shop/reviews-jwt'],
  },
  {
    name: 'a JWT-requiring policy on other workloads does not cover a RequestAuthentication',
    yaml: `${SHOP}
${ra('shop', 'reviews-jwt', `{ selector: { matchLabels: { app: reviews } }, ${JWT} }`)}
${ap('shop', 'productpage-require-jwt', '{ selector: { matchLabels: { app: productpage } }, rules: [{ when: [{ key: "request.auth.claims[iss]", values: ["https://issuer.example.com"] }] }] }')}
`,
    expected: ['warning requestauthentication-without-authz RequestAuthentication/shop/reviews-jwt'],
  },

  // ---------------------------------------------------------------- sidecars
  {
    name: 'two selector-less Sidecars in one namespace overlap; the root default and a workload Sidecar do not',
    yaml: `${SHOP}
${ns('orders', 'istio-injection: enabled')}
${dep('orders', 'orders', 'app: orders')}
${sidecar('istio-system', 'default', '{ egress: [{ hosts: ["./*", "istio-system/*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }')}
${sidecar('shop', 'default', '{ egress: [{ hosts: ["./*", "istio-system/*"] }] }')}
${sidecar('shop', 'egress-lockdown', '{ egress: [{ hosts: ["./*"] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }')}
${sidecar('orders', 'default', '{ egress: [{ hosts: ["./*", "istio-system/*"] }] }')}
${sidecar('orders', 'orders', '{ workloadSelector: { labels: { app: orders } }, egress: [{ hosts: ["./*", "shop/reviews.shop.svc.cluster.local"] }] }')}
`,
    expected: [
      'error sidecar-overlapping-selectors Sidecar/shop/default',
      'error sidecar-overlapping-selectors Sidecar/shop/egress-lockdown',
    ],
  },
  {
    name: 'Sidecars with different selectors matching the same pod overlap; */* is a wildcard; */host is not',
    yaml: `${SHOP}
${sidecar('shop', 'by-app', '{ workloadSelector: { labels: { app: reviews } }, egress: [{ hosts: ["*/*"] }] }')}
${sidecar('shop', 'by-sa', '{ workloadSelector: { labels: { app: reviews } }, egress: [{ hosts: ["./*", "*/api.stripe.com"] }] }')}
${sidecar('shop', 'productpage', '{ workloadSelector: { labels: { app: productpage } }, egress: [{ hosts: ["./*", "*/api.stripe.com"] }] }')}
`,
    expected: [
      'error sidecar-overlapping-selectors Sidecar/shop/by-app',
      'error sidecar-overlapping-selectors Sidecar/shop/by-sa',
      'warning sidecar-egress-wildcard Sidecar/shop/by-app',
    ],
  },

  // ---------------------------------------------------------------- workload-selector-no-match
  {
    name: 'selectors on Deployment labels or typos match no pod; gateway selectors and workload-less namespaces are skipped',
    yaml: `${SHOP}
${ns('empty', 'istio-injection: enabled')}
${dep('shop', 'details', 'app: details', { meta: '  labels: { app: details-deploy }' })}
${ap('shop', 'details', '{ selector: { matchLabels: { app: details-deploy } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }] }] }')}
${sidecar('shop', 'ratings', '{ workloadSelector: { labels: { app: ratings } }, egress: [{ hosts: ["./*"] }] }')}
${ap('shop', 'ingress-allow', '{ selector: { matchLabels: { istio: ingressgateway } }, rules: [{ to: [{ operation: { ports: ["8080"] } }] }] }')}
${pa('empty', 'api', '{ selector: { matchLabels: { app: api } }, mtls: { mode: STRICT } }')}
${telemetry('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, tracing: [{ randomSamplingPercentage: 5 }] }')}
`,
    expected: [
      'warning workload-selector-no-match AuthorizationPolicy/shop/details',
      'warning workload-selector-no-match Sidecar/shop/ratings',
    ],
  },

  // ---------------------------------------------------------------- ambient
  {
    name: 'ambient namespace: Sidecar, L7 selector policy and selector RequestAuthentication are ineffective; L4 and targetRefs are fine',
    yaml: `${ns('mesh', 'istio.io/dataplane-mode: ambient')}
${dep('mesh', 'api', 'app: api')}
${svc('mesh', 'api', 'app: api', '[{ name: http, port: 80, targetPort: 8080 }]')}
${sidecar('mesh', 'default', '{ egress: [{ hosts: ["./*", "istio-system/*"] }] }')}
${ap('mesh', 'api-get-only', '{ selector: { matchLabels: { app: api } }, rules: [{ to: [{ operation: { methods: ["GET"] } }] }] }')}
${ap('mesh', 'api-l4', '{ selector: { matchLabels: { app: api } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/mesh/sa/default"] } }], to: [{ operation: { ports: ["8080"] } }] }] }')}
${ap('mesh', 'api-waypoint', '{ targetRefs: [{ kind: Service, group: "", name: api }], rules: [{ to: [{ operation: { methods: ["GET"], paths: ["/v1/*"] } }] }] }')}
`,
    expected: [
      'warning ineffective-policy AuthorizationPolicy/mesh/api-get-only',
      'warning ineffective-policy Sidecar/mesh/default',
    ],
  },

  // ---------------------------------------------------------------- port-name-protocol
  {
    name: 'port names: unnamed and misnamed ports warn; appProtocol, prefixed names, UDP, gateway Services do not',
    yaml: `${SHOP}${HELM_INGRESS}
${dep('shop', 'web', 'app: web')}
${dep('shop', 'cache', 'app: cache', { ports: '[{ containerPort: 6379 }]' })}
${dep('shop', 'dns', 'app: dns', { ports: '[{ containerPort: 5353, protocol: UDP }]' })}
${svc('shop', 'web', 'app: web', '[{ name: web, port: 80, targetPort: 8080 }]')}
${svc('shop', 'web-app-protocol', 'app: web', '[{ name: web, port: 80, targetPort: 8080, appProtocol: http }]')}
${svc('shop', 'web-prefixed', 'app: web', '[{ name: http-web, port: 80, targetPort: 8080 }]')}
${svc('shop', 'cache', 'app: cache', '[{ port: 6379 }]')}
${svc('shop', 'cache-named', 'app: cache', '[{ name: redis, port: 6379 }]')}
${svc('shop', 'dns', 'app: dns', '[{ name: dns, port: 53, targetPort: 5353, protocol: UDP }]')}
`,
    expected: [
      'warning port-name-protocol Service/shop/cache',
      'warning port-name-protocol Service/shop/web',
    ],
  },

  // ---------------------------------------------------------------- conflicting-port-protocols / target ports
  {
    name: 'two Services selecting one Deployment with different protocols for one target port',
    yaml: `${SHOP}
${dep('shop', 'api', 'app: api')}
${svc('shop', 'api', 'app: api', '[{ name: http, port: 8080 }]')}
${svc('shop', 'api-raw', 'app: api', '[{ name: tcp, port: 8080 }]')}
`,
    expected: [
      'warning conflicting-port-protocols Deployment/shop/api',
      'warning conflicting-port-protocols Service/shop/api',
      'warning conflicting-port-protocols Service/shop/api-raw',
    ],
  },
  {
    name: 'two Services reaching one target port (named and numbered) from different Service ports',
    yaml: `${SHOP}
${dep('shop', 'api', 'app: api')}
${svc('shop', 'api', 'app: api', '[{ name: http, port: 80, targetPort: 8080 }]')}
${svc('shop', 'api-internal', 'app: api', '[{ name: http, port: 8080, targetPort: http }]')}
`,
    expected: [
      'warning conflicting-service-target-ports Deployment/shop/api',
      'warning conflicting-service-target-ports Service/shop/api',
      'warning conflicting-service-target-ports Service/shop/api-internal',
    ],
  },
  {
    name: 'two Services with the same port, protocol and target port, and Services in a non-mesh namespace: clean',
    yaml: `${SHOP}
${ns('tools')}
${dep('shop', 'api', 'app: api')}
${svc('shop', 'api', 'app: api', '[{ name: http, port: 80, targetPort: 8080 }]')}
${svc('shop', 'api-canonical', 'app: api', '[{ name: http-api, port: 80, targetPort: http }]')}
${dep('tools', 'api', 'app: api')}
${svc('tools', 'api', 'app: api', '[{ name: http, port: 8080 }]')}
${svc('tools', 'api-raw', 'app: api', '[{ name: tcp, port: 9000, targetPort: 8080 }]')}
`,
    expected: [],
  },

  // ---------------------------------------------------------------- injection-label-conflict
  {
    name: 'namespace and pod membership labels: conflicts warn, explicit ambient-without-sidecars does not',
    yaml: `${ns('both', 'istio-injection: enabled, istio.io/rev: prod-stable')}
${ns('off-rev', 'istio-injection: disabled, istio.io/rev: canary')}
${ns('ambient-off', 'istio.io/dataplane-mode: ambient, istio-injection: disabled')}
${ns('canary', 'istio.io/rev: canary')}
${ns('shop', 'istio-injection: enabled')}
${dep('shop', 'confused', 'app: confused', { podExtraLabels: 'istio.io/dataplane-mode: ambient' })}
${dep('shop', 'fine', 'app: fine')}
${dep('ambient-off', 'api', 'app: api')}
`,
    expected: [
      'warning injection-label-conflict Deployment/shop/confused',
      'warning injection-label-conflict Namespace//both',
      'warning injection-label-conflict Namespace//off-rev',
    ],
  },

  // ---------------------------------------------------------------- misplaced-annotation
  {
    name: 'Istio pod annotations on a Service, a Deployment object and a Namespace are misplaced; in the pod template they are not',
    yaml: `${ns('shop', 'istio-injection: enabled')}
${dep('shop', 'batch', 'app: batch', { meta: '  annotations: { sidecar.istio.io/inject: "false" }' })}
${dep('shop', 'web', 'app: web', { podAnnotations: 'sidecar.istio.io/proxyCPU: 200m, proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }"' })}
${svc('shop', 'web', 'app: web', '[{ name: http, port: 80, targetPort: 8080 }]', '  annotations: { sidecar.istio.io/inject: "false", networking.istio.io/exportTo: "." }')}
---
apiVersion: v1
kind: Namespace
metadata:
  name: jobs
  labels: { istio-injection: enabled }
  annotations: { proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }" }
`,
    expected: [
      'warning misplaced-annotation Deployment/shop/batch',
      'warning misplaced-annotation Namespace//jobs',
      'warning misplaced-annotation Service/shop/web',
    ],
  },

  // ---------------------------------------------------------------- application-uid-1337
  {
    name: 'UID 1337: pod-level and container-level warn; overridden, istio-proxy and init containers do not',
    yaml: `${ns('shop', 'istio-injection: enabled')}
${dep('shop', 'pod-level', 'app: pod-level', { podSecurity: 'runAsUser: 1337' })}
${dep('shop', 'container-level', 'app: container-level', { containerSecurity: 'runAsUser: 1337' })}
${dep('shop', 'overridden', 'app: overridden', { podSecurity: 'runAsUser: 1337', containerSecurity: 'runAsUser: 1000' })}
${dep('shop', 'init', 'app: init', {
    initContainers: '      initContainers: [{ name: setup, image: example/setup:1, securityContext: { runAsUser: 1337 } }]',
  })}
${dep('shop', 'manual', 'app: manual', {
    extraContainers: '        - { name: istio-proxy, image: docker.io/istio/proxyv2:1.30.3, securityContext: { runAsUser: 1337 } }',
  })}
`,
    expected: [
      'warning application-uid-1337 Deployment/shop/container-level',
      'warning application-uid-1337 Deployment/shop/pod-level',
    ],
  },

  // ---------------------------------------------------------------- telemetry
  {
    name: 'two namespace-wide Telemetries conflict; a selector or targetRefs override next to a namespace default does not',
    yaml: `${SHOP}
${ns('orders', 'istio-injection: enabled')}
${dep('orders', 'orders', 'app: orders')}
${svc('orders', 'orders', 'app: orders', '[{ name: http, port: 80, targetPort: 8080 }]')}
${telemetry('shop', 'default', '{ tracing: [{ randomSamplingPercentage: 10 }] }')}
${telemetry('shop', 'access-logs', '{ accessLogging: [{ providers: [{ name: envoy }] }] }')}
${telemetry('orders', 'default', '{ accessLogging: [{ providers: [{ name: envoy }] }] }')}
${telemetry('orders', 'orders', '{ selector: { matchLabels: { app: orders } }, tracing: [{ randomSamplingPercentage: 100 }] }')}
${telemetry('orders', 'orders-svc', '{ targetRefs: [{ kind: Service, group: "", name: orders }], metrics: [{ providers: [{ name: prometheus }] }] }')}
`,
    expected: [
      'error conflicting-telemetry Telemetry/shop/access-logs',
      'error conflicting-telemetry Telemetry/shop/default',
    ],
  },
  {
    name: 'two selector Telemetries selecting the same workload conflict',
    yaml: `${SHOP}
${telemetry('shop', 'reviews-a', '{ selector: { matchLabels: { app: reviews } }, tracing: [{ randomSamplingPercentage: 10 }] }')}
${telemetry('shop', 'reviews-b', '{ selector: { matchLabels: { app: reviews } }, accessLogging: [{ providers: [{ name: envoy }] }] }')}
`,
    expected: [
      'error conflicting-telemetry Telemetry/shop/reviews-a',
      'error conflicting-telemetry Telemetry/shop/reviews-b',
    ],
  },
  {
    name: 'providers: accessLogging without providers warns; unknown provider only checked against in-app mesh config',
    yaml: `${SHOP}
${telemetry('shop', 'access-logs', '{ accessLogging: [{ match: { mode: SERVER } }] }')}
${telemetry('istio-system', 'mesh-default', '{ tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 1 }], accessLogging: [{ providers: [{ name: envoy }] }] }')}
${telemetry('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, accessLogging: [{ disabled: true }] }')}
`,
    expected: ['warning telemetry-missing-provider Telemetry/shop/access-logs'],
  },
  {
    name: 'with the istio ConfigMap in the input, an undefined provider name is reported',
    yaml: `${SHOP}
${ns('istio-system')}
---
apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    extensionProviders:
      - name: otel
        opentelemetry: { service: otel-collector.observability.svc.cluster.local, port: 4317 }
${telemetry('istio-system', 'mesh-default', '{ tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 1 }] }')}
${telemetry('shop', 'default', '{ tracing: [{ providers: [{ name: zipkin }] }] }')}
`,
    expected: ['warning telemetry-missing-provider Telemetry/shop/default'],
  },
];

describe('corpus B: expert scenarios for the scoping, security, workload and telemetry rules', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as [string, Scenario]))('%s', (_name, s) => {
    expect(bFindings(s.yaml)).toEqual([...s.expected].sort());
  });
});

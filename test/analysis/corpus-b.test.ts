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
${telemetry('istio-system', 'mesh-default', '{ tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 1 }] }')}
${telemetry('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, accessLogging: [{ disabled: true }] }')}
`,
    expected: ['warning telemetry-missing-provider Telemetry/shop/access-logs'],
  },
  {
    name: 'access-logging entries without providers inherit them from the mesh-wide or namespace-wide Telemetry (a filter override)',
    yaml: `${SHOP}
${ns('orders', 'istio-injection: enabled')}
${dep('orders', 'orders', 'app: orders')}
${telemetry('istio-system', 'mesh-default', '{ accessLogging: [{ providers: [{ name: envoy }] }] }')}
${telemetry('shop', 'errors-only', '{ accessLogging: [{ filter: { expression: "response.code >= 400" } }] }')}
${telemetry('orders', 'default', '{ tracing: [{ randomSamplingPercentage: 1 }] }')}
${telemetry('orders', 'orders', '{ selector: { matchLabels: { app: orders } }, accessLogging: [{ match: { mode: SERVER }, filter: { expression: "response.code >= 500" } }] }')}
`,
    expected: [],
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
  // ---------------------------------------------------------------- round 2: edge cases
  {
    name: 'port-level settings without tls fall back to auto-mTLS (they do not inherit the top-level DISABLE)',
    yaml: `${SHOP}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE }, portLevelSettings: [{ port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 10 } } }] } }')}
`,
    expected: [],
  },
  {
    name: 'a subset policy without tls inherits the top-level DISABLE; MUTUAL and a wildcard DISABLE also drop mTLS',
    yaml: `${SHOP}
${ns('payments', 'istio.io/rev: prod-stable')}
${dep('payments', 'checkout', 'app: checkout')}
${svc('payments', 'checkout', 'app: checkout', '[{ name: grpc, port: 9090, targetPort: 8080 }]')}
${pa('shop', 'default', '{ mtls: { mode: STRICT } }')}
${pa('payments', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'reviews', '{ host: reviews.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } }, subsets: [{ name: v1, labels: { app: reviews }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }] }')}
${dr('shop', 'all-plain', '{ host: "*.payments.svc.cluster.local", trafficPolicy: { tls: { mode: DISABLE } } }')}
${dr('shop', 'productpage', '{ host: productpage.shop.svc.cluster.local, trafficPolicy: { tls: { mode: MUTUAL, clientCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem, caCertificates: /etc/certs/ca.pem } } }')}
`,
    expected: [
      'error dr-drops-mtls DestinationRule/shop/all-plain',
      'error dr-drops-mtls DestinationRule/shop/productpage',
      'error dr-drops-mtls DestinationRule/shop/reviews',
    ],
  },
  {
    name: 'pods opted out of injection are not under STRICT: DISABLE to them is right',
    yaml: `${SHOP}
${dep('shop', 'legacy', 'app: legacy', { podExtraLabels: 'sidecar.istio.io/inject: "false"' })}
${svc('shop', 'legacy', 'app: legacy', '[{ name: http, port: 80, targetPort: 8080 }]')}
${pa('istio-system', 'default', '{ mtls: { mode: STRICT } }')}
${dr('shop', 'legacy', '{ host: legacy.shop.svc.cluster.local, trafficPolicy: { tls: { mode: DISABLE } } }')}
`,
    expected: [],
  },
  {
    name: 'mesh-wide allow-nothing in the root namespace blocks an in-app ingress gateway; an egress gateway is not blocked',
    yaml: `${SHOP}${HELM_INGRESS}
${ns('istio-egress', 'istio-injection: enabled')}
${dep('istio-egress', 'istio-egress', 'app: istio-egress, istio: egressgateway', { podAnnotations: 'inject.istio.io/templates: gateway' })}
${ap('istio-system', 'allow-nothing', '{}')}
${ap('istio-egress', 'allow-nothing', '{}')}
`,
    expected: ['error namespace-deny-blocks-gateway AuthorizationPolicy/istio-system/allow-nothing'],
  },
  {
    name: 'a namespace-wide ALLOW requiring principals blocks the gateway; one on ports or ipBlocks admits external clients',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('istio-ingress', 'mesh-only', '{ rules: [{ from: [{ source: { namespaces: ["shop"] } }] }] }')}
`,
    expected: ['error namespace-deny-blocks-gateway AuthorizationPolicy/istio-ingress/mesh-only'],
  },
  {
    name: 'namespace-wide ALLOW on ports next to the allow-nothing is fine for the gateway',
    yaml: `${SHOP}${HELM_INGRESS}
${ap('istio-ingress', 'allow-nothing', '{}')}
${ap('istio-ingress', 'allow-web', '{ rules: [{ to: [{ operation: { ports: ["8080", "8443"] } }] }] }')}
${ap('istio-ingress', 'deny-bad-ips', '{ action: DENY, rules: [{ from: [{ source: { remoteIpBlocks: ["203.0.113.0/24"] } }] }] }')}
`,
    expected: [],
  },
  {
    name: 'a Gateway API Gateway in an owned namespace is a gateway workload for namespace-wide deny policies',
    yaml: `${SHOP}
${ns('edge', 'istio-injection: enabled')}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: edge }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }]
${ap('edge', 'allow-nothing', '{}')}
`,
    expected: ['error namespace-deny-blocks-gateway AuthorizationPolicy/edge/allow-nothing'],
  },
  {
    name: 'principal conditions and namespaces: source.principal condition with unknown SA is an error',
    yaml: `${SHOP}
${ap('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, rules: [{ when: [{ key: source.principal, values: ["cluster.local/ns/shop/sa/ratings"] }] }] }')}
${ap('shop', 'productpage', '{ selector: { matchLabels: { app: productpage } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/reviews", "cluster.local/ns/istio-ingress/sa/istio-ingress-gateway"] } }] }] }')}
`,
    expected: ['error authz-principal-unknown-serviceaccount AuthorizationPolicy/shop/reviews'],
  },
  {
    name: 'principal of an owned gateway namespace naming a missing ServiceAccount is an error',
    yaml: `${SHOP}${HELM_INGRESS}
${sa('istio-ingress', 'istio-ingress')}
${ap('shop', 'productpage', '{ selector: { matchLabels: { app: productpage } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingress", "cluster.local/ns/istio-ingress/sa/istio-ingressgateway-service-account"] } }] }] }')}
`,
    expected: ['error authz-principal-unknown-serviceaccount AuthorizationPolicy/shop/productpage'],
  },
  {
    name: 'notPrincipals in ALLOW, notHosts, notMethods, notPorts all count as negative matching; AUDIT does not',
    yaml: `${SHOP}
${ap('shop', 'a', '{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { notNamespaces: ["kube-system"] } }] }] }')}
${ap('shop', 'b', '{ selector: { matchLabels: { app: reviews } }, action: ALLOW, rules: [{ to: [{ operation: { notMethods: ["DELETE"] } }] }] }')}
${ap('shop', 'c', '{ selector: { matchLabels: { app: reviews } }, action: AUDIT, rules: [{ to: [{ operation: { notPaths: ["/healthz"] } }] }] }')}
`,
    expected: [
      'warning authz-allow-with-negative-match AuthorizationPolicy/shop/a',
      'warning authz-allow-with-negative-match AuthorizationPolicy/shop/b',
    ],
  },
  {
    name: 'a mesh-wide DENY requiring a JWT covers RequestAuthentications; a policy with only principals does not',
    yaml: `${SHOP}
${ra('shop', 'reviews-jwt', `{ selector: { matchLabels: { app: reviews } }, ${JWT} }`)}
${ap('istio-system', 'require-jwt', '{ action: DENY, rules: [{ from: [{ source: { notRequestPrincipals: ["*"] } }] }] }')}
${ra('shop', 'productpage-jwt', `{ selector: { matchLabels: { app: productpage } }, ${JWT} }`)}
`,
    expected: [],
  },
  {
    name: 'a RequestAuthentication with only a principals ALLOW on its workloads is still optional',
    yaml: `${SHOP}
${ra('shop', 'reviews-jwt', `{ selector: { matchLabels: { app: reviews } }, ${JWT} }`)}
${ap('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: ["cluster.local/ns/shop/sa/productpage"] } }] }] }')}
`,
    expected: ['warning requestauthentication-without-authz RequestAuthentication/shop/reviews-jwt'],
  },
  {
    name: 'Sidecar selectors sharing a label but selecting disjoint pods do not overlap; */* with other hosts still warns',
    yaml: `${ns('shop', 'istio-injection: enabled')}
${dep('shop', 'reviews-v1', 'app: reviews, version: v1')}
${dep('shop', 'reviews-v2', 'app: reviews, version: v2')}
${sidecar('shop', 'v1', '{ workloadSelector: { labels: { app: reviews, version: v1 } }, egress: [{ hosts: ["./*"] }] }')}
${sidecar('shop', 'v2', '{ workloadSelector: { labels: { app: reviews, version: v2 } }, egress: [{ hosts: ["./*", "*/*"] }] }')}
`,
    expected: ['warning sidecar-egress-wildcard Sidecar/shop/v2'],
  },
  {
    name: 'Sidecars with different labels that both select one pod overlap',
    yaml: `${ns('shop', 'istio-injection: enabled')}
${dep('shop', 'reviews-v1', 'app: reviews, version: v1')}
${sidecar('shop', 'by-app', '{ workloadSelector: { labels: { app: reviews } }, egress: [{ hosts: ["./*"] }] }')}
${sidecar('shop', 'by-version', '{ workloadSelector: { labels: { version: v1 } }, egress: [{ hosts: ["./*"] }] }')}
`,
    expected: [
      'error sidecar-overlapping-selectors Sidecar/shop/by-app',
      'error sidecar-overlapping-selectors Sidecar/shop/by-version',
    ],
  },
  {
    name: 'selectors matching StatefulSet, CronJob and bare Pod templates match',
    yaml: `${ns('data', 'istio-injection: enabled')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: data }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: example/db:1 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: data }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: backup } }
        spec: { restartPolicy: OnFailure, containers: [{ name: backup, image: example/backup:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: data, labels: { app: debug } }
spec: { containers: [{ name: debug, image: example/debug:1 }] }
${pa('data', 'db', '{ selector: { matchLabels: { app: db } }, mtls: { mode: STRICT } }')}
${ap('data', 'backup', '{ selector: { matchLabels: { app: backup } }, rules: [{ to: [{ operation: { ports: ["5432"] } }] }] }')}
${telemetry('data', 'debug', '{ selector: { matchLabels: { app: debug } }, tracing: [{ randomSamplingPercentage: 100 }] }')}
`,
    expected: [],
  },
  {
    name: 'ambient: selector RequestAuthentication and Telemetry are ineffective; a pod with an explicit sidecar keeps its Sidecar',
    yaml: `${ns('mesh', 'istio.io/dataplane-mode: ambient')}
${dep('mesh', 'api', 'app: api')}
${dep('mesh', 'legacy', 'app: legacy', { podExtraLabels: 'sidecar.istio.io/inject: "true"' })}
${ra('mesh', 'api-jwt', `{ selector: { matchLabels: { app: api } }, ${JWT} }`)}
${ap('mesh', 'api-require-jwt', '{ targetRefs: [{ kind: Service, group: "", name: api }], rules: [{ from: [{ source: { requestPrincipals: ["*"] } }] }] }')}
${telemetry('mesh', 'api', '{ selector: { matchLabels: { app: api } }, tracing: [{ randomSamplingPercentage: 100 }] }')}
${sidecar('mesh', 'legacy', '{ workloadSelector: { labels: { app: legacy } }, egress: [{ hosts: ["./*"] }] }')}
`,
    expected: [
      'warning ineffective-policy RequestAuthentication/mesh/api-jwt',
      'warning ineffective-policy Telemetry/mesh/api',
      // the JWT-requiring policy targets the Service (waypoint), not the pods the RequestAuthentication selects
      'warning requestauthentication-without-authz RequestAuthentication/mesh/api-jwt',
    ],
  },
  {
    name: 'appProtocol values and port names Istio knows; unknown appProtocol and bare "status" names warn',
    yaml: `${SHOP}
${dep('shop', 'web', 'app: web')}
${svc('shop', 'web', 'app: web', `[
      { name: grpc-web, port: 8081, targetPort: 9081 },
      { name: http2-api, port: 8082, targetPort: 9082 },
      { name: metrics, port: 9090, targetPort: 9090, appProtocol: http },
      { name: h2c, port: 8083, targetPort: 9083, appProtocol: kubernetes.io/h2c },
      { name: mysql, port: 3306 },
      { name: tls-passthrough, port: 8443 }]`)}
${svc('shop', 'web-bad', 'app: web', '[{ name: api, port: 80, targetPort: 9080, appProtocol: rest }]')}
${svc('shop', 'web-status', 'app: web', '[{ name: status, port: 15020 }]')}
`,
    expected: [
      'warning port-name-protocol Service/shop/web-bad',
      'warning port-name-protocol Service/shop/web-status',
    ],
  },
  {
    name: 'conflicting protocols via appProtocol on a named target port; TCP and UDP on one port are fine',
    yaml: `${SHOP}
${dep('shop', 'dns', 'app: dns', { ports: '[{ containerPort: 53, name: dns-udp, protocol: UDP }, { containerPort: 53, name: dns-tcp, protocol: TCP }]' })}
${svc('shop', 'dns', 'app: dns', '[{ name: udp-dns, port: 53, protocol: UDP }, { name: tcp-dns, port: 53, protocol: TCP }]')}
${dep('shop', 'api', 'app: api')}
${svc('shop', 'api', 'app: api', '[{ name: web, port: 8080, targetPort: http, appProtocol: grpc }]')}
${svc('shop', 'api-http', 'app: api', '[{ name: http, port: 8080, targetPort: 8080 }]')}
`,
    expected: [
      'warning conflicting-port-protocols Deployment/shop/api',
      'warning conflicting-port-protocols Service/shop/api',
      'warning conflicting-port-protocols Service/shop/api-http',
    ],
  },
  {
    name: 'injection label conflicts: ambient with istio.io/rev; a gateway pod in an ambient namespace is not a conflict',
    yaml: `${ns('mixed', 'istio.io/dataplane-mode: ambient, istio.io/rev: canary')}
${ns('edge', 'istio.io/dataplane-mode: ambient')}
${dep('edge', 'gw', 'app: gw, istio: ingress', { podAnnotations: 'inject.istio.io/templates: gateway', podExtraLabels: 'sidecar.istio.io/inject: "true"' })}
${ns('none', 'istio.io/dataplane-mode: none')}
`,
    expected: ['warning injection-label-conflict Namespace//mixed'],
  },
  {
    name: 'misplaced annotations on a StatefulSet and a CronJob object; exportTo on a pod template',
    yaml: `${ns('data', 'istio-injection: enabled')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: data, annotations: { proxy.istio.io/config: "{ holdApplicationUntilProxyStarts: true }" } }
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db }, annotations: { networking.istio.io/exportTo: "." } }
    spec: { containers: [{ name: db, image: example/db:1 }] }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: data, annotations: { sidecar.istio.io/inject: "false" } }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: backup }, annotations: { sidecar.istio.io/inject: "false" } }
        spec: { restartPolicy: OnFailure, containers: [{ name: backup, image: example/backup:1 }] }
`,
    expected: [
      'warning misplaced-annotation StatefulSet/data/db',
    ],
  },
  {
    name: 'UID 1337 in a bare Pod and a CronJob; a gateway pod running istio-proxy as 1337 is fine',
    yaml: `${ns('data', 'istio-injection: enabled')}
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: data, labels: { app: debug } }
spec:
  securityContext: { runAsUser: 1337 }
  containers: [{ name: debug, image: example/debug:1 }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: data }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata: { labels: { app: backup } }
        spec: { restartPolicy: OnFailure, containers: [{ name: backup, image: example/backup:1, securityContext: { runAsUser: 1337 } }] }
${dep('data', 'gw', 'app: gw, istio: ingress', { podAnnotations: 'inject.istio.io/templates: gateway', podSecurity: 'runAsUser: 1337' }).replace('name: app\n', 'name: istio-proxy\n')}
`,
    expected: [
      'warning application-uid-1337 CronJob/data/backup',
      'warning application-uid-1337 Pod/data/debug',
    ],
  },
  {
    name: 'a namespace-wide Telemetry in the root namespace and one per namespace are the hierarchy; two root ones conflict',
    yaml: `${SHOP}
${telemetry('istio-system', 'mesh-default', '{ accessLogging: [{ providers: [{ name: envoy }] }] }')}
${telemetry('istio-system', 'mesh-tracing', '{ tracing: [{ randomSamplingPercentage: 1 }] }')}
${telemetry('shop', 'default', '{ tracing: [{ randomSamplingPercentage: 10 }] }')}
`,
    expected: [
      'error conflicting-telemetry Telemetry/istio-system/mesh-default',
      'error conflicting-telemetry Telemetry/istio-system/mesh-tracing',
    ],
  },
  {
    name: 'mesh config from a Sail Istio resource defines the providers the Telemetries use',
    yaml: `${SHOP}
---
apiVersion: sailoperator.io/v1
kind: Istio
metadata: { name: default }
spec:
  namespace: istio-system
  values:
    meshConfig:
      defaultProviders: { accessLogging: [envoy] }
      extensionProviders:
        - name: otel
          opentelemetry: { service: otel-collector.observability.svc.cluster.local, port: 4317 }
${telemetry('istio-system', 'mesh-default', '{ tracing: [{ providers: [{ name: otel }], randomSamplingPercentage: 1 }] }')}
${telemetry('shop', 'default', '{ accessLogging: [{ match: { mode: SERVER } }], tracing: [{ providers: [{ name: otel }] }], metrics: [{ providers: [{ name: prometheus }] }] }')}
${telemetry('shop', 'reviews', '{ selector: { matchLabels: { app: reviews } }, tracing: [{ providers: [{ name: jaeger }] }] }')}
`,
    expected: ['warning telemetry-missing-provider Telemetry/shop/reviews'],
  },
];

describe('corpus B: expert scenarios for the scoping, security, workload and telemetry rules', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as [string, Scenario]))('%s', (_name, s) => {
    expect(bFindings(s.yaml)).toEqual([...s.expected].sort());
  });
});

// A corpus of realistic multi-object configurations, written from the spec (issue 8, §3/§4) before reading the rule
// code, with the exact (rule, object, severity) set expected from the references/routing/gateways/egress rules.
// Findings of the other groups are ignored here.
import { analyze } from './support';
import { RULES_A } from '../../src/analysis/rules/registry-a';

const A = new Set(RULES_A.map((r) => r.id));

function aFindings(yaml: string): string[] {
  return analyze(yaml).filter((f) => A.has(f.rule)).map((f) => `${f.severity} ${f.rule} ${f.object}`).sort();
}

const nsDoc = (name: string, labels = 'istio-injection: enabled') => `
---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { ${labels} } }
`;

const svc = (name: string, namespace: string, ports: string, selector = `app: ${name}`) => `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  selector: { ${selector} }
  ports: ${ports}
`;

const deploy = (name: string, namespace: string, labels: string, port = 9080, annotations = '') => `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { ${labels} } }
  template:
    metadata:
      labels: { ${labels} }${annotations ? `\n      annotations: { ${annotations} }` : ''}
    spec:
      serviceAccountName: default
      containers: [{ name: app, image: "example/${name}:1.0.0", ports: [{ containerPort: ${port}, name: http }] }]
`;

/** Bookinfo in an owned namespace: productpage, details, ratings (v1), reviews v1/v2/v3. */
const BOOKINFO = `${nsDoc('bookinfo')}
${svc('productpage', 'bookinfo', '[{ name: http, port: 9080 }]')}
${deploy('productpage-v1', 'bookinfo', 'app: productpage, version: v1')}
${svc('details', 'bookinfo', '[{ name: http, port: 9080 }]')}
${deploy('details-v1', 'bookinfo', 'app: details, version: v1')}
${svc('ratings', 'bookinfo', '[{ name: http, port: 9080 }]')}
${deploy('ratings-v1', 'bookinfo', 'app: ratings, version: v1')}
${svc('reviews', 'bookinfo', '[{ name: http, port: 9080 }]')}
${deploy('reviews-v1', 'bookinfo', 'app: reviews, version: v1')}
${deploy('reviews-v2', 'bookinfo', 'app: reviews, version: v2')}
${deploy('reviews-v3', 'bookinfo', 'app: reviews, version: v3')}
`;

const REVIEWS_DR = `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: bookinfo }
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
    - { name: v3, labels: { version: v3 } }
`;

/** A Helm-rendered ingress gateway (istio/gateway chart) in an owned namespace. */
const HELM_GATEWAY = `${nsDoc('istio-ingress')}
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: istio-ingressgateway, namespace: istio-ingress }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-ingress, labels: { app: istio-ingressgateway, istio: ingressgateway } }
spec:
  selector: { matchLabels: { app: istio-ingressgateway, istio: ingressgateway } }
  template:
    metadata:
      labels: { app: istio-ingressgateway, istio: ingressgateway, sidecar.istio.io/inject: "true" }
      annotations: { inject.istio.io/templates: gateway }
    spec:
      serviceAccountName: istio-ingressgateway
      containers: [{ name: istio-proxy, image: auto }]
---
apiVersion: v1
kind: Service
metadata: { name: istio-ingressgateway, namespace: istio-ingress, labels: { app: istio-ingressgateway, istio: ingressgateway } }
spec:
  type: LoadBalancer
  selector: { app: istio-ingressgateway, istio: ingressgateway }
  ports:
    - { name: status-port, port: 15021, protocol: TCP, targetPort: 15021 }
    - { name: http2, port: 80, protocol: TCP, targetPort: 80 }
    - { name: https, port: 443, protocol: TCP, targetPort: 443 }
`;

const gw = (name: string, namespace: string, servers: string, selector = 'istio: ingressgateway') => `
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { ${selector} }
  servers: ${servers}
`;

const vs = (name: string, namespace: string, spec: string) => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;

const dr = (name: string, namespace: string, spec: string) => `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;

const se = (name: string, namespace: string, spec: string) => `
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
`;

const HTTP80 = (hosts: string) => `[{ port: { number: 80, name: http, protocol: HTTP }, hosts: ${hosts} }]`;

interface Scenario { readonly name: string; readonly yaml: string; readonly expect: string[] }

const SCENARIOS: Scenario[] = [
  {
    name: '01 bookinfo with its own Gateway, subset routing and a Helm-rendered ingress gateway is clean',
    yaml: BOOKINFO + REVIEWS_DR + HELM_GATEWAY
      + gw('bookinfo-gateway', 'bookinfo', HTTP80('["*"]'))
      + vs('bookinfo', 'bookinfo', `  hosts: ["*"]
  gateways: [bookinfo-gateway]
  http:
    - match: [{ uri: { exact: /productpage } }, { uri: { prefix: /static } }, { uri: { exact: /login } }, { uri: { exact: /logout } }, { uri: { prefix: /api/v1/products } }]
      route: [{ destination: { host: productpage, port: { number: 9080 } } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - match: [{ headers: { end-user: { exact: jason } } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 } }]
    - route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 }, weight: 50 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v3 }, weight: 50 }`),
    // Bookinfo's sample uses the short host `productpage` in the gateway VirtualService
    expect: ['warning short-hostname VirtualService/bookinfo/bookinfo'],
  },
  {
    name: '02 a typo in a destination host in an owned namespace, and a mirror to a missing host',
    yaml: BOOKINFO + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - route: [{ destination: { host: ratigns.bookinfo.svc.cluster.local } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
      mirror: { host: details-shadow.bookinfo.svc.cluster.local }
      mirrorPercentage: { value: 10 }`),
    expect: ['error destination-host-not-found VirtualService/bookinfo/details', 'error destination-host-not-found VirtualService/bookinfo/ratings'],
  },
  {
    name: '03 destinations into namespaces the app does not declare are not checked (host, port, subset)',
    yaml: nsDoc('shop') + vs('checkout', 'shop', `  hosts: [checkout.shop.svc.cluster.local]
  http:
    - route:
        - { destination: { host: payments.payments.svc.cluster.local, port: { number: 8443 }, subset: stable } }`)
      + svc('checkout', 'shop', '[{ name: http, port: 8080 }]') + deploy('checkout', 'shop', 'app: checkout', 8080),
    expect: [],
  },
  {
    name: '04 short destination hosts expand against the VirtualService namespace',
    yaml: BOOKINFO + nsDoc('frontend') + vs('reviews', 'bookinfo', `  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews } }] }]`)
      + vs('reviews-from-frontend', 'frontend', `  hosts: [reviews.bookinfo.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: reviews } }] }]`),
    // bookinfo/reviews is exported everywhere, so both claim reviews.bookinfo for the sidecars of frontend
    expect: [
      'error conflicting-virtualservice-host VirtualService/bookinfo/reviews',
      'error conflicting-virtualservice-host VirtualService/frontend/reviews-from-frontend',
      'error destination-host-not-found VirtualService/frontend/reviews-from-frontend',
      'warning short-hostname VirtualService/bookinfo/reviews',
      'warning short-hostname VirtualService/frontend/reviews-from-frontend',
    ],
  },
  {
    name: '05 multi-port service: port required, target port written instead of service port, named targetPort',
    yaml: nsDoc('shop') + svc('api', 'shop', `
    - { name: http, port: 80, targetPort: http }
    - { name: grpc, port: 9090, targetPort: 9090 }`) + deploy('api', 'shop', 'app: api', 8080)
      + svc('web', 'shop', '[{ name: http-web, port: 80, targetPort: 8080 }]') + deploy('web', 'shop', 'app: web', 8080)
      + vs('api-noport', 'shop', `  hosts: [api.shop.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: api.shop.svc.cluster.local } }] }]`)
      + vs('api-grpc', 'shop', `  hosts: [api-grpc.shop.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: api.shop.svc.cluster.local, port: { number: 9090 } } }] }]`)
      + vs('web', 'shop', `  hosts: [web.shop.svc.cluster.local]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local, port: { number: 8080 } } }] }]`)
      + vs('web-ok', 'shop', `  hosts: [web.example.com]
  gateways: [istio-ingress/public]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local, port: { number: 80 } } }, { destination: { host: api.shop.svc.cluster.local, port: { number: 80 } } }] }]`),
    expect: [
      'error destination-port-not-found VirtualService/shop/web',
      'error destination-port-required VirtualService/shop/api-noport',
      'warning weights-not-100 VirtualService/shop/web-ok',
    ],
  },
  {
    name: '06 subsets split across two DestinationRules of one host are found; a missing one is not',
    yaml: BOOKINFO + dr('reviews-stable', 'bookinfo', `  host: reviews.bookinfo.svc.cluster.local
  subsets: [{ name: v1, labels: { version: v1 } }]`)
      + dr('reviews-canary', 'bookinfo', `  host: reviews.bookinfo.svc.cluster.local
  subsets: [{ name: v2, labels: { version: v2 } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 }, weight: 90 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 }, weight: 10 }`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: ratings.bookinfo.svc.cluster.local, subset: v1 } }] }]`),
    expect: ['error subset-not-defined VirtualService/bookinfo/ratings'],
  },
  {
    name: '07 a subset whose labels match no pod behind the service; a ServiceEntry subset by endpoint labels is fine',
    yaml: BOOKINFO + dr('reviews', 'bookinfo', `  host: reviews.bookinfo.svc.cluster.local
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v4, labels: { version: v4 } }`)
      + dr('ratings', 'bookinfo', `  host: ratings.bookinfo.svc.cluster.local
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v1-details, labels: { app: details } }]`)
      + se('legacy', 'bookinfo', `  hosts: [legacy.example.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: STATIC
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  endpoints: [{ address: 10.0.0.1, labels: { dc: east } }, { address: 10.0.0.2, labels: { dc: west } }]`)
      + dr('legacy', 'bookinfo', `  host: legacy.example.com
  exportTo: ["."]
  subsets: [{ name: east, labels: { dc: east } }, { name: west, labels: { dc: west } }]`),
    expect: ['error subset-selects-no-pods DestinationRule/bookinfo/ratings', 'error subset-selects-no-pods DestinationRule/bookinfo/reviews'],
  },
  {
    name: '08 subsets are not checked against pods where the app defines no workload',
    yaml: nsDoc('shop') + svc('cart', 'shop', '[{ name: http, port: 8080 }]') + dr('cart', 'shop', `  host: cart.shop.svc.cluster.local
  subsets: [{ name: v9, labels: { version: v9 } }]`),
    expect: [],
  },
  {
    name: '09 DestinationRule hosts: missing service, wildcard, unowned namespace, external without ServiceEntry',
    yaml: BOOKINFO + dr('ratings-typo', 'bookinfo', `  host: ratngs.bookinfo.svc.cluster.local
  trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 10 } } }`)
      + dr('all-bookinfo', 'bookinfo', `  host: "*.bookinfo.svc.cluster.local"
  trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST } }`)
      + dr('payments', 'bookinfo', `  host: payments.payments.svc.cluster.local
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }`)
      + dr('github', 'bookinfo', `  host: api.github.com
  trafficPolicy: { tls: { mode: SIMPLE } }`)
      + dr('details', 'bookinfo', `  host: details
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }`),
    expect: [
      'warning destinationrule-host-not-found DestinationRule/bookinfo/github',
      'warning destinationrule-host-not-found DestinationRule/bookinfo/ratings-typo',
      'warning short-hostname DestinationRule/bookinfo/details',
    ],
  },
  {
    name: '10 gateway references: missing in an owned namespace (top-level and per match), platform gateway, mesh',
    yaml: BOOKINFO + nsDoc('istio-ingress') + gw('public', 'istio-ingress', HTTP80('["*/bookinfo.example.com"]'))
      + vs('missing-local', 'bookinfo', `  hosts: [bookinfo.example.com]
  gateways: [bookinfo-gateway]
  http: [{ route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }] }]`)
      + vs('missing-in-ingress', 'bookinfo', `  hosts: [bookinfo.example.com]
  gateways: [istio-ingress/private]
  http: [{ route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }] }]`)
      + vs('per-match', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local, bookinfo.example.com]
  gateways: [mesh, istio-ingress/public]
  http:
    - match: [{ gateways: [istio-ingress/pubic], uri: { prefix: /details } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('platform', 'bookinfo', `  hosts: [shop.example.org]
  gateways: [istio-system/ingressgateway, mesh]
  http: [{ route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }] }]`),
    expect: [
      'error gateway-not-found VirtualService/bookinfo/missing-in-ingress',
      'error gateway-not-found VirtualService/bookinfo/missing-local',
      'error gateway-not-found VirtualService/bookinfo/per-match',
    ],
  },
  {
    name: '11 Gateway ns/host server restrictions: other namespace, ".", "*/" and bare hosts',
    yaml: nsDoc('shop') + nsDoc('istio-ingress') + svc('web', 'shop', '[{ name: http, port: 80 }]')
      + gw('restricted', 'istio-ingress', HTTP80('["web/shop.example.com", "./admin.example.com"]'))
      + gw('open', 'istio-ingress', '[{ port: { number: 8080, name: http-alt, protocol: HTTP }, hosts: ["*/*.example.com", "blog.example.org"] }]')
      + gw('local', 'shop', HTTP80('["./local.example.com"]'))
      + vs('shop', 'shop', `  hosts: [shop.example.com]
  gateways: [istio-ingress/restricted]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`)
      + vs('admin', 'shop', `  hosts: [admin.example.com]
  gateways: [istio-ingress/restricted]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`)
      + vs('wild', 'shop', `  hosts: [www.example.com]
  gateways: [istio-ingress/open]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`)
      + vs('blog', 'shop', `  hosts: [blog.example.org]
  gateways: [istio-ingress/open]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`)
      + vs('local', 'shop', `  hosts: [local.example.com]
  gateways: [local]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`),
    expect: [
      'warning virtualservice-host-not-in-gateway VirtualService/shop/admin',
      'warning virtualservice-host-not-in-gateway VirtualService/shop/shop',
    ],
  },
  {
    name: '12 two mesh VirtualServices for one host (short and FQDN, mesh implied and explicit) conflict',
    yaml: BOOKINFO + REVIEWS_DR + vs('reviews', 'bookinfo', `  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }] }]`)
      + vs('reviews-canary', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  gateways: [mesh]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 } }] }]`),
    expect: [
      'error conflicting-virtualservice-host VirtualService/bookinfo/reviews',
      'error conflicting-virtualservice-host VirtualService/bookinfo/reviews-canary',
      'warning short-hostname VirtualService/bookinfo/reviews',
    ],
  },
  {
    name: '13 gateway-only fragments of one host, disjoint exportTo, same short host in two namespaces: no conflict',
    yaml: BOOKINFO + HELM_GATEWAY + nsDoc('frontend') + svc('reviews', 'frontend', '[{ name: http, port: 9080 }]')
      + deploy('reviews', 'frontend', 'app: reviews')
      + gw('public', 'istio-ingress', HTTP80('["*/bookinfo.example.com"]'))
      + vs('ui', 'bookinfo', `  hosts: [bookinfo.example.com]
  gateways: [istio-ingress/public]
  http: [{ match: [{ uri: { prefix: /ui } }], route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }] }]`)
      + vs('api', 'frontend', `  hosts: [bookinfo.example.com]
  gateways: [istio-ingress/public]
  http: [{ match: [{ uri: { prefix: /api } }], route: [{ destination: { host: reviews.frontend.svc.cluster.local } }] }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }], timeout: 2s }]`)
      + vs('details-for-frontend', 'frontend', `  hosts: [details.bookinfo.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }], timeout: 5s }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  exportTo: [bookinfo]
  http: [{ route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }] }]`)
      + vs('ratings-frontend', 'frontend', `  hosts: [ratings.bookinfo.svc.cluster.local]
  exportTo: [frontend]
  http: [{ route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }] }]`)
      + vs('reviews', 'frontend', `  hosts: [reviews.frontend.svc.cluster.local]
  http: [{ route: [{ destination: { host: reviews.frontend.svc.cluster.local } }] }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }] }]`),
    expect: [],
  },
  {
    name: '14 overlapping exportTo ("*" in another namespace, a list naming the owner) conflicts on both',
    yaml: BOOKINFO + nsDoc('frontend') + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }] }]`)
      + vs('details-override', 'frontend', `  hosts: [details.bookinfo.svc.cluster.local]
  exportTo: [frontend, bookinfo]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }] }]`),
    expect: [
      'error conflicting-virtualservice-host VirtualService/bookinfo/details',
      'error conflicting-virtualservice-host VirtualService/frontend/details-override',
    ],
  },
  {
    name: '15 a delegate VirtualService (no hosts, no gateways) under a gateway root is clean',
    yaml: BOOKINFO + REVIEWS_DR + HELM_GATEWAY + gw('public', 'istio-ingress', HTTP80('["bookinfo/bookinfo.example.com"]'))
      + vs('root', 'bookinfo', `  hosts: [bookinfo.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ uri: { prefix: /reviews } }]
      delegate: { name: reviews-delegate, namespace: bookinfo }
    - route: [{ destination: { host: productpage.bookinfo.svc.cluster.local, port: { number: 9080 } } }]`)
      + vs('reviews-delegate', 'bookinfo', `  http:
    - route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }]`),
    expect: [],
  },
  {
    name: '16 route order: catch-all first, broader prefix first, OR-ed matches; the reverse order is fine',
    yaml: BOOKINFO + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - name: all
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]
    - name: login
      match: [{ uri: { exact: /login } }]
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /api } }, { uri: { prefix: /static } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /static/img } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /api/v2 } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { exact: /api } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /api }, headers: { x-beta: { exact: "1" } } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]`),
    expect: ['warning unreachable-route-rule VirtualService/bookinfo/details', 'warning unreachable-route-rule VirtualService/bookinfo/productpage'],
  },
  {
    name: '17 ingress VirtualService bypassing the mesh canary split; with subsets or bound to both it is fine',
    yaml: BOOKINFO + REVIEWS_DR + HELM_GATEWAY + gw('public', 'istio-ingress', HTTP80('["*/reviews.example.com", "*/reviews2.example.com"]'))
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 }, weight: 90 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 }, weight: 10 }`)
      + vs('reviews-ingress', 'bookinfo', `  hosts: [reviews.example.com]
  gateways: [istio-ingress/public]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }] }]`)
      + vs('reviews-ingress-pinned', 'bookinfo', `  hosts: [reviews2.example.com]
  gateways: [istio-ingress/public]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }] }]`)
      + vs('ratings-ingress', 'bookinfo', `  hosts: [reviews2.example.com]
  gateways: [istio-ingress/public]
  http: [{ match: [{ uri: { prefix: /ratings } }], route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }] }]`),
    expect: ['warning ingress-route-ignores-subset VirtualService/bookinfo/reviews-ingress'],
  },
  {
    name: '18 weights: 90/20, a lone 50, a TCP 70/20; 80/20, 0/100 and an omitted lone weight are fine',
    yaml: BOOKINFO + REVIEWS_DR + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 }, weight: 90 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 }, weight: 20 }`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: ratings.bookinfo.svc.cluster.local }, weight: 50 }] }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  tcp:
    - route:
        - { destination: { host: details.bookinfo.svc.cluster.local }, weight: 70 }
        - { destination: { host: productpage.bookinfo.svc.cluster.local }, weight: 20 }`)
      + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /a } }]
      route:
        - { destination: { host: productpage.bookinfo.svc.cluster.local }, weight: 80 }
        - { destination: { host: details.bookinfo.svc.cluster.local }, weight: 20 }
    - match: [{ uri: { prefix: /b } }]
      route:
        - { destination: { host: productpage.bookinfo.svc.cluster.local }, weight: 0 }
        - { destination: { host: details.bookinfo.svc.cluster.local }, weight: 100 }
    - route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`),
    expect: [
      'warning weights-not-100 VirtualService/bookinfo/details',
      'warning weights-not-100 VirtualService/bookinfo/ratings',
      'warning weights-not-100 VirtualService/bookinfo/reviews',
    ],
  },
  {
    name: '19 regexes expressible as exact/prefix (uri, header, escaped dot) vs real regexes',
    yaml: BOOKINFO + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "/api/.*" } }]
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - match: [{ headers: { x-env: { regex: "canary" } } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "^/api/v[0-9]+/ratings/.*" } }, { headers: { user-agent: { regex: ".*(Android|iPhone).*" } } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "/v1\\\\.0/reviews" } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]`),
    expect: [
      'warning regex-match VirtualService/bookinfo/details',
      'warning regex-match VirtualService/bookinfo/productpage',
      'warning regex-match VirtualService/bookinfo/reviews',
    ],
  },
  {
    name: '20 retries: attempts without perTryTimeout; attempts 0, with perTryTimeout, or no retries are fine',
    yaml: BOOKINFO + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - retries: { attempts: 3, retryOn: "5xx,connect-failure" }
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - retries: { attempts: 0 }
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - timeout: 6s
      retries: { attempts: 2, perTryTimeout: 2s }
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http: [{ timeout: 3s, route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }] }]`),
    expect: ['warning retries-without-per-try-timeout VirtualService/bookinfo/productpage'],
  },
  {
    name: '21 exportTo leaks: another namespace service exported everywhere (default, "*"); "." and own names are fine',
    yaml: BOOKINFO + nsDoc('frontend') + vs('details-timeout', 'frontend', `  hosts: [details.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }], timeout: 3s }]`)
      + vs('payments', 'frontend', `  hosts: [payments.payments.svc.cluster.local]
  exportTo: ["*"]
  http: [{ route: [{ destination: { host: payments.payments.svc.cluster.local } }], timeout: 3s }]`)
      + vs('ratings', 'frontend', `  hosts: [ratings.bookinfo.svc.cluster.local]
  exportTo: ["."]
  http: [{ route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }], timeout: 3s }]`)
      + vs('reviews', 'frontend', `  hosts: [reviews.bookinfo.svc.cluster.local]
  exportTo: [frontend]
  http: [{ route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }], timeout: 3s }]`)
      + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }], timeout: 3s }]`),
    expect: ['warning exportto-leak VirtualService/frontend/details-timeout', 'warning exportto-leak VirtualService/frontend/payments'],
  },
  {
    name: '22 JWT claim routing at a gateway without / with a RequestAuthentication on the gateway workload',
    yaml: nsDoc('shop') + svc('web', 'shop', '[{ name: http, port: 80 }]') + deploy('web', 'shop', 'app: web', 80)
      + HELM_GATEWAY + gw('public', 'istio-ingress', HTTP80('["*/shop.example.com", "*/beta.example.com"]'))
      + vs('shop', 'shop', `  hosts: [shop.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ headers: { "@request.auth.claims.group": { exact: beta } } }]
      route: [{ destination: { host: web.shop.svc.cluster.local } }]
    - route: [{ destination: { host: web.shop.svc.cluster.local } }]`)
      + `
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: other, namespace: istio-ingress }
spec:
  selector: { matchLabels: { istio: egressgateway } }
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
`,
    expect: ['error jwt-claim-routing-without-requestauthentication VirtualService/shop/shop'],
  },
  {
    name: '23 JWT claim routing with a RequestAuthentication in the root namespace, or at a platform gateway, is fine',
    yaml: nsDoc('shop') + svc('web', 'shop', '[{ name: http, port: 80 }]') + deploy('web', 'shop', 'app: web', 80)
      + HELM_GATEWAY + gw('public', 'istio-ingress', HTTP80('["*/shop.example.com"]'))
      + vs('shop', 'shop', `  hosts: [shop.example.com]
  gateways: [istio-ingress/public, istio-system/platform]
  http:
    - match: [{ headers: { "@request.auth.claims.group": { exact: beta } } }]
      route: [{ destination: { host: web.shop.svc.cluster.local } }]
    - route: [{ destination: { host: web.shop.svc.cluster.local } }]`)
      + `
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: mesh-jwt, namespace: istio-system }
spec:
  jwtRules: [{ issuer: "https://issuer.example.com", jwksUri: "https://issuer.example.com/jwks" }]
`,
    expect: [],
  },
  {
    name: '24 deprecated fields in DestinationRules and VirtualServices',
    yaml: BOOKINFO + dr('reviews', 'bookinfo', `  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy: { outlierDetection: { consecutiveErrors: 5, interval: 10s, baseEjectionTime: 30s } }`)
      + dr('ratings', 'bookinfo', `  host: ratings.bookinfo.svc.cluster.local
  trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: 10s } }`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
      mirror: { host: ratings.bookinfo.svc.cluster.local }
      mirrorPercent: 5`)
      + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]
      corsPolicy: { allowOrigins: [{ exact: "https://example.com" }] }`),
    expect: ['warning deprecated-field DestinationRule/bookinfo/reviews', 'warning deprecated-field VirtualService/bookinfo/details'],
  },
  {
    name: '25 Gateways on one workload: overlapping host on one port conflicts; a shared certificate warns',
    yaml: HELM_GATEWAY
      + gw('shop', 'istio-ingress', '[{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["*/shop.example.com"], tls: { mode: SIMPLE, credentialName: shop-cert } }]')
      + gw('wildcard', 'istio-ingress', '[{ port: { number: 443, name: https-all, protocol: HTTPS }, hosts: ["*/*.example.com"], tls: { mode: SIMPLE, credentialName: wildcard-cert } }]')
      + gw('blog', 'istio-ingress', '[{ port: { number: 443, name: https-blog, protocol: HTTPS }, hosts: ["blog.example.org"], tls: { mode: SIMPLE, credentialName: org-cert } }]')
      + gw('docs', 'istio-ingress', '[{ port: { number: 443, name: https-docs, protocol: HTTPS }, hosts: ["docs.example.org"], tls: { mode: SIMPLE, credentialName: org-cert } }]')
      + gw('shop-http', 'istio-ingress', '[{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["shop.example.com"], tls: { httpsRedirect: true } }]'),
    expect: [
      'error conflicting-gateways Gateway/istio-ingress/shop',
      'error conflicting-gateways Gateway/istio-ingress/wildcard',
      'warning gateway-duplicate-certificate Gateway/istio-ingress/blog',
      'warning gateway-duplicate-certificate Gateway/istio-ingress/docs',
    ],
  },
  {
    name: '26 Gateways on different workloads with the same host/port and certificate do not conflict',
    yaml: HELM_GATEWAY + `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: internal-gateway, namespace: istio-ingress }
spec:
  selector: { matchLabels: { istio: internal-gateway } }
  template:
    metadata: { labels: { istio: internal-gateway }, annotations: { inject.istio.io/templates: gateway } }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
---
apiVersion: v1
kind: Service
metadata: { name: internal-gateway, namespace: istio-ingress }
spec: { selector: { istio: internal-gateway }, ports: [{ name: https, port: 443, targetPort: 8443 }] }
`
      + gw('public', 'istio-ingress', '[{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["shop.example.com"], tls: { mode: SIMPLE, credentialName: shop-cert } }]')
      + gw('internal', 'istio-ingress', '[{ port: { number: 8443, name: https, protocol: HTTPS }, hosts: ["shop.example.com"], tls: { mode: SIMPLE, credentialName: shop-cert } }]', 'istio: internal-gateway'),
    expect: [],
  },
  {
    name: '27 Gateway ports vs the gateway Service: port, targetPort, missing; no Service in the app',
    yaml: HELM_GATEWAY + gw('public', 'istio-ingress', `
    - { port: { number: 80, name: http, protocol: HTTP }, hosts: ["*/a.example.com"] }
    - { port: { number: 8080, name: http-alt, protocol: HTTP }, hosts: ["*/b.example.com"] }`)
      + nsDoc('edge') + `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: edge-gateway, namespace: edge }
spec:
  selector: { matchLabels: { istio: edge } }
  template:
    metadata: { labels: { istio: edge }, annotations: { inject.istio.io/templates: gateway } }
    spec: { containers: [{ name: istio-proxy, image: auto }] }
`
      + gw('edge', 'edge', '[{ port: { number: 9443, name: tls, protocol: TLS }, hosts: ["*/c.example.com"], tls: { mode: PASSTHROUGH } }]', 'istio: edge'),
    expect: ['warning gateway-port-not-in-service Gateway/istio-ingress/public'],
  },
  {
    name: '28 ServiceEntries for one external host: overlapping exports warn on both; "." / "~" exports are fine',
    yaml: nsDoc('shop') + nsDoc('billing') + nsDoc('egress')
      + se('stripe', 'shop', `  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('stripe', 'billing', `  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]`)
      + se('github', 'shop', `  hosts: [api.github.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('github', 'billing', `  hosts: [api.github.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('github-hidden', 'egress', `  hosts: [api.github.com]
  exportTo: ["~"]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`),
    expect: ['warning conflicting-serviceentry-host ServiceEntry/billing/stripe', 'warning conflicting-serviceentry-host ServiceEntry/shop/stripe'],
  },
  {
    name: '29 a ServiceEntry re-declaring an in-app Service host warns on both',
    yaml: BOOKINFO + se('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: DNS
  ports: [{ number: 9080, name: http, protocol: HTTP }]`),
    expect: ['warning conflicting-serviceentry-host ServiceEntry/bookinfo/ratings', 'warning conflicting-serviceentry-host Service/bookinfo/ratings'],
  },
  {
    name: '30 resolution NONE without addresses warns (omitted resolution too); with CIDR addresses it is fine',
    yaml: nsDoc('shop') + se('wikipedia', 'shop', `  hosts: ["*.wikipedia.org"]
  location: MESH_EXTERNAL
  resolution: NONE
  ports: [{ number: 443, name: tls, protocol: TLS }]`)
      + se('db', 'shop', `  hosts: [db.example.com]
  location: MESH_EXTERNAL
  ports: [{ number: 5432, name: tcp-postgres, protocol: TCP }]`)
      + se('corp-net', 'shop', `  hosts: [corp.internal]
  addresses: [10.10.0.0/16]
  location: MESH_EXTERNAL
  resolution: NONE
  ports: [{ number: 5432, name: tcp-postgres, protocol: TCP }]`),
    expect: [
      'warning serviceentry-resolution-none-without-addresses ServiceEntry/shop/db',
      'warning serviceentry-resolution-none-without-addresses ServiceEntry/shop/wikipedia',
    ],
  },
  {
    name: '31 DNS/STATIC ServiceEntries: TCP or protocol-less ports without addresses warn; TLS/HTTPS or addresses fine',
    yaml: nsDoc('shop') + se('redis', 'shop', `  hosts: [redis.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 6379, name: tcp-redis, protocol: TCP }]`)
      + se('legacy', 'shop', `  hosts: [legacy.example.com]
  location: MESH_EXTERNAL
  resolution: STATIC
  endpoints: [{ address: 192.0.2.10 }]
  ports: [{ number: 7000, name: legacy }]`)
      + se('mysql', 'shop', `  hosts: [mysql.example.com]
  addresses: [192.0.2.20]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 3306, name: tcp-mysql, protocol: TCP }]`)
      + se('apis', 'shop', `  hosts: [api.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }, { number: 80, name: http, protocol: HTTP }]`),
    expect: [
      'warning serviceentry-tcp-without-addresses ServiceEntry/shop/legacy',
      'warning serviceentry-tcp-without-addresses ServiceEntry/shop/redis',
    ],
  },
  {
    name: '32 ExternalName Services: unnamed/TCP/no ports warn, HTTPS-named fine; they are valid destinations',
    yaml: nsDoc('shop') + `
---
apiVersion: v1
kind: Service
metadata: { name: legacy-db, namespace: shop }
spec: { type: ExternalName, externalName: db.example.com, ports: [{ port: 5432 }] }
---
apiVersion: v1
kind: Service
metadata: { name: queue, namespace: shop }
spec: { type: ExternalName, externalName: mq.example.com, ports: [{ name: tcp-amqp, port: 5672 }] }
---
apiVersion: v1
kind: Service
metadata: { name: search, namespace: shop }
spec: { type: ExternalName, externalName: search.example.com }
---
apiVersion: v1
kind: Service
metadata: { name: payments-api, namespace: shop }
spec: { type: ExternalName, externalName: payments.example.com, ports: [{ name: https, port: 443 }] }
` + vs('payments-api', 'shop', `  hosts: [payments-api.shop.svc.cluster.local]
  http: [{ timeout: 5s, route: [{ destination: { host: payments-api.shop.svc.cluster.local } }] }]`),
    expect: [
      'warning externalname-service Service/shop/legacy-db',
      'warning externalname-service Service/shop/queue',
      'warning externalname-service Service/shop/search',
    ],
  },
  {
    name: '33 external destinations: ServiceEntry (wildcard), not exported, missing, ports on a ServiceEntry',
    yaml: nsDoc('shop') + nsDoc('egress') + svc('web', 'shop', '[{ name: http, port: 80 }]')
      + se('googleapis', 'shop', `  hosts: ["*.googleapis.com"]
  location: MESH_EXTERNAL
  resolution: DYNAMIC_DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('httpbin', 'egress', `  hosts: [httpbin.org]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 80, name: http, protocol: HTTP }, { number: 443, name: https, protocol: HTTPS }]`)
      + se('stripe', 'shop', `  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 80, name: http, protocol: HTTP }, { number: 443, name: https, protocol: HTTPS }]`)
      + vs('storage', 'shop', `  hosts: [storage.googleapis.com]
  http: [{ timeout: 10s, route: [{ destination: { host: storage.googleapis.com, port: { number: 443 } } }] }]`)
      + vs('httpbin', 'shop', `  hosts: [httpbin.org]
  exportTo: ["."]
  http: [{ timeout: 10s, route: [{ destination: { host: httpbin.org, port: { number: 80 } } }] }]`)
      + vs('example', 'shop', `  hosts: [www.example.net]
  exportTo: ["."]
  http: [{ timeout: 10s, route: [{ destination: { host: www.example.net } }] }]`)
      + vs('stripe', 'shop', `  hosts: [api.stripe.com]
  http:
    - match: [{ port: 80 }]
      route: [{ destination: { host: api.stripe.com } }]
    - route: [{ destination: { host: api.stripe.com, port: { number: 8443 } } }]`),
    expect: [
      'error destination-host-not-found VirtualService/shop/example',
      'error destination-host-not-found VirtualService/shop/httpbin',
      'error destination-port-not-found VirtualService/shop/stripe',
      'error destination-port-required VirtualService/shop/stripe',
    ],
  },
  {
    name: '34 a VirtualService with one admitted and one unadmitted gateway host; "shop/*" and "*" servers',
    yaml: nsDoc('shop') + nsDoc('istio-ingress') + svc('web', 'shop', '[{ name: http, port: 80 }]')
      + gw('public', 'istio-ingress', HTTP80('["*/shop.example.com"]'))
      + gw('team', 'istio-ingress', '[{ port: { number: 8080, name: http-team, protocol: HTTP }, hosts: ["shop/*"] }]')
      + gw('any', 'istio-ingress', '[{ port: { number: 8081, name: http-any, protocol: HTTP }, hosts: ["*"] }]')
      + vs('partial', 'shop', `  hosts: [shop.example.com, shop.example.net]
  gateways: [istio-ingress/public]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`)
      + vs('team', 'shop', `  hosts: [anything.example.io]
  gateways: [istio-ingress/team, istio-ingress/any]
  http: [{ route: [{ destination: { host: web.shop.svc.cluster.local } }] }]`),
    // shop.example.net is bound only to istio-ingress/public, which does not admit it: its routes are never served.
    // (istioctl's IST0132 only fires when no host is admitted; the analyzer also reports the dead host of a
    // gateway-only VirtualService, which is what IST0132's documentation asks for: every host in the gateway.)
    expect: ['warning virtualservice-host-not-in-gateway VirtualService/shop/partial'],
  },
  {
    name: '35 a dotted but not fully-qualified host is looked up literally; a Service without selector is a host',
    yaml: BOOKINFO + `
---
apiVersion: v1
kind: Service
metadata: { name: mainframe, namespace: bookinfo }
spec: { ports: [{ name: tcp-mf, port: 3270 }] }
` + dr('mainframe', 'bookinfo', `  host: mainframe.bookinfo.svc.cluster.local
  subsets: [{ name: a, labels: { site: a } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http: [{ route: [{ destination: { host: reviews.bookinfo } }] }]`)
      + vs('mainframe', 'bookinfo', `  hosts: [mainframe.bookinfo.svc.cluster.local]
  tcp: [{ route: [{ destination: { host: mainframe.bookinfo.svc.cluster.local, subset: a } }] }]`),
    expect: ['error destination-host-not-found VirtualService/bookinfo/reviews'],
  },
  {
    name: '36 subsets: a client-side DestinationRule in another namespace, a root-namespace one, a private one',
    yaml: BOOKINFO + nsDoc('frontend') + nsDoc('istio-system', 'name: istio-system')
      + dr('reviews-client', 'frontend', `  host: reviews.bookinfo.svc.cluster.local
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v5, labels: { version: v5 } }]`)
      + dr('details-mesh', 'istio-system', `  host: details.bookinfo.svc.cluster.local
  subsets: [{ name: v1, labels: { version: v1 } }]`)
      + dr('ratings-private', 'bookinfo', `  host: ratings.bookinfo.svc.cluster.local
  exportTo: ["."]
  subsets: [{ name: v1, labels: { version: v1 } }]`)
      + vs('frontend-routes', 'frontend', `  hosts: [frontend.example.internal]
  gateways: [mesh]
  exportTo: ["."]
  http:
    - match: [{ uri: { prefix: /reviews } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }]
    - match: [{ uri: { prefix: /details } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local, subset: v1 } }]
    - route: [{ destination: { host: ratings.bookinfo.svc.cluster.local, subset: v1 } }]`)
      + se('frontend-internal', 'frontend', `  hosts: [frontend.example.internal]
  exportTo: ["."]
  location: MESH_INTERNAL
  resolution: DNS
  ports: [{ number: 80, name: http, protocol: HTTP }]`),
    expect: [
      'error subset-not-defined VirtualService/frontend/frontend-routes',
      'error subset-selects-no-pods DestinationRule/frontend/reviews-client',
    ],
  },
  {
    name: '37 route order: "/" prefix and an empty match first, a header-only rule before a header+uri rule',
    yaml: BOOKINFO + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: / } }]
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - match: [{ headers: { x-beta: { exact: "1" } } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
    - match: [{ headers: { x-beta: { exact: "1" } }, uri: { prefix: /v2 } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /api }, ignoreUriCase: true }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /API/v2 } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]`)
      + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /API } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /a }, method: { exact: POST } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]
    - match: [{ uri: { prefix: /ab } }]
      route: [{ destination: { host: reviews.bookinfo.svc.cluster.local } }]`),
    expect: [
      'warning unreachable-route-rule VirtualService/bookinfo/details',
      'warning unreachable-route-rule VirtualService/bookinfo/productpage',
      'warning unreachable-route-rule VirtualService/bookinfo/ratings',
    ],
  },
  {
    name: '38 weights 33/33/33, regexes anchored literal and literal+".*", ".+" needs a regex',
    yaml: BOOKINFO + REVIEWS_DR + vs('reviews', 'bookinfo', `  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "^/reviews$" } }]
      route:
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 }, weight: 33 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v2 }, weight: 33 }
        - { destination: { host: reviews.bookinfo.svc.cluster.local, subset: v3 }, weight: 33 }
    - route: [{ destination: { host: reviews.bookinfo.svc.cluster.local, subset: v1 } }]`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "/details.*" } }]
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('ratings', 'bookinfo', `  hosts: [ratings.bookinfo.svc.cluster.local]
  http:
    - match: [{ uri: { regex: "/ratings/.+" } }]
      route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]
    - route: [{ destination: { host: ratings.bookinfo.svc.cluster.local } }]`),
    expect: [
      'warning regex-match VirtualService/bookinfo/details',
      'warning regex-match VirtualService/bookinfo/reviews',
      'warning weights-not-100 VirtualService/bookinfo/reviews',
    ],
  },
  {
    name: '39 deprecated fields in subsets, port-level settings, consistent hash, fault and CORS',
    yaml: BOOKINFO + dr('reviews', 'bookinfo', `  host: reviews.bookinfo.svc.cluster.local
  subsets:
    - name: v1
      labels: { version: v1 }
      trafficPolicy: { outlierDetection: { consecutiveErrors: 3 } }`)
      + dr('ratings', 'bookinfo', `  host: ratings.bookinfo.svc.cluster.local
  trafficPolicy:
    portLevelSettings:
      - port: { number: 9080 }
        loadBalancer: { consistentHash: { httpHeaderName: x-user, minimumRingSize: 1024 } }`)
      + vs('details', 'bookinfo', `  hosts: [details.bookinfo.svc.cluster.local]
  http:
    - fault: { delay: { percent: 10, fixedDelay: 5s } }
      route: [{ destination: { host: details.bookinfo.svc.cluster.local } }]`)
      + vs('productpage', 'bookinfo', `  hosts: [productpage.bookinfo.svc.cluster.local]
  http:
    - corsPolicy: { allowOrigin: ["https://example.com"] }
      route: [{ destination: { host: productpage.bookinfo.svc.cluster.local } }]`)
      + `
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: bookinfo }
spec:
  egress: [{ hosts: ["./*", "istio-system/*"] }]
  outboundTrafficPolicy:
    mode: ALLOW_ANY
    egressProxy: { host: egress.istio-system.svc.cluster.local, port: { number: 443 } }
`,
    expect: [
      'warning deprecated-field DestinationRule/bookinfo/ratings',
      'warning deprecated-field DestinationRule/bookinfo/reviews',
      'warning deprecated-field Sidecar/bookinfo/default',
      'warning deprecated-field VirtualService/bookinfo/details',
      'warning deprecated-field VirtualService/bookinfo/productpage',
    ],
  },
  {
    name: '40 Gateways in two namespaces on one workload: same host/port conflicts, file certificates duplicate',
    yaml: HELM_GATEWAY + nsDoc('shop')
      + gw('shop', 'shop', '[{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["shop.example.com"], tls: { mode: SIMPLE, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key } }]')
      + gw('shop-legacy', 'istio-ingress', '[{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["shop/shop.example.com"], tls: { mode: SIMPLE, credentialName: legacy-cert } }]')
      + gw('blog', 'istio-ingress', '[{ port: { number: 443, name: https-blog, protocol: HTTPS }, hosts: ["blog.example.com"], tls: { mode: SIMPLE, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key } }]'),
    expect: [
      'error conflicting-gateways Gateway/istio-ingress/shop-legacy',
      'error conflicting-gateways Gateway/shop/shop',
      'warning gateway-duplicate-certificate Gateway/istio-ingress/blog',
      'warning gateway-duplicate-certificate Gateway/shop/shop',
    ],
  },
  {
    name: '41 ServiceEntries: same namespace same port warns, different ports fine, "." vs own-namespace list overlap',
    yaml: nsDoc('shop') + nsDoc('billing')
      + se('s3-a', 'shop', `  hosts: [s3.amazonaws.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('s3-b', 'shop', `  hosts: [s3.amazonaws.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]`)
      + se('gh-https', 'shop', `  hosts: [github.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('gh-http', 'shop', `  hosts: [github.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 80, name: http, protocol: HTTP }]`)
      + se('pypi', 'shop', `  hosts: [pypi.org]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + se('pypi', 'billing', `  hosts: [pypi.org]
  exportTo: [billing, shop]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`),
    expect: [
      'warning conflicting-serviceentry-host ServiceEntry/billing/pypi',
      'warning conflicting-serviceentry-host ServiceEntry/shop/pypi',
      'warning conflicting-serviceentry-host ServiceEntry/shop/s3-a',
      'warning conflicting-serviceentry-host ServiceEntry/shop/s3-b',
    ],
  },
  {
    name: '42 exportto-leak on a VirtualService bound to mesh and a gateway; an external host is not a leak',
    yaml: BOOKINFO + nsDoc('frontend') + nsDoc('istio-ingress') + gw('public', 'istio-ingress', HTTP80('["*/*"]'))
      + se('stripe', 'frontend', `  hosts: [api.stripe.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`)
      + vs('details', 'frontend', `  hosts: [details.bookinfo.svc.cluster.local, details.example.com]
  gateways: [mesh, istio-ingress/public]
  http: [{ route: [{ destination: { host: details.bookinfo.svc.cluster.local } }], timeout: 3s }]`)
      + vs('stripe', 'frontend', `  hosts: [api.stripe.com]
  http: [{ route: [{ destination: { host: api.stripe.com } }], timeout: 3s }]`),
    expect: ['warning exportto-leak VirtualService/frontend/details'],
  },
  {
    name: '43 TCP and TLS routes to multi-port destinations need a port; a single-port one does not',
    yaml: nsDoc('data') + svc('pg', 'data', `
    - { name: tcp-postgres, port: 5432 }
    - { name: tcp-metrics, port: 9187 }`) + deploy('pg', 'data', 'app: pg', 5432)
      + svc('kafka', 'data', '[{ name: tcp-kafka, port: 9092 }]') + deploy('kafka', 'data', 'app: kafka', 9092)
      + vs('pg', 'data', `  hosts: [pg.data.svc.cluster.local]
  tcp: [{ route: [{ destination: { host: pg.data.svc.cluster.local } }] }]`)
      + vs('kafka', 'data', `  hosts: [kafka.data.svc.cluster.local]
  tcp: [{ route: [{ destination: { host: kafka.data.svc.cluster.local } }] }]`),
    expect: ['error destination-port-required VirtualService/data/pg'],
  },
  {
    name: '44 two Gateways selecting one workload by different labels conflict; distinct SNI hosts on 443 do not',
    yaml: HELM_GATEWAY
      + gw('all', 'istio-ingress', HTTP80('["*"]'))
      + gw('shop', 'istio-ingress', HTTP80('["shop.example.com"]'), 'app: istio-ingressgateway')
      + gw('a', 'istio-ingress', '[{ port: { number: 443, name: tls, protocol: TLS }, hosts: ["a.example.com"], tls: { mode: PASSTHROUGH } }]')
      + gw('b', 'istio-ingress', '[{ port: { number: 443, name: tls, protocol: TLS }, hosts: ["b.example.com"], tls: { mode: PASSTHROUGH } }]'),
    expect: ['error conflicting-gateways Gateway/istio-ingress/all', 'error conflicting-gateways Gateway/istio-ingress/shop'],
  },
  {
    name: '45 ServiceEntry ports: a name without protocol is protocol-less; UDP and HTTPS are fine',
    yaml: nsDoc('shop') + se('api', 'shop', `  hosts: [api.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https }]`)
      + se('dns', 'shop', `  hosts: [dns.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 53, name: udp-dns, protocol: UDP }]`)
      + se('web', 'shop', `  hosts: [web.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: https, protocol: HTTPS }]`),
    expect: ['warning serviceentry-tcp-without-addresses ServiceEntry/shop/api'],
  },
];

describe('corpus A (references, routing, gateways, egress)', () => {
  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    expect(aFindings(s.yaml)).toEqual([...s.expect].sort());
  });
});

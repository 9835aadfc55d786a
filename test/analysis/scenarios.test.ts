// End-to-end scenarios: realistic configurations, and the exact (rule, object, severity) set the
// references/routing/gateways/egress rules report on them.
import { analyze, deployment, gateway, INGRESS, ns, REVIEWS_DR, service, serviceAccount, SHOP } from './support';
import { RULES_A } from '../../src/analysis/rules/registry-a';

const A = new Set(RULES_A.map((r) => r.id));

/** `severity rule object` of the A-group findings, sorted. */
function aFindings(yaml: string): string[] {
  return analyze(yaml).filter((f) => A.has(f.rule)).map((f) => `${f.severity} ${f.rule} ${f.object}`).sort();
}

const CANARY_VS = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  exportTo: ["."]
  http:
    - name: canary-header
      match: [{ headers: { x-canary: { exact: "true" } } }]
      timeout: 10s
      retries: { attempts: 2, perTryTimeout: 3s, retryOn: "connect-failure,refused-stream,unavailable" }
      route: [{ destination: { host: reviews.shop.svc.cluster.local, subset: v2, port: { number: 9080 } } }]
    - name: split
      timeout: 10s
      retries: { attempts: 2, perTryTimeout: 3s, retryOn: "connect-failure,refused-stream,unavailable" }
      route:
        - { destination: { host: reviews.shop.svc.cluster.local, subset: v1, port: { number: 9080 } }, weight: 90 }
        - { destination: { host: reviews.shop.svc.cluster.local, subset: v2, port: { number: 9080 } }, weight: 10 }
`;

const INGRESS_VS = `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: storefront, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ uri: { prefix: /reviews } }]
      route: [{ destination: { host: reviews.shop.svc.cluster.local, subset: v1, port: { number: 9080 } } }]
    - route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9080 } } }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: storefront-api, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-ingress/public]
  http:
    - match: [{ uri: { prefix: /api } }]
      route: [{ destination: { host: ratings.shop.svc.cluster.local, port: { number: 9090 } } }]
`;

const EGRESS = `${ns('egress')}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 443, name: tls, protocol: TLS }]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: postgres, namespace: shop }
spec:
  hosts: [db.internal.example.com]
  addresses: [10.20.30.40/32]
  exportTo: ["."]
  location: MESH_EXTERNAL
  resolution: STATIC
  endpoints: [{ address: 10.20.30.40 }]
  ports: [{ number: 5432, name: tcp-postgres, protocol: TCP }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: stripe, namespace: shop }
spec:
  host: api.stripe.com
  exportTo: ["."]
  trafficPolicy: { tls: { mode: SIMPLE, sni: api.stripe.com } }
`;

describe('scenarios', () => {
  test('a canary service with ingress fragments and controlled egress is clean', () => {
    const yaml = SHOP + REVIEWS_DR + CANARY_VS + INGRESS + gateway('public', 'istio-ingress', ['shop/shop.example.com'])
      + INGRESS_VS + EGRESS + serviceAccount('reviews', 'shop');
    expect(aFindings(yaml)).toEqual([]);
  });

  test('the same app with typical mistakes reports each once, on the objects involved', () => {
    const broken = (SHOP + REVIEWS_DR + CANARY_VS + INGRESS + gateway('public', 'istio-ingress', ['shop/shop.example.com'])
      + INGRESS_VS + EGRESS)
      // a canary subset that the DestinationRule does not define, with weights that no longer add up
      .replace('subset: v2, port: { number: 9080 } }, weight: 10', 'subset: v3, port: { number: 9080 } }, weight: 20')
      // the ingress API fragment routes to a multi-port service without a port
      .replace('host: ratings.shop.svc.cluster.local, port: { number: 9090 }', 'host: ratings.shop.svc.cluster.local')
      // a second team's VirtualService for reviews, exported everywhere
      + ns('frontend') + `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews-override, namespace: frontend }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{ destination: { host: reviews.shop.svc.cluster.local, port: { number: 9080 } } }]
`;
    expect(aFindings(broken)).toEqual([
      // the override is exported to shop too, where the canary VirtualService already claims the host
      'error conflicting-virtualservice-host VirtualService/frontend/reviews-override',
      'error conflicting-virtualservice-host VirtualService/shop/reviews',
      'error destination-port-required VirtualService/shop/storefront-api',
      'error subset-not-defined VirtualService/shop/reviews',
      'warning exportto-leak VirtualService/frontend/reviews-override',
      'warning weights-not-100 VirtualService/shop/reviews',
    ]);
  });

  test('two teams claiming one host for the mesh conflict only where their exports meet', () => {
    const team = (n: string, exportTo: string) => `${ns(n)}${service('api', n, [8080])}${deployment('api', n, 'app: api')}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: ${n} }
spec:
  hosts: [api.shared.svc.cluster.local]
  exportTo: [${exportTo}]
  http:
    - route: [{ destination: { host: api.${n}.svc.cluster.local } }]
`;
    expect(aFindings(team('blue', '"."') + team('green', '"."'))).toEqual([]);
    expect(aFindings(team('blue', '"*"') + team('green', '"."'))).toEqual([
      'error conflicting-virtualservice-host VirtualService/blue/api',
      'error conflicting-virtualservice-host VirtualService/green/api',
      'warning exportto-leak VirtualService/blue/api',
    ]);
  });
});

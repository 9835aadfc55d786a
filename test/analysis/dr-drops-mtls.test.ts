import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'dr-drops-mtls';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

/** Namespace shop (STRICT), a Service reviews:9080 -> 9080 plus metrics 15090 -> 9090, one Deployment. */
const APP = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/rev: prod-stable } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: shop }
spec: { mtls: { mode: STRICT } }
---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  selector: { app: reviews }
  ports:
    - { name: http, port: 9080, targetPort: 9080 }
    - { name: http-metrics, port: 15090, targetPort: metrics }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews, version: v1 } }
  template:
    metadata: { labels: { app: reviews, version: v1 } }
    spec:
      containers:
        - name: app
          image: example/reviews:1
          ports: [{ containerPort: 9080, name: http }, { containerPort: 9090, name: metrics }]
`;

function dr(name: string, ns: string, body: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec:
${body}`;
}

describe(RULE, () => {
  test('fires on tls.mode DISABLE for a STRICT in-app service', () => {
    expect(findings(APP + dr('reviews', 'shop', `  host: reviews
  trafficPolicy: { tls: { mode: DISABLE } }
`))).toEqual(['error DestinationRule/shop/reviews']);
  });

  test('fires on SIMPLE TLS origination to a STRICT service, from another namespace, under mesh-wide STRICT', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: v1
kind: Service
metadata: { name: payments, namespace: payments }
spec:
  selector: { app: payments }
  ports: [{ name: https, port: 443, targetPort: 8443 }]
${dr('payments', 'checkout', `  host: payments.payments.svc.cluster.local
  trafficPolicy: { tls: { mode: SIMPLE, sni: payments.payments.svc.cluster.local } }
`)}`;
    expect(findings(yaml)).toEqual(['error DestinationRule/checkout/payments']);
  });

  test('fires on a subset that disables TLS while the top level is ISTIO_MUTUAL', () => {
    expect(findings(APP + dr('reviews', 'shop', `  host: reviews.shop.svc.cluster.local
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }
  subsets:
    - name: v1
      labels: { version: v1 }
      trafficPolicy: { tls: { mode: DISABLE } }
`))).toEqual(['error DestinationRule/shop/reviews']);
  });

  test('near miss: ISTIO_MUTUAL at port level for every STRICT port, DISABLE only where PERMISSIVE', () => {
    const yaml = `${APP}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: reviews-metrics, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  mtls: { mode: STRICT }
  portLevelMtls: { "9090": { mode: PERMISSIVE } }
${dr('reviews', 'shop', `  host: reviews
  trafficPolicy:
    tls: { mode: DISABLE }
    portLevelSettings:
      - port: { number: 9080 }
        tls: { mode: ISTIO_MUTUAL }
`)}`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: DISABLE towards a workload without sidecar, a PERMISSIVE namespace, and auto-mTLS (no tls)', () => {
    const yaml = `${APP}
---
apiVersion: v1
kind: Service
metadata: { name: mysql, namespace: shop }
spec:
  selector: { app: mysql }
  ports: [{ name: tcp-mysql, port: 3306 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: mysql, namespace: shop }
spec:
  serviceName: mysql
  selector: { matchLabels: { app: mysql } }
  template:
    metadata: { labels: { app: mysql, sidecar.istio.io/inject: "false" } }
    spec: { containers: [{ name: mysql, image: mysql:8 }] }
${dr('mysql', 'shop', `  host: mysql
  trafficPolicy: { tls: { mode: DISABLE } }
`)}${dr('reviews', 'shop', `  host: reviews
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } }
`)}
---
apiVersion: v1
kind: Service
metadata: { name: legacy, namespace: legacy }
spec:
  selector: { app: legacy }
  ports: [{ name: http, port: 80 }]
${dr('legacy', 'legacy', `  host: legacy
  trafficPolicy: { tls: { mode: DISABLE } }
`)}`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: external hosts (ServiceEntry) with SIMPLE TLS', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: stripe, namespace: shop }
spec:
  hosts: [api.stripe.com]
  ports: [{ number: 443, name: https, protocol: HTTPS }]
  resolution: DNS
  location: MESH_EXTERNAL
${dr('stripe', 'shop', `  host: api.stripe.com
  trafficPolicy: { tls: { mode: SIMPLE, sni: api.stripe.com } }
`)}`;
    expect(findings(yaml)).toEqual([]);
  });

  test('near miss: TLS origination to a workload in an owned namespace that is not part of the mesh', () => {
    const yaml = `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: v1
kind: Namespace
metadata: { name: databases }
---
apiVersion: v1
kind: Service
metadata: { name: postgres, namespace: databases }
spec:
  selector: { app: postgres }
  ports: [{ name: tcp-postgres, port: 5432 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: postgres, namespace: databases }
spec:
  serviceName: postgres
  selector: { matchLabels: { app: postgres } }
  template:
    metadata: { labels: { app: postgres } }
    spec: { containers: [{ name: postgres, image: postgres:16 }] }
${dr('postgres', 'shop', `  host: postgres.databases.svc.cluster.local
  trafficPolicy: { tls: { mode: SIMPLE } }
`)}${dr('cache', 'shop', `  host: cache.databases.svc.cluster.local
  trafficPolicy: { tls: { mode: DISABLE } }
`)}
---
apiVersion: v1
kind: Service
metadata: { name: cache, namespace: databases }
spec:
  selector: { app: cache }
  ports: [{ name: tcp-redis, port: 6379 }]
`;
    expect(findings(yaml)).toEqual([]);
  });
});

// Shared helpers for the analyzer tests of the references/routing/gateways/egress rules and the framework.
import { parseAllDocuments } from 'yaml';
import { Finding, MeshAnalyzer, MeshAnalyzerSettings } from '../../src/analysis';
import { expectValid } from '../helpers';

/** The objects of a multi-document YAML string. */
export function load(yaml: string): any[] {
  return parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
}

/** GIVEN the YAML objects (validated against the pinned CRDs), WHEN analyzed, THEN all findings. */
export function analyze(yaml: string, settings: MeshAnalyzerSettings = {}): Finding[] {
  const objects = load(yaml);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings);
}

/** `severity object` of every finding of `rule`, sorted. */
export function hits(yaml: string, rule: string, settings: MeshAnalyzerSettings = {}): string[] {
  return analyze(yaml, settings).filter((f) => f.rule === rule).map((f) => `${f.severity} ${f.object}`).sort();
}

/** The findings of `rule`. */
export function findingsOf(yaml: string, rule: string, settings: MeshAnalyzerSettings = {}): Finding[] {
  return analyze(yaml, settings).filter((f) => f.rule === rule);
}

export const ns = (name: string, labels = ''): string => `
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
${labels ? `  labels: { ${labels} }\n` : ''}`;

function portLine(p: number | string): string {
  const [num, pname] = String(p).split(':');
  return `    - { port: ${num}, name: ${pname ?? `http-${num}`} }`;
}

export const service = (name: string, namespace: string, ports: Array<number | string>, selector = `app: ${name}`, extra = ''): string => `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { ${selector} }
  ports:
${ports.map(portLine).join('\n')}
${extra}`;

export const deployment = (name: string, namespace: string, labels: string, extraTemplateMeta = ''): string => `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { ${labels} } }
  template:
    metadata:
      labels: { ${labels} }
${extraTemplateMeta}
    spec:
      containers:
        - { name: app, image: "example/${name}:1.0.0", ports: [{ containerPort: 8080 }] }
`;

export const serviceAccount = (name: string, namespace: string): string => `
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: ${namespace} }
`;

/** The shop namespace (owned) with the reviews service (port 9080) and v1/v2 Deployments. */
export const SHOP = `${ns('shop')}
${service('reviews', 'shop', [9080])}
${deployment('reviews-v1', 'shop', 'app: reviews, version: v1')}
${deployment('reviews-v2', 'shop', 'app: reviews, version: v2')}
${service('ratings', 'shop', ['9080:http', '9090:grpc'])}
${deployment('ratings', 'shop', 'app: ratings')}
`;

export const REVIEWS_DR = `
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews.shop.svc.cluster.local
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`;

/** An ingress gateway Deployment + Service (ports 80/443 → 8080/8443) in an owned istio-ingress namespace. */
export const INGRESS = `${ns('istio-ingress')}
${deployment('ingressgateway', 'istio-ingress', 'istio: ingressgateway', '      annotations: { inject.istio.io/templates: gateway }')}
---
apiVersion: v1
kind: Service
metadata: { name: ingressgateway, namespace: istio-ingress }
spec:
  type: LoadBalancer
  selector: { istio: ingressgateway }
  ports:
    - { name: http2, port: 80, targetPort: 8080 }
    - { name: https, port: 443, targetPort: 8443 }
`;

export const gateway = (name: string, namespace: string, hosts: string[], port = 443, extra = ''): string => `
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: ${port}, name: ${port === 443 ? 'https' : 'http'}-${name}, protocol: ${port === 443 ? 'HTTPS' : 'HTTP'} }
      hosts: [${hosts.map((h) => JSON.stringify(h)).join(', ')}]
${port === 443 ? `      tls: { mode: SIMPLE, credentialName: ${name}-cert }\n` : ''}${extra}`;

/** A VirtualService in shop routing to a host no Service declares (destination-host-not-found, an error). */
export const BROKEN_VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - route: [{ destination: { host: details.shop.svc.cluster.local } }]
`;

import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'authz-principal-unknown-serviceaccount';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const APP = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: productpage, namespace: shop }
`;

function ap(name: string, principals: string[], extra = ''): string {
  return `
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  rules:
    - from: [{ source: { principals: [${principals.map((p) => JSON.stringify(p)).join(', ')}] } }]
${extra}`;
}

describe(RULE, () => {
  test('fires on a principal naming a ServiceAccount missing from an owned namespace', () => {
    expect(findings(APP + ap('reviews', ['cluster.local/ns/shop/sa/product-page']))).toEqual(['error AuthorizationPolicy/shop/reviews']);
  });

  test('fires with a custom trust domain, and on a source.principal condition', () => {
    const yaml = APP + ap('reviews', ['example.org/ns/shop/sa/productpage'], `      when: [{ key: source.principal, values: ["example.org/ns/shop/sa/ratings"] }]
`);
    expect(findings(yaml, { trustDomain: 'example.org' })).toEqual(['error AuthorizationPolicy/shop/reviews']);
  });

  test('near miss: existing and default service accounts, and wildcard principals', () => {
    expect(findings(APP + ap('reviews', [
      'cluster.local/ns/shop/sa/productpage',
      'cluster.local/ns/shop/sa/default',
      'cluster.local/ns/shop/sa/*',
      '*/ns/shop/sa/ratings',
      '*',
    ]))).toEqual([]);
  });

  test('near miss: principals in namespaces the app does not own, and other trust domains', () => {
    expect(findings(APP + ap('reviews', [
      'cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
      'cluster.local/ns/other-team/sa/client',
      'partner.example.com/ns/shop/sa/unknown',
    ]))).toEqual([]);
  });

  test('near miss: the service accounts istiod creates for a waypoint and a Gateway API gateway', () => {
    const gateways = `
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: shop }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: public, namespace: shop }
spec:
  gatewayClassName: istio
  listeners: [{ name: http, port: 80, protocol: HTTP }]
`;
    expect(findings(APP + gateways + ap('reviews', ['cluster.local/ns/shop/sa/waypoint', 'cluster.local/ns/shop/sa/public-istio']))).toEqual([]);
    expect(findings(APP + gateways + ap('reviews', ['cluster.local/ns/shop/sa/public-gateway']))).toEqual(['error AuthorizationPolicy/shop/reviews']);
  });
});

describe('authz-principal-unknown-serviceaccount and gateway workloads installed outside the app', () => {
  const objects = (annotated: boolean) => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-ingress' } },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'istio-ingress', annotations: annotated ? { 'cdk8s-istio.io/workload-service-account': 'istio-ingressgateway' } : undefined },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-gw', namespace: 'istio-ingress' },
      spec: { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }] }] },
    },
  ];

  test('an Istio Gateway annotated with its workload service account declares that account', () => {
    expectValid(objects(true));
    expect(MeshAnalyzer.analyze(objects(true)).filter(f => f.rule === 'authz-principal-unknown-serviceaccount')).toEqual([]);
  });

  test('without the annotation the principal is unknown in the owned namespace', () => {
    const f = MeshAnalyzer.analyze(objects(false)).filter(x => x.rule === 'authz-principal-unknown-serviceaccount');
    expect(f.map(x => [x.object, x.severity])).toEqual([['AuthorizationPolicy/istio-ingress/allow-gw', 'error']]);
  });
});

import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';
import { authorizationPolicy, findingsOf, k8sHttpGateway, KubeObject, MeshAnalyzerSettings, namespace, serviceAccount, waypoint } from './fixtures';

const RULE = 'authz-principal-unknown-serviceaccount';

const findings = (objects: KubeObject[], settings?: MeshAnalyzerSettings) => findingsOf(RULE, objects, settings);

const APP = [namespace('shop'), serviceAccount('shop', 'productpage')];

/** An AuthorizationPolicy in shop on the reviews pods with one rule admitting `principals` (and the `when` conditions). */
function allowFrom(name: string, principals: string[], when?: object[]) {
  return authorizationPolicy('shop', name, {
    selector: { matchLabels: { app: 'reviews' } },
    rules: [{ from: [{ source: { principals } }], ...(when ? { when } : {}) }],
  });
}

describe(RULE, () => {
  test('fires on a principal naming a ServiceAccount missing from an owned namespace', () => {
    expect(findings([...APP, allowFrom('reviews', ['cluster.local/ns/shop/sa/product-page'])])).toEqual(['error AuthorizationPolicy/shop/reviews']);
  });

  test('fires with a custom trust domain, and on a source.principal condition', () => {
    const objects = [
      ...APP,
      allowFrom('reviews', ['example.org/ns/shop/sa/productpage'], [{ key: 'source.principal', values: ['example.org/ns/shop/sa/ratings'] }]),
    ];
    expect(findings(objects, { trustDomain: 'example.org' })).toEqual(['error AuthorizationPolicy/shop/reviews']);
  });

  test('near miss: existing and default service accounts, and wildcard principals', () => {
    expect(findings([...APP, allowFrom('reviews', [
      'cluster.local/ns/shop/sa/productpage',
      'cluster.local/ns/shop/sa/default',
      'cluster.local/ns/shop/sa/*',
      '*/ns/shop/sa/ratings',
      '*',
    ])])).toEqual([]);
  });

  test('near miss: principals in namespaces the app does not own, and other trust domains', () => {
    expect(findings([...APP, allowFrom('reviews', [
      'cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
      'cluster.local/ns/other-team/sa/client',
      'partner.example.com/ns/shop/sa/unknown',
    ])])).toEqual([]);
  });

  test('near miss: the service accounts istiod creates for a waypoint and a Gateway API gateway', () => {
    const gateways = [waypoint('shop'), k8sHttpGateway('shop', 'public')];
    expect(findings([...APP, ...gateways, allowFrom('reviews', ['cluster.local/ns/shop/sa/waypoint', 'cluster.local/ns/shop/sa/public-istio'])])).toEqual([]);
    expect(findings([...APP, ...gateways, allowFrom('reviews', ['cluster.local/ns/shop/sa/public-gateway'])])).toEqual(['error AuthorizationPolicy/shop/reviews']);
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

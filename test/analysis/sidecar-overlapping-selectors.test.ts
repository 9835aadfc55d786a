import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'sidecar-overlapping-selectors';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const NS = `
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
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ratings, namespace: shop }
spec:
  selector: { matchLabels: { app: ratings } }
  template:
    metadata: { labels: { app: ratings } }
    spec: { containers: [{ name: app, image: example/ratings:1 }] }
`;

function sidecar(name: string, ns: string, selector?: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: ${ns} }
spec:
${selector ? `  workloadSelector: { labels: { ${selector} } }\n` : ''}  egress: [{ hosts: ["./*", "istio-system/*"] }]
`;
}

describe(RULE, () => {
  test('fires on two selector-less Sidecars in one namespace (IST0111), on both', () => {
    expect(findings(NS + sidecar('default', 'shop') + sidecar('other', 'shop'))).toEqual([
      'error Sidecar/shop/default',
      'error Sidecar/shop/other',
    ]);
  });

  test('fires on two Sidecars whose selectors match the same Deployment (IST0110), on both', () => {
    expect(findings(NS + sidecar('by-app', 'shop', 'app: reviews') + sidecar('by-version', 'shop', 'version: v1'))).toEqual([
      'error Sidecar/shop/by-app',
      'error Sidecar/shop/by-version',
    ]);
  });

  test('fires on identical selectors in a namespace without workloads in the app', () => {
    expect(findings(sidecar('a', 'payments', 'app: pay') + sidecar('b', 'payments', 'app: pay'))).toEqual([
      'error Sidecar/payments/a',
      'error Sidecar/payments/b',
    ]);
  });

  test('near miss: a namespace default plus a workload Sidecar, and disjoint selectors', () => {
    expect(findings(NS + sidecar('default', 'shop') + sidecar('reviews', 'shop', 'app: reviews') + sidecar('ratings', 'shop', 'app: ratings'))).toEqual([]);
  });

  test('near miss: the root-namespace mesh default plus one namespace default per namespace', () => {
    expect(findings(NS + sidecar('default', 'istio-system') + sidecar('default', 'shop') + sidecar('default', 'payments'))).toEqual([]);
  });

  test('near miss: overlapping selectors that select no common pod', () => {
    expect(findings(NS + sidecar('a', 'shop', 'app: reviews, version: v2') + sidecar('b', 'shop', 'app: reviews, version: v1'))).toEqual([]);
  });

  test('near miss: two selector-less Sidecars in an ambient namespace are reported by ineffective-policy instead', () => {
    const ambient = `
apiVersion: v1
kind: Namespace
metadata: { name: mesh, labels: { istio.io/dataplane-mode: ambient } }
`;
    expect(findings(ambient + sidecar('a', 'mesh') + sidecar('b', 'mesh'))).toEqual([]);
  });
});

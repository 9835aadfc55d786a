import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'dr-shadows-mesh-wide-policy';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const MESH_DR = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: mesh-default, namespace: istio-system }
spec:
  host: "*.local"
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
    outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50 }
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
  test('fires on a canary DestinationRule with only subsets (drops tls and outlierDetection)', () => {
    expect(findings(MESH_DR + dr('reviews', 'shop', `  host: reviews
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`))).toEqual(['warning DestinationRule/shop/reviews']);
  });

  test('fires on a host DestinationRule that sets connectionPool but omits outlierDetection', () => {
    expect(findings(MESH_DR + dr('ratings', 'shop', `  host: ratings.shop.svc.cluster.local
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
    connectionPool: { tcp: { maxConnections: 100 } }
`))).toEqual(['warning DestinationRule/shop/ratings']);
  });

  test('near miss: a host DestinationRule that repeats every mesh-wide setting', () => {
    expect(findings(MESH_DR + dr('reviews', 'shop', `  host: reviews
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
    outlierDetection: { consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 30 }
    loadBalancer: { simple: LEAST_REQUEST }
`))).toEqual([]);
  });

  test('fires on a narrower namespace wildcard that omits the mesh-wide settings (it wins for those hosts)', () => {
    expect(findings(MESH_DR + dr('team-default', 'team', `  host: "*.team.svc.cluster.local"
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
`))).toEqual(['warning DestinationRule/team/team-default']);
  });

  test('near miss: hosts the mesh-wide wildcard does not cover, and no mesh-wide DestinationRule at all', () => {
    expect(findings(MESH_DR + dr('stripe', 'shop', `  host: api.stripe.com
  trafficPolicy: { tls: { mode: SIMPLE } }
`))).toEqual([]);
    expect(findings(dr('reviews', 'shop', `  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }]
`))).toEqual([]);
  });

  test('near miss: a root-namespace wildcard exported only to its own namespace is not mesh-wide', () => {
    const local = MESH_DR.replace('host: "*.local"', 'host: "*.local"\n  exportTo: ["."]');
    expect(findings(local + dr('reviews', 'shop', `  host: reviews
  subsets: [{ name: v1, labels: { version: v1 } }]
`))).toEqual([]);
  });
});

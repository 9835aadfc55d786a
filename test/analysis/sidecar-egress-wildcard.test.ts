import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'sidecar-egress-wildcard';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function sidecar(name: string, hosts: string[], selector?: string): string {
  return `
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: ${name}, namespace: shop }
spec:
${selector ? `  workloadSelector: { labels: { ${selector} } }\n` : ''}  egress:
    - hosts: [${hosts.map((h) => JSON.stringify(h)).join(', ')}]
`;
}

describe(RULE, () => {
  test('fires on a namespace Sidecar importing */*', () => {
    expect(findings(sidecar('default', ['*/*']))).toEqual(['warning Sidecar/shop/default']);
  });

  test('fires on */* next to other hosts, on a port-specific listener', () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: reviews, namespace: shop }
spec:
  workloadSelector: { labels: { app: reviews } }
  egress:
    - port: { number: 9080, protocol: HTTP, name: http }
      hosts: ["./*"]
    - hosts: ["istio-system/*", "*/*"]
`;
    expect(findings(yaml)).toEqual(['warning Sidecar/shop/reviews']);
  });

  test('near miss: scoped hosts, a host in any namespace (*/host) and the own namespace (./*)', () => {
    expect(findings(sidecar('default', ['./*', 'istio-system/*', '*/api.stripe.com', 'payments/*']))).toEqual([]);
  });
});

import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'permissive-mtls';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function pa(name: string, ns: string, body: string): string {
  return `
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: ${ns} }
spec:
${body}`;
}

describe(RULE, () => {
  test('fires on a mesh-wide PERMISSIVE and a namespace-wide DISABLE', () => {
    expect(findings(pa('default', 'istio-system', '  mtls: { mode: PERMISSIVE }\n') + pa('default', 'legacy', '  mtls: { mode: DISABLE }\n'))).toEqual([
      'warning PeerAuthentication/istio-system/default',
      'warning PeerAuthentication/legacy/default',
    ]);
  });

  test('fires on a namespace-wide PERMISSIVE with an empty selector', () => {
    expect(findings(pa('default', 'shop', '  selector: { matchLabels: {} }\n  mtls: { mode: PERMISSIVE }\n'))).toEqual([
      'warning PeerAuthentication/shop/default',
    ]);
  });

  test('near miss: namespace-wide STRICT plus a workload PERMISSIVE with portLevelMtls', () => {
    expect(findings(pa('default', 'shop', '  mtls: { mode: STRICT }\n')
      + pa('metrics', 'shop', '  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: PERMISSIVE }\n  portLevelMtls: { "9090": { mode: DISABLE } }\n'))).toEqual([]);
  });

  test('near miss: UNSET (inherit) and no mtls block at all', () => {
    expect(findings(pa('default', 'shop', '  mtls: { mode: UNSET }\n') + pa('default', 'team', '  {}\n'))).toEqual([]);
  });
});

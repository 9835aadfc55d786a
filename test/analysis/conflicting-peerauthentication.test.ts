import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'conflicting-peerauthentication';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  template:
    metadata: { labels: { app: reviews, version: v1 } }
    spec: { containers: [{ name: app, image: example/reviews:1 }] }
`;

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
  test('fires on two namespace-wide PeerAuthentications in one namespace, on both', () => {
    expect(findings(pa('default', 'shop', '  mtls: { mode: STRICT }\n') + pa('zero-trust', 'shop', '  mtls: { mode: PERMISSIVE }\n'))).toEqual([
      'error PeerAuthentication/shop/default',
      'error PeerAuthentication/shop/zero-trust',
    ]);
  });

  test('fires on two mesh-wide PeerAuthentications in the root namespace', () => {
    expect(findings(pa('default', 'istio-system', '  mtls: { mode: STRICT }\n') + pa('mesh', 'istio-system', '  mtls: { mode: STRICT }\n'))).toEqual([
      'error PeerAuthentication/istio-system/default',
      'error PeerAuthentication/istio-system/mesh',
    ]);
  });

  test('fires on two workload PeerAuthentications selecting the same Deployment', () => {
    expect(findings(APP + pa('reviews', 'shop', '  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: STRICT }\n')
      + pa('reviews-v1', 'shop', '  selector: { matchLabels: { version: v1 } }\n  mtls: { mode: PERMISSIVE }\n'))).toEqual([
      'error PeerAuthentication/shop/reviews',
      'error PeerAuthentication/shop/reviews-v1',
    ]);
  });

  test('near miss: mesh, namespace and workload levels (the intended hierarchy)', () => {
    expect(findings(APP + pa('default', 'istio-system', '  mtls: { mode: STRICT }\n')
      + pa('default', 'shop', '  mtls: { mode: STRICT }\n')
      + pa('reviews', 'shop', '  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: UNSET }\n  portLevelMtls: { "9090": { mode: PERMISSIVE } }\n'))).toEqual([]);
  });

  test('near miss: selectors that do not select a common workload', () => {
    expect(findings(APP + pa('a', 'shop', '  selector: { matchLabels: { app: reviews } }\n  mtls: { mode: STRICT }\n')
      + pa('b', 'shop', '  selector: { matchLabels: { app: ratings } }\n  mtls: { mode: STRICT }\n'))).toEqual([]);
  });
});

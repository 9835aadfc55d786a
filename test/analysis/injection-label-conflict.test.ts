import { parseAllDocuments } from 'yaml';
import { MeshAnalyzer } from '../../src/analysis/mesh-analyzer';
import { expectValid } from '../helpers';

const RULE = 'injection-label-conflict';

/** GIVEN the YAML objects, WHEN analyzed, THEN the `severity object` pairs this rule reports. */
function findings(yaml: string, settings: { rootNamespace?: string; trustDomain?: string } = {}): string[] {
  const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o);
  expectValid(objects);
  return MeshAnalyzer.analyze(objects, settings).filter((f) => f.rule === RULE).map((f) => `${f.severity} ${f.object}`).sort();
}

function ns(name: string, labels: string): string {
  return `
---
apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: { ${labels} } }
`;
}

function deploy(name: string, namespace: string, labels: string, annotations = ''): string {
  return `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name}, ${labels} }
${annotations ? `      annotations: { ${annotations} }\n` : ''}    spec: { containers: [{ name: app, image: example/${name}:1 }] }
`;
}

describe(RULE, () => {
  test('fires on istio-injection=enabled plus istio.io/rev (IST0123)', () => {
    expect(findings(ns('shop', 'istio-injection: enabled, istio.io/rev: prod-stable'))).toEqual(['warning Namespace//shop']);
  });

  test('fires on istio-injection=disabled plus istio.io/rev, and on ambient plus sidecar injection', () => {
    expect(findings(ns('a', 'istio-injection: disabled, istio.io/rev: prod-stable')
      + ns('b', 'istio.io/dataplane-mode: ambient, istio-injection: enabled')
      + ns('c', 'istio.io/dataplane-mode: ambient, istio.io/rev: prod-canary'))).toEqual([
      'warning Namespace//a',
      'warning Namespace//b',
      'warning Namespace//c',
    ]);
  });

  test('fires on a pod template labelled ambient that also gets a sidecar (KIA1311)', () => {
    expect(findings(ns('shop', 'istio.io/rev: prod-stable') + deploy('api', 'shop', 'istio.io/dataplane-mode: ambient')
      + deploy('worker', 'jobs', 'istio.io/dataplane-mode: ambient, sidecar.istio.io/inject: "true"'))).toEqual([
      'warning Deployment/jobs/worker',
      'warning Deployment/shop/api',
    ]);
  });

  test('near miss: exactly one membership label, ambient with istio-injection=disabled, and dataplane-mode none', () => {
    expect(findings(ns('a', 'istio.io/rev: prod-stable') + ns('b', 'istio-injection: enabled')
      + ns('c', 'istio.io/dataplane-mode: ambient') + ns('d', 'istio.io/dataplane-mode: ambient, istio-injection: disabled')
      + ns('e', 'istio.io/dataplane-mode: none, istio.io/rev: prod-stable'))).toEqual([]);
  });

  test('near miss: an ambient pod opted out of sidecars, and a gateway Deployment in an ambient namespace', () => {
    expect(findings(ns('shop', 'istio.io/rev: prod-stable') + deploy('api', 'shop', 'istio.io/dataplane-mode: ambient, sidecar.istio.io/inject: "false"')
      + ns('edge', 'istio.io/dataplane-mode: ambient')
      + deploy('ingress', 'edge', 'istio: ingress, sidecar.istio.io/inject: "true"', 'inject.istio.io/templates: gateway'))).toEqual([]);
  });
});

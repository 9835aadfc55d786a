import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { crdValidator, expectValid, findObject, findObjects, synthExample, synthValid } from '../helpers';

function chartWith(objects: Array<{ [key: string]: any }>): Chart {
  const chart = Testing.chart();
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o as any));
  return chart;
}

const VS = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { hosts: ['reviews.shop.svc.cluster.local'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local' } }] }] },
};

describe('test harness', () => {
  test('crdValidator is a singleton over the pinned CRDs', () => {
    // GIVEN / WHEN
    const a = crdValidator();
    const b = crdValidator();
    // THEN
    expect(a).toBe(b);
    expect(a.kinds).toContain('networking.istio.io/v1/VirtualService');
    expect(a.kinds).toContain('sailoperator.io/v1/Istio');
    expect(a.kinds).toContain('gateway.networking.k8s.io/v1/HTTPRoute');
  });

  test('synthValid returns the objects of a valid chart', () => {
    // GIVEN
    const chart = chartWith([VS, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { ports: [{ port: 9080 }] } }]);
    // WHEN
    const manifests = synthValid(chart);
    // THEN
    expect(findObject(manifests, 'VirtualService', 'reviews', 'shop').spec.hosts).toEqual(['reviews.shop.svc.cluster.local']);
    expect(findObjects(manifests, 'Service')).toHaveLength(1);
  });

  test('synthValid of an App covers every chart', () => {
    // GIVEN
    const app = Testing.app();
    new ApiObject(new Chart(app, 'one'), 'vs', VS as any);
    new ApiObject(new Chart(app, 'two'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as any);
    // WHEN
    const manifests = synthValid(app);
    // THEN
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Namespace', 'VirtualService']);
  });

  test('fails when a synthesized object violates the schema, listing every problem', () => {
    // GIVEN
    const chart = chartWith([
      { ...VS, spec: { ...VS.spec, bogus: true } },
      { ...VS, metadata: { name: 'Bad_Name', namespace: 'shop' } },
    ]);
    // WHEN / THEN
    expect(() => synthValid(chart)).toThrow(/2 schema problem\(s\)[\s\S]*spec\.bogus: unknown field "bogus"[\s\S]*metadata\.name: invalid value "Bad_Name"/);
  });

  test('fails when a core object has an invalid name (metadata is checked without a CRD)', () => {
    // GIVEN
    const manifests = [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'UPPER', namespace: 'shop' }, spec: {} }];
    // WHEN / THEN
    expect(() => expectValid(manifests)).toThrow(/Deployment\/shop\/UPPER: metadata\.name: invalid value "UPPER"/);
  });

  test('fails when findObject does not find exactly one object', () => {
    // GIVEN
    const manifests = [VS, { ...VS, metadata: { name: 'other', namespace: 'shop' } }];
    // WHEN / THEN
    expect(() => findObject(manifests, 'VirtualService')).toThrow(/expected exactly one VirtualService, found 2/);
    expect(() => findObject(manifests, 'Gateway')).toThrow(/found 0/);
    expect(findObject(manifests, 'VirtualService', 'other').metadata.name).toBe('other');
  });

  test('synthExample runs an example app and validates what it wrote', () => {
    // GIVEN an example directory with a main.ts
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-example-'));
    const cdk8sPath = require.resolve('cdk8s');
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      `const { App, Chart, ApiObject } = require(${JSON.stringify(cdk8sPath)});`,
      'const app = new App();',
      'const chart = new Chart(app, \'demo\');',
      `new ApiObject(chart, 'vs', ${JSON.stringify(VS)});`,
      'app.synth();',
    ].join('\n'));
    const before = process.env.CDK8S_OUTDIR;
    // WHEN
    const out = synthExample(dir);
    // THEN
    expect(Object.keys(out)).toEqual(['demo.k8s.yaml']);
    expect(out['demo.k8s.yaml'][0].kind).toBe('VirtualService');
    expect(process.env.CDK8S_OUTDIR).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import { load, SHOP } from './support';
import { networking } from '../../src';
import { AnalyzerFailOn, FindingSeverity, MeshAnalyzer } from '../../src/analysis';

const BROKEN_VS = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: {
    hosts: ['reviews.shop.svc.cluster.local'],
    http: [{ route: [{ destination: { host: 'details.shop.svc.cluster.local' } }] }],
  },
};

const WARNING_VS = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'split', namespace: 'shop' },
  spec: {
    hosts: ['reviews.shop.svc.cluster.local'],
    http: [{
      route: [
        { destination: { host: 'reviews.shop.svc.cluster.local' }, weight: 50 },
        { destination: { host: 'reviews.shop.svc.cluster.local', port: { number: 9080 } }, weight: 40 },
      ],
    }],
  },
};

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-analyzer-'));
}

function addObjects(chart: Chart, objects: any[]): void {
  objects.forEach((o, i) => new ApiObject(chart, `o${i}`, o));
}

function captureStderr(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

describe('MeshAnalyzer.analyze', () => {
  test('returns findings with rule, severity, object, message, hint and codes', () => {
    const findings = MeshAnalyzer.analyze([...load(SHOP), BROKEN_VS]);
    const f = findings.find((x) => x.rule === 'destination-host-not-found')!;
    expect(f).toMatchObject({
      severity: FindingSeverity.ERROR,
      object: 'VirtualService/shop/reviews',
      codes: ['IST0101', 'KIA1101'],
    });
    expect(f.severity).toBe('error');
    expect(f.message).toContain('details.shop.svc.cluster.local');
    expect(f.hint.length).toBeGreaterThan(10);
    expect(f.constructPath).toBeUndefined();
  });

  test('reports cluster-scoped objects as Kind//name and namespace-less objects in default', () => {
    const findings = MeshAnalyzer.analyze([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', annotations: { 'cdk8s-istio.io/suppress': 'weights-not-100' } } },
      { ...WARNING_VS, metadata: { name: 'split' } },
    ]);
    expect(findings.map((f) => `${f.rule} ${f.object}`)).toEqual(expect.arrayContaining([
      'invalid-suppression Namespace//default',
      'weights-not-100 VirtualService/default/split',
    ]));
  });

  test('fails on input that is not a Kubernetes object or of an unknown Istio kind, naming it', () => {
    expect(() => MeshAnalyzer.analyze([42 as any])).toThrow(/object 1: not a Kubernetes object/);
    expect(() => MeshAnalyzer.analyze([{ kind: 'Service', metadata: { name: 'x' } }])).toThrow(/apiVersion is missing/);
    expect(() => MeshAnalyzer.analyze([BROKEN_VS, { apiVersion: 'rbac.istio.io/v1alpha1', kind: 'ServiceRole', metadata: { name: 'x' } }]))
      .toThrow(/object 2: unknown Istio kind ServiceRole in rbac.istio.io\/v1alpha1/);
    expect(() => MeshAnalyzer.analyze([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualServices', metadata: { name: 'x' } }]))
      .toThrow(/networking.istio.io serves DestinationRule/);
  });

  test('expands List objects', () => {
    const findings = MeshAnalyzer.analyze([{ apiVersion: 'v1', kind: 'List', items: [...load(SHOP), BROKEN_VS] }]);
    expect(findings.map((f) => f.rule)).toContain('destination-host-not-found');
  });

  test('rejects bad settings', () => {
    expect(() => MeshAnalyzer.analyze([], { failOn: 'sometimes' as any })).toThrow(/failOn must be one of error, warning, none/);
    expect(() => MeshAnalyzer.analyze([], { clusterDomain: '' })).toThrow(/clusterDomain must be a non-empty string/);
  });

  test('lists every rule with a fixed severity', () => {
    const rules = MeshAnalyzer.rules();
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['destination-host-not-found', 'conflicting-gateways', 'externalname-service', 'invalid-suppression']));
    for (const r of rules) expect(['error', 'warning']).toContain(r.severity);
  });
});

describe('suppression', () => {
  const annotated = (value: string) => ({ ...BROKEN_VS, metadata: { ...BROKEN_VS.metadata, annotations: { 'cdk8s-istio.io/suppress': value } } });

  test('an object annotation with a reason suppresses the rule on that object and lists it', () => {
    const report = MeshAnalyzer.analyzeReport([...load(SHOP), annotated('destination-host-not-found: details ships next sprint; short-hostname: n/a')]);
    expect(report.findings.map((f) => f.rule)).not.toContain('destination-host-not-found');
    expect(report.suppressed).toEqual([expect.objectContaining({
      rule: 'destination-host-not-found',
      object: 'VirtualService/shop/reviews',
      reason: 'details ships next sprint',
      suppressedBy: 'annotation',
    })]);
    expect(report.toText()).toContain('SUPPRESSED destination-host-not-found VirtualService/shop/reviews (annotation: details ships next sprint)');
  });

  test('an annotation without a reason is an error and suppresses nothing', () => {
    const findings = MeshAnalyzer.analyze([...load(SHOP), annotated('destination-host-not-found')]);
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.object}`)).toEqual(expect.arrayContaining([
      'error destination-host-not-found VirtualService/shop/reviews',
      'error invalid-suppression VirtualService/shop/reviews',
    ]));
    expect(findings.find((f) => f.rule === 'invalid-suppression')!.message).toContain('has no reason');
  });

  test('an annotation naming an unknown rule is an error', () => {
    const findings = MeshAnalyzer.analyze([...load(SHOP), annotated('IST0101: typo')]);
    expect(findings.find((f) => f.rule === 'invalid-suppression')!.message).toContain("unknown rule 'IST0101'");
  });

  test('app-level suppressions match rule and object (with * wildcards) and need a reason', () => {
    const objects = [...load(SHOP), BROKEN_VS, WARNING_VS];
    const report = MeshAnalyzer.analyzeReport(objects, {
      suppress: [
        { rule: 'weights-not-100', object: 'VirtualService/shop/*', reason: 'relative weights on purpose' },
        { rule: 'destination-host-not-found', object: 'VirtualService/other/reviews', reason: 'does not match' },
      ],
    });
    expect(report.suppressed.map((s) => `${s.rule} ${s.object} ${s.suppressedBy}`)).toEqual(['weights-not-100 VirtualService/shop/split app']);
    expect(report.findings.map((f) => f.rule)).toContain('destination-host-not-found');

    const bad = MeshAnalyzer.analyze(objects, { suppress: [{ rule: 'weights-not-100', reason: '  ' }] });
    expect(bad.map((f) => `${f.severity} ${f.rule} ${f.object}`)).toEqual(expect.arrayContaining([
      'error invalid-suppression MeshAnalyzer//suppress[0]',
      'warning weights-not-100 VirtualService/shop/split',
    ]));
  });
});

describe('in-app analysis', () => {
  test('MeshAnalyzer.of is idempotent per app', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    expect(MeshAnalyzer.of(a)).toBe(MeshAnalyzer.of(b));
    expect(MeshAnalyzer.of(app)).toBe(MeshAnalyzer.of(a));
    expect(MeshAnalyzer.of(Testing.app())).not.toBe(MeshAnalyzer.of(a));
  });

  test('fails app.synth() on an error finding before any file is written, naming path, rule, object and fix', () => {
    const outdir = tmpdir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop');
    addObjects(chart, load(SHOP));
    new networking.VirtualService(chart, 'Reviews', {
      metadata: { name: 'reviews', namespace: 'shop' },
      spec: { hosts: ['reviews.shop.svc.cluster.local'], http: [{ route: [{ destination: { host: 'details.shop.svc.cluster.local' } }] }] },
    });
    MeshAnalyzer.of(app);
    const err = captureStderr();
    try {
      expect(() => app.synth()).toThrow(/destination-host-not-found VirtualService\/shop\/reviews[\s\S]*construct: shop\/Reviews[\s\S]*fix: /);
    } finally {
      err.restore();
    }
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('analyzes objects from Include\'d YAML', () => {
    const dir = tmpdir();
    const file = path.join(dir, 'legacy.yaml');
    fs.writeFileSync(file, `${SHOP}\n---\n${JSON.stringify(BROKEN_VS)}\n`);
    const app = new App({ outdir: path.join(dir, 'dist') });
    const chart = new Chart(app, 'legacy');
    new Include(chart, 'Legacy', { url: file });
    MeshAnalyzer.of(app);
    expect(() => app.synth()).toThrow(/destination-host-not-found VirtualService\/shop\/reviews[\s\S]*construct: legacy\/Legacy\//);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual([]);
  });

  test('prints warnings once to stderr even when several charts are synthesized', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    addObjects(a, load(SHOP));
    addObjects(b, [WARNING_VS]);
    MeshAnalyzer.of(app);
    const err = captureStderr();
    try {
      Testing.synth(a);
      Testing.synth(b);
      app.synthYaml();
    } finally {
      err.restore();
    }
    const text = err.text();
    expect(text.match(/weights-not-100 VirtualService\/shop\/split/g)).toHaveLength(1);
    expect(text).toContain('construct: b/o0');
  });

  test('re-analyzes after a change, and failOn warning fails synth on warnings', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    addObjects(chart, [...load(SHOP), WARNING_VS]);
    const analyzer = MeshAnalyzer.of(app);
    const err = captureStderr();
    try {
      expect(() => Testing.synth(chart)).not.toThrow();
      analyzer.configure({ failOn: AnalyzerFailOn.WARNING });
      expect(() => Testing.synth(chart)).toThrow(/weights-not-100/);
      analyzer.configure({ failOn: AnalyzerFailOn.NONE });
      new ApiObject(chart, 'broken', BROKEN_VS);
      expect(() => Testing.synth(chart)).not.toThrow();
    } finally {
      err.restore();
    }
    expect(err.text()).toContain('destination-host-not-found');
  });

  test('app-level suppressions from configure() and addSuppression() apply in-app', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    addObjects(chart, [...load(SHOP), BROKEN_VS]);
    const analyzer = MeshAnalyzer.of(app);
    analyzer.addSuppression({ rule: 'destination-host-not-found', object: 'VirtualService/shop/reviews', reason: 'details is deployed by another repo' });
    const err = captureStderr();
    try {
      expect(() => Testing.synth(chart)).not.toThrow();
    } finally {
      err.restore();
    }
    expect(err.text()).toContain('SUPPRESSED destination-host-not-found VirtualService/shop/reviews (app: details is deployed by another repo)');
    expect(analyzer.report().suppressed).toHaveLength(1);
  });

  test('an unknown Istio kind in the app fails synth naming the construct path', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'Old', { apiVersion: 'authentication.istio.io/v1alpha1', kind: 'Policy', metadata: { name: 'x', namespace: 'shop' } });
    MeshAnalyzer.of(app);
    expect(() => Testing.synth(chart)).toThrow(/c\/Old: unknown Istio kind Policy/);
  });

  test('settings from configure() change the evaluation model (cluster domain)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    addObjects(chart, [...load(SHOP), {
      ...BROKEN_VS,
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.corp.internal' } }] }] },
    }]);
    const analyzer = MeshAnalyzer.of(app);
    expect(analyzer.report().findings.map((f) => f.rule)).toContain('destination-host-not-found');
    analyzer.configure({ clusterDomain: 'corp.internal' });
    expect(analyzer.report().findings.map((f) => f.rule)).not.toContain('destination-host-not-found');
  });
});

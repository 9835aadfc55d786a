import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BROKEN_VS as BROKEN, SHOP } from './support';
import { IMeshAnalyzerValidationContext, MeshAnalyzerValidation, MeshAnalyzerViolation } from '../../src/analysis';


function context(files: { [name: string]: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-plugin-'));
  const manifests = Object.entries(files).map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
  const violations: MeshAnalyzerViolation[] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let metadata: { [key: string]: string } | undefined;
  const ctx: IMeshAnalyzerValidationContext = {
    manifests,
    report: {
      addViolation: (v) => violations.push(v),
      submit: (s, m) => { status = s; metadata = m; },
    },
    logger: { log: (m) => logs.push(m) },
  };
  return { ctx, violations, logs, status: () => status, metadata: () => metadata, manifests };
}

describe('MeshAnalyzerValidation (cdk8s-cli validation plugin)', () => {
  test('reports findings as violations and fails on errors', async () => {
    const c = context({ 'shop.k8s.yaml': SHOP, 'vs.k8s.yaml': BROKEN });
    await new MeshAnalyzerValidation().validate(c.ctx);
    expect(c.status()).toBe('failure');
    const v = c.violations.find((x) => x.ruleName.startsWith('destination-host-not-found'))!;
    expect(v.ruleName).toBe('destination-host-not-found (error, IST0101, KIA1101)');
    expect(v.violatingResources).toEqual([{ resourceName: 'reviews', locations: ['VirtualService/shop/reviews'], manifestPath: c.manifests[1] }]);
    expect(c.metadata()).toMatchObject({ errors: '1', failOn: 'error' });
  });

  test('succeeds on clean manifests; properties set failOn and suppressions', async () => {
    const clean = context({ 'shop.k8s.yaml': SHOP });
    await new MeshAnalyzerValidation().validate(clean.ctx);
    expect(clean.status()).toBe('success');
    expect(clean.violations).toEqual([]);

    const suppressed = context({ 'shop.k8s.yaml': SHOP, 'vs.k8s.yaml': BROKEN });
    await new MeshAnalyzerValidation({ suppress: [{ rule: 'destination-host-not-found', reason: 'details lives in another repo' }] }).validate(suppressed.ctx);
    expect(suppressed.status()).toBe('success');
    expect(suppressed.logs.join('\n')).toContain('suppressed destination-host-not-found on VirtualService/shop/reviews');
  });

  test('fails with a clear violation on unreadable manifests', async () => {
    const c = context({ 'bad.k8s.yaml': 'kind: [unclosed\n' });
    await new MeshAnalyzerValidation().validate(c.ctx);
    expect(c.status()).toBe('failure');
    expect(c.violations[0].ruleName).toBe('unreadable-input');
    expect(c.violations[0].recommendation).toMatch(/bad\.k8s\.yaml \(document 1\): unparseable YAML/);
  });

  test('is loadable the way cdk8s-cli loads plugins (module path + class name, properties as constructor argument)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.resolve(__dirname, '../../src/analysis/plugin'));
    const plugin = new mod.MeshAnalyzerValidation({ failOn: 'warning' });
    expect(typeof plugin.validate).toBe('function');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.resolve(__dirname, '../../src')).MeshAnalyzerValidation).toBe(mod.MeshAnalyzerValidation);
  });
});

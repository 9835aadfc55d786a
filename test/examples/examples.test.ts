import * as fs from 'fs';
import * as path from 'path';
import { MeshAnalyzer } from '../../src';
import { synthExample } from '../helpers';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const dirs = fs.readdirSync(EXAMPLES)
  .filter(d => fs.existsSync(path.join(EXAMPLES, d, 'cdk8s.yaml')))
  .sort();

describe('examples', () => {
  test('there are examples to check', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(1);
  });

  describe.each(dirs)('%s', dir => {
    let first: { [file: string]: any[] };
    beforeAll(() => {
      first = synthExample(path.join(EXAMPLES, dir));
    });

    test('synthesizes schema-valid manifests (every object checked against the pinned CRDs)', () => {
      const objects = Object.values(first).flat();
      expect(Object.keys(first).length).toBeGreaterThan(0);
      expect(objects.length).toBeGreaterThan(0);
    });

    test('analyzes clean: zero findings (each output directory is one App, analyzed on its own)', () => {
      const byApp = new Map<string, any[]>();
      for (const [file, objects] of Object.entries(first)) {
        const outDir = path.dirname(file);
        byApp.set(outDir, [...(byApp.get(outDir) ?? []), ...objects]);
      }
      for (const [outDir, objects] of byApp) {
        const findings = MeshAnalyzer.analyze(objects);
        expect({ outDir, findings: findings.map(f => `${f.rule} ${f.object}: ${f.message}`) }).toEqual({ outDir, findings: [] });
      }
    });

    test('is deterministic: a second synthesis is byte-identical', () => {
      const second = synthExample(path.join(EXAMPLES, dir));
      expect(JSON.stringify(second)).toEqual(JSON.stringify(first));
    });
  });
});

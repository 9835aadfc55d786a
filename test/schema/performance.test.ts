import { ManifestValidator } from '../../src/schema';
import { CRD_DIR } from '../helpers';
import { allValidFixtures } from './fixtures/load';

/** `count` objects: the valid fixtures, renamed, repeated (IstioCNI is a singleton that must be named "default"). */
function manyObjects(count: number): any[] {
  const fixtures = allValidFixtures().map((f) => f.manifest).filter((m) => m.kind !== 'IstioCNI');
  return Array.from({ length: count }, (_, i) => {
    const m = JSON.parse(JSON.stringify(fixtures[i % fixtures.length]));
    m.metadata.name = `${m.metadata.name}-${i}`;
    return m;
  });
}

/** CPU milliseconds spent in fn (wall time is meaningless on a loaded CI machine). */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe('performance', () => {
  test('validating 200 objects takes well under a second once warm', () => {
    // GIVEN a fresh validator and 200 objects of 18 kinds
    let v: ManifestValidator | undefined;
    const loadMs = cpuMs(() => { v = ManifestValidator.fromDirectory(CRD_DIR); });
    const objects = manyObjects(200);
    // WHEN validated cold (schemas compile lazily, on first use) and then warm
    let cold: unknown[] = [];
    let warm: unknown[] = [];
    const coldMs = cpuMs(() => { cold = v!.validateObjects(objects); });
    cpuMs(() => v!.validateObjects(objects));
    const warmMs = cpuMs(() => { warm = v!.validateObjects(objects); });
    // THEN
    process.stdout.write(`CPU: load CRDs ${loadMs.toFixed(0)} ms, validate 200 cold ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms\n`);
    expect(cold).toEqual([]);
    expect(warm).toEqual([]);
    expect(warmMs).toBeLessThan(400);
  });

  test('only the kinds that are used get compiled', () => {
    // GIVEN a fresh validator
    const v = ManifestValidator.fromDirectory(CRD_DIR);
    const vs = allValidFixtures().find((f) => f.manifest.kind === 'VirtualService')!.manifest;
    // WHEN one small kind is validated
    let problems: unknown[] = [];
    const ms = cpuMs(() => { problems = v.validateObject(vs); });
    // THEN it does not pay for the huge Sail and DestinationRule schemas
    expect(problems).toEqual([]);
    expect(ms).toBeLessThan(600);
  });
});

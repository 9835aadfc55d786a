import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Mesh, RevisionedControlPlane } from '../../src';
import { findObjects, synthValid } from '../helpers';

/** Our errors: thrown by a method (IstioConfigError) or aggregated by cdk8s from our validation. */
function isLibraryError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return false;
  return e.name === 'IstioConfigError' || /^Validation failed with the following errors:\n {2}\[platform\/ControlPlane\] /.test(e.message);
}

// ------------------------------------------------------------------------------------------------ the model

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUPPORTED = new Set(['1.28.1', '1.29.2', '1.30.3']); // releases of the pool that the pinned Sail CRD lists
const ROOT = 'istio-system';
const CNI = 'istio-cni';
const OWNER = 'apps/Owner';

interface Model {
  readonly revisions: Map<string, string>;
  readonly tags: Map<string, string>;
  /** namespace → tag, and whether it was registered (rendered elsewhere) rather than bound here. */
  readonly namespaces: Map<string, { tag: string; registered: boolean }>;
}

interface Real {
  readonly app: App;
  readonly cp: RevisionedControlPlane;
}

/** Runs `act` on the real control plane; it must throw our error exactly when the model says the call is bad. */
function expectOutcome(bad: boolean, act: () => void, apply: () => void): void {
  let error: unknown;
  try {
    act();
  } catch (e) {
    error = e;
  }
  if (error !== undefined) {
    if (!isLibraryError(error)) throw error;
    if (!bad) throw new Error(`the model expected success, got: ${(error as Error).message}`);
    return;
  }
  if (bad) throw new Error('the model expected an IstioConfigError, but the call succeeded');
  apply();
}

const memberBad = (ns: string) => !DNS_LABEL.test(ns) || ns === ROOT || ns === CNI;

class AddRevision implements fc.Command<Model, Real> {
  constructor(readonly name: string, readonly version: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const bad = !DNS_LABEL.test(this.name) || !SUPPORTED.has(this.version) || m.revisions.has(this.name) || m.tags.has(this.name);
    expectOutcome(bad, () => r.cp.addRevision({ name: this.name, version: this.version }), () => m.revisions.set(this.name, this.version));
  }
  toString = () => `addRevision(${this.name}, ${this.version})`;
}

class SetTag implements fc.Command<Model, Real> {
  constructor(readonly tag: string, readonly revision: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const bad = !DNS_LABEL.test(this.tag) || m.revisions.has(this.tag) || !m.revisions.has(this.revision);
    expectOutcome(bad, () => r.cp.setTag(this.tag, this.revision), () => m.tags.set(this.tag, this.revision));
  }
  toString = () => `setTag(${this.tag}, ${this.revision})`;
}

/** bind() a new namespace, or moveNamespace() one bound before. */
class BindNamespace implements fc.Command<Model, Real> {
  constructor(readonly namespace: string, readonly tag: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const existing = m.namespaces.get(this.namespace);
    if (existing) {
      const bad = existing.registered || !m.tags.has(this.tag);
      expectOutcome(bad, () => r.cp.moveNamespace(this.namespace, this.tag), () => { existing.tag = this.tag; });
    } else {
      const bad = memberBad(this.namespace) || !m.tags.has(this.tag);
      expectOutcome(bad, () => r.cp.bind(this.namespace, this.tag), () => m.namespaces.set(this.namespace, { tag: this.tag, registered: false }));
    }
  }
  toString = () => `bind(${this.namespace}, ${this.tag})`;
}

/** registerNamespace(): the tag may be undeclared (reported at synth). */
class RegisterNamespace implements fc.Command<Model, Real> {
  constructor(readonly namespace: string, readonly tag: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const existing = m.namespaces.get(this.namespace);
    const bad = memberBad(this.namespace) || !DNS_LABEL.test(this.tag) || (existing !== undefined && !existing.registered);
    expectOutcome(bad,
      () => r.cp.registerNamespace(this.namespace, this.tag, OWNER),
      () => m.namespaces.set(this.namespace, { tag: this.tag, registered: true }));
  }
  toString = () => `registerNamespace(${this.namespace}, ${this.tag})`;
}

class RemoveRevision implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const bad = !m.revisions.has(this.name) || [...m.tags.values()].includes(this.name);
    expectOutcome(bad, () => r.cp.removeRevision(this.name), () => m.revisions.delete(this.name));
  }
  toString = () => `removeRevision(${this.name})`;
}

class RemoveTag implements fc.Command<Model, Real> {
  constructor(readonly tag: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const bad = !m.tags.has(this.tag) || [...m.namespaces.values()].some(n => n.tag === this.tag);
    expectOutcome(bad, () => r.cp.removeTag(this.tag), () => m.tags.delete(this.tag));
  }
  toString = () => `removeTag(${this.tag})`;
}

// ------------------------------------------------------------------------------------------------ arbitraries

const revisionName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1-28-1', '1-29-2', '1-30-3', 'canary') },
  { weight: 1, arbitrary: fc.constantFrom('1.30.3', 'Canary', 'prod-stable', '') },
);
const version = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1.28.1', '1.29.2', '1.30.3') },
  { weight: 1, arbitrary: fc.constantFrom('1.30', 'v1.30.3', '1.31.0') },
);
const tagName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('prod-stable', 'prod-canary', 'default') },
  { weight: 1, arbitrary: fc.constantFrom('1-29-2', 'Prod', 'prod.stable') },
);
const namespaceName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('shop', 'web', 'payments') },
  { weight: 1, arbitrary: fc.constantFrom(ROOT, CNI, 'Bad_NS') },
);

const commands = [
  fc.tuple(revisionName, version).map(([n, v]) => new AddRevision(n, v)),
  fc.tuple(tagName, revisionName).map(([t, r]) => new SetTag(t, r)),
  fc.tuple(namespaceName, tagName).map(([n, t]) => new BindNamespace(n, t)),
  fc.tuple(namespaceName, tagName).map(([n, t]) => new RegisterNamespace(n, t)),
  revisionName.map(n => new RemoveRevision(n)),
  tagName.map(t => new RemoveTag(t)),
];

// ------------------------------------------------------------------------------------------------ the property

describe('RevisionedControlPlane properties', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('any sequence of add-revision / move-tag / bind-namespace / remove-revision calls throws our error or synthesizes valid, consistent output', () => {
    let synthesized = 0;
    let refusedAtSynth = 0;
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 25 }), cmds => {
        // GIVEN a control plane with one revision and a stable tag
        const app = Testing.app();
        const platform = new Chart(app, 'platform');
        new Mesh(platform, 'Mesh');
        const cp = new RevisionedControlPlane(platform, 'ControlPlane', {
          revisions: [{ name: '1-29-2', version: '1.29.2' }], tags: { 'prod-stable': '1-29-2' },
        });
        const model: Model = { revisions: new Map([['1-29-2', '1.29.2']]), tags: new Map([['prod-stable', '1-29-2']]), namespaces: new Map() };

        // WHEN the calls run (each bad call must be refused with our error, each good one accepted)
        fc.modelRun(() => ({ model, real: { app, cp } }), cmds);

        // THEN synth succeeds exactly when the model is consistent, and the output agrees with the model
        const consistent = model.revisions.size > 0 && [...model.namespaces.values()].every(n => model.tags.has(n.tag));
        let out: any[];
        try {
          out = synthValid(app);
        } catch (e) {
          if (!isLibraryError(e)) throw e;
          if (consistent) throw new Error(`the model is consistent, but synth failed: ${(e as Error).message}`);
          refusedAtSynth++;
          return;
        }
        if (!consistent) throw new Error('the model is inconsistent, but synth succeeded');
        synthesized++;

        const istios = findObjects(out, 'Istio').map(o => o.metadata.name).sort();
        const tags = findObjects(out, 'IstioRevisionTag');
        expect(istios).toEqual([...model.revisions.keys()].sort());
        expect(tags.map(t => t.metadata.name).sort()).toEqual([...model.tags.keys()].sort());
        for (const t of tags) {
          expect(istios).toContain(t.spec.targetRef.name); // no tag points to a missing revision
          expect(t.spec.targetRef.name).toBe(model.tags.get(t.metadata.name));
        }
        const tagNames = tags.map(t => t.metadata.name);
        for (const ns of findObjects(out, 'Namespace')) {
          const rev = ns.metadata.labels?.['istio.io/rev'];
          if (rev === undefined) continue;
          expect(tagNames).toContain(rev); // no namespace is bound to a missing tag
          expect(ns.metadata.labels['istio-discovery']).toBe('enabled');
          expect(model.namespaces.get(ns.metadata.name)).toEqual({ tag: rev, registered: false });
        }
        for (const [name, v] of model.revisions) {
          expect(findObjects(out, 'Istio').find(o => o.metadata.name === name).spec.version).toBe(`v${v}`);
        }
      }),
      { numRuns: 200 },
    );
    // Both outcomes were exercised.
    expect(synthesized).toBeGreaterThan(20);
    expect(refusedAtSynth).toBeGreaterThan(0);
  });
});

// The shared test harness: synthesize, then prove every object against the pinned CRDs (../shared/crds/).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { ManifestValidator } from '../src/schema';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Where the pinned CRDs live: `$CRD_DIR`, or `<repo>/../shared/crds`. */
export const CRD_DIR = process.env.CRD_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'crds');

let validator: ManifestValidator | undefined;

/**
 * The CRDs as JSON in a temporary directory keyed by a hash of their content, written once per machine: every test
 * file loads the CRDs, and JSON parses ~50x faster than the 1.5 MB of YAML. Returns undefined when the cache cannot be
 * written or the YAML does not parse (then the validator reads the YAML itself and reports the problem).
 */
function cachedJsonCrdDir(): string | undefined {
  try {
    const files = fs.readdirSync(CRD_DIR).filter((f) => /\.ya?ml$/i.test(f)).sort();
    const hash = crypto.createHash('sha256');
    const texts = files.map((f) => {
      const text = fs.readFileSync(path.join(CRD_DIR, f), 'utf8');
      hash.update(`${f}\0${text}\0`);
      return text;
    });
    const dir = path.join(os.tmpdir(), `cdk8s-istio-crds-${hash.digest('hex').slice(0, 16)}`);
    if (fs.existsSync(path.join(dir, '.complete'))) return dir;
    const staging = fs.mkdtempSync(`${dir}.staging-`);
    files.forEach((f, i) => {
      const docs = YAML.parseAllDocuments(texts[i]).map((d) => {
        if (d.errors.length > 0) throw new Error(`${f}: ${d.errors[0].message}`);
        return d.toJS();
      });
      fs.writeFileSync(path.join(staging, `${f}.json`), JSON.stringify(docs));
    });
    fs.writeFileSync(path.join(staging, '.complete'), '');
    try {
      fs.renameSync(staging, dir);
    } catch {
      // another jest worker won the race; its copy is identical
      fs.rmSync(staging, { recursive: true, force: true });
    }
    return fs.existsSync(path.join(dir, '.complete')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The validator over the pinned CRDs (one per test file; schemas compile lazily per kind).
 * Core objects (Service, Deployment, ServiceAccount, Namespace, ...) are not covered by CRDs: for them only
 * `metadata` is checked.
 */
export function crdValidator(): ManifestValidator {
  if (!validator) {
    const cached = process.env.CDK8S_ISTIO_NO_CRD_CACHE ? undefined : cachedJsonCrdDir();
    validator = ManifestValidator.fromDirectory(cached ?? CRD_DIR);
  }
  return validator;
}

function describeObject(m: any): string {
  const kind = m?.kind ?? '?';
  const ns = m?.metadata?.namespace ?? '';
  const name = m?.metadata?.name ?? '?';
  return `${kind}/${ns}/${name}`;
}

/**
 * Fails (throws) listing every SchemaProblem of the given objects: structural schema, CEL rules, served
 * versions and metadata.
 */
export function expectValid(manifests: any[]): void {
  if (!Array.isArray(manifests)) {
    throw new Error(`expectValid: expected an array of manifests, got ${typeof manifests}`);
  }
  const problems = crdValidator().validateObjects(manifests);
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} schema problem(s) in ${manifests.length} synthesized object(s):\n`
      + ManifestValidator.formatProblems(problems).split('\n').map((l) => `  - ${l}`).join('\n'),
    );
  }
}

/**
 * Synthesizes a Chart (`Testing.synth`) or a whole App (every chart, app validations included), validates every
 * object against the pinned CRDs and returns the objects. Any other construct synthesizes the chart it lives in.
 */
export function synthValid(scope: IConstruct): any[] {
  let manifests: any[];
  if (scope instanceof App) {
    manifests = YAML.parseAllDocuments(scope.synthYaml())
      .map((d) => d.toJS())
      .filter((o) => o !== null && o !== undefined);
  } else {
    manifests = Testing.synth(Chart.of(scope));
  }
  expectValid(manifests);
  return manifests;
}

/** All objects of a kind. */
export function findObjects(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m?.kind === kind);
}

/**
 * The one object of `kind` (optionally with that name and namespace); throws if there is not exactly one.
 */
export function findObject(manifests: any[], kind: string, name?: string, namespace?: string): any {
  const matches = findObjects(manifests, kind).filter((m) =>
    (name === undefined || m?.metadata?.name === name)
    && (namespace === undefined || (m?.metadata?.namespace ?? '') === namespace));
  if (matches.length !== 1) {
    const wanted = `${kind}${namespace !== undefined ? ` in namespace ${namespace}` : ''}${name !== undefined ? ` named ${name}` : ''}`;
    throw new Error(
      `findObject: expected exactly one ${wanted}, found ${matches.length}. Objects: `
      + (manifests.map(describeObject).join(', ') || '(none)'),
    );
  }
  return matches[0];
}

function listK8sYaml(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith('.k8s.yaml')) out.push(full);
    }
  };
  visit(dir);
  return out;
}

/**
 * Runs `examples/<name>/main.ts` in-process (with `CDK8S_OUTDIR` set to a fresh temporary directory and the
 * example directory as working directory), reads every `*.k8s.yaml` it wrote (keyed by path relative to the output
 * directory), validates every object against the pinned CRDs and returns them.
 *
 * @param exampleDir an example name (`bookinfo`), or a path to the example directory
 */
export function synthExample(exampleDir: string): { [file: string]: any[] } {
  const candidates = [path.resolve(REPO_ROOT, 'examples', exampleDir), path.resolve(exampleDir)];
  const dir = candidates.find((c) => fs.existsSync(path.join(c, 'main.ts')));
  if (!dir) {
    throw new Error(`synthExample: no main.ts in ${candidates.join(' or ')}`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-istio-example-${path.basename(dir)}-`));
  const previousOutdir = process.env.CDK8S_OUTDIR;
  const previousCwd = process.cwd();
  process.env.CDK8S_OUTDIR = outdir;
  try {
    try {
      process.chdir(dir);
    } catch {
      // chdir is unavailable in worker threads; examples should not depend on the working directory anyway
    }
    const main = path.join(dir, 'main.ts');
    const load = () => {
      delete require.cache[require.resolve(main)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(main);
    };
    if (typeof jest !== 'undefined') jest.isolateModules(load);
    else load();
  } finally {
    if (previousOutdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previousOutdir;
    try {
      process.chdir(previousCwd);
    } catch {
      // see above
    }
  }

  const files = listK8sYaml(outdir);
  if (files.length === 0) {
    throw new Error(`synthExample: ${dir}/main.ts wrote no *.k8s.yaml to ${outdir} (does it call app.synth()?)`);
  }
  const result: { [file: string]: any[] } = {};
  const problems: string[] = [];
  for (const file of files) {
    const rel = path.relative(outdir, file);
    const text = fs.readFileSync(file, 'utf8');
    const found = crdValidator().validateYaml(text, `examples/${path.basename(dir)}: ${rel}`);
    if (found.length > 0) problems.push(ManifestValidator.formatProblems(found));
    result[rel] = YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  if (problems.length > 0) {
    throw new Error(`synthExample(${exampleDir}): schema problems:\n${problems.join('\n').split('\n').map((l) => `  - ${l}`).join('\n')}`);
  }
  return result;
}

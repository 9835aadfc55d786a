/**
 * Regenerates imports/ (the L1 classes) from CustomResourceDefinition YAML files.
 *
 *   npx projen import                       # from ../shared/crds (the pinned Istio, Gateway API and Sail CRDs)
 *   CRD_DIR=/path/to/crds npx projen import  # from any directory of CRD YAML files (e.g. your cluster's)
 *
 * For every kind exactly one served version is kept before `cdk8s import` runs, so each kind has one class
 * with no version suffix: `v1` where it is served, otherwise the storage version, otherwise the first served.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const root = path.resolve(__dirname, '..');
const crdDir = path.resolve(root, process.env.CRD_DIR ?? '../shared/crds');
const outDir = path.join(root, 'imports');

interface CrdVersion { name: string; served?: boolean; storage?: boolean }

function pickVersion(versions: CrdVersion[]): CrdVersion {
  const served = versions.filter(v => v.served !== false);
  return served.find(v => v.name === 'v1') ?? served.find(v => v.storage) ?? served[0];
}

function main(): void {
  if (!fs.existsSync(crdDir) || !fs.statSync(crdDir).isDirectory()) {
    throw new Error(`CRD directory not found: ${crdDir} (set CRD_DIR to a directory of CRD YAML files)`);
  }
  const files = fs.readdirSync(crdDir).filter(f => /\.ya?ml$/.test(f)).sort();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-import-'));
  const chosen: string[] = [];
  fs.rmSync(outDir, { recursive: true, force: true });
  try {
    for (const file of files) {
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(crdDir, file), 'utf8'));
      const kept: unknown[] = [];
      for (const doc of docs) {
        const crd = doc.toJS();
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
        const version = pickVersion(crd.spec?.versions ?? []);
        if (!version) continue;
        crd.spec.versions = [version];
        chosen.push(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`);
        kept.push(crd);
      }
      if (kept.length === 0) continue;
      const filtered = path.join(work, file);
      fs.writeFileSync(filtered, kept.map(d => YAML.stringify(d)).join('---\n'));
      execFileSync('cdk8s', ['import', '--no-check-upgrade', '--no-save', '-l', 'typescript', '-o', outDir, filtered], {
        cwd: root, stdio: 'inherit',
      });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (chosen.length === 0) throw new Error(`no CustomResourceDefinition found in ${crdDir}`);
  console.log(`imported ${chosen.length} kinds:\n  ${chosen.sort().join('\n  ')}`);
}

main();

/**
 * `cdk8s-istio analyze [--json] [--fail-on error|warning|none] PATH...`: the MeshAnalyzer rules over YAML made by
 * any tool (cdk8s, Helm, hand-written). Exit 0: nothing reaches --fail-on; 1: a finding does; 2: unreadable input
 * or bad usage.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { AnalyzerFailOn } from './finding';
import { AnalysisInputError, parseYamlObjects } from './input';
import { AnalyzerSettingsResolved, KubeObject } from './model';
import { resolveSettings, runAnalysis } from './runner';

export const USAGE = `Usage: cdk8s-istio analyze [options] PATH...

Analyzes Kubernetes/Istio YAML files (directories are searched recursively for *.yaml and *.yml; "-" reads stdin).

Options:
  --json                      print { "findings": [...], "suppressed": [...] } instead of text
  --fail-on error|warning|none  lowest severity that makes the exit code 1 (default: error)
  --root-namespace NS         Istio root namespace (default: istio-system)
  --trust-domain DOMAIN       mesh trust domain (default: cluster.local)
  --cluster-domain DOMAIN     cluster DNS domain (default: cluster.local)
  --dns-auto-allocate         the mesh auto-allocates ServiceEntry addresses
  -h, --help                  show this help

Exit codes: 0 no finding reaches --fail-on, 1 a finding does, 2 unreadable input or bad usage.`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads stdin (for the path "-"). */
  readonly stdin?: () => string;
}

const DEFAULT_IO: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdin: () => readFileSync(0, 'utf-8'),
};

class UsageError extends Error {}

interface Options {
  json: boolean;
  failOn: AnalyzerFailOn;
  paths: string[];
  settings: Partial<AnalyzerSettingsResolved>;
  help: boolean;
}

function parseArgs(argv: string[]): Options {
  const args = [...argv];
  if (args[0] === 'analyze') {args.shift();} else if (args.length > 0 && !args[0].startsWith('-')) {
    if (args[0] !== '-') throw new UsageError(`unknown command '${args[0]}' (the command is "analyze")`);
  }
  const o: Options = { json: false, failOn: AnalyzerFailOn.ERROR, paths: [], settings: {}, help: false };
  const settings: { -readonly [K in keyof AnalyzerSettingsResolved]?: AnalyzerSettingsResolved[K] } = {};
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = () => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--json': o.json = true; break;
      case '-h': case '--help': o.help = true; break;
      case '--fail-on': {
        const v = value();
        if (v !== 'error' && v !== 'warning' && v !== 'none') throw new UsageError(`--fail-on must be error, warning or none, got '${v}'`);
        o.failOn = v as AnalyzerFailOn;
        break;
      }
      case '--root-namespace': settings.rootNamespace = value(); break;
      case '--trust-domain': settings.trustDomain = value(); break;
      case '--cluster-domain': settings.clusterDomain = value(); break;
      case '--dns-auto-allocate': settings.dnsAutoAllocate = true; break;
      case '--': o.paths.push(...args.slice(i + 1)); i = args.length; break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        o.paths.push(a);
    }
  }
  o.settings = settings;
  return o;
}

/** YAML files under `path` (recursively, sorted), or `path` itself when it is a file. */
function yamlFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new AnalysisInputError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...yamlFiles(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Runs the command; returns the exit code. */
export function main(argv: string[], io: CliIo = DEFAULT_IO): number {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-istio: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (opts.paths.length === 0) {
    io.stderr(`cdk8s-istio: no PATH given\n\n${USAGE}\n`);
    return 2;
  }
  const objects: KubeObject[] = [];
  try {
    for (const p of opts.paths) {
      const files = p === '-' ? ['-'] : yamlFiles(p);
      for (const file of files) {
        let text: string;
        try {
          text = file === '-' ? (io.stdin ?? DEFAULT_IO.stdin!)() : readFileSync(file, 'utf-8');
        } catch (e) {
          throw new AnalysisInputError(file === '-' ? 'stdin' : file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        objects.push(...parseYamlObjects(text, file === '-' ? 'stdin' : file));
      }
    }
  } catch (e) {
    if (e instanceof AnalysisInputError) {
      io.stderr(`cdk8s-istio: ${e.where}: ${e.reason}\n`);
      return 2;
    }
    io.stderr(`cdk8s-istio: ${(e as Error)?.message ?? e}\n`);
    return 2;
  }
  const report = runAnalysis(objects, {
    settings: resolveSettings(opts.settings),
    onRuleError: (rule, e) => io.stderr(`cdk8s-istio: rule ${rule.id} failed (please report this bug): ${(e as Error)?.message ?? e}\n`),
  });
  if (opts.json) io.stdout(`${JSON.stringify(report.toJson(), null, 2)}\n`);
  else io.stdout(`${report.toText()}\n`);
  return report.failing(opts.failOn).length > 0 ? 1 : 0;
}

/** Entry point of bin/cdk8s-istio.js. */
export function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`cdk8s-istio: internal error: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 2;
  }
}

import { cdk8s, javascript, TaskShell } from 'projen';

// Versions proven to resolve together on this registry (see ../shared/reference/toolchain.md).
const CDK8S_MIN = '2.70.0';
const CONSTRUCTS_MIN = '10.3.0';
const CDK8S_PLUS_28 = '2.5.6';
const CDK8S_CLI = '2.207.60';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio',
  description: 'Istio configuration as typed cdk8s constructs: one declared service graph, best-practice defaults, synth-time analysis and CRD-exact validation.',
  author: 'cdk8s-istio authors',
  authorAddress: 'maintainers@cdk8s-istio.dev',
  repositoryUrl: 'https://github.com/cdk8s-istio/cdk8s-istio.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'istio', 'service-mesh', 'kubernetes', 'gateway-api', 'sail-operator'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  minNodeVersion: '20.16.0', // jsii 6 engines; also makes @types/node ^20
  jsiiVersion: '~6.0.0',
  cdk8sVersion: CDK8S_MIN,
  constructsVersion: CONSTRUCTS_MIN,
  peerDeps: [`cdk8s-plus-28@^${CDK8S_PLUS_28}`],
  // Runtime dependencies that are not jsii modules must be bundled into the package.
  //  - ajv + ajv-formats: JSON-schema validation of the CRDs' OpenAPI v3 structural schemas
  //  - @bufbuild/cel (+ its peer @bufbuild/protobuf): a conformant CEL evaluator with RE2 regexes,
  //    for the CRDs' x-kubernetes-validations rules (CommonJS build, so it works under jsii and jest)
  //  - yaml: reading CRD files and user manifests (schema validator, analyze command)
  bundledDeps: ['ajv@^8.17.1', 'ajv-formats@^3.0.1', '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2', 'yaml@^2.8.0'],
  devDeps: [`cdk8s-cli@${CDK8S_CLI}`, 'fast-check@^4.3.0'],

  // `cdk8s-istio analyze PATH...`: the MeshAnalyzer rules over YAML made by any tool.
  bin: { 'cdk8s-istio': 'bin/cdk8s-istio' },

  github: false, // no workflows or release automation: CI is .ci/run
  release: false,
  sampleCode: false,

  // imports/ lives at the top level and is compiled by jsii together with src/.
  entrypoint: 'lib/src/index.js',
  tsconfig: { compilerOptions: { rootDir: '.' }, include: ['imports/**/*.ts'] },
  tsconfigDev: { include: ['../examples/**/*.ts', '../bench/**/*.ts'] },

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER, // `test` = jest --ci; `test:update` writes snapshots
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/examples/', '<rootDir>/lib/'],
      testTimeout: 120_000,
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'bench', 'projenrc'], ignorePatterns: ['imports/', 'examples/**/dist/'] },
  gitignore: ['/examples/*/dist/', '/bench-results/'],
});

project.package.addField('types', 'lib/src/index.d.ts');
project.package.addField('allowScripts', { '@parcel/watcher': false, 'unrs-resolver': false });
project.package.addPackageResolutions('unrs-resolver@1.12.2');
project.npmignore?.exclude('/imports/', '/examples/', '/.ci/', '/bench/', '/docs/');
project.gitattributes.addAttributes('/imports/**', 'linguist-generated');
project.tasks.tryFind('docgen')!.reset('jsii-docgen -o API.md -s root');

// examples/ and bench/ get their own tsconfig (type-checked, linted, never compiled into lib/).
for (const dir of ['examples', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfig!]),
    include: ['**/*.ts'],
    exclude: ['node_modules', '**/dist'],
    compilerOptions: { noEmit: true, rootDir: '..' },
  });
}

// ts-jest only transpiles (isolatedModules); type errors in tests and examples must still fail.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src/, imports/, test/, examples/ and bench/',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.prependSpawn(typecheck);

project.addTask('import', {
  description: 'Regenerate imports/ from the CRD YAML files in $CRD_DIR (default: ../shared/crds), one served version per kind',
  shell: TaskShell.bash(),
  exec: 'ts-node --transpile-only projenrc/import-crds.ts',
});

project.addTask('synth', {
  description: 'Synthesize every example app (examples/<name>/) into examples/<name>/dist/',
  shell: TaskShell.bash(),
  exec: 'set -e; for d in examples/*/; do [ -f "$d/cdk8s.yaml" ] || continue; echo "synth $d"; (cd "$d" && cdk8s synth --no-check-upgrade); done',
});

project.addTask('bench', {
  description: 'Run the benchmarks (synth and analysis speed and memory); results are printed, never asserted in tests',
  exec: 'ts-node --transpile-only bench/run.ts',
});

project.synth();

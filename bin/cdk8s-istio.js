#!/usr/bin/env node
// `cdk8s-istio analyze [--json] [--fail-on error|warning|none] PATH...` (see src/analysis/cli.ts)
require('../lib/src/analysis/cli.js').run();

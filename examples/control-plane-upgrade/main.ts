// A canary upgrade of Istio itself, 1.29.2 → 1.30.3, in five steps. Each step is the previous one plus a few
// lines, synthesized as its own App into dist/<n>-<step>/ — commit and roll out one step at a time (restart the
// workloads of moved namespaces between steps 3 and 5). docs/control-plane-upgrade.md shows each step's output.
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as istio from '../../src';

/** Where the cluster starts: everything runs on 1.29.2, both tags point at it. */
function platform(step: string) {
  const app = new App({ outdir: path.join(process.env.CDK8S_OUTDIR ?? 'dist', step) });
  const chart = new Chart(app, 'platform');
  new istio.Mesh(chart, 'Mesh');
  const cp = new istio.RevisionedControlPlane(chart, 'ControlPlane', {
    revisions: [{ name: '1-29-2', version: '1.29.2' }],
    tags: { 'prod-stable': '1-29-2', 'prod-canary': '1-29-2' },
  });
  cp.bind('shop', 'prod-stable');
  cp.bind('web', 'prod-stable');
  return { app, cp };
}

const steps: Array<[string, (cp: istio.RevisionedControlPlane) => void]> = [
  // 1. Install 1.30.3 beside 1.29.2; nothing uses it yet.
  ['1-add-revision', cp => cp.addRevision({ name: '1-30-3', version: '1.30.3' })],
  // 2. The canary tag now injects 1.30.3 proxies.
  ['2-canary-tag', cp => cp.setTag('prod-canary', '1-30-3')],
  // 3. Move a first namespace to the canary (then: kubectl rollout restart deployment -n web).
  ['3-move-namespaces', cp => cp.moveNamespace('web', 'prod-canary')],
  // 4. Promote: the stable tag follows (then restart the workloads of shop).
  ['4-promote-stable', cp => cp.setTag('prod-stable', '1-30-3')],
  // 5. Once no proxy uses 1.29.2 any more, remove it.
  ['5-remove-old-revision', cp => cp.removeRevision('1-29-2')],
];

steps.forEach(([name], i) => {
  const { app, cp } = platform(name);
  for (const [, apply] of steps.slice(0, i + 1)) apply(cp);
  app.synth();
});

// Shared set-up of the L2 construct tests (test/resources/*.test.ts). Synthesis and CRD validation go through
// the project-wide harness (../helpers.ts); this file only holds what the construct tests have in common.
import { App, Chart, Testing } from 'cdk8s';

/** A test app with one chart `test` in the given namespace. */
export function setup(namespace = 'shop'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

/** Matches the error our checks throw: `[<construct path>] …<message>…`. */
export function failure(constructPath: string, message: string): RegExp {
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\[${esc(constructPath)}\\] .*${esc(message)}`);
}

import * as fs from 'fs';
import * as path from 'path';

/** README snippets are copied from the examples, so the docs cannot drift from the API. */
describe('README', () => {
  const root = path.join(__dirname, '..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  test('the "Using it" snippet is examples/quickstart/main.ts, with the package import', () => {
    const block = /## Using it[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1];
    const example = fs.readFileSync(path.join(root, 'examples', 'quickstart', 'main.ts'), 'utf8');
    expect(block.trim()).toEqual(example.replace("from '../../src';", "from 'cdk8s-istio';").trim());
  });

  test('the two set-up commands are documented', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm ci && npm test');
  });

  test('every example folder with a cdk8s.yaml is listed in the examples table', () => {
    const examples = fs.readdirSync(path.join(root, 'examples')).filter(d => fs.existsSync(path.join(root, 'examples', d, 'cdk8s.yaml')));
    for (const e of examples) expect(readme).toContain(`(examples/${e}/main.ts)`);
  });
});

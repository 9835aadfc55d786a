import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BROKEN_VS as BROKEN, SHOP } from './support';
import { main } from '../../src/analysis/cli';


const WARNING = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  http:
    - retries: { attempts: 3 }
      route: [{ destination: { host: reviews.shop.svc.cluster.local } }]
`;

function tree(files: { [rel: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function run(argv: string[], stdin = ''): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, stdin: () => stdin });
  return { code, stdout, stderr };
}

describe('cdk8s-istio analyze', () => {
  test('exit 0 on clean YAML found recursively in a directory', () => {
    const dir = tree({ 'base/shop.yaml': SHOP, 'base/notes.txt': 'not yaml: [', 'overlays/prod/vs.yml': WARNING.replace('retries: { attempts: 3 }', 'timeout: 5s') });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 error(s), 0 warning(s), 0 suppressed.');
  });

  test('exit 1 when an error finding reaches the default --fail-on error; human-readable output', () => {
    const dir = tree({ 'shop.yaml': SHOP, 'vs.yaml': BROKEN });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR   destination-host-not-found VirtualService/shop/reviews [IST0101, KIA1101]');
    expect(r.stdout).toContain('fix: ');
  });

  test('--fail-on decides which severity exits 1', () => {
    const dir = tree({ 'shop.yaml': SHOP, 'vs.yaml': WARNING });
    expect(run(['analyze', dir]).code).toBe(0);
    expect(run(['analyze', '--fail-on', 'warning', dir]).code).toBe(1);
    expect(run(['analyze', '--fail-on=warning', dir]).code).toBe(1);
    const broken = tree({ 'shop.yaml': SHOP, 'vs.yaml': BROKEN });
    expect(run(['analyze', '--fail-on', 'none', broken]).code).toBe(0);
  });

  test('--json prints { findings, suppressed }', () => {
    const dir = tree({ 'all.yaml': `${SHOP}\n---\n${BROKEN}` });
    const r = run(['analyze', '--json', dir]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['findings', 'suppressed']);
    expect(out.findings).toEqual(expect.arrayContaining([expect.objectContaining({
      rule: 'destination-host-not-found',
      severity: 'error',
      object: 'VirtualService/shop/reviews',
      codes: ['IST0101', 'KIA1101'],
    })]));
    expect(typeof out.findings[0].message).toBe('string');
    expect(typeof out.findings[0].hint).toBe('string');
  });

  test('reads stdin for "-" and accepts files', () => {
    const dir = tree({ 'shop.yaml': SHOP });
    expect(run(['analyze', path.join(dir, 'shop.yaml'), '-'], BROKEN).code).toBe(1);
  });

  test('exit 2 on unparseable YAML, naming file and document', () => {
    const dir = tree({ 'bad.yaml': `${SHOP}\n---\nkind: [unclosed\n` });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml \(document \d+\): unparseable YAML/);
    expect(r.stdout).toBe('');
  });

  test('exit 2 on a document that is not a Kubernetes object, or of an unknown Istio kind', () => {
    const notObject = tree({ 'x.yaml': `${BROKEN}\n---\n- just\n- a list\n` });
    const r1 = run(['analyze', notObject]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/x\.yaml \(document 2\): not a Kubernetes object/);

    const unknown = tree({ 'y.yaml': 'apiVersion: rbac.istio.io/v1alpha1\nkind: ServiceRole\nmetadata: { name: r, namespace: shop }\n' });
    const r2 = run(['analyze', unknown]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/y\.yaml \(document 1\): unknown Istio kind ServiceRole/);
  });

  test('exit 2 on a missing path, a bad option or no path', () => {
    expect(run(['analyze', '/nonexistent/dir']).stderr).toMatch(/\/nonexistent\/dir: cannot read: ENOENT/);
    expect(run(['analyze', '/nonexistent/dir']).code).toBe(2);
    expect(run(['analyze', '--fail-on', 'sometimes', '.']).code).toBe(2);
    expect(run(['analyze', '--colour', '.']).code).toBe(2);
    expect(run(['analyze']).code).toBe(2);
    expect(run(['--help']).code).toBe(0);
  });

  test('mesh settings options change the evaluation model', () => {
    const se = `${SHOP}\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: { name: db, namespace: shop }\nspec:\n  hosts: [db.example.com]\n  resolution: DNS\n  ports: [{ number: 5432, name: tcp, protocol: TCP }]\n`;
    const dir = tree({ 'se.yaml': se });
    expect(JSON.parse(run(['analyze', '--json', dir]).stdout).findings.map((f: any) => f.rule)).toContain('serviceentry-tcp-without-addresses');
    expect(JSON.parse(run(['analyze', '--json', '--dns-auto-allocate', dir]).stdout).findings.map((f: any) => f.rule)).not.toContain('serviceentry-tcp-without-addresses');
  });
});

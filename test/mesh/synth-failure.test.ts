import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Mesh, MeshPort, MeshService, PeerAuthentication, TrafficSource } from '../../src';

describe('a failing synth writes no file', () => {
  test('an app-wide finding found during validation stops synth before any chart is written', () => {
    // GIVEN an app whose first chart is fine and whose second has two namespace-wide PeerAuthentications
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-fail-'));
    const app = new App({ outdir });
    const good = new Chart(app, 'good');
    new Mesh(good, 'Mesh');
    const api = new MeshService(good, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1' });
    api.allowFrom(TrafficSource.serviceAccount('web', 'bff'));
    const bad = new Chart(app, 'bad');
    new PeerAuthentication(bad, 'A', { metadata: { name: 'a', namespace: 'shop' } });
    new PeerAuthentication(bad, 'B', { metadata: { name: 'b', namespace: 'shop' } });
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/Validation failed[\s\S]*conflicting-peerauthentication/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('bad input in a construct throws before anything exists to write', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-fail-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'c');
    new Mesh(chart, 'Mesh');
    const api = new MeshService(chart, 'Api', { namespace: 'shop', port: MeshPort.http(8080), image: 'api:1' });
    expect(() => api.allowFrom(TrafficSource.serviceAccount('web', 'bff'), { paths: ['/a/*/b'] })).toThrow(/\[c\/Api\] allowFrom options.paths\[0\]/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

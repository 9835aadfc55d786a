// Synthesis benchmark: a mesh of N MeshServices in one chart (the number of charts never grows with the
// mesh), ~3 allowFrom edges per service, measured from construction through app.synthYaml() (validation,
// the MeshAnalyzer and every Lazy renderer included).
import { App, Chart } from 'cdk8s';
import { Mesh, MeshPort, MeshService } from '../src';

export interface SynthBenchResult {
  readonly services: number;
  readonly edges: number;
  readonly objects: number;
  readonly charts: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly heapMb: number;
}

export function synthBench(services: number): SynthBenchResult {
  const t0 = process.hrtime.bigint();
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'mesh');
  new Mesh(chart, 'Mesh');
  const svcs: MeshService[] = [];
  for (let i = 0; i < services; i++) {
    svcs.push(new MeshService(chart, `Svc${i}`, {
      namespace: `team-${i % 10}`,
      port: i % 3 === 0 ? MeshPort.grpc(9090) : MeshPort.http(8080),
      image: `registry.example.com/svc-${i}:1.0.0`,
    }));
  }
  let edges = 0;
  for (let i = 0; i < services; i++) {
    for (const step of [1, 7, 31]) {
      const j = (i + step) % services;
      if (j === i) continue;
      svcs[j].allowFrom(svcs[i], svcs[j].ports[0].isHttp ? { methods: ['GET'] } : {});
      edges++;
    }
  }
  const t1 = process.hrtime.bigint();
  const yaml = app.synthYaml();
  const t2 = process.hrtime.bigint();
  return {
    services,
    edges,
    objects: (yaml.match(/^kind: /gm) ?? []).length,
    charts: app.charts.length,
    constructMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t2 - t1) / 1e6,
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

// `npm run bench`: prints benchmark numbers (never asserted in tests). Add further benches here.
import { analysisBench, scalingBench } from './analysis';
import { synthBench } from './synth';

function main(): void {
  const a = analysisBench();
  console.log(`${a.name}: ${a.objects} objects, ${a.runs} runs: ${a.msPerRun.toFixed(1)} ms/run wall-clock `
    + `(min ${a.minMs.toFixed(1)} ms), ${a.cpuMsPerRun.toFixed(1)} ms/run CPU, ${a.findings} findings`);
  for (const s of scalingBench()) {
    console.log(`  scaling: ${s.objects} objects: ${s.cpuMsPerRun.toFixed(1)} ms/run CPU, ${s.usPerObject.toFixed(1)} µs/object`);
  }
  for (const n of [100, 300, 1000]) {
    const r = synthBench(n);
    console.log(`synth: ${r.services} services, ${r.edges} edges -> ${r.objects} objects in ${r.charts} chart(s): `
      + `construct ${r.constructMs.toFixed(0)} ms, synth ${r.synthMs.toFixed(0)} ms `
      + `(${(r.synthMs / r.objects).toFixed(2)} ms/object), heap ${r.heapMb.toFixed(0)} MB`);
  }
}

main();

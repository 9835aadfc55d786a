// `npm run bench`: prints benchmark numbers (never asserted in tests). Add further benches here.
import { analysisBench, scalingBench } from './analysis';

function main(): void {
  const a = analysisBench();
  console.log(`${a.name}: ${a.objects} objects, ${a.runs} runs: ${a.msPerRun.toFixed(1)} ms/run wall-clock `
    + `(min ${a.minMs.toFixed(1)} ms), ${a.cpuMsPerRun.toFixed(1)} ms/run CPU, ${a.findings} findings`);
  for (const s of scalingBench()) {
    console.log(`  scaling: ${s.objects} objects: ${s.cpuMsPerRun.toFixed(1)} ms/run CPU, ${s.usPerObject.toFixed(1)} µs/object`);
  }
}

main();

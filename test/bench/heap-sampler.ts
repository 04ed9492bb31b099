/**
 * Loaded into the benchmarked service with `node --import` (test/bench/memory-bench.ts bundles it
 * to plain JavaScript beside the build): writes V8's heap figures and the process's CPU time to
 * the file named by HEAP_SAMPLE_FILE every 250 ms, so the benchmark reads them beside resident
 * memory without the service exposing anything.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.HEAP_SAMPLE_FILE;
if (file) {
  let peakTotal = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakTotal = Math.max(peakTotal, m.heapTotal);
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ ...m, peakTotal, cpuMs: (cpu.user + cpu.system) / 1000 }));
  };
  setInterval(sample, 250).unref();
  sample();
}

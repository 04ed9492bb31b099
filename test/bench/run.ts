/**
 * `npm run bench`: every benchmark, printed as a table, with figures measured in one run (ratios
 * are only meaningful within a run on these noisy machines). The README's Benchmarks section
 * quotes the last run.
 */
import { benchCore } from './core-bench';
import { benchStorage } from './storage-bench';

const suites: [string, () => Promise<Record<string, number | string>>][] = [
  ['core: compliance in memory', benchCore],
  ['storage: Azurite at 100,000 people', benchStorage],
];

for (const [name, run] of suites) {
  console.log(`\n== ${name}`);
  const figures = await run();
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(width)}  ${value}`);
}

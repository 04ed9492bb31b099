/**
 * `npm run bench`: every benchmark, printed as a table, with figures measured in one run (ratios
 * are only meaningful within a run on these noisy machines). The README's Benchmarks section
 * quotes the last run. `npm run bench -- cards core` runs only the suites whose names contain those words.
 */
import { benchCards } from './card-bench';
import { benchCore } from './core-bench';
import { benchImport } from './import-bench';
import { benchMemory } from './memory-bench';
import { benchNotify } from './notify-bench';
import { benchOutbox } from './outbox-bench';
import { benchTabBundle } from './tab-bundle';
import { benchStorage } from './storage-bench';

const suites: [string, () => Promise<Record<string, number | string>>][] = [
  ['core: compliance in memory', benchCore],
  ['cards: record form submit over HTTP', benchCards],
  ['tab: bundle size', benchTabBundle],
  ['import: the HR import at 100,000 people', benchImport],
  ['storage: Azurite at 100,000 people', benchStorage],
  ['memory: the service at 100,000 people', benchMemory],
  ['notify: sending at Teams rates', benchNotify],
  ['notify: through the outbox queue on Azurite', benchOutbox],
];

// `npm run bench -- cards` runs only the suites whose name contains a word given.
const only = process.argv.slice(2).map((a) => a.toLowerCase());
for (const [name, run] of suites) {
  if (only.length > 0 && !only.some((word) => name.toLowerCase().includes(word))) continue;
  console.log(`\n== ${name}`);
  const figures = await run();
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(width)}  ${value}`);
}

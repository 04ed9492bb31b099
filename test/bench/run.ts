/**
 * `npm run bench`: every benchmark, printed as ONE table — figure, target (DESIGN.md §8 and the
 * issues), measured, ratio (to the raw read or write of the same rows, where one applies) and met —
 * measured in one run (ratios are only meaningful within a run on these noisy machines). A full run
 * writes the table into README.md's Benchmarks section between `<!-- bench:start -->` and
 * `<!-- bench:end -->`, with the date, the machine and its load average at the start.
 * `npm run bench -- cards core` runs only the suites whose names contain those words and leaves
 * the README alone.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchCards } from './card-bench';
import { benchCore } from './core-bench';
import { benchImport } from './import-bench';
import { benchLoad } from './load-bench';
import { benchMemory } from './memory-bench';
import { benchNotify } from './notify-bench';
import { benchOutbox } from './outbox-bench';
import { type Row } from './stats';
import { benchStorage } from './storage-bench';
import { benchTabBundle } from './tab-bundle';

type Figures = Record<string, number | string>;

/**
 * Targets for the suites that still return named figures (DESIGN.md §8), by the figure's name,
 * with the ratio that goes with it where the suite measures one.
 */
const TARGETS: Record<string, { target: string; met: (value: number) => boolean; ratio?: string }> = {
  'HR import, people step, into an empty Azurite (rows/s)': {
    target: '≥ 5,000 rows/s',
    met: (v) => v >= 5000,
    ratio: 'HR import people step ÷ raw writes of the same entities, empty Azurite',
  },
  'my team p95, 50 concurrent managers (ms)': {
    target: '< 50 ms',
    met: (v) => v < 50,
    ratio: 'my team p95 ÷ raw listEntities p95',
  },
  'organisation overview p95 (ms)': {
    target: '< 500 ms',
    met: (v) => v < 500,
    ratio: 'organisation overview p95 ÷ raw listEntities p95',
  },
  'tab API /api/team p95, 50 concurrent managers (ms)': { target: '< 50 ms', met: (v) => v < 50 },
  'tab API /api/org p95, top node (ms)': { target: '< 500 ms', met: (v) => v < 500 },
};

/** A suite's named figures as rows; ratios named in TARGETS join their figure's row. */
function rowsOf(figures: Figures | Row[]): Row[] {
  if (Array.isArray(figures)) return figures;
  const ratios = new Set(Object.values(TARGETS).flatMap((t) => (t.ratio ? [t.ratio] : [])));
  return Object.entries(figures)
    .filter(([figure]) => !ratios.has(figure))
    .map(([figure, value]) => {
      const known = TARGETS[figure];
      const measured = typeof value === 'number' ? value.toLocaleString('en-GB') : value;
      if (!known) return { figure, measured };
      const ratio = known.ratio ? figures[known.ratio] : undefined;
      return {
        figure,
        target: known.target,
        measured,
        ...(ratio === undefined ? {} : { ratio: `${ratio} ×` }),
        met: typeof value === 'number' && known.met(value),
      };
    });
}

const suites: [string, () => Promise<Figures | Row[]>][] = [
  ['core: compliance in memory', benchCore],
  ['cards: record form submit over HTTP', benchCards],
  ['load: sustained load on the tab API and the bot endpoint', benchLoad],
  ['tab: bundle size', benchTabBundle],
  ['import: the HR import at 100,000 people', benchImport],
  ['storage: Azurite at 100,000 people', benchStorage],
  ['memory: the service at 100,000 people', benchMemory],
  ['notify: sending at Teams rates', benchNotify],
  ['notify: through the outbox queue on Azurite', benchOutbox],
];

/** The rows as a Markdown table, columns padded as prettier pads them. */
function table(rows: Row[]): string {
  const cells = [
    ['figure', 'target', 'measured', 'ratio', 'met'],
    ...rows.map((r) => [
      r.figure,
      r.target ?? '',
      r.measured,
      r.ratio ?? '',
      r.met === undefined ? '' : r.met ? 'yes' : 'no',
    ]),
  ].map((line) => line.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = cells[0]!.map((_, c) => Math.max(3, ...cells.map((line) => [...line[c]!].length)));
  const line = (values: string[]) =>
    `| ${values.map((v, c) => v + ' '.repeat(widths[c]! - [...v].length)).join(' | ')} |`;
  return [
    line(cells[0]!),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

// `npm run bench -- cards` runs only the suites whose name contains a word given.
const only = process.argv.slice(2).map((a) => a.toLowerCase());
const started = new Date();
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
const rows: Row[] = [];
for (const [name, run] of suites) {
  if (only.length > 0 && !only.some((word) => name.toLowerCase().includes(word))) continue;
  console.log(`\n== ${name}`);
  const suiteRows = rowsOf(await run());
  for (const row of suiteRows) console.log(`  ${row.figure}: ${row.measured}`);
  rows.push(...suiteRows);
}
const machine = `${cpus().length} cores, Node ${process.version}, load average ${load} at the start`;
const printed = `${table(rows)}\n\n${started.toISOString().slice(0, 10)}, ${machine}.`;
console.log(`\n${printed}`);

if (only.length === 0) {
  const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
  const text = await readFile(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} markers`);
  await writeFile(readme, `${text.slice(0, from + start.length)}\n\n${printed}\n\n${text.slice(to)}`);
  console.log('README.md: Benchmarks table written');
}

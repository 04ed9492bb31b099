/**
 * HR import benchmark (DESIGN.md §8 "HR import: ≥ 5,000 rows/s"): 100,000 people into an empty
 * Azurite (in memory, started here), then the same file again (nothing to write, but both tables
 * are read and compared), then the people step of a file with 1 % of people changed and of the
 * repair of an import cut short. Lighter than the storage suite (no conversation history): `npm run bench -- import`.
 */
import { performance } from 'node:perf_hooks';
import { fixedClock } from '../../bot/clock';
import { startAzurite } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort } from '../../bot/dev/ports';
import { configureLogging, createLogger } from '../../bot/log';
import { employeesCsv, importHr, importPeople } from '../../bot/records/imports';
import { Records } from '../../bot/records/records';
import { openTables } from '../../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { AZURITE_SHARDS } from './stats';

const AS_OF = '2026-11-23';
const PEOPLE = 100_000;

/** Runs the import benchmark and returns its figures. */
export async function benchImport(): Promise<Record<string, number | string>> {
  configureLogging('error');
  const azurite = await startAzurite({
    ports: { table: await freePort() },
    // As the storage suite: room for Azurite's heap, so the figures are not its garbage collector's.
    nodeArgs: ['--max-old-space-size=14336', '--max-semi-space-size=64'],
  });
  try {
    const tables = await openTables({
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    });
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(AS_OF), createLogger('bench'));
    const people = generateDemoOrg({ asOf: AS_OF, people: PEOPLE, historyQuarters: 0 }).employees;
    const csv = employeesCsv(people);

    const timed = async (what: string, text: string) => {
      const t0 = performance.now();
      let peopleMs: number | undefined;
      const summary = await importHr(records, tables, text, (step) => {
        if (step !== 'people') peopleMs ??= performance.now() - t0;
      });
      const totalMs = performance.now() - t0;
      process.stderr.write(`  import bench: ${what} ${Math.round(totalMs)} ms\n`);
      return { summary, totalMs, peopleMs: peopleMs ?? totalMs };
    };

    const first = await timed('first import', csv);
    const same = await timed('same file again', csv);
    // 1 %: a tenth of them (people who manage nobody) move to another manager, the rest change
    // department.
    const managers = [...new Set(people.map((e) => e.managerId).filter((m) => m !== undefined))];
    const managing = new Set(managers);
    const changed = people.map((e, i) => {
      if (i % 100 !== 50 || e.managerId === undefined) return e;
      if (i % 1_000 === 50 && !managing.has(e.id)) {
        return { ...e, managerId: managers[(i * 7) % managers.length]! };
      }
      return { ...e, department: `${e.department} (renamed)` };
    });
    // The people step alone from here (the refresh after it is the same whatever changed).
    const peopleStep = async (what: string, text: string) => {
      const t0 = performance.now();
      const { written } = await importPeople(records, text);
      const ms = performance.now() - t0;
      process.stderr.write(`  import bench: ${what} ${Math.round(ms)} ms\n`);
      return { written, ms };
    };
    const onePercent = await peopleStep('1 % changed', employeesCsv(changed));
    // An import cut short: 2,000 people's status rows are gone, as after a crash between the tables.
    for (const e of changed.filter((_, i) => i % 10 === 0).slice(0, 2_000)) {
      await records.team.remove(e.managerId, e.id);
    }
    const repair = await peopleStep('repair 2,000 half-written people', employeesCsv(changed));

    const rate = (ms: number) => Math.round(PEOPLE / (ms / 1000));
    const s = (ms: number) => Math.round(ms / 100) / 10;
    return {
      people: PEOPLE,
      'first import, people step (rows/s)': rate(first.peopleMs),
      'first import, whole with refresh (s)': s(first.totalMs),
      'same file again: both tables read and compared, nothing written (s)': s(same.totalMs),
      'same file again (rows/s)': rate(same.totalMs),
      'same file again: unchanged': same.summary.unchanged,
      '1 % changed, people step (s)': s(onePercent.ms),
      '1 % changed: updated': onePercent.written.updated,
      'repair of 2,000 missing status rows, people step (s)': s(repair.ms),
      'repair: repaired': repair.written.repaired ?? 0,
    };
  } finally {
    await azurite.stop();
  }
}

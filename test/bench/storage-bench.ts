/**
 * Storage benchmark (DESIGN.md §8, issue 4): 100,000 people and about 1.2 million conversations in
 * Azurite (in memory, started here). Measures the HR import's rate, "my team" reads under 50
 * concurrent managers and the organisation overview, each also as a ratio to the raw
 * `listEntities` read of the same rows, all in one run.
 * Run alone with `npx tsx test/bench/storage-bench.ts`; `npm run bench` imports `benchStorage`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { odata } from '@azure/data-tables';
import { fixedClock } from '../../bot/clock';
import { startAzurite } from '../../bot/dev/azurite';
import { type DemoOrg, generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort, storagePorts } from '../../bot/dev/ports';
import { demoRecords } from '../../bot/dev/seed';
import { configureLogging, createLogger } from '../../bot/log';
import { employeesCsv, importHistory, importHr, importPeople } from '../../bot/records/imports';
import { Records } from '../../bot/records/records';
import { ancestorPaths, employeeToEntity } from '../../bot/storage/employee-table';
import { ROOT_PARTITION, teamPartition } from '../../bot/storage/keys';
import { openTables } from '../../bot/storage/tables';
import { startApp } from '../../bot/app';
import { inPost } from '../../bot/api/caller';
import { writeBatches } from '../../bot/storage/entities';
import { type StoredRow, pageEntity, stored } from '../../bot/storage/team-table';
import { forEachLimit } from '../../bot/concurrency';
import { readConfig } from '../../bot/config';
import { rollupQuarters } from '../../core/compliance/status-facts';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { AZURITE_SHARDS, httpGet, load, percentile } from './stats';

const AS_OF = '2026-11-23';

/** Runs the storage benchmark and returns its figures. */
export async function benchStorage(): Promise<Record<string, number | string>> {
  configureLogging('error');
  // 1.3 million rows live on Azurite's heap: give it room, so the figures are not its garbage collector's.
  const azurite = await startAzurite({
    ports: await storagePorts(),
    nodeArgs: ['--max-old-space-size=14336', '--max-semi-space-size=64'],
  });
  try {
    const tables = await openTables({
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    });
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(AS_OF), createLogger('bench'));
    // The import runs as the CLI would: without 1.2 million records in memory (the same seed
    // gives the same people whatever the history length).
    const people = generateDemoOrg({ asOf: AS_OF, people: 100_000, historyQuarters: 0 }).employees;
    const csv = employeesCsv(people);

    // The floor under the import: the same entities (each person's directory row, each team's
    // page) written by the SDK alone — the import's own batch writer for the directory
    // (transactions of ≤ 100 per partition), one write per team page, 8 at a time — into empty
    // tables: no parsing, diffing, paths or reads first.
    const connection = {
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    } as const;
    const paths = ancestorPaths(new Map(people.map((e) => [e.id, e])));
    const teamPages = new Map<string, StoredRow[]>();
    for (const e of people) {
      const partition = teamPartition(e.managerId);
      const row = stored(
        { employee: e, path: paths.get(e.id) ?? [], facts: { held: [] }, dirty: false },
        'v',
      );
      (teamPages.get(partition) ?? teamPages.set(partition, []).get(partition)!).push(row);
    }
    const rawWrites = async (prefix: string): Promise<number> => {
      const raw = await openTables(connection, prefix);
      const start = performance.now();
      await Promise.all([
        writeBatches(raw.employees, people.map(employeeToEntity), 'Replace'),
        forEachLimit([...teamPages], 8, async ([partition, rows]) => {
          await raw.team.createEntity(pageEntity(partition, '~p0000', JSON.stringify(rows), rows.length));
        }),
      ]);
      return performance.now() - start;
    };
    // The import and its floor are timed here into an empty Azurite (the import the rest of the
    // bench reads), and twice more at the end, into tables of their own in an Azurite then holding
    // 1.3 million rows: three timings a few minutes apart, on a machine whose speed drifts.
    const rawMs = [await rawWrites('raw0')];

    // HR import: the people step (parse, diff, batched writes of people and team pages), then its refresh.
    const phases = new Map<string, number>();
    let mark = performance.now();
    let phase = 'people';
    const t0 = performance.now();
    const hr = await importHr(records, tables, csv, (step) => {
      if (step !== phase) {
        process.stderr.write(`  storage bench: ${phase} ${Math.round(performance.now() - mark)} ms\n`);
        phases.set(phase, performance.now() - mark);
        mark = performance.now();
        phase = step;
      }
    });
    phases.set(phase, performance.now() - mark);
    const importMs = performance.now() - t0;
    const peopleMs = [phases.get('people') ?? importMs];

    // The history (1.2 million records) is generated and loaded in a function of its own, so
    // none of it stays on this process's heap while reads are timed.
    interface Loaded {
      org: Pick<DemoOrg, 'teamManagerIds' | 'chiefExecutiveId' | 'odTeamIds'> & { employees: typeof people };
      conversations: number;
      historyMs: number;
    }
    const { org, conversations, historyMs } = await (async (): Promise<Loaded> => {
      const full = generateDemoOrg({ asOf: AS_OF, people: 100_000, historyQuarters: 14 });
      const history = demoRecords(full);
      const h0 = performance.now();
      let historyStep = '';
      await importHistory(records, tables, history, (step) => {
        if (step !== historyStep)
          process.stderr.write(
            `  storage bench: history ${step} at ${Math.round(performance.now() - h0)} ms\n`,
          );
        historyStep = step;
      });
      const { teamManagerIds, chiefExecutiveId, odTeamIds } = full;
      return {
        org: { employees: people, teamManagerIds, chiefExecutiveId, odTeamIds },
        conversations: history.length,
        historyMs: performance.now() - h0,
      };
    })();

    // "My team": 50 concurrent managers, each reading their team (one partition) 100 times. With 50
    // requests in flight, one pause of either process (a garbage collection) delays 50 samples at
    // once: among 1,000 samples that alone is the p95, among 5,000 it is 1 %.
    // Managers in post with at least one report in post (the tab's My team answers 403 otherwise).
    const staffed = new Set(
      org.employees.filter((e) => inPost(e, AS_OF) && e.managerId !== undefined).map((e) => e.managerId),
    );
    const byId = new Map(org.employees.map((e) => [e.id, e]));
    const managers = org.teamManagerIds
      .filter((id) => staffed.has(id) && inPost(byId.get(id)!, AS_OF))
      .slice(0, 50);
    // A warm-up first: the history this process just generated and dropped is collected here, not
    // inside the timed window.
    await load(managers.length, 5, async (w) => void (await records.team.team(managers[w])));
    const myTeam = await load(managers.length, 100, async (w) => {
      const team = await records.team.team(managers[w]);
      if (team.length === 0) throw new Error('empty team');
    });
    const rawTeam = await load(managers.length, 100, async (w) => {
      let n = 0;
      for await (const _ of tables.team.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${managers[w]!}` },
      }))
        n++;
      if (n === 0) throw new Error('empty team');
    });

    // Organisation overview: the whole organisation and its directorates over eight quarters —
    // the root partition and the Chief Executive's, read concurrently.
    const quarters = rollupQuarters(AS_OF);
    const overview = await load(10, 20, async () => {
      const [whole, directorates] = await Promise.all([
        records.rollups.node(ROOT_PARTITION, quarters[0], quarters.at(-1)),
        records.rollups.node(org.chiefExecutiveId, quarters[0], quarters.at(-1)),
      ]);
      if (whole.length === 0 || directorates.length === 0) throw new Error('no roll-ups');
    });
    const rawOverview = await load(10, 20, async () => {
      await Promise.all(
        [ROOT_PARTITION, org.chiefExecutiveId].map(async (pk) => {
          for await (const _ of tables.rollups.listEntities({
            queryOptions: { filter: odata`PartitionKey eq ${pk}` },
          }));
        }),
      );
    });

    const early = (label: string, samples: number[]) =>
      process.stderr.write(
        `  storage bench: ${label} p95 ${percentile(samples, 95).toFixed(1)} ms, p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms, max ${percentile(samples, 100).toFixed(1)} ms\n`,
      );
    early('my team', myTeam);
    early('raw team', rawTeam);
    early('overview', overview);
    early('raw overview', rawOverview);
    process.stderr.write(
      `  storage bench: people step ${Math.round(peopleMs[0]!)} ms, raw ${Math.round(rawMs[0]!)} ms\n`,
    );

    // The tab's API over HTTP on the same data (issue 7): the service with a development sign-in,
    // 50 managers reading My team at once, and an OD member reading the organisation's top node
    // and its overdue list.
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_SHARDS: String(AZURITE_SHARDS),
      OD_MEMBERS: org.odTeamIds.slice(0, 3).join(','),
    });
    const app = await startApp({
      config,
      tables,
      policy: PROFESSIONAL_CONVERSATION,
      clock: fixedClock(AS_OF),
      tabDir: '/none',
    });
    let apiTeam: number[];
    let apiTeamAlone: number[];
    let apiTeam10: number[];
    let apiOrg: number[];
    let apiList: number[];
    try {
      const token = async (userId: string) => {
        const response = await fetch(`${app.service.url}/api/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        });
        return ((await response.json()) as { token: string }).token;
      };
      // The load generator shares the process and its cores with the service: a kept-alive
      // node:http client costs it far less CPU per request than fetch.
      const get = async (path: string, bearer: string) => {
        const status = await httpGet(`${app.service.url}${path}`, { authorization: `Bearer ${bearer}` });
        if (status !== 200) throw new Error(`${path} answered ${status}`);
      };
      const managerTokens = await Promise.all(managers.map(token));
      // A warm-up, as for My team above: each manager's first request also checks their token's
      // signature and reads their directory row and roll-ups (kept for a minute after), which
      // would otherwise all fall in the first 5 % of the timed requests.
      await load(managers.length, 3, (w) => get('/api/team', managerTokens[w]!));
      apiTeam = await load(managers.length, 100, (w) => get('/api/team', managerTokens[w]!));
      apiTeam10 = await load(10, 100, (w) => get('/api/team', managerTokens[w]!));
      apiTeamAlone = await load(1, 200, (_w, i) => get('/api/team', managerTokens[i % managers.length]!));
      early('api team, 50 at once', apiTeam);
      early('api team, 10 at once', apiTeam10);
      const od = await token(org.odTeamIds[0]!);
      apiOrg = await load(10, 10, () => get('/api/org', od));
      apiList = await load(5, 4, () => get('/api/org/list?kind=overdue', od));
    } finally {
      await app.stop();
    }

    for (const run of [1, 2]) {
      rawMs.push(await rawWrites(`raw${run}`));
      const again = new Records(
        await openTables(connection, `import${run}`),
        PROFESSIONAL_CONVERSATION,
        fixedClock(AS_OF),
        createLogger('bench'),
      );
      const start = performance.now();
      const { written } = await importPeople(again, csv);
      if (written.added !== people.length) throw new Error(`import ${run} added ${written.added}`);
      peopleMs.push(performance.now() - start);
    }
    const rate = (ms: number) => Math.round(people.length / (ms / 1000));
    const ratio = (k: number) => Math.round((peopleMs[k]! / rawMs[k]!) * 100) / 100;

    const p95 = (s: number[]) => Math.round(percentile(s, 95) * 10) / 10;
    return {
      people: org.employees.length,
      conversations,
      'HR import, people step, into an empty Azurite (rows/s)': rate(peopleMs[0]!),
      'HR import people step ÷ raw writes of the same entities, empty Azurite': ratio(0),
      'raw writes: a directory row per person, a page per team, empty Azurite (people/s)': rate(rawMs[0]!),
      'HR import, people step, twice more into an Azurite holding 1.3 M rows (rows/s)': peopleMs
        .slice(1)
        .map(rate)
        .join(' / '),
      'HR import ÷ raw writes, Azurite holding 1.3 M rows': [1, 2].map(ratio).join(' / '),
      'raw writes, twice more into an Azurite holding 1.3 M rows (people/s)': rawMs
        .slice(1)
        .map(rate)
        .join(' / '),
      'HR import, whole with refresh (s)': Math.round(importMs / 100) / 10,
      'HR import added': hr.added,
      'history load, 1.2 M records + statuses + roll-ups (s)': Math.round(historyMs / 100) / 10,
      'my team p95, 50 concurrent managers (ms)': p95(myTeam),
      'my team p50 (ms)': Math.round(percentile(myTeam, 50) * 10) / 10,
      'my team p99 (ms)': Math.round(percentile(myTeam, 99) * 10) / 10,
      'my team p95 ÷ raw listEntities p95':
        Math.round((percentile(myTeam, 95) / percentile(rawTeam, 95)) * 100) / 100,
      'organisation overview p95 (ms)': p95(overview),
      'organisation overview p95 ÷ raw listEntities p95':
        Math.round((percentile(overview, 95) / percentile(rawOverview, 95)) * 100) / 100,
      'tab API /api/team p95, 50 concurrent managers (ms)': p95(apiTeam),
      'tab API /api/team p95, 10 concurrent managers (ms)': p95(apiTeam10),
      'tab API /api/team p95, one manager at a time (ms)': p95(apiTeamAlone),
      'tab API /api/org p95, top node (ms)': p95(apiOrg),
      'tab API /api/org/list overdue p95, top node (ms)': p95(apiList),
    };
  } finally {
    await azurite.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchStorage();
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
}

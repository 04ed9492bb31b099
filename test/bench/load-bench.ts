/**
 * Sustained load (issue 19): autocannon against the real service, alone in a child process on
 * 127.0.0.1 (bench-service.ts), on Azurite in memory with a seeded demo organisation of 3,000
 * people and their history. For a fixed time each, with 10 connections: My team and the
 * Organisation view through the tab API (authenticated with the development token endpoint, a
 * different manager per request), and the bot endpoint answering a manager's "log a
 * conversation" invoke (the record form, as a card button opens it). Every non-2xx answer, error
 * and timeout is counted; a suite with any fails its row. Run alone with
 * `npx tsx test/bench/load-bench.ts`; `npm run bench` imports `benchLoad`.
 */
import autocannon from 'autocannon';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../../bot/clock';
import { readConfig } from '../../bot/config';
import { startAzurite } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort, storagePorts } from '../../bot/dev/ports';
import { seedDemoOrg } from '../../bot/dev/seed';
import { configureLogging, createLogger } from '../../bot/log';
import { Records } from '../../bot/records/records';
import { openTables } from '../../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { startConnectorCapture } from '../support/connector-capture';
import { startBenchService } from './bench-service';
import { AZURITE_SHARDS, ms, percentile, type Row } from './stats';

const PEOPLE = 3_000;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? '20');
const CONNECTIONS = 10;

interface Outcome {
  readonly requests: number;
  readonly failures: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly perSecond: number;
  /** The non-2xx answers by status, e.g. `2 × 403`. */
  readonly statuses: string;
}

interface Request {
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** One fixed-time autocannon run; `next` gives each request's path, headers and body. */
async function hammer(url: string, seconds: number, next: () => Request): Promise<Outcome> {
  // autocannon's own histogram has p97.5 but no p95: every answer's time is kept instead.
  const samples: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
      },
      (error, done) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    instance.on('response', (_client, status, _bytes, time) => {
      samples.push(time);
      if (status < 200 || status > 299) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  return {
    requests: result.requests.total,
    // A timeout counts as an error; non2xx counts every 1xx, 3xx, 4xx and 5xx answer.
    failures: result.non2xx + result.errors + result.timeouts,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    perSecond: samples.length / seconds,
    statuses: [...statuses].map(([status, count]) => `${count} × ${status}`).join(', '),
  };
}

/** Runs the load benchmark and returns its rows. */
export async function benchLoad(): Promise<Row[]> {
  configureLogging('error');
  const today = systemClock.today();
  const azurite = await startAzurite({ ports: await storagePorts() });
  const capture = await startConnectorCapture();
  try {
    const org = generateDemoOrg({ asOf: today, people: PEOPLE });
    const setup = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_SHARDS: String(AZURITE_SHARDS),
    });
    const tables = await openTables(setup.storage);
    await seedDemoOrg(
      new Records(tables, PROFESSIONAL_CONVERSATION, systemClock, createLogger('seed')),
      tables,
      org,
    );
    const service = await startBenchService({
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_SHARDS: String(AZURITE_SHARDS),
      OD_MEMBERS: org.odTeamIds.slice(0, 3).join(','),
    });
    try {
      const token = async (userId: string) => {
        const response = await fetch(`${service.url}/api/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        });
        if (response.status !== 200) throw new Error(`/api/dev/token answered ${response.status}`);
        return ((await response.json()) as { token: string }).token;
      };
      const current = org.employees.filter((e) => e.leaveDate === undefined && e.managerId !== undefined);
      const reports = current.filter((e) => e.startDate < today);
      // Managers still employed only: one who has left has no My team to read (403).
      const managerIds = [...new Set(reports.map((e) => e.managerId!))]
        .filter((id) => org.employees.some((e) => e.id === id && e.leaveDate === undefined))
        .slice(0, 100);
      const pairs = managerIds.map((id) => ({
        manager: org.employees.find((e) => e.id === id)!,
        report: reports.find((e) => e.managerId === id)!,
      }));
      const managerTokens = await Promise.all(managerIds.map(token));
      const odTokens = await Promise.all(org.odTeamIds.slice(0, 3).map(token));
      let n = 0;
      const team = () => ({
        path: '/api/team',
        headers: { authorization: `Bearer ${managerTokens[n++ % managerTokens.length]!}` },
      });
      const organisation = () => ({
        path: '/api/org',
        headers: { authorization: `Bearer ${odTokens[n++ % odTokens.length]!}` },
      });
      const invoke = () => {
        const { manager, report } = pairs[n++ % pairs.length]!;
        return {
          path: '/api/messages',
          method: 'POST' as const,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'invoke',
            name: 'adaptiveCard/action',
            channelId: 'msteams',
            serviceUrl: capture.url,
            id: `act-${n}`,
            from: { id: `29:${manager.id}`, name: manager.name, aadObjectId: manager.id },
            recipient: { id: '28:bot', name: 'Bot' },
            conversation: { id: `a:chat-${manager.id}`, conversationType: 'personal', tenantId: 'tenant-1' },
            value: {
              action: { type: 'Action.Execute', verb: 'log', data: { verb: 'log', employeeId: report.id } },
            },
          }),
        };
      };
      const runs: [string, string, () => Request][] = [
        ['tab API My team (GET /api/team)', '', team],
        ['tab API Organisation view (GET /api/org, top node)', '', organisation],
        ['bot endpoint, record form invoke (POST /api/messages)', '', invoke],
      ];
      const rows: Row[] = [
        {
          figure: `load: ${PEOPLE.toLocaleString('en-GB')} people, ${SECONDS} s each, ${CONNECTIONS} connections, service in its own process`,
          measured: '',
        },
      ];
      for (const [name, , next] of runs) {
        // A short warm-up: each caller's first request checks their token and fills the caches.
        await hammer(service.url, 3, next);
        const outcome = await hammer(service.url, SECONDS, next);
        rows.push(
          {
            figure: `${name}: errors (non-2xx, failed, timed out) of requests`,
            target: '0',
            measured:
              `${outcome.failures} of ${outcome.requests.toLocaleString('en-GB')}` +
              (outcome.statuses ? ` (${outcome.statuses})` : ''),
            met: outcome.failures === 0 && outcome.requests > 0,
          },
          {
            figure: `${name}: p50 / p95 / p99`,
            measured: `${ms(outcome.p50)} / ${ms(outcome.p95)} / ${ms(outcome.p99)}`,
          },
          { figure: `${name}: requests/s`, measured: Math.round(outcome.perSecond).toLocaleString('en-GB') },
        );
      }
      return rows;
    } finally {
      await service.stop();
    }
  } finally {
    await capture.close();
    await azurite.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchLoad())
    console.log(`${row.figure}: ${row.measured}${row.met === false ? ' (NOT MET)' : ''}`);
}

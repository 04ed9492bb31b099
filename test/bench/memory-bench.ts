/**
 * Service memory (DESIGN.md §8: < 300 MB): the service as deployed — the production build
 * (`npm run build`) started as `npm run serve` starts it, in a folder holding only production
 * dependencies, in production mode with Entra tokens from a local key server, no heap cap — on
 * Azurite holding 100,000 people written by the HR import, while every team manager opens My team
 * once and OD members open the organisation view, so the per-instance caches (callers, tokens,
 * team figures, decoded pages) fill as an organisation of this size fills them. Reports resident
 * memory (VmRSS, VmHWM) and V8's heap (from the service's own `/api/dev`-free reporting: the
 * process is sampled through /proc only) at start, after every manager's My team, and at peak.
 * Run alone with `npx tsx test/bench/memory-bench.ts`; `npm run bench -- memory`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixedClock } from '../../bot/clock';
import { startAzurite, stopChild } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort, storagePorts } from '../../bot/dev/ports';
import { configureLogging, createLogger } from '../../bot/log';
import { employeesCsv, importHr } from '../../bot/records/imports';
import { Records } from '../../bot/records/records';
import { openTables } from '../../bot/storage/tables';
import { forEachLimit } from '../../bot/concurrency';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { AZURITE_SHARDS, httpGet, percentile } from './stats';
import { build } from 'esbuild';
import { performance } from 'node:perf_hooks';
import { startEntraKeyServer } from '../support/entra-tokens';
import { productionInstall } from '../support/production-install';

const AS_OF = '2026-11-23';

/** A process's resident memory now and at its peak, in MB, from /proc. */
function residentMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function waitForReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if ((await httpGet(`${url}/readyz`).catch(() => 0)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the service did not answer /readyz within 60 s');
}

const TENANT = '11111111-2222-4333-8444-555555555555';
const BOT_ID = '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

/** The node flags `npm run serve` starts the service with (package.json), so the bench starts it so. */
function serveFlags(): string[] {
  const script = (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts.serve!;
  const words = script.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js')
    throw new Error(`unexpected serve script: ${script}`);
  return words.slice(1, -1);
}

interface Sample {
  readonly rss: number;
  readonly peakRss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly peakHeap: number;
  readonly cpuMs: number;
}

/** Runs the memory benchmark and returns its figures. */
export async function benchMemory(): Promise<Record<string, number | string>> {
  configureLogging('error');
  const [azurite, install, entra] = await Promise.all([
    storagePorts().then((ports) => startAzurite({ ports })),
    productionInstall(),
    startEntraKeyServer(TENANT, `api://localhost/${BOT_ID}`),
  ]);
  await build({
    entryPoints: [fileURLToPath(new URL('./heap-sampler.ts', import.meta.url))],
    outfile: `${install.dir}/heap-sampler.mjs`,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const heapFile = `${install.dir}/heap.json`;
  const org = generateDemoOrg({ asOf: AS_OF, people: 100_000, historyQuarters: 0 });
  try {
    const tables = await openTables({
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    });
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(AS_OF), createLogger('bench'));
    await importHr(records, tables, employeesCsv(org.employees));

    // The service as `npm run serve` starts it, then the same with Node's defaults, in one run.
    // SERVICE_HEAP_MB adds a third, capped, for comparison.
    const variants: [string, string[]][] = [
      [`npm run serve (${serveFlags().join(' ')})`, serveFlags()],
      ["Node's defaults (--enable-source-maps only)", ['--enable-source-maps']],
    ];
    if (process.env.SERVICE_HEAP_MB)
      variants.push([
        `capped: --max-old-space-size=${process.env.SERVICE_HEAP_MB}`,
        ['--enable-source-maps', `--max-old-space-size=${process.env.SERVICE_HEAP_MB}`],
      ]);
    const figures: Record<string, number | string> = { people: org.employees.length };
    for (const [name, flags] of variants) {
      const result = await measure(flags);
      figures[`${name}: after start`] = row(result.atStart);
      figures[`${name}: after every manager's My team`] = row(result.afterTeams);
      figures[`${name}: after the organisation view and its lists`] = row(result.atEnd);
      figures[`${name}: peak resident / peak V8 heap (MB)`] =
        `${result.atEnd.peakRss} / ${result.atEnd.peakHeap}`;
      figures[`${name}: My team, ${result.teams} managers 8 at a time`] =
        `p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, service CPU ${result.cpuPerTeam.toFixed(2)} ms per request; answers ${result.statuses}`;
    }
    return figures;
  } finally {
    await Promise.all([azurite.stop(), entra.close(), install.remove()]);
  }

  async function measure(flags: string[]) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // SERVICE_NODE_FLAGS adds node flags for a diagnosis (e.g. --trace-gc, printed on stdout to SERVICE_STDOUT).
    const extra = (process.env.SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const service = spawn(
      process.execPath,
      [...flags, ...extra, '--import', './heap-sampler.mjs', 'dist/main.js'],
      {
        env: {
          PATH: process.env.PATH,
          HOST: '127.0.0.1',
          PORT: String(port),
          MICROSOFT_APP_ID: BOT_ID,
          MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
          MICROSOFT_APP_TENANT_ID: TENANT,
          STORAGE_CONNECTION_STRING: azurite.connectionString,
          TABLE_SHARDS: String(AZURITE_SHARDS),
          OD_MEMBERS: org.odTeamIds.slice(0, 3).join(','),
          LOG_LEVEL: 'error',
          HEAP_SAMPLE_FILE: heapFile,
          ...entra.env,
        },
        cwd: install.dir,
        stdio: ['ignore', process.env.SERVICE_STDOUT ? 'pipe' : 'ignore', 'inherit'],
      },
    );
    try {
      if (process.env.SERVICE_STDOUT) service.stdout!.pipe(createWriteStream(process.env.SERVICE_STDOUT));
      await waitForReady(url, service);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sample = async (): Promise<Sample> => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const rss = residentMb(service.pid!);
        const h = JSON.parse(readFileSync(heapFile, 'utf8')) as {
          heapUsed: number;
          heapTotal: number;
          peakTotal: number;
          cpuMs: number;
        };
        const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
        return {
          rss: rss.now,
          peakRss: rss.peak,
          heapUsed: mb(h.heapUsed),
          heapTotal: mb(h.heapTotal),
          peakHeap: mb(h.peakTotal),
          cpuMs: h.cpuMs,
        };
      };
      const atStart = await sample();
      const statuses = new Map<number, number>();
      const latencies: number[] = [];
      await forEachLimit(org.teamManagerIds, 8, async (id) => {
        const authorization = `Bearer ${await entra.token(id)}`;
        const started = performance.now();
        const status = await httpGet(`${url}/api/team`, { authorization });
        latencies.push(performance.now() - started);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      });
      const afterTeams = await sample();
      for (const id of org.odTeamIds.slice(0, 3)) {
        const bearer = { authorization: `Bearer ${await entra.token(id)}` };
        for (const path of ['/api/org', '/api/org/list?kind=overdue', '/api/org/list?kind=none-12m']) {
          const status = await httpGet(`${url}${path}`, bearer);
          if (status !== 200) throw new Error(`${path} answered ${status}`);
        }
      }
      const atEnd = await sample();
      return {
        atStart,
        afterTeams,
        atEnd,
        teams: latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        cpuPerTeam: (afterTeams.cpuMs - atStart.cpuMs) / latencies.length,
        statuses: [...statuses].map(([status, n]) => `${n} × ${status}`).join(', '),
      };
    } finally {
      await stopChild(service);
    }
  }
}

const row = (s: Sample) => `RSS ${s.rss} MB, heap used ${s.heapUsed} of ${s.heapTotal} MB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchMemory();
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
}

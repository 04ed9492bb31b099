/**
 * Service memory (DESIGN.md §8: < 300 MB): the service as `npm run serve` runs it (`bot/main.ts`,
 * a process of its own) on Azurite holding 100,000 people written by the HR import, while every
 * team manager opens My team once and OD members open the organisation view, so the per-instance
 * caches (callers, tokens, team figures, decoded pages) fill as an organisation of this size
 * fills them. Reports the process's peak resident memory (VmHWM) and its resident memory at the end.
 * Run alone with `npx tsx test/bench/memory-bench.ts`; `npm run bench -- memory`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixedClock } from '../../bot/clock';
import { startAzurite, stopChild } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort } from '../../bot/dev/ports';
import { configureLogging, createLogger } from '../../bot/log';
import { employeesCsv, importHr } from '../../bot/records/imports';
import { Records } from '../../bot/records/records';
import { openTables } from '../../bot/storage/tables';
import { forEachLimit } from '../../bot/concurrency';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { AZURITE_SHARDS, httpGet } from './stats';

const AS_OF = '2026-11-23';

/** A process's resident memory now and at its peak, in MB, from /proc. */
function residentMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if ((await httpGet(`${url}/healthz`).catch(() => 0)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the service did not answer /healthz within 60 s');
}

/** Runs the memory benchmark and returns its figures. */
export async function benchMemory(): Promise<Record<string, number | string>> {
  configureLogging('error');
  const azurite = await startAzurite({ ports: { table: await freePort() } });
  let service: ChildProcess | undefined;
  try {
    const tables = await openTables({
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    });
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(AS_OF), createLogger('bench'));
    const org = generateDemoOrg({ asOf: AS_OF, people: 100_000, historyQuarters: 0 });
    await importHr(records, tables, employeesCsv(org.employees));

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // SERVICE_HEAP_MB caps the service's V8 heap, as a deployment that must stay in a budget would.
    const heap = process.env.SERVICE_HEAP_MB ? [`--max-old-space-size=${process.env.SERVICE_HEAP_MB}`] : [];
    service = spawn(
      process.execPath,
      [...heap, '--import', 'tsx', fileURLToPath(new URL('../../bot/main.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          APP_ENV: 'development',
          PORT: String(port),
          STORAGE_CONNECTION_STRING: azurite.connectionString,
          TABLE_SHARDS: String(AZURITE_SHARDS),
          OD_MEMBERS: org.odTeamIds.slice(0, 3).join(','),
          LOG_LEVEL: 'error',
        },
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    await waitForHealth(url, service);
    const atStart = residentMb(service.pid!);

    const token = async (userId: string) => {
      const response = await fetch(`${url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      return ((await response.json()) as { token: string }).token;
    };
    const managers = org.teamManagerIds;
    let answered = 0;
    await forEachLimit(managers, 8, async (id) => {
      const status = await httpGet(`${url}/api/team`, { authorization: `Bearer ${await token(id)}` });
      if (status === 200) answered++;
    });
    const afterTeams = residentMb(service.pid!);
    for (const id of org.odTeamIds.slice(0, 3)) {
      const bearer = { authorization: `Bearer ${await token(id)}` };
      for (const path of ['/api/org', '/api/org/list?kind=overdue', '/api/org/list?kind=none-12m']) {
        const status = await httpGet(`${url}${path}`, bearer);
        if (status !== 200) throw new Error(`${path} answered ${status}`);
      }
    }
    const atEnd = residentMb(service.pid!);
    return {
      people: org.employees.length,
      'managers who opened My team (200 answers)': `${managers.length} (${answered})`,
      'service resident memory after start (MB)': atStart.now,
      'service resident memory after every manager opened My team (MB)': `${afterTeams.now} (peak so far ${afterTeams.peak})`,
      'service resident memory at the end, after the organisation view and its lists (MB)': atEnd.now,
      'service peak resident memory (MB)': atEnd.peak,
    };
  } finally {
    if (service) await stopChild(service);
    await azurite.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchMemory();
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${v}`);
}

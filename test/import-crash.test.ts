/**
 * An HR import interrupted as it would be in real life — the command killed (SIGKILL) part-way
 * through each of its steps, or Azurite killed with its data on disk — and then simply run again
 * with the same file: the store ends exactly as a clean import leaves it, compared table by table.
 * And `refresh` alone puts right a person an interrupted import left in one table only.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { employeesCsv } from '../bot/records/imports';
import { openTables } from '../bot/storage/tables';
import { TableDirectory } from '../bot/storage/employee-table';
import { TeamTable } from '../bot/storage/team-table';
import { type StoreSnapshot, snapshotStore } from './support/table-snapshot';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the admin CLI; `killWhen` sees stderr as it grows, and a true answer kills the command. */
function cli(args: string[], connectionString: string, killWhen?: (stderr: string) => boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
      env: { ...process.env, STORAGE_CONNECTION_STRING: connectionString, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen?.(stderr) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('HR import: interrupted, then run again (Azurite, the CLI as a child process)', function () {
  this.timeout(240_000);
  const org = generateDemoOrg({ asOf: '2026-11-23', people: 1_000 });
  let dir: string;
  let file: string;
  let clean: StoreSnapshot;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pc-crash-'));
    file = join(dir, 'hr.csv');
    await writeFile(file, employeesCsv(org.employees));
    const azurite = await startAzurite({ ports: { table: await freePort() } });
    try {
      const run = await cli(['import-hr', file], azurite.connectionString);
      assert.equal(run.code, 0, run.stderr);
      clean = await snapshotStore(azurite.connectionString);
    } finally {
      await azurite.stop();
    }
    assert.equal(clean.employees.length, org.employees.length);
    assert.ok(clean.rollups.length > 0 && clean.exceptions.length > 0, 'the clean import computed figures');
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const killPoints: [string, RegExp][] = [
    ['a quarter of the way through writing people', /import-hr — people: 25%/],
    ['most of the way through writing people', /import-hr — people: 75%/],
    ['half-way through the status refresh', /import-hr — statuses: 50%/],
    ['as the roll-ups rebuild begins', /import-hr — statuses: 100%/],
  ];
  for (const [when, line] of killPoints) {
    it(`killed ${when}: the same command again ends as a clean import`, async () => {
      const azurite = await startAzurite({ ports: { table: await freePort() } });
      try {
        const killed = await cli(['import-hr', file], azurite.connectionString, (err) => line.test(err));
        assert.equal(killed.signal, 'SIGKILL', `the import was killed (${killed.stderr.slice(-300)})`);
        const again = await cli(['import-hr', file], azurite.connectionString);
        assert.equal(again.code, 0, again.stderr);
        assert.match(
          again.stderr,
          /the last import stopped while (writing people|refreshing); this run finished it/,
        );
        assert.deepEqual(await snapshotStore(azurite.connectionString), clean);
        const third = await cli(['import-hr', file], azurite.connectionString);
        assert.match(
          third.stdout,
          new RegExp(
            `^added 0, updated 0, left 0, unchanged ${org.employees.length}, repaired 0, rejected 0$`,
            'm',
          ),
        );
      } finally {
        await azurite.stop();
      }
    });
  }

  it('Azurite killed mid-import (data on disk): a clear message and exit 3, then the rerun ends as a clean import', async () => {
    const location = await mkdtemp(join(dir, 'azurite-'));
    const port = await freePort();
    let azurite: RunningAzurite = await startAzurite({ ports: { table: port }, location });
    try {
      let crashing: Promise<void> | undefined;
      const failed = await cli(['import-hr', file], azurite.connectionString, (err) => {
        if (/import-hr — people: 50%/.test(err)) crashing ??= azurite.crash();
        return false;
      });
      await crashing;
      assert.equal(failed.code, 3, failed.stderr);
      assert.match(
        failed.stderr,
        /import-hr stopped: storage failed \(.+\)\. Nothing written is lost; run the same command again to finish\./,
      );
      assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace');
      azurite = await startAzurite({ ports: { table: port }, location });
      const again = await cli(['import-hr', file], azurite.connectionString);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await snapshotStore(azurite.connectionString), clean);
    } finally {
      await azurite.stop();
    }
  });

  it('killed while writing people, then only `refresh`: everyone in one table is in the other, evaluated', async () => {
    const azurite = await startAzurite({ ports: { table: await freePort() } });
    try {
      const killed = await cli(['import-hr', file], azurite.connectionString, (err) =>
        /import-hr — people: 50%/.test(err),
      );
      assert.equal(killed.signal, 'SIGKILL');
      const refresh = await cli(['refresh'], azurite.connectionString);
      assert.equal(refresh.code, 0, refresh.stderr);
      const tables = await openTables({
        kind: 'connectionString',
        connectionString: azurite.connectionString,
      });
      const people = new Set<string>();
      for await (const e of new TableDirectory(tables).listAll()) people.add(e.id);
      const filed = new Map<string, number>();
      let unevaluated = 0;
      for await (const row of new TeamTable(tables.team).all()) {
        filed.set(row.employee.id, (filed.get(row.employee.id) ?? 0) + 1);
        if (row.evaluation === undefined || row.dirty) unevaluated++;
      }
      assert.ok(people.size > 0, 'the killed import had written some people');
      assert.deepEqual(
        [...people].filter((id) => filed.get(id) !== 1),
        [],
        'each person filed once',
      );
      assert.deepEqual(
        [...filed.keys()].filter((id) => !people.has(id)),
        [],
        'no status row without a person',
      );
      assert.equal(unevaluated, 0, 'every status row evaluated');
    } finally {
      await azurite.stop();
    }
  });
});

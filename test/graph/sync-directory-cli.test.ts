/**
 * `npm run cli -- sync-directory` end to end with the real Graph client against the stand-in
 * (over TLS) and the in-memory directory store: a full run, a changes-only run from the stored
 * delta link, and a refused permission reported by name with exit code 1.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../bot/config';
import { runCli } from '../../bot/cli';
import { type SyncDirectoryDeps, runSyncDirectory } from '../../bot/cli/sync-directory';
import { captureIo } from '../support/capture-io';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { MemoryDirectoryStore } from '../support/memory-directory-store';
import { type GraphFixture, quietLogs, startGraphFixture } from './fixture';

describe('sync-directory command', () => {
  const org = generateDemoOrg({ asOf: '2026-03-27', people: 120 });
  let fixture: GraphFixture;
  let dir: string;
  const store = new MemoryDirectoryStore();
  const progress: string[] = [];
  const deps = (): SyncDirectoryDeps => ({
    config: () =>
      readConfig({
        APP_ENV: 'development',
        STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
        ...fixture.env,
      }),
    openStore: () => Promise.resolve(store),
    today: () => '2026-03-27',
    progress: (label) => ({
      update: () => undefined,
      done: (summary) => void progress.push(`${label}: ${summary}`),
    }),
  });

  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees, pageSize: 25 });
    dir = await mkdtemp(join(tmpdir(), 'sync-cli-'));
  });
  after(async () => {
    await fixture.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is listed in the CLI usage', async () => {
    const io = captureIo((p) => readFile(p, 'utf8'));
    assert.equal(await runCli(['help'], io), 0);
    assert.match(io.out.join(''), /sync-directory\s+sync users and managers from Microsoft Graph/);
  });

  it('syncs everyone, then only changes from the stored delta link', async () => {
    const deltaFile = join(dir, 'delta.txt');
    const io = captureIo((p) => readFile(p, 'utf8'));
    assert.equal(await runSyncDirectory(['--delta-file', deltaFile], io, deps()), 0, io.err.join(''));
    const active = org.employees.filter((e) => e.leaveDate === undefined).length;
    assert.match(io.out.join(''), /Reading the whole directory from https:\/\/127\.0\.0\.1:\d+\/v1\.0/);
    assert.match(io.out.join(''), new RegExp(`read ${org.employees.length} users in 5 pages`));
    assert.match(
      io.out.join(''),
      new RegExp(
        `Synced \\(full\\): ${active} added, 0 updated, 0 unchanged, 0 newly left, ${org.employees.length - active} skipped`,
      ),
    );
    assert.equal(store.people.size, active);
    assert.match(await readFile(deltaFile, 'utf8'), /\$deltatoken=/);

    const leaver = org.employees.find((e) => e.leaveDate === undefined && e.managerId !== undefined)!;
    fixture.standin.directory.update(leaver.id, { accountEnabled: false });
    const io2 = captureIo((p) => readFile(p, 'utf8'));
    assert.equal(await runSyncDirectory(['--delta-file', deltaFile], io2, deps()), 0, io2.err.join(''));
    assert.match(io2.out.join(''), /Reading changes since the last sync/);
    assert.match(io2.out.join(''), /Synced \(changes only\): 0 added, 1 updated, 0 unchanged, 1 newly left/);
    assert.equal(store.people.get(leaver.id)?.leaveDate, '2026-03-27');
    assert.ok(progress.some((p) => /writing directory: 0 added, 1 updated/.test(p)));
  });

  it('exits 1 naming the permission when Graph refuses, and 2 without Graph settings', async () => {
    fixture.standin.grant(['Calendars.ReadWrite']);
    const io = captureIo((p) => readFile(p, 'utf8'));
    try {
      assert.equal(await runSyncDirectory(['--full'], io, deps()), 1);
    } finally {
      fixture.standin.grant(['User.Read.All', 'Calendars.ReadWrite']);
    }
    assert.match(io.err.join(''), /needs the Microsoft Graph application permission User\.Read\.All/);
    const io2 = captureIo((p) => readFile(p, 'utf8'));
    const noGraph: SyncDirectoryDeps = {
      ...deps(),
      config: () =>
        readConfig({ APP_ENV: 'development', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }),
    };
    assert.equal(await runSyncDirectory([], io2, noGraph), 2);
    assert.match(io2.err.join(''), /Microsoft Graph is not configured: set GRAPH_TENANT_ID/);
  });
});

/** The directory and reference tables against Azurite in memory: what is seeded reads back the same. */
import { strict as assert } from 'node:assert';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort } from '../bot/dev/ports';
import { isStoreEmpty, seedDemoOrg } from '../bot/dev/seed';
import { TableDirectory } from '../bot/storage/employee-table';
import { TableReferenceStore, type StoredReference } from '../bot/storage/reference-store';
import { type Tables, openTables } from '../bot/storage/tables';

describe('Azure Tables (Azurite in memory)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let tables: Tables;
  const org = generateDemoOrg({ asOf: '2026-11-23' });

  before(async () => {
    azurite = await startAzurite({ ports: { table: await freePort() } });
    tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString });
  });
  after(() => azurite?.stop());

  it('seeds the demo organisation once, with progress, and reads it back through the directory port', async () => {
    assert.equal(await isStoreEmpty(tables), true);
    const progress: number[] = [];
    await seedDemoOrg(tables, org, (written, total) => progress.push(written / total));
    assert.equal(progress.at(-1), 1, 'progress reaches 100 %');
    assert.ok(
      progress.every((p, i) => i === 0 || p >= progress[i - 1]!),
      'progress never goes back',
    );
    assert.equal(await isStoreEmpty(tables), false);

    const directory = new TableDirectory(tables);
    const manager = org.teamManagerIds[3]!;
    const expected = org.employees.filter((e) => e.managerId === manager);
    const reports = await directory.listDirectReports(manager);
    assert.deepEqual(reports.map((r) => r.id).sort(), expected.map((e) => e.id).sort());
    const sample = expected[0]!;
    assert.deepEqual(
      reports.find((r) => r.id === sample.id),
      sample,
      'a reports-to row carries every field of the person',
    );
    assert.deepEqual(await directory.getEmployee(sample.id), sample);
    assert.equal(await directory.getEmployee('00000000-0000-4000-8000-000000000000'), undefined);

    let stored = 0;
    for await (const _row of tables.conversations.listEntities({ queryOptions: { select: ['RowKey'] } }))
      stored++;
    assert.equal(stored, org.conversations.length);
  });

  it('keeps one reference row per user, reports whether it is new, and deletes it', async () => {
    const store = new TableReferenceStore(tables.conversationRefs);
    const reference: StoredReference = {
      key: org.teamManagerIds[0]!,
      scope: 'personal',
      conversationId: 'a:1',
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      channelId: 'msteams',
      tenantId: 'tenant',
      botId: '28:bot',
      userName: 'A Manager',
      installedAt: '2026-11-01T09:00:00.000Z',
    };
    assert.equal(await store.saveOnInstall(reference), true);
    const moved = {
      ...reference,
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      installedAt: '2026-11-20T09:00:00.000Z',
    };
    assert.equal(await store.saveOnInstall(moved), false);
    const read = await store.get(reference.key);
    assert.equal(read?.serviceUrl, moved.serviceUrl, 'the service URL is kept current');
    assert.equal(read?.installedAt, reference.installedAt, 'the first installation time is kept');
    await store.remove(reference.key);
    await store.remove(reference.key);
    assert.equal(await store.get(reference.key), undefined);
  });
});

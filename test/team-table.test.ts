/**
 * The team table packs a manager's reports into one entity (more for a large team): it must still
 * behave as one row per report — per-report versions, no lost update between writers, teams of
 * any size, and nothing lost to a crash while a row moves page. Against Azurite in memory.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { TableClient, odata } from '@azure/data-tables';
import { type HeldEntry } from '../core/compliance/status-facts';
import { ConflictError, type TeamRow } from '../core/ports';
import { type Employee } from '../core/model';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort } from '../bot/dev/ports';
import { personColumns } from '../bot/storage/person-entity';
import {
  CHUNK_BYTES,
  PAGE_UNITS,
  type StoredRow,
  TeamTable,
  pageEntity,
  pageJson,
} from '../bot/storage/team-table';

function person(id: string, managerId: string, name = `Person ${id}`): Employee {
  return {
    id,
    name,
    email: `${id}@example.org`,
    positionNumber: `P-${id}`,
    managerId,
    department: 'Finance',
    staffGroup: 'Admin',
    startDate: '2020-01-01',
  };
}

function row(employee: Employee, held: HeldEntry[] = []): TeamRow {
  return { employee, path: ['ceo', employee.managerId ?? ''], facts: { held }, dirty: false };
}

/** Held entries enough to make a row a little over `units` characters of JSON (53 per 40). */
function bulk(units: number): HeldEntry[] {
  return Array.from({ length: Math.ceil(units / 40) }, (_, i) => [
    `2025-${String((i % 12) + 1).padStart(2, '0')}-01`,
    'professional-conversation',
    true,
    null,
  ]);
}

/** A page entity holding `rows`. */
function pageOf(partition: string, rowKey: string, rows: readonly StoredRow[]) {
  return pageEntity(partition, rowKey, JSON.stringify(rows), rows.length);
}

describe('the team table', () => {
  describe('in Azurite', () => {
    let azurite: RunningAzurite;
    let client: TableClient;
    let team: TeamTable;
    let n = 0;

    before(async () => {
      azurite = await startAzurite({ ports: { table: await freePort() } });
    });
    after(async () => {
      await azurite.stop();
    });
    beforeEach(async () => {
      client = TableClient.fromConnectionString(azurite.connectionString, `team${n++}`, {
        allowInsecureConnection: true,
      });
      await client.createTable();
      team = new TeamTable(client);
    });

    const entities = async (partition: string) => {
      const keys: string[] = [];
      for await (const e of client.listEntities({
        queryOptions: { filter: odata`PartitionKey eq ${partition}` },
      }))
        keys.push(e.rowKey ?? '');
      return keys;
    };

    it('keeps a whole team in one entity and reads it back in id order', async () => {
      await team.mergeDirectory(
        ['e3', 'e1', 'e2'].map((id) => ({ employee: person(id, 'm1'), path: ['m1'] })),
      );
      const rows = await team.team('m1');
      assert.deepEqual(
        rows.map((r) => [r.employee.id, r.employee.name, r.partition, r.path.join('/')]),
        [
          ['e1', 'Person e1', 'm1', 'm1'],
          ['e2', 'Person e2', 'm1', 'm1'],
          ['e3', 'Person e3', 'm1', 'm1'],
        ],
      );
      assert.deepEqual(await entities('m1'), ['~p0000']);
      assert.equal(await team.count(), 3);
      assert.equal((await team.get('m1', 'e2'))?.employee.email, 'e2@example.org');
      assert.equal(await team.get('m1', 'e9'), undefined);
      assert.deepEqual(await team.team('nobody'), []);
    });

    it('merges into a team believed new without losing the reports it already has', async () => {
      await team.putMany([{ ...row(person('e1', 'm1')), evaluatedAt: '2026-11-01' }]);
      await team.mergeDirectory([{ employee: person('e2', 'm1'), path: ['m1'] }], undefined, {
        isNewTeam: () => true,
      });
      const rows = await team.team('m1');
      assert.deepEqual(
        rows.map((r) => [r.employee.id, r.evaluatedAt]),
        [
          ['e1', '2026-11-01'],
          ['e2', undefined],
        ],
      );
    });

    it('refuses a write at a stale version of that report, not of another', async () => {
      await team.putMany([row(person('e1', 'm1')), row(person('e2', 'm1'))]);
      const e1 = (await team.get('m1', 'e1'))!;
      const e2 = (await team.get('m1', 'e2'))!;
      // Another report of the same manager changes: e1's version still holds.
      await team.put({ ...e2, dirty: true }, e2.etag);
      const written = await team.put({ ...e1, evaluatedAt: '2026-11-23' }, e1.etag);
      assert.notEqual(written, e1.etag);
      await assert.rejects(team.put({ ...e1, evaluatedAt: '2026-11-24' }, e1.etag), ConflictError);
      assert.equal((await team.get('m1', 'e1'))?.evaluatedAt, '2026-11-23');
      assert.equal((await team.get('m1', 'e2'))?.dirty, true);
    });

    it('sees another instance’s writes though it keeps pages decoded, and keeps within its bound', async () => {
      const other = new TeamTable(client);
      const small = new TeamTable(client, 100); // keeps nothing: every page is larger
      await team.put(row(person('e1', 'm1')));
      await team.put(row(person('e2', 'm1')));
      for (const reader of [team, small])
        assert.deepEqual(
          (await reader.team('m1')).map((r) => r.dirty),
          [false, false],
        );
      const kept = await team.team('m1');
      assert.equal((await team.team('m1'))[0], kept[0], 'an unchanged page is not decoded again');
      await other.markDirty('m1', 'e2');
      for (const reader of [team, small])
        assert.deepEqual(
          (await reader.team('m1')).map((r) => r.dirty),
          [false, true],
        );
      await other.remove('m1', 'e1');
      for (const reader of [team, small])
        assert.deepEqual(
          (await reader.team('m1')).map((r) => r.employee.id),
          ['e2'],
        );
    });

    it('loses no update when many writers change one team at once', async () => {
      const ids = Array.from({ length: 24 }, (_, i) => `e${String(i).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => team.put(row(person(id, 'm1')))));
      await Promise.all(ids.map((id) => team.markDirty('m1', id)));
      const rows = await team.team('m1');
      assert.deepEqual(
        rows.map((r) => r.employee.id),
        ids,
      );
      assert.ok(rows.every((r) => r.dirty));
    });

    it('spreads a large team over pages and shrinks it again', async () => {
      // 120 reports of about 11,000 characters each: about 1.3 million characters, three pages.
      const ids = Array.from({ length: 120 }, (_, i) => `e${String(i).padStart(3, '0')}`);
      await team.putMany(ids.map((id) => row(person(id, 'big', `Zoë ${id} 😀`), bulk(8_000))));
      const pages = await entities('big');
      assert.ok(pages.length >= 3, `pages: ${pages.join(', ')}`);
      const filled: number[] = [];
      for await (const page of client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${'big'}` },
      })) {
        const pieces = Object.keys(page).filter((k) => /^z\d+$/.test(k));
        assert.ok(pieces.length >= 1 && pieces.length <= 15, `${page.rowKey}: ${pieces.length} pieces`);
        const units = pageJson(page).length;
        assert.ok(units <= PAGE_UNITS, `${page.rowKey}: ${units} units`);
        filled.push(units);
      }
      assert.ok(
        filled.slice(0, -1).every((units) => units > PAGE_UNITS - 12_000),
        `pages before the last are full: ${filled.join(', ')}`,
      );
      const rows = await team.team('big');
      assert.deepEqual(
        rows.map((r) => r.employee.id),
        ids,
      );
      assert.equal(rows[7]!.employee.name, 'Zoë e007 😀');
      assert.equal(rows[7]!.facts.held.length, 200);
      assert.equal(await team.count('a'), 120);
      const seen: string[] = [];
      for await (const r of team.all()) seen.push(r.employee.id);
      assert.deepEqual(seen, ids);

      // Growing one report past its page's room moves it to a new page; nothing is lost.
      const first = rows[0]!;
      await team.put({ ...first, facts: { held: bulk(40_000) } }, first.etag);
      assert.equal((await team.get('big', first.employee.id))?.facts.held.length, 1000);
      assert.equal((await team.team('big')).length, 120);

      for (const id of ids.slice(0, 110)) await team.remove('big', id);
      assert.deepEqual(
        (await team.team('big')).map((r) => r.employee.id),
        ids.slice(110),
      );
      for (const id of ids.slice(110)) await team.remove('big', id);
      assert.deepEqual(await entities('big'), [], 'empty pages are deleted');
    });

    it('reads the later copy of a row a crash left on two pages, and drops the other on the next write', async () => {
      await team.put(row(person('e1', 'm1')));
      await team.put(row(person('e2', 'm1')));
      const before = await team.team('m1');
      const moved = { ...before[0]!, evaluatedAt: '2026-11-23' };
      const storedRow = (r: TeamRow, version: string) => ({
        id: r.employee.id,
        person: personColumns(r.employee),
        path: r.path,
        held: [],
        ...(r.evaluatedAt ? { evaluatedAt: r.evaluatedAt } : {}),
        dirty: false,
        version,
      });
      // A move of e1 to a new page that died after its first two steps: the first page says more
      // pages follow (its rows as they were), the new page holds e1's new copy, and the first page
      // was never rewritten without it.
      const first = await client.getEntity('m1', '~p0000');
      await client.updateEntity(
        {
          ...pageOf(
            'm1',
            '~p0000',
            before.map((r) => storedRow(r, r.etag!)),
          ),
          more: true,
        },
        'Replace',
        { etag: first.etag },
      );
      await client.createEntity(pageOf('m1', '~p0001', [storedRow(moved, 'moved')]));
      assert.equal((await team.get('m1', 'e1'))?.evaluatedAt, '2026-11-23');
      assert.equal((await team.team('m1')).length, 2);
      await team.markDirty('m1', 'e2');
      let copies = 0;
      for await (const e of client.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${'m1'}` },
      }))
        copies += (JSON.parse(pageJson(e) || '[]') as { id: string }[]).filter((r) => r.id === 'e1').length;
      assert.equal(copies, 1);
      assert.equal((await team.get('m1', 'e1'))?.evaluatedAt, '2026-11-23');
      assert.deepEqual(
        (await team.team('m1')).map((r) => [r.employee.id, r.dirty]),
        [
          ['e1', false],
          ['e2', true],
        ],
      );
    });

    it('finds a page a retry has to see, though the first page does not point to it', async () => {
      await team.put(row(person('e1', 'm1')));
      // A later page the first does not mention: a write that has to create that page is refused,
      // and its retry reads the whole partition.
      await client.createEntity(pageOf('m1', '~p0001', []));
      await team.putMany(
        Array.from({ length: 60 }, (_, i) =>
          row(person(`f${String(i).padStart(2, '0')}`, 'm1'), bulk(8_000)),
        ),
      );
      const rows = await team.team('m1');
      assert.equal(rows.length, 61);
      assert.ok((await entities('m1')).length >= 2);
    });

    it('tells a table of the earlier layout, one entity per report, from its own', async () => {
      assert.equal(await team.hasOlderLayout(), false, 'empty');
      await team.put(row(person('e1', 'm1')));
      assert.equal(await team.hasOlderLayout(), false, 'pages only');
      await client.createEntity({ partitionKey: 'm1', rowKey: 'e2', name: 'Person e2' });
      assert.equal(await team.hasOlderLayout(), true);
    });

    it('deflates a page into binary properties under the 64 KiB limit, and reads it back', async () => {
      // Random names do not compress: about 240,000 characters of them need four properties.
      const rows = Array.from({ length: 12 }, (_, i) =>
        row(person(`e${String(i).padStart(2, '0')}`, 'm1', randomBytes(15_000).toString('base64'))),
      );
      await team.putMany(rows);
      const entity = await client.getEntity<Record<string, unknown>>('m1', '~p0000');
      const pieces = Object.keys(entity).filter((k) => /^z\d+$/.test(k));
      assert.ok(pieces.length >= 3, `pieces: ${pieces.join(', ')}`);
      for (const k of pieces) {
        const piece = entity[k];
        assert.ok(piece instanceof Uint8Array && piece.length <= CHUNK_BYTES, `${k}`);
      }
      assert.deepEqual(
        (await team.team('m1')).map((r) => r.employee.name),
        rows.map((r) => r.employee.name),
      );
    });

    it('reads a page written before pages were deflated (its JSON in string properties), and rewrites it deflated', async () => {
      const old = [row(person('e1', 'm1', 'Zoë 😀')), row(person('e2', 'm1'))].map((r) => ({
        id: r.employee.id,
        person: personColumns(r.employee),
        path: r.path,
        held: [],
        dirty: false,
        version: `v-${r.employee.id}`,
      }));
      const json = JSON.stringify(old);
      const cut = json.indexOf('😀') + 2; // after the pair, as the old writer cut
      await client.createEntity({
        partitionKey: 'm1',
        rowKey: '~p0000',
        rows: 2,
        more: false,
        c0: json.slice(0, cut),
        c1: json.slice(cut),
      });
      const read = await team.team('m1');
      assert.deepEqual(
        read.map((r) => [r.employee.name, r.etag]),
        [
          ['Zoë 😀', 'v-e1'],
          ['Person e2', 'v-e2'],
        ],
      );
      await team.markDirty('m1', 'e2');
      const entity = await client.getEntity<Record<string, unknown>>('m1', '~p0000');
      assert.equal(entity.c0, undefined);
      assert.ok(entity.z0 instanceof Uint8Array);
      assert.deepEqual(
        (await team.team('m1')).map((r) => [r.employee.name, r.dirty]),
        [
          ['Zoë 😀', false],
          ['Person e2', true],
        ],
      );
    });
  });
});

/**
 * A table spread over shards answers exactly as one table would: the same rows, in the same key
 * order, for point reads, partition queries, transactions and queries across partitions — checked
 * against a plain table holding the same rows, both in Azurite.
 */
import { strict as assert } from 'node:assert';
import { TableClient, odata } from '@azure/data-tables';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort } from '../bot/dev/ports';
import { ShardedTable, shardOf, singlePartition } from '../bot/storage/sharded-table';
import { type TableStore } from '../bot/storage/sharded-table';

const SHARDS = 4;

async function rows(
  store: TableStore,
  options?: Parameters<TableStore['listEntities']>[0],
): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.listEntities<{ n?: number }>(options))
    out.push(`${e.partitionKey}/${e.rowKey}/${e.n}`);
  return out;
}

describe('a table spread over shards', () => {
  describe('which queries stay in one partition', () => {
    it('routes a partition-equality filter, alone or with and-clauses', () => {
      assert.equal(singlePartition(odata`PartitionKey eq ${'m1'}`), 'm1');
      assert.equal(singlePartition(odata`PartitionKey eq ${"o'brien"} and RowKey ge ${'2026'}`), "o'brien");
      assert.equal(
        singlePartition(odata`PartitionKey eq ${'m1'} and RowKey ge ${'a or b'} and RowKey lt ${'(z)'}`),
        'm1',
        'words and brackets inside literals do not count',
      );
    });

    it('sends anything that could reach another partition to every shard', () => {
      for (const filter of [
        undefined,
        '',
        odata`PartitionKey gt ${'m1'}`,
        odata`RowKey eq ${'e1'} and PartitionKey eq ${'m1'}`,
        odata`PartitionKey eq ${'m1'} or PartitionKey eq ${'m2'}`,
        odata`PartitionKey eq ${'m1'} and RowKey eq ${'a'} or PartitionKey eq ${'m2'}`,
        odata`PartitionKey eq ${'m1'} and (RowKey eq ${'a'})`,
        odata`PartitionKey eq ${'m1'} and not RowKey eq ${'a'}`,
        odata`PartitionKey eq ${'m1'}x`,
      ])
        assert.equal(singlePartition(filter), undefined, String(filter));
    });
  });

  describe('in Azurite', () => {
    let azurite: RunningAzurite;
    let plain: TableClient;
    let sharded: ShardedTable;
    let shards: TableClient[];
    const partitions = ['~root', "o'brien", 'a', 'b', ...Array.from({ length: 36 }, (_, i) => `m${i}`)];

    before(async () => {
      azurite = await startAzurite({ ports: { table: await freePort() } });
      const client = (name: string) =>
        TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
      plain = client('plain');
      shards = Array.from({ length: SHARDS }, (_, i) => client(`sharded0${i}`));
      sharded = new ShardedTable(shards);
      await plain.createTable();
      await sharded.createTable();
      for (const store of [plain, sharded] as TableStore[]) {
        for (const [p, pk] of partitions.entries()) {
          const count = 1 + (p % 9);
          await store.submitTransaction(
            Array.from({ length: count }, (_, i) => [
              'upsert',
              { partitionKey: pk, rowKey: `r${String(i).padStart(2, '0')}`, n: p * 100 + i },
            ]),
          );
        }
      }
    });

    after(async () => {
      await azurite.stop();
    });

    it('keeps each partition whole in the shard its key hashes to, and uses every shard', async () => {
      const used = new Set<number>();
      for (const [i, shard] of shards.entries()) {
        for await (const e of shard.listEntities()) {
          assert.equal(shardOf(e.partitionKey!, SHARDS), i, `${e.partitionKey} is in shard ${i}`);
          used.add(i);
        }
      }
      assert.equal(used.size, SHARDS);
    });

    it('answers a query across partitions in the same key order as one table', async () => {
      const all = await rows(plain);
      assert.equal(
        all.length,
        partitions.reduce((n, _, p) => n + 1 + (p % 9), 0),
      );
      assert.deepEqual(await rows(sharded), all);
      const after = { queryOptions: { filter: odata`PartitionKey gt ${'m2'}` } };
      assert.deepEqual(await rows(sharded, after), await rows(plain, after));
      const either = {
        queryOptions: { filter: odata`PartitionKey eq ${'a'} or PartitionKey eq ${"o'brien"}` },
      };
      assert.deepEqual(await rows(sharded, either), await rows(plain, either));
    });

    it('answers one partition, a point read and a selected column as one table', async () => {
      for (const pk of ["o'brien", 'm7', '~root', 'absent']) {
        const one = { queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${'r01'}` } };
        assert.deepEqual(await rows(sharded, one), await rows(plain, one), pk);
      }
      const point = await sharded.getEntity<{ n: number }>('m7', 'r02');
      assert.equal(point.n, partitions.indexOf('m7') * 100 + 2);
      const selected: string[] = [];
      for await (const e of sharded.listEntities({ queryOptions: { select: ['RowKey'] } }))
        selected.push(`${e.partitionKey}/${e.rowKey}`);
      assert.deepEqual(
        selected,
        (await rows(plain)).map((r) => r.split('/').slice(0, 2).join('/')),
        'keys come back in order even when not selected',
      );
    });

    it('pages a query across shards at the size asked, and refuses a continuation token it cannot honour', async () => {
      const sizes: number[] = [];
      const seen: string[] = [];
      for await (const page of sharded.listEntities<{ n: number }>().byPage({ maxPageSize: 7 })) {
        sizes.push(page.length);
        for (const e of page) seen.push(`${e.partitionKey}/${e.rowKey}/${e.n}`);
      }
      assert.deepEqual(seen, await rows(plain));
      assert.ok(sizes.slice(0, -1).every((s) => s === 7) && sizes.at(-1)! <= 7, sizes.join(','));
      assert.throws(() => sharded.listEntities().byPage({ continuationToken: 'x' }), /continuation token/);
      const empty = await sharded
        .listEntities({ queryOptions: { filter: odata`PartitionKey gt ${'~~'}` } })
        .byPage({ maxPageSize: 1 })
        .next();
      assert.deepEqual(empty.value, [], 'an empty answer is one empty page');
    });

    it('writes, updates with an ETag, and deletes in the partition’s shard', async () => {
      const created = await sharded.createEntity({ partitionKey: 'z9', rowKey: 'new', n: 1 });
      await sharded.updateEntity({ partitionKey: 'z9', rowKey: 'new', n: 2 }, 'Merge', {
        etag: created.etag!,
      });
      await assert.rejects(
        sharded.updateEntity({ partitionKey: 'z9', rowKey: 'new', n: 3 }, 'Merge', { etag: created.etag! }),
        (e: { statusCode?: number }) => e.statusCode === 412,
        'a stale ETag is refused',
      );
      const home = shards[shardOf('z9', SHARDS)]!;
      assert.equal((await home.getEntity<{ n: number }>('z9', 'new')).n, 2);
      await sharded.deleteEntity('z9', 'new');
      await assert.rejects(home.getEntity('z9', 'new'), (e: { statusCode?: number }) => e.statusCode === 404);
      await assert.rejects(sharded.submitTransaction([]), /at least one action/);
    });
  });
});

/**
 * Seeds the demo organisation into Azure Tables when the store is empty (`npm start`), in
 * batches of ≤ 100 entities per partition with bounded concurrency (DESIGN.md §7).
 */
import { type TransactionAction, odata } from '@azure/data-tables';
import { chunk, forEachLimit } from '../concurrency';
import { conversationToEntity } from '../storage/conversation-table';
import { employeeToEntity, reportsToEntity } from '../storage/employee-table';
import { type Tables } from '../storage/tables';
import { type DemoOrg } from './demo-org';

/** Progress of a seed: rows written so far out of the total. */
export type SeedProgress = (written: number, total: number) => void;

/** True when no employee row exists yet. */
export async function isStoreEmpty(tables: Tables): Promise<boolean> {
  const first = await tables.employees
    .listEntities({ queryOptions: { filter: odata`RowKey eq ${'profile'}`, select: ['PartitionKey'] } })
    .byPage({ maxPageSize: 1 })
    .next();
  const page = first.value as unknown[] | undefined;
  return first.done === true || page === undefined || page.length === 0;
}

/** Writes the whole organisation: employees, the reports-to index, conversations. */
export async function seedDemoOrg(tables: Tables, org: DemoOrg, onProgress?: SeedProgress): Promise<void> {
  const byPartition = <E extends { partitionKey: string }>(entities: E[]) => {
    const groups = new Map<string, E[]>();
    for (const e of entities) {
      const group = groups.get(e.partitionKey);
      if (group) group.push(e);
      else groups.set(e.partitionKey, [e]);
    }
    return [...groups.values()].flatMap((group) => chunk(group, 100));
  };
  const work: { table: keyof Tables; batch: { partitionKey: string; rowKey: string }[] }[] = [
    ...byPartition(org.employees.map(employeeToEntity)).map((batch) => ({
      table: 'employees' as const,
      batch,
    })),
    ...byPartition(
      org.employees.flatMap((e) =>
        e.managerId === undefined ? [] : [reportsToEntity({ ...e, managerId: e.managerId })],
      ),
    ).map((batch) => ({ table: 'reportsTo' as const, batch })),
    ...byPartition(org.conversations.map(conversationToEntity)).map((batch) => ({
      table: 'conversations' as const,
      batch,
    })),
  ];
  const total = work.reduce((n, w) => n + w.batch.length, 0);
  let written = 0;
  await forEachLimit(work, 16, async ({ table, batch }) => {
    const actions: TransactionAction[] = batch.map((entity) => ['upsert', entity, 'Replace']);
    await tables[table].submitTransaction(actions);
    written += batch.length;
    onProgress?.(written, total);
  });
}

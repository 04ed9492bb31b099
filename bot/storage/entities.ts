/** Small helpers every Azure Table adapter shares. */
import { type TableEntity, type TransactionAction } from '@azure/data-tables';
import { chunk, forEachLimit } from '../concurrency';
import { type TableStore } from './sharded-table';

/** The HTTP status of a storage error, if it has one (404 not found, 409 exists, 412 stale ETag). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Drops undefined properties: Azure Tables has no "undefined", and an absent property reads back as absent. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A row's keys. */
export interface RowKeys {
  readonly partitionKey: string;
  readonly rowKey: string;
}

/** Groups rows into transactions: one partition each, at most 100 rows (DESIGN.md §7). */
export function partitionBatches<T extends RowKeys>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.partitionKey);
    if (group) group.push(row);
    else groups.set(row.partitionKey, [row]);
  }
  return [...groups.values()].flatMap((group) => chunk(group, 100));
}

/**
 * Upserts (Replace or Merge) or deletes rows in transactions of ≤ 100 within one partition, a few
 * transactions at a time, reporting each finished transaction's size.
 */
export async function writeBatches(
  table: TableStore,
  rows: readonly RowKeys[],
  mode: 'Replace' | 'Merge' | 'delete',
  onBatch?: (written: number) => void,
): Promise<void> {
  await forEachLimit(partitionBatches(rows), 8, async (batch) => {
    const actions = batch.map((row): TransactionAction => {
      // Typed entities are interfaces, which TypeScript will not widen to the SDK's index signature.
      const entity = row as unknown as TableEntity;
      return mode === 'delete' ? ['delete', entity] : ['upsert', entity, mode];
    });
    await table.submitTransaction(actions);
    onBatch?.(batch.length);
  });
}

/**
 * Organisation roll-ups (DESIGN.md §5 "a roll-up table for the organisation view"): PK = a node
 * (a manager), RK = `<quarter>|~self` for the node's whole subtree and `<quarter>|<child id>` for each
 * direct report's subtree. One partition read gives a node's figures, its children's, and its trend.
 */
import { type TableEntity, type TransactionAction, odata } from '@azure/data-tables';
import { type FinancialQuarter } from '../../core/dates/quarters';
import { ROLLUP_FIGURES, type RollupFigures, emptyFigures } from '../../core/compliance/status-facts';
import { type EmployeeId } from '../../core/model';
import { type RollupDelta, type RollupRow, type RollupStore } from '../../core/ports';
import { chunk } from '../concurrency';
import { statusOf, writeBatches } from './entities';
import { SELF, quarterKey, rollupRowKey } from './keys';
import { type TableStore } from './sharded-table';

/** Deltas for one partition gathered while its previous write was in flight. */
interface PendingBatch {
  readonly deltas: RollupDelta[];
  readonly waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

type RollupEntity = RollupFigures & {
  partitionKey: string;
  rowKey: string;
  quarter: string;
  generation: string;
};

function toRow(e: RollupEntity): RollupRow {
  const [qk = '', child = SELF] = e.rowKey.split('|');
  const figures = emptyFigures();
  for (const k of ROLLUP_FIGURES) figures[k] = Number(e[k] ?? 0);
  return {
    nodeId: e.partitionKey,
    subjectId: child === SELF ? e.partitionKey : child,
    quarterKey: qk,
    quarter: e.quarter,
    figures,
  };
}

/** Reads and writes roll-ups. */
export class RollupTable implements RollupStore {
  constructor(private readonly table: TableStore) {}

  /** A node's rows (its own and its children's), optionally for a range of quarters: one partition read. */
  async node(nodeId: EmployeeId, from?: FinancialQuarter, to?: FinancialQuarter): Promise<RollupRow[]> {
    const filter =
      from && to
        ? odata`PartitionKey eq ${nodeId} and RowKey ge ${`${quarterKey(from)}|`} and RowKey lt ${`${quarterKey(to)}|~~`}`
        : odata`PartitionKey eq ${nodeId}`;
    const rows: RollupRow[] = [];
    for await (const e of this.table.listEntities<RollupEntity>({ queryOptions: { filter } }))
      rows.push(toRow(e));
    return rows;
  }

  /** Deltas waiting for their partition's write in flight to finish, and who waits for them. */
  private readonly pending = new Map<string, PendingBatch>();
  /** Partitions with a write in flight from this process. */
  private readonly writing = new Set<string>();

  /**
   * Adds deltas to rows, one transaction per partition conditioned on the ETags read, re-reading
   * and retrying on a concurrent change, so two writers never lose each other's update. Resolves
   * once every delta is stored.
   *
   * Every save moves the rows of every ancestor up to the organisation's, so concurrent saves in
   * one process meet on the same few partitions (`~root` always). Rather than each racing the
   * others for the ETag and retrying, writes are group-committed per partition: while one is in
   * flight, deltas that arrive for that partition wait and then go together in the next
   * transaction (summed per row). Other processes still meet as ETag conflicts and retry.
   */
  async apply(deltas: readonly RollupDelta[]): Promise<void> {
    const byPartition = new Map<string, RollupDelta[]>();
    for (const d of deltas) {
      const list = byPartition.get(d.nodeId);
      if (list) list.push(d);
      else byPartition.set(d.nodeId, [d]);
    }
    await Promise.all([...byPartition.entries()].map(([nodeId, list]) => this.enqueue(nodeId, list)));
  }

  private enqueue(nodeId: string, deltas: readonly RollupDelta[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = this.pending.get(nodeId);
      if (batch === undefined) {
        batch = { deltas: [], waiters: [] };
        this.pending.set(nodeId, batch);
      }
      batch.deltas.push(...deltas);
      batch.waiters.push({ resolve, reject });
      if (!this.writing.has(nodeId)) void this.flush(nodeId);
    });
  }

  /** Writes a partition's pending deltas as one transaction, then any that arrived meanwhile. */
  private async flush(nodeId: string): Promise<void> {
    this.writing.add(nodeId);
    try {
      for (let batch = this.pending.get(nodeId); batch !== undefined; batch = this.pending.get(nodeId)) {
        this.pending.delete(nodeId);
        try {
          await this.applyToPartition(nodeId, batch.deltas);
          for (const w of batch.waiters) w.resolve();
        } catch (error) {
          for (const w of batch.waiters) w.reject(error);
        }
      }
    } finally {
      this.writing.delete(nodeId);
    }
  }

  /**
   * One transaction per at most 100 rows (Azure's limit), each over its own rows, so retrying one
   * after a conflict never adds another's deltas twice.
   */
  private async applyToPartition(nodeId: EmployeeId, deltas: readonly RollupDelta[]): Promise<void> {
    const byRow = new Map<string, RollupDelta[]>();
    for (const d of deltas) {
      const rowKey = rollupRowKey(d.quarter, d.subjectId === nodeId ? SELF : d.subjectId);
      const list = byRow.get(rowKey);
      if (list) list.push(d);
      else byRow.set(rowKey, [d]);
    }
    for (const rows of chunk([...byRow], 100)) await this.applyToRows(nodeId, rows);
  }

  /** Adds each row's deltas in one transaction conditioned on the ETags read, retrying on a conflict. */
  private async applyToRows(nodeId: EmployeeId, byRow: readonly [string, RollupDelta[]][]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // The rows are read at once (a node's own row and the child's on the way down, per quarter).
      const rows = await Promise.all(
        byRow.map(async ([rowKey, list]) => {
          const row = await this.read(nodeId, rowKey, list[0]!.quarter.label);
          for (const d of list)
            for (const k of ROLLUP_FIGURES) row.entity[k] = (row.entity[k] ?? 0) + d.delta[k];
          return row;
        }),
      );
      const actions: TransactionAction[] = rows.map(({ entity, etag }) => {
        const row = entity as unknown as TableEntity;
        return etag ? ['update', row, 'Replace', { etag }] : ['create', row];
      });
      try {
        await this.table.submitTransaction(actions);
        return;
      } catch (error) {
        const status = statusOf(error);
        if ((status !== 412 && status !== 409) || attempt >= 8) throw error;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  private async read(
    nodeId: string,
    rowKey: string,
    quarter: string,
  ): Promise<{ entity: RollupEntity; etag?: string }> {
    try {
      const e = await this.table.getEntity<RollupEntity>(nodeId, rowKey);
      const entity: RollupEntity = {
        partitionKey: nodeId,
        rowKey,
        quarter,
        generation: e.generation,
        ...emptyFigures(),
      };
      for (const k of ROLLUP_FIGURES) entity[k] = Number(e[k] ?? 0);
      return { entity, etag: e.etag };
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      return { entity: { partitionKey: nodeId, rowKey, quarter, generation: '', ...emptyFigures() } };
    }
  }

  /**
   * Replaces every roll-up with freshly computed rows (the refresh job): writes them tagged with a
   * new generation, then deletes rows of older generations (nodes that no longer manage anyone,
   * quarters that left the window).
   */
  async replaceAll(
    rows: readonly RollupRow[],
    generation: string,
    onBatch?: (n: number) => void,
  ): Promise<number> {
    const entities = rows.map((r) => ({
      partitionKey: r.nodeId,
      rowKey: `${r.quarterKey}|${r.subjectId === r.nodeId ? SELF : r.subjectId}`,
      quarter: r.quarter,
      generation,
      ...r.figures,
    }));
    await writeBatches(this.table, entities, 'Replace', onBatch);
    const stale: { partitionKey: string; rowKey: string }[] = [];
    for await (const e of this.table.listEntities<RollupEntity>({
      queryOptions: { select: ['PartitionKey', 'RowKey', 'generation'] },
    })) {
      if (e.generation !== generation) stale.push({ partitionKey: e.partitionKey, rowKey: e.rowKey });
    }
    await writeBatches(this.table, stale, 'delete');
    return stale.length;
  }
}

export type { RollupDelta, RollupRow } from '../../core/ports';

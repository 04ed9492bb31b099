/**
 * The nudge ledger: PK = employee id, RK = `<item>|<due date>|<stage>`, each part escaped for Azure
 * Tables (`ledgerRowKey`; DESIGN.md §5: idempotent by key). Recording a key creates its row; a second attempt finds it, so a nudge is sent at most once,
 * across restarts and instances. Rows hold keys and times only, never text.
 */
import { odata } from '@azure/data-tables';
import { type EmployeeId } from '../../core/model';
import { type LedgerKey, type NudgeLedger } from '../../core/ports';
import { statusOf } from './entities';
import { ledgerRowKey } from './keys';
import { type TableStore } from './sharded-table';

/** The ledger on Azure Tables. */
export class LedgerTable implements NudgeLedger {
  constructor(private readonly table: TableStore) {}

  /** Claims a key; resolves false when it was already claimed (the nudge must not be sent again). */
  async claim(key: LedgerKey, at: Date = new Date()): Promise<boolean> {
    try {
      await this.table.createEntity({
        partitionKey: key.employeeId,
        rowKey: ledgerRowKey(key.item, key.dueDate, key.stage),
        claimedAt: at.toISOString(),
        sentAt: '',
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /** Marks a claimed key as delivered. */
  async markSent(key: LedgerKey, at: Date = new Date()): Promise<void> {
    await this.table.updateEntity(
      {
        partitionKey: key.employeeId,
        rowKey: ledgerRowKey(key.item, key.dueDate, key.stage),
        sentAt: at.toISOString(),
      },
      'Merge',
    );
  }

  /** Withdraws a claim whose message could not be posted, so the next attempt claims it again. */
  async release(key: LedgerKey): Promise<void> {
    try {
      await this.table.deleteEntity(key.employeeId, ledgerRowKey(key.item, key.dueDate, key.stage));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Every key recorded for one person: one partition read. */
  async keysFor(employeeId: EmployeeId): Promise<string[]> {
    const keys: string[] = [];
    for await (const e of this.table.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${employeeId}`, select: ['RowKey'] },
    })) {
      keys.push(`${employeeId}|${e.rowKey ?? ''}`);
    }
    return keys;
  }
}

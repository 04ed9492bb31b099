/**
 * The append-only audit log (DESIGN.md §6): every change to a record, and every read of note text
 * by someone other than the two parties, with who, when, what and why. PK = the person the record
 * is about, RK = newest first. There is no update or delete here; entries never hold note text.
 */
import { randomBytes } from 'node:crypto';
import { odata } from '@azure/data-tables';
import { type EmployeeId } from '../../core/model';
import { type AuditAction, type AuditEntry, type AuditLog } from '../../core/ports';
import { auditRowKey } from './keys';
import { type TableStore } from './sharded-table';

/** The audit log on Azure Tables. */
export class AuditTable implements AuditLog {
  constructor(private readonly table: TableStore) {}

  /** Appends an entry (create-only: an existing row is never overwritten). */
  async append(entry: Omit<AuditEntry, 'at'>, at: Date = new Date()): Promise<AuditEntry> {
    const full: AuditEntry = { ...entry, at: at.toISOString() };
    await this.table.createEntity({
      partitionKey: entry.subjectId,
      rowKey: auditRowKey(at, randomBytes(4).toString('hex')),
      actorId: full.actorId,
      action: full.action,
      recordId: full.recordId ?? '',
      reason: full.reason ?? '',
      at: full.at,
    });
    return full;
  }

  /** Whether the log holds an entry of this action on this record (one filtered partition read). */
  async has(subjectId: EmployeeId, recordId: string, action: AuditAction): Promise<boolean> {
    const filter = odata`PartitionKey eq ${subjectId} and recordId eq ${recordId} and action eq ${action}`;
    for await (const _ of this.table.listEntities({ queryOptions: { filter, select: ['action'] } }))
      return true;
    return false;
  }

  /** The newest entries about one person: one partition read. */
  async forSubject(subjectId: EmployeeId, limit = 100): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of this.table.listEntities<Record<string, string>>({
      queryOptions: { filter: odata`PartitionKey eq ${subjectId}` },
    })) {
      out.push({
        subjectId,
        actorId: e.actorId ?? '',
        action: e.action as AuditAction,
        recordId: e.recordId || undefined,
        reason: e.reason || undefined,
        at: e.at ?? '',
      });
      if (out.length >= limit) break;
    }
    return out;
  }
}

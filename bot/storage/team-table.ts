/**
 * The team table: the reports-to index and the status index in one (DESIGN.md §5 "a status index
 * partitioned by manager for my team"). PK = manager id (or `~root`), RK = the report's id. A row
 * holds the report's directory fields, the facts their status is computed from (no text), their
 * path up the management chain, and their evaluation — so "my team" is one partition read.
 */
import { type TableEntity, type TableEntityResult, type TransactionAction, odata } from '@azure/data-tables';
import { type EmployeeEvaluation } from '../../core/compliance/types';
import { type StatusFacts } from '../../core/compliance/status-facts';
import { type Employee, type EmployeeId } from '../../core/model';
import { ConflictError, type StatusIndex, type StatusSummary, type TeamRow } from '../../core/ports';
import { chunk } from '../concurrency';
import { statusOf, withoutUndefined, writeBatches } from './entities';
import { teamPartition } from './keys';
import { type PersonColumns, personColumns, personFromColumns } from './person-entity';
import { type TableStore } from './sharded-table';

type TeamEntity = PersonColumns & {
  partitionKey: string;
  rowKey: string;
  path: string;
  facts: string;
  evaluation: string;
  evaluatedAt: string;
  dirty: boolean;
};

/** Keeps only the summary fields of an evaluation. */
export function summarise(e: EmployeeEvaluation): StatusSummary {
  return withoutUndefined({
    status: e.status,
    held12m: e.held12m,
    expected12m: e.expected12m,
    compliant: e.compliant,
    lastHeld: e.lastHeld,
    nextDue: e.nextDue,
    daysOverdue: e.daysOverdue,
    openActions: e.openActions,
    overdueActions: e.overdueActions,
  });
}

function toEntity(row: TeamRow): TeamEntity {
  return {
    partitionKey: teamPartition(row.employee.managerId),
    rowKey: row.employee.id,
    ...personColumns(row.employee),
    path: JSON.stringify(row.path),
    facts: JSON.stringify(row.facts.held),
    evaluation: row.evaluation ? JSON.stringify(row.evaluation) : '',
    evaluatedAt: row.evaluatedAt ?? '',
    dirty: row.dirty,
  };
}

function fromEntity(e: TableEntityResult<Partial<TeamEntity>>): TeamRow {
  return {
    employee: personFromColumns(e.rowKey ?? '', e),
    path: JSON.parse(e.path || '[]') as EmployeeId[],
    facts: { held: JSON.parse(e.facts || '[]') as StatusFacts['held'] },
    evaluation: e.evaluation ? (JSON.parse(e.evaluation) as StatusSummary) : undefined,
    evaluatedAt: e.evaluatedAt || undefined,
    dirty: e.dirty === true,
    etag: e.etag,
    partition: e.partitionKey,
  };
}

/** Reads and writes the team table. */
export class TeamTable implements StatusIndex {
  constructor(private readonly table: TableStore) {}

  /** A manager's direct reports with their status: one partition read. */
  async team(managerId: EmployeeId | undefined): Promise<TeamRow[]> {
    const rows: TeamRow[] = [];
    const partition = teamPartition(managerId);
    for await (const e of this.table.listEntities<Partial<TeamEntity>>({
      queryOptions: { filter: odata`PartitionKey eq ${partition}` },
    })) {
      rows.push(fromEntity(e));
    }
    return rows;
  }

  /** One person's row under the manager it is filed under. */
  async get(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<TeamRow | undefined> {
    try {
      return fromEntity(
        await this.table.getEntity<Partial<TeamEntity>>(teamPartition(managerId), employeeId),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Every row in key order, page by page, optionally after a partition (for background jobs; never on a request path). */
  async *all(afterPartition?: string): AsyncIterable<TeamRow> {
    const queryOptions = afterPartition ? { filter: odata`PartitionKey gt ${afterPartition}` } : {};
    for await (const e of this.table.listEntities<Partial<TeamEntity>>({ queryOptions })) yield fromEntity(e);
  }

  /** How many rows there are (after a partition): keys only, for progress bars. */
  async count(afterPartition?: string): Promise<number> {
    const filter = afterPartition ? odata`PartitionKey gt ${afterPartition}` : undefined;
    let n = 0;
    for await (const _ of this.table.listEntities({
      queryOptions: { select: ['PartitionKey'], ...(filter ? { filter } : {}) },
    }))
      n++;
    return n;
  }

  /** Deletes the exact row read (by the partition it was read from). */
  async removeRow(row: TeamRow): Promise<void> {
    try {
      await this.table.deleteEntity(row.partition ?? teamPartition(row.employee.managerId), row.employee.id);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Writes a row: unconditionally, or only if it is still at `etag` (else {@link ConflictError}). */
  async put(row: TeamRow, etag?: string): Promise<string> {
    try {
      const result = etag
        ? await this.table.updateEntity(toEntity(row), 'Replace', { etag })
        : await this.table.upsertEntity(toEntity(row), 'Replace');
      return result.etag ?? '';
    } catch (error) {
      if (statusOf(error) === 412) throw new ConflictError(`The status of ${row.employee.id}`);
      throw error;
    }
  }

  /**
   * Writes re-evaluated rows of one partition in one transaction per 100, each conditioned on the
   * ETag it was read with. If any row changed since (a conversation write got there first, and
   * evaluated it at today's date already), the rows are written one by one and changed ones skipped.
   * Resolves to how many were written.
   */
  async putChanged(rows: readonly TeamRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    try {
      for (const batch of chunk(rows, 100)) {
        await this.table.submitTransaction(
          batch.map((row): TransactionAction => {
            const entity = toEntity(row) as unknown as TableEntity;
            return row.etag
              ? ['update', entity, 'Replace', { etag: row.etag }]
              : ['upsert', entity, 'Replace'];
          }),
        );
      }
      return rows.length;
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
      let written = 0;
      for (const row of rows) {
        try {
          await this.put(row, row.etag);
          written++;
        } catch (conflict) {
          if (!(conflict instanceof ConflictError)) throw conflict;
        }
      }
      return written;
    }
  }

  /** Flags a row for the refresh job before a conversation write, so a crash cannot lose the change. */
  async markDirty(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: teamPartition(managerId), rowKey: employeeId, dirty: true },
      'Merge',
    );
  }

  async remove(managerId: EmployeeId | undefined, employeeId: EmployeeId): Promise<void> {
    try {
      await this.table.deleteEntity(teamPartition(managerId), employeeId);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Writes many rows in batches of ≤ 100 per partition, a few batches at a time. */
  async putMany(rows: readonly TeamRow[], onBatch?: (written: number) => void): Promise<void> {
    await writeBatches(this.table, rows.map(toEntity), 'Replace', onBatch);
  }

  /** Merges only the directory columns and path of many rows (status and facts untouched). */
  async mergeDirectory(
    rows: readonly { employee: Employee; path: readonly EmployeeId[] }[],
    onBatch?: (written: number) => void,
  ): Promise<void> {
    const entities = rows.map((r) => ({
      partitionKey: teamPartition(r.employee.managerId),
      rowKey: r.employee.id,
      ...personColumns(r.employee),
      path: JSON.stringify(r.path),
    }));
    await writeBatches(this.table, entities, 'Merge', onBatch);
  }
}

export type { StatusSummary, TeamRow } from '../../core/ports';

/**
 * The exceptions index behind the organisation view's lists (issue 7; DESIGN.md §4 Tab, §5 "choose
 * partition keys by the query"): who is overdue, and who in the compliance population has had no
 * conversation in 12 months. PK = `<kind>|<service>` — the service is the person's ancestor at
 * depth 2 below the top (from the team row's path; a person at depth 1 or 2 is their own bucket,
 * the top itself is `~root`) — RK = the employee's id. A list for a node in a service reads that one
 * partition and filters by path; a directorate or the top reads the services below it. A service
 * is about 1,000 people at 100,000: Azurite checks every row of a partition on each write, so a
 * directorate-wide partition (25,000) made rebuilding the index quadratic (tens of minutes).
 * Rows hold names, dates and counts only — never note text (DESIGN.md §6).
 */
import { type TableEntityResult, odata } from '@azure/data-tables';
import { type EmployeeId, type IsoDate } from '../../core/model';
import { type StatusSummary, type TeamRow } from '../../core/ports';
import { type OrgListKind } from '../../core/tab-api';
import { statusOf, writeBatches } from './entities';
import { ROOT_PARTITION, escapeKey } from './keys';
import { type TableStore } from './sharded-table';

/** The lists the index keeps, in a fixed order. */
export const EXCEPTION_KINDS: readonly OrgListKind[] = ['overdue', 'none-12m'];

/** Statuses in the compliance population (DESIGN.md §3.1: not left, excluded or in induction). */
const IN_POPULATION: ReadonlySet<string> = new Set(['overdue', 'due-soon', 'on-track']);

/** One person on one exception list. */
export interface ExceptionRow {
  readonly kind: OrgListKind;
  readonly employeeId: EmployeeId;
  readonly name: string;
  readonly department: string;
  readonly managerId: EmployeeId | undefined;
  readonly managerName: string;
  /** Ancestors' ids, the top first, not including the person (as in the team row). */
  readonly path: readonly EmployeeId[];
  readonly status: string;
  readonly daysOverdue: number;
  readonly lastHeld: IsoDate | undefined;
}

interface ExceptionEntity {
  partitionKey: string;
  rowKey: string;
  name: string;
  department: string;
  managerId: string;
  managerName: string;
  path: string;
  status: string;
  daysOverdue: number;
  lastHeld: string;
}

/**
 * The partition of appeals received and not yet acknowledged (CC §5.10), one row per appeal, RK =
 * `<employee id>|<conversation id>`: the daily sweep reads this one partition to find the appeals
 * to nudge about instead of scanning every conversation. Written when an appeal is received and
 * deleted when it is acknowledged or decided; the sweep checks each row against its record and
 * removes rows that no longer stand for an open appeal. No list kind starts with `~`.
 */
export const APPEALS_PARTITION = '~appeals-open';

/** One appeal waiting for acknowledgement: ids and dates only, never its grounds. */
export interface OpenAppealRow {
  readonly employeeId: EmployeeId;
  readonly conversationId: string;
  readonly receivedOn: IsoDate;
  readonly appealManagerId: EmployeeId;
}

/** A person's service bucket: their ancestor at depth 2, themselves at depth 1 or 2, `~root` at the top. */
export function serviceOf(path: readonly EmployeeId[], employeeId: EmployeeId): string {
  if (path.length === 0) return ROOT_PARTITION;
  return path[2] ?? employeeId;
}

/** The index partition of a list and a service bucket. */
export function exceptionPartition(kind: OrgListKind, service: string): string {
  return `${kind}|${service}`;
}

/**
 * Which lists a status puts a person on: `overdue`; and `none-12m` for anyone in the compliance
 * population (overdue, due soon, on track) with no conversation held in the last 12 months.
 */
export function exceptionKinds(summary: StatusSummary | undefined): OrgListKind[] {
  if (summary === undefined) return [];
  const kinds: OrgListKind[] = [];
  if (summary.status === 'overdue') kinds.push('overdue');
  if (IN_POPULATION.has(summary.status) && summary.held12m === 0) kinds.push('none-12m');
  return kinds;
}

/** The exception rows a status row stands for (none when the person is on no list). */
export function exceptionRowsFor(row: TeamRow, managerName: string): ExceptionRow[] {
  const evaluation = row.evaluation;
  if (evaluation === undefined) return [];
  return exceptionKinds(evaluation).map((kind) => ({
    kind,
    employeeId: row.employee.id,
    name: row.employee.name,
    department: row.employee.department,
    managerId: row.employee.managerId,
    managerName,
    path: row.path,
    status: evaluation.status,
    daysOverdue: evaluation.daysOverdue,
    lastHeld: evaluation.lastHeld,
  }));
}

function toEntity(row: ExceptionRow): ExceptionEntity {
  return {
    partitionKey: exceptionPartition(row.kind, serviceOf(row.path, row.employeeId)),
    rowKey: row.employeeId,
    name: row.name,
    department: row.department,
    managerId: row.managerId ?? '',
    managerName: row.managerName,
    path: JSON.stringify(row.path),
    status: row.status,
    daysOverdue: row.daysOverdue,
    lastHeld: row.lastHeld ?? '',
  };
}

function fromEntity(e: TableEntityResult<Partial<ExceptionEntity>>): ExceptionRow {
  const [kind = ''] = (e.partitionKey ?? '').split('|');
  return {
    kind: kind as OrgListKind,
    employeeId: e.rowKey ?? '',
    name: e.name ?? '',
    department: e.department ?? '',
    managerId: e.managerId || undefined,
    managerName: e.managerName ?? '',
    path: JSON.parse(e.path || '[]') as EmployeeId[],
    status: e.status ?? '',
    daysOverdue: Number(e.daysOverdue ?? 0),
    lastHeld: e.lastHeld || undefined,
  };
}

/** The same entity, as compared when deciding whether a rebuild must rewrite it. */
function sameEntity(a: ExceptionEntity, b: Partial<ExceptionEntity>): boolean {
  return (Object.keys(a) as (keyof ExceptionEntity)[]).every((k) => a[k] === b[k]);
}

/** Reads and writes the exceptions index. */
export class ExceptionTable {
  constructor(private readonly table: TableStore) {}

  /** One list's rows in one service bucket: one partition read. */
  async list(kind: OrgListKind, service: string): Promise<ExceptionRow[]> {
    const rows: ExceptionRow[] = [];
    for await (const e of this.table.listEntities<Partial<ExceptionEntity>>({
      queryOptions: { filter: odata`PartitionKey eq ${exceptionPartition(kind, service)}` },
    }))
      rows.push(fromEntity(e));
    return rows;
  }

  /**
   * Brings one person's rows in line with their status (the write path, after a conversation is
   * logged): upserts the lists they are on and deletes the others, in their service's bucket.
   */
  async setPerson(
    employeeId: EmployeeId,
    path: readonly EmployeeId[],
    rows: readonly ExceptionRow[],
  ): Promise<void> {
    const service = serviceOf(path, employeeId);
    for (const kind of EXCEPTION_KINDS) {
      const row = rows.find((r) => r.kind === kind);
      if (row !== undefined) {
        await this.table.upsertEntity(toEntity({ ...row, path }), 'Replace');
        continue;
      }
      try {
        await this.table.deleteEntity(exceptionPartition(kind, service), employeeId);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
  }

  /** Records an appeal as received and not yet acknowledged. */
  async openAppeal(row: OpenAppealRow): Promise<void> {
    await this.table.upsertEntity(
      {
        partitionKey: APPEALS_PARTITION,
        rowKey: appealRowKey(row.employeeId, row.conversationId),
        employeeId: row.employeeId,
        conversationId: row.conversationId,
        receivedOn: row.receivedOn,
        appealManagerId: row.appealManagerId,
      },
      'Replace',
    );
  }

  /** Removes an appeal from the open ones (acknowledged, decided, or gone). */
  async closeAppeal(employeeId: EmployeeId, conversationId: string): Promise<void> {
    try {
      await this.table.deleteEntity(APPEALS_PARTITION, appealRowKey(employeeId, conversationId));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Every appeal not yet acknowledged: one partition read. */
  async openAppeals(): Promise<OpenAppealRow[]> {
    const rows: OpenAppealRow[] = [];
    for await (const e of this.table.listEntities<Partial<OpenAppealRow>>({
      queryOptions: { filter: odata`PartitionKey eq ${APPEALS_PARTITION}` },
    })) {
      if (e.employeeId && e.conversationId && e.receivedOn && e.appealManagerId)
        rows.push({
          employeeId: e.employeeId,
          conversationId: e.conversationId,
          receivedOn: e.receivedOn,
          appealManagerId: e.appealManagerId,
        });
    }
    return rows;
  }

  /**
   * Makes the index equal `rows` (the refresh job; never on a request path): reads every row,
   * rewrites those that differ and deletes those no longer wanted, in batches of ≤ 100 per
   * partition. Resolves to how many rows were written and removed.
   */
  async replaceAll(rows: readonly ExceptionRow[]): Promise<{ written: number; removed: number }> {
    const wanted = new Map<string, ExceptionEntity>();
    for (const row of rows) {
      const entity = toEntity(row);
      wanted.set(`${entity.partitionKey}\n${entity.rowKey}`, entity);
    }
    const unchanged = new Set<string>();
    const stale: { partitionKey: string; rowKey: string }[] = [];
    for await (const e of this.table.listEntities<Partial<ExceptionEntity>>()) {
      const partitionKey = e.partitionKey ?? '';
      // The open appeals are not the refresh job's to rebuild.
      if (partitionKey === APPEALS_PARTITION) continue;
      const rowKey = e.rowKey ?? '';
      const key = `${partitionKey}\n${rowKey}`;
      const entity = wanted.get(key);
      if (entity === undefined) stale.push({ partitionKey, rowKey });
      else if (sameEntity(entity, e)) unchanged.add(key);
    }
    const changed = [...wanted.entries()].filter(([key]) => !unchanged.has(key)).map(([, e]) => e);
    await writeBatches(this.table, changed, 'Replace');
    await writeBatches(this.table, stale, 'delete');
    return { written: changed.length, removed: stale.length };
  }
}

function appealRowKey(employeeId: EmployeeId, conversationId: string): string {
  return `${escapeKey(employeeId)}|${escapeKey(conversationId)}`;
}

/**
 * Reminder snoozes, in the nudge-ledger table beside the ledger rows they hold back: PK = employee
 * id, RK = `snooze|<item>|<due date>`, properties `until` (ISO date), `by` (manager id), `at` (ISO
 * instant). One row per due item; a second snooze replaces the first. Reminders about that due date
 * wait until `until`; escalations do not look here (procedure §4.2).
 */
import { odata } from '@azure/data-tables';
import { isIsoDate } from '../../core/dates/day';
import { NUDGE_ITEMS, type NudgeItem } from '../../core/policy/schema';
import { statusOf } from './entities';
import { keyProblem } from './limits';
import { type TableStore } from './sharded-table';

/** Row-key prefix of snoozes; ledger rows start with an item name, so the two never meet. */
const PREFIX = 'snooze|';

/** One snooze as stored. */
export interface Snooze {
  readonly employeeId: string;
  readonly item: NudgeItem;
  /** The due date the snooze is about (ISO date). */
  readonly dueDate: string;
  /** The first day reminders may be sent again (ISO date). */
  readonly until: string;
  /** The manager who snoozed. */
  readonly by: string;
  /** When (ISO instant). */
  readonly at: string;
  /** The ladder stage shown when it was snoozed, for the record. */
  readonly stage?: string;
}

interface SnoozeEntity {
  readonly until?: string;
}

/** The row key of a snooze (DESIGN.md §5: keys chosen by the query, here one partition range). */
export function snoozeRowKey(item: NudgeItem, dueDate: string): string {
  return `${PREFIX}${item}|${dueDate}`;
}

/** Snoozes on Azure Tables (the nudge-ledger table). */
export class Snoozes {
  constructor(private readonly table: TableStore) {}

  /** Stores (or replaces) a snooze. Throws a RangeError for a key the table cannot hold. */
  async set(snooze: Snooze): Promise<void> {
    check(snooze.employeeId, snooze.item, snooze.dueDate);
    if (!isIsoDate(snooze.until)) throw new RangeError(`until "${snooze.until}" is not a date`);
    await this.table.upsertEntity(
      {
        partitionKey: snooze.employeeId,
        rowKey: snoozeRowKey(snooze.item, snooze.dueDate),
        until: snooze.until,
        by: snooze.by,
        at: snooze.at,
        ...(snooze.stage === undefined ? {} : { stage: snooze.stage }),
      },
      'Replace',
    );
  }

  /** The date a due item is snoozed until, or undefined when it is not snoozed. */
  async get(employeeId: string, item: NudgeItem, dueDate: string): Promise<string | undefined> {
    check(employeeId, item, dueDate);
    try {
      const row = await this.table.getEntity<SnoozeEntity>(employeeId, snoozeRowKey(item, dueDate));
      return row.until;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Every snooze of one person, `${item}|${dueDate}` → until: one partition query over the snooze range. */
  async forEmployee(employeeId: string): Promise<Map<string, string>> {
    const problem = keyProblem('employee id', employeeId);
    if (problem !== undefined) throw new RangeError(problem);
    const out = new Map<string, string>();
    for await (const row of this.table.listEntities<SnoozeEntity>({
      queryOptions: {
        filter: odata`PartitionKey eq ${employeeId} and RowKey ge ${PREFIX} and RowKey lt ${`${PREFIX}~`}`,
        select: ['RowKey', 'until'],
      },
    })) {
      const key = (row.rowKey ?? '').slice(PREFIX.length);
      if (key !== '' && typeof row.until === 'string') out.set(key, row.until);
    }
    return out;
  }
}

function check(employeeId: string, item: string, dueDate: string): void {
  const problem = keyProblem('employee id', employeeId);
  if (problem !== undefined) throw new RangeError(problem);
  if (!(NUDGE_ITEMS as readonly string[]).includes(item))
    throw new RangeError(`"${item}" is not a nudge item`);
  if (!isIsoDate(dueDate)) throw new RangeError(`due date "${dueDate}" is not a date`);
}

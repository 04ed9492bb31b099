/**
 * The daily refresh (DESIGN.md §5 "keeping figures current"): statuses that change with time alone
 * (due-soon, overdue, the rolling window moving on) are re-evaluated from the facts each status row
 * keeps — no conversation is read — and only changed rows are written; rows flagged dirty by an
 * interrupted write are repaired from their conversations; then the roll-ups and the exceptions
 * index (the organisation view's lists) are rebuilt from the status rows. Resumable: a checkpoint
 * after each batch of partitions lets a restarted run skip what it already did the same day.
 */
import { randomUUID } from 'node:crypto';
import { type TableClient } from '@azure/data-tables';
import {
  conversationsFromFacts,
  evaluateFromFacts,
  quarterAsOf,
  rollupQuarters,
  toRollupFigures,
} from '../../core/compliance/status-facts';
import { evaluateOrganisation } from '../../core/compliance/organisation';
import { type ConversationFacts, type Employee, type EmployeeId } from '../../core/model';
import { type RollUpNode, groupFigures, rollUp } from '../../core/org/rollup';
import { type ExceptionRow, exceptionRowsFor } from '../storage/exception-table';
import { ROOT_PARTITION, quarterKey, teamPartition } from '../storage/keys';
import { type RollupRow } from '../storage/rollup-table';
import { type TeamRow, summarise } from '../storage/team-table';
import { readJob, writeJob } from './jobs';
import { type Records } from './records';

/** Progress of a refresh: which phase, and how far. */
export type RefreshProgress = (phase: 'statuses' | 'roll-ups', done: number, total: number) => void;

/** What a refresh did. */
export interface RefreshSummary {
  readonly rows: number;
  /** Dirty rows recomputed from their conversations. */
  readonly repaired: number;
  /** People found in one of the employees and team tables and not the other, put right first. */
  readonly directoryRepaired: number;
  /** Statuses that changed with time and were written. */
  readonly changed: number;
  readonly rollupRows: number;
  readonly staleRollupsRemoved: number;
  /** Rows in the exceptions index (overdue and none-in-12-months entries) after the rebuild. */
  readonly exceptionRows: number;
  /** The partition a resumed run started after, if it resumed. */
  readonly resumedAfter?: string | undefined;
}

interface Checkpoint {
  readonly date: string;
  readonly phase: 'statuses' | 'roll-ups' | 'done';
  readonly lastPartition: string;
  readonly repaired: number;
  readonly changed: number;
}

const JOB = 'refresh';
const CHECKPOINT_EVERY = 50;
/** Partition writes in flight at once during the status phase. */
const WRITERS = 8;

/** Runs the refresh; resumes today's interrupted run from its checkpoint. */
export async function runRefresh(
  records: Records,
  jobs: TableClient,
  options: {
    readonly onProgress?: RefreshProgress;
    readonly resume?: boolean;
    /** Partitions between checkpoints (default 50). */
    readonly checkpointEvery?: number;
    /**
     * First put right people in one of the employees and team tables and not the other (default
     * true; an HR import that has just done so passes false).
     */
    readonly repairDirectory?: boolean;
    /** Stops the run at its next checkpoint (the service is stopping); a later run resumes there. */
    readonly signal?: AbortSignal;
  } = {},
): Promise<RefreshSummary> {
  const today = records.clock.today();
  const saved = options.resume === false ? undefined : await readCheckpoint(jobs);
  const resume = saved && saved.date === today && saved.phase !== 'done' ? saved : undefined;
  let repaired = resume?.repaired ?? 0;
  let changed = resume?.changed ?? 0;
  let lastPartition = resume?.phase === 'statuses' ? resume.lastPartition : '';

  const every = options.checkpointEvery ?? CHECKPOINT_EVERY;
  let directoryRepaired = 0;
  if (resume === undefined) {
    if (options.repairDirectory !== false) directoryRepaired = await records.directory.repair();
    await writeCheckpoint(jobs, { date: today, phase: 'statuses', lastPartition: '', repaired, changed });
  }
  if (resume?.phase !== 'roll-ups') {
    const total = await countRows(records, lastPartition);
    let done = 0;
    let partitionsSinceCheckpoint = 0;
    let current = '';
    let pending: TeamRow[] = [];
    // Each partition's changes are one write; up to WRITERS of them are in flight at once, and all
    // finish before a checkpoint records the partitions as done.
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    const flush = async () => {
      if (failure !== undefined) throw failure;
      const rows = pending;
      pending = [];
      if (rows.length === 0) return;
      const write: Promise<void> = records.team
        .putChanged(rows)
        .then((n) => void (changed += n))
        .catch(
          (error: unknown) => void (failure ??= error instanceof Error ? error : new Error(String(error))),
        )
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= WRITERS) await Promise.race(inFlight);
    };
    const settle = async () => {
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure;
    };
    for await (const row of rowsAfter(records, lastPartition)) {
      const partition = teamPartition(row.employee.managerId);
      if (partition !== current) {
        await flush();
        if (current !== '' && ++partitionsSinceCheckpoint >= every) {
          await settle();
          await writeCheckpoint(jobs, {
            date: today,
            phase: 'statuses',
            lastPartition: current,
            repaired,
            changed,
          });
          partitionsSinceCheckpoint = 0;
          options.signal?.throwIfAborted();
        }
        current = partition;
      }
      if (row.dirty) {
        await records.refreshPerson(row.employee);
        await records.audit.append({
          subjectId: row.employee.id,
          actorId: `system:${JOB}`,
          action: 'status.repaired',
        });
        repaired++;
      } else {
        const evaluation = summarise(evaluateFromFacts(records.policy, row.employee, row.facts, today));
        if (row.evaluation === undefined || JSON.stringify(row.evaluation) !== JSON.stringify(evaluation)) {
          pending.push({ ...row, evaluation, evaluatedAt: today });
        }
      }
      options.onProgress?.('statuses', ++done, total);
    }
    await flush();
    await settle();
    lastPartition = current;
    await writeCheckpoint(jobs, { date: today, phase: 'roll-ups', lastPartition, repaired, changed });
  }

  const rebuilt = await rebuildRollups(records, options.onProgress);
  await writeCheckpoint(jobs, { date: today, phase: 'done', lastPartition, repaired, changed });
  return {
    rows: rebuilt.rows,
    repaired,
    directoryRepaired,
    changed,
    rollupRows: rebuilt.rollupRows,
    staleRollupsRemoved: rebuilt.removed,
    exceptionRows: rebuilt.exceptionRows,
    resumedAfter: resume ? resume.lastPartition || '(start)' : undefined,
  };
}

/**
 * Rebuilds every roll-up from the status rows: each quarter of the window is evaluated as the
 * policy engine evaluates a whole organisation, and each manager's subtree is one row. The
 * exceptions index is rebuilt from the same rows (only differing rows written, stale ones deleted).
 */
export async function rebuildRollups(
  records: Records,
  onProgress?: RefreshProgress,
): Promise<{ rows: number; rollupRows: number; removed: number; exceptionRows: number }> {
  const today = records.clock.today();
  const { employees, conversations, exceptions } = await currentPeople(records);
  const rows: RollupRow[] = [];
  const quarters = rollupQuarters(today);
  quarters.forEach((q, k) => {
    const org = evaluateOrganisation(records.policy, employees, conversations, quarterAsOf(q, today), {
      actions: false,
    });
    const roots = rollUp(org, { quarter: q });
    const push = (nodeId: EmployeeId, subject: RollUpNode) =>
      rows.push({
        nodeId,
        subjectId: subject.employeeId,
        quarterKey: quarterKey(q),
        quarter: q.label,
        figures: toRollupFigures(subject.figures),
      });
    const visit = (node: RollUpNode) => {
      if (node.children.length === 0) return;
      push(node.employeeId, node);
      for (const child of node.children) {
        if (child.children.length > 0) push(node.employeeId, child);
        visit(child);
      }
    };
    // The organisation as a whole (every root's subtree; one root when there is a Chief Executive).
    const whole = toRollupFigures(groupFigures(org, undefined, q));
    rows.push({
      nodeId: ROOT_PARTITION,
      subjectId: ROOT_PARTITION,
      quarterKey: quarterKey(q),
      quarter: q.label,
      figures: whole,
    });
    for (const r of roots) {
      if (r.children.length > 0) push(ROOT_PARTITION, r);
      visit(r);
    }
    onProgress?.('roll-ups', k + 1, quarters.length + 1);
  });
  const removed = await records.rollups.replaceAll(rows, randomUUID());
  await records.exceptions.replaceAll(withManagerNames(exceptions, employees));
  onProgress?.('roll-ups', quarters.length + 1, quarters.length + 1);
  return { rows: employees.length, rollupRows: rows.length, removed, exceptionRows: exceptions.length };
}

/** Exception rows with each manager's name filled in from the people read. */
function withManagerNames(rows: readonly ExceptionRow[], employees: readonly Employee[]): ExceptionRow[] {
  const names = new Map(employees.map((e) => [e.id, e.name]));
  return rows.map((r) => ({
    ...r,
    managerName: r.managerId === undefined ? '' : (names.get(r.managerId) ?? ''),
  }));
}

/**
 * Everyone in the status index with the conversations their facts stand for, and the exception
 * rows their statuses stand for (manager names still empty). A row filed under a manager the
 * person no longer has (left by an interrupted move) is deleted, not counted. The roll-ups and the
 * nudge sweep evaluate the organisation from these.
 */
export async function currentPeople(
  records: Records,
): Promise<{ employees: Employee[]; conversations: ConversationFacts[]; exceptions: ExceptionRow[] }> {
  const exceptions: ExceptionRow[] = [];
  const employees: Employee[] = [];
  const conversations: ConversationFacts[] = [];
  const seen = new Set<EmployeeId>();
  const stale: TeamRow[] = [];
  for await (const row of records.team.all()) {
    if (seen.has(row.employee.id) || row.partition !== teamPartition(row.employee.managerId)) {
      stale.push(row);
      continue;
    }
    seen.add(row.employee.id);
    exceptions.push(...exceptionRowsFor(row, ''));
    employees.push(row.employee);
    for (const c of conversationsFromFacts(row.employee.id, row.facts)) conversations.push(c);
  }
  for (const row of stale) await records.team.removeRow(row);
  return { employees, conversations, exceptions };
}

function rowsAfter(records: Records, lastPartition: string): AsyncIterable<TeamRow> {
  return lastPartition === '' ? records.team.all() : records.team.all(lastPartition);
}

async function countRows(records: Records, lastPartition: string): Promise<number> {
  return records.team.count(lastPartition);
}

async function readCheckpoint(jobs: TableClient): Promise<Checkpoint | undefined> {
  return readJob<Checkpoint>(jobs, JOB);
}

async function writeCheckpoint(jobs: TableClient, checkpoint: Checkpoint): Promise<void> {
  await writeJob(jobs, JOB, checkpoint);
}

/** Today's run state, for `refresh --status`. */
export async function refreshState(jobs: TableClient): Promise<string> {
  const c = await readCheckpoint(jobs);
  return c === undefined ? 'never run' : `${c.date}: ${c.phase} (after partition ${c.lastPartition || '-'})`;
}

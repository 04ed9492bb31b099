/**
 * Bulk loads: the HR import (the employees CSV of the policy engine, DESIGN.md §3 "HR import") and
 * a conversation-history load for migrations and the demo organisation. Both write in batches of
 * ≤ 100 per partition and finish with the refresh, so every figure is current when they return.
 */
import { stringify } from 'csv-stringify/sync';
import { statusFacts, evaluateFromFacts } from '../../core/compliance/status-facts';
import { type RowError, EMPLOYEE_COLUMNS, parseEmployeesCsv } from '../../core/import/hr-csv';
import { type Employee, type EmployeeId } from '../../core/model';
import { type DirectoryWriteSummary } from '../../core/ports';
import { type ConversationRecord } from '../../core/records';
import { conversationToEntity } from '../storage/conversation-table';
import { ancestorPaths } from '../storage/employee-table';
import { writeBatches } from '../storage/entities';
import { type Tables } from '../storage/tables';
import { summarise } from '../storage/team-table';
import { type Records } from './records';
import { type RefreshProgress, type RefreshSummary, rebuildRollups, runRefresh } from './refresh';

/** What an HR import did. */
export interface HrImportSummary extends DirectoryWriteSummary {
  readonly rejected: readonly RowError[];
  /** The refresh that followed, when anything changed. */
  readonly refresh?: RefreshSummary | undefined;
}

/** Progress of an import: which step and how far. */
export type ImportProgress = (step: 'people' | RefreshProgressPhase, done: number, total: number) => void;
type RefreshProgressPhase = Parameters<RefreshProgress>[0];

/**
 * Imports an HR employees CSV: upserts people, marks leavers (rows with a leave date), reports
 * malformed rows by line and imports the rest. Re-importing the same file changes nothing.
 */
export async function importHr(
  records: Records,
  tables: Tables,
  csv: string,
  onProgress?: ImportProgress,
): Promise<HrImportSummary> {
  const { written, rejected } = await importPeople(records, csv, onProgress);
  const anything = written.added + written.updated > 0;
  const refresh = anything
    ? await runRefresh(records, tables.jobs, {
        resume: false,
        onProgress: (phase, d, t) => onProgress?.(phase, d, t),
      })
    : undefined;
  return { ...written, rejected, refresh };
}

/**
 * The people step of an HR import alone: parses the CSV and writes the directory and team rows,
 * without the refresh that brings statuses and roll-ups up to date ({@link importHr} runs it).
 */
export async function importPeople(
  records: Records,
  csv: string,
  onProgress?: ImportProgress,
): Promise<{ written: DirectoryWriteSummary; rejected: readonly RowError[] }> {
  const parsed = parseEmployeesCsv(csv);
  const written = await records.directory.upsertMany(
    parsed.rows.map((r) => r.value),
    (done, total) => onProgress?.('people', done, total),
  );
  return { written, rejected: parsed.errors };
}

/** Writes people as an HR employees CSV (the import's own format). */
export function employeesCsv(employees: readonly Employee[]): string {
  const yesNo = (b: boolean | undefined) => (b === undefined ? '' : b ? 'true' : 'false');
  return stringify(
    employees.map((e) => [
      e.id,
      e.name,
      e.email,
      e.positionNumber,
      e.managerId ?? '',
      e.department,
      e.staffGroup,
      e.startDate,
      e.leaveDate ?? '',
      e.payStepDate ?? '',
      yesNo(e.capabilityProcess),
      yesNo(e.disciplinaryLive),
      yesNo(e.mandatoryTrainingComplete),
      e.supervisionFrequencyWeeks ?? '',
    ]),
    { header: true, columns: [...EMPLOYEE_COLUMNS] },
  );
}

/**
 * Loads conversation history in bulk (a migration, or the demo organisation): records are written
 * idempotently by id, and the status of each person in the load is computed from the records given,
 * which must be their whole history. Then the roll-ups are rebuilt.
 */
export async function importHistory(
  records: Records,
  tables: Tables,
  history: readonly ConversationRecord[],
  onProgress?: (step: 'records' | 'statuses' | RefreshProgressPhase, done: number, total: number) => void,
): Promise<{ records: number; people: number }> {
  let written = 0;
  await writeBatches(tables.conversations, history.map(conversationToEntity), 'Replace', (n) =>
    onProgress?.('records', (written += n), history.length),
  );
  const byEmployee = new Map<EmployeeId, ConversationRecord[]>();
  for (const r of history) {
    const list = byEmployee.get(r.employeeId);
    if (list) list.push(r);
    else byEmployee.set(r.employeeId, [r]);
  }
  const people = new Map<EmployeeId, Employee>();
  for await (const e of records.directory.listAll()) people.set(e.id, e);
  const paths = ancestorPaths(people);
  const today = records.clock.today();
  const rows = [...byEmployee.keys()].flatMap((id) => {
    const employee = people.get(id);
    if (employee === undefined) return [];
    const facts = statusFacts(byEmployee.get(id) ?? [], today);
    const evaluation = summarise(evaluateFromFacts(records.policy, employee, facts, today));
    return [{ employee, path: paths.get(id) ?? [], facts, evaluation, evaluatedAt: today, dirty: false }];
  });
  let statuses = 0;
  await records.team.putMany(rows, (n) => onProgress?.('statuses', (statuses += n), rows.length));
  await rebuildRollups(records, (phase, d, t) => onProgress?.(phase, d, t));
  return { records: history.length, people: rows.length };
}

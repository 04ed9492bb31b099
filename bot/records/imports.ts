/**
 * Bulk loads: the HR import (the employees CSV of the policy engine, DESIGN.md §3 "HR import") and
 * a conversation-history load for migrations and the demo organisation. Both write in batches of
 * ≤ 100 per partition and finish with the refresh, so every figure is current when they return.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { withScopeDefaults } from '../../core/compliance/evaluate';
import { reportingCycles } from '../../core/org/tree';
import { statusFacts, evaluateFromFacts } from '../../core/compliance/status-facts';
import {
  type CsvInput,
  type CsvResult,
  type ImportedConversation,
  type RowError,
  EMPLOYEE_COLUMNS,
  OVERALL_RATING_FIELD,
  parseEmployeesCsv,
} from '../../core/import/hr-csv';
import { type ConversationStatus, type Employee, type EmployeeId } from '../../core/model';
import { type DirectoryWriteSummary } from '../../core/ports';
import { type ConversationRecord } from '../../core/records';
import { conversationToEntity } from '../storage/conversation-table';
import { ancestorPaths } from '../storage/employee-table';
import { withoutUndefined, writeBatches } from '../storage/entities';
import { personProblems } from '../storage/limits';
import { type Tables } from '../storage/tables';
import { summarise } from '../storage/team-table';
import { readJob, writeJob } from './jobs';
import { type Records } from './records';
import { type RefreshProgress, type RefreshSummary, rebuildRollups, runRefresh } from './refresh';

/** What an HR import did. */
export interface HrImportSummary extends DirectoryWriteSummary {
  readonly rejected: readonly RowError[];
  /** The whole file refused (a missing column, not text): nothing was written. */
  readonly fileError?: RowError | undefined;
  /** The refresh that followed, when anything changed or an earlier import had not finished. */
  readonly refresh?: RefreshSummary | undefined;
  /** The step an earlier, interrupted import had reached, when this run finished it. */
  readonly resumed?: ImportPhase | undefined;
}

/** Progress of an import: which step and how far. */
export type ImportProgress = (step: 'people' | RefreshProgressPhase, done: number, total: number) => void;
type RefreshProgressPhase = Parameters<RefreshProgress>[0];

/** Where an import is: writing people, refreshing statuses, or finished. */
export type ImportPhase = 'people' | 'refresh' | 'done';

/** The import's own checkpoint in the jobs table: which step, since when. */
interface ImportCheckpoint {
  readonly phase: ImportPhase;
  readonly at: string;
}

const HR_JOB = 'import-hr';

/**
 * Imports an HR employees CSV: upserts people, marks leavers (rows with a leave date), reports
 * malformed rows by line and imports the rest, then refreshes. Re-importing the same file changes
 * nothing. Crash-safe: the people step puts right whatever an interrupted run left (see
 * {@link TableDirectory.upsertMany}), and a checkpoint in the jobs table says whether the last
 * import finished its refresh, so a rerun after any crash ends in the state of a clean import.
 */
export async function importHr(
  records: Records,
  tables: Tables,
  csv: CsvInput,
  onProgress?: ImportProgress,
): Promise<HrImportSummary> {
  const previous = await readJob<ImportCheckpoint>(tables.jobs, HR_JOB);
  const parsed = parseEmployeesCsv(csv);
  if (parsed.fileError) {
    return { added: 0, updated: 0, unchanged: 0, left: 0, rejected: [], fileError: parsed.fileError };
  }
  await writeJob(tables.jobs, HR_JOB, { phase: 'people', at: records.clock.now().toISOString() });
  const { written, rejected } = await importPeople(records, parsed, onProgress);
  await writeJob(tables.jobs, HR_JOB, { phase: 'refresh', at: records.clock.now().toISOString() });
  const wrote = written.added + written.updated + (written.repaired ?? 0) > 0;
  const unfinished = previous !== undefined && previous.phase !== 'done' ? previous.phase : undefined;
  const refresh =
    wrote || unfinished !== undefined
      ? await runRefresh(records, tables.jobs, {
          // Whole, not from the refresh's own checkpoint: storage that crashed (Azurite killed)
          // can lose writes that checkpoint counts as done. The people step has just put both
          // tables in line, so the refresh need not.
          resume: false,
          repairDirectory: false,
          onProgress: (phase, d, t) => onProgress?.(phase, d, t),
        })
      : undefined;
  await writeJob(tables.jobs, HR_JOB, { phase: 'done', at: records.clock.now().toISOString() });
  return { ...written, rejected, refresh, resumed: unfinished };
}

/**
 * The people step of an HR import alone: checks each parsed person against the storage limits
 * (DESIGN.md §7; a row that would not fit is rejected by line before anything is written), merges
 * them with what the directory sync knows ({@link mergeHrPerson}), fills in the policy's default
 * scope, and writes the directory and team rows, without the refresh that brings statuses and
 * roll-ups up to date ({@link importHr} runs it).
 */
export async function importPeople(
  records: Records,
  csv: CsvInput | CsvResult<Employee>,
  onProgress?: ImportProgress,
): Promise<{ written: DirectoryWriteSummary; rejected: readonly RowError[] }> {
  const parsed = typeof csv === 'string' || 'text' in csv ? parseEmployeesCsv(csv) : csv;
  const rejected: RowError[] = [...parsed.errors];
  const fitting: Employee[] = [];
  for (const { line, value } of parsed.rows) {
    const problems = personProblems(value);
    if (problems.length > 0) rejected.push({ line, message: problems.join('; ') });
    else fitting.push(value);
  }
  const stored = new Map<EmployeeId, Employee>();
  for await (const e of records.directory.listAll()) stored.set(e.id, e);
  // A reporting line that comes back to the person has no top (PC §2.3): the rows that close it
  // are rejected, naming the loop, and the rest of the organisation imported.
  const lines = new Map(parsed.rows.map((r) => [r.value.id, r.line]));
  const cycles = reportingCycles(new Map([...stored, ...fitting.map((e) => [e.id, e] as const)]));
  const inTree = fitting.filter((e) => {
    const loop = cycles.get(e.id);
    if (loop === undefined) return true;
    rejected.push({
      line: lines.get(e.id) ?? 0,
      message: `manager_id "${e.managerId ?? ''}" makes a reporting loop (${loop.join(' → ')}): someone in it must report outside it`,
    });
    return false;
  });
  const merged = withScopeDefaults(
    records.policy,
    inTree.map((row) => mergeHrPerson(stored.get(row.id), row)),
    stored.values(),
  );
  const written = await records.directory.upsertMany(
    merged,
    (done, total) => onProgress?.('people', done, total),
    stored,
  );
  return { written, rejected: rejected.sort((a, b) => a.line - b.line) };
}

/**
 * A person as an HR row says, merged with what is stored (README "Microsoft Graph", merge rule):
 * HR owns the employment facts; the name and e-mail of someone the directory sync has seen are
 * Graph's; a manager or leave date the directory set stays while HR gives none (an empty cell is
 * "not recorded", not "none"); an empty department or position number keeps what Graph filled in.
 */
export function mergeHrPerson(stored: Employee | undefined, row: Employee): Employee {
  const hrManager = row.managerId !== undefined;
  const hrLeave = row.leaveDate !== undefined;
  const directoryManager = stored?.managerSource === 'directory' ? stored.managerId : undefined;
  const directoryLeave = stored?.leaveDateSource === 'directory' ? stored.leaveDate : undefined;
  const graphOwns = stored?.inDirectory === true;
  const or = (hr: string, kept: string | undefined) => (hr !== '' ? hr : (kept ?? ''));
  return withoutUndefined({
    ...row,
    name: graphOwns && stored.name !== '' ? stored.name : or(row.name, stored?.name),
    email: graphOwns && stored.email !== '' ? stored.email : or(row.email, stored?.email),
    department: or(row.department, stored?.department),
    positionNumber: or(row.positionNumber, stored?.positionNumber),
    managerId: hrManager ? row.managerId : directoryManager,
    managerSource: hrManager ? 'hr' : directoryManager !== undefined ? 'directory' : undefined,
    leaveDate: hrLeave ? row.leaveDate : directoryLeave,
    leaveDateSource: hrLeave ? 'hr' : directoryLeave !== undefined ? 'directory' : undefined,
    inDirectory: stored?.inDirectory,
    // Agreed in a recorded meeting (CC §3.2 "agreed between the two individuals"): that agreement
    // stands over the HR system's value; decisions recorded in Teams are not the HR file's to drop.
    ...(stored?.supervisionFrequencySource === 'record'
      ? { supervisionFrequencyWeeks: stored.supervisionFrequencyWeeks, supervisionFrequencySource: 'record' }
      : {}),
    payStepDecisions: stored?.payStepDecisions,
  });
}

/** Writes people as an HR employees CSV (the import's own format). */
export function employeesCsv(employees: readonly Employee[]): string {
  const yesNo = (b: boolean | undefined) => (b === undefined ? '' : b ? 'true' : 'false');
  const cells = (e: Employee): Record<(typeof EMPLOYEE_COLUMNS)[number], string> => ({
    employee_id: e.id,
    name: e.name,
    email: e.email,
    position_number: e.positionNumber,
    manager_id: e.managerId ?? '',
    department: e.department,
    staff_group: e.staffGroup,
    start_date: e.startDate,
    leave_date: e.leaveDate ?? '',
    pay_step_date: e.payStepDate ?? '',
    capability_process: yesNo(e.capabilityProcess),
    disciplinary_live: yesNo(e.disciplinaryLive),
    mandatory_training_complete: yesNo(e.mandatoryTrainingComplete),
    supervision_frequency_weeks:
      e.supervisionFrequencyWeeks === undefined ? '' : String(e.supervisionFrequencyWeeks),
    out_of_scope: yesNo(e.outOfScope),
  });
  return stringify(employees.map(cells), { header: true, columns: [...EMPLOYEE_COLUMNS] });
}

/** What `historyFromCsv` made of a conversations file: the records to load and the rows left out. */
export interface HistoryRows {
  readonly history: ConversationRecord[];
  readonly rejected: RowError[];
}

/** Which of two rows for the same conversation is kept: it was held, over booked, over cancelled. */
const STATUS_RANK: Readonly<Record<ConversationStatus, number>> = {
  completed: 3,
  scheduled: 2,
  cancelled: 1,
};

/**
 * Conversation history rows as stored records, idempotent by person, date and type (the record id
 * is `import-<date>-<type>` in the person's partition). Rows for people the directory does not
 * hold are rejected by line; two rows for the same person, date and type (a meeting cancelled and
 * held the same day) are one conversation: the held one is kept, else the first, and the other
 * line is reported saying which was kept.
 */
export function historyFromCsv(
  parsed: CsvResult<ImportedConversation>,
  known: ReadonlySet<EmployeeId>,
  now: string,
): HistoryRows {
  const rejected: RowError[] = [...parsed.errors];
  const kept = new Map<string, { line: number; value: ImportedConversation }>();
  for (const row of parsed.rows) {
    const { employeeId, date, type, status } = row.value;
    if (!known.has(employeeId)) {
      rejected.push({
        line: row.line,
        message: `employee_id "${employeeId}" is not in the directory: import the HR file with them first`,
      });
      continue;
    }
    const key = `${employeeId}\u0000${date}\u0000${type}`;
    const first = kept.get(key);
    if (first === undefined) {
      kept.set(key, row);
      continue;
    }
    const better = STATUS_RANK[status] > STATUS_RANK[first.value.status] ? row : first;
    const dropped = better === row ? first : row;
    kept.set(key, better);
    rejected.push({
      line: dropped.line,
      message: `the same person, date and type as line ${better.line}: one conversation, so line ${better.line} (${better.value.status}) is kept`,
    });
  }
  const history = [...kept.values()]
    .sort((a, b) => a.line - b.line)
    // The agreed overall rating is a record field (CC §5.8); objectives met is a fact the rules read.
    .map(({ value: { overallRating, ...value } }) => ({
      ...value,
      ...(overallRating !== undefined ? { fields: { [OVERALL_RATING_FIELD]: overallRating } } : {}),
      id: `import-${value.date}-${value.type}`,
      positionNumber: '',
      areas: {},
      createdBy: 'system:import-history',
      createdAt: now,
      updatedAt: now,
    }));
  return { history, rejected: rejected.sort((a, b) => a.line - b.line) };
}

/** The history load's checkpoint: which load, and whether its records are all written. */
interface HistoryCheckpoint {
  readonly file: string;
  readonly phase: 'records' | 'statuses' | 'done';
}

const HISTORY_JOB = 'import-history';

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
): Promise<{ records: number; people: number; resumed: boolean }> {
  const hash = createHash('sha256');
  for (const r of history) hash.update(`${r.employeeId}|${r.id}|${r.date}|${r.status}\n`);
  const file = hash.digest('base64url').slice(0, 22);
  const previous = await readJob<HistoryCheckpoint>(tables.jobs, HISTORY_JOB);
  // The same load stopped after its records were all written: they need not be written again.
  const resumed = previous?.file === file && previous.phase === 'statuses';
  if (!resumed) {
    await writeJob(tables.jobs, HISTORY_JOB, { file, phase: 'records' });
    let written = 0;
    await writeBatches(tables.conversations, history.map(conversationToEntity), 'Replace', (n) =>
      onProgress?.('records', (written += n), history.length),
    );
    await writeJob(tables.jobs, HISTORY_JOB, { file, phase: 'statuses' });
  }
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
  await writeJob(tables.jobs, HISTORY_JOB, { file, phase: 'done' });
  return { records: history.length, people: rows.length, resumed };
}

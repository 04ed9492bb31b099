/**
 * The two CSV formats the rules read: the HR employees export and a conversations list (issue 3,
 * DESIGN.md §3 "Employment facts … come from an HR import (CSV)"). Parsing text only — reading the
 * file is the caller's job. A bad row is reported by line number and the rest are kept
 * (DESIGN.md §8 "malformed HR rows are reported by line and the rest imported").
 */
import { parse } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse/sync';
import { tryParseIsoDate } from '../dates/day';
import type { ConversationFacts, ConversationStatus, Employee } from '../model';

/** Columns of the employees CSV, in the documented order; extra columns are ignored. */
export const EMPLOYEE_COLUMNS = [
  'employee_id',
  'name',
  'email',
  'position_number',
  'manager_id',
  'department',
  'staff_group',
  'start_date',
  'leave_date',
  'pay_step_date',
  'capability_process',
  'disciplinary_live',
  'mandatory_training_complete',
  'supervision_frequency_weeks',
] as const;

/** Columns of the conversations CSV; extra columns are ignored. */
export const CONVERSATION_COLUMNS = ['employee_id', 'type', 'date', 'manager_id', 'status'] as const;

/** A rejected row (or, with line 0, a problem with the whole file such as a missing column). */
export interface RowError {
  readonly line: number;
  readonly message: string;
}

/** Parsed rows with the line each came from, and the rows rejected. */
export interface CsvResult<T> {
  readonly rows: readonly { readonly line: number; readonly value: T }[];
  readonly errors: readonly RowError[];
}

type RawRecord = Readonly<Record<string, string | undefined>>;

interface RawRow {
  readonly line: number;
  readonly record: RawRecord;
  readonly fieldCountError: string | undefined;
}

/** What csv-parse passes to `on_record`: the running info, with an error for a short or long row. */
interface RecordContext {
  readonly lines: number;
  readonly error?: { readonly code?: string; readonly record?: unknown[] } | undefined;
}

function isCsvError(error: unknown): error is CsvError {
  return error instanceof Error && 'code' in error && typeof (error as { code: unknown }).code === 'string';
}

/**
 * Tokenises CSV text with a header row; malformed records become errors, never exceptions. When
 * csv-parse stops at bad quoting, the bad record is reported from its first line and parsing
 * resumes on the line after the one where the error was found, so later rows are not lost.
 */
function readCsv(text: string, required: readonly string[]): { rows: RawRow[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const options = {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  };
  let header: string[];
  try {
    const [first] = parse(text, { ...options, to_line: 1 });
    header = (first ?? []).map((n) => n.trim().toLowerCase());
  } catch (error) {
    return {
      rows: [],
      errors: [
        { line: 1, message: `unreadable header: ${error instanceof Error ? error.message : String(error)}` },
      ],
    };
  }
  if (header.length === 0) return { rows: [], errors: [{ line: 1, message: 'no header row' }] };
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { rows: [], errors: [{ line: 1, message: `missing column(s): ${missing.join(', ')}` }] };
  }
  // Start offset of each physical line, to resume parsing after a bad record.
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const rows: RawRow[] = [];
  let fromLine = 2;
  let lastEnd = 1;
  while (fromLine <= lineStarts.length) {
    const offset = fromLine - 1;
    try {
      parse(text.slice(lineStarts[fromLine - 1]), {
        ...options,
        bom: false,
        columns: header,
        on_record: (record: RawRecord, context: RecordContext) => {
          // context.lines is the record's last line; quoted fields may span lines, so count back.
          let newlines = 0;
          for (const v of Object.values(record)) if (v) for (const ch of v) if (ch === '\n') newlines += 1;
          const fields = Array.isArray(context.error?.record) ? context.error.record.length : header.length;
          const fieldCountError =
            context.error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
              ? `has ${fields} field(s) but the header has ${header.length}`
              : undefined;
          rows.push({ line: offset + context.lines - newlines, record, fieldCountError });
          lastEnd = offset + context.lines;
          return null;
        },
      });
      break;
    } catch (error) {
      if (!isCsvError(error)) throw error;
      const at = offset + (typeof error.lines === 'number' ? error.lines : 1);
      // The bad record starts after the last good one; resume on the line after the error.
      const message = error.message.replace(/ at line \d+/, '');
      errors.push({ line: Math.max(lastEnd + 1, fromLine), message: `unreadable CSV: ${message}` });
      fromLine = Math.max(at, fromLine) + 1;
      lastEnd = fromLine - 1;
    }
  }
  return { rows, errors };
}

function field(record: RawRecord, name: string): string {
  return (record[name] ?? '').trim();
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Reads a boolean cell: true/false, yes/no, y/n, 1/0 (any case); empty is "not recorded". */
export function parseBooleanCell(text: string): boolean | undefined | Error {
  const v = text.trim().toLowerCase();
  if (v === '') return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return new Error(`"${text}" is not a boolean (true/false, yes/no, y/n, 1/0)`);
}

function dateCell(
  record: RawRecord,
  name: string,
  problems: string[],
  required: boolean,
): string | undefined {
  const v = field(record, name);
  if (v === '') {
    if (required) problems.push(`${name} is required`);
    return undefined;
  }
  if (tryParseIsoDate(v) === undefined) {
    problems.push(`${name} "${v}" is not a date (YYYY-MM-DD)`);
    return undefined;
  }
  return v;
}

function booleanCell(record: RawRecord, name: string, problems: string[]): boolean | undefined {
  const v = parseBooleanCell(field(record, name));
  if (v instanceof Error) {
    problems.push(`${name} ${v.message}`);
    return undefined;
  }
  return v;
}

/**
 * Parses the employees CSV (columns in EMPLOYEE_COLUMNS; `employee_id` and `start_date` required
 * per row). Rejects a row with a duplicate id, bad dates, a leave date before the start date,
 * a bad boolean or a supervision frequency that is not a whole number of weeks ≥ 1.
 */
export function parseEmployeesCsv(text: string): CsvResult<Employee> {
  const { rows: raw, errors } = readCsv(text, EMPLOYEE_COLUMNS);
  const rows: { line: number; value: Employee }[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, record, fieldCountError } of raw) {
    const problems: string[] = [];
    if (fieldCountError) problems.push(fieldCountError);
    const id = field(record, 'employee_id');
    if (id === '') problems.push('employee_id is required');
    else if (firstLine.has(id)) problems.push(`employee_id "${id}" repeats line ${firstLine.get(id)}`);
    const email = field(record, 'email');
    if (email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email))
      problems.push(`email "${email}" is not an email address`);
    const managerId = field(record, 'manager_id');
    if (id !== '' && managerId === id) problems.push('manager_id is the employee themself');
    const startDate = dateCell(record, 'start_date', problems, true);
    const leaveDate = dateCell(record, 'leave_date', problems, false);
    if (startDate && leaveDate && leaveDate < startDate)
      problems.push(`leave_date ${leaveDate} is before start_date ${startDate}`);
    const payStepDate = dateCell(record, 'pay_step_date', problems, false);
    const capabilityProcess = booleanCell(record, 'capability_process', problems);
    const disciplinaryLive = booleanCell(record, 'disciplinary_live', problems);
    const mandatoryTrainingComplete = booleanCell(record, 'mandatory_training_complete', problems);
    const weeksText = field(record, 'supervision_frequency_weeks');
    let supervisionFrequencyWeeks: number | undefined;
    if (weeksText !== '') {
      if (/^[1-9]\d{0,2}$/.test(weeksText)) supervisionFrequencyWeeks = Number(weeksText);
      else
        problems.push(
          `supervision_frequency_weeks "${weeksText}" is not a whole number of weeks (1 or more)`,
        );
    }
    if (problems.length > 0 || startDate === undefined) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    firstLine.set(id, line);
    rows.push({
      line,
      value: {
        id,
        name: field(record, 'name'),
        email,
        positionNumber: field(record, 'position_number'),
        managerId: managerId === '' ? undefined : managerId,
        department: field(record, 'department'),
        staffGroup: field(record, 'staff_group'),
        startDate,
        leaveDate,
        payStepDate,
        capabilityProcess,
        disciplinaryLive,
        mandatoryTrainingComplete,
        supervisionFrequencyWeeks,
      },
    });
  }
  return { rows, errors: [...errors].sort((a, b) => a.line - b.line) };
}

const STATUSES: ReadonlySet<string> = new Set<ConversationStatus>(['completed', 'scheduled', 'cancelled']);

/**
 * Parses the conversations CSV (columns in CONVERSATION_COLUMNS). `type` must be one of
 * `typeIds` (the policy's conversation types); `status` one of completed, scheduled, cancelled
 * (any case); `manager_id` may be empty. Each row's id is `<idPrefix><line>`.
 */
export function parseConversationsCsv(
  text: string,
  options: { readonly typeIds: readonly string[]; readonly idPrefix?: string },
): CsvResult<ConversationFacts> {
  const { rows: raw, errors } = readCsv(text, CONVERSATION_COLUMNS);
  const types = new Set(options.typeIds);
  const rows: { line: number; value: ConversationFacts }[] = [];
  for (const { line, record, fieldCountError } of raw) {
    const problems: string[] = [];
    if (fieldCountError) problems.push(fieldCountError);
    const employeeId = field(record, 'employee_id');
    if (employeeId === '') problems.push('employee_id is required');
    const type = field(record, 'type');
    if (!types.has(type)) {
      problems.push(
        type === '' ? 'type is required' : `type "${type}" is not one of: ${options.typeIds.join(', ')}`,
      );
    }
    const date = dateCell(record, 'date', problems, true);
    const status = field(record, 'status').toLowerCase();
    if (!STATUSES.has(status)) {
      problems.push(
        status === ''
          ? 'status is required'
          : `status "${field(record, 'status')}" is not completed, scheduled or cancelled`,
      );
    }
    if (problems.length > 0 || date === undefined) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    rows.push({
      line,
      value: {
        id: `${options.idPrefix ?? 'line-'}${line}`,
        employeeId,
        type,
        date,
        managerId: field(record, 'manager_id'),
        status: status as ConversationStatus,
      },
    });
  }
  return { rows, errors: [...errors].sort((a, b) => a.line - b.line) };
}

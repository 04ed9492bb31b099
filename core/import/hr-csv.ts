/**
 * The two CSV formats the rules read: the HR employees export and a conversations list (DESIGN.md
 * §3 "Employment facts … come from an HR import (CSV)"; README "CSV formats"). Parsing text only —
 * reading the file is the caller's job, and {@link decodeCsv} turns its bytes into text. A bad row
 * is reported by the line its record starts on and the rest are kept (DESIGN.md §8 "malformed HR
 * rows are reported by line and the rest imported"); a file that cannot be read as a table at all
 * is refused as a whole in `fileError`.
 */
import { tryParseIsoDate } from '../dates/day';
import type { ConversationFacts, ConversationStatus, Employee } from '../model';
import type { Policy } from '../policy/schema';
import type { DecodedCsv } from './decode';

export { CSV_ENCODINGS, decodeCsv, type CsvEncoding, type DecodedCsv } from './decode';

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
  'out_of_scope',
] as const;

/** Employees columns a file must have (README "CSV formats"); a missing optional column reads as empty. */
export const EMPLOYEE_REQUIRED_COLUMNS: readonly (typeof EMPLOYEE_COLUMNS)[number][] = [
  'employee_id',
  'start_date',
];

/**
 * Columns of the conversations CSV; extra columns are ignored. `objectives_met` and
 * `overall_rating` are the career conversation's outcome (Career Conversations policy §5.8 (I)).
 */
export const CONVERSATION_COLUMNS = [
  'employee_id',
  'type',
  'date',
  'manager_id',
  'status',
  'objectives_met',
  'overall_rating',
] as const;

/** Conversations columns a file must have (README "CSV formats"); `manager_id` may be left out. */
export const CONVERSATION_REQUIRED_COLUMNS: readonly (typeof CONVERSATION_COLUMNS)[number][] = [
  'employee_id',
  'type',
  'date',
  'status',
];

/** A rejected row by the line its record starts on (line 0: the file as a whole, not one line). */
export interface RowError {
  readonly line: number;
  readonly message: string;
}

/** What the parsers read: CSV text, or a file's bytes decoded by {@link decodeCsv}. */
export type CsvInput = string | DecodedCsv;

/**
 * Parsed rows with the line each came from, and the rows rejected. When the whole file is refused
 * (no header row, a missing or repeated column, a file that is not text in its encoding) that is
 * `fileError` alone: `rows` and `errors` are then empty, so `errors` only ever holds rows.
 */
export interface CsvResult<T> {
  readonly rows: readonly { readonly line: number; readonly value: T }[];
  readonly errors: readonly RowError[];
  readonly fileError?: RowError | undefined;
}

/** One CSV record: its cells as written (untrimmed), the lines it spans, and why it is unreadable. */
interface CsvRecord {
  readonly line: number;
  readonly lastLine: number;
  readonly cells: readonly string[];
  readonly problem: string | undefined;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Offset of the line after the one holding `from` (LF, CRLF or a lone CR ends a line), or the end. */
function nextLineStart(text: string, from: number): number {
  for (let p = from; p < text.length; p += 1) {
    const c = text.charCodeAt(p);
    if (c === LF) return p + 1;
    if (c === CR) return text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
  }
  return text.length;
}

/**
 * Splits CSV text into records (RFC 4180: a quoted cell may hold commas, `""` and line breaks;
 * a quote inside an unquoted cell is kept as written). Lines end at LF, CRLF or a lone CR, in any
 * mix, and each record knows the line it starts on. Blank records (every cell empty) are skipped.
 *
 * A quoted cell that is never closed, or has text after its closing quote, makes its record
 * unreadable. Such a quote has usually paired with a quote further down, swallowing good rows
 * into one cell, so reading resumes on the line after the one where the quoted cell opened: the
 * rows after it are read as rows, and any that a stray quote broke are reported in turn.
 */
function readRecords(text: string): CsvRecord[] {
  const n = text.length;
  const records: CsvRecord[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (pos < n) {
    const first = line;
    const cells: string[] = [];
    let problem: string | undefined;
    let lastLine: number;
    for (;;) {
      let p = pos;
      let c = text.charCodeAt(p);
      while (c === SPACE || c === TAB) c = text.charCodeAt(++p);
      if (c === QUOTE) {
        const openAt = p;
        const openLine = line;
        let value = '';
        let from = ++p;
        let closed = false;
        while (p < n) {
          c = text.charCodeAt(p);
          if (c === QUOTE) {
            if (text.charCodeAt(p + 1) === QUOTE) {
              value += text.slice(from, p + 1);
              p += 2;
              from = p;
              continue;
            }
            value += text.slice(from, p);
            p += 1;
            closed = true;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(p + 1) !== LF)) line += 1;
          p += 1;
        }
        c = text.charCodeAt(p);
        while (closed && (c === SPACE || c === TAB)) c = text.charCodeAt(++p);
        if (!closed || (p < n && c !== COMMA && c !== LF && c !== CR)) {
          const where = openLine > first ? ` (the quote on line ${openLine})` : '';
          problem = closed
            ? `a quoted cell has text after its closing quote${where}; write a quote inside a quoted cell as ""`
            : `a quoted cell is never closed${where}`;
          pos = nextLineStart(text, openAt);
          lastLine = openLine;
          line = openLine + 1;
          break;
        }
        cells.push(value);
        pos = p;
      } else {
        while (p < n && c !== COMMA && c !== LF && c !== CR) c = text.charCodeAt(++p);
        cells.push(text.slice(pos, p));
        pos = p;
      }
      // pos is at a comma, a line break or the end.
      if (pos >= n) {
        lastLine = line;
        break;
      }
      if (text.charCodeAt(pos) === COMMA) {
        pos += 1;
        continue;
      }
      lastLine = line;
      pos += text.charCodeAt(pos) === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line += 1;
      break;
    }
    if (problem === undefined && cells.every((cell) => cell.trim() === '')) continue;
    records.push({ line: first, lastLine, cells, problem });
  }
  return records;
}

/** A header-checked table: column name → cell index (−1 when absent), and the data records. */
interface Table {
  readonly width: number;
  readonly index: ReadonlyMap<string, number>;
  readonly records: readonly CsvRecord[];
  /** Line → why the line's bytes are not text in the file's encoding (from {@link decodeCsv}). */
  readonly badLines: ReadonlyMap<number, string>;
}

/**
 * Reads the header and records of a CSV input, or refuses the file as a whole: undecodable, no
 * header row, a header the reader cannot split, a required column missing or a known column twice.
 */
function readTable(
  input: CsvInput,
  columns: readonly string[],
  required: readonly string[],
): Table | RowError {
  const decoded: DecodedCsv = typeof input === 'string' ? { text: input, badLines: [] } : input;
  if (decoded.fileError) return decoded.fileError;
  const badLines = new Map(decoded.badLines.map((b) => [b.line, b.message]));
  const [header, ...records] = readRecords(decoded.text);
  if (header === undefined) return { line: 0, message: 'the file is empty: no header row' };
  if (header.problem !== undefined) return { line: header.line, message: `header row: ${header.problem}` };
  for (let l = header.line; l <= header.lastLine; l += 1) {
    const bad = badLines.get(l);
    if (bad !== undefined) return { line: header.line, message: `header row: ${bad}` };
  }
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const index = new Map<string, number>();
  for (const column of columns) {
    const at = names.indexOf(column);
    if (at !== -1 && names.indexOf(column, at + 1) !== -1) {
      return { line: header.line, message: `column ${column} appears more than once in the header` };
    }
    index.set(column, at);
  }
  const missing = required.filter((column) => index.get(column) === -1);
  if (missing.length > 0) {
    return { line: header.line, message: `missing column(s): ${missing.join(', ')}` };
  }
  return { width: names.length, index, records, badLines };
}

/** Why a record cannot be read as a row (bad bytes, bad quoting, a wrong field count), if it cannot. */
function unreadable(table: Table, record: CsvRecord): string | undefined {
  if (record.problem !== undefined) return record.problem;
  const bytes: string[] = [];
  for (let l = record.line; l <= record.lastLine; l += 1) {
    const bad = table.badLines.get(l);
    if (bad !== undefined) bytes.push(l === record.line ? bad : `line ${l}: ${bad}`);
  }
  if (bytes.length > 0) return bytes.join('; ');
  if (record.cells.length !== table.width) {
    return `has ${record.cells.length} field(s) but the header has ${table.width}`;
  }
  return undefined;
}

/** Reads one named cell of a record, trimmed; a column the file does not have reads as empty. */
type Cells = (name: string) => string;

function cellsOf(table: Table, record: CsvRecord): Cells {
  return (name) => {
    const at = table.index.get(name) ?? -1;
    return at === -1 ? '' : (record.cells[at] ?? '').trim();
  };
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

function dateCell(cell: Cells, name: string, problems: string[], required: boolean): string | undefined {
  const v = cell(name);
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

function booleanCell(cell: Cells, name: string, problems: string[]): boolean | undefined {
  const v = parseBooleanCell(cell(name));
  if (v instanceof Error) {
    problems.push(`${name} ${v.message}`);
    return undefined;
  }
  return v;
}

/**
 * Parses the employees CSV (columns in EMPLOYEE_COLUMNS; only `employee_id` and `start_date` must
 * be present and filled in). Rejects a row with a duplicate id, bad dates, a leave date before the
 * start date, a bad boolean or a supervision frequency that is not a whole number of weeks ≥ 1.
 * Cells are data: one starting with `=`, `+`, `-` or `@` is kept as written (the CSV writers
 * escape formulas on export).
 */
export function parseEmployeesCsv(input: CsvInput): CsvResult<Employee> {
  const table = readTable(input, EMPLOYEE_COLUMNS, EMPLOYEE_REQUIRED_COLUMNS);
  if (!('records' in table)) return { rows: [], errors: [], fileError: table };
  const rows: { line: number; value: Employee }[] = [];
  const errors: RowError[] = [];
  const firstLine = new Map<string, number>();
  for (const record of table.records) {
    const { line } = record;
    const broken = unreadable(table, record);
    if (broken !== undefined) {
      errors.push({ line, message: broken });
      continue;
    }
    const cell = cellsOf(table, record);
    const problems: string[] = [];
    const id = cell('employee_id');
    if (id === '') problems.push('employee_id is required');
    else if (firstLine.has(id)) problems.push(`employee_id "${id}" repeats line ${firstLine.get(id)}`);
    const email = cell('email');
    if (email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email))
      problems.push(`email "${email}" is not an email address`);
    const managerId = cell('manager_id');
    if (id !== '' && managerId === id) problems.push('manager_id is the employee themself');
    const startDate = dateCell(cell, 'start_date', problems, true);
    const leaveDate = dateCell(cell, 'leave_date', problems, false);
    if (startDate && leaveDate && leaveDate < startDate)
      problems.push(`leave_date ${leaveDate} is before start_date ${startDate}`);
    const payStepDate = dateCell(cell, 'pay_step_date', problems, false);
    const capabilityProcess = booleanCell(cell, 'capability_process', problems);
    const disciplinaryLive = booleanCell(cell, 'disciplinary_live', problems);
    const mandatoryTrainingComplete = booleanCell(cell, 'mandatory_training_complete', problems);
    const weeksText = cell('supervision_frequency_weeks');
    let supervisionFrequencyWeeks: number | undefined;
    if (weeksText !== '') {
      if (/^[1-9]\d{0,2}$/.test(weeksText)) supervisionFrequencyWeeks = Number(weeksText);
      else
        problems.push(
          `supervision_frequency_weeks "${weeksText}" is not a whole number of weeks (1 or more)`,
        );
    }
    const outOfScope = booleanCell(cell, 'out_of_scope', problems);
    if (problems.length > 0 || startDate === undefined) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    firstLine.set(id, line);
    rows.push({
      line,
      value: {
        id,
        name: cell('name'),
        email,
        positionNumber: cell('position_number'),
        managerId: managerId === '' ? undefined : managerId,
        department: cell('department'),
        staffGroup: cell('staff_group'),
        startDate,
        leaveDate,
        payStepDate,
        capabilityProcess,
        disciplinaryLive,
        mandatoryTrainingComplete,
        supervisionFrequencyWeeks,
        outOfScope,
      },
    });
  }
  return { rows, errors };
}

const STATUSES: ReadonlySet<string> = new Set<ConversationStatus>(['completed', 'scheduled', 'cancelled']);

/** The record field of the agreed overall rating (the career conversation's `overallRating`). */
export const OVERALL_RATING_FIELD = 'overallRating';

/** A conversation row of the CSV: the facts the rules read, and the agreed overall rating if given. */
export interface ImportedConversation extends ConversationFacts {
  /** One of the policy's options for the type's `overallRating` field. */
  readonly overallRating?: string | undefined;
}

/** What the conversations parser needs of a policy. */
export interface ConversationsCsvOptions {
  /** The policy's conversation type ids. */
  readonly typeIds: readonly string[];
  /** Per type id, the allowed `overall_rating` values (the options of its `overallRating` field). */
  readonly overallRatings?: Readonly<Record<string, readonly string[]>>;
  readonly idPrefix?: string;
}

/** The parser's options for a policy: its type ids and each type's overall-rating options. */
export function conversationsCsvOptions(policy: Policy, idPrefix?: string): ConversationsCsvOptions {
  const overallRatings: Record<string, readonly string[]> = {};
  for (const t of policy.conversationTypes) {
    const field = t.recordFields.find((f) => f.id === OVERALL_RATING_FIELD);
    if (field?.options) overallRatings[t.id] = field.options;
  }
  return {
    typeIds: policy.conversationTypes.map((t) => t.id),
    overallRatings,
    ...(idPrefix !== undefined ? { idPrefix } : {}),
  };
}

/** Reads `overall_rating`: blank is unknown; else one of the type's options (any case, spaces trimmed). */
function ratingCell(
  cell: Cells,
  type: string,
  options: ConversationsCsvOptions,
  problems: string[],
): string | undefined {
  const v = cell('overall_rating');
  if (v === '') return undefined;
  const allowed = options.overallRatings?.[type];
  if (allowed === undefined || allowed.length === 0) {
    problems.push(`overall_rating "${v}": type "${type}" records no overall rating`);
    return undefined;
  }
  const match = allowed.find((o) => o.toLowerCase() === v.toLowerCase());
  if (match === undefined) {
    problems.push(`overall_rating "${v}" is not one of: ${allowed.map((o) => `"${o}"`).join(', ')}`);
  }
  return match;
}

/**
 * Parses the conversations CSV (columns in CONVERSATION_COLUMNS; `manager_id`, `objectives_met`
 * and `overall_rating` may be absent or empty). `type` must be one of `typeIds` (the policy's
 * conversation types); `status` one of completed, scheduled, cancelled (any case);
 * `objectives_met` a boolean (true/false, yes/no, y/n, 1/0; blank = not recorded); `overall_rating`
 * one of the type's rating options ({@link conversationsCsvOptions}; blank = not recorded). Each
 * row's id is `<idPrefix><line>`.
 */
export function parseConversationsCsv(
  input: CsvInput,
  options: ConversationsCsvOptions,
): CsvResult<ImportedConversation> {
  const table = readTable(input, CONVERSATION_COLUMNS, CONVERSATION_REQUIRED_COLUMNS);
  if (!('records' in table)) return { rows: [], errors: [], fileError: table };
  const types = new Set(options.typeIds);
  const rows: { line: number; value: ImportedConversation }[] = [];
  const errors: RowError[] = [];
  for (const record of table.records) {
    const { line } = record;
    const broken = unreadable(table, record);
    if (broken !== undefined) {
      errors.push({ line, message: broken });
      continue;
    }
    const cell = cellsOf(table, record);
    const problems: string[] = [];
    const employeeId = cell('employee_id');
    if (employeeId === '') problems.push('employee_id is required');
    const type = cell('type');
    if (!types.has(type)) {
      problems.push(
        type === '' ? 'type is required' : `type "${type}" is not one of: ${options.typeIds.join(', ')}`,
      );
    }
    const date = dateCell(cell, 'date', problems, true);
    const statusText = cell('status');
    const status = statusText.toLowerCase();
    if (!STATUSES.has(status)) {
      problems.push(
        status === ''
          ? 'status is required'
          : `status "${statusText}" is not completed, scheduled or cancelled`,
      );
    }
    const objectivesMet = booleanCell(cell, 'objectives_met', problems);
    const overallRating = types.has(type) ? ratingCell(cell, type, options, problems) : undefined;
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
        managerId: cell('manager_id'),
        status: status as ConversationStatus,
        ...(objectivesMet !== undefined ? { objectivesMet } : {}),
        ...(overallRating !== undefined ? { overallRating } : {}),
      },
    });
  }
  return { rows, errors };
}

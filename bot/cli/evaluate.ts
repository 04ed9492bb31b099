/**
 * `npm run cli -- evaluate`: evaluates every employee in an HR CSV against a policy at a date and
 * prints one row per employee plus quarterly and rolling completion (DESIGN.md §3.1; README
 * "`npm run cli -- evaluate`"). Needs no storage. Bad rows are reported on stderr by file and line
 * and the rest are evaluated (DESIGN.md §8). Exit codes: 0 all rows used, 1 some rows rejected
 * (output still printed), 2 usage error or a file refused as a whole (unreadable, not text in the
 * encoding, no header, a missing column) or an invalid policy.
 */
import { parseArgs } from 'node:util';
import {
  CSV_ENCODINGS,
  conversationsCsvOptions,
  decodeCsv,
  evaluateOrganisation,
  findPreset,
  isIsoDate,
  loadPolicy,
  parseConversationsCsv,
  parseEmployeesCsv,
  PolicyError,
  presetIds,
  quarterlyCompletion,
  rollingCompletion,
  tryParseQuarterLabel,
  withScopeDefaults,
  type ConversationFacts,
  type CsvEncoding,
  type DecodedCsv,
  type EmployeeEvaluation,
  type Policy,
  type QuarterlyCompletion,
  type RollingCompletion,
  type RowError,
} from '../../core/index';
import { readBytesOf, type CliIo } from './io';

/** Usage text of the evaluate command. */
export const EVALUATE_USAGE = `usage: npm run cli -- evaluate --at YYYY-MM-DD --employees hr.csv --conversations conv.csv
                           [--policy <preset|file.json>] [--format json|csv] [--quarter "2026/27 Q1"]
                           [--encoding utf-8|windows-1252]

  --policy         a preset (${presetIds().join(', ')}; default professional-conversation)
                   or a policy JSON file (may "extends" a preset)
  --at             the evaluation date D (Europe/London calendar date)
  --employees      HR export; columns (* required): employee_id*,name,email,position_number,manager_id,
                   department,staff_group,start_date*,leave_date,pay_step_date,capability_process,
                   disciplinary_live,mandatory_training_complete,supervision_frequency_weeks,out_of_scope
  --conversations  columns: employee_id*,type*,date*,manager_id,status* (completed|scheduled|cancelled),
                   objectives_met (true/false, blank = unknown),
                   overall_rating (one of the policy's options for the type's overall rating)
  --format         json (default) or csv
  --quarter        the quarter for quarterly completion (default: the one containing --at)
  --encoding       of both CSV files: utf-8 (default; a BOM is allowed) or windows-1252 ("ANSI")

For a policy with supervision, induction-meeting and pay-step sections (career-conversations),
each employee also shows supervision, the induction meeting, the pay-step date with each check
and the decision awaited; the quarterly figure is then the share compliant at the quarter's end.

exit codes: 0 ok; 1 some rows rejected (reported on stderr, the rest evaluated);
            2 usage error, invalid policy, or a CSV file refused as a whole (unreadable, not text in
            the encoding, no header row, a missing column)
`;

const EMPLOYEE_OUTPUT_COLUMNS = [
  'employee_id',
  'status',
  'held_12m',
  'expected_12m',
  'compliant',
  'last_held',
  'next_due',
  'days_overdue',
] as const;

type Cell = string | number | boolean | null;
type OutputRow = Record<string, Cell>;

/** The NHS sections of one employee's row (DESIGN.md §3.2), as flat cells; empty for the council. */
function nhsCells(policy: Policy, ev: EmployeeEvaluation): OutputRow {
  const row: OutputRow = {};
  if (policy.supervision) {
    const s = ev.supervision;
    row.supervision_frequency_weeks = s?.frequencyWeeks ?? null;
    row.supervision_last = s?.lastHeld ?? null;
    row.supervision_next_due = s?.nextDue ?? null;
    row.supervision_days_overdue = s?.daysOverdue ?? 0;
  }
  if (policy.inductionMeeting) {
    const m = ev.inductionMeeting;
    row.induction_due = m?.dueDate ?? null;
    row.induction_held = m?.held ?? null;
    row.induction_state = inductionState(ev);
    row.induction_days_late = m?.daysLate ?? 0;
  }
  if (policy.payStep) {
    const p = ev.payStep;
    row.pay_step_date = p?.date ?? null;
    row.pay_step_source = p?.dateSource ?? null;
    row.pay_step_days_to_date = p?.daysToDate ?? null;
    row.pay_step_readiness = p?.readiness ?? null;
    for (const rule of policy.payStep.checks) {
      const check = p?.checks.find((c) => c.id === rule.id);
      row[`check_${rule.id}`] = check?.outcome ?? null;
      row[`check_${rule.id}_reason`] = check?.reason ?? null;
    }
    row.awaiting_decision = p?.awaitingDecision ?? null;
    row.decision = p?.decision?.decision ?? null;
    row.decision_effective_from = p?.decision?.effectiveFrom ?? null;
    row.open_deferral_for = p?.deferral?.open?.forDate ?? null;
  }
  return row;
}

/**
 * The induction meeting in one word: `not-tracked` (outside the tracking period), `pending` (not
 * held, not yet due), `on-time`, `late` (held after the due date) or `overdue` (not held, past due).
 */
function inductionState(ev: EmployeeEvaluation): string {
  const m = ev.inductionMeeting;
  if (!m) return 'not-tracked';
  if (m.held !== undefined) return m.late ? 'late' : 'on-time';
  return m.overdue ? 'overdue' : 'pending';
}

/** The output columns for a policy: the council's, then those of the NHS sections it has. */
function outputColumns(policy: Policy): readonly string[] {
  const columns: string[] = [...EMPLOYEE_OUTPUT_COLUMNS];
  if (policy.supervision) {
    columns.push(
      'supervision_frequency_weeks',
      'supervision_last',
      'supervision_next_due',
      'supervision_days_overdue',
    );
  }
  if (policy.inductionMeeting) {
    columns.push('induction_due', 'induction_held', 'induction_state', 'induction_days_late');
  }
  if (policy.payStep) {
    columns.push('pay_step_date', 'pay_step_source', 'pay_step_days_to_date', 'pay_step_readiness');
    for (const rule of policy.payStep.checks) columns.push(`check_${rule.id}`, `check_${rule.id}_reason`);
    columns.push('awaiting_decision', 'decision', 'decision_effective_from', 'open_deferral_for');
  }
  return columns;
}

function outputRow(policy: Policy, ev: EmployeeEvaluation): OutputRow {
  return {
    employee_id: ev.employeeId,
    status: ev.status,
    held_12m: ev.held12m,
    expected_12m: ev.expected12m,
    compliant: ev.compliant,
    last_held: ev.lastHeld ?? null,
    next_due: ev.nextDue,
    days_overdue: ev.daysOverdue,
    ...nhsCells(policy, ev),
  };
}

/** Percent with one decimal, or null when nobody is eligible. */
function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The measure's name: the council's "held one in the quarter" or the NHS "compliant at its end". */
function quarterlyMeasure(quarterly: QuarterlyCompletion): string {
  return quarterly.figure === 'compliant-at-quarter-end' ? 'quarterly_compliance' : 'quarterly_completion';
}

function formatCsv(
  columns: readonly string[],
  rows: readonly OutputRow[],
  quarterly: QuarterlyCompletion,
  rolling: RollingCompletion,
): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c] ?? null)).join(','));
  const pct = (rate: number | null): string =>
    rate === null ? '' : (Math.round(rate * 1000) / 10).toFixed(1);
  lines.push(
    '',
    'measure,period,eligible,completed,percent',
    [
      quarterlyMeasure(quarterly),
      quarterly.quarter,
      quarterly.eligible,
      quarterly.completed,
      pct(quarterly.rate),
    ]
      .map(csvField)
      .join(','),
    ['rolling_completion', rolling.at, rolling.eligible, rolling.completed, pct(rolling.rate)]
      .map(csvField)
      .join(','),
  );
  return lines.join('\n') + '\n';
}

function formatJson(
  policy: Policy,
  at: string,
  rows: readonly OutputRow[],
  quarterly: QuarterlyCompletion,
  rolling: RollingCompletion,
  rejected: number,
): string {
  // One employee per line keeps large outputs readable and diffable.
  const employees = rows.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const completion = JSON.stringify(
    {
      quarterly: {
        // Named only when it is not the council's figure, so the council's output stays as it was.
        ...(quarterly.figure === 'held-in-quarter' ? {} : { figure: quarterly.figure }),
        quarter: quarterly.quarter,
        first_day: quarterly.firstDay,
        last_day: quarterly.lastDay,
        as_of: quarterly.asOf,
        in_progress: quarterly.inProgress,
        eligible: quarterly.eligible,
        completed: quarterly.completed,
        percent: percent(quarterly.rate),
      },
      rolling: {
        at: rolling.at,
        eligible: rolling.eligible,
        completed: rolling.completed,
        percent: percent(rolling.rate),
      },
    },
    null,
    2,
  ).replace(/\n/g, '\n  ');
  return (
    [
      '{',
      `  "policy": ${JSON.stringify(policy.id)},`,
      `  "at": ${JSON.stringify(at)},`,
      `  "employees": [${rows.length === 0 ? ']' : `\n${employees}\n  ]`},`,
      `  "completion": ${completion},`,
      `  "rejected_rows": ${rejected}`,
      '}',
    ].join('\n') + '\n'
  );
}

class UsageError extends Error {}

/** Turns a failed read into the usage error that names the file (exit 2). */
async function readOrRefuse<T>(read: Promise<T>, path: string, what: string): Promise<T> {
  try {
    return await read;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} file ${path}${code ? ` (${code})` : ''}`);
  }
}

function readInput(io: CliIo, path: string, what: string): Promise<string> {
  return readOrRefuse(io.readFile(path), path, what);
}

/** Reads a CSV file's bytes and decodes them (README "CSV formats": UTF-8, or Windows-1252 when asked). */
async function readCsvInput(
  io: CliIo,
  path: string,
  what: string,
  encoding: CsvEncoding,
): Promise<DecodedCsv> {
  return decodeCsv(await readOrRefuse(readBytesOf(io, path), path, what), encoding);
}

function parseEncoding(arg: string | undefined): CsvEncoding {
  if (arg === undefined) return 'utf-8';
  const encoding = CSV_ENCODINGS.find((e) => e === arg.toLowerCase());
  if (encoding === undefined) {
    throw new UsageError(`--encoding must be ${CSV_ENCODINGS.join(' or ')}, not "${arg}"`);
  }
  return encoding;
}

async function resolvePolicy(io: CliIo, arg: string | undefined): Promise<Policy> {
  if (arg === undefined) return loadPolicy();
  const preset = findPreset(arg);
  if (preset) return preset;
  const text = await readInput(io, arg, 'policy');
  return loadPolicy(text, arg);
}

/** Writes `file:line: message` per error (`file: message` for the whole file, line 0). */
function reportRows(io: CliIo, path: string, errors: readonly RowError[]): void {
  for (const e of errors) io.stderr(`${path}${e.line > 0 ? `:${e.line}` : ''}: ${e.message}\n`);
}

/** Runs `evaluate` with its arguments; resolves to the exit code. */
export async function runEvaluate(args: readonly string[], io: CliIo): Promise<number> {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          policy: { type: 'string' },
          at: { type: 'string' },
          employees: { type: 'string' },
          conversations: { type: 'string' },
          format: { type: 'string' },
          quarter: { type: 'string' },
          encoding: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.help) {
      io.stdout(EVALUATE_USAGE);
      return 0;
    }
    const missing = (['at', 'employees', 'conversations'] as const).filter((k) => values[k] === undefined);
    if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
    const at = values.at as string;
    if (!isIsoDate(at)) throw new UsageError(`--at "${at}" is not a date YYYY-MM-DD`);
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new UsageError(`--format must be json or csv, not "${format}"`);
    const quarter = values.quarter === undefined ? undefined : tryParseQuarterLabel(values.quarter);
    if (values.quarter !== undefined && !quarter) {
      throw new UsageError(`--quarter "${values.quarter}" is not a quarter like 2026/27 Q1`);
    }
    const encoding = parseEncoding(values.encoding);

    const policy = await resolvePolicy(io, values.policy);
    const employeesPath = values.employees as string;
    const conversationsPath = values.conversations as string;
    const employeesCsv = parseEmployeesCsv(await readCsvInput(io, employeesPath, 'employees', encoding));
    const conversationsCsv = parseConversationsCsv(
      await readCsvInput(io, conversationsPath, 'conversations', encoding),
      conversationsCsvOptions(policy),
    );
    if (employeesCsv.fileError || conversationsCsv.fileError) {
      // A file refused as a whole: nothing is evaluated; say why, with the other file's bad rows.
      reportRows(io, employeesPath, employeesCsv.fileError ? [employeesCsv.fileError] : employeesCsv.errors);
      reportRows(
        io,
        conversationsPath,
        conversationsCsv.fileError ? [conversationsCsv.fileError] : conversationsCsv.errors,
      );
      const refused = [
        employeesCsv.fileError && employeesPath,
        conversationsCsv.fileError && conversationsPath,
      ];
      io.stderr(`evaluate: nothing evaluated: ${refused.filter(Boolean).join(' and ')} refused\n`);
      return 2;
    }
    const known = new Set(employeesCsv.rows.map((r) => r.value.id));
    const orphans: RowError[] = [];
    const conversations: ConversationFacts[] = [];
    for (const { line, value } of conversationsCsv.rows) {
      if (known.has(value.employeeId)) conversations.push(value);
      else orphans.push({ line, message: `employee_id "${value.employeeId}" is not in ${employeesPath}` });
    }
    const conversationErrors = [...conversationsCsv.errors, ...orphans].sort((a, b) => a.line - b.line);
    reportRows(io, employeesPath, employeesCsv.errors);
    reportRows(io, conversationsPath, conversationErrors);

    // The policy's default scope, as the HR import applies it (the Chief Executive is out of scope).
    const employees = withScopeDefaults(
      policy,
      employeesCsv.rows.map((r) => r.value),
    );
    const org = evaluateOrganisation(policy, employees, conversations, at);
    const quarterly = quarterlyCompletion(org, quarter);
    const rolling = rollingCompletion(org);
    const rows = org.evaluations.map((ev) => outputRow(policy, ev));
    const rejected = employeesCsv.errors.length + conversationErrors.length;
    io.stdout(
      format === 'csv'
        ? formatCsv(outputColumns(policy), rows, quarterly, rolling)
        : formatJson(policy, at, rows, quarterly, rolling, rejected),
    );
    if (rejected > 0) {
      io.stderr(
        `${rejected} row(s) rejected: ${employeesCsv.errors.length} in ${employeesPath}, ${conversationErrors.length} in ${conversationsPath}\n`,
      );
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`evaluate: ${error.message}\n\n${EVALUATE_USAGE}`);
      return 2;
    }
    if (error instanceof PolicyError || error instanceof RangeError) {
      io.stderr(`evaluate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

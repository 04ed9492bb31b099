/**
 * `npm run cli -- evaluate`: evaluates every employee in an HR CSV against a policy at a date and
 * prints one row per employee plus quarterly and rolling completion (issue 3; DESIGN.md §3.1).
 * Needs no storage. Bad rows are reported on stderr by file and line; the rest are evaluated.
 * Exit codes: 0 all rows used, 1 some rows rejected (output still printed), 2 usage or input error.
 */
import { parseArgs } from 'node:util';
import {
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
  type ConversationFacts,
  type EmployeeEvaluation,
  type Policy,
  type QuarterlyCompletion,
  type RollingCompletion,
  type RowError,
} from '../../core/index';
import type { CliIo } from './io';

/** Usage text of the evaluate command. */
export const EVALUATE_USAGE = `usage: npm run cli -- evaluate --at YYYY-MM-DD --employees hr.csv --conversations conv.csv
                           [--policy <preset|file.json>] [--format json|csv] [--quarter "2026/27 Q1"]

  --policy         a preset (${presetIds().join(', ')}; default professional-conversation)
                   or a policy JSON file (may "extends" a preset)
  --at             the evaluation date D (Europe/London calendar date)
  --employees      HR export: employee_id,name,email,position_number,manager_id,department,staff_group,
                   start_date,leave_date,pay_step_date,capability_process,disciplinary_live,
                   mandatory_training_complete,supervision_frequency_weeks
  --conversations  employee_id,type,date,manager_id,status (completed|scheduled|cancelled)
  --format         json (default) or csv
  --quarter        the quarter for quarterly completion (default: the one containing --at)

exit codes: 0 ok; 1 some rows rejected (reported on stderr, the rest evaluated); 2 usage or input error
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

type OutputRow = Record<(typeof EMPLOYEE_OUTPUT_COLUMNS)[number], string | number | boolean | null>;

function outputRow(ev: EmployeeEvaluation): OutputRow {
  return {
    employee_id: ev.employeeId,
    status: ev.status,
    held_12m: ev.held12m,
    expected_12m: ev.expected12m,
    compliant: ev.compliant,
    last_held: ev.lastHeld ?? null,
    next_due: ev.nextDue,
    days_overdue: ev.daysOverdue,
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

function formatCsv(
  rows: readonly OutputRow[],
  quarterly: QuarterlyCompletion,
  rolling: RollingCompletion,
): string {
  const lines = [EMPLOYEE_OUTPUT_COLUMNS.join(',')];
  for (const row of rows) lines.push(EMPLOYEE_OUTPUT_COLUMNS.map((c) => csvField(row[c])).join(','));
  const pct = (rate: number | null): string =>
    rate === null ? '' : (Math.round(rate * 1000) / 10).toFixed(1);
  lines.push(
    '',
    'measure,period,eligible,completed,percent',
    ['quarterly_completion', quarterly.quarter, quarterly.eligible, quarterly.completed, pct(quarterly.rate)]
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

async function readInput(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} file ${path}${code ? ` (${code})` : ''}`);
  }
}

async function resolvePolicy(io: CliIo, arg: string | undefined): Promise<Policy> {
  if (arg === undefined) return loadPolicy();
  const preset = findPreset(arg);
  if (preset) return preset;
  const text = await readInput(io, arg, 'policy');
  return loadPolicy(text, arg);
}

function reportRows(io: CliIo, path: string, errors: readonly RowError[]): void {
  for (const e of errors) io.stderr(`${path}:${e.line}: ${e.message}\n`);
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

    const policy = await resolvePolicy(io, values.policy);
    const employeesPath = values.employees as string;
    const conversationsPath = values.conversations as string;
    const employeesCsv = parseEmployeesCsv(await readInput(io, employeesPath, 'employees'));
    const conversationsCsv = parseConversationsCsv(await readInput(io, conversationsPath, 'conversations'), {
      typeIds: policy.conversationTypes.map((t) => t.id),
    });
    const fatal = [...employeesCsv.errors, ...conversationsCsv.errors].some((e) => e.line === 1);
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
    if (fatal) return 2;

    const employees = employeesCsv.rows.map((r) => r.value);
    const org = evaluateOrganisation(policy, employees, conversations, at);
    const quarterly = quarterlyCompletion(org, quarter);
    const rolling = rollingCompletion(org);
    const rows = org.evaluations.map(outputRow);
    const rejected = employeesCsv.errors.length + conversationErrors.length;
    io.stdout(
      format === 'csv'
        ? formatCsv(rows, quarterly, rolling)
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

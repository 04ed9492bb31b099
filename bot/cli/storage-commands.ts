/**
 * Admin commands on the stored records (issue 4): `import-hr`, `import-history` and `refresh`.
 * Storage and policy come from the same settings as the service (README "Configuration").
 * Progress goes to stderr, the summary to stdout. Exit codes: 0 done, 1 done with rejected rows,
 * 2 usage, configuration or input error.
 */
import { parseArgs } from 'node:util';
import { parseConversationsCsv } from '../../core/import/hr-csv';
import { type ConversationRecord } from '../../core/records';
import { systemClock } from '../clock';
import { ConfigError, readAdminConfig } from '../config';
import { progressBar } from '../dev/progress';
import { configureLogging, createLogger } from '../log';
import { resolvePolicy } from '../policy';
import { importHistory, importHr } from '../records/imports';
import { Records } from '../records/records';
import { refreshState, runRefresh } from '../records/refresh';
import { type Tables, openTables } from '../storage/tables';
import { type CliIo } from './io';

/** Usage of `import-hr`. */
export const IMPORT_HR_USAGE = `usage: npm run cli -- import-hr <employees.csv>

  Upserts people from an HR export (the employees CSV described in README "CSV formats"), marks
  leavers (rows with a leave_date), reports malformed rows by line and imports the rest, then
  refreshes statuses and roll-ups. Re-importing the same file changes nothing.
`;

/** Usage of `import-history`. */
export const IMPORT_HISTORY_USAGE = `usage: npm run cli -- import-history <conversations.csv>

  Loads past conversations (the conversations CSV: employee_id,type,date,manager_id,status), e.g.
  dates recorded in the HR system before this app, for people already imported. Each person's
  file rows must be their whole history. Rows are idempotent by employee, date and type.
`;

/** Usage of `refresh`. */
export const REFRESH_USAGE = `usage: npm run cli -- refresh [--restart] [--status]

  Re-evaluates every status at today's date, repairs rows left by interrupted writes, and rebuilds
  the roll-ups. An interrupted run resumes where it stopped unless --restart is given.
  --status prints the last run's state.
`;

async function open(io: CliIo): Promise<{ records: Records; tables: Tables } | undefined> {
  try {
    const config = readAdminConfig();
    configureLogging(config.logLevel);
    const policy = resolvePolicy(config.policy);
    const tables = await openTables(config.storage);
    return { records: new Records(tables, policy, systemClock, createLogger('cli')), tables };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

async function readInput(io: CliIo, path: string | undefined, usage: string): Promise<string | undefined> {
  if (path === undefined) {
    io.stderr(usage);
    return undefined;
  }
  try {
    return await io.readFile(path);
  } catch (error) {
    io.stderr(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return undefined;
  }
}

/** `import-hr <file>`. */
export async function runImportHr(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const csv = await readInput(io, positionals[0], IMPORT_HR_USAGE);
  if (csv === undefined) return 2;
  const opened = await open(io);
  if (opened === undefined) return 2;
  const bar = progressBar('import-hr', 30, process.stderr);
  const summary = await importHr(opened.records, opened.tables, csv, (step, done, total) =>
    bar.update(done, total, step),
  );
  for (const error of summary.rejected) io.stderr(`${positionals[0]}:${error.line}: ${error.message}\n`);
  io.stdout(
    `added ${summary.added}, updated ${summary.updated}, left ${summary.left}, unchanged ${summary.unchanged}, rejected ${summary.rejected.length}\n`,
  );
  return summary.rejected.length > 0 ? 1 : 0;
}

/** `import-history <file>`. */
export async function runImportHistory(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const csv = await readInput(io, positionals[0], IMPORT_HISTORY_USAGE);
  if (csv === undefined) return 2;
  const opened = await open(io);
  if (opened === undefined) return 2;
  const parsed = parseConversationsCsv(csv, {
    typeIds: opened.records.policy.conversationTypes.map((t) => t.id),
  });
  const now = new Date().toISOString();
  const history: ConversationRecord[] = parsed.rows.map(({ value }) => ({
    ...value,
    // Idempotent by person, date and type: importing the file again writes the same rows.
    id: `import-${value.date}-${value.type}`,
    positionNumber: '',
    areas: {},
    createdBy: 'system:import-history',
    createdAt: now,
    updatedAt: now,
  }));
  const bar = progressBar('import-history', 30, process.stderr);
  const result = await importHistory(opened.records, opened.tables, history, (step, done, total) =>
    bar.update(done, total, step),
  );
  for (const error of parsed.errors) io.stderr(`${positionals[0]}:${error.line}: ${error.message}\n`);
  io.stdout(`records ${result.records}, people ${result.people}, rejected ${parsed.errors.length}\n`);
  return parsed.errors.length > 0 ? 1 : 0;
}

/** `refresh`. */
export async function runRefreshCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { restart: { type: 'boolean' }, status: { type: 'boolean' } },
  });
  const opened = await open(io);
  if (opened === undefined) return 2;
  if (values.status) {
    io.stdout(`${await refreshState(opened.tables.jobs)}\n`);
    return 0;
  }
  const bar = progressBar('refresh', 30, process.stderr);
  const summary = await runRefresh(opened.records, opened.tables.jobs, {
    resume: !values.restart,
    onProgress: (phase, done, total) => bar.update(done, total, phase),
  });
  io.stdout(
    `rows ${summary.rows}, repaired ${summary.repaired}, changed ${summary.changed}, roll-up rows ${summary.rollupRows}` +
      (summary.resumedAfter ? `, resumed after ${summary.resumedAfter}` : '') +
      '\n',
  );
  return 0;
}

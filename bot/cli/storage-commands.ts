/**
 * Admin commands on the stored records (issue 4): `import-hr`, `import-history` and `refresh`.
 * Storage and policy come from the same settings as the service (README "Configuration").
 * Progress goes to stderr, the summary to stdout. Exit codes: 0 done, 1 done with rejected rows,
 * 2 usage, configuration or input error.
 */
import { parseArgs } from 'node:util';
import {
  CSV_ENCODINGS,
  type DecodedCsv,
  conversationsCsvOptions,
  decodeCsv,
  parseConversationsCsv,
} from '../../core/import/hr-csv';
import { systemClock } from '../clock';
import { ConfigError, readAdminConfig } from '../config';
import { progressBar } from '../dev/progress';
import { configureLogging, createLogger } from '../log';
import { resolvePolicy } from '../policy';
import { historyFromCsv, importHistory, importHr } from '../records/imports';
import { Records } from '../records/records';
import { refreshState, runRefresh } from '../records/refresh';
import { type Tables, openTables } from '../storage/tables';
import { PolicySwitchError, checkPolicy } from '../storage/policy-marker';
import { type CliIo, readBytesOf } from './io';

/** Usage of `import-hr`. */
export const IMPORT_HR_USAGE = `usage: npm run cli -- import-hr <employees.csv> [--encoding utf-8|windows-1252]

  Upserts people from an HR export (the employees CSV described in README "CSV formats"), marks
  leavers (rows with a leave_date), reports malformed rows by line and imports the rest, then
  refreshes statuses and roll-ups. Re-importing the same file changes nothing. After an
  interrupted run (a crash, storage gone), run the same command again: it finishes the work.

  --encoding   utf-8 (default; a BOM is allowed) or windows-1252 ("ANSI", as many HR systems export)

  Exit codes: 0 done, 1 done with rejected rows, 2 usage, configuration or input error (nothing
  written), 3 storage failed part-way (nothing is lost: run the same command again).
`;

/** Usage of `import-history`. */
export const IMPORT_HISTORY_USAGE = `usage: npm run cli -- import-history <conversations.csv> [--encoding utf-8|windows-1252]

  Loads past conversations (the conversations CSV: employee_id,type,date,manager_id,status), e.g.
  dates recorded in the HR system before this app, for people already imported. Each person's
  file rows must be their whole history. Rows are idempotent by employee, date and type; two
  rows for the same person, date and type are one conversation (the completed one is kept).
  Rows for people not in the directory are rejected. After an interrupted run, run the same
  command again.

  Exit codes: as import-hr.
`;

/** Usage of `refresh`. */
export const REFRESH_USAGE = `usage: npm run cli -- refresh [--restart] [--status]

  Puts right people left in one table and not the other by an interrupted write, re-evaluates
  every status at today's date, repairs rows left by interrupted writes, and rebuilds the
  roll-ups. An interrupted run resumes where it stopped unless --restart is given.
  --status prints the last run's state.

  Exit codes: 0 done, 2 configuration error, 3 storage failed part-way (run it again).
`;

/** Exit codes of the storage commands (README "Admin commands"). */
const EXIT = { done: 0, rejected: 1, input: 2, storage: 3 } as const;

async function open(io: CliIo): Promise<{ records: Records; tables: Tables } | undefined> {
  try {
    const config = readAdminConfig();
    configureLogging(config.logLevel);
    const policy = resolvePolicy(config.policy);
    const tables = await openTables(config.storage);
    await checkPolicy(tables, policy, { force: config.policySwitchForced });
    return { records: new Records(tables, policy, systemClock, createLogger('cli')), tables };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicySwitchError) {
      io.stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/** The input file of a command, decoded (README "CSV formats"), or undefined after saying why not. */
async function readCsvFile(
  io: CliIo,
  args: readonly string[],
  usage: string,
): Promise<{ path: string; csv: DecodedCsv } | undefined> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { encoding: { type: 'string' } },
    });
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return undefined;
  }
  const path = parsed.positionals[0];
  const encoding = CSV_ENCODINGS.find((e) => e === (parsed.values.encoding ?? 'utf-8').toLowerCase());
  if (path === undefined || parsed.positionals.length > 1 || encoding === undefined) {
    if (encoding === undefined) io.stderr(`--encoding must be ${CSV_ENCODINGS.join(' or ')}\n`);
    io.stderr(usage);
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBytesOf(io, path);
  } catch (error) {
    io.stderr(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return undefined;
  }
  const csv = decodeCsv(bytes, encoding);
  if (csv.fileError) {
    io.stderr(`${path}: ${csv.fileError.message}\n`);
    return undefined;
  }
  return { path, csv };
}

/**
 * Runs a storage command's work; a storage failure part-way (Azure unreachable, a refusal) is said
 * in one line — its code, never a stack trace — with what to do, and is exit code 3.
 */
async function storageStep(io: CliIo, command: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: unknown; statusCode?: unknown; name?: unknown };
    const code = [e.statusCode, e.code].filter((x) => typeof x === 'number' || typeof x === 'string');
    io.stderr(
      `\n${command} stopped: storage failed (${code.join(' ') || String(e.name)}). Nothing written is lost; ` +
        `run the same command again to finish.\n`,
    );
    return EXIT.storage;
  }
}

/** `import-hr <file>`. */
export async function runImportHr(args: readonly string[], io: CliIo): Promise<number> {
  const input = await readCsvFile(io, args, IMPORT_HR_USAGE);
  if (input === undefined) return EXIT.input;
  const opened = await open(io);
  if (opened === undefined) return EXIT.input;
  return storageStep(io, 'import-hr', async () => {
    const bar = progressBar('import-hr', 30, process.stderr);
    const summary = await importHr(opened.records, opened.tables, input.csv, (step, done, total) =>
      bar.update(done, total, step),
    );
    if (summary.fileError) {
      io.stderr(`${input.path}: ${summary.fileError.message}\n`);
      return EXIT.input;
    }
    for (const error of summary.rejected) io.stderr(`${input.path}:${error.line}: ${error.message}\n`);
    if (summary.resumed !== undefined) {
      io.stderr(
        `the last import stopped while ${summary.resumed === 'people' ? 'writing people' : 'refreshing'}; this run finished it\n`,
      );
    }
    io.stdout(
      `added ${summary.added}, updated ${summary.updated}, left ${summary.left}, unchanged ${summary.unchanged}, ` +
        `repaired ${summary.repaired ?? 0}, rejected ${summary.rejected.length}\n`,
    );
    return summary.rejected.length > 0 ? EXIT.rejected : EXIT.done;
  });
}

/** `import-history <file>`. */
export async function runImportHistory(args: readonly string[], io: CliIo): Promise<number> {
  const input = await readCsvFile(io, args, IMPORT_HISTORY_USAGE);
  if (input === undefined) return EXIT.input;
  const opened = await open(io);
  if (opened === undefined) return EXIT.input;
  const parsed = parseConversationsCsv(input.csv, conversationsCsvOptions(opened.records.policy));
  if (parsed.fileError) {
    io.stderr(`${input.path}: ${parsed.fileError.message}\n`);
    return EXIT.input;
  }
  return storageStep(io, 'import-history', async () => {
    const known = new Set<string>();
    for await (const e of opened.records.directory.listAll()) known.add(e.id);
    const { history, rejected } = historyFromCsv(parsed, known, opened.records.clock.now().toISOString());
    const bar = progressBar('import-history', 30, process.stderr);
    const result = await importHistory(opened.records, opened.tables, history, (step, done, total) =>
      bar.update(done, total, step),
    );
    for (const error of rejected) io.stderr(`${input.path}:${error.line}: ${error.message}\n`);
    if (result.resumed)
      io.stderr('the last load of this file had written its records; this run finished it\n');
    io.stdout(`records ${result.records}, people ${result.people}, rejected ${rejected.length}\n`);
    return rejected.length > 0 ? EXIT.rejected : EXIT.done;
  });
}

/** `refresh`. */
export async function runRefreshCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { restart: { type: 'boolean' }, status: { type: 'boolean' } },
  });
  const opened = await open(io);
  if (opened === undefined) return EXIT.input;
  if (values.status) {
    io.stdout(`${await refreshState(opened.tables.jobs)}\n`);
    return EXIT.done;
  }
  return storageStep(io, 'refresh', async () => {
    const bar = progressBar('refresh', 30, process.stderr);
    const summary = await runRefresh(opened.records, opened.tables.jobs, {
      resume: !values.restart,
      onProgress: (phase, done, total) => bar.update(done, total, phase),
    });
    io.stdout(
      `rows ${summary.rows}, repaired ${summary.repaired}, changed ${summary.changed}, roll-up rows ${summary.rollupRows}` +
        (summary.directoryRepaired > 0 ? `, directory repaired ${summary.directoryRepaired}` : '') +
        (summary.resumedAfter ? `, resumed after ${summary.resumedAfter}` : '') +
        '\n',
    );
    return EXIT.done;
  });
}

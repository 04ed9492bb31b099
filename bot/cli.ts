/**
 * The admin command line: `npm run cli -- <command> [options]`. A route table of commands, each in
 * its own file under bot/cli/ (STYLE.md rule 1). Unknown commands print usage and exit 2.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { EVALUATE_USAGE, runEvaluate } from './cli/evaluate';
import {
  IMPORT_HISTORY_USAGE,
  IMPORT_HR_USAGE,
  REFRESH_USAGE,
  runImportHistory,
  runImportHr,
  runRefreshCommand,
} from './cli/storage-commands';
import { type CliIo, readFileBytes } from './cli/io';
import { EXPORT_PAY_STEPS_USAGE, runExportPaySteps } from './cli/pay-step-commands';
import { OUTBOX_USAGE, SWEEP_USAGE, runOutboxCommand, runSweepCommand } from './cli/reminder-commands';

/** One command: a one-line summary for the usage text and its runner (returns the exit code). */
interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  evaluate: {
    summary: 'evaluate employees against a policy from HR and conversation CSVs (no storage needed)',
    usage: EVALUATE_USAGE,
    run: runEvaluate,
  },
  'import-hr': {
    summary: 'import people from an HR employees CSV into storage, then refresh',
    usage: IMPORT_HR_USAGE,
    run: runImportHr,
  },
  'import-history': {
    summary: 'load past conversations from a conversations CSV',
    usage: IMPORT_HISTORY_USAGE,
    run: runImportHistory,
  },
  refresh: {
    summary: 're-evaluate statuses, repair interrupted writes, rebuild roll-ups (resumable)',
    usage: REFRESH_USAGE,
    run: runRefreshCommand,
  },
  sweep: {
    summary: 'print the nudge plan for a day and post it to the outbox (--dry-run: print only)',
    usage: SWEEP_USAGE,
    run: runSweepCommand,
  },
  outbox: {
    summary: 'count messages queued, delivered, not reachable and dead-lettered',
    usage: OUTBOX_USAGE,
    run: runOutboxCommand,
  },
  'export-pay-steps': {
    summary: 'pay-step decisions for payroll as CSV, with deferrals per quarter (career-conversations)',
    usage: EXPORT_PAY_STEPS_USAGE,
    run: runExportPaySteps,
  },
  'sync-directory': {
    summary: 'sync users and managers from Microsoft Graph into the directory',
    usage: 'npm run cli -- sync-directory --help',
    run: async (args, io) => (await import('./cli/sync-directory')).runSyncDirectory(args, io),
  },
};

/** The usage text listing every command. */
export function usage(): string {
  const lines = ['usage: npm run cli -- <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(15)} ${c.summary}`);
  lines.push('', 'run `npm run cli -- <command> --help` for a command’s options');
  return lines.join('\n') + '\n';
}

/** Dispatches argv (without node and script) to a command; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}

/** The real process's streams and file system. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  readBytes: readFileBytes,
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runCli(process.argv.slice(2), processIo);
}

/**
 * `npm run cli -- sync-directory`: one directory sync round from Microsoft Graph into the store
 * (README "Microsoft Graph: directory sync and scheduling"), with progress. Configured from the
 * environment like the service (GRAPH_* and storage settings); `--dev` uses the stack `npm start` runs (Graph stand-in and Azurite).
 * `--delta-file` keeps the delta link between runs so later runs read only changes.
 * Exit codes: 0 synced; 1 Graph refused or failed (the reason is printed); 2 usage or configuration.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { utcToWallTime } from '../../core/dates/london-time';
import { type DirectoryStore } from '../../core/ports';
import { ConfigError, type Config, readConfig, readDevServiceConfig, readDevStackConfig } from '../config';
import { azuriteConnectionString } from '../dev/azurite';
import { devGraphCaFile, devGraphEnv } from '../dev/graph-standin';
import { progressBar } from '../dev/progress';
import { createGraphConnection } from '../graph/client';
import { syncDirectory } from '../graph/directory-sync';
import { GraphFailure } from '../graph/errors';
import { configureLogging, createLogger } from '../log';
import { TableDirectory } from '../storage/employee-table';
import { openTables } from '../storage/tables';
import type { CliIo } from './io';

/** Usage text of the sync-directory command. */
export const SYNC_DIRECTORY_USAGE = `usage: npm run cli -- sync-directory [--delta-file <file>] [--full] [--dev]

  Reads users and their managers from Microsoft Graph (delta query, every page) and merges them
  into the directory: name and e-mail follow Graph; the manager follows Graph unless HR set it;
  HR's dates, staff group and flags stay; accounts are added as GRAPH_PEOPLE says; disabled or
  deleted users become leavers dated today, and re-enabled or restored ones are back in post
  (a leave date from HR stays). An expired delta link starts a full round.

  --delta-file  keep Graph's delta link in this file: the next run reads only changes
  --full        ignore the stored delta link and read the whole directory
  --dev         use the local stack that \`npm start\` runs (Graph stand-in, Azurite)

  configuration: GRAPH_* and STORAGE_* settings, as for the service (see README.md)
exit codes: 0 synced; 1 Graph refused or failed; 2 usage or configuration error
`;

/** What the command uses besides its streams; tests replace the store and the settings. */
export interface SyncDirectoryDeps {
  readonly config: (dev: boolean) => Config;
  readonly openStore: (config: Config) => Promise<DirectoryStore>;
  readonly today: () => string;
  readonly progress: (label: string) => {
    update(done: number, total: number): void;
    done(summary: string): void;
  };
}

/** The real configuration, Table storage and terminal progress bar. */
export const defaultSyncDirectoryDeps: SyncDirectoryDeps = {
  config: (dev) => {
    if (!dev) return readConfig();
    const stack = readDevStackConfig();
    const url = `https://127.0.0.1:${stack.graphPort}`;
    return readDevServiceConfig(
      stack,
      azuriteConnectionString(stack.azuritePorts),
      undefined,
      devGraphEnv(url, devGraphCaFile(stack.dataDir)),
    );
  },
  openStore: async (config) => new TableDirectory(await openTables(config.storage)),
  today: () => utcToWallTime(Date.now()).date,
  progress: progressBar,
};

/** Runs the command; resolves to the exit code. */
export async function runSyncDirectory(
  args: readonly string[],
  io: CliIo,
  deps: SyncDirectoryDeps = defaultSyncDirectoryDeps,
): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: [...args],
      options: {
        'delta-file': { type: 'string' },
        full: { type: 'boolean', default: false },
        dev: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${SYNC_DIRECTORY_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(SYNC_DIRECTORY_USAGE);
    return 0;
  }

  let config: Config;
  try {
    config = deps.config(options.dev);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (config.graph === undefined) {
    io.stderr(
      'Microsoft Graph is not configured: set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or GRAPH_AUTH=managed-identity); see README.md.\n',
    );
    return 2;
  }
  configureLogging(config.logLevel === 'debug' ? 'debug' : 'warn');
  const log = createLogger('cli.sync-directory');

  const deltaFile = options['delta-file'];
  let deltaLink: string | undefined;
  if (deltaFile !== undefined && !options.full && existsSync(deltaFile)) {
    deltaLink = (await io.readFile(deltaFile)).trim() || undefined;
  }

  let connection;
  try {
    connection = createGraphConnection(config.graph, { log });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  try {
    const store = await deps.openStore(config);
    io.stdout(
      `Reading ${deltaLink === undefined ? 'the whole directory' : 'changes since the last sync'} from ${connection.baseUrl}\n`,
    );
    const writing = deps.progress('  writing directory');
    let pagesRead = 0;
    let usersRead = 0;
    const result = await syncDirectory({
      client: connection.client,
      store,
      today: deps.today(),
      deltaLink,
      people: config.graph.people,
      log,
      onPage: (pages, users) => {
        pagesRead = pages;
        usersRead = users;
        if (pages % 10 === 0) io.stdout(`  read ${users} users (${pages} pages)…\n`);
      },
      onWrite: (done, total) => writing.update(done, total),
    });
    io.stdout(`  read ${usersRead} users in ${pagesRead} page${pagesRead === 1 ? '' : 's'}\n`);
    writing.done(
      `${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.left} left`,
    );
    if (deltaFile !== undefined) {
      await mkdir(dirname(deltaFile), { recursive: true });
      await writeFile(deltaFile, `${result.deltaLink}\n`, 'utf8');
    }
    io.stdout(
      `Synced (${result.full ? 'full' : 'changes only'}): ${result.added} added, ${result.updated} updated, ` +
        `${result.unchanged} unchanged, ${result.left} newly left, ${result.skipped} skipped (not people, guests, disabled)\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GraphFailure) {
      io.stderr(`${error.userMessage}\n`);
      return 1;
    }
    throw error;
  } finally {
    await connection.close();
  }
}

/**
 * The service's daily maintenance: the Microsoft Graph directory sync (when Graph is configured),
 * then the status refresh (DESIGN.md §5 "a daily refresh job"; issue 5 "a scheduled daily run").
 * The sync's delta link is kept in the jobs table, so a restarted service reads only changes.
 * The service runs it from `startApp` on a cron schedule under a blob lease (one instance at a time).
 */
import { type TableClient } from '@azure/data-tables';
import { type GraphConfig } from '../config';
import { createGraphConnection } from '../graph/client';
import { startDailySync } from '../graph/daily-sync';
import { syncDirectory } from '../graph/directory-sync';
import { type Logger } from '../log';
import { statusOf } from '../storage/entities';
import { type Records } from './records';
import { runRefresh } from './refresh';

const SYNC_JOB = 'directory-sync';

/** The daily run's body: the directory sync (when Graph is configured), then the status refresh. */
export interface Maintenance {
  /**
   * Runs the sync and refresh for `today`; resumes from the stored delta link. An aborted
   * `signal` stops it between the sync and the refresh or at the refresh's next checkpoint.
   */
  run(today: string, remembered?: string, signal?: AbortSignal): Promise<{ deltaLink: string }>;
  close(): Promise<void>;
}

/** The maintenance run, with its own Graph connection when Graph is configured. */
export function createMaintenance(options: {
  readonly records: Records;
  readonly jobs: TableClient;
  readonly graph: GraphConfig | undefined;
  readonly log: Logger;
}): Maintenance {
  const { records, jobs, graph, log } = options;
  const connection = graph ? createGraphConnection(graph, { log: log.child('graph') }) : undefined;
  return {
    async run(today, remembered, signal) {
      let deltaLink = remembered ?? (await loadDeltaLink(jobs));
      if (connection) {
        const result = await syncDirectory({
          client: connection.client,
          store: records.directory,
          today,
          deltaLink,
          people: graph?.people,
          log,
        });
        deltaLink = result.deltaLink;
        await jobs.upsertEntity({ partitionKey: SYNC_JOB, rowKey: 'state', deltaLink, at: today }, 'Replace');
        log.info('directory synced', { added: result.added, updated: result.updated, left: result.left });
      }
      signal?.throwIfAborted();
      const refreshed = await runRefresh(records, jobs, { signal });
      log.info('statuses refreshed', {
        rows: refreshed.rows,
        changed: refreshed.changed,
        repaired: refreshed.repaired,
      });
      return { deltaLink: deltaLink ?? '' };
    },
    close: async () => {
      await connection?.close();
    },
  };
}

/** Starts the daily run at `time` (Europe/London, HH:MM) on its own timer; `stop()` cancels it. */
export function startDailyMaintenance(options: {
  readonly records: Records;
  readonly jobs: TableClient;
  readonly graph: GraphConfig | undefined;
  readonly time: string;
  readonly log: Logger;
}): { stop(): Promise<void>; runNow(): Promise<void> } {
  const maintenance = createMaintenance(options);
  const schedule = startDailySync({
    clock: options.records.clock,
    time: options.time,
    log: options.log,
    run: (today, remembered) => maintenance.run(today, remembered),
  });
  return {
    runNow: () => schedule.runNow(),
    stop: async () => {
      schedule.stop();
      await maintenance.close();
    },
  };
}

async function loadDeltaLink(jobs: TableClient): Promise<string | undefined> {
  try {
    const row = await jobs.getEntity<{ deltaLink: string }>(SYNC_JOB, 'state');
    return row.deltaLink || undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * The whole app on one storage account: records, calendar booking through Graph (when
 * configured), the HTTP service with the bot, and the sweep that prompts managers to log
 * meetings that have ended. Used by `bot/main.ts` in production and by `npm start`.
 */
import { type Clock } from '../core/ports';
import { type Policy } from '../core/policy/schema';
import { type Config } from './config';
import { startLogPrompts } from './conversations/log-prompts';
import { type GraphConnection, createGraphConnection } from './graph/client';
import { GraphCalendar } from './graph/graph-calendar';
import { ConversationScheduler } from './graph/scheduling';
import { createLogger } from './log';
import { mainAreas } from './policy';
import { Records } from './records/records';
import { type RunningService, startService } from './service';
import { LedgerTable } from './storage/ledger-table';
import { MeetingTable } from './storage/meeting-table';
import { type Tables } from './storage/tables';

/** How often ended meetings are looked for. */
const LOG_PROMPT_EVERY_MS = 5 * 60_000;

/** A running app. */
export interface RunningApp {
  readonly service: RunningService;
  readonly records: Records;
  stop(): Promise<void>;
}

/** Starts the service and its background sweep. */
export async function startApp(options: {
  readonly config: Config;
  readonly tables: Tables;
  readonly policy: Policy;
  readonly clock: Clock;
  readonly tabDir: string;
  /** Look for ended meetings every this many ms (default five minutes). */
  readonly logPromptEveryMs?: number;
}): Promise<RunningApp> {
  const { config, tables, policy, clock } = options;
  const records = new Records(tables, policy, clock, createLogger('records'));
  let graph: GraphConnection | undefined;
  let scheduler: ConversationScheduler | undefined;
  if (config.graph !== undefined) {
    graph = createGraphConnection(config.graph, { log: createLogger('graph') });
    scheduler = new ConversationScheduler({
      // A card must be answered within Teams' 15 s: give up on Graph (retries included) after 10 s
      // and offer to log instead.
      calendar: new GraphCalendar(graph.client, { log: createLogger('graph.calendar'), timeoutMs: 10_000 }),
      directory: records.directory,
      policy,
      clock,
      workingDays: config.graph.scheduleWorkingDays,
      log: createLogger('scheduling'),
    });
  }
  const meetings = new MeetingTable(tables.meetings);
  const service = await startService({
    config,
    tables,
    areas: mainAreas(policy),
    tabDir: options.tabDir,
    records,
    policy,
    clock,
    scheduler,
    meetings,
  });
  const prompts = startLogPrompts({
    meetings,
    conversations: records.conversations,
    ledger: new LedgerTable(tables.nudgeLedger),
    directory: records.directory,
    notifier: service.notifier,
    policy,
    clock,
    log: createLogger('log-prompts'),
    everyMs: options.logPromptEveryMs ?? LOG_PROMPT_EVERY_MS,
  });
  return {
    service,
    records,
    stop: async () => {
      await prompts.stop();
      await service.notifier.drain();
      await service.close();
      await graph?.close();
    },
  };
}

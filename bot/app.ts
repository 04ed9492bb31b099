/**
 * The whole app on one storage account: records, calendar booking through Graph (when
 * configured), the HTTP service with the bot, the outbox's sender workers, and every background
 * job (DESIGN.md §5): the directory sync and status refresh, the nudge sweep, the weekly digest and
 * the "log it" prompts. Jobs run on cron schedules in Europe/London on the injected clock, each
 * under a blob lease so one instance runs it at a time. Used by `bot/main.ts` and by `npm start`.
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
import { type JobSchedule, type ScheduledJob, startJobs, weeklyAt, workingDaysAt } from './jobs/schedule';
import { openJobLeases } from './jobs/lease';
import { QueueOutbox } from './outbox/outbox';
import { openOutboxQueue } from './outbox/queue';
import { type CrashPoint, OutboxSender } from './outbox/sender';
import { type SweepDeps, describePlan, runDigest, runSweep } from './reminders/sweep';
import { wallTimeToUtc } from '../core/dates/london-time';
import { clockMinutes } from '../core/nudges';
import { createMaintenance } from './records/maintenance';
import { LedgerTable } from './storage/ledger-table';
import { MeetingTable } from './storage/meeting-table';
import { TableReferenceStore } from './storage/reference-store';
import { Snoozes } from './storage/snoozes';
import { type Tables } from './storage/tables';

/** How often ended meetings are looked for. */
const LOG_PROMPT_EVERY_MS = 5 * 60_000;

/** A running app. */
export interface RunningApp {
  readonly service: RunningService;
  readonly records: Records;
  /** The background jobs (`runNow('nudge-sweep', at)` from tests and the dev stack). */
  readonly jobs: JobSchedule;
  readonly sender: OutboxSender;
  /** What the nudge sweep and digest use (the CLI's `sweep` builds the same). */
  readonly sweepDeps: SweepDeps;
  /**
   * Stops everything. With `graceMs` (production's SIGTERM) it is graceful: the service stops
   * accepting at once and answers the turns in flight for up to that long, while the jobs are
   * aborted (their leases released) and the sender finishes the message in hand.
   */
  stop(graceMs?: number): Promise<void>;
}

/** The names of the app's background jobs. */
export const JOB_NAMES = {
  maintenance: 'directory-sync',
  sweep: 'nudge-sweep',
  digest: 'weekly-digest',
} as const;

/** Starts the service and its background sweep. */
export async function startApp(options: {
  readonly config: Config;
  readonly tables: Tables;
  readonly policy: Policy;
  readonly clock: Clock;
  readonly tabDir: string;
  /** Look for ended meetings every this many ms (default five minutes). */
  readonly logPromptEveryMs?: number;
  /** Namespaces the outbox queue and the lease container as `openTables` does the tables (tests). */
  readonly storagePrefix?: string;
  /** The sender workers' settings (tests shorten the waits). */
  readonly sender?: {
    readonly idlePollMs?: number;
    readonly visibilitySeconds?: number;
    readonly batch?: number;
    readonly crashAt?: CrashPoint;
  };
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
  const prefix = options.storagePrefix ?? '';
  const queue = await openOutboxQueue(config.storage, prefix);
  const outbox = new QueueOutbox(queue);
  // Set once the leases are open, below; the dev route is only reachable once the app has started.
  const dev: { sweep?: (day: string) => Promise<string> } = {};
  const service = await startService({
    outbox,
    devSweep: (day) => (dev.sweep ? dev.sweep(day) : Promise.resolve('starting; try again\n')),
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
    outbox,
    policy,
    clock,
    log: createLogger('log-prompts'),
    everyMs: options.logPromptEveryMs ?? LOG_PROMPT_EVERY_MS,
  });
  const references = new TableReferenceStore(tables.conversationRefs);
  const sender = new OutboxSender({
    queue,
    table: tables.outbox,
    faults: tables.outboxFaults,
    notifier: service.notifier,
    references,
    clock,
    log: createLogger('outbox'),
    ...options.sender,
  });
  sender.start();

  const sweepDeps: SweepDeps = {
    records,
    policy,
    ledger: tables.nudgeLedger,
    snoozes: new Snoozes(tables.nudgeLedger),
    outbox,
    references,
    odMembers: config.odMembers,
    jobs: tables.jobs,
    audit: records.audit,
    log: createLogger('nudges'),
  };
  const maintenance = createMaintenance({
    records,
    jobs: tables.jobs,
    graph: config.graph,
    log: createLogger('maintenance'),
  });
  const [syncHour, syncMinute] = (config.graph?.syncTime ?? '02:00').split(':').map(Number);
  const scheduled: ScheduledJob[] = [
    {
      name: JOB_NAMES.maintenance,
      cron: `${syncMinute ?? 0} ${syncHour ?? 2} * * *`,
      run: async (_at, signal) => {
        await maintenance.run(clock.today(), undefined, signal);
      },
    },
    {
      name: JOB_NAMES.sweep,
      cron: workingDaysAt(config.nudgeSweepTime),
      run: async (at, signal) => {
        await runSweep(sweepDeps, at, signal);
      },
    },
    {
      name: JOB_NAMES.digest,
      cron: weeklyAt(policy.nudges.weeklyDigest.weekday, policy.nudges.weeklyDigest.time),
      run: async (at, signal) => {
        await runDigest(sweepDeps, at, signal);
      },
    },
  ];
  const leases = await openJobLeases(config.storage, { prefix, log: createLogger('jobs.lease') });
  const jobs = startJobs({ jobs: scheduled, clock, lease: leases, log: createLogger('jobs') });
  dev.sweep = async (day) => {
    const at = new Date(wallTimeToUtc(day, clockMinutes(config.nudgeSweepTime)));
    const ran = await leases.runExclusive(JOB_NAMES.sweep, (signal) => runSweep(sweepDeps, at, signal));
    return ran.ran ? describePlan(ran.value) : 'the sweep is running already; try again shortly\n';
  };
  return {
    service,
    records,
    jobs,
    sender,
    sweepDeps,
    stop: async (graceMs = 0) => {
      const draining = service.drain(graceMs);
      // Aborted, the jobs stop at their next safe point (a checkpoint, the next manager); the
      // process must still exit within the grace, so one that does not is left to its lease's
      // expiry and resumed by the next run. Without a grace (tests, the CLI) everything is awaited.
      const background = Promise.all([jobs.stop(), prompts.stop(), sender.stop()]);
      if ((await withinGrace(background, graceMs)) === 'late') {
        createLogger('app').warn(
          'background work still running at the end of the grace; its lease will expire',
          {
            graceMs,
          },
        );
      }
      await draining;
      await maintenance.close();
      await graph?.close();
    },
  };
}

/** Waits for `work`, or for `graceMs` when it is positive, whichever is first. */
async function withinGrace(work: Promise<unknown>, graceMs: number): Promise<'done' | 'late'> {
  if (graceMs <= 0) {
    await work;
    return 'done';
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Cron schedules for background jobs (the nudge sweep, the weekly digest) on the injected clock,
 * each run under its job's lease so only one instance runs it (DESIGN.md §5). Times are computed
 * from `clock.now()` with croner in the policy's time zone, never from the system clock, so tests
 * and the CLI move time by moving the clock.
 */
import { Cron } from 'croner';
import { type Clock } from '../../core/ports';
import { type Logger } from '../log';
import { traceJob } from '../telemetry/instruments';
import { type JobLease } from './lease';

/** A job the schedule runs. */
export interface ScheduledJob {
  readonly name: string;
  /** A cron pattern (croner syntax), evaluated in `timeZone`. */
  readonly cron: string;
  /** Runs the job for the instant it was due; the signal aborts when the lease is lost or the schedule stops. */
  run(at: Date, signal: AbortSignal): Promise<void>;
}

/** The running schedule. */
export interface JobSchedule {
  /**
   * Runs the job now (for the clock's now, or `at`), under its lease: 'ran' | 'busy'. Joins a run
   * already in progress in this process. Rejects when the run fails (already logged).
   */
  runNow(name: string, at?: Date): Promise<'ran' | 'busy'>;
  /** The next time each job is due, from the clock (for logs, `/healthz`-style status and tests). */
  nextRuns(): Record<string, Date | undefined>;
  /** Cancels timers, aborts and waits for runs in progress. */
  stop(): Promise<void>;
}

/** Options for {@link startJobs}. */
export interface JobScheduleOptions {
  readonly jobs: readonly ScheduledJob[];
  readonly clock: Clock;
  readonly lease: JobLease;
  readonly log: Logger;
  /** Where the cron patterns' times are read; default Europe/London (DESIGN.md §3.1). */
  readonly timeZone?: string;
  /**
   * Runs each job once at start for the latest time it was due before now. Jobs must then be
   * idempotent for that time (the nudge ledger is), since another instance may already have run it.
   */
  readonly runMissedOnStart?: boolean;
}

/**
 * The longest single wait: Node timers overflow past about 24.8 days, and the clock may be moved
 * or corrected meanwhile, so a long wait is taken in steps and recomputed from the clock.
 */
const MAX_WAIT_MS = 60 * 60 * 1000;

interface Entry {
  readonly job: ScheduledJob;
  readonly cron: Cron;
  /** The time the armed timer waits for. */
  due?: Date;
  timer?: NodeJS.Timeout;
  /** The run in progress in this process, which a second trigger joins. */
  running?: Promise<'ran' | 'busy'>;
}

/** Starts the timers for `jobs`; a pattern croner cannot read throws here, at start. */
export function startJobs(options: JobScheduleOptions): JobSchedule {
  const { clock, lease, log } = options;
  const timeZone = options.timeZone ?? 'Europe/London';
  const entries = new Map<string, Entry>();
  for (const job of options.jobs) {
    if (entries.has(job.name)) throw new Error(`two jobs are named ${job.name}`);
    // paused and without a callback: croner only computes times, it keeps no timer of its own.
    entries.set(job.name, { job, cron: new Cron(job.cron, { timezone: timeZone, paused: true }) });
  }
  const stopping = new AbortController();

  const execute = (entry: Entry, at: Date): Promise<'ran' | 'busy'> => {
    if (entry.running) return entry.running;
    const { name } = entry.job;
    // Each run is a span and counted by result (ran, busy, failed), with its duration.
    const run = traceJob(name, async (): Promise<'ran' | 'busy'> => {
      const started = performance.now();
      try {
        const result = await lease.runExclusive(name, (leaseSignal) =>
          entry.job.run(at, AbortSignal.any([leaseSignal, stopping.signal])),
        );
        if (!result.ran) {
          log.info('job busy elsewhere', { job: name, at: at.toISOString() });
          return 'busy';
        }
        log.info('job ran', { job: name, at: at.toISOString(), ms: Math.round(performance.now() - started) });
        return 'ran';
      } catch (error) {
        // The error's name only: its message may carry data from the job.
        log.error('job failed', { job: name, at: at.toISOString(), error: errorName(error) });
        throw error;
      }
    });
    entry.running = run;
    const done = (): void => {
      if (entry.running === run) entry.running = undefined;
    };
    run.then(done, done);
    return run;
  };

  const arm = (entry: Entry, after?: Date): void => {
    if (stopping.signal.aborted) return;
    const now = clock.now();
    // Strictly after the run just made, even when the clock has not moved (a fixed clock).
    const from = after && after > now ? after : now;
    const due = entry.cron.nextRun(from) ?? undefined;
    entry.due = due;
    if (!due) return;
    const wait = Math.min(Math.max(0, due.getTime() - now.getTime()), MAX_WAIT_MS);
    entry.timer = setTimeout(() => fire(entry, due), wait);
    entry.timer.unref();
  };

  const fire = (entry: Entry, due: Date): void => {
    entry.timer = undefined;
    if (stopping.signal.aborted) return;
    if (clock.now() < due) {
      arm(entry);
      return;
    }
    // A failure is logged in execute; the schedule goes on either way.
    execute(entry, due)
      .catch(() => undefined)
      .finally(() => arm(entry, due));
  };

  for (const entry of entries.values()) {
    const missed = options.runMissedOnStart ? entry.cron.previousRuns(1, clock.now())[0] : undefined;
    if (missed) {
      execute(entry, missed)
        .catch(() => undefined)
        .finally(() => arm(entry, missed));
    } else {
      arm(entry);
    }
  }

  return {
    runNow: (name, at) => {
      const entry = entries.get(name);
      if (!entry) return Promise.reject(new Error(`no job named ${name}`));
      if (stopping.signal.aborted) return Promise.reject(new Error('the job schedule is stopped'));
      return execute(entry, at ?? clock.now());
    },
    nextRuns: () => {
      const now = clock.now();
      return Object.fromEntries(
        [...entries.values()].map((entry) => [entry.job.name, entry.cron.nextRun(now) ?? undefined]),
      );
    },
    stop: async () => {
      stopping.abort();
      const running: Promise<unknown>[] = [];
      for (const entry of entries.values()) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        if (entry.running) running.push(entry.running);
      }
      await Promise.allSettled(running);
    },
  };
}

/** A cron pattern for Monday to Friday at `time` (`HH:MM`), e.g. the nudge sweep at 09:00 → `0 9 * * 1-5`. */
export function workingDaysAt(time: string): string {
  const { hour, minute } = parseTime(time);
  return `${minute} ${hour} * * 1-5`;
}

/**
 * A cron pattern for one day a week at `time`, the day as ISO numbers it (1 = Monday … 7 = Sunday),
 * as the policy's `nudges.weeklyDigest` does; e.g. `weeklyAt(1, '09:00')` → `0 9 * * 1`.
 */
export function weeklyAt(isoWeekday: number, time: string): string {
  if (!Number.isInteger(isoWeekday) || isoWeekday < 1 || isoWeekday > 7) {
    throw new RangeError(`not an ISO weekday (1 = Monday … 7 = Sunday): ${isoWeekday}`);
  }
  const { hour, minute } = parseTime(time);
  // cron numbers Sunday 0.
  return `${minute} ${hour} * * ${isoWeekday % 7}`;
}

function parseTime(time: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not a time of day (HH:MM): ${JSON.stringify(time)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

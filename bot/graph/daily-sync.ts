/**
 * The daily directory sync inside the service (README "Microsoft Graph"): runs at a set Europe/London time, keeps
 * the delta link between runs so each run after the first reads only changes, and logs failures
 * without stopping the service (the next day's run tries again, from the last good link).
 */
import { formatIsoDate } from '../../core/dates/day';
import { MS_PER_DAY, tryParseClockTime, utcToWallTime, wallTimeToUtc } from '../../core/dates/london-time';
import { type IsoDate } from '../../core/model';
import { type Clock } from '../../core/ports';
import { type Logger } from '../log';
import { GraphFailure } from './errors';

/** One sync run: given the last delta link, returns the next. */
export type SyncRun = (today: IsoDate, deltaLink: string | undefined) => Promise<{ deltaLink: string }>;

/** The next instant at `time` (HH:MM, Europe/London) strictly after `now`. */
export function nextRunAt(now: number, time: string): number {
  const minutes = tryParseClockTime(time) ?? 120;
  const today = utcToWallTime(now).date;
  const todayRun = wallTimeToUtc(today, minutes);
  if (todayRun > now) return todayRun;
  const day = Math.floor(Date.parse(`${today}T00:00:00Z`) / MS_PER_DAY) + 1;
  return wallTimeToUtc(formatIsoDate(day), minutes);
}

/**
 * Starts the daily schedule on the service's clock, so a run's date (a disabled account's leave
 * date) is the service's today, not the machine's; `stop()` cancels the next run. Timers never
 * keep the process alive.
 */
export function startDailySync(options: {
  readonly time: string;
  readonly run: SyncRun;
  readonly log: Logger;
  readonly clock: Clock;
}): { stop(): void; runNow(): Promise<void> } {
  const { clock } = options;
  const now = () => clock.now().getTime();
  let deltaLink: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const runNow = async () => {
    try {
      const result = await options.run(clock.today(), deltaLink);
      deltaLink = result.deltaLink;
    } catch (error) {
      options.log.error('daily directory sync failed; the next run tries again', {
        reason:
          error instanceof GraphFailure ? error.userMessage : error instanceof Error ? error.name : 'unknown',
      });
    }
  };
  const schedule = () => {
    if (stopped) return;
    const delay = Math.max(1_000, nextRunAt(now(), options.time) - now());
    timer = setTimeout(() => void runNow().finally(schedule), delay);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    runNow,
  };
}

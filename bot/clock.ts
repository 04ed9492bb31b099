/** The system clock: now, and today's date in Europe/London (DESIGN.md §3.1 "dates in Europe/London"). */
import { type Clock } from '../core/ports';

// Formatters are made once: `toLocaleDateString` builds one per call (about 0.3 ms each, against
// 2 µs to format with a kept one), and cards and sweeps format dates by the hundred.
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
const READABLE_DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Today's calendar date in Europe/London for an instant (`YYYY-MM-DD`). */
export function londonDate(at: Date): string {
  return LONDON_DAY.format(at);
}

/** A date `YYYY-MM-DD` as people read it (`23 Nov 2026`); anything else is returned as given. */
export function readableDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : READABLE_DAY.format(d);
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  today: () => londonDate(new Date()),
};

/** A clock stopped at one date (tests, benchmarks, replaying a day). */
export function fixedClock(today: string): Clock {
  return { now: () => new Date(`${today}T12:00:00Z`), today: () => today };
}

/** The system clock: now, and today's date in Europe/London (DESIGN.md §3.1 "dates in Europe/London"). */
import { type Clock } from '../core/ports';

/** Today's calendar date in Europe/London for an instant. */
export function londonDate(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
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

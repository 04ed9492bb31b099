/**
 * Rolling windows counted back from the evaluation date D: (D − N calendar months, D]
 * (DESIGN.md §3.1 "window").
 */
import { addMonths, type DayNumber } from './day';

/** An inclusive range of days. */
export interface DayRange {
  readonly firstDay: DayNumber;
  readonly lastDay: DayNumber;
}

/**
 * The rolling window (D − months, D] as an inclusive range: its first day is the day after
 * D − months (month ends clamped), its last day is D.
 */
export function rollingWindow(at: DayNumber, months: number): DayRange {
  return { firstDay: addMonths(at, -months) + 1, lastDay: at };
}

/** Number of days of a range that fall on or after a given day (0 when none). */
export function daysOnOrAfter(range: DayRange, from: DayNumber): number {
  const start = from > range.firstDay ? from : range.firstDay;
  return range.lastDay >= start ? range.lastDay - start + 1 : 0;
}

/** True when a day lies in an inclusive range. */
export function inRange(range: DayRange, day: DayNumber): boolean {
  return day >= range.firstDay && day <= range.lastDay;
}

/**
 * Working days: the policy's working weekdays minus holidays (DESIGN.md §4 "weekends and England &
 * Wales bank holidays skipped").
 */
import { isoWeekday, type DayNumber } from './day';

/** Which days are worked: ISO weekdays (1 = Monday … 7 = Sunday) and a holiday set. */
export interface WorkingCalendar {
  readonly workingWeekdays: readonly number[];
  readonly holidays: ReadonlySet<DayNumber>;
}

/** True when the day is a working weekday and not a holiday. */
export function isWorkingDay(calendar: WorkingCalendar, day: DayNumber): boolean {
  return calendar.workingWeekdays.includes(isoWeekday(day)) && !calendar.holidays.has(day);
}

function assertSomeWorkingWeekday(calendar: WorkingCalendar): void {
  if (!calendar.workingWeekdays.some((d) => d >= 1 && d <= 7)) {
    throw new RangeError('the working calendar has no working weekdays');
  }
}

/** The first working day on or after a day. */
export function nextWorkingDay(calendar: WorkingCalendar, day: DayNumber): DayNumber {
  assertSomeWorkingWeekday(calendar);
  let d = day;
  while (!isWorkingDay(calendar, d)) d += 1;
  return d;
}

/**
 * Moves `count` working days forward (or backward when negative) from a day; the start day itself
 * is not counted, so adding 1 to a Friday before a normal weekend gives the Monday.
 */
export function addWorkingDays(calendar: WorkingCalendar, day: DayNumber, count: number): DayNumber {
  assertSomeWorkingWeekday(calendar);
  const step = count < 0 ? -1 : 1;
  let remaining = Math.abs(count);
  let d = day;
  while (remaining > 0) {
    d += step;
    if (isWorkingDay(calendar, d)) remaining -= 1;
  }
  return d;
}

/** Number of working days in an inclusive range of days. */
export function countWorkingDays(calendar: WorkingCalendar, firstDay: DayNumber, lastDay: DayNumber): number {
  let n = 0;
  for (let d = firstDay; d <= lastDay; d += 1) if (isWorkingDay(calendar, d)) n += 1;
  return n;
}

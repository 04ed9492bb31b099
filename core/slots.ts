/**
 * Slot finding from free/busy: the first N slots when everyone is free, inside working hours, on
 * working days (weekends and bank holidays skipped), at or after a time (DESIGN.md §4 "Schedule").
 * Pure: the busy intervals come from Graph getSchedule in bot/.
 */
import type { DayNumber } from './dates/day';
import { formatIsoDate } from './dates/day';
import { MS_PER_MINUTE, wallTimeToUtc, zonedDayOf } from './dates/london-time';
import { isWorkingDay } from './dates/working-days';
import type { PolicyCalendar } from './policy/calendar';

/** A half-open time interval [start, end) in epoch milliseconds (UTC). */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** What to search for. */
export interface SlotQuery {
  /** Busy intervals of each person (two for manager and employee; any number works). */
  readonly busy: readonly (readonly Interval[])[];
  /** Earliest slot start (epoch ms). */
  readonly from: number;
  readonly durationMinutes: number;
  readonly count: number;
  /** Working days, hours, holidays, time zone and step (from `policyCalendar`). */
  readonly calendar: PolicyCalendar;
  /** Days to look ahead from `from` before giving up; default 90. */
  readonly horizonDays?: number;
  /** At most this many slots on one day, so proposals spread out; default unlimited. */
  readonly maxPerDay?: number;
}

/** Sorted, merged union of everyone's busy intervals (empty and inverted intervals dropped). */
export function mergeBusy(busy: readonly (readonly Interval[])[]): Interval[] {
  const all = busy.flat().filter((b) => b.end > b.start);
  all.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const b of all) {
    const last = merged[merged.length - 1];
    if (last && b.start <= last.end) {
      if (b.end > last.end) merged[merged.length - 1] = { start: last.start, end: b.end };
    } else merged.push({ start: b.start, end: b.end });
  }
  return merged;
}

/**
 * The first `count` free slots of `durationMinutes`, in time order, not overlapping each other or
 * any busy interval. Slot starts sit on the calendar's step (e.g. :00 and :30) counted from the
 * start of the working day in the organisation's time zone, so they stay right across BST changes.
 */
export function findFreeSlots(query: SlotQuery): Interval[] {
  const { calendar, count } = query;
  if (count <= 0 || query.durationMinutes <= 0) return [];
  const durationMs = query.durationMinutes * MS_PER_MINUTE;
  const stepMs = calendar.slotStepMinutes * MS_PER_MINUTE;
  const busy = mergeBusy(query.busy);
  const horizon = query.horizonDays ?? 90;
  const maxPerDay = query.maxPerDay ?? Number.POSITIVE_INFINITY;
  const slots: Interval[] = [];
  let p = 0;
  const firstDay: DayNumber = zonedDayOf(query.from, calendar.timeZone);
  for (let day = firstDay; day <= firstDay + horizon && slots.length < count; day += 1) {
    if (!isWorkingDay(calendar, day)) continue;
    const date = formatIsoDate(day);
    const dayStart = wallTimeToUtc(date, calendar.workStartMinutes, calendar.timeZone);
    const dayEnd = wallTimeToUtc(date, calendar.workEndMinutes, calendar.timeZone);
    const alignUp = (t: number): number =>
      t <= dayStart ? dayStart : dayStart + Math.ceil((t - dayStart) / stepMs) * stepMs;
    let t = alignUp(query.from);
    let today = 0;
    while (t + durationMs <= dayEnd && slots.length < count && today < maxPerDay) {
      while (p < busy.length && (busy[p] as Interval).end <= t) p += 1;
      const b = busy[p];
      if (b && b.start < t + durationMs) {
        t = alignUp(b.end);
        continue;
      }
      slots.push({ start: t, end: t + durationMs });
      today += 1;
      t = alignUp(t + durationMs);
    }
  }
  return slots;
}

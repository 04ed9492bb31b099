/**
 * Europe/London wall-clock time <-> UTC instants, across the BST changes, using `Intl` only
 * (DESIGN.md §3.1 "dates in Europe/London"). Not for hot paths: each call formats with Intl.
 */
import type { IsoDate } from '../model';
import { daysFromCivil, formatIsoDate, parseIsoDate, type DayNumber } from './day';

/** The organisation's time zone (DESIGN.md §3.1). */
export const LONDON = 'Europe/London';

/** Milliseconds in a minute and a day. */
export const MS_PER_MINUTE = 60_000;
/** Milliseconds in a day. */
export const MS_PER_DAY = 86_400_000;

/** A wall-clock reading: a calendar date and minutes after midnight (0–1439). */
export interface WallTime {
  readonly date: IsoDate;
  readonly minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone, as if they were UTC (ms), to the whole second. */
function wallAsUtcMs(instantMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const days = daysFromCivil(get('year'), get('month'), get('day'));
  return days * MS_PER_DAY + ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000;
}

/** The zone's offset from UTC at an instant, in minutes (60 during BST, 0 in winter for London). */
export function utcOffsetMinutes(instantMs: number, timeZone: string = LONDON): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallAsUtcMs(whole, timeZone) - whole) / MS_PER_MINUTE);
}

/**
 * The UTC instant (ms) of a wall-clock time in the zone. A time skipped when clocks go forward
 * (01:30 on the last Sunday of March) is read with the offset before the change, so it lands an
 * hour later (02:30 BST); a time that happens twice when clocks go back resolves to the first (BST).
 */
export function wallTimeToUtc(date: IsoDate, minutes: number, timeZone: string = LONDON): number {
  const naive = parseIsoDate(date) * MS_PER_DAY + minutes * MS_PER_MINUTE;
  const offsetBefore = utcOffsetMinutes(naive - MS_PER_DAY, timeZone);
  const offsetAfter = utcOffsetMinutes(naive + MS_PER_DAY, timeZone);
  // Try the larger offset first: in an overlap that gives the earlier instant.
  const candidates = [Math.max(offsetBefore, offsetAfter), Math.min(offsetBefore, offsetAfter)];
  for (const offset of candidates) {
    const instant = naive - offset * MS_PER_MINUTE;
    if (utcOffsetMinutes(instant, timeZone) === offset) return instant;
  }
  // In a gap neither offset reproduces the wall time: use the offset in force before the change.
  return naive - offsetBefore * MS_PER_MINUTE;
}

/** The wall-clock date and minutes of a UTC instant in the zone. */
export function utcToWallTime(instantMs: number, timeZone: string = LONDON): WallTime {
  const wall = instantMs + utcOffsetMinutes(instantMs, timeZone) * MS_PER_MINUTE;
  const day = Math.floor(wall / MS_PER_DAY);
  return { date: formatIsoDate(day), minutes: Math.floor((wall - day * MS_PER_DAY) / MS_PER_MINUTE) };
}

/** The calendar day (day number) of a UTC instant in the zone. */
export function zonedDayOf(instantMs: number, timeZone: string = LONDON): DayNumber {
  const wall = instantMs + utcOffsetMinutes(instantMs, timeZone) * MS_PER_MINUTE;
  return Math.floor(wall / MS_PER_DAY);
}

/** Parses `HH:MM` (00:00–24:00) to minutes after midnight; undefined when malformed. */
export function tryParseClockTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 1440 ? minutes : undefined;
}

/** Formats minutes after midnight as `HH:MM`. */
export function formatClockTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
}

/** An instant, to the minute, as ISO 8601 with the zone's offset, e.g. `2026-03-30T09:00:00+01:00`. */
export function formatZonedDateTime(instantMs: number, timeZone: string = LONDON): string {
  const offset = utcOffsetMinutes(instantMs, timeZone);
  const { date, minutes } = utcToWallTime(instantMs, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${formatClockTime(minutes)}:00${sign}${formatClockTime(abs)}`;
}

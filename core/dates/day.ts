/**
 * Calendar dates as integer day numbers (days since 1970-01-01), so rule arithmetic never builds a
 * `Date` object. Civil-date conversion uses Howard Hinnant's days-from-civil algorithm (proleptic
 * Gregorian calendar). Dates are Europe/London calendar dates (DESIGN.md §3.1).
 */
import type { IsoDate } from '../model';

/** Days since 1970-01-01; the unit every rule computes in. */
export type DayNumber = number;

/** A calendar date split into its parts; `month` is 1–12. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days from 1970-01-01 to the given civil date (month 1–12); no validation. */
export function daysFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function civilFromDays(dayNumber: DayNumber): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** True in Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return MONTH_LENGTHS[month - 1] ?? 0;
}

const ZERO = 48;

function digit(text: string, index: number): number {
  const d = text.charCodeAt(index) - ZERO;
  return d >= 0 && d <= 9 ? d : -1000000;
}

/** First day (day number) of each month from January 1900 to December 2199, for fast parsing. */
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
const MONTH_STARTS = (() => {
  const table = new Int32Array(TABLE_YEARS * 12 + 1);
  for (let i = 0; i <= TABLE_YEARS * 12; i += 1) {
    table[i] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1);
  }
  return table;
})();

/**
 * Parses `YYYY-MM-DD` to a day number, or returns `undefined` when the text is not a real
 * calendar date. Hand-rolled (no regex, no `Date`, a month table for 1900–2199) because it runs
 * once per conversation.
 */
export function tryParseIsoDate(text: string): DayNumber | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined;
  const index = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (index >= 0 && index < TABLE_YEARS * 12) {
    const first = MONTH_STARTS[index] as number;
    return day <= (MONTH_STARTS[index + 1] as number) - first ? first + day - 1 : undefined;
  }
  return day <= daysInMonth(year, month) ? daysFromCivil(year, month, day) : undefined;
}

/** Parses `YYYY-MM-DD` to a day number; throws a RangeError naming the bad text. */
export function parseIsoDate(text: string): DayNumber {
  const value = tryParseIsoDate(text);
  if (value === undefined) throw new RangeError(`"${text}" is not a calendar date in the form YYYY-MM-DD`);
  return value;
}

/** True when the text is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  return tryParseIsoDate(text) !== undefined;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Formats a day number as `YYYY-MM-DD` (years 0–9999). */
export function formatIsoDate(dayNumber: DayNumber): IsoDate {
  const { year, month, day } = civilFromDays(dayNumber);
  const y = year < 10 ? `000${year}` : year < 100 ? `00${year}` : year < 1000 ? `0${year}` : `${year}`;
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

/** Formats a day number, or returns `undefined` for `undefined`. */
export function formatOptionalIsoDate(dayNumber: DayNumber | undefined): IsoDate | undefined {
  return dayNumber === undefined ? undefined : formatIsoDate(dayNumber);
}

/**
 * Adds calendar months, clamping to the last day of the target month when the day does not exist
 * there (31 Aug + 6 months = 28/29 Feb; DESIGN.md §3.1 "calendar months").
 */
export function addMonths(dayNumber: DayNumber, months: number): DayNumber {
  const { year, month, day } = civilFromDays(dayNumber);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return daysFromCivil(targetYear, targetMonth, targetDay);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(dayNumber: DayNumber): number {
  // 1970-01-01 was a Thursday (ISO 4).
  const r = (((dayNumber + 3) % 7) + 7) % 7;
  return r + 1;
}

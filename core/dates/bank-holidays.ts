/**
 * England & Wales bank holidays 2024–2030 as data (GOV.UK list; substitute days included where
 * a holiday falls at a weekend). Skipped when proposing slots (DESIGN.md §4 "Schedule").
 * Organisations override or extend them through the policy's `calendar` section.
 */
import type { IsoDate } from '../model';
import { parseIsoDate, type DayNumber } from './day';

/**
 * Bank holidays by year as `MM-DD` lists, in order: New Year's Day, Good Friday, Easter Monday,
 * early May, spring, summer, Christmas Day, Boxing Day (substitute days where one falls at a weekend).
 */
const BY_YEAR: Readonly<Record<number, string>> = {
  2024: '01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26',
  2025: '01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26',
  2026: '01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28', // Boxing Day is a Saturday
  2027: '01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28', // Christmas Saturday, Boxing Day Sunday
  2028: '01-03 04-14 04-17 05-01 05-29 08-28 12-25 12-26', // New Year's Day is a Saturday
  2029: '01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26',
  2030: '01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26',
};

/** England & Wales bank holidays, 2024–2030 inclusive, as `YYYY-MM-DD`. */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly IsoDate[] = Object.freeze(
  Object.entries(BY_YEAR).flatMap(([year, days]) => days.split(' ').map((md) => `${year}-${md}`)),
);

/** Changes to a holiday list: dates to add (e.g. a one-off royal holiday) and dates to remove. */
export interface HolidayOverrides {
  readonly add?: readonly IsoDate[] | undefined;
  readonly remove?: readonly IsoDate[] | undefined;
}

/** A holiday set as day numbers: the base list (England & Wales by default) with overrides applied. */
export function holidaySet(
  base: readonly IsoDate[] = ENGLAND_AND_WALES_BANK_HOLIDAYS,
  overrides: HolidayOverrides = {},
): ReadonlySet<DayNumber> {
  const days = new Set<DayNumber>(base.map(parseIsoDate));
  for (const d of overrides.add ?? []) days.add(parseIsoDate(d));
  for (const d of overrides.remove ?? []) days.delete(parseIsoDate(d));
  return days;
}

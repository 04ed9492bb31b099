/**
 * Anniversaries of a date on day numbers (Career Conversations policy §2.5, §5.8: the career
 * conversation and the pay step are "in line with a colleague's incremental date"). The k-th
 * anniversary is always computed from the anchor itself — `addMonths(anchor, 12 * k)` — so a
 * 29 February anchor falls on 29 February in leap years and 28 February in the others, and never
 * drifts to the 28th for good. k may be negative (anniversaries before the anchor).
 */
import { addMonths, type DayNumber } from '../dates/day';

/** The k-th anniversary of `anchor` (k = 0 is the anchor; negative k are earlier years). */
export function anniversary(anchor: DayNumber, k: number): DayNumber {
  return addMonths(anchor, 12 * k);
}

/** The index k of the latest anniversary of `anchor` on or before `day`. */
export function anniversaryOnOrBefore(anchor: DayNumber, day: DayNumber): number {
  let k = Math.floor((day - anchor) / 365.2425);
  while (anniversary(anchor, k) > day) k -= 1;
  while (anniversary(anchor, k + 1) <= day) k += 1;
  return k;
}

/** The index k of the first anniversary of `anchor` on or after `day`. */
export function anniversaryOnOrAfter(anchor: DayNumber, day: DayNumber): number {
  const k = anniversaryOnOrBefore(anchor, day);
  return anniversary(anchor, k) === day ? k : k + 1;
}

/**
 * The index of the anniversary nearest `day`: the one a career conversation held that day counts
 * for, early or late. An exact tie half-way between two goes to the earlier one.
 */
export function nearestAnniversary(anchor: DayNumber, day: DayNumber): number {
  const k = anniversaryOnOrBefore(anchor, day);
  return day - anniversary(anchor, k) <= anniversary(anchor, k + 1) - day ? k : k + 1;
}

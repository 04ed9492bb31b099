/** A memo of formatted dates for hot paths: an organisation's dates repeat thousands of times. */
import type { IsoDate } from '../model';
import { formatIsoDate, type DayNumber } from './day';

const memo = new Map<DayNumber, IsoDate>();
const LIMIT = 100_000;

/** `formatIsoDate`, memoised (bounded: the memo is cleared when it grows past 100,000 dates). */
export function formatDay(day: DayNumber): IsoDate {
  let text = memo.get(day);
  if (text === undefined) {
    if (memo.size >= LIMIT) memo.clear();
    text = formatIsoDate(day);
    memo.set(day, text);
  }
  return text;
}

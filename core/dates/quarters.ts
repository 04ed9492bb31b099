/**
 * UK financial quarters: the year runs 1 April – 31 March, Q1 = April–June, labelled like
 * `2026/27 Q3` (DESIGN.md §3.1 "Quarters").
 */
import { civilFromDays, daysFromCivil, type DayNumber } from './day';

/** One financial quarter with its first and last day (both inclusive). */
export interface FinancialQuarter {
  /** Calendar year in which the financial year starts (2026 for `2026/27`). */
  readonly startYear: number;
  /** 1–4. */
  readonly quarter: 1 | 2 | 3 | 4;
  readonly firstDay: DayNumber;
  readonly lastDay: DayNumber;
  /** e.g. `2026/27 Q3`. */
  readonly label: string;
}

function toQuarterNumber(n: number): 1 | 2 | 3 | 4 {
  if (n === 1 || n === 2 || n === 3 || n === 4) return n;
  throw new RangeError(`quarter ${n} is not 1–4`);
}

/** The label of a financial year, e.g. `2026/27`. */
export function financialYearLabel(startYear: number): string {
  const next = (startYear + 1) % 100;
  return `${startYear}/${next < 10 ? `0${next}` : `${next}`}`;
}

/** The quarter `quarter` (1–4) of the financial year starting in April of `startYear`. */
export function financialQuarter(startYear: number, quarter: number): FinancialQuarter {
  const q = toQuarterNumber(quarter);
  // Q1 starts in April (month 4); each quarter is three months on.
  const firstMonthIndex = startYear * 12 + 3 + (q - 1) * 3;
  const y = Math.floor(firstMonthIndex / 12);
  const m = firstMonthIndex - y * 12 + 1;
  const nextIndex = firstMonthIndex + 3;
  const ny = Math.floor(nextIndex / 12);
  const nm = nextIndex - ny * 12 + 1;
  return {
    startYear,
    quarter: q,
    firstDay: daysFromCivil(y, m, 1),
    lastDay: daysFromCivil(ny, nm, 1) - 1,
    label: `${financialYearLabel(startYear)} Q${q}`,
  };
}

/** The financial quarter containing a day. */
export function financialQuarterOf(day: DayNumber): FinancialQuarter {
  const { year, month } = civilFromDays(day);
  const startYear = month >= 4 ? year : year - 1;
  const quarter = Math.floor(((month + 8) % 12) / 3) + 1;
  return financialQuarter(startYear, quarter);
}

/** The quarter after (offset 1) or before (offset −1) a quarter, or any whole number of quarters away. */
export function shiftQuarter(q: FinancialQuarter, offset: number): FinancialQuarter {
  const index = q.startYear * 4 + (q.quarter - 1) + offset;
  const startYear = Math.floor(index / 4);
  return financialQuarter(startYear, index - startYear * 4 + 1);
}

const LABEL = /^(\d{4})\/(\d{2}) Q([1-4])$/;

/** Parses a label like `2026/27 Q3`; returns undefined when it is not one (including `2026/28`). */
export function tryParseQuarterLabel(label: string): FinancialQuarter | undefined {
  const match = LABEL.exec(label.trim());
  if (!match) return undefined;
  const startYear = Number(match[1]);
  if (Number(match[2]) !== (startYear + 1) % 100) return undefined;
  return financialQuarter(startYear, Number(match[3]));
}

/** Parses a label like `2026/27 Q3`; throws a RangeError naming the bad text. */
export function parseQuarterLabel(label: string): FinancialQuarter {
  const q = tryParseQuarterLabel(label);
  if (!q) throw new RangeError(`"${label}" is not a financial quarter like 2026/27 Q3`);
  return q;
}

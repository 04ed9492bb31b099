/** How figures, dates and statuses read in the tab (en-GB). */
import { type Completion } from '../../core/tab-api';

/** A rate as a whole percentage (`75%`), or `—` when nobody is eligible. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** A completion's fraction in words: `9 of 12`. */
export function fraction(c: Completion): string {
  return `${c.numerator} of ${c.denominator}`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** A date as `3 Mar 2026`; `—` for none; the text as given when it is not a date. */
export function formatDate(value: string | null): string {
  if (value === null || value === '') return '—';
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** Sorting key for a date string (ISO dates sort as text); unknown dates last. */
export function dateKey(value: string): number {
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? -Infinity : time;
}

/** The statuses the API names (a ComplianceStatus id, or `unknown`). */
const STATUSES = new Set(['overdue', 'due-soon', 'on-track', 'induction', 'excluded']);

/** The CSS modifier for a status badge; unknown statuses look neutral. */
export function statusClass(status: string): string {
  return `badge badge--${STATUSES.has(status) ? status : 'unknown'}`;
}

/** `1 person` / `3 people`, and the like. */
export function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

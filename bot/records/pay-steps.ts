/**
 * Pay-step decisions as payroll and the HR committee read them (Career Conversations policy §5.8,
 * §8 "Payroll audits number of deferrals"): one row per decision with the date the increase
 * applies, and deferrals counted per financial quarter. Pure: people in, rows out.
 */
import { parseIsoDate } from '../../core/dates/day';
import { financialQuarterOf } from '../../core/dates/quarters';
import { type Employee, type IsoDate } from '../../core/model';

/** The columns of the payroll export, in order. */
export const PAY_STEP_COLUMNS = [
  'employee_id',
  'position_number',
  'name',
  'pay_step_date',
  'decision',
  'decided_on',
  'effective_from',
] as const;

/** One decision as payroll reads it; `effective_from` is empty while a deferral's plan is open. */
export type PayStepRow = Readonly<Record<(typeof PAY_STEP_COLUMNS)[number], string>>;

/**
 * Every decision whose pay-step date, decision day or effective date falls in [from, to] (either
 * end open), by pay-step date then employee id: payroll sees a deferral when it is made and again
 * when the increase applies.
 */
export function payStepRows(
  people: Iterable<Employee>,
  range: { readonly from?: IsoDate | undefined; readonly to?: IsoDate | undefined } = {},
): PayStepRow[] {
  const within = (day: IsoDate | undefined) =>
    day !== undefined &&
    (range.from === undefined || day >= range.from) &&
    (range.to === undefined || day <= range.to);
  const rows: PayStepRow[] = [];
  for (const e of people) {
    for (const d of e.payStepDecisions ?? []) {
      if (!within(d.forDate) && !within(d.decidedOn) && !within(d.effectiveFrom)) continue;
      rows.push({
        employee_id: e.id,
        position_number: e.positionNumber,
        name: e.name,
        pay_step_date: d.forDate,
        decision: d.decision,
        decided_on: d.decidedOn,
        effective_from: d.effectiveFrom ?? '',
      });
    }
  }
  return rows.sort((a, b) =>
    a.pay_step_date !== b.pay_step_date
      ? a.pay_step_date < b.pay_step_date
        ? -1
        : 1
      : a.employee_id < b.employee_id
        ? -1
        : a.employee_id > b.employee_id
          ? 1
          : 0,
  );
}

/** Deferrals by the financial quarter they were decided in (`2026/27 Q3` → count), oldest first. */
export function deferralsByQuarter(rows: readonly PayStepRow[]): [string, number][] {
  const counts = new Map<string, { first: number; n: number }>();
  for (const r of rows) {
    if (r.decision !== 'deferred') continue;
    const q = financialQuarterOf(parseIsoDate(r.decided_on));
    const c = counts.get(q.label) ?? { first: q.firstDay, n: 0 };
    c.n += 1;
    counts.set(q.label, c);
  }
  return [...counts].sort((a, b) => a[1].first - b[1].first).map(([label, c]) => [label, c.n]);
}

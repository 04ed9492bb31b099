/**
 * Pay-step readiness and decisions (Career Conversations policy §5.8, §8 "Payroll audits number of
 * deferrals"): the readiness the bot's Pay step card and the tab's checks both show, computed once
 * here from the person's records; the short summary My team shows from the person's status row
 * alone; and the decisions as payroll and the HR committee read them — one row per decision with
 * the date the increase applies, and deferrals counted per financial quarter.
 */
import { evaluateEmployee } from '../../core/compliance/evaluate';
import { type ReportsSummary, assessPayStep } from '../../core/compliance/pay-step';
import { type PayStepReadiness } from '../../core/compliance/types';
import { parseIsoDate, tryParseIsoDate } from '../../core/dates/day';
import { financialQuarterOf } from '../../core/dates/quarters';
import { type Employee, type IsoDate } from '../../core/model';
import { type Clock, type ConversationRepository, type StatusIndex } from '../../core/ports';
import { type Policy } from '../../core/policy/schema';

/** What {@link readinessOf} reads: the person's records and their direct reports' status rows. */
export interface ReadinessDeps {
  readonly records: {
    readonly conversations: Pick<ConversationRepository, 'listForEmployee'>;
    readonly team: Pick<StatusIndex, 'team'>;
  };
  readonly policy: Policy;
  readonly clock: Clock;
}

/** The statuses in the compliance population (check V counts reports in it). */
const IN_POPULATION = new Set(['on-track', 'due-soon', 'overdue']);

/**
 * The readiness at the pay-step date the engine considers today (CC §5.8), from the person's own
 * records and, for check V, the status of their direct reports as the status index holds it: two
 * partition reads. Undefined when the policy has no pay steps or no date can be found.
 */
export async function readinessOf(
  deps: ReadinessDeps,
  employee: Employee,
): Promise<PayStepReadiness | undefined> {
  if (deps.policy.payStep === undefined) return undefined;
  const [records, reports] = await Promise.all([
    deps.records.conversations.listForEmployee(employee.id),
    deps.records.team.team(employee.id),
  ]);
  let required = 0;
  let compliant = 0;
  for (const row of reports) {
    const status = row.evaluation?.status;
    if (status === undefined || !IN_POPULATION.has(status)) continue;
    required += 1;
    if (row.evaluation?.compliant === true) compliant += 1;
  }
  const summary: ReportsSummary = { total: reports.length, required, compliant };
  const evaluation = evaluateEmployee(
    deps.policy,
    employee,
    records.map((r) => r.value),
    deps.clock.today(),
    { reports: summary },
  );
  return evaluation.payStep;
}

/**
 * Where a person's pay step stands on My team: `decision-due` from `showFromDays` before the date
 * until a decision is recorded; `progressed`; `deferred-plan-open` while a deferral's support plan
 * is open; `deferred` once that plan is completed.
 */
export type PayStepState = 'decision-due' | 'progressed' | 'deferred-plan-open' | 'deferred';

/** A person's pay step as My team shows it, before anyone asks for the checks. */
export interface PayStepSummary {
  /** The pay-step date the engine considers today, or the date of the deferral whose plan is open. */
  readonly date: IsoDate;
  readonly dateSource: PayStepReadiness['dateSource'];
  /** date − today in days: negative once the date has passed. */
  readonly daysToDate: number;
  readonly state: PayStepState;
}

/**
 * The pay-step summary of one person at `today`, from the person alone (their HR dates and
 * recorded decisions, as their status row holds them; no conversation is read): the date is the
 * one {@link readinessOf} would assess, found by the same engine (CC §5.8). Undefined when the
 * policy has no pay steps, no date can be found, or nothing is due or open: before the readiness
 * window opens with no decision recorded for the date and no support plan open.
 */
export function payStepSummary(
  policy: Policy,
  employee: Employee,
  today: IsoDate,
): PayStepSummary | undefined {
  const startDay = tryParseIsoDate(employee.startDate);
  if (policy.payStep === undefined || startDay === undefined) return undefined;
  // The checks are not read here (they need the records): only the date and the decisions.
  const at = assessPayStep(policy, employee, startDay, parseIsoDate(today), [], undefined);
  if (at === undefined) return undefined;
  const open = at.deferral?.open;
  const base = { date: at.date, dateSource: at.dateSource, daysToDate: at.daysToDate };
  if (at.awaitingDecision) return { ...base, state: 'decision-due' };
  if (at.decision?.decision === 'progressed') return { ...base, state: 'progressed' };
  if (at.decision?.decision === 'deferred')
    return { ...base, state: at.decision.effectiveFrom === undefined ? 'deferred-plan-open' : 'deferred' };
  if (open === undefined) return undefined;
  const days = parseIsoDate(open.forDate) - parseIsoDate(today);
  return { date: open.forDate, dateSource: at.dateSource, daysToDate: days, state: 'deferred-plan-open' };
}

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

/**
 * Deferrals by the financial quarter of their pay-step date (`2026/27 Q3` → count), oldest first:
 * the last decision for each person and date counts, as in the Organisation view's figure (the
 * roll-ups' `payStepDeferrals`), so the two never disagree.
 */
export function deferralsByQuarter(rows: readonly PayStepRow[]): [string, number][] {
  const last = new Map<string, PayStepRow>();
  for (const r of rows) {
    const key = `${r.employee_id}|${r.pay_step_date}`;
    const kept = last.get(key);
    if (kept === undefined || r.decided_on >= kept.decided_on) last.set(key, r);
  }
  const counts = new Map<string, { first: number; n: number }>();
  for (const r of last.values()) {
    if (r.decision !== 'deferred') continue;
    const q = financialQuarterOf(parseIsoDate(r.pay_step_date));
    const c = counts.get(q.label) ?? { first: q.firstDay, n: 0 };
    c.n += 1;
    counts.set(q.label, c);
  }
  return [...counts].sort((a, b) => a[1].first - b[1].first).map(([label, c]) => [label, c.n]);
}

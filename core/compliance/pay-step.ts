/**
 * NHS pay-step readiness and appeal deadlines (Career Conversations policy §5.8, §5.10;
 * DESIGN.md §3.2). Each check carries its outcome, a plain reason and the clause it comes from.
 */
import { addMonths, formatIsoDate, parseIsoDate, tryParseIsoDate, type DayNumber } from '../dates/day';
import type { Employee, IsoDate, PayStepDecision } from '../model';
import type { PayStepCheckRule, Policy } from '../policy/schema';
import { anniversary, anniversaryOnOrAfter, anniversaryOnOrBefore } from './anniversary';
import type { CheckOutcome, PayStepCheck, PayStepDeferral, PayStepReadiness } from './types';

/** Direct reports of a line manager as check V needs them. */
export interface ReportsSummary {
  /** Direct reports for whom a career conversation is required (in the compliance population). */
  readonly required: number;
  /** Of those, how many are compliant. */
  readonly compliant: number;
  /** Direct reports of any status; 0 means the person is not a line manager. */
  readonly total: number;
}

/** The next anniversary of `anchor` on or after `atDay` (29 Feb clamps to 28 Feb in other years). */
export function nextAnniversary(anchor: DayNumber, atDay: DayNumber): DayNumber {
  if (anchor >= atDay) return anchor;
  return anniversary(anchor, anniversaryOnOrAfter(anchor, atDay));
}

function flagCheck(
  value: boolean | undefined,
  good: boolean,
  whenGood: string,
  whenBad: string,
): [CheckOutcome, string] {
  if (value === undefined) return ['unknown', 'not recorded in the HR import'];
  return value === good ? ['met', whenGood] : ['not-met', whenBad];
}

function assessCheck(
  rule: PayStepCheckRule,
  policy: Policy,
  employee: Employee,
  payStepDay: DayNumber,
  careerHeld: readonly { day: DayNumber; objectivesMet: boolean | undefined }[],
  reports: ReportsSummary | undefined,
): [CheckOutcome, string] {
  switch (rule.kind) {
    case 'career-conversation-objectives-met': {
      // CC §5.8 (I): held within the 12 months before the pay-step date (on or before it: a date
      // already passed is judged on what was held by then), outcomes in line with objectives.
      const months = policy.payStep?.lookBackMonths ?? 12;
      const from = addMonths(payStepDay, -months) + 1;
      let latest: { day: DayNumber; objectivesMet: boolean | undefined } | undefined;
      for (const c of careerHeld)
        if (c.day >= from && c.day <= payStepDay && (!latest || c.day > latest.day)) latest = c;
      if (!latest) {
        return ['not-met', `no career conversation held since ${formatIsoDate(from)}`];
      }
      const on = formatIsoDate(latest.day);
      if (latest.objectivesMet === undefined)
        return ['unknown', `career conversation on ${on}: outcome not recorded`];
      return latest.objectivesMet
        ? ['met', `career conversation on ${on}: objectives and values met`]
        : ['not-met', `career conversation on ${on}: objectives or values not met`];
    }
    case 'no-capability-process':
      return flagCheck(
        employee.capabilityProcess,
        false,
        'no formal capability process',
        'a formal capability process is in place',
      );
    case 'no-live-disciplinary':
      return flagCheck(
        employee.disciplinaryLive,
        false,
        'no live disciplinary sanction',
        'a disciplinary sanction is live',
      );
    case 'mandatory-training-complete':
      return flagCheck(
        employee.mandatoryTrainingComplete,
        true,
        'statutory and mandatory training complete',
        'statutory or mandatory training outstanding',
      );
    case 'reports-career-conversations-complete': {
      // CC §5.8 (V): line managers only; their reports who need one have had it.
      if (!reports) return ['unknown', 'direct reports not known'];
      if (reports.total === 0) return ['not-applicable', 'not a line manager'];
      const missing = reports.required - reports.compliant;
      return missing <= 0
        ? ['met', `career conversations complete for all ${reports.required} reports who need one`]
        : [
            'not-met',
            `${missing} of ${reports.required} reports without a career conversation in the last 12 months`,
          ];
    }
  }
}

/** The last decision recorded for a pay-step date, if any. */
function decisionFor(decisions: readonly PayStepDecision[], date: IsoDate): PayStepDecision | undefined {
  for (let k = decisions.length - 1; k >= 0; k -= 1) {
    const d = decisions[k] as PayStepDecision;
    if (d.forDate === date) return d;
  }
  return undefined;
}

/** The latest deferral (by decision day) whose support plan is still open: no `effectiveFrom` yet. */
function openDeferral(decisions: readonly PayStepDecision[]): PayStepDecision | undefined {
  let open: PayStepDecision | undefined;
  for (const d of decisions) {
    if (d.decision !== 'deferred' || d.effectiveFrom !== undefined) continue;
    if (open === undefined || d.decidedOn >= open.decidedOn) open = d;
  }
  return open;
}

/**
 * The pay-step date considered at D (CC §5.8): pay-step dates are the anniversaries of the HR
 * pay-step date (else of the start date) after the start date. The latest one on or before D stays
 * considered while no decision is recorded for it — the decision does not vanish the day after the
 * date — until the next date's readiness window opens (`showFromDays` before it); otherwise the next
 * one on or after D (which is D itself on the day).
 */
export function consideredPayStepDay(
  anchor: DayNumber,
  startDay: DayNumber,
  atDay: DayNumber,
  showFromDays: number,
  decisions: readonly PayStepDecision[],
): DayNumber {
  const first = anniversaryOnOrBefore(anchor, startDay) + 1;
  const past = anniversaryOnOrBefore(anchor, atDay);
  const next = Math.max(first, anniversaryOnOrAfter(anchor, atDay));
  const nextDay = anniversary(anchor, next);
  if (past >= first && atDay < nextDay - showFromDays) {
    const pastDay = anniversary(anchor, past);
    if (decisionFor(decisions, formatIsoDate(pastDay)) === undefined) return pastDay;
  }
  return nextDay;
}

/**
 * Pay-step readiness at the pay-step date considered at D ({@link consideredPayStepDay}), with the
 * facts known at D (CC §5.8). Undefined when the policy has no pay-step section or no date can be
 * found.
 */
export function assessPayStep(
  policy: Policy,
  employee: Employee,
  startDay: DayNumber,
  atDay: DayNumber,
  careerHeld: readonly { day: DayNumber; objectivesMet: boolean | undefined }[],
  reports: ReportsSummary | undefined,
): PayStepReadiness | undefined {
  const rule = policy.payStep;
  if (!rule) return undefined;
  const recorded =
    employee.payStepDate === undefined || employee.payStepDate === ''
      ? undefined
      : tryParseIsoDate(employee.payStepDate);
  if (recorded === undefined && !rule.fallbackToStartDate) return undefined;
  // Without an HR date, the start date's anniversaries (the first is start + 12 months).
  const anchor = recorded ?? startDay;
  const decisions = employee.payStepDecisions ?? [];
  const payStepDay = consideredPayStepDay(anchor, startDay, atDay, rule.showFromDays, decisions);
  const date = formatIsoDate(payStepDay);
  const decision = decisionFor(decisions, date);
  const checks: PayStepCheck[] = rule.checks.map((check) => {
    const [outcome, reason] = assessCheck(check, policy, employee, payStepDay, careerHeld, reports);
    return { id: check.id, kind: check.kind, label: check.label, outcome, reason, source: check.source };
  });
  const readiness = checks.some((c) => c.outcome === 'not-met')
    ? 'not-ready'
    : checks.some((c) => c.outcome === 'unknown')
      ? 'unconfirmed'
      : 'ready';
  const open = openDeferral(decisions);
  const deferral: PayStepDeferral | undefined =
    readiness === 'not-ready' || open !== undefined
      ? {
          supportPlanRequired: rule.deferral.supportPlanRequired,
          backdated: rule.deferral.backdated,
          ...(open !== undefined ? { open } : {}),
        }
      : undefined;
  return {
    date,
    dateSource: recorded === undefined ? 'start-date' : 'pay-step-date',
    daysToDate: payStepDay - atDay,
    awaitingDecision: decision === undefined && atDay >= payStepDay - rule.showFromDays,
    ...(decision !== undefined ? { decision } : {}),
    readiness,
    checks,
    deferral,
  };
}

/** Deadlines of an appeal against a career conversation (CC §5.10). */
export interface AppealDeadlines {
  /** Last day the colleague may appeal in writing: conversation date + 14 calendar days. */
  readonly appealBy: IsoDate;
  /** When an appeal was received: whether in time, and the acknowledgement deadline (+7 days). */
  readonly received?:
    { readonly on: IsoDate; readonly inTime: boolean; readonly acknowledgeBy: IsoDate } | undefined;
}

/** Appeal and acknowledgement deadlines for a career conversation (CC §5.10); throws without an appeal section. */
export function appealDeadlines(
  policy: Policy,
  conversationDate: IsoDate,
  receivedOn?: IsoDate,
): AppealDeadlines {
  const rule = policy.appeal;
  if (!rule) throw new RangeError(`policy ${policy.id} has no appeal section`);
  const appealBy = parseIsoDate(conversationDate) + rule.windowDays;
  if (receivedOn === undefined) return { appealBy: formatIsoDate(appealBy) };
  const received = parseIsoDate(receivedOn);
  return {
    appealBy: formatIsoDate(appealBy),
    received: {
      on: receivedOn,
      inTime: received <= appealBy,
      acknowledgeBy: formatIsoDate(received + rule.acknowledgeDays),
    },
  };
}

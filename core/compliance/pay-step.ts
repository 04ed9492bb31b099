/**
 * NHS pay-step readiness and appeal deadlines (Career Conversations policy §5.8, §5.10;
 * DESIGN.md §3.2). Each check carries its outcome, a plain reason and the clause it comes from.
 */
import { addMonths, formatIsoDate, parseIsoDate, tryParseIsoDate, type DayNumber } from '../dates/day';
import type { Employee, IsoDate } from '../model';
import type { PayStepCheckRule, Policy } from '../policy/schema';
import type { CheckOutcome, PayStepCheck, PayStepReadiness } from './types';

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
  let years = Math.max(0, Math.floor((atDay - anchor) / 366));
  let day = addMonths(anchor, 12 * years);
  while (day < atDay) {
    years += 1;
    day = addMonths(anchor, 12 * years);
  }
  return day;
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
      // CC §5.8 (I): held within the 12 months before the pay-step date, outcomes in line with objectives.
      const months = policy.payStep?.lookBackMonths ?? 12;
      const from = addMonths(payStepDay, -months) + 1;
      let latest: { day: DayNumber; objectivesMet: boolean | undefined } | undefined;
      for (const c of careerHeld) if (c.day >= from && (!latest || c.day > latest.day)) latest = c;
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

/**
 * Pay-step readiness at the next pay-step date on or after D, with the facts known at D
 * (CC §5.8). Undefined when the policy has no pay-step section or no date can be found.
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
  const anchor = recorded ?? addMonths(startDay, 12);
  const payStepDay = nextAnniversary(anchor, atDay);
  const checks: PayStepCheck[] = rule.checks.map((check) => {
    const [outcome, reason] = assessCheck(check, policy, employee, payStepDay, careerHeld, reports);
    return { id: check.id, kind: check.kind, label: check.label, outcome, reason, source: check.source };
  });
  const readiness = checks.some((c) => c.outcome === 'not-met')
    ? 'not-ready'
    : checks.some((c) => c.outcome === 'unknown')
      ? 'unconfirmed'
      : 'ready';
  return {
    date: formatIsoDate(payStepDay),
    dateSource: recorded === undefined ? 'start-date' : 'pay-step-date',
    readiness,
    checks,
    deferral:
      readiness === 'not-ready'
        ? { supportPlanRequired: rule.deferral.supportPlanRequired, backdated: rule.deferral.backdated }
        : undefined,
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

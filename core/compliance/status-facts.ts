/**
 * The status index's facts: a compact summary of one person's conversations from which their
 * evaluation at any date in the coming months, and their share of every quarter's figures, can be
 * recomputed without reading their conversations again (DESIGN.md §5: the status index serves
 * "my team"; a daily refresh re-evaluates statuses that change with time alone). Pure.
 */
import { addMonths, formatIsoDate, parseIsoDate } from '../dates/day';
import { financialQuarterOf, shiftQuarter, type FinancialQuarter } from '../dates/quarters';
import type { ConversationFacts, Employee, IsoDate } from '../model';
import type { Policy } from '../policy/schema';
import { evaluateOrganisation } from './organisation';
import { evaluateEmployee } from './evaluate';
import type { EmployeeEvaluation } from './types';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '../policy/schema';
import { groupFigures } from '../org/rollup';

/**
 * A held (completed) conversation as the facts keep it: date, type, objectives met (NHS check I),
 * and the due dates of the actions its record left open — never any text.
 */
export type HeldEntry = readonly [
  date: IsoDate,
  type: string,
  objectivesMet: boolean | null,
  openDue: readonly IsoDate[] | null,
];

/** Everything the rules need of one person's conversations. */
export interface StatusFacts {
  /** Completed conversations in the last {@link FACTS_HISTORY_MONTHS} months and the latest of each type, by date. */
  readonly held: readonly HeldEntry[];
}

/**
 * How far back the facts keep every conversation: the eight quarters roll-ups show (24 months)
 * plus the 12-month rolling window measured at the oldest quarter's end.
 */
export const FACTS_HISTORY_MONTHS = 36;

/** Quarters of roll-up figures kept: the current one and the seven before it (a two-year trend). */
export const ROLLUP_QUARTERS = 8;

/** Summarises one person's conversations (completed ones only; scheduled and cancelled never count). */
export function statusFacts(conversations: readonly ConversationFacts[], at: IsoDate): StatusFacts {
  const cutoff = formatIsoDate(addMonths(parseIsoDate(at), -FACTS_HISTORY_MONTHS));
  const completed = conversations
    .filter((c) => c.status === 'completed')
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  const latestOfType = new Map<string, ConversationFacts>();
  const latestWithActions = completed.filter((c) => c.actions !== undefined && c.date <= at).at(-1);
  for (const c of completed) latestOfType.set(c.type, c);
  const kept = completed.filter(
    (c) => c.date >= cutoff || latestOfType.get(c.type) === c || c === latestWithActions,
  );
  return {
    held: kept.map((c) => [
      c.date,
      c.type,
      c.objectivesMet ?? null,
      c.actions === undefined ? null : c.actions.filter((a) => !a.done).map((a) => a.dueDate),
    ]),
  };
}

/** The conversations the facts stand for, as the rules read them (no text, no ids of substance). */
export function conversationsFromFacts(employeeId: string, facts: StatusFacts): ConversationFacts[] {
  return facts.held.map(([date, type, objectivesMet, openDue], i) => ({
    id: `held-${i}`,
    employeeId,
    type,
    date,
    managerId: '',
    status: 'completed',
    objectivesMet: objectivesMet ?? undefined,
    actions:
      openDue === null
        ? undefined
        : openDue.map((dueDate, k) => ({ id: `a-${i}-${k}`, text: '', owner: '', dueDate, done: false })),
  }));
}

/** The person's evaluation at `at`, exactly as the policy engine gives it from their full history. */
export function evaluateFromFacts(
  policy: Policy,
  employee: Employee,
  facts: StatusFacts,
  at: IsoDate,
): EmployeeEvaluation {
  return evaluateEmployee(policy, employee, conversationsFromFacts(employee.id, facts), at);
}

/** One person's (or, summed, a subtree's) figures for one quarter — what a roll-up row stores. */
export interface RollupFigures {
  /** Quarterly completion: eligible on the first day and in post at the end; and of those, held one in it. */
  qEligible: number;
  qCompleted: number;
  /** Rolling completion at the quarter's end (at D while in progress). */
  rEligible: number;
  rCompliant: number;
  headcount: number;
  onTrack: number;
  dueSoon: number;
  overdue: number;
  induction: number;
  excluded: number;
  left: number;
  /** Recorded pay-step deferrals whose pay-step date is in the quarter (NHS, CC §8); 0 without pay steps. */
  payStepDeferrals: number;
}

const STATUS_FIELD: Readonly<Record<ComplianceStatus, keyof RollupFigures>> = {
  'on-track': 'onTrack',
  'due-soon': 'dueSoon',
  overdue: 'overdue',
  induction: 'induction',
  excluded: 'excluded',
  left: 'left',
};

/** The names of every figure, in a fixed order. */
export const ROLLUP_FIGURES: readonly (keyof RollupFigures)[] = [
  'qEligible',
  'qCompleted',
  'rEligible',
  'rCompliant',
  'headcount',
  ...COMPLIANCE_STATUSES.map((s) => STATUS_FIELD[s]),
  'payStepDeferrals',
];

/** All zeros. */
export function emptyFigures(): RollupFigures {
  return {
    qEligible: 0,
    qCompleted: 0,
    rEligible: 0,
    rCompliant: 0,
    headcount: 0,
    onTrack: 0,
    dueSoon: 0,
    overdue: 0,
    induction: 0,
    excluded: 0,
    left: 0,
    payStepDeferrals: 0,
  };
}

/** The quarters roll-ups keep at `at`, oldest first, ending with the one containing `at`. */
export function rollupQuarters(at: IsoDate): FinancialQuarter[] {
  const current = financialQuarterOf(parseIsoDate(at));
  return Array.from({ length: ROLLUP_QUARTERS }, (_, k) => shiftQuarter(current, k - ROLLUP_QUARTERS + 1));
}

/** The day a quarter's figures are measured on: its last day, or `at` while it is in progress. */
export function quarterAsOf(q: FinancialQuarter, at: IsoDate): IsoDate {
  const atDay = parseIsoDate(at);
  return formatIsoDate(q.lastDay < atDay ? q.lastDay : atDay);
}

/**
 * One person's share of each quarter's figures, measured as the policy engine measures a whole
 * organisation (core/org/rollup.ts) — so the sum over a subtree is that subtree's roll-up.
 */
export function contributions(
  policy: Policy,
  employee: Employee,
  facts: StatusFacts,
  quarters: readonly FinancialQuarter[],
  at: IsoDate,
): RollupFigures[] {
  return groupContributions(policy, [{ employee, facts }], quarters, at);
}

/**
 * A group's figures for each quarter, its members measured together (each as their own root): the
 * sum of their {@link contributions}, in one evaluation per quarter instead of one per person.
 */
export function groupContributions(
  policy: Policy,
  members: readonly { readonly employee: Employee; readonly facts: StatusFacts }[],
  quarters: readonly FinancialQuarter[],
  at: IsoDate,
): RollupFigures[] {
  const alone = members.map((m): Employee => ({ ...m.employee, managerId: undefined }));
  const conversations = members.flatMap((m) => conversationsFromFacts(m.employee.id, m.facts));
  return quarters.map((q) => {
    const org = evaluateOrganisation(policy, alone, conversations, quarterAsOf(q, at), { actions: false });
    return toRollupFigures(groupFigures(org, undefined, q));
  });
}

/** Converts the policy engine's group figures to a roll-up row's figures. */
export function toRollupFigures(g: ReturnType<typeof groupFigures>): RollupFigures {
  const f = emptyFigures();
  f.qEligible = g.quarterly.eligible;
  f.qCompleted = g.quarterly.completed;
  f.rEligible = g.rolling.eligible;
  f.rCompliant = g.rolling.completed;
  f.headcount = g.headcount;
  f.payStepDeferrals = g.payStepDeferrals;
  for (const s of COMPLIANCE_STATUSES) f[STATUS_FIELD[s]] = g.counts[s];
  return f;
}

/** `after − before`, figure by figure; undefined when nothing changed. */
export function figuresDelta(before: RollupFigures, after: RollupFigures): RollupFigures | undefined {
  const d = emptyFigures();
  let changed = false;
  for (const k of ROLLUP_FIGURES) {
    d[k] = after[k] - before[k];
    if (d[k] !== 0) changed = true;
  }
  return changed ? d : undefined;
}

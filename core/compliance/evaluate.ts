/**
 * Per-employee evaluation at date D, exactly as DESIGN.md §3.1 defines it, plus the NHS extras of
 * §3.2 when the policy has them. Written for 100,000 employees with 1.2 million conversations in
 * well under half a second: dates are day numbers, each conversation is read once, no `Date`s.
 */
import { addMonths, formatIsoDate, parseIsoDate, tryParseIsoDate, type DayNumber } from '../dates/day';
import { formatDay } from '../dates/format-cache';
import type { ConversationAction, ConversationFacts, Employee, EmployeeId, IsoDate } from '../model';
import type { ComplianceStatus, Policy } from '../policy/schema';
import { compileRules, normaliseStaffGroup, type CompiledRules } from './rules';
import { anniversary, anniversaryOnOrAfter, nearestAnniversary } from './anniversary';
import { assessPayStep, type ReportsSummary } from './pay-step';
import type {
  AppealWindow,
  EmployeeEvaluation,
  InductionMeetingDue,
  OpenAction,
  SupervisionDue,
} from './types';

const NO_DAY = Number.NEGATIVE_INFINITY;

/** A held career conversation as pay-step check I reads it. */
export interface HeldCareerConversation {
  readonly day: DayNumber;
  readonly objectivesMet: boolean | undefined;
}

/**
 * Where one employee's conversations are: `list[order[k]]` for k in [from, to) when `order` is
 * given (grouped by the organisation evaluator), else `list[k]`.
 */
export interface ConversationSlice {
  readonly list: readonly ConversationFacts[];
  readonly order?: Int32Array | undefined;
  readonly from: number;
  readonly to: number;
}

/**
 * Working space reused across the employees of one run, so the hot loop allocates almost nothing:
 * held-day numbers are appended to `days`.
 */
export interface HeldDaysBuffer {
  days: Int32Array;
  length: number;
}

/** A fresh buffer sized for `conversations` held days. */
export function createHeldDaysBuffer(conversations: number): HeldDaysBuffer {
  return {
    days: new Int32Array(Math.max(16, conversations)),
    length: 0,
  };
}

/** The day-number facts behind one evaluation, kept for roll-ups without re-reading dates. */
export interface EvaluationFacts {
  readonly startDay: DayNumber;
  /** Infinity when no leave date. */
  readonly leaveDay: DayNumber;
  readonly eligibleFromDay: DayNumber;
  readonly excluded: boolean;
  /** Held counted conversations (completed, on or before D) appended to the buffer, ascending. */
  readonly heldCount: number;
  /** Held career conversations (NHS) for pay-step check I; empty otherwise. */
  readonly careerHeld: readonly HeldCareerConversation[];
}

/** An evaluation with the facts it was computed from. */
export interface EvaluatedEmployee {
  readonly evaluation: EmployeeEvaluation;
  readonly facts: EvaluationFacts;
}

const NO_CAREER: readonly HeldCareerConversation[] = Object.freeze([]);
const NO_COUNTS: readonly [number, number] = Object.freeze([0, 0] as const);

function pushHeld(buffer: HeldDaysBuffer, day: DayNumber): void {
  if (buffer.length === buffer.days.length) {
    const bigger = new Int32Array(Math.max(16, buffer.days.length * 2));
    bigger.set(buffer.days);
    buffer.days = bigger;
  }
  buffer.days[buffer.length] = day;
  buffer.length += 1;
}

function parseConversationDate(c: ConversationFacts): DayNumber {
  const day = tryParseIsoDate(c.date);
  if (day === undefined) {
    throw new RangeError(`conversation ${c.id}: date "${c.date}" is not a calendar date YYYY-MM-DD`);
  }
  return day;
}

function parseEmployeeDate(e: Employee, field: string, value: string): DayNumber {
  const day = tryParseIsoDate(value);
  if (day === undefined)
    throw new RangeError(`employee ${e.id}: ${field} "${value}" is not a calendar date YYYY-MM-DD`);
  return day;
}

/**
 * True when the employee is outside the policy: their staff group is excluded (DESIGN.md §3.1
 * "excluded"), or they are out of its scope (DESIGN.md §3 "People outside the policy's scope …
 * are in no population, figure or list"; see {@link withScopeDefaults}).
 */
export function isExcluded(rules: CompiledRules, employee: Employee): boolean {
  if (employee.outOfScope === true) return true;
  return rules.excludedGroups.size > 0 && rules.excludedGroups.has(normaliseStaffGroup(employee.staffGroup));
}

/**
 * People with the policy's default scope filled in where HR recorded none: with
 * `topOfTreeOutOfScope`, the top of the tree — a person with no manager whom someone reports to
 * (the Chief Executive) — is out of scope. A person with no manager and no reports (a manager id
 * HR did not send) stays in scope, so a flat list is evaluated as it is. `reporting` is whoever
 * else may report to these people (the rest of the directory). Returns the same objects where
 * nothing changes.
 */
export function withScopeDefaults(
  policy: Policy,
  people: readonly Employee[],
  reporting: Iterable<Employee> = [],
): Employee[] {
  if (!policy.compliance.topOfTreeOutOfScope) return [...people];
  const managers = new Set<EmployeeId>();
  for (const e of people) if (e.managerId !== undefined) managers.add(e.managerId);
  for (const e of reporting) if (e.managerId !== undefined) managers.add(e.managerId);
  return people.map((e) =>
    e.outOfScope === undefined && (e.managerId ?? '') === '' && managers.has(e.id)
      ? { ...e, outOfScope: true }
      : e,
  );
}

/**
 * Open and overdue actions at D. The latest held conversation whose record lists actions is the
 * open set: actions are "carried forward and reviewed at the next conversation" (DESIGN.md §3.1),
 * so each record repeats the actions still open, with those closed at that review marked done. A
 * record that lists no actions at all (`undefined`, e.g. imported from HR) does not override.
 */
function countOpenActions(actions: readonly ConversationAction[], at: IsoDate): [number, number] {
  let open = 0;
  let overdue = 0;
  for (let a = 0; a < actions.length; a += 1) {
    const action = actions[a] as ConversationAction;
    if (action.done) continue;
    open += 1;
    if (action.dueDate < at) overdue += 1;
  }
  return [open, overdue];
}

/**
 * The open actions of one person at D, soonest due first: the not-done actions of the latest held
 * conversation whose record lists actions (see {@link countOpenActions}). Only held conversations
 * (completed, on or before D) are read; pass one person's conversations.
 */
export function openActions(conversations: readonly ConversationFacts[], at: IsoDate): OpenAction[] {
  const atDay = parseIsoDate(at);
  let latest: ConversationFacts | undefined;
  for (const c of conversations) {
    if (c.status !== 'completed' || c.actions === undefined || parseConversationDate(c) > atDay) continue;
    if (latest === undefined || c.date >= latest.date) latest = c;
  }
  const open: OpenAction[] = (latest?.actions ?? [])
    .filter((action) => !action.done)
    .map((action) => ({
      id: action.id,
      text: action.text,
      owner: action.owner,
      dueDate: action.dueDate,
      overdue: action.dueDate < at,
      conversationId: latest!.id,
    }));
  return open.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/**
 * Evaluates one employee from their own conversations (the slice must hold only theirs). Held
 * counted days are appended to `held`. `reports` feeds NHS pay-step check V; `'later'` skips the
 * pay-step assessment for a caller that fills it in once all reports are known. `countActions`
 * false leaves the open-action counts out (org-wide roll-ups do not need them).
 */
export function evaluateWithFacts(
  rules: CompiledRules,
  employee: Employee,
  conversations: ConversationSlice,
  atDay: DayNumber,
  at: IsoDate,
  held: HeldDaysBuffer,
  reports: ReportsSummary | 'later' | undefined,
  countActions = true,
): EvaluatedEmployee {
  const policy = rules.policy;
  const startDay = parseEmployeeDate(employee, 'startDate', employee.startDate);
  const leaveDay =
    employee.leaveDate === undefined || employee.leaveDate === ''
      ? Number.POSITIVE_INFINITY
      : parseEmployeeDate(employee, 'leaveDate', employee.leaveDate);
  // DESIGN.md §3.1: eligibleFrom = startDate + N calendar months; window = (D − 12 months, D].
  const eligibleFromDay = addMonths(startDay, rules.eligibleAfterMonths);
  const windowFirst = addMonths(atDay, -rules.windowMonths) + 1;

  const supervisionType = policy.supervision?.typeId;
  const inductionType = policy.inductionMeeting?.typeId;
  const careerType = policy.payStep?.careerTypeId ?? policy.appeal?.typeId;

  let lastHeld = NO_DAY;
  let held12m = 0;
  const heldFrom = held.length;
  let sorted = true;
  let lastSupervision = NO_DAY;
  let inductionHeld = Number.POSITIVE_INFINITY;
  let careerHeld: HeldCareerConversation[] | undefined;
  let latestActions: readonly ConversationAction[] | undefined;
  let latestActionsDay = NO_DAY;

  const { list, order, from: sliceFrom, to: sliceTo } = conversations;
  for (let k = sliceFrom; k < sliceTo; k += 1) {
    const c = list[order ? (order[k] as number) : k] as ConversationFacts;
    // DESIGN.md §3.1: only completed conversations dated on or before D are "held".
    if (c.status !== 'completed') continue;
    const day = parseConversationDate(c);
    if (day > atDay) continue;
    const type = c.type;
    if (rules.countedTypes.has(type)) {
      if (day > lastHeld) lastHeld = day;
      if (day >= windowFirst) held12m += 1;
      if (held.length > heldFrom && day < (held.days[held.length - 1] as number)) sorted = false;
      pushHeld(held, day);
    }
    // Supervision runs from the last supervision, or the induction meeting that agreed its frequency.
    if ((type === supervisionType || type === inductionType) && day > lastSupervision) lastSupervision = day;
    if (type === inductionType && day >= startDay && day < inductionHeld) inductionHeld = day;
    if (type === careerType) (careerHeld ??= []).push({ day, objectivesMet: c.objectivesMet });
    if (countActions && day >= latestActionsDay && c.actions !== undefined) {
      latestActions = c.actions;
      latestActionsDay = day;
    }
  }
  if (!sorted) held.days.subarray(heldFrom, held.length).sort();

  // expected12m: pro-rata min(required, floor(E / cadence)), E = window days on or after eligibleFrom.
  const from = eligibleFromDay > windowFirst ? eligibleFromDay : windowFirst;
  const eligibleDays = atDay >= from ? atDay - from + 1 : 0;
  const expected12m = rules.proRata
    ? Math.min(rules.required, Math.floor(eligibleDays / rules.cadenceDays))
    : atDay >= eligibleFromDay
      ? rules.required
      : 0;
  const nextDueDay = rules.anniversaryDueDates
    ? anniversaryDue(employee, startDay, eligibleFromDay, lastHeld)
    : afterLastHeldDue(rules, eligibleFromDay, lastHeld);
  const daysOverdue = atDay > nextDueDay ? atDay - nextDueDay : 0;

  const excluded = isExcluded(rules, employee);
  let status: ComplianceStatus;
  if (leaveDay < atDay) status = 'left';
  else if (excluded) status = 'excluded';
  else if (atDay < eligibleFromDay) status = 'induction';
  else if (atDay > nextDueDay) status = 'overdue';
  else if (nextDueDay - atDay <= rules.dueSoonDays) status = 'due-soon';
  else status = 'on-track';

  const actionCounts = latestActions !== undefined ? countOpenActions(latestActions, at) : NO_COUNTS;
  const career = careerHeld ?? NO_CAREER;
  const facts: EvaluationFacts = {
    startDay,
    leaveDay,
    eligibleFromDay,
    excluded,
    heldCount: held.length - heldFrom,
    careerHeld: career,
  };
  const evaluation: EmployeeEvaluation = {
    employeeId: employee.id,
    at,
    status,
    inPopulation: status === 'on-track' || status === 'due-soon' || status === 'overdue',
    eligibleFrom: formatDay(eligibleFromDay),
    held12m,
    expected12m,
    compliant: held12m >= expected12m,
    lastHeld: lastHeld === NO_DAY ? undefined : formatDay(lastHeld),
    nextDue: formatDay(nextDueDay),
    daysOverdue,
    openActions: countActions ? actionCounts[0] : undefined,
    overdueActions: countActions ? actionCounts[1] : undefined,
    supervision: policy.supervision
      ? supervisionDue(policy, employee, startDay, lastSupervision, atDay)
      : undefined,
    inductionMeeting: policy.inductionMeeting
      ? inductionMeetingDue(policy, startDay, inductionHeld, atDay)
      : undefined,
    payStep:
      policy.payStep && reports !== 'later'
        ? assessPayStep(policy, employee, startDay, atDay, career, reports)
        : undefined,
    appeal: policy.appeal ? appealWindow(policy, career, atDay) : undefined,
  };
  return { evaluation, facts };
}

/** Council due date (DESIGN.md §3.1): nextDue = max(lastHeld + cadence, eligibleFrom + first-due period). */
function afterLastHeldDue(rules: CompiledRules, eligibleFromDay: DayNumber, lastHeld: DayNumber): DayNumber {
  const firstDue = rules.addFirstDue(eligibleFromDay);
  const fromLast = lastHeld === NO_DAY ? NO_DAY : rules.addCadence(lastHeld);
  return fromLast > firstDue ? fromLast : firstDue;
}

/**
 * The incremental date due dates are anniversaries of: the HR pay-step date, or the start date
 * when HR gives none (or gives one that is not a date).
 */
export function incrementalAnchor(employee: Employee, startDay: DayNumber): DayNumber {
  const recorded = employee.payStepDate;
  if (recorded === undefined || recorded === '') return startDay;
  return tryParseIsoDate(recorded) ?? startDay;
}

/**
 * NHS due date (Career Conversations policy §2.5, §5.8; DESIGN.md §3.2): the career conversation
 * is due on each anniversary of the incremental date, and the cycle never drifts. A held one
 * counts for the anniversary NEAREST its date (an exact tie half-way goes to the earlier one), so
 * one held early or late counts for that year and the next is due at the following anniversary.
 * nextDue = (the anniversary the latest held one counts for) + 1 year, never before the first
 * anniversary on or after eligibleFrom; with none held, that first anniversary. Day numbers only.
 */
function anniversaryDue(
  employee: Employee,
  startDay: DayNumber,
  eligibleFromDay: DayNumber,
  lastHeld: DayNumber,
): DayNumber {
  const anchor = incrementalAnchor(employee, startDay);
  let k = anniversaryOnOrAfter(anchor, eligibleFromDay);
  if (lastHeld !== NO_DAY) {
    const after = nearestAnniversary(anchor, lastHeld) + 1;
    if (after > k) k = after;
  }
  return anniversary(anchor, k);
}

/** Next supervision due at the agreed frequency, counted from the last one or the start date (CC §3.2). */
function supervisionDue(
  policy: Policy,
  employee: Employee,
  startDay: DayNumber,
  lastSupervision: DayNumber,
  atDay: DayNumber,
): SupervisionDue {
  const weeks = employee.supervisionFrequencyWeeks ?? policy.supervision?.defaultFrequencyWeeks ?? undefined;
  const lastHeld = lastSupervision === NO_DAY ? undefined : formatIsoDate(lastSupervision);
  if (weeks === undefined || weeks <= 0) {
    return { frequencyWeeks: undefined, lastHeld, nextDue: undefined, daysOverdue: 0 };
  }
  const base = lastSupervision > startDay ? lastSupervision : startDay;
  const due = base + weeks * 7;
  return {
    frequencyWeeks: weeks,
    lastHeld,
    nextDue: formatIsoDate(due),
    daysOverdue: atDay > due ? atDay - due : 0,
  };
}

/**
 * Induction meeting due within N days of the start date, tracked for a policy-set period (CC §5.1
 * "On appointment … an introductory meeting is held"): one held after the due date is late.
 */
function inductionMeetingDue(
  policy: Policy,
  startDay: DayNumber,
  heldDay: DayNumber,
  atDay: DayNumber,
): InductionMeetingDue | undefined {
  const rule = policy.inductionMeeting;
  if (!rule || atDay < startDay || atDay >= addMonths(startDay, rule.trackForMonths)) return undefined;
  const due = startDay + rule.dueWithinDays;
  const held = heldDay <= atDay ? heldDay : undefined;
  const daysLate = held !== undefined && held > due ? held - due : 0;
  return {
    dueDate: formatIsoDate(due),
    held: held === undefined ? undefined : formatIsoDate(held),
    overdue: held === undefined && atDay > due,
    late: daysLate > 0,
    daysLate,
  };
}

/** The appeal window after the latest held career conversation (CC §5.10: 14 calendar days). */
function appealWindow(
  policy: Policy,
  careerHeld: readonly HeldCareerConversation[],
  atDay: DayNumber,
): AppealWindow | undefined {
  const rule = policy.appeal;
  if (!rule || careerHeld.length === 0) return undefined;
  let latest = NO_DAY;
  for (const c of careerHeld) if (c.day > latest) latest = c.day;
  const appealBy = latest + rule.windowDays;
  return {
    conversationDate: formatIsoDate(latest),
    appealBy: formatIsoDate(appealBy),
    open: atDay <= appealBy,
  };
}

/**
 * Evaluates one employee at date `at` (DESIGN.md §3.1). Conversations of other employees are
 * ignored, so a whole list may be passed. `reports` summarises direct reports for NHS check V.
 */
export function evaluateEmployee(
  policy: Policy,
  employee: Employee,
  conversations: readonly ConversationFacts[],
  at: IsoDate,
  options: { readonly reports?: ReportsSummary } = {},
): EmployeeEvaluation {
  const own = conversations.filter((c) => c.employeeId === employee.id);
  const held = createHeldDaysBuffer(own.length);
  const slice: ConversationSlice = { list: own, from: 0, to: own.length };
  return evaluateWithFacts(compileRules(policy), employee, slice, parseIsoDate(at), at, held, options.reports)
    .evaluation;
}

/**
 * Groups conversations by employee in two passes without per-employee arrays (a counting sort):
 * employee i's conversations are `list[order[k]]` for k in [start[i], start[i + 1]).
 * Conversations of people not in the index are left out.
 */
export function groupConversations(
  employeeIndex: ReadonlyMap<EmployeeId, number>,
  conversations: readonly ConversationFacts[],
): { readonly order: Int32Array; readonly start: Int32Array } {
  const n = employeeIndex.size;
  const m = conversations.length;
  const owner = new Int32Array(m);
  const start = new Int32Array(n + 1);
  // Conversations usually arrive grouped by employee: reuse the last lookup while the id repeats.
  let lastId: EmployeeId | undefined;
  let lastIndex: number | undefined;
  for (let k = 0; k < m; k += 1) {
    const employeeId = (conversations[k] as ConversationFacts).employeeId;
    if (employeeId !== lastId) {
      lastId = employeeId;
      lastIndex = employeeIndex.get(employeeId);
    }
    const i = lastIndex;
    if (i === undefined) {
      owner[k] = -1;
      continue;
    }
    owner[k] = i;
    start[i + 1] = (start[i + 1] as number) + 1;
  }
  for (let i = 0; i < n; i += 1) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const next = start.slice(0, n);
  const order = new Int32Array(start[n] as number);
  for (let k = 0; k < m; k += 1) {
    const i = owner[k] as number;
    if (i < 0) continue;
    const at = next[i] as number;
    order[at] = k;
    next[i] = at + 1;
  }
  return { order, start };
}

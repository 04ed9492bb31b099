/**
 * Nudge and escalation planning (DESIGN.md §4 "Nudge"; procedure §4.2): from an organisation
 * evaluation, the policy's ladder and the ledger of nudges already sent, the nudges due at D.
 * Pure: sending, quiet hours within the day and the ledger's storage live in bot/.
 *
 * Each due item (the counted conversation, a supervision, the induction meeting) moves up the
 * ladder as D passes its due date. At D only the highest stage reached is planned; lower stages
 * it supersedes are not sent late. A (employee, due date, stage) key is never planned twice.
 */
import type { OrganisationEvaluation } from './compliance/organisation';
import type { EmployeeEvaluation } from './compliance/types';
import { isoWeekday, parseIsoDate, type DayNumber } from './dates/day';
import { formatClockTime, utcToWallTime } from './dates/london-time';
import { isWorkingDay } from './dates/working-days';
import type { Employee, EmployeeId, IsoDate } from './model';
import { escalationTargetAtLevel, managerAbove } from './org/tree';
import { policyCalendar } from './policy/calendar';
import type { NudgeItem, NudgeRecipientRule, NudgeStage, Policy } from './policy/schema';

/** Who a planned nudge goes to: a person (with why), or the OD team as a whole. */
export type NudgeRecipient =
  | { readonly kind: 'person'; readonly id: EmployeeId; readonly as: 'manager' | 'employee' | 'escalation' }
  | { readonly kind: 'od' };

/** One nudge to send. `key` is the ledger key that makes sending idempotent. */
export interface PlannedNudge {
  readonly key: string;
  readonly employeeId: EmployeeId;
  readonly item: NudgeItem;
  readonly dueDate: IsoDate;
  /** Stage id, prefixed with the item for items other than the counted conversation (`supervision/due`). */
  readonly stage: string;
  readonly kind: 'reminder' | 'escalation';
  /** D − due date in days (negative before the due date). */
  readonly daysFromDue: number;
  readonly recipients: readonly NudgeRecipient[];
}

/** What has been sent: anything with `has(key)`, e.g. a Set of keys read from the ledger table. */
export interface NudgeLedger {
  has(key: string): boolean;
}

/**
 * The stage name used in ledger keys: the stage id, prefixed by the item unless it is the
 * conversation (`supervision/due`). The ledger table escapes the `/`, which Azure Tables refuses in
 * a row key (bot/storage/keys.ts `ledgerRowKey`).
 */
export function stageName(item: NudgeItem, stageId: string): string {
  return item === 'conversation' ? stageId : `${item}/${stageId}`;
}

/** The ledger key of a nudge: employee, due date and stage (DESIGN.md §5 "nudge ledger rows"). */
export function nudgeKey(employeeId: EmployeeId, dueDate: IsoDate, stage: string): string {
  return `${employeeId}|${dueDate}|${stage}`;
}

/** The highest stage reached `daysFromDue` days after the due date, or undefined before the first. */
export function stageReached(stages: readonly NudgeStage[], daysFromDue: number): NudgeStage | undefined {
  let best: NudgeStage | undefined;
  for (const s of stages)
    if (s.daysFromDue <= daysFromDue && (!best || s.daysFromDue > best.daysFromDue)) best = s;
  return best;
}

function dueItems(ev: EmployeeEvaluation): { item: NudgeItem; due: IsoDate }[] {
  if (ev.status === 'left' || ev.status === 'excluded') return [];
  const items: { item: NudgeItem; due: IsoDate }[] = [];
  if (ev.inPopulation) items.push({ item: 'conversation', due: ev.nextDue });
  if (ev.supervision?.nextDue) items.push({ item: 'supervision', due: ev.supervision.nextDue });
  if (ev.inductionMeeting && ev.inductionMeeting.held === undefined) {
    items.push({ item: 'induction-meeting', due: ev.inductionMeeting.dueDate });
  }
  return items;
}

function resolveRecipients(
  org: OrganisationEvaluation,
  index: number,
  employee: Employee,
  rules: readonly NudgeRecipientRule[],
): NudgeRecipient[] {
  const out: NudgeRecipient[] = [];
  const seen = new Set<string>();
  const add = (r: NudgeRecipient): void => {
    const k = r.kind === 'od' ? 'od' : r.id;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  for (const rule of rules) {
    switch (rule.kind) {
      case 'manager': {
        const m = org.tree.managerIndex[index] ?? -1;
        if (m !== -1) add({ kind: 'person', id: org.tree.ids[m] as EmployeeId, as: 'manager' });
        else if (employee.managerId) add({ kind: 'person', id: employee.managerId, as: 'manager' });
        break;
      }
      case 'employee':
        add({ kind: 'person', id: employee.id, as: 'employee' });
        break;
      case 'od':
        add({ kind: 'od' });
        break;
      case 'org-level': {
        const t = escalationTargetAtLevel(org.tree, index, rule.level);
        if (t !== undefined) add({ kind: 'person', id: org.tree.ids[t] as EmployeeId, as: 'escalation' });
        break;
      }
      case 'manager-above': {
        const t = managerAbove(org.tree, index, rule.levels);
        if (t !== undefined) add({ kind: 'person', id: org.tree.ids[t] as EmployeeId, as: 'escalation' });
        break;
      }
    }
  }
  return out;
}

/**
 * The nudges and escalations due at the organisation's evaluation date, none already in the
 * ledger. On a non-working day nothing is planned when the policy says working days only (the
 * next working day's sweep picks them up).
 */
export function planNudges(org: OrganisationEvaluation, ledger: NudgeLedger): PlannedNudge[] {
  const policy = org.policy;
  const atDay = org.atDay;
  if (policy.nudges.workingDaysOnly && !isWorkingDay(policyCalendar(policy), atDay)) return [];
  const byItem = new Map<NudgeItem, NudgeStage[]>();
  for (const s of policy.nudges.stages) {
    const list = byItem.get(s.item);
    if (list) list.push(s);
    else byItem.set(s.item, [s]);
  }
  const planned: PlannedNudge[] = [];
  org.evaluations.forEach((ev, i) => {
    const employee = org.employees[i];
    if (!employee) return;
    for (const { item, due } of dueItems(ev)) {
      const stages = byItem.get(item);
      if (!stages) continue;
      const dueDay: DayNumber = parseIsoDate(due);
      const stage = stageReached(stages, atDay - dueDay);
      if (!stage) continue;
      const name = stageName(item, stage.id);
      const key = nudgeKey(employee.id, due, name);
      if (ledger.has(key)) continue;
      const recipients = resolveRecipients(org, i, employee, stage.recipients);
      if (recipients.length === 0) continue;
      planned.push({
        key,
        employeeId: employee.id,
        item,
        dueDate: due,
        stage: name,
        kind: stage.kind,
        daysFromDue: atDay - dueDay,
        recipients,
      });
    }
  });
  return planned;
}

/** True when D is the policy's weekly digest day (DESIGN.md §4 "a weekly digest per manager"). */
export function isDigestDay(org: OrganisationEvaluation): boolean {
  return isoWeekday(org.atDay) === org.policy.nudges.weeklyDigest.weekday;
}

/** A manager's weekly digest: their direct reports who are due soon or overdue, most overdue first. */
export function managerDigest(org: OrganisationEvaluation, managerId: EmployeeId): EmployeeEvaluation[] {
  const m = org.tree.indexOf.get(managerId);
  if (m === undefined) return [];
  return (org.tree.children[m] ?? [])
    .map((i) => org.evaluations[i])
    .filter(
      (ev): ev is EmployeeEvaluation =>
        ev !== undefined && (ev.status === 'overdue' || ev.status === 'due-soon'),
    )
    .sort(
      (a, b) => b.daysOverdue - a.daysOverdue || (a.nextDue < b.nextDue ? -1 : a.nextDue > b.nextDue ? 1 : 0),
    );
}

/** Minutes after midnight of an `HH:MM` time. */
export function clockMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Whether a nudge may be sent at this instant (DESIGN.md §4 "quiet hours and working days are
 * respected"): outside the policy's quiet hours (which may wrap midnight, 18:00–08:00) and, when the
 * policy says so, on a working day of its calendar (no weekends or England & Wales bank holidays).
 */
export function mayNudgeAt(
  policy: Policy,
  instantMs: number,
): { readonly ok: boolean; readonly why?: string } {
  const wall = utcToWallTime(instantMs, policy.calendar.timeZone);
  if (policy.nudges.workingDaysOnly && !isWorkingDay(policyCalendar(policy), parseIsoDate(wall.date))) {
    return { ok: false, why: `${wall.date} is not a working day` };
  }
  const start = clockMinutes(policy.nudges.quietHours.start);
  const end = clockMinutes(policy.nudges.quietHours.end);
  const quiet =
    start <= end ? wall.minutes >= start && wall.minutes < end : wall.minutes >= start || wall.minutes < end;
  if (quiet) {
    return {
      ok: false,
      why: `${formatClockTime(wall.minutes)} is within quiet hours (${policy.nudges.quietHours.start}–${policy.nudges.quietHours.end})`,
    };
  }
  return { ok: true };
}

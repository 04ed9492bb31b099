/**
 * `reminder.snooze` (DESIGN.md §4 "Nudge"): the employee's line manager holds the reminders about
 * one due date until a day from tomorrow to four weeks ahead. Escalations are not snoozed: OD and
 * the manager chain are still told when the policy says (procedure §4.2).
 */
import { type TurnContext } from 'botbuilder';
import { isIsoDate, parseIsoDate } from '../../../core/dates/day';
import { NUDGE_ITEMS, type NudgeItem, type Policy } from '../../../core/policy/schema';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import {
  SNOOZE_MAX_DAYS,
  type ReminderLine,
  createManagerReminderCard,
  shortDate,
  snoozeInputId,
  snoozeRange,
} from '../../cards/reminder-card';
import { Verb } from '../../cards/verbs';
import { text } from '../../i18n/en-GB';
import { ruleFor } from '../../reminders/rule-text';
import { type TurnDeps } from '../deps';
import { actorOf, postedData, postedPersonId, postedString, refusal, unknownUser } from './turn';

/** Longest stage name a card may post (stage ids are short policy ids). */
const MAX_STAGE_CHARS = 64;

/** `reminder.snooze`: validates the date, stores the snooze, and confirms with a notice. */
export async function snoozeReminder(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return unknownUser();
  const data = postedData(context);
  const employeeId = postedPersonId(data);
  const item = postedString(data, 'item');
  const dueDate = postedString(data, 'dueDate');
  const stage = postedString(data, 'stage') ?? '';
  if (employeeId === undefined || !isItem(item) || dueDate === undefined || !isIsoDate(dueDate)) {
    return refusal(text.errors.missingAction);
  }
  if (stage.length > MAX_STAGE_CHARS) return refusal(text.errors.missingAction);
  const employee = await deps.directory.getEmployee(employeeId);
  if (employee === undefined || employee.leaveDate !== undefined) return refusal(text.access.unknownEmployee);
  if (employee.managerId !== actor.id) return refusal(text.access.notManager);
  if (deps.snoozes === undefined) return refusal(text.reminders.snooze.unavailable);

  const today = deps.clock.today();
  const inputId = snoozeInputId(employeeId, item);
  const typed = typeof data[inputId] === 'string' ? data[inputId].trim() : '';
  const problem = dateProblem(typed, today);
  if (problem !== undefined) {
    // The same person's reminder again, the field open with what was typed and why it cannot be.
    const line: ReminderLine = {
      employeeId,
      name: employee.name,
      item,
      ...typeOf(deps.policy, item),
      dueDate,
      daysFromDue: parseIsoDate(today) - parseIsoDate(dueDate),
      stage,
      rule: ruleFor(deps.policy, item),
    };
    return createManagerReminderCard({
      managerName: actor.employee.name,
      lines: [line],
      today,
      timeZone: deps.policy.calendar.timeZone,
      message: text.reminders.snooze.fix,
      errors: { [inputId]: problem },
      values: { [inputId]: typed },
    });
  }
  await deps.snoozes.set({
    employeeId,
    item,
    dueDate,
    until: typed,
    by: actor.id,
    at: deps.clock.now().toISOString(),
    ...(stage === '' ? {} : { stage }),
  });
  await deps.records.audit.append(
    {
      subjectId: employeeId,
      actorId: actor.id,
      action: 'nudge.snoozed',
      reason: `${item} due ${dueDate}: reminders held until ${typed}`,
    },
    deps.clock.now(),
  );
  deps.log.info('reminder snoozed', { item, dueDate, until: typed });
  return createNoticeCard({
    message: text.reminders.snooze.saved(employee.name, shortDate(typed)),
    actions: [{ title: text.menu.team, verb: Verb.team }],
  });
}

/** Why `until` cannot end a snooze made on `today`, or undefined when it can. */
export function dateProblem(until: string, today: string): string | undefined {
  const t = text.reminders.snooze;
  if (until === '' || !isIsoDate(until)) return t.dateMissing;
  const { min, max } = snoozeRange(today);
  if (until < min) return t.datePast;
  if (until > max) return t.dateFar(SNOOZE_MAX_DAYS);
  return undefined;
}

function isItem(value: string | undefined): value is NudgeItem {
  return value !== undefined && (NUDGE_ITEMS as readonly string[]).includes(value);
}

/** The conversation type a due item is logged as, as the sweep names it. */
function typeOf(policy: Policy, item: NudgeItem): { typeId: string; typeName: string } {
  const counted = policy.compliance.countedTypes[0] ?? '';
  const id =
    item === 'supervision'
      ? (policy.supervision?.typeId ?? counted)
      : item === 'induction-meeting'
        ? (policy.inductionMeeting?.typeId ?? counted)
        : counted;
  return { typeId: id, typeName: policy.conversationTypes.find((t) => t.id === id)?.label ?? id };
}

/**
 * The employee's reminder, sent where the policy's ladder names the employee: both parties share
 * the responsibility for the conversation and either can book it (procedure §3.2, §5.1). Schedule
 * books with their manager; Prepare opens the notes for the booked conversation.
 */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { type ReminderLine, dueColor, meetingStart, shortDate } from './reminder-card';
import { Verb } from './verbs';

/** The employee reminder card's data model. */
export interface EmployeeReminderCardData {
  readonly employeeName: string;
  /** Their line manager's name; empty when the directory has none. */
  readonly managerName: string;
  /** The due item, about the employee themselves. */
  readonly line: ReminderLine;
  /** The policy's time zone, for a booked meeting's time (default Europe/London). */
  readonly timeZone?: string;
}

const t = text.reminders;

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true, color: '${color}' },
    { type: 'TextBlock', text: '${what}', wrap: true, spacing: 'None' },
    { type: 'TextBlock', text: '${joint}', wrap: true },
    { type: 'TextBlock', text: '${rule}', wrap: true, isSubtle: true, size: 'Small' },
    { type: 'TextBlock', text: '${booked}', wrap: true, color: 'Good', $when: '${booked != null}' },
    { type: 'TextBlock', text: '${prepareLater}', wrap: true, size: 'Small', $when: '${booked == null}' },
  ],
};

/**
 * Renders the employee's reminder. Schedule posts the employee's own id, which the schedule handler
 * reads as "book with my manager" even when the employee manages people too (with no id, it would
 * show a manager their own team). Prepare without a booking posts no conversation id: the prep
 * handler then opens the next booked conversation, or says nothing is booked and offers Schedule,
 * so the button still works once the manager books.
 */
export function createEmployeeReminderCard(data: EmployeeReminderCardData): CardJson {
  const { line } = data;
  const booked = line.booked;
  const card = renderTemplate(template, {
    title: t.employee.title(line.typeName, line.daysFromDue),
    color: dueColor(line.daysFromDue),
    what: t.what(line.typeName, shortDate(line.dueDate)),
    joint: t.employee.joint(data.managerName),
    rule: t.ruleLine(line.rule),
    booked: booked ? t.employee.booked(meetingStart(booked.start, data.timeZone ?? 'Europe/London')) : null,
    prepareLater: t.employee.prepareLater,
  });
  const actions = booked
    ? [actionButton(text.menu.prepare, Verb.prep, { conversationId: booked.conversationId }, 'positive')]
    : [
        actionButton(
          t.employee.schedule,
          Verb.schedule,
          { employeeId: line.employeeId, typeId: line.typeId },
          'positive',
        ),
        actionButton(text.menu.prepare, Verb.prep),
      ];
  return { ...card, actions: [...actions, menuButton(text.menu.back)] };
}

/**
 * The manager's reminder (DESIGN.md §4 "Nudge"): one card a day naming everyone whose conversation
 * is due soon, due or overdue, why, and the rule — with Schedule, Log, "Already held elsewhere"
 * and "Snooze until" for each. Snoozing holds the reminders about that due date only; escalation
 * still follows the policy (procedure §4.2). Names, dates and rules only, never note text.
 */
import { readableDay } from '../clock';
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, fieldError, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** One due item about one person, as the nudge sweep plans it. */
export interface ReminderLine {
  readonly employeeId: string;
  readonly name: string;
  readonly item: 'conversation' | 'supervision' | 'induction-meeting';
  /** The conversation type to log (a policy conversationTypes id) and its name. */
  readonly typeId: string;
  readonly typeName: string;
  /** ISO date. */
  readonly dueDate: string;
  /** Days after the due date: negative = due in N days, 0 = due today, positive = overdue by N days. */
  readonly daysFromDue: number;
  /** The ledger stage name, e.g. 'due-soon', 'overdue', 'supervision/due'. */
  readonly stage: string;
  /** The rule, quoted from the policy with its source (bot/reminders/rule-text.ts). */
  readonly rule: string;
  /** Set when the item has already been escalated: who was told, when (ISO date). */
  readonly escalatedTo?: readonly { readonly who: string; readonly on: string }[];
  /** A conversation already booked for this item: its start (ISO instant) and id. */
  readonly booked?: { readonly conversationId: string; readonly start: string };
}

/** The manager reminder card's data model. */
export interface ManagerReminderCardData {
  readonly managerName: string;
  readonly lines: readonly ReminderLine[];
  /** The day the card is for (ISO date): snooze dates run from tomorrow to {@link SNOOZE_MAX_DAYS} ahead. */
  readonly today: string;
  /** The policy's time zone, for booked meeting times. */
  readonly timeZone: string;
  /** A line above the people (the snooze handler's "choose another date"). */
  readonly message?: string;
  /** Snooze field errors, by {@link snoozeInputId}; such a field is shown open with what was typed. */
  readonly errors?: Readonly<Record<string, string>>;
  /** What was typed in snooze fields, by {@link snoozeInputId}. */
  readonly values?: Readonly<Record<string, string>>;
}

/** People on one card; the rest are counted with a link to My team (the card stays well under 40 KB). */
export const REMINDER_CARD_PEOPLE = 15;

/** The furthest a reminder may be snoozed, in days after today (a choice: a month's grace at most). */
export const SNOOZE_MAX_DAYS = 28;

/** The id of a person's "snooze until" date input; the snooze handler reads the same id. */
export function snoozeInputId(employeeId: string, item: ReminderLine['item']): string {
  return `snooze.${item}.${employeeId}`;
}

/** The dates a snooze may end on: from tomorrow to {@link SNOOZE_MAX_DAYS} days after `today`. */
export function snoozeRange(today: string): { readonly min: string; readonly max: string } {
  return { min: addDays(today, 1), max: addDays(today, SNOOZE_MAX_DAYS) };
}

/** An ISO date `days` later (UTC calendar arithmetic: a date has no time zone). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date `YYYY-MM-DD` as people read it (`3 Dec 2026`). */
export function shortDate(date: string): string {
  return readableDay(date);
}

/** A booked meeting's start as people read it (`Mon 14 Dec 2026, 10:00`) in the policy's time zone. */
export function meetingStart(instant: string, timeZone: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const f = meetingFormats(timeZone);
  return `${f.date.format(d)}, ${f.time.format(d)}`;
}

/** Formatters per time zone, made once (one policy, so one zone, per deployment). */
const MEETING_FORMATS = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function meetingFormats(timeZone: string): { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  let f = MEETING_FORMATS.get(timeZone);
  if (f === undefined) {
    f = {
      date: new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone,
      }),
      time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }),
    };
    MEETING_FORMATS.set(timeZone, f);
  }
  return f;
}

/** Adaptive Cards colour of how due an item is. */
export function dueColor(daysFromDue: number): 'Attention' | 'Warning' | 'Default' {
  return daysFromDue > 0 ? 'Attention' : daysFromDue === 0 ? 'Warning' : 'Default';
}

const t = text.reminders;

const snoozeButton = actionButton(t.manager.snoozeButton, Verb.snooze, {
  employeeId: '${employeeId}',
  item: '${item}',
  dueDate: '${dueDate}',
  stage: '${stage}',
});

const snoozeField = {
  type: 'Input.Date',
  id: '${inputId}',
  label: t.manager.snoozeLabel,
  min: '${$root.min}',
  max: '${$root.max}',
  value: '${value}',
};

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${intro}', wrap: true, spacing: 'None' },
    { type: 'TextBlock', $data: '${rules}', text: '${$data}', wrap: true, isSubtle: true, size: 'Small' },
    {
      type: 'TextBlock',
      text: '${message}',
      wrap: true,
      color: 'Attention',
      weight: 'Bolder',
      $when: '${message != null}',
    },
    {
      type: 'Container',
      $data: '${lines}',
      separator: true,
      spacing: 'Medium',
      items: [
        { type: 'TextBlock', text: '${name}', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${why}', color: '${color}', wrap: true, spacing: 'None' },
        {
          type: 'TextBlock',
          text: '${escalated}',
          wrap: true,
          size: 'Small',
          spacing: 'None',
          $when: '${escalated != null}',
        },
        {
          type: 'TextBlock',
          text: '${booked}',
          wrap: true,
          color: 'Good',
          spacing: 'None',
          $when: '${booked != null}',
        },
        {
          type: 'ActionSet',
          actions: [
            {
              ...actionButton(text.menu.schedule, Verb.schedule, { employeeId: '${employeeId}' }),
              $when: '${booked == null}',
            },
            actionButton(text.menu.log, Verb.log, { employeeId: '${employeeId}', typeId: '${typeId}' }),
            actionButton(t.manager.heldElsewhere, Verb.log, {
              employeeId: '${employeeId}',
              typeId: '${typeId}',
              heldElsewhere: 'true',
            }),
            {
              type: 'Action.ShowCard',
              title: t.manager.snooze,
              $when: '${open == false}',
              card: { type: 'AdaptiveCard', body: [snoozeField], actions: [snoozeButton] },
            },
          ],
        },
        {
          type: 'Container',
          $when: '${open}',
          items: [snoozeField, fieldError('${error}'), { type: 'ActionSet', actions: [snoozeButton] }],
        },
      ],
    },
    {
      type: 'TextBlock',
      text: '${more}',
      wrap: true,
      weight: 'Bolder',
      separator: true,
      $when: '${more != null}',
    },
    {
      type: 'ActionSet',
      $when: '${more != null}',
      actions: [actionButton(text.menu.team, Verb.team)],
    },
    { type: 'TextBlock', text: '${snoozeNote}', wrap: true, isSubtle: true, size: 'Small', separator: true },
  ],
  actions: [menuButton(text.menu.back)],
};

/**
 * Renders a manager's reminder: up to {@link REMINDER_CARD_PEOPLE} people, most overdue first, then
 * "and N more". Each kind of item's rule is quoted once, above the people it applies to.
 */
export function createManagerReminderCard(data: ManagerReminderCardData): CardJson {
  const sorted = [...data.lines].sort(mostOverdueFirst);
  const people = [...new Set(sorted.map((l) => l.employeeId))];
  const shownPeople = new Set(people.slice(0, REMINDER_CARD_PEOPLE));
  // A person's items stay together, in the order of their most overdue one.
  const shown = people
    .filter((id) => shownPeople.has(id))
    .flatMap((id) => sorted.filter((l) => l.employeeId === id));
  const rules = new Map<string, { typeName: string; rule: string }>();
  for (const line of shown) if (!rules.has(line.item)) rules.set(line.item, line);
  const errors = data.errors ?? {};
  const values = data.values ?? {};
  const hidden = people.length - shownPeople.size;
  return renderTemplate(template, {
    title: t.manager.title,
    intro: t.manager.intro(people.length),
    message: data.message ?? null,
    rules: [...rules.values()].map((r) =>
      rules.size === 1 ? t.ruleLine(r.rule) : t.ruleFor(r.typeName, r.rule),
    ),
    lines: shown.map((line) => {
      const inputId = snoozeInputId(line.employeeId, line.item);
      const error = errors[inputId] ?? null;
      return {
        employeeId: line.employeeId,
        item: line.item,
        typeId: line.typeId,
        dueDate: line.dueDate,
        stage: line.stage,
        name: line.name,
        why: t.why(t.due(line.daysFromDue), line.typeName, shortDate(line.dueDate)),
        color: dueColor(line.daysFromDue),
        escalated:
          line.escalatedTo === undefined
            ? null
            : t.escalated(line.escalatedTo.map((e) => t.told(e.who, shortDate(e.on))).join('; ')),
        booked: line.booked === undefined ? null : t.booked(meetingStart(line.booked.start, data.timeZone)),
        inputId,
        value: values[inputId] ?? '',
        error,
        open: error !== null,
      };
    }),
    ...snoozeRange(data.today),
    more: hidden > 0 ? t.more(hidden) : null,
    snoozeNote: t.manager.snoozeNote,
  });
}

function mostOverdueFirst(a: ReminderLine, b: ReminderLine): number {
  return b.daysFromDue - a.daysFromDue || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The appeal manager's reminder to acknowledge an appeal (CC §5.10): who and by when, never the grounds. */
export interface AppealReminderCardData {
  readonly employeeId: string;
  readonly conversationId: string;
  readonly employeeName: string;
  /** ISO dates. */
  readonly receivedOn: string;
  readonly acknowledgeBy: string;
  readonly acknowledgeDays: number;
  /** The rule, quoted with its source (`Career Conversations policy §5.10`). */
  readonly rule: string;
}

const appealReminderTemplate: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true },
    { type: 'TextBlock', text: '${rule}', wrap: true, size: 'Small', isSubtle: true },
  ],
};

/** Renders the reminder, with a button that opens the appeal card (`appeal`). */
export function createAppealReminderCard(data: AppealReminderCardData): CardJson {
  const t = text.appealNudge;
  const card = renderTemplate(appealReminderTemplate, {
    title: t.reminderTitle,
    message: t.reminder(
      data.employeeName,
      shortDate(data.receivedOn),
      shortDate(data.acknowledgeBy),
      data.acknowledgeDays,
    ),
    rule: text.reminders.ruleLine(data.rule),
  });
  return {
    ...card,
    actions: [
      actionButton(t.open, Verb.appeal, { employeeId: data.employeeId, conversationId: data.conversationId }),
      menuButton(text.menu.back),
    ],
  };
}

/**
 * Scheduling (DESIGN.md §4 Schedule): choose a length within the policy's range, see three times
 * free for both people, book one as a Teams meeting. One card in two states: before and after
 * the free times are found.
 */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** A proposed time: its value posts back as `<startMs>/<endMs>`. */
export interface SlotChoice {
  readonly value: string;
  readonly label: string;
}

/** The schedule card's data model. */
export interface ScheduleCardData {
  readonly title: string;
  readonly employeeId: string;
  readonly typeId: string;
  /** The lengths offered, in minutes, and the one chosen. */
  readonly lengths: readonly number[];
  readonly minutes: number;
  /** Undefined before times are looked for; empty when none were free. */
  readonly slots?: readonly SlotChoice[] | undefined;
  /** The id the booked conversation will have: pressing Book twice books once. */
  readonly conversationId: string;
  readonly message?: string | undefined;
  /** Working days searched (for the "none free" message). */
  readonly workingDays: number;
  /** True for the manager, who may log a conversation held elsewhere instead. */
  readonly canLog: boolean;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    {
      type: 'Input.ChoiceSet',
      id: 'minutes',
      label: '${lengthLabel}',
      value: '${string(minutes)}',
      choices: [{ $data: '${lengths}', title: '${title}', value: '${value}' }],
    },
    { type: 'TextBlock', text: '${noSlots}', wrap: true, $when: '${hasSlots && count(slots) == 0}' },
    {
      type: 'Input.ChoiceSet',
      $when: '${hasSlots && count(slots) > 0}',
      id: 'slot',
      label: '${slotsHeading}',
      style: 'expanded',
      isRequired: true,
      errorMessage: '${chooseLabel}',
      value: '${firstSlot}',
      choices: [{ $data: '${slots}', title: '${label}', value: '${value}' }],
    },
  ],
  actions: [],
};

/** Renders the schedule card. */
export function createScheduleCard(data: ScheduleCardData): CardJson {
  const hasSlots = data.slots !== undefined;
  const card = renderTemplate(template, {
    title: data.title,
    message: data.message ?? null,
    lengthLabel: text.schedule.length,
    minutes: data.minutes,
    lengths: data.lengths.map((n) => ({ title: text.schedule.minutes(n), value: String(n) })),
    hasSlots,
    slots: data.slots ?? [],
    firstSlot: data.slots?.[0]?.value ?? '',
    noSlots: text.schedule.noSlots(data.workingDays),
    slotsHeading: text.schedule.slotsHeading,
    chooseLabel: text.schedule.choose,
  });
  const ids = { employeeId: data.employeeId, typeId: data.typeId, conversationId: data.conversationId };
  const canBook = (data.slots?.length ?? 0) > 0;
  return {
    ...card,
    actions: [
      ...(canBook ? [actionButton(text.schedule.book, Verb.scheduleBook, ids, 'positive')] : []),
      actionButton(text.schedule.find, Verb.scheduleFind, ids),
      ...(data.canLog
        ? [
            actionButton(text.schedule.logInstead, Verb.log, {
              employeeId: data.employeeId,
              typeId: data.typeId,
            }),
          ]
        : []),
      menuButton(text.menu.back),
    ],
  };
}

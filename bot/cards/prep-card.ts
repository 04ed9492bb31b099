/**
 * The employee's preparation card (DESIGN.md §4 Schedule; PC §5.2): notes per key area, whether
 * they are shared with the manager before the meeting, and a reasonable-adjustments request.
 */
import { LIMITS } from '../conversations/record-form';
import { text } from '../i18n/en-GB';
import {
  type CardJson,
  CARD_VERSION,
  actionButton,
  menuButton,
  objectivesBlock,
  renderTemplate,
} from './card';
import { Verb } from './verbs';

/** One key area on the prep card, with what the employee has written. */
export interface PrepArea {
  readonly id: string;
  readonly title: string;
  readonly prompts: readonly string[];
  readonly value: string;
}

/** The prep card's data model. */
export interface PrepCardData {
  readonly managerName: string;
  readonly when: string;
  readonly joinUrl?: string | undefined;
  readonly conversationId: string;
  readonly employeeId: string;
  /** The version of the notes shown (when last saved, '' if never): a stale card cannot overwrite. */
  readonly version: string;
  readonly areas: readonly PrepArea[];
  readonly shared: boolean;
  readonly adjustments: string;
  /** Whether the policy lets the employee ask for adjustments before the meeting. */
  readonly askAdjustments: boolean;
  /** The employee leads this conversation (CC §5.8 "the colleague drives it"). */
  readonly leads?: boolean | undefined;
  /** The objectives they agreed last time, to review (CC §5.3). */
  readonly objectives?: { readonly heading: string; readonly lines: readonly string[] } | undefined;
  /** A confirmation or problem shown at the top. */
  readonly message?: string | undefined;
  readonly errors?: Readonly<Record<string, string>>;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${whenLine}', wrap: true, spacing: 'None' },
    {
      type: 'Container',
      style: 'good',
      $when: '${message != null}',
      items: [{ type: 'TextBlock', text: '${message}', wrap: true }],
    },
    { type: 'TextBlock', text: '${intro}', wrap: true, isSubtle: true },
    objectivesBlock,
    {
      type: 'Container',
      $data: '${areas}',
      spacing: 'Medium',
      items: [
        {
          type: 'Input.Text',
          id: '${inputId}',
          label: '${title}',
          placeholder: '${placeholder}',
          isMultiline: true,
          maxLength: LIMITS.prepArea,
          value: '${value}',
        },
        {
          type: 'TextBlock',
          $when: '${error != null}',
          text: '${error}',
          color: 'Attention',
          size: 'Small',
          wrap: true,
          spacing: 'None',
        },
      ],
    },
    {
      type: 'Input.Toggle',
      id: 'shared',
      title: '${shareLabel}',
      value: '${shared}',
      valueOn: 'true',
      valueOff: 'false',
      wrap: true,
      spacing: 'Medium',
    },
    {
      type: 'Input.Text',
      $when: '${askAdjustments}',
      id: 'adjustments',
      label: '${adjustmentsLabel}',
      placeholder: '${adjustmentsPlaceholder}',
      isMultiline: true,
      maxLength: LIMITS.adjustments,
      value: '${adjustments}',
    },
    {
      type: 'TextBlock',
      $when: '${adjustmentsError != null}',
      text: '${adjustmentsError}',
      color: 'Attention',
      size: 'Small',
      wrap: true,
      spacing: 'None',
    },
  ],
};

/** Renders the prep card. */
export function createPrepCard(data: PrepCardData): CardJson {
  const errors = data.errors ?? {};
  const card = renderTemplate(template, {
    title: text.prep.title(data.managerName),
    whenLine: text.prep.when(data.when),
    message: data.message ?? null,
    intro: data.leads ? text.prep.introLeads : text.prep.intro,
    objectives: data.objectives ? { heading: data.objectives.heading, lines: data.objectives.lines } : null,
    areas: data.areas.map((a) => ({
      inputId: `prep.${a.id}`,
      title: a.title,
      placeholder: a.prompts[0] ?? '',
      value: a.value,
      error: errors[`prep.${a.id}`] ?? null,
    })),
    shareLabel: text.prep.share,
    shared: data.shared ? 'true' : 'false',
    askAdjustments: data.askAdjustments,
    adjustmentsLabel: text.prep.adjustments,
    adjustmentsPlaceholder: text.prep.adjustmentsPlaceholder,
    adjustments: data.adjustments,
    adjustmentsError: errors.adjustments ?? null,
  });
  const ids = { conversationId: data.conversationId, employeeId: data.employeeId, version: data.version };
  return {
    ...card,
    actions: [
      actionButton(text.prep.save, Verb.prepSave, ids, 'positive'),
      ...(data.joinUrl ? [{ type: 'Action.OpenUrl', title: text.schedule.join, url: data.joinUrl }] : []),
      menuButton(text.menu.back),
    ],
  };
}

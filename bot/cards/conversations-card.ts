/** A list of one person's conversations: "my conversations" for the employee, "history" for their manager. */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** One conversation in the list. */
export interface ConversationLine {
  readonly conversationId: string;
  readonly label: string;
  /** True for a booked conversation the reader can prepare for. */
  readonly canPrepare: boolean;
  /** True when the record can be opened (held ones). */
  readonly canOpen: boolean;
}

/** The list card's data model. */
export interface ConversationsCardData {
  readonly title: string;
  readonly summary?: string | undefined;
  readonly employeeId: string;
  readonly lines: readonly ConversationLine[];
  /** Older conversations left off the card. */
  readonly more: number;
  /** The colleague may ask their manager for a supervision/1:1 (CC §4.1). */
  readonly askSupervision?: boolean | undefined;
}

/** Conversations shown on one card, newest first. */
export const CONVERSATIONS_SHOWN = 12;

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${summary}', wrap: true, spacing: 'None', $when: '${summary != null}' },
    { type: 'TextBlock', text: '${none}', wrap: true, $when: '${count(lines) == 0}' },
    {
      type: 'ColumnSet',
      $data: '${lines}',
      separator: true,
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: '${label}', wrap: true }] },
        {
          type: 'Column',
          width: 'auto',
          items: [
            {
              type: 'ActionSet',
              $when: '${canPrepare}',
              actions: [actionButton(text.menu.prepare, Verb.prep, { conversationId: '${conversationId}' })],
            },
            {
              type: 'ActionSet',
              $when: '${canOpen}',
              actions: [
                actionButton(text.menu.view, Verb.record, {
                  employeeId: '${$root.employeeId}',
                  conversationId: '${conversationId}',
                }),
              ],
            },
          ],
        },
      ],
    },
    { type: 'TextBlock', text: '${moreLine}', isSubtle: true, size: 'Small', $when: '${more > 0}' },
  ],
};

/** Renders the list. */
export function createConversationsCard(data: ConversationsCardData): CardJson {
  const card = renderTemplate(template, {
    title: data.title,
    summary: data.summary ?? null,
    none: text.conversations.none,
    employeeId: data.employeeId,
    lines: data.lines,
    more: data.more,
    moreLine: text.conversations.more(data.more),
  });
  return {
    ...card,
    actions: [
      ...(data.askSupervision ? [actionButton(text.supervisionAsk.button, Verb.supervisionAsk)] : []),
      menuButton(text.menu.back),
    ],
  };
}

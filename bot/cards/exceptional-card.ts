/**
 * People Services' exceptional access (Career Conversations policy §6.1, DESIGN.md §6): the reason
 * is chosen from a fixed list before any note text is shown.
 */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    { type: 'TextBlock', text: '${intro}', wrap: true },
    {
      type: 'Input.ChoiceSet',
      id: 'reason',
      label: '${reasonLabel}',
      style: 'expanded',
      choices: [{ $data: '${reasons}', title: '${title}', value: '${value}' }],
    },
  ],
};

/** The reason card: nothing of the record is on it. */
export function createExceptionalCard(data: {
  readonly employeeId: string;
  readonly conversationId: string;
  readonly message?: string | undefined;
}): CardJson {
  const t = text.exceptional;
  const card = renderTemplate(template, {
    title: t.title,
    message: data.message ?? null,
    intro: t.intro,
    reasonLabel: t.reason,
    reasons: Object.entries(t.reasons).map(([value, title]) => ({ value, title })),
  });
  return {
    ...card,
    actions: [
      actionButton(t.open, Verb.exceptionalAccess, {
        employeeId: data.employeeId,
        conversationId: data.conversationId,
      }),
      menuButton(text.menu.back),
    ],
  };
}

/** A short message card: a refusal, a confirmation or a prompt, with an optional next step and the menu. */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { type Verb } from './verbs';

/** A button on a notice: a verb and its data. */
export interface NoticeAction {
  readonly title: string;
  readonly verb: Verb;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The notice card's data model. */
export interface NoticeCardData {
  readonly title?: string | undefined;
  readonly message: string;
  /** Extra lines under the message (e.g. the adjustments an employee asked for). */
  readonly details?: readonly string[];
  readonly tone?: 'default' | 'warning' | 'attention';
  readonly actions?: readonly NoticeAction[];
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    {
      type: 'Container',
      style: '${style}',
      items: [
        {
          type: 'TextBlock',
          text: '${title}',
          weight: 'Bolder',
          size: 'Medium',
          wrap: true,
          $when: '${title != null}',
        },
        { type: 'TextBlock', text: '${message}', wrap: true },
        { type: 'TextBlock', $data: '${details}', text: '${$data}', wrap: true, spacing: 'Small' },
      ],
    },
  ],
};

/** Renders a notice. Buttons are built here rather than bound, so each keeps its own data. */
export function createNoticeCard(data: NoticeCardData): CardJson {
  const card = renderTemplate(template, {
    title: data.title ?? null,
    message: data.message,
    details: data.details ?? [],
    style: data.tone === 'attention' ? 'attention' : data.tone === 'warning' ? 'warning' : 'default',
  });
  return {
    ...card,
    actions: [
      ...(data.actions ?? []).map((a) => actionButton(a.title, a.verb, a.data ?? {})),
      menuButton(text.menu.back),
    ],
  };
}

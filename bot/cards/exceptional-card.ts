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

/** One line of a finder card: a person to choose, or a record to open. */
export interface ExceptionalLine {
  readonly label: string;
  /** The button's data (employeeId, and conversationId for a record). */
  readonly data: Readonly<Record<string, string>>;
}

const listTemplate: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    { type: 'TextBlock', text: '${intro}', wrap: true, $when: '${intro != null}' },
    {
      type: 'Input.Text',
      $when: '${askQuery}',
      id: 'query',
      label: '${queryLabel}',
      placeholder: '${queryPlaceholder}',
      maxLength: 200,
      value: '${query}',
    },
    {
      type: 'ColumnSet',
      $data: '${lines}',
      separator: true,
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: '${label}', wrap: true }] },
        {
          type: 'Column',
          width: 'auto',
          items: [{ type: 'ActionSet', actions: ['${button}'] }],
        },
      ],
    },
    { type: 'TextBlock', text: '${moreLine}', isSubtle: true, size: 'Small', $when: '${moreLine != null}' },
  ],
};

/**
 * The way in to exceptional access for the monitoring team: find a colleague by name or e-mail
 * (leavers included, whose records are archived), then their completed conversations — dates,
 * types and who held them, never notes — each opening the reason card.
 */
export function createExceptionalFinderCard(data: {
  readonly title: string;
  readonly intro?: string | undefined;
  readonly message?: string | undefined;
  /** Show the name-or-e-mail box (with what was typed). */
  readonly query?: string | undefined;
  readonly askQuery: boolean;
  readonly lines: readonly ExceptionalLine[];
  readonly buttonTitle: string;
  readonly buttonVerb: Verb;
  readonly moreLine?: string | undefined;
}): CardJson {
  const t = text.exceptional;
  const card = renderTemplate(listTemplate, {
    title: data.title,
    intro: data.intro ?? null,
    message: data.message ?? null,
    askQuery: data.askQuery,
    queryLabel: t.findLabel,
    queryPlaceholder: t.findPlaceholder,
    query: data.query ?? '',
    lines: data.lines.map((l) => ({
      label: l.label,
      button: actionButton(data.buttonTitle, data.buttonVerb, l.data),
    })),
    moreLine: data.moreLine ?? null,
  });
  return {
    ...card,
    actions: [
      ...(data.askQuery ? [actionButton(t.find, Verb.exceptionalFind)] : []),
      menuButton(text.menu.back),
    ],
  };
}

/** "My team" (DESIGN.md §4): each direct report with status, held vs expected, dates, actions, buttons. */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** One report as the card shows them. */
export interface TeamCardRow {
  readonly employeeId: string;
  readonly name: string;
  readonly status: string;
  /** Adaptive Cards colour of the status: Attention (overdue), Warning (due soon), Good, Default. */
  readonly statusColor: 'Attention' | 'Warning' | 'Good' | 'Default';
  readonly held: string;
  readonly last: string;
  readonly next: string;
  readonly actions: string;
}

/** The team card's data model. */
export interface TeamCardData {
  /** The policy has pay steps (CC §5.8): each row offers the readiness card. */
  readonly payStep?: boolean | undefined;
  readonly title: string;
  readonly summary: string;
  readonly rows: readonly TeamCardRow[];
  /** 1-based. */
  readonly page: number;
  readonly pages: number;
}

/** Reports shown per card: a card stays well under 40 KB and readable on a phone. */
export const TEAM_PAGE_SIZE = 8;

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${summary}', wrap: true, spacing: 'None' },
    { type: 'TextBlock', text: '${empty}', wrap: true, $when: '${count(rows) == 0}' },
    {
      type: 'Container',
      $data: '${rows}',
      separator: true,
      spacing: 'Medium',
      items: [
        {
          type: 'ColumnSet',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [{ type: 'TextBlock', text: '${name}', weight: 'Bolder', wrap: true }],
            },
            {
              type: 'Column',
              width: 'auto',
              items: [{ type: 'TextBlock', text: '${status}', color: '${statusColor}', weight: 'Bolder' }],
            },
          ],
        },
        {
          type: 'TextBlock',
          text: '${held} · ${last} · ${next}',
          wrap: true,
          isSubtle: true,
          size: 'Small',
          spacing: 'None',
        },
        { type: 'TextBlock', text: '${actions}', wrap: true, size: 'Small', spacing: 'None' },
        {
          type: 'ActionSet',
          actions: [
            actionButton(text.menu.schedule, Verb.schedule, { employeeId: '${employeeId}' }),
            actionButton(text.menu.log, Verb.log, { employeeId: '${employeeId}' }),
            actionButton(text.menu.history, Verb.history, { employeeId: '${employeeId}' }),
            {
              ...actionButton(text.payStep.button, Verb.payStep, { employeeId: '${employeeId}' }),
              $when: '${$root.payStep}',
            },
          ],
        },
      ],
    },
    { type: 'TextBlock', text: '${pageLabel}', isSubtle: true, size: 'Small', $when: '${pages > 1}' },
    {
      type: 'ActionSet',
      $when: '${pages > 1}',
      actions: [
        { ...actionButton(text.team.previous, Verb.team, { page: '${page - 1}' }), $when: '${page > 1}' },
        { ...actionButton(text.team.nextPage, Verb.team, { page: '${page + 1}' }), $when: '${page < pages}' },
      ],
    },
  ],
  actions: [menuButton(text.menu.back)],
};

/** Renders one page of a manager's team. */
export function createTeamCard(data: TeamCardData): CardJson {
  return renderTemplate(template, {
    ...data,
    payStep: data.payStep === true,
    empty: text.team.empty,
    pageLabel: text.team.page(data.page, data.pages),
  });
}

/**
 * The weekly digest per manager (DESIGN.md §4 "Nudge"): how the team stands, who needs a
 * conversation first (most overdue first, with Schedule), actions past due (counts and dates only,
 * never an action's text), and the quarter's completion, naming which figure it is.
 */
import { text } from '../i18n/en-GB';
import { type PolicyWords } from '../i18n/policy-words';
import { type CardJson, CARD_VERSION, actionButton, menuButton, renderTemplate } from './card';
import { shortDate } from './reminder-card';
import { Verb } from './verbs';

/** One person the manager should see first. */
export interface DigestPerson {
  readonly employeeId: string;
  readonly name: string;
  /** A compliance status id (`overdue`, `due-soon`, …). */
  readonly status: string;
  readonly daysOverdue: number;
  /** ISO date. */
  readonly nextDue: string;
}

/** One report's actions past their due date: how many and the oldest due date. */
export interface DigestActionsPastDue {
  readonly employeeId: string;
  readonly employeeName: string;
  readonly count: number;
  /** ISO date of the oldest past-due action, when known. */
  readonly oldestDue?: string | undefined;
}

/** The digest card's data model. */
export interface DigestCardData {
  readonly managerName: string;
  /** ISO date of the digest's day. */
  readonly weekOf: string;
  readonly counts: {
    readonly overdue: number;
    readonly dueSoon: number;
    readonly onTrack: number;
    readonly induction: number;
    readonly total: number;
  };
  readonly first: readonly DigestPerson[];
  readonly actionsPastDue: readonly DigestActionsPastDue[];
  readonly quarter: {
    /** The quarter, e.g. `2026/27 Q3`. */
    readonly label: string;
    readonly held: number;
    readonly eligible: number;
    /** Whole percent; undefined when nobody was eligible. */
    readonly percent: number | undefined;
    /** Which figure this is, in words (e.g. "quarterly completion: held at least one …"). */
    readonly figure: string;
  };
  /**
   * The policy's words: when given, the figure is named from `policy.compliance.quarterlyFigure`
   * (overriding `quarter.figure`) and statuses by the policy's labels.
   */
  readonly words?: PolicyWords;
}

/** People listed under "who needs a conversation first". */
export const DIGEST_FIRST = 10;
/** Reports listed under "actions past due". */
export const DIGEST_ACTIONS = 10;

const t = text.reminders.digest;

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${weekOf}', isSubtle: true, spacing: 'None' },
    { type: 'FactSet', facts: [{ $data: '${counts}', title: '${label}', value: '${value}' }] },
    { type: 'TextBlock', text: '${firstHeading}', weight: 'Bolder', separator: true, wrap: true },
    { type: 'TextBlock', text: '${firstNone}', wrap: true, $when: '${count(first) == 0}' },
    {
      type: 'ColumnSet',
      $data: '${first}',
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'Center',
          items: [
            { type: 'TextBlock', text: '${name}', weight: 'Bolder', wrap: true },
            {
              type: 'TextBlock',
              text: '${line}',
              color: '${color}',
              wrap: true,
              size: 'Small',
              spacing: 'None',
            },
          ],
        },
        {
          type: 'Column',
          width: 'auto',
          items: [
            {
              type: 'ActionSet',
              actions: [actionButton(text.menu.schedule, Verb.schedule, { employeeId: '${employeeId}' })],
            },
          ],
        },
      ],
    },
    { type: 'TextBlock', text: '${firstMore}', wrap: true, size: 'Small', $when: '${firstMore != null}' },
    { type: 'TextBlock', text: '${actionsHeading}', weight: 'Bolder', separator: true, wrap: true },
    { type: 'TextBlock', text: '${actionsNone}', wrap: true, $when: '${count(actions) == 0}' },
    {
      type: 'FactSet',
      $when: '${count(actions) > 0}',
      facts: [{ $data: '${actions}', title: '${name}', value: '${line}' }],
    },
    { type: 'TextBlock', text: '${actionsMore}', wrap: true, size: 'Small', $when: '${actionsMore != null}' },
    { type: 'TextBlock', text: '${quarterHeading}', weight: 'Bolder', separator: true, wrap: true },
    { type: 'TextBlock', text: '${quarterFigure}', wrap: true, spacing: 'None' },
    { type: 'TextBlock', text: '${figure}', wrap: true, isSubtle: true, size: 'Small', spacing: 'None' },
  ],
  actions: [actionButton(text.menu.team, Verb.team), menuButton(text.menu.back)],
};

/** Renders a manager's weekly digest. */
export function createDigestCard(data: DigestCardData): CardJson {
  const first = [...data.first].sort((a, b) => b.daysOverdue - a.daysOverdue);
  const shownFirst = first.slice(0, DIGEST_FIRST);
  const shownActions = data.actionsPastDue.slice(0, DIGEST_ACTIONS);
  const { counts, quarter, words } = data;
  const statusText = (status: string): string =>
    status === 'induction' && words
      ? words.status(status)
      : ((text.status as Readonly<Record<string, string>>)[status] ?? text.status.unknown);
  return renderTemplate(template, {
    title: t.title(data.managerName),
    weekOf: t.weekOf(shortDate(data.weekOf)),
    counts: [
      { label: t.overdue, value: String(counts.overdue) },
      { label: t.dueSoon, value: String(counts.dueSoon) },
      { label: t.onTrack, value: String(counts.onTrack) },
      { label: inductionLabel(words), value: String(counts.induction) },
      { label: t.total, value: String(counts.total) },
    ],
    firstHeading: t.firstHeading,
    firstNone: t.firstNone,
    first: shownFirst.map((p) => ({
      employeeId: p.employeeId,
      name: p.name,
      line: t.firstLine(statusText(p.status), p.daysOverdue, shortDate(p.nextDue)),
      color: p.daysOverdue > 0 ? 'Attention' : p.status === 'due-soon' ? 'Warning' : 'Default',
    })),
    firstMore:
      first.length > shownFirst.length ? text.reminders.more(first.length - shownFirst.length) : null,
    actionsHeading: t.actionsHeading,
    actionsNone: t.actionsNone,
    actions: shownActions.map((a) => ({
      name: a.employeeName,
      line: t.actionsLine(a.count, a.oldestDue === undefined ? undefined : shortDate(a.oldestDue)),
    })),
    actionsMore:
      data.actionsPastDue.length > shownActions.length
        ? text.reminders.more(data.actionsPastDue.length - shownActions.length)
        : null,
    quarterHeading: t.quarterHeading(quarter.label),
    quarterFigure: t.quarterFigure(quarter.held, quarter.eligible, quarter.percent),
    figure: t.figure(words ? words.quarterlyFigure.label : quarter.figure),
  });
}

/** "In induction", unless the policy names that status otherwise ("In first 12 months"). */
function inductionLabel(words: PolicyWords | undefined): string {
  const own = words?.status('induction');
  return own === undefined || own === text.status.induction ? t.induction : own;
}

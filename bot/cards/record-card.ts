/**
 * A conversation record's copy (DESIGN.md §4 Log; PC §1.2, §4.5: both parties keep a copy of the
 * outcomes and actions). It stays current through Universal Actions `refresh`; the employee's
 * copy lets them acknowledge it and add comments.
 */
import { LIMITS } from '../conversations/record-form';
import { text } from '../i18n/en-GB';
import {
  type CardJson,
  CARD_VERSION,
  MAX_CARD_BYTES,
  actionButton,
  menuButton,
  renderTemplate,
} from './card';
import { Verb } from './verbs';

/** One key area as recorded. */
export interface RecordArea {
  readonly title: string;
  readonly notes: string;
  readonly outcomes: string;
}

/** The record card's data model. */
export interface RecordCardData {
  readonly employeeId: string;
  readonly conversationId: string;
  /** The record's version: acknowledging a stale copy refreshes it instead. */
  readonly etag: string;
  readonly title: string;
  readonly parties: string;
  readonly positionNumber: string;
  readonly minutes?: number | undefined;
  readonly areas: readonly RecordArea[];
  readonly actions: readonly string[];
  /** Policy record fields (rating, agreed frequency …) as label/value. */
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly acknowledgedAt?: string | undefined;
  readonly comments?: string | undefined;
  /** True on the employee's own copy while not yet acknowledged. */
  readonly canAcknowledge: boolean;
  /**
   * The colleague's appeal against a career conversation (CC §5.10): a line saying where it
   * stands or that the window has closed, and whether the Appeal button is offered.
   */
  readonly appeal?: { readonly line: string | undefined; readonly button: boolean } | undefined;
  /** On the colleague's copy: each exceptional reading of the notes (who read, when, why). */
  readonly exceptionalReads?: readonly string[] | undefined;
  /** A line at the top: "saved", "already saved", "booked for …". */
  readonly message?: string | undefined;
  /** Teams user ids (MRIs) whose copies refresh automatically (≤ 60). */
  readonly refreshUserIds: readonly string[];
  readonly errors?: Readonly<Record<string, string>>;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    {
      type: 'Container',
      style: 'good',
      $when: '${message != null}',
      items: [{ type: 'TextBlock', text: '${message}', wrap: true }],
    },
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${parties}', wrap: true, spacing: 'None' },
    { type: 'FactSet', facts: [{ $data: '${facts}', title: '${title}', value: '${value}' }] },
    { type: 'TextBlock', text: '${areasHeading}', weight: 'Bolder', size: 'Medium', spacing: 'Medium' },
    {
      type: 'Container',
      $data: '${areas}',
      separator: true,
      items: [
        { type: 'TextBlock', text: '${title}', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '**${$root.notesLabel}**: ${notes}', wrap: true, $when: "${notes != ''}" },
        {
          type: 'TextBlock',
          text: '**${$root.outcomesLabel}**: ${outcomes}',
          wrap: true,
          $when: "${outcomes != ''}",
        },
        {
          type: 'TextBlock',
          text: '${$root.notDiscussed}',
          wrap: true,
          isSubtle: true,
          spacing: 'None',
          $when: "${notes == '' && outcomes == ''}",
        },
      ],
    },
    { type: 'TextBlock', text: '${actionsHeading}', weight: 'Bolder', size: 'Medium', spacing: 'Medium' },
    { type: 'TextBlock', text: '${noActions}', wrap: true, isSubtle: true, $when: '${count(actions) == 0}' },
    { type: 'TextBlock', $data: '${actions}', text: '- ${$data}', wrap: true, spacing: 'Small' },
    {
      type: 'TextBlock',
      text: '${moreActions}',
      isSubtle: true,
      wrap: true,
      $when: '${moreActions != null}',
    },
    { type: 'TextBlock', text: '${shortened}', isSubtle: true, wrap: true, $when: '${shortened != null}' },
    { type: 'TextBlock', text: '${ackLine}', wrap: true, isSubtle: true, spacing: 'Medium' },
    { type: 'TextBlock', text: '${appealLine}', wrap: true, $when: '${appealLine != null}' },
    { type: 'TextBlock', $data: '${exceptionalReads}', text: '${$data}', wrap: true, isSubtle: true },
    {
      type: 'Container',
      $when: '${comments != null}',
      items: [
        { type: 'TextBlock', text: '${commentsLabel}', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${comments}', wrap: true },
      ],
    },
    {
      type: 'Input.Text',
      $when: '${canAcknowledge}',
      id: 'comments',
      label: '${addCommentsLabel}',
      isMultiline: true,
      maxLength: LIMITS.comments,
      value: '${commentsDraft}',
    },
    {
      type: 'TextBlock',
      $when: '${commentsError != null}',
      text: '${commentsError}',
      color: 'Attention',
      size: 'Small',
      wrap: true,
      spacing: 'None',
    },
  ],
};

/** Actions listed on a copy; the rest are counted (carried-forward lists can grow long). */
export const ACTIONS_SHOWN = 12;

/** Renders a copy of the record for one reader; text is shortened only if it cannot otherwise fit 40 KB. */
export function createRecordCard(data: RecordCardData, commentsDraft = ''): CardJson {
  try {
    return render(data, commentsDraft, false);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes(String(MAX_CARD_BYTES))) throw error;
    return render(data, commentsDraft, true);
  }
}

function render(data: RecordCardData, commentsDraft: string, compact: boolean): CardJson {
  const cut = (s: string) => (compact && s.length > 300 ? `${s.slice(0, 299)}…` : s);
  const card = renderTemplate(template, {
    message: data.message ?? null,
    title: data.title,
    parties: data.parties,
    facts: [
      { title: text.record.positionNumber, value: data.positionNumber },
      ...(data.minutes ? [{ title: text.record.length, value: text.record.minutes(data.minutes) }] : []),
      ...data.facts,
    ],
    areasHeading: text.record.areasHeading,
    notesLabel: text.record.notes,
    notDiscussed: text.record.notDiscussed,
    outcomesLabel: text.record.outcomes,
    areas: data.areas.map((a) => ({ title: a.title, notes: cut(a.notes), outcomes: cut(a.outcomes) })),
    actionsHeading: text.record.actionsHeading,
    noActions: text.record.noActions,
    actions: data.actions.slice(0, ACTIONS_SHOWN),
    moreActions:
      data.actions.length > ACTIONS_SHOWN
        ? text.record.moreActions(data.actions.length - ACTIONS_SHOWN)
        : null,
    shortened: compact ? text.record.shortened : null,
    ackLine: data.acknowledgedAt
      ? text.record.acknowledged(data.acknowledgedAt)
      : data.canAcknowledge
        ? text.record.notAcknowledgedByYou
        : text.record.notAcknowledged,
    appealLine: data.appeal?.line ?? null,
    exceptionalReads: data.exceptionalReads ?? [],
    commentsLabel: text.record.comments,
    comments: data.comments === undefined ? null : cut(data.comments),
    canAcknowledge: data.canAcknowledge,
    addCommentsLabel: text.record.addComments,
    commentsDraft,
    commentsError: data.errors?.comments ?? null,
  });
  const ids = { employeeId: data.employeeId, conversationId: data.conversationId };
  return {
    ...card,
    refresh: {
      action: {
        type: 'Action.Execute',
        title: text.menu.view,
        verb: Verb.record,
        data: { ...ids, verb: Verb.record },
      },
      userIds: data.refreshUserIds.slice(0, 60),
    },
    actions: [
      ...(data.canAcknowledge
        ? [actionButton(text.record.acknowledge, Verb.acknowledge, { ...ids, etag: data.etag }, 'positive')]
        : []),
      ...(data.appeal?.button ? [actionButton(text.appeal.button, Verb.appeal, ids)] : []),
      menuButton(text.menu.back),
    ],
  };
}

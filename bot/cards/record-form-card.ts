/**
 * The manager's record card (DESIGN.md §3.1 record fields, §4 Log): employee, position number
 * (pre-filled), date, length, discussion notes and outcomes per key area, last time's open
 * actions to review, new actions (text, owner, due date), and the employee's shared preparation
 * alongside. Submitted with `Action.Execute`; an invalid submission comes back as this card with
 * the typed values kept and a message at each bad field.
 */
import {
  type FieldErrors,
  LIMITS,
  MAX_ACTIONS,
  type RecordFormValues,
  inputId,
} from '../conversations/record-form';
import { text } from '../i18n/en-GB';
import {
  type CardJson,
  CARD_VERSION,
  MAX_CARD_BYTES,
  actionButton,
  menuButton,
  objectivesBlock,
  renderTemplate,
} from './card';
import { Verb } from './verbs';

/** A key area as the form shows it. */
export interface FormArea {
  readonly id: string;
  readonly title: string;
  readonly prompts: readonly string[];
}

/** A policy record field the form renders generically. */
export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly required: boolean;
  readonly options?: readonly string[] | undefined;
}

/** An open action from the last conversation, to review. */
export interface ReviewAction {
  readonly id: string;
  readonly text: string;
  readonly owner: string;
  readonly dueDate: string;
}

/** The record form's data model. */
export interface RecordFormCardData {
  readonly employeeId: string;
  readonly employeeName: string;
  readonly managerName: string;
  readonly conversationId: string;
  readonly typeId: string;
  readonly typeLabel: string;
  /** The version of a booked conversation being logged (a stale one is refused and refreshed). */
  readonly etag?: string | undefined;
  readonly minutesRange: { readonly min: number; readonly max: number };
  readonly areas: readonly FormArea[];
  readonly areaFields: readonly { readonly id: string; readonly label: string }[];
  readonly extraFields: readonly FormField[];
  readonly previousActions: readonly ReviewAction[];
  readonly values: RecordFormValues;
  /** Action rows to show (at least the typed ones). */
  readonly actionRows: number;
  /** The employee's preparation, when they shared it. */
  readonly prep?: { readonly areas: readonly { title: string; text: string }[] } | undefined;
  /** The employee leads this conversation (CC §5.8): their preparation opens the form. */
  readonly prepFirst?: boolean | undefined;
  /** The objectives agreed last time, to review (CC §5.3): a heading and one line per objective. */
  readonly objectives?: { readonly heading: string; readonly lines: readonly string[] } | undefined;
  readonly adjustments?: string | undefined;
  readonly errors?: FieldErrors;
  readonly message?: string | undefined;
  /** Saving again stores a record although one of this type is already held that day (confirmed). */
  readonly confirmSameDay?: boolean | undefined;
}

const error = (binding: string) => ({
  type: 'TextBlock',
  $when: `\${${binding} != null}`,
  text: `\${${binding}}`,
  color: 'Attention',
  size: 'Small',
  wrap: true,
  spacing: 'None',
});

/** The employee's shared preparation, under `binding` ({heading, areas}); shown only when it is set. */
function prepBlock(binding: string): Readonly<Record<string, unknown>> {
  return {
    type: 'Container',
    $when: `\${${binding} != null}`,
    style: 'emphasis',
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: `\${${binding}.heading}`, weight: 'Bolder', wrap: true },
      {
        type: 'TextBlock',
        $data: `\${${binding}.areas}`,
        text: '**${title}**: ${text}',
        wrap: true,
        size: 'Small',
      },
    ],
  };
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    {
      type: 'Container',
      style: 'attention',
      $when: '${message != null}',
      items: [{ type: 'TextBlock', text: '${message}', wrap: true, weight: 'Bolder' }],
    },
    // A conversation the employee leads opens with what they prepared (CC §5.8).
    prepBlock('prepTop'),
    {
      type: 'TextBlock',
      $when: '${prepMissing != null}',
      text: '${prepMissing}',
      wrap: true,
      isSubtle: true,
    },
    {
      type: 'FactSet',
      facts: [
        { title: '${employeeLabel}', value: '${employeeName}' },
        { title: '${heldByLabel}', value: '${managerName}' },
      ],
    },
    {
      type: 'Input.Text',
      id: inputId.positionNumber,
      label: '${positionLabel}',
      isRequired: true,
      errorMessage: '${requiredMessage}',
      maxLength: LIMITS.positionNumber,
      value: '${positionNumber}',
    },
    error('errors.positionNumber'),
    {
      type: 'Input.Date',
      id: inputId.date,
      label: '${dateLabel}',
      isRequired: true,
      errorMessage: '${requiredMessage}',
      value: '${date}',
    },
    error('errors.date'),
    {
      type: 'Input.Number',
      id: inputId.minutes,
      label: '${minutesLabel}',
      isRequired: true,
      errorMessage: '${requiredMessage}',
      min: '${minutesMin}',
      max: '${minutesMax}',
      value: '${minutes}',
    },
    error('errors.minutes'),
    prepBlock('prepBelow'),
    {
      type: 'Container',
      $when: '${adjustments != null}',
      style: 'warning',
      items: [
        { type: 'TextBlock', text: '${adjustmentsHeading}', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${adjustments}', wrap: true, size: 'Small' },
      ],
    },
    objectivesBlock,
    { type: 'TextBlock', text: '${areasHeading}', weight: 'Bolder', size: 'Medium', spacing: 'Large' },
    {
      type: 'Container',
      $data: '${areas}',
      separator: true,
      spacing: 'Medium',
      items: [
        { type: 'TextBlock', text: '${number}. ${title}', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${prompts}', wrap: true, isSubtle: true, size: 'Small', spacing: 'None' },
        {
          type: 'Container',
          $data: '${fields}',
          items: [
            {
              type: 'Input.Text',
              id: '${id}',
              label: '${label}',
              isMultiline: true,
              maxLength: LIMITS.areaField,
              value: '${value}',
            },
            error('error'),
          ],
        },
      ],
    },
    { type: 'TextBlock', text: '${previousHeading}', weight: 'Bolder', spacing: 'Large', wrap: true },
    {
      type: 'TextBlock',
      text: '${previousNone}',
      wrap: true,
      isSubtle: true,
      $when: '${count(previous) == 0}',
    },
    {
      type: 'TextBlock',
      text: '${previousMore}',
      wrap: true,
      isSubtle: true,
      $when: '${previousMore != null}',
    },
    {
      type: 'Input.Toggle',
      $data: '${previous}',
      id: '${id}',
      title: '${label}',
      value: '${value}',
      valueOn: 'true',
      valueOff: 'false',
      wrap: true,
    },
    { type: 'TextBlock', text: '${actionsHeading}', weight: 'Bolder', spacing: 'Large', wrap: true },
    {
      type: 'Container',
      $data: '${actions}',
      separator: true,
      items: [
        {
          type: 'Input.Text',
          id: '${textId}',
          label: '${textLabel}',
          maxLength: LIMITS.action,
          value: '${text}',
        },
        error('textError'),
        {
          type: 'ColumnSet',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [
                {
                  type: 'Input.ChoiceSet',
                  id: '${ownerId}',
                  label: '${ownerLabel}',
                  value: '${owner}',
                  choices: [
                    { title: '${ownerManager}', value: 'manager' },
                    { title: '${ownerEmployee}', value: 'employee' },
                  ],
                },
                error('ownerError'),
              ],
            },
            {
              type: 'Column',
              width: 'stretch',
              items: [
                { type: 'Input.Date', id: '${dueId}', label: '${dueLabel}', value: '${due}' },
                error('dueError'),
              ],
            },
          ],
        },
      ],
    },
    {
      type: 'Container',
      $data: '${fields}',
      spacing: 'Medium',
      items: [
        {
          type: 'Input.Text',
          $when: "${kind == 'text' || kind == 'long-text'}",
          id: '${id}',
          label: '${label}',
          isRequired: '${required}',
          errorMessage: '${$root.requiredMessage}',
          isMultiline: "${kind == 'long-text'}",
          maxLength: LIMITS.areaField,
          value: '${value}',
        },
        {
          type: 'Input.Number',
          $when: "${kind == 'number'}",
          id: '${id}',
          label: '${label}',
          isRequired: '${required}',
          errorMessage: '${$root.requiredMessage}',
          min: 1,
          value: '${value}',
        },
        {
          type: 'Input.ChoiceSet',
          $when: "${kind == 'choice'}",
          id: '${id}',
          label: '${label}',
          isRequired: '${required}',
          errorMessage: '${$root.requiredMessage}',
          value: '${value}',
          choices: [{ $data: '${options}', title: '${$data}', value: '${$data}' }],
        },
        {
          type: 'Input.Toggle',
          $when: "${kind == 'boolean'}",
          id: '${id}',
          title: '${label}',
          value: '${value}',
          valueOn: 'true',
          valueOff: 'false',
          wrap: true,
        },
        error('error'),
      ],
    },
  ],
};

/** Open actions from last time offered for review; any beyond stay open and are carried forward. */
export const PREVIOUS_SHOWN = 8;

/** Objectives carried forward shown on the form (each up to a field's length; more are rare). */
export const OBJECTIVES_SHOWN = 12;

/**
 * Where the employee's preparation goes: first on the form when they lead the conversation (with
 * a line saying when they shared none), beside the key areas otherwise.
 */
function prepData(
  data: RecordFormCardData,
  shorten: (s: string, max: number) => string,
): { prepTop: unknown; prepBelow: unknown; prepMissing: string | null } {
  const prep = data.prep && {
    heading: data.prepFirst
      ? text.log.prepLeadsHeading(data.employeeName)
      : text.log.prepHeading(data.employeeName),
    areas: data.prep.areas.map((a) => ({ title: a.title, text: shorten(a.text, 150) })),
  };
  return {
    prepTop: data.prepFirst ? (prep ?? null) : null,
    prepBelow: data.prepFirst ? null : (prep ?? null),
    prepMissing: data.prepFirst && !prep ? text.log.prepLeadsNone(data.employeeName) : null,
  };
}

/** Renders the record form; when the full form would pass Teams' 40 KB, prompts and shared notes are shortened. */
export function createRecordFormCard(data: RecordFormCardData): CardJson {
  try {
    return render(data, false);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.includes(String(MAX_CARD_BYTES))) throw error;
    return render(data, true);
  }
}

function render(data: RecordFormCardData, compact: boolean): CardJson {
  const errors = data.errors ?? {};
  const err = (id: string) => errors[id] ?? null;
  const v = data.values;
  const typedRows = v.actions.length;
  const rows = Math.min(MAX_ACTIONS, Math.max(typedRows, data.actionRows, 1));
  const shorten = (s: string, max: number) => (compact && s.length > max ? `${s.slice(0, max - 1)}…` : s);
  // Compact: text pasted past a field's limit (only a client that ignores maxLength can send it)
  // is shown cut to the limit; the field's message still gives its full length.
  const kept = (s: string, max: number) => (compact && s.length > max ? s.slice(0, max) : s);
  const actions = Array.from({ length: rows }, (_, n) => {
    const typed = v.actions[n];
    return {
      textId: inputId.actionText(n),
      ownerId: inputId.actionOwner(n),
      dueId: inputId.actionDue(n),
      text: kept(typed?.text ?? '', LIMITS.action),
      owner: kept(typed?.owner ?? '', LIMITS.field),
      due: kept(typed?.due ?? '', 10),
      textError: err(inputId.actionText(n)),
      ownerError: err(inputId.actionOwner(n)),
      dueError: err(inputId.actionDue(n)),
      textLabel: `${text.log.actionText} ${n + 1}`,
      ownerLabel: text.log.actionOwner,
      dueLabel: text.log.actionDue,
      ownerManager: text.log.ownerManager,
      ownerEmployee: text.log.ownerEmployee,
    };
  });
  const card = renderTemplate(template, {
    title: text.log.title(data.employeeName),
    message: data.message ?? null,
    employeeLabel: text.log.employee,
    heldByLabel: text.log.heldBy,
    employeeName: data.employeeName,
    managerName: data.managerName,
    requiredMessage: text.log.required,
    positionLabel: text.log.positionNumber,
    positionNumber: kept(v.positionNumber, LIMITS.positionNumber),
    dateLabel: text.log.date,
    date: v.date,
    minutesLabel: text.log.minutes(data.minutesRange.min, data.minutesRange.max),
    minutesMin: data.minutesRange.min,
    minutesMax: data.minutesRange.max,
    minutes: v.minutes,
    errors: {
      positionNumber: err(inputId.positionNumber),
      date: err(inputId.date),
      minutes: err(inputId.minutes),
    },
    ...prepData(data, shorten),
    objectives: data.objectives
      ? {
          heading: data.objectives.heading,
          lines: data.objectives.lines.slice(0, OBJECTIVES_SHOWN).map((l) => shorten(l, 200)),
        }
      : null,
    adjustmentsHeading: text.log.adjustmentsHeading,
    adjustments: data.adjustments === undefined ? null : shorten(data.adjustments, 300),
    areasHeading: text.log.areasHeading,
    areas: data.areas.map((area, i) => ({
      number: i + 1,
      title: area.title,
      prompts: compact ? '' : area.prompts.map((p) => `- ${p}`).join('\r'),
      fields: data.areaFields.map((f) => {
        const id = inputId.area(area.id, f.id);
        return {
          id,
          label: f.label,
          value: kept(v.areas[area.id]?.[f.id] ?? '', LIMITS.areaField),
          error: err(id),
        };
      }),
    })),
    previousHeading: text.log.previousHeading,
    previousNone: text.log.previousNone,
    previousMore:
      data.previousActions.length > PREVIOUS_SHOWN
        ? text.log.previousMore(data.previousActions.length - PREVIOUS_SHOWN)
        : null,
    previous: data.previousActions.slice(0, PREVIOUS_SHOWN).map((a) => ({
      id: inputId.review(a.id),
      label: text.log.previousItem(shorten(a.text, 100), a.owner, a.dueDate),
      value: v.reviewedDone.includes(a.id) ? 'true' : 'false',
    })),
    actionsHeading: text.log.actionsHeading,
    actions,
    fields: data.extraFields.map((f) => ({
      id: inputId.field(f.id),
      label: f.label,
      kind: f.kind,
      required: f.required,
      options: f.options ?? [],
      value: kept(v.fields[f.id] ?? (f.kind === 'boolean' ? 'false' : ''), LIMITS.areaField),
      error: err(inputId.field(f.id)),
    })),
  });
  const ids = {
    employeeId: data.employeeId,
    conversationId: data.conversationId,
    typeId: data.typeId,
    rows: String(rows),
    ...(data.etag ? { etag: data.etag } : {}),
    ...(data.confirmSameDay ? { confirmSameDay: 'true' } : {}),
  };
  return {
    ...card,
    actions: [
      actionButton(text.log.save, Verb.logSave, ids, 'positive'),
      ...(rows < MAX_ACTIONS ? [actionButton(text.log.addAction, Verb.logMore, ids)] : []),
      menuButton(text.menu.back),
    ],
  };
}

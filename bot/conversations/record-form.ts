/**
 * The manager's record form (DESIGN.md §3.1 record fields, §4 Log): what a submission carries,
 * parsed without trusting it (STYLE.md rule 3), and checked field by field so an invalid
 * submission comes back as the same card with a message at each bad field and nothing typed lost.
 */
import { formatIsoDate, isIsoDate, parseIsoDate } from '../../core/dates/day';
import { type ConversationAction, type Employee, type IsoDate } from '../../core/model';
import { type ConversationType } from '../../core/policy/schema';
import { type AreaEntry } from '../../core/records';
import { text } from '../i18n/en-GB';

/** The longest text kept per area field, per comment and per action (characters). */
export const LIMITS = {
  areaField: 1000,
  action: 200,
  comments: 1000,
  prepArea: 1000,
  adjustments: 1000,
  positionNumber: 20,
  field: 200,
} as const;

/**
 * Why a text is too long for its field, or undefined. Limits are in characters, and also in
 * UTF-8 bytes (1.5 per character allowed), because Teams' 40 KB card limit counts bytes: text in
 * scripts that take 3 bytes a character must be shorter to fit the card it is shown on.
 */
export function lengthProblem(value: string, max: number): string | undefined {
  if (value.length > max) return text.log.errors.tooLong(max, value.length);
  if (Buffer.byteLength(value, 'utf8') > max * 1.5) return text.log.errors.tooLongBytes;
  return undefined;
}

/** Action rows a form can hold. */
export const MAX_ACTIONS = 8;

/** Record fields the form always shows itself; the policy's others are rendered generically. */
const FIXED_FIELDS = new Set(['employee', 'date', 'heldBy', 'positionNumber', 'actions']);

/** An action row as typed: strings as the user left them. */
export interface ActionInput {
  readonly text: string;
  readonly owner: string;
  readonly due: string;
}

/** Everything the form holds, as typed (strings), so it can be shown again unchanged. */
export interface RecordFormValues {
  readonly date: string;
  readonly minutes: string;
  readonly positionNumber: string;
  /** Per area id, per area field id (`notes`, `outcomes`). */
  readonly areas: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly actions: readonly ActionInput[];
  /** Ids of last time's open actions the manager marked done. */
  readonly reviewedDone: readonly string[];
  /** The policy's other record fields, by id, as typed. */
  readonly fields: Readonly<Record<string, string>>;
}

/** A message per field id (input ids as the card names them). */
export type FieldErrors = Readonly<Record<string, string>>;

/** Input ids on the card. */
export const inputId = {
  date: 'date',
  minutes: 'minutes',
  positionNumber: 'positionNumber',
  area: (areaId: string, fieldId: string) => `area.${areaId}.${fieldId}`,
  actionText: (n: number) => `action.${n}.text`,
  actionOwner: (n: number) => `action.${n}.owner`,
  actionDue: (n: number) => `action.${n}.due`,
  review: (actionId: string) => `review.${actionId}`,
  field: (fieldId: string) => `field.${fieldId}`,
} as const;

/** The policy's record fields the form renders generically (ratings, agreed frequencies, flags). */
export function extraFields(type: ConversationType): ConversationType['recordFields'] {
  return type.recordFields.filter((f) => !FIXED_FIELDS.has(f.id));
}

/** Reads the form's values out of submitted card data; anything missing is empty. */
export function readRecordForm(
  data: Readonly<Record<string, unknown>>,
  type: ConversationType,
  openActionIds: readonly string[],
): RecordFormValues {
  const str = (key: string) => {
    const value = data[key];
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  };
  const areas: Record<string, Record<string, string>> = {};
  for (const area of type.areas) {
    areas[area.id] = Object.fromEntries(type.areaFields.map((f) => [f.id, str(inputId.area(area.id, f.id))]));
  }
  const actions: ActionInput[] = [];
  for (let n = 0; n < MAX_ACTIONS; n++) {
    const row = {
      text: str(inputId.actionText(n)),
      owner: str(inputId.actionOwner(n)),
      due: str(inputId.actionDue(n)),
    };
    if (row.text.trim() !== '' || row.owner.trim() !== '' || row.due.trim() !== '') actions.push(row);
  }
  return {
    date: str(inputId.date).trim(),
    minutes: str(inputId.minutes).trim(),
    positionNumber: str(inputId.positionNumber),
    areas,
    actions,
    reviewedDone: openActionIds.filter((id) => str(inputId.review(id)) === 'true'),
    fields: Object.fromEntries(extraFields(type).map((f) => [f.id, str(inputId.field(f.id))])),
  };
}

/** What a valid form records. */
export interface RecordFormResult {
  readonly date: IsoDate;
  readonly durationMinutes: number;
  readonly positionNumber: string;
  readonly areas: Record<string, AreaEntry>;
  /** New actions typed on this form (ids assigned by the caller's `newId`). */
  readonly newActions: ConversationAction[];
  readonly fields: Record<string, string | number | boolean>;
  readonly objectivesMet?: boolean | undefined;
}

/** What checking a form needs besides the values. */
export interface CheckContext {
  readonly type: ConversationType;
  readonly employee: Employee;
  readonly today: IsoDate;
  readonly newId: () => string;
}

/**
 * What is wrong with a date that was typed but is no date (Teams' date input sends YYYY-MM-DD, a
 * client without one sends what was typed): a calendar date that does not exist ("2027-02-30"), or
 * text in another shape. Undefined when nothing was typed, which has its own message.
 */
function notADate(typed: string): string | undefined {
  const value = typed.trim();
  if (value === '') return undefined;
  const t = text.log.errors;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? t.notARealDate(value) : t.dateShape;
}

/** Checks every field; returns the record's content, or a message per bad field. */
export function checkRecordForm(
  values: RecordFormValues,
  context: CheckContext,
): { ok: true; result: RecordFormResult } | { ok: false; errors: FieldErrors } {
  const { type, employee, today } = context;
  const errors: Record<string, string> = {};
  const t = text.log.errors;

  if (!isIsoDate(values.date)) {
    errors[inputId.date] = notADate(values.date) ?? t.dateMissing;
  } else if (values.date > today) {
    errors[inputId.date] = t.dateFuture;
  } else if (values.date < employee.startDate) {
    errors[inputId.date] = t.dateBeforeStart(employee.startDate);
  }

  const minutes = Number(values.minutes);
  const { minMinutes, maxMinutes } = type.duration;
  if (!/^\d+$/.test(values.minutes) || minutes < minMinutes || minutes > maxMinutes) {
    errors[inputId.minutes] = t.minutes(minMinutes, maxMinutes);
  }

  const positionNumber = values.positionNumber.trim();
  if (positionNumber === '') errors[inputId.positionNumber] = t.positionMissing;
  else {
    const problem = lengthProblem(positionNumber, LIMITS.positionNumber);
    if (problem !== undefined) errors[inputId.positionNumber] = problem;
  }

  const areas: Record<string, AreaEntry> = {};
  for (const area of type.areas) {
    const typed = values.areas[area.id] ?? {};
    let any = false;
    for (const field of type.areaFields) {
      const value = (typed[field.id] ?? '').trim();
      const id = inputId.area(area.id, field.id);
      if (value !== '') any = true;
      const problem = lengthProblem(value, LIMITS.areaField);
      if (problem !== undefined) errors[id] = problem;
      else if (field.required && value === '') errors[id] = t.required(field.label);
    }
    // Every conversation covers every key area (PC §4.6): an area left blank is refused.
    if (!any) errors[inputId.area(area.id, type.areaFields[0]?.id ?? 'notes')] = t.areaMissing;
    areas[area.id] = {
      notes: (typed.notes ?? '').trim(),
      outcomes: (typed.outcomes ?? '').trim(),
    };
  }

  const newActions: ConversationAction[] = [];
  values.actions.forEach((action, n) => {
    const actionText = action.text.trim();
    const owner = action.owner.trim();
    const due = action.due.trim();
    if (actionText === '') errors[inputId.actionText(n)] = t.actionText;
    else if (lengthProblem(actionText, LIMITS.action) !== undefined)
      errors[inputId.actionText(n)] = lengthProblem(actionText, LIMITS.action)!;
    if (owner === '') errors[inputId.actionOwner(n)] = t.actionOwner;
    else if (lengthProblem(owner, LIMITS.field) !== undefined)
      errors[inputId.actionOwner(n)] = lengthProblem(owner, LIMITS.field)!;
    if (!isIsoDate(due)) errors[inputId.actionDue(n)] = notADate(due) ?? t.actionDue;
    else if (due > formatIsoDate(parseIsoDate(today) + 2 * 366))
      errors[inputId.actionDue(n)] = t.actionDueFar;
    newActions.push({ id: context.newId(), text: actionText, owner, dueDate: due, done: false });
  });

  const fields: Record<string, string | number | boolean> = {};
  let objectivesMet: boolean | undefined;
  for (const field of extraFields(type)) {
    const raw = (values.fields[field.id] ?? '').trim();
    const id = inputId.field(field.id);
    if (field.kind === 'boolean') {
      const value = raw === 'true';
      fields[field.id] = value;
      if (field.id === 'objectivesMet') objectivesMet = value;
      continue;
    }
    if (raw === '') {
      if (field.required) errors[id] = t.required(field.label);
      continue;
    }
    if (field.kind === 'number') {
      if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1) errors[id] = t.number(field.label);
      else fields[field.id] = Number(raw);
    } else if (field.kind === 'choice') {
      if (!(field.options ?? []).includes(raw)) errors[id] = t.choice(field.label);
      else fields[field.id] = raw;
    } else if (lengthProblem(raw, LIMITS.areaField) !== undefined) {
      errors[id] = lengthProblem(raw, LIMITS.areaField)!;
    } else {
      fields[field.id] = raw;
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    result: {
      date: values.date,
      durationMinutes: minutes,
      positionNumber,
      areas,
      newActions,
      fields,
      objectivesMet,
    },
  };
}

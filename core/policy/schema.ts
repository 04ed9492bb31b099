/**
 * The policy document: every number and list the rules use, validated with zod (DESIGN.md §3
 * "A policy is a validated JSON document … Every number below is a preset value, not a constant
 * in code"). Cards, rules, nudges and scheduling all read the same parsed object.
 */
import { z } from 'zod';
import { isIsoDate } from '../dates/day';
import { tryParseClockTime } from '../dates/london-time';

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a kebab-case id (lower-case letters, digits, hyphens)');
const text = z.string().trim().min(1, 'must not be empty');
const wholeDays = z.int().min(0);
const positiveInt = z.int().min(1);
const clockTime = z
  .string()
  .refine((v) => tryParseClockTime(v) !== undefined, 'must be a time HH:MM between 00:00 and 24:00');
const isoDate = z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD');

/** Statuses an employee can have at a date, in the order they are tested (DESIGN.md §3.1 "Status at D"). */
export const COMPLIANCE_STATUSES = [
  'left',
  'excluded',
  'induction',
  'overdue',
  'due-soon',
  'on-track',
] as const;

/** A per-employee status at a date (DESIGN.md §3.1). */
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** A length of time in days, weeks or calendar months. */
const periodSchema = z.strictObject({
  value: wholeDays,
  unit: z.enum(['days', 'weeks', 'months']),
});

/** One key area of a conversation: a section of the form, with prompts for both parties. */
const areaSchema = z.strictObject({
  id,
  title: text,
  prompts: z.array(text),
});

/** A field of the conversation record (card input). */
const recordFieldSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'must be a camelCase field id'),
  label: text,
  kind: z.enum(['person', 'position', 'date', 'text', 'long-text', 'number', 'actions', 'choice', 'boolean']),
  required: z.boolean(),
  options: z.array(text).min(1).optional(),
  help: text.optional(),
});

const conversationTypeSchema = z.strictObject({
  id,
  label: text,
  description: text,
  /** Meeting length in minutes (council: 10–60, default 30 — procedure §3.3). */
  duration: z.strictObject({ minMinutes: positiveInt, maxMinutes: positiveInt, defaultMinutes: positiveInt }),
  areas: z.array(areaSchema).min(1),
  /** Fields recorded for each area (e.g. discussion notes, outcomes). */
  areaFields: z.array(recordFieldSchema),
  /** Fields recorded once per conversation (employee, position number, date, manager, actions …). */
  recordFields: z.array(recordFieldSchema).min(1),
  /** The employee may ask for reasonable adjustments before the meeting (procedure §5.2). */
  reasonableAdjustmentsBeforeMeeting: z.boolean(),
  /** Both parties receive a copy of the outcomes-and-actions record (procedure §1.2, §4.5). */
  copyToBothParties: z.boolean(),
  /**
   * The employee leads this conversation (CC §5.8 "the colleague drives it"): the manager's form
   * opens with the employee's own preparation, and says so when there is none.
   */
  ledByEmployee: z.boolean().optional(),
  source: text,
});

const complianceSchema = z.strictObject({
  /** Conversation types that count towards compliance. */
  countedTypes: z.array(id).min(1),
  /** The rolling window, in calendar months: (D − windowMonths, D]. */
  windowMonths: positiveInt,
  /** Conversations required in the window. */
  required: positiveInt,
  /**
   * `pro-rata`: expected = min(required, floor(E / cadence days)), E = days of the window on or
   * after eligibleFrom (DESIGN.md §3.1). `full`: expected = required once eligible (NHS).
   */
  expected: z.enum(['pro-rata', 'full']),
  /** Time from the last held conversation to the next one being due. */
  cadence: periodSchema,
  /** Time from eligibleFrom to the first due date when none has been held since. */
  firstDueAfterEligible: periodSchema,
  /** Months in post before the employee counts (council induction 3; NHS population ≥ 12). */
  eligibleAfterMonths: wholeDays,
  /** `due-soon` when the next due date is at most this many days away. */
  dueSoonDays: wholeDays,
  /**
   * Staff groups outside the policy, matched as HR exports write them: ignoring case, surrounding
   * spaces and runs of spaces inside (`normaliseStaffGroup` in core/compliance/rules.ts).
   */
  excludedStaffGroups: z.array(text),
  /**
   * The person at the top of the tree (no manager, and people reporting to them: the Chief
   * Executive, appraised by elected members or the board) is outside the policy unless HR's
   * `out_of_scope` says otherwise.
   */
  topOfTreeOutOfScope: z.boolean().default(true),
  /**
   * How the next due date is found. `after-last-held`: the cadence after the last held
   * conversation (council, DESIGN.md §3.1). `anniversary`: each anniversary of the incremental
   * (pay-step) date, or of the start date without one; the cycle does not drift (NHS, DESIGN.md §3.2).
   */
  dueDates: z.enum(['after-last-held', 'anniversary']).default('after-last-held'),
  /**
   * What the quarterly figure measures. `held-in-quarter`: people with a conversation held in the
   * quarter ÷ people eligible on its first day (council, DESIGN.md §3.1). `compliant-at-quarter-end`:
   * people compliant at the quarter's end (D while in progress) ÷ people eligible then (NHS §8).
   */
  quarterlyFigure: z.enum(['held-in-quarter', 'compliant-at-quarter-end']).default('held-in-quarter'),
  source: text,
});

const supervisionSchema = z.strictObject({
  typeId: id,
  /** Used when the employee has no agreed frequency; null means "not agreed, nothing due". */
  defaultFrequencyWeeks: positiveInt.nullable(),
  source: text,
});

const inductionMeetingSchema = z.strictObject({
  typeId: id,
  dueWithinDays: wholeDays,
  /** Months after the start date during which a missing induction meeting is still reported. */
  trackForMonths: positiveInt,
  source: text,
});

/** The five pay-step checks the engine knows how to assess (Career Conversations policy §5.8 I–V). */
export const PAY_STEP_CHECK_KINDS = [
  'career-conversation-objectives-met',
  'no-capability-process',
  'no-live-disciplinary',
  'mandatory-training-complete',
  'reports-career-conversations-complete',
] as const;

const payStepSchema = z.strictObject({
  /** The conversation type whose outcome check I reads. */
  careerTypeId: id,
  /** Check I looks back this many months from the pay-step date. */
  lookBackMonths: positiveInt,
  /** Use the start-date anniversary as the incremental date when no pay-step date is recorded. */
  fallbackToStartDate: z.boolean(),
  checks: z
    .array(z.strictObject({ id: text, kind: z.enum(PAY_STEP_CHECK_KINDS), label: text, source: text }))
    .min(1),
  deferral: z.strictObject({ supportPlanRequired: z.boolean(), backdated: z.boolean(), source: text }),
  /**
   * Days before a pay-step date from which readiness is shown and a decision awaited
   * (`awaitingDecision`); the next date is considered from then even while an older one is undecided.
   */
  showFromDays: wholeDays.default(56),
});

const appealSchema = z.strictObject({
  typeId: id,
  /** Days after the conversation to appeal in writing (calendar days). */
  windowDays: wholeDays,
  /** Days after receipt for the appeal manager to acknowledge (calendar days). */
  acknowledgeDays: wholeDays,
  outcomes: z.array(text).min(1),
  peopleServicesAttend: z.boolean(),
  final: z.boolean(),
  source: text,
});

/** Who receives a nudge (DESIGN.md §4 "Nudge", procedure §4.2). */
const recipientSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manager') }),
  z.strictObject({ kind: z.literal('employee') }),
  z.strictObject({ kind: z.literal('od') }),
  /** The employee's ancestor at this depth of the tree (0 = the root), if above their manager. */
  z.strictObject({ kind: z.literal('org-level'), level: wholeDays }),
  /** The person this many levels above the employee's manager. */
  z.strictObject({ kind: z.literal('manager-above'), levels: positiveInt }),
]);

/** What a nudge is about: the counted conversation, a supervision, or the induction meeting. */
export const NUDGE_ITEMS = ['conversation', 'supervision', 'induction-meeting'] as const;

const nudgeStageSchema = z.strictObject({
  id,
  item: z.enum(NUDGE_ITEMS),
  kind: z.enum(['reminder', 'escalation']),
  /** Days after the due date the stage starts (negative: before it). */
  daysFromDue: z.int(),
  recipients: z.array(recipientSchema).min(1),
});

const nudgesSchema = z.strictObject({
  quietHours: z.strictObject({ start: clockTime, end: clockTime }),
  workingDaysOnly: z.boolean(),
  weeklyDigest: z.strictObject({ weekday: z.int().min(1).max(7), time: clockTime }),
  stages: z.array(nudgeStageSchema),
});

const calendarSchema = z.strictObject({
  timeZone: text,
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingWeekdays: z.array(z.int().min(1).max(7)).min(1),
  workingHours: z.strictObject({ start: clockTime, end: clockTime }),
  /** `england-and-wales` (built-in 2024–2030 list) or an explicit list. */
  bankHolidays: z.union([z.literal('england-and-wales'), z.array(isoDate)]),
  extraHolidays: z.array(isoDate),
  removedHolidays: z.array(isoDate),
  slotStepMinutes: positiveInt,
  proposeSlots: positiveInt,
});

const statusLabelsSchema = z.strictObject(
  Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, text])) as Record<ComplianceStatus, typeof text>,
);

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** The policy schema, with cross-field checks (type references, ranges, unique ids). */
export const policySchema = z
  .strictObject({
    id,
    name: text,
    description: text,
    source: text,
    conversationTypes: z.array(conversationTypeSchema).min(1),
    compliance: complianceSchema,
    supervision: supervisionSchema.optional(),
    inductionMeeting: inductionMeetingSchema.optional(),
    payStep: payStepSchema.optional(),
    appeal: appealSchema.optional(),
    nudges: nudgesSchema,
    calendar: calendarSchema,
    statusLabels: statusLabelsSchema,
  })
  .superRefine((p, ctx) => {
    const typeIds = new Set(p.conversationTypes.map((t) => t.id));
    for (const dup of duplicates(p.conversationTypes.map((t) => t.id))) {
      ctx.addIssue({ code: 'custom', path: ['conversationTypes'], message: `duplicate type id "${dup}"` });
    }
    p.conversationTypes.forEach((t, i) => {
      const { minMinutes, maxMinutes, defaultMinutes } = t.duration;
      if (minMinutes > maxMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['conversationTypes', i, 'duration', 'minMinutes'],
          message: 'must not exceed maxMinutes',
        });
      }
      if (defaultMinutes < minMinutes || defaultMinutes > maxMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['conversationTypes', i, 'duration', 'defaultMinutes'],
          message: `must be between minMinutes and maxMinutes (${minMinutes}–${maxMinutes})`,
        });
      }
      for (const dup of duplicates(t.areas.map((a) => a.id))) {
        ctx.addIssue({
          code: 'custom',
          path: ['conversationTypes', i, 'areas'],
          message: `duplicate area id "${dup}"`,
        });
      }
      for (const dup of duplicates(t.recordFields.map((f) => f.id))) {
        ctx.addIssue({
          code: 'custom',
          path: ['conversationTypes', i, 'recordFields'],
          message: `duplicate field id "${dup}"`,
        });
      }
      [...t.recordFields, ...t.areaFields].forEach((f) => {
        if (f.kind === 'choice' && !f.options) {
          ctx.addIssue({
            code: 'custom',
            path: ['conversationTypes', i, 'recordFields'],
            message: `choice field "${f.id}" needs options`,
          });
        }
      });
    });
    const typeRef = (value: string, path: (string | number)[]): void => {
      if (!typeIds.has(value)) {
        ctx.addIssue({ code: 'custom', path, message: `"${value}" is not one of the conversation type ids` });
      }
    };
    p.compliance.countedTypes.forEach((t, i) => typeRef(t, ['compliance', 'countedTypes', i]));
    if (p.compliance.expected === 'pro-rata' && p.compliance.cadence.unit === 'months') {
      ctx.addIssue({
        code: 'custom',
        path: ['compliance', 'cadence', 'unit'],
        message: 'a pro-rata expected count needs a cadence in days or weeks',
      });
    }
    if (p.compliance.cadence.value < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['compliance', 'cadence', 'value'],
        message: 'must be at least 1',
      });
    }
    if (p.supervision) typeRef(p.supervision.typeId, ['supervision', 'typeId']);
    if (p.inductionMeeting) typeRef(p.inductionMeeting.typeId, ['inductionMeeting', 'typeId']);
    if (p.payStep) typeRef(p.payStep.careerTypeId, ['payStep', 'careerTypeId']);
    if (p.appeal) typeRef(p.appeal.typeId, ['appeal', 'typeId']);
    p.nudges.stages.forEach((s, i) => {
      if (s.item === 'supervision' && !p.supervision) {
        ctx.addIssue({
          code: 'custom',
          path: ['nudges', 'stages', i, 'item'],
          message: 'supervision stages need a supervision section',
        });
      }
      if (s.item === 'induction-meeting' && !p.inductionMeeting) {
        ctx.addIssue({
          code: 'custom',
          path: ['nudges', 'stages', i, 'item'],
          message: 'induction-meeting stages need an inductionMeeting section',
        });
      }
    });
    for (const item of new Set(p.nudges.stages.map((s) => s.item))) {
      const stages = p.nudges.stages.filter((s) => s.item === item);
      for (const dup of duplicates(stages.map((s) => s.id))) {
        ctx.addIssue({
          code: 'custom',
          path: ['nudges', 'stages'],
          message: `duplicate ${item} stage id "${dup}"`,
        });
      }
      for (const dup of duplicates(stages.map((s) => String(s.daysFromDue)))) {
        ctx.addIssue({
          code: 'custom',
          path: ['nudges', 'stages'],
          message: `two ${item} stages start ${dup} days from the due date`,
        });
      }
    }
    const start = tryParseClockTime(p.calendar.workingHours.start) ?? 0;
    const end = tryParseClockTime(p.calendar.workingHours.end) ?? 0;
    if (start >= end) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar', 'workingHours', 'end'],
        message: 'must be after start',
      });
    }
    if (duplicates(p.calendar.workingWeekdays.map(String)).length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar', 'workingWeekdays'],
        message: 'must not repeat a weekday',
      });
    }
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: p.calendar.timeZone });
    } catch {
      ctx.addIssue({ code: 'custom', path: ['calendar', 'timeZone'], message: 'is not an IANA time zone' });
    }
  });

/** A validated policy (DESIGN.md §3). */
export type Policy = z.output<typeof policySchema>;
/** A conversation type of a policy: id, label, areas and record fields (DESIGN.md §3.1, §3.2). */
export type ConversationType = Policy['conversationTypes'][number];
/** A key area of a conversation type. */
export type ConversationArea = ConversationType['areas'][number];
/** A field of a conversation record. */
export type RecordField = ConversationType['recordFields'][number];
/** A period in days, weeks or months. */
export type Period = z.output<typeof periodSchema>;
/** A stage of the nudge and escalation ladder. */
export type NudgeStage = Policy['nudges']['stages'][number];
/** Who a nudge stage goes to. */
export type NudgeRecipientRule = NudgeStage['recipients'][number];
/** What a nudge is about. */
export type NudgeItem = (typeof NUDGE_ITEMS)[number];
/** One pay-step check of the policy. */
export type PayStepCheckRule = NonNullable<Policy['payStep']>['checks'][number];
/** The kinds of pay-step check. */
export type PayStepCheckKind = (typeof PAY_STEP_CHECK_KINDS)[number];

/**
 * The SMART helper (Career Conversations policy §5.3: objectives are Specific, Measurable,
 * Achievable, Relevant and Time bound). It reads objectives as written — one per line, bullets and
 * numbering allowed — and flags each one that says nothing measurable or gives no date, saying
 * why. Advice only: a manager may still save (issue 17). Pure and deterministic.
 */
import type { Policy } from './policy/schema';
import type { ConversationRecord } from './records';

/** What an objective lacks. */
export type SmartGap = 'measure' | 'date';

/** One objective the helper flags. */
export interface SmartFlag {
  /** 1-based position among the objectives written. */
  readonly index: number;
  readonly objective: string;
  readonly missing: readonly SmartGap[];
}

const MONTHS =
  'jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?';

/** A time bound: a date, a month, a quarter, "by …", "within N weeks", "each month", a year. */
const DATE = new RegExp(
  [
    String.raw`\b\d{4}-\d{2}-\d{2}\b`,
    String.raw`\b\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?\b`,
    String.raw`\b(${MONTHS})\b`,
    String.raw`\bq[1-4]\b`,
    String.raw`\b(by|before|until|within|every|each|per|weekly|monthly|quarterly|annually|end of)\b`,
    String.raw`\b(20\d{2})\b`,
    String.raw`\b(next|this) (week|month|quarter|year)\b`,
  ].join('|'),
  'i',
);

/** A measure: a number or percentage, or a result that is either done or not. */
const MEASURE =
  /\d|%|\b(all|every|each|zero|none|complete[ds]?|pass(ed)?|achieve[ds]?|deliver(ed)?|reduce[ds]?|increase[ds]?|improve[ds]? .* (to|by)|qualif(y|ication)|certificat(e|ion)|sign(ed)?[- ]off|publish(ed)?|launch(ed)?)\b/i;

/** The objectives in a text: its non-empty lines, bullets and numbering removed. */
export function objectivesIn(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*([-*•·]|\d+[.)]|[a-z][.)])\s*/i, '').trim())
    .filter((line) => line.length > 0);
}

/**
 * The objectives that lack a measure or a date. A date alone is not taken for a measure (digits of
 * a date are removed before looking for one).
 */
export function smartFlags(text: string): SmartFlag[] {
  const flags: SmartFlag[] = [];
  objectivesIn(text).forEach((objective, i) => {
    const withoutDates = objective
      .replace(/\b\d{4}-\d{2}-\d{2}\b/g, ' ')
      .replace(/\b\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?\b/g, ' ')
      .replace(/\bq[1-4]\b/gi, ' ')
      .replace(/\b20\d{2}\b/g, ' ');
    const missing: SmartGap[] = [];
    if (!MEASURE.test(withoutDates)) missing.push('measure');
    if (!DATE.test(objective)) missing.push('date');
    if (missing.length > 0) flags.push({ index: i + 1, objective, missing });
  });
  return flags;
}

/** A key area where objectives are agreed: one the policy titles "SMART" (CC §3.3, §5.3). */
export function isObjectivesArea(area: { readonly title: string }): boolean {
  return /\bSMART\b/.test(area.title);
}

/** Objectives agreed at one conversation, to review and carry forward to the next. */
export interface AgreedObjectives {
  readonly record: ConversationRecord;
  /** The key area they were agreed under ("SMART objectives for the next 12 months"). */
  readonly areaTitle: string;
  /** One per objective, as written (bullets and numbering removed). */
  readonly objectives: readonly string[];
}

/**
 * The objectives in force (CC §5.3, §5.8: set at induction and at each career conversation,
 * reviewed at supervisions and at the next career conversation): those written under an
 * objectives area at the latest completed conversation that agreed any. A later conversation that
 * agreed none (a supervision) leaves them in force, so they are carried forward until replaced.
 */
export function agreedObjectives(
  policy: Pick<Policy, 'conversationTypes'>,
  history: readonly ConversationRecord[],
): AgreedObjectives | undefined {
  let found: AgreedObjectives | undefined;
  for (const record of history) {
    if (record.status !== 'completed') continue;
    if (
      found &&
      (record.date < found.record.date ||
        (record.date === found.record.date && record.createdAt <= found.record.createdAt))
    )
      continue;
    const type = policy.conversationTypes.find((t) => t.id === record.type);
    for (const area of type?.areas ?? []) {
      if (!isObjectivesArea(area)) continue;
      const entry = record.areas[area.id];
      const objectives = objectivesIn([entry?.notes ?? '', entry?.outcomes ?? ''].join('\n'));
      if (objectives.length > 0) {
        found = { record, areaTitle: area.title, objectives };
        break;
      }
    }
  }
  return found;
}

/**
 * The SMART helper (Career Conversations policy §5.3: objectives are Specific, Measurable,
 * Achievable, Relevant and Time bound). It reads objectives as written — one per line, bullets and
 * numbering allowed — and flags each one that says nothing measurable or gives no date, saying
 * why. Advice only: a manager may still save (issue 17). Pure and deterministic.
 */

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

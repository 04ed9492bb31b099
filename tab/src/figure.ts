/**
 * Which quarterly figure the tab shows, named wherever it appears (`policy.compliance.quarterlyFigure`,
 * DESIGN.md §3.1, §3.2): the council's "held a conversation in the quarter" or the NHS trust's
 * "compliant at quarter end" (a career conversation in the last 12 months, CC §8). The two are
 * different measures, so a number is never shown without saying which one it is.
 */
import { type MeResponse } from '../../core/tab-api';

/** The figure's id, as the policy names it. */
export type QuarterlyFigureId = 'held-in-quarter' | 'compliant-at-quarter-end';

/** A quarterly figure in words. */
export interface QuarterlyFigure {
  readonly id: QuarterlyFigureId;
  /** "Held a conversation in the quarter", "Compliant at quarter end (career conversation in the last 12 months)". */
  readonly label: string;
  /** A column heading: "Held in quarter", "Compliant at quarter end". */
  readonly short: string;
  /** What the bars of a trend show: "the share who held a conversation in each quarter". */
  readonly series: string;
  /** Under the big number: "9 of 12 due a conversation". */
  detail(fraction: string): string;
}

/**
 * The shipped presets by name, for as long as the API says only the policy's name (`MeResponse.policyName`):
 * which figure each reports, and the counted conversation and its window for the NHS label.
 */
const PRESETS: Readonly<Record<string, { id: QuarterlyFigureId; noun: string; months: number }>> = {
  'Professional Conversation': { id: 'held-in-quarter', noun: 'professional conversation', months: 12 },
  'Career Conversations': { id: 'compliant-at-quarter-end', noun: 'career conversation', months: 12 },
};

/**
 * The figure an API answer names (a `figure` id or `{ id, label }` on the answer or on its
 * `quarterly`), else the one the policy's name says, else the held-in-quarter figure.
 */
export function quarterlyFigure(me: MeResponse, answer?: unknown): QuarterlyFigure {
  const preset = PRESETS[me.policyName];
  const named = figureIn(answer) ?? figureIn((answer as { quarterly?: unknown } | undefined)?.quarterly);
  const id = named?.id ?? preset?.id ?? 'held-in-quarter';
  if (id === 'compliant-at-quarter-end') {
    const noun = preset?.noun ?? 'conversation';
    return {
      id,
      label: named?.label ?? `Compliant at quarter end (${noun} in the last ${preset?.months ?? 12} months)`,
      short: 'Compliant at quarter end',
      series: 'the share compliant at each quarter end',
      detail: (fraction) => `${fraction} compliant`,
    };
  }
  return {
    id,
    label: named?.label ?? 'Held a conversation in the quarter',
    short: 'Held in quarter',
    series: 'the share who held a conversation in each quarter',
    detail: (fraction) => `${fraction} due a conversation`,
  };
}

/** A `figure` the API may carry: its id, or an object with the id and the bot's label. */
function figureIn(value: unknown): { id: QuarterlyFigureId; label?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const figure = (value as { figure?: unknown }).figure;
  if (isFigureId(figure)) return { id: figure };
  if (typeof figure === 'object' && figure !== null) {
    const { id, label } = figure as { id?: unknown; label?: unknown };
    if (isFigureId(id)) return typeof label === 'string' && label !== '' ? { id, label } : { id };
  }
  return undefined;
}

function isFigureId(value: unknown): value is QuarterlyFigureId {
  return value === 'held-in-quarter' || value === 'compliant-at-quarter-end';
}

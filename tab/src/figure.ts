/**
 * Which quarterly figure the tab shows, named wherever it appears (`policy.compliance.quarterlyFigure`,
 * DESIGN.md §3.1, §3.2): the council's "held a conversation in the quarter" or the NHS trust's
 * "compliant at quarter end" (a career conversation in the last 12 months, CC §8). The two are
 * different measures, so a number is never shown without saying which one it is. The name and the
 * heading come from the API (`figure`, in the policy's own words); the tab only adds the phrases
 * that depend on which measure it is, never on the policy's wording.
 */
import { type QuarterlyFigureId, type QuarterlyFigureText } from '../../core/tab-api';

/** A quarterly figure in words. */
export interface QuarterlyFigure {
  readonly id: QuarterlyFigureId;
  /** The API's label: "Held a conversation in the quarter", "Compliant at quarter end (career conversation in the last 12 months)". */
  readonly label: string;
  /** The API's column heading: "Held in quarter", "Compliant at quarter end". */
  readonly short: string;
  /** What the bars of a trend show: "the share who held a conversation in each quarter". */
  readonly series: string;
  /** Under the big number: "9 of 12 due a conversation". */
  detail(fraction: string): string;
}

/** The figure an API answer (TeamResponse, OrgResponse) names, with the tab's phrases for its measure. */
export function quarterlyFigure(answer: { readonly figure: QuarterlyFigureText }): QuarterlyFigure {
  const { id, label, short } = answer.figure;
  if (id === 'compliant-at-quarter-end') {
    return {
      id,
      label,
      short,
      series: 'the share compliant at each quarter end',
      detail: (fraction) => `${fraction} compliant`,
    };
  }
  return {
    id,
    label,
    short,
    series: 'the share who held a conversation in each quarter',
    detail: (fraction) => `${fraction} due a conversation`,
  };
}

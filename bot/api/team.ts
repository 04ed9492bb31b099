/**
 * My team (DESIGN.md §4 Tab): a manager's current direct reports from the status index (one
 * partition, read by the auth middleware), each with the status the rules stored on their row, and
 * the team's quarterly and rolling completion over the eight quarters — the sum of each person's
 * share computed from their row's facts by the same engine as the roll-ups (no conversation read).
 * Under a policy with pay steps, each member's pay step as their row's dates and decisions give it.
 */
import { LRUCache } from 'lru-cache';
import { beforeFirstData, noDataPoint } from './first-data';
import { spreadsheetCsv } from './csv';
import { type RollupFigures, groupContributions, rollupQuarters } from '../../core/compliance/status-facts';
import { type IsoDate } from '../../core/model';
import { type Policy } from '../../core/policy/schema';
import { formatIsoDate } from '../../core/dates/day';
import { type FinancialQuarter, tryParseQuarterLabel } from '../../core/dates/quarters';
import { type TeamRow } from '../../core/ports';
import {
  type Completion,
  type QuarterlyFigureText,
  type TeamMember,
  type TeamPayStep,
  type TeamResponse,
  type TrendPoint,
} from '../../core/tab-api';
import { type PolicyWords, policyWords } from '../i18n/policy-words';
import { payStepSummary } from '../records/pay-steps';
import { type Caller } from './caller';
import { type ApiDeps } from './deps';
import { problems } from './errors';

/** Most urgent first, as on the bot's team card. */
const URGENCY: Readonly<Record<string, number>> = {
  overdue: 0,
  'due-soon': 1,
  'on-track': 2,
  induction: 3,
  excluded: 4,
};

/** A completion fraction; the rate is null when nobody is eligible. */
export function completion(numerator: number, denominator: number): Completion {
  return { numerator, denominator, rate: denominator > 0 ? numerator / denominator : null };
}

/** The quarter asked for (`?quarter=2026/27 Q3`), one of the eight kept; the current one when absent. */
export function pickQuarter(asked: unknown, quarters: readonly FinancialQuarter[]): FinancialQuarter {
  const labels = quarters.map((q) => q.label);
  if (asked === undefined || asked === '') return quarters.at(-1)!;
  const parsed = typeof asked === 'string' ? tryParseQuarterLabel(asked) : undefined;
  const found = parsed && quarters.find((q) => q.label === parsed.label);
  if (found === undefined) throw problems.badQuarter(labels);
  return found;
}

/** Conversations held in a quarter, its first and last days given as ISO dates (which sort as text). */
function heldIn(row: TeamRow, first: IsoDate, last: IsoDate): number {
  return row.facts.held.filter(([date]) => date >= first && date <= last).length;
}

/** A member's pay step from their row (CC §5.8), in the policy's words; undefined when nothing is due or open. */
function payStepOf(
  policy: Policy,
  row: TeamRow,
  today: IsoDate,
  words: PolicyWords,
): TeamPayStep | undefined {
  if (words.payStep === undefined) return undefined;
  const summary = payStepSummary(policy, row.employee, today);
  if (summary === undefined) return undefined;
  return {
    date: summary.date,
    daysToDate: summary.daysToDate,
    state: summary.state,
    stateLabel: words.payStep.state[summary.state],
  };
}

function member(
  row: TeamRow,
  first: IsoDate,
  last: IsoDate,
  words: PolicyWords,
  payStep: TeamPayStep | undefined,
): TeamMember {
  const e = row.evaluation;
  const status = e?.status ?? 'unknown';
  return {
    employeeId: row.employee.id,
    name: row.employee.name,
    status,
    statusLabel: words.status(status),
    held12m: e?.held12m ?? 0,
    expected12m: e?.expected12m ?? 0,
    lastHeld: e?.lastHeld ?? null,
    nextDue: e?.nextDue ?? null,
    daysOverdue: e?.daysOverdue ?? 0,
    openActions: e?.openActions ?? 0,
    overdueActions: e?.overdueActions ?? 0,
    heldInQuarter: heldIn(row, first, last),
    ...(payStep !== undefined ? { payStep } : {}),
  };
}

/** The most teams whose figures are kept (about a kilobyte each). */
const KEPT_TEAMS = 2_000;

/**
 * Team figures already worked out, keyed by the day and each report's id and row version (a
 * version changes whenever the row is written, facts or directory fields alike), so a manager
 * coming back to an unchanged team, or to another quarter of it, is not evaluated again, and a
 * change to anyone in it is never missed.
 */
export class TeamFigures {
  private readonly kept = new LRUCache<string, readonly RollupFigures[]>({ max: KEPT_TEAMS });

  constructor(private readonly policy: Policy) {}

  /** The team's figures for each quarter, as {@link groupContributions} computes them. */
  of(
    reports: readonly TeamRow[],
    quarters: readonly FinancialQuarter[],
    today: IsoDate,
  ): readonly RollupFigures[] {
    if (reports.some((r) => r.etag === undefined))
      return groupContributions(this.policy, reports, quarters, today);
    const key = `${today} ${reports.map((r) => `${r.employee.id}@${r.etag}`).join(' ')}`;
    let figures = this.kept.get(key);
    if (figures === undefined) {
      figures = groupContributions(this.policy, reports, quarters, today);
      this.kept.set(key, figures);
    }
    return figures;
  }
}

/** The caller's team for a quarter (the current team's figures in every quarter). */
export function teamResponse(
  deps: Pick<ApiDeps, 'clock' | 'teamFigures' | 'policy'>,
  caller: Caller,
  reports: readonly TeamRow[],
  askedQuarter: unknown,
  /** The organisation's first quarter with data (`firstDataQuarter`); earlier ones are "no data". */
  firstData: string | null | undefined = undefined,
): TeamResponse {
  const today = deps.clock.today();
  const quarters = rollupQuarters(today);
  const quarter = pickQuarter(askedQuarter, quarters);
  const totals = deps.teamFigures.of(reports, quarters, today);
  const trend: TrendPoint[] = quarters.map((q, k) =>
    firstData !== undefined && beforeFirstData(quarters, q, firstData)
      ? noDataPoint(q.label)
      : {
          quarter: q.label,
          quarterly: completion(totals[k]!.qCompleted, totals[k]!.qEligible),
          rolling: completion(totals[k]!.rCompliant, totals[k]!.rEligible),
        },
  );
  const point = trend[quarters.indexOf(quarter)]!;
  const [first, last] = [formatIsoDate(quarter.firstDay), formatIsoDate(quarter.lastDay)];
  const words = policyWords(deps.policy);
  const members = reports.map((row) =>
    member(row, first, last, words, payStepOf(deps.policy, row, today, words)),
  );
  members.sort(
    (a, b) =>
      (URGENCY[a.status] ?? 5) - (URGENCY[b.status] ?? 5) ||
      b.daysOverdue - a.daysOverdue ||
      a.name.localeCompare(b.name),
  );
  return {
    manager: { id: caller.id, name: caller.employee.name },
    quarter: quarter.label,
    figure: figureText(words),
    quarters: quarters.map((q) => q.label),
    members,
    paySteps: words.payStep !== undefined,
    quarterly: point.quarterly,
    rolling: point.rolling,
    trend,
  };
}

/** The policy's quarterly figure as the API names it (DESIGN.md §3.1, §3.2). */
export function figureText(words: PolicyWords): QuarterlyFigureText {
  const { id, label, short } = words.quarterlyFigure;
  return { id, label, short };
}

/** The CSV export's columns, in order. */
export const TEAM_CSV_COLUMNS = [
  'Employee id',
  'Name',
  'Status',
  'Held in 12 months',
  'Expected in 12 months',
  'Last held',
  'Next due',
  'Days overdue',
  'Open actions',
  'Overdue actions',
  'Held in quarter',
] as const;

/** My team as CSV: one line per member, in the JSON's order. */
export function teamCsv(team: TeamResponse): string {
  return spreadsheetCsv(
    team.members.map((m) => [
      m.employeeId,
      m.name,
      m.statusLabel,
      m.held12m,
      m.expected12m,
      m.lastHeld ?? '',
      m.nextDue ?? '',
      m.daysOverdue,
      m.openActions,
      m.overdueActions,
      m.heldInQuarter,
    ]),
    TEAM_CSV_COLUMNS,
  );
}

/** The export's file name, e.g. `team-2026-27-Q3.csv`. */
export function teamCsvName(quarter: string): string {
  return `team-${quarter.replace(/[^\w]+/g, '-')}.csv`;
}

/**
 * Organisation figures from an organisation evaluation: quarterly and rolling completion, counts
 * by status, and the list of people with no conversation in 12 months — for a manager's direct
 * reports, a subtree cascading from any person, a department or staff group, or everyone
 * (DESIGN.md §3.1 "Quarterly completion", "Rolling completion"; procedure §2.3, §4.1, §4.2).
 */
import { addMonths, type DayNumber } from '../dates/day';
import { formatDay as formatIsoDate } from '../dates/format-cache';
import { financialQuarterOf, parseQuarterLabel, type FinancialQuarter } from '../dates/quarters';
import type { OrganisationEvaluation } from '../compliance/organisation';
import { compileRules } from '../compliance/rules';
import type { EmployeeId, IsoDate } from '../model';
import { COMPLIANCE_STATUSES, type ComplianceStatus } from '../policy/schema';
import { descendantsOf, type OrgTree } from './tree';

/** Whose figures: everyone, a manager's direct reports, a subtree, or an explicit list. */
export type Scope =
  | { readonly kind: 'all' }
  | { readonly kind: 'direct-reports'; readonly managerId: EmployeeId }
  /** Everyone below `rootId`; the root person too when `includeRoot`. */
  | { readonly kind: 'subtree'; readonly rootId: EmployeeId; readonly includeRoot?: boolean }
  | { readonly kind: 'employees'; readonly ids: readonly EmployeeId[] };

/** A completion fraction; `rate` is completed ÷ eligible, or null when nobody is eligible. */
export interface Completion {
  readonly eligible: number;
  readonly completed: number;
  readonly rate: number | null;
}

/**
 * What a quarterly figure measures (the policy's `compliance.quarterlyFigure`): `held-in-quarter`,
 * people with a conversation held in the quarter ÷ people eligible on its first day (council,
 * DESIGN.md §3.1); `compliant-at-quarter-end`, people compliant at the quarter's end ÷ people in
 * post ≥ the eligibility period then (NHS, DESIGN.md §3.2, CC §8).
 */
export type QuarterlyFigure = 'held-in-quarter' | 'compliant-at-quarter-end';

/** Quarterly completion (DESIGN.md §3.1) or compliance (§3.2) for one quarter. */
export interface QuarterlyCompletion extends Completion {
  /** Which figure this is, so every view can name it. */
  readonly figure: QuarterlyFigure;
  readonly quarter: string;
  readonly firstDay: IsoDate;
  readonly lastDay: IsoDate;
  /** The day "in post at its end" is tested on: the quarter's last day, or D while it is in progress. */
  readonly asOf: IsoDate;
  readonly inProgress: boolean;
}

/** Rolling completion at D (DESIGN.md §3.1): compliant ÷ people not left, excluded or in induction. */
export interface RollingCompletion extends Completion {
  readonly at: IsoDate;
}

/** Number of people in each status. */
export type StatusCounts = Readonly<Record<ComplianceStatus, number>>;

/** The figures a screen shows for a group of people. */
export interface GroupFigures {
  readonly quarterly: QuarterlyCompletion;
  readonly rolling: RollingCompletion;
  readonly counts: StatusCounts;
  /** Everyone in the group, whatever their status. */
  readonly headcount: number;
  /**
   * Recorded pay-step deferrals whose pay-step date falls in the quarter (NHS, Career
   * Conversations policy §8 "number of deferrals of pay progression"); 0 without pay steps.
   */
  readonly payStepDeferrals: number;
}

function completion(eligible: number, completed: number): Completion {
  return { eligible, completed, rate: eligible === 0 ? null : completed / eligible };
}

/** Indices of the people in a scope; unknown ids throw a RangeError naming them. */
export function scopeIndices(org: OrganisationEvaluation, scope: Scope = { kind: 'all' }): number[] {
  const tree = org.tree;
  const indexOfId = (id: EmployeeId): number => {
    const i = tree.indexOf.get(id);
    if (i === undefined) throw new RangeError(`unknown employee id "${id}"`);
    return i;
  };
  switch (scope.kind) {
    case 'all':
      return Array.from({ length: tree.ids.length }, (_, i) => i);
    case 'direct-reports':
      return [...(tree.children[indexOfId(scope.managerId)] ?? [])];
    case 'subtree': {
      const root = indexOfId(scope.rootId);
      const below = descendantsOf(tree, root);
      return scope.includeRoot ? [root, ...below] : below;
    }
    case 'employees':
      return scope.ids.map(indexOfId);
  }
}

/** A quarter given as a label (`2026/27 Q3`), a quarter, or undefined (the one containing D). */
function quarterFrom(org: OrganisationEvaluation, quarter?: FinancialQuarter | string): FinancialQuarter {
  if (quarter === undefined) return financialQuarterOf(org.atDay);
  return typeof quarter === 'string' ? parseQuarterLabel(quarter) : quarter;
}

/** Resolves a quarter for completion figures: like {@link quarterFrom}, refusing one that starts after D. */
export function resolveQuarter(
  org: OrganisationEvaluation,
  quarter?: FinancialQuarter | string,
): FinancialQuarter {
  const q = quarterFrom(org, quarter);
  if (q.firstDay > org.atDay) {
    throw new RangeError(`quarter ${q.label} starts after the evaluation date ${org.at}`);
  }
  return q;
}

/** A quarter's membership test, worked out once per quarter: the days each person is tested on. */
interface QuarterTest {
  readonly figure: QuarterlyFigure;
  readonly firstDay: DayNumber;
  /** The quarter's last day, or D while it is in progress. */
  readonly asOf: DayNumber;
  /** compliant-at-quarter-end: the first day of the rolling window (asOf − windowMonths, asOf]. */
  readonly windowFirst: DayNumber;
  /** The quarter's first and last days as ISO dates, which pay-step dates are compared with; undefined without pay steps. */
  readonly payStepDates: { readonly first: IsoDate; readonly last: IsoDate } | undefined;
}

function quarterTest(org: OrganisationEvaluation, q: FinancialQuarter): QuarterTest {
  const rules = compileRules(org.policy);
  const asOf = q.lastDay < org.atDay ? q.lastDay : org.atDay;
  return {
    figure: rules.compliantAtQuarterEnd ? 'compliant-at-quarter-end' : 'held-in-quarter',
    firstDay: q.firstDay,
    asOf,
    windowFirst: addMonths(asOf, -rules.windowMonths) + 1,
    payStepDates:
      org.policy.payStep === undefined
        ? undefined
        : { first: formatIsoDate(q.firstDay), last: formatIsoDate(q.lastDay) },
  };
}

/**
 * One person's recorded pay-step deferrals whose pay-step date falls in the quarter (CC §5.8, §8
 * "number of deferrals"): the decision that stands for a date is the last one recorded for it, and
 * a deferral stays one when its support plan is later completed. Excluded and out-of-scope people
 * are in no figure. Deferrals are recorded only while a person is in post, so a later leaver's
 * deferral still counts in its quarter.
 */
function deferralsOf(org: OrganisationEvaluation, i: number, t: QuarterTest): number {
  const range = t.payStepDates;
  const decisions = org.employees[i]?.payStepDecisions;
  if (range === undefined || decisions === undefined || decisions.length === 0) return 0;
  if (org.facts.excluded[i] === 1) return 0;
  const standing = new Map<IsoDate, string>();
  for (const d of decisions)
    if (d.forDate >= range.first && d.forDate <= range.last) standing.set(d.forDate, d.decision);
  let n = 0;
  for (const decision of standing.values()) if (decision === 'deferred') n += 1;
  return n;
}

/**
 * Whether one person is in a quarter's population (1) and, if so, counts as completed (2).
 * held-in-quarter (DESIGN.md §3.1): eligible on the quarter's first day, in post at its end (at D
 * while in progress), and a counted conversation held in [first day, asOf].
 * compliant-at-quarter-end (DESIGN.md §3.2, CC §8 "% compliance"): at asOf, started, not left, and
 * eligibleFrom on or before it (in post ≥ 12 months for the NHS); completed when a counted
 * conversation was held in (asOf − windowMonths, asOf] — compliant at the quarter's end.
 * Excluded and out-of-scope people are in neither.
 */
function quarterMembership(org: OrganisationEvaluation, i: number, t: QuarterTest): 0 | 1 | 2 {
  const f = org.facts;
  if (f.excluded[i] === 1) return 0;
  const asOf = t.asOf;
  if ((f.startDay[i] as number) > asOf || (f.leaveDay[i] as number) < asOf) return 0;
  const compliant = t.figure === 'compliant-at-quarter-end';
  if ((f.eligibleFromDay[i] as number) > (compliant ? asOf : t.firstDay)) return 0;
  const from = compliant ? t.windowFirst : t.firstDay;
  return hasDayIn(f.heldDays, f.heldStart[i] as number, f.heldStart[i + 1] as number, from, asOf) ? 2 : 1;
}

/** True when the sorted run days[from, to) has a day in [first, last]. */
function hasDayIn(days: Int32Array, from: number, to: number, first: DayNumber, last: DayNumber): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as number) < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && (days[lo] as number) <= last;
}

function quarterlyOf(
  org: OrganisationEvaluation,
  q: FinancialQuarter,
  t: QuarterTest,
  eligible: number,
  completed: number,
): QuarterlyCompletion {
  const asOf = t.asOf;
  return {
    figure: t.figure,
    quarter: q.label,
    firstDay: formatIsoDate(q.firstDay),
    lastDay: formatIsoDate(q.lastDay),
    asOf: formatIsoDate(asOf),
    inProgress: q.lastDay > org.atDay,
    ...completion(eligible, completed),
  };
}

/**
 * The quarterly figure the policy asks for ({@link QuarterlyFigure}). Council (DESIGN.md §3.1):
 * people with ≥ 1 conversation held in the quarter ÷ people eligible on its first day, in post at
 * its end (at D for the quarter in progress), not excluded. NHS (DESIGN.md §3.2): people compliant
 * at the quarter's end (at D while in progress) ÷ people in post ≥ 12 months then, not excluded.
 */
export function quarterlyCompletion(
  org: OrganisationEvaluation,
  quarter?: FinancialQuarter | string,
  scope?: Scope,
): QuarterlyCompletion {
  const q = resolveQuarter(org, quarter);
  const t = quarterTest(org, q);
  let eligible = 0;
  let completed = 0;
  for (const i of scopeIndices(org, scope)) {
    const m = quarterMembership(org, i, t);
    if (m > 0) eligible += 1;
    if (m === 2) completed += 1;
  }
  return quarterlyOf(org, q, t, eligible, completed);
}

/** Rolling completion at D (DESIGN.md §3.1): compliant ÷ people not left, not excluded, not in induction. */
export function rollingCompletion(org: OrganisationEvaluation, scope?: Scope): RollingCompletion {
  let eligible = 0;
  let completed = 0;
  for (const i of scopeIndices(org, scope)) {
    const ev = org.evaluations[i];
    if (!ev?.inPopulation) continue;
    eligible += 1;
    if (ev.compliant) completed += 1;
  }
  return { at: org.at, ...completion(eligible, completed) };
}

function emptyCounts(): Record<ComplianceStatus, number> {
  const counts = {} as Record<ComplianceStatus, number>;
  for (const s of COMPLIANCE_STATUSES) counts[s] = 0;
  return counts;
}

/** Number of people in each status (DESIGN.md §3.1 "Status at D"). */
export function statusCounts(org: OrganisationEvaluation, scope?: Scope): StatusCounts {
  const counts = emptyCounts();
  for (const i of scopeIndices(org, scope)) {
    const ev = org.evaluations[i];
    if (ev) counts[ev.status] += 1;
  }
  return counts;
}

/** Quarterly, rolling and status figures for a set of people, in one pass. */
function figuresFor(
  org: OrganisationEvaluation,
  indices: readonly number[],
  q: FinancialQuarter,
): GroupFigures {
  const counts = emptyCounts();
  const t = quarterTest(org, q);
  let qe = 0;
  let qc = 0;
  let re = 0;
  let rc = 0;
  let deferrals = 0;
  for (const i of indices) {
    const ev = org.evaluations[i];
    if (!ev) continue;
    counts[ev.status] += 1;
    deferrals += deferralsOf(org, i, t);
    if (ev.inPopulation) {
      re += 1;
      if (ev.compliant) rc += 1;
    }
    const m = quarterMembership(org, i, t);
    if (m > 0) qe += 1;
    if (m === 2) qc += 1;
  }
  return {
    quarterly: quarterlyOf(org, q, t, qe, qc),
    rolling: { at: org.at, ...completion(re, rc) },
    counts,
    headcount: indices.length,
    payStepDeferrals: deferrals,
  };
}

/** All figures for a scope: quarterly completion (quarter containing D by default), rolling, counts. */
export function groupFigures(
  org: OrganisationEvaluation,
  scope?: Scope,
  quarter?: FinancialQuarter | string,
): GroupFigures {
  return figuresFor(org, scopeIndices(org, scope), resolveQuarter(org, quarter));
}

/** How to group people: by department, staff group, line manager, or their ancestor at a tree depth. */
export type GroupKey = 'department' | 'staff-group' | 'manager' | { readonly orgLevel: number };

function keyOf(org: OrganisationEvaluation, i: number, by: GroupKey): string | undefined {
  const e = org.employees[i];
  if (!e) return undefined;
  if (by === 'department') return e.department.trim();
  if (by === 'staff-group') return e.staffGroup.trim();
  const tree: OrgTree = org.tree;
  if (by === 'manager') {
    const m = tree.managerIndex[i] ?? -1;
    return m === -1 ? undefined : tree.ids[m];
  }
  // The ancestor (or the person) at the given depth: e.g. level 1 = directorate under the Chief Executive.
  let k = i;
  if ((tree.depth[k] ?? 0) < by.orgLevel) return undefined;
  while ((tree.depth[k] ?? 0) > by.orgLevel) k = tree.managerIndex[k] ?? -1;
  return tree.ids[k];
}

/** Figures per group (department, staff group, manager or org level), sorted by key. */
export function figuresBy(
  org: OrganisationEvaluation,
  by: GroupKey,
  options: { readonly quarter?: FinancialQuarter | string; readonly scope?: Scope } = {},
): { readonly key: string; readonly figures: GroupFigures }[] {
  const q = resolveQuarter(org, options.quarter);
  const groups = new Map<string, number[]>();
  for (const i of scopeIndices(org, options.scope)) {
    const key = keyOf(org, i, by);
    if (key === undefined) continue;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, indices]) => ({ key, figures: figuresFor(org, indices, q) }));
}

/** A node of the roll-up tree: figures for the person's whole subtree (them included). */
export interface RollUpNode {
  readonly employeeId: EmployeeId;
  readonly figures: GroupFigures;
  readonly children: readonly RollUpNode[];
}

/**
 * The hierarchy rolled up from a person (default: every root) down, each node's figures covering
 * the node and everyone below it — the cascade from the Chief Executive (procedure §2.3).
 * `maxDepth` limits how many levels of nodes are returned (figures always cover the full subtree).
 */
export function rollUp(
  org: OrganisationEvaluation,
  options: {
    readonly rootId?: EmployeeId;
    readonly quarter?: FinancialQuarter | string;
    readonly maxDepth?: number;
  } = {},
): RollUpNode[] {
  const q = resolveQuarter(org, options.quarter);
  const t = quarterTest(org, q);
  const tree = org.tree;
  const n = tree.ids.length;
  // Per-node own contributions, then summed bottom-up in reverse breadth-first order.
  const qe = new Int32Array(n);
  const qc = new Int32Array(n);
  const re = new Int32Array(n);
  const rc = new Int32Array(n);
  const size = new Int32Array(n);
  const pd = new Int32Array(n);
  const counts = Array.from({ length: COMPLIANCE_STATUSES.length }, () => new Int32Array(n));
  const statusIndex = new Map<ComplianceStatus, number>(COMPLIANCE_STATUSES.map((s, k) => [s, k]));
  const roots =
    options.rootId === undefined
      ? [...tree.roots]
      : scopeIndices(org, { kind: 'employees', ids: [options.rootId] });
  const rootSet = new Set(roots);
  const order: number[] = [...roots];
  for (let k = 0; k < order.length; k += 1)
    for (const c of tree.children[order[k] as number] ?? []) order.push(c);
  for (const i of order) {
    const ev = org.evaluations[i];
    if (!ev) continue;
    size[i] = 1;
    pd[i] = deferralsOf(org, i, t);
    (counts[statusIndex.get(ev.status) ?? 0] as Int32Array)[i] = 1;
    if (ev.inPopulation) {
      re[i] = 1;
      if (ev.compliant) rc[i] = 1;
    }
    const m = quarterMembership(org, i, t);
    if (m > 0) qe[i] = 1;
    if (m === 2) qc[i] = 1;
  }
  for (let k = order.length - 1; k >= 0; k -= 1) {
    const i = order[k] as number;
    const p = tree.managerIndex[i] ?? -1;
    if (p === -1 || rootSet.has(i)) continue;
    for (const arr of [qe, qc, re, rc, size, pd, ...counts]) arr[p] = (arr[p] ?? 0) + (arr[i] ?? 0);
  }
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const build = (i: number, level: number): RollUpNode => {
    const c = emptyCounts();
    COMPLIANCE_STATUSES.forEach((s, k) => (c[s] = (counts[k] as Int32Array)[i] ?? 0));
    return {
      employeeId: tree.ids[i] as EmployeeId,
      figures: {
        quarterly: quarterlyOf(org, q, t, qe[i] ?? 0, qc[i] ?? 0),
        rolling: { at: org.at, ...completion(re[i] ?? 0, rc[i] ?? 0) },
        counts: c,
        headcount: size[i] ?? 0,
        payStepDeferrals: pd[i] ?? 0,
      },
      children: level + 1 < maxDepth ? (tree.children[i] ?? []).map((ch) => build(ch, level + 1)) : [],
    };
  };
  return roots.map((r) => build(r, 0));
}

/** A person in population with no conversation held in the rolling window (procedure §4.2). */
export interface NoConversationRow {
  readonly employeeId: EmployeeId;
  readonly name: string;
  readonly managerId: EmployeeId | undefined;
  readonly department: string;
  readonly status: ComplianceStatus;
  readonly lastHeld: IsoDate | undefined;
  readonly daysOverdue: number;
}

/**
 * People in the population (not left, excluded or in induction) with no conversation held in the
 * last 12 months — the OD follow-up list (procedure §4.2). Longest overdue first, then by id.
 */
export function noConversationIn12Months(org: OrganisationEvaluation, scope?: Scope): NoConversationRow[] {
  const rows: NoConversationRow[] = [];
  for (const i of scopeIndices(org, scope)) {
    const ev = org.evaluations[i];
    const e = org.employees[i];
    if (!ev || !e || !ev.inPopulation || ev.held12m > 0) continue;
    rows.push({
      employeeId: e.id,
      name: e.name,
      managerId: e.managerId,
      department: e.department,
      status: ev.status,
      lastHeld: ev.lastHeld,
      daysOverdue: ev.daysOverdue,
    });
  }
  return rows.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.employeeId < b.employeeId ? -1 : 1));
}

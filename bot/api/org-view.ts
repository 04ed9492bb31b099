/**
 * The organisation view of one node (DESIGN.md §4 Tab "the hierarchy rolled up, cascade from the
 * Chief Executive down, with drill-down"): its figures, its children's, a heat map of each child
 * by quarter and its trend — all from the roll-ups (one partition read for the node; DESIGN.md §5),
 * plus point reads of the children's names (bounded by the number of children). Under a policy
 * with pay steps, each node also has the quarter's recorded pay-step deferrals (CC §8), which the
 * roll-ups sum like every other figure.
 */
import { type RollupFigures, emptyFigures, rollupQuarters } from '../../core/compliance/status-facts';
import { type FinancialQuarter } from '../../core/dates/quarters';
import { beforeFirstData, firstDataQuarter, noDataPoint } from './first-data';
import { type Employee, type EmployeeId } from '../../core/model';
import { type RollupRow } from '../../core/ports';
import {
  type Completion,
  type OrgChildKind,
  type OrgNode,
  type OrgResponse,
  type TrendPoint,
} from '../../core/tab-api';
import { forEachLimit } from '../concurrency';
import { policyWords } from '../i18n/policy-words';
import { type Records } from '../records/records';
import { type AllowedNode } from './org-access';
import { figureText } from './team';

/** Reads in flight at once for one request (children's names, ancestors' names). */
const READS = 8;

/** A fraction as the tab shows it; `rate` is null when nobody is eligible. */
export function completionOf(numerator: number, denominator: number): Completion {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

/**
 * A roll-up row's figures as an organisation node (headcount leaves out people who have left); with
 * `paySteps` (the policy has them), the quarter's recorded pay-step deferrals too (CC §8).
 */
export function orgNodeOf(
  person: { readonly id: EmployeeId; readonly name: string; readonly department: string },
  f: RollupFigures,
  hasChildren: boolean,
  paySteps = false,
): OrgNode {
  return {
    id: person.id,
    name: person.name,
    department: person.department,
    headcount: f.headcount - f.left,
    quarterly: completionOf(f.qCompleted, f.qEligible),
    rolling: completionOf(f.rCompliant, f.rEligible),
    overdue: f.overdue,
    dueSoon: f.dueSoon,
    ...(paySteps ? { payStepDeferrals: f.payStepDeferrals } : {}),
    hasChildren,
  };
}

/** What a node's children are, by its depth below the organisation's top. */
const CHILD_KIND: readonly OrgChildKind[] = ['directorate', 'service', 'team'];

/**
 * Builds the view of an allowed node for a quarter (one of the roll-ups' eight, `rollupQuarters`).
 * Undefined when the node has no roll-up rows: they manage nobody, so there is nothing to show.
 */
export async function orgView(
  records: Records,
  node: AllowedNode,
  quarter: FinancialQuarter,
): Promise<OrgResponse | undefined> {
  const quarters = rollupQuarters(records.clock.today());
  const rows = await records.rollups.node(node.id, quarters[0], quarters.at(-1));
  const own = byQuarter(rows.filter((r) => r.subjectId === node.id));
  if (own.size === 0) return undefined;
  const childRows = new Map<EmployeeId, Map<string, RollupFigures>>();
  for (const r of rows) {
    if (r.subjectId === node.id) continue;
    const list = childRows.get(r.subjectId) ?? new Map<string, RollupFigures>();
    list.set(r.quarter, r.figures);
    childRows.set(r.subjectId, list);
  }
  const childIds = [...childRows.keys()];
  const people = new Map<EmployeeId, Employee>();
  const drillable = new Set<EmployeeId>();
  await forEachLimit(childIds, READS, async (id) => {
    const [person, below] = await Promise.all([
      records.directory.getEmployee(id),
      records.rollups.node(id, quarter, quarter),
    ]);
    if (person) people.set(id, person);
    if (below.some((r) => r.subjectId !== id)) drillable.add(id);
  });
  const crumbNames = await namesOf(records, node.crumbs.slice(0, -1));
  const words = policyWords(records.policy);
  const paySteps = words.payStep !== undefined;
  const figuresIn = (m: ReadonlyMap<string, RollupFigures> | undefined, q: FinancialQuarter) =>
    m?.get(q.label) ?? emptyFigures();
  const children = childIds
    .map((id) => {
      const person = people.get(id);
      return orgNodeOf(
        { id, name: person?.name ?? id, department: person?.department ?? '' },
        figuresIn(childRows.get(id), quarter),
        drillable.has(id),
        paySteps,
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || (a.id < b.id ? -1 : 1));
  const first = await firstDataQuarter(records, quarters);
  const trend: TrendPoint[] = quarters.map((q) => {
    if (beforeFirstData(quarters, q, first)) return noDataPoint(q.label);
    const f = figuresIn(own, q);
    return {
      quarter: q.label,
      quarterly: completionOf(f.qCompleted, f.qEligible),
      rolling: completionOf(f.rCompliant, f.rEligible),
    };
  });
  return {
    quarter: quarter.label,
    figure: figureText(words),
    ...(words.payStep !== undefined
      ? { payStepDeferrals: { label: words.payStep.deferralsLabel, short: words.payStep.deferralsShort } }
      : {}),
    quarters: quarters.map((q) => q.label),
    node: orgNodeOf(node, figuresIn(own, quarter), children.length > 0, paySteps),
    path: node.crumbs.map((id) => ({
      id,
      name: id === node.id ? node.name : (crumbNames.get(id) ?? id),
    })),
    children,
    // A policy that escalates by level (the council's) names its levels; otherwise all are teams.
    childKind:
      words.chain === 'levels' ? CHILD_KIND[Math.min(node.path.length, CHILD_KIND.length - 1)]! : 'team',
    heatmap: children.map((child) => ({
      id: child.id,
      name: child.name,
      cells: quarters.map((q) => {
        if (beforeFirstData(quarters, q, first)) return null;
        const f = figuresIn(childRows.get(child.id), q);
        return completionOf(f.qCompleted, f.qEligible).rate;
      }),
    })),
    trend,
  };
}

function byQuarter(rows: readonly RollupRow[]): Map<string, RollupFigures> {
  return new Map(rows.map((r) => [r.quarter, r.figures]));
}

async function namesOf(records: Records, ids: readonly EmployeeId[]): Promise<Map<EmployeeId, string>> {
  const names = new Map<EmployeeId, string>();
  await forEachLimit(ids, READS, async (id) => {
    const person = await records.directory.getEmployee(id);
    if (person) names.set(id, person.name);
  });
  return names;
}

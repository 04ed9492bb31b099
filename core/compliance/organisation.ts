/**
 * Evaluating a whole organisation at date D in one pass: conversations grouped by employee once,
 * each employee evaluated (DESIGN.md §3.1), then NHS pay-step check V filled in from each line
 * manager's direct reports (Career Conversations policy §5.8 V). The result feeds every roll-up.
 */
import { parseIsoDate, type DayNumber } from '../dates/day';
import type { ConversationFacts, Employee, EmployeeId, IsoDate } from '../model';
import { buildOrgTree, type OrgTree } from '../org/tree';
import type { Policy } from '../policy/schema';
import {
  evaluateWithFacts,
  groupConversations,
  type HeldCareerConversation,
  createHeldDaysBuffer,
} from './evaluate';
import { assessPayStep, type ReportsSummary } from './pay-step';
import { compileRules } from './rules';
import type { EmployeeEvaluation } from './types';

/**
 * Day-number facts for every employee, struct-of-arrays (one allocation each for 100,000 people):
 * what the roll-ups need without re-reading any date. Index i is `employees[i]`.
 */
export interface OrganisationFacts {
  readonly startDay: Float64Array;
  /** Infinity when no leave date. */
  readonly leaveDay: Float64Array;
  readonly eligibleFromDay: Float64Array;
  /** 1 when the staff group is excluded. */
  readonly excluded: Uint8Array;
  /** Held counted conversation days, employee by employee, each run ascending. */
  readonly heldDays: Int32Array;
  /** Employee i's held days are heldDays[heldStart[i] .. heldStart[i + 1]). */
  readonly heldStart: Int32Array;
}

/** Every employee evaluated at one date, with the tree and day-number facts roll-ups need. */
export interface OrganisationEvaluation {
  readonly policy: Policy;
  readonly at: IsoDate;
  readonly atDay: DayNumber;
  readonly employees: readonly Employee[];
  /** Same order as `employees`. */
  readonly evaluations: readonly EmployeeEvaluation[];
  readonly facts: OrganisationFacts;
  readonly tree: OrgTree;
}

/** Options of an organisation evaluation. */
export interface OrganisationEvaluationOptions {
  /** Count open and overdue actions per person (default true); roll-ups that never show them can skip it. */
  readonly actions?: boolean;
}

/** Evaluates every employee at `at`; conversations for people not in the list are ignored. */
export function evaluateOrganisation(
  policy: Policy,
  employees: readonly Employee[],
  conversations: readonly ConversationFacts[],
  at: IsoDate,
  options: OrganisationEvaluationOptions = {},
): OrganisationEvaluation {
  const countActions = options.actions ?? true;
  const rules = compileRules(policy);
  const atDay = parseIsoDate(at);
  const tree = buildOrgTree(employees);
  const { order, start } = groupConversations(tree.indexOf, conversations);
  const n = employees.length;
  const evaluations = new Array<EmployeeEvaluation>(n);
  const facts: OrganisationFacts = {
    startDay: new Float64Array(n),
    leaveDay: new Float64Array(n),
    eligibleFromDay: new Float64Array(n),
    excluded: new Uint8Array(n),
    heldDays: new Int32Array(0),
    heldStart: new Int32Array(n + 1),
  };
  const held = createHeldDaysBuffer(order.length);
  const needsReports = policy.payStep?.checks.some((c) => c.kind === 'reports-career-conversations-complete');
  const careerHeld = new Array<readonly HeldCareerConversation[]>(needsReports ? n : 0);
  for (let i = 0; i < n; i += 1) {
    const slice = { list: conversations, order, from: start[i] as number, to: start[i + 1] as number };
    const r = evaluateWithFacts(
      rules,
      employees[i] as Employee,
      slice,
      atDay,
      at,
      held,
      needsReports ? 'later' : undefined,
      countActions,
    );
    evaluations[i] = r.evaluation;
    const f = r.facts;
    facts.startDay[i] = f.startDay;
    facts.leaveDay[i] = f.leaveDay;
    facts.eligibleFromDay[i] = f.eligibleFromDay;
    facts.excluded[i] = f.excluded ? 1 : 0;
    facts.heldStart[i + 1] = held.length;
    if (needsReports) careerHeld[i] = f.careerHeld;
  }
  const done: OrganisationFacts = { ...facts, heldDays: held.days.subarray(0, held.length) };
  if (needsReports) {
    // Career Conversations policy §5.8 (V) needs every report's compliance: a second pass.
    for (let i = 0; i < n; i += 1) {
      const ev = evaluations[i] as EmployeeEvaluation;
      const payStep = assessPayStep(
        policy,
        employees[i] as Employee,
        facts.startDay[i] as number,
        atDay,
        careerHeld[i] ?? [],
        reportsSummary(tree, evaluations, i),
      );
      evaluations[i] = { ...ev, payStep };
    }
  }
  return { policy, at, atDay, employees, evaluations, facts: done, tree };
}

/** Direct reports of one person as pay-step check V reads them. */
export function reportsSummary(
  tree: OrgTree,
  evaluations: readonly EmployeeEvaluation[],
  index: number,
): ReportsSummary {
  const reports = tree.children[index] ?? [];
  let required = 0;
  let compliant = 0;
  for (const r of reports) {
    const ev = evaluations[r];
    if (!ev?.inPopulation) continue;
    required += 1;
    if (ev.compliant) compliant += 1;
  }
  return { total: reports.length, required, compliant };
}

/** The evaluation of one employee by id, if they are in the organisation. */
export function evaluationOf(org: OrganisationEvaluation, id: EmployeeId): EmployeeEvaluation | undefined {
  const i = org.tree.indexOf.get(id);
  return i === undefined ? undefined : org.evaluations[i];
}

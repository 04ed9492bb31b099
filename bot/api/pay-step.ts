/**
 * A direct report's pay-step readiness for the tab (Career Conversations policy §5.8; DESIGN.md §4
 * Tab, §6): the checks I–V at the pay-step date the engine considers today, each with its outcome,
 * reason and source, the decision recorded and any open support plan — computed by the same
 * function as the bot's Pay step card (`readinessOf`), for the person's line manager only. Dates,
 * counts and the policy's words: never note text, nor the support plan's wording.
 */
import { type PayStepReadiness } from '../../core/compliance/types';
import { type PayStepResponse } from '../../core/tab-api';
import { policyWords } from '../i18n/policy-words';
import { readinessOf } from '../records/pay-steps';
import { type Caller } from './caller';
import { type ApiDeps } from './deps';
import { problems } from './errors';
import { reportOf } from './team-actions';

/** The readiness of one of the caller's current direct reports (read and checked on every request). */
export async function payStepResponse(
  deps: Pick<ApiDeps, 'records' | 'policy' | 'clock' | 'log'>,
  caller: Caller,
  employeeId: string,
): Promise<PayStepResponse> {
  const words = policyWords(deps.policy).payStep;
  if (words === undefined) throw problems.noPaySteps();
  const employee = await reportOf(deps, caller, employeeId, problems.notPayStepManager);
  const readiness = await readinessOf(deps, employee);
  if (readiness === undefined) throw problems.noPayStepDate();
  deps.log.info('pay-step readiness from the tab', { managerId: caller.id, employeeId });
  return {
    employeeId: employee.id,
    name: employee.name,
    date: readiness.date,
    dateSource: readiness.dateSource,
    daysToDate: readiness.daysToDate,
    awaitingDecision: readiness.awaitingDecision,
    readiness: readiness.readiness,
    readinessText: words.readiness[readiness.readiness],
    checks: readiness.checks.map((c) => ({
      id: c.id,
      label: c.label,
      outcome: c.outcome,
      outcomeLabel: words.outcome[c.outcome],
      reason: c.reason,
      source: words.sourceOf[c.kind],
      clause: c.source,
    })),
    decision: decisionOf(readiness),
    openPlan: openPlanOf(readiness),
  };
}

function decisionOf(readiness: PayStepReadiness): PayStepResponse['decision'] {
  const d = readiness.decision;
  if (d === undefined) return null;
  return { decision: d.decision, decidedOn: d.decidedOn, effectiveFrom: d.effectiveFrom ?? null };
}

/** The open support plan as a count and its timescale (the last due date), without its wording. */
function openPlanOf(readiness: PayStepReadiness): PayStepResponse['openPlan'] {
  const open = readiness.deferral?.open;
  if (open === undefined) return null;
  const dues = (open.supportPlan ?? []).map((a) => a.dueDate).sort();
  return {
    forDate: open.forDate,
    decidedOn: open.decidedOn,
    actions: dues.length,
    lastDue: dues.at(-1) ?? null,
  };
}

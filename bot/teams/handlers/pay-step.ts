/**
 * Pay-step readiness and the decision (Career Conversations policy §5.8, §4.2): `paystep` shows a
 * direct report's checks I–V at their pay-step date, `paystep.decide` records progression or a
 * deferral with a support plan, `paystep.complete` records the plan completed, from which day the
 * increase applies — never backdated. Only the colleague's line manager may see or decide; every
 * decision goes to the audit log and is kept on the person for payroll's export.
 */
import { type TurnContext } from 'botbuilder';
import { type PayStepReadiness } from '../../../core/compliance/types';
import { isIsoDate } from '../../../core/dates/day';
import { type ConversationAction, type Employee, type PayStepDecision } from '../../../core/model';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { PLAN_ROWS, createPayStepCard, planInputs } from '../../cards/pay-step-card';
import { Verb } from '../../cards/verbs';
import { text } from '../../i18n/en-GB';
import { readinessOf } from '../../records/pay-steps';
import { type TurnDeps } from '../deps';
import {
  actorOf,
  postedData,
  postedPersonId,
  postedString,
  readableDate,
  refusal,
  unknownUser,
} from './turn';

/** Longest support-plan action a card may post. */
const MAX_ACTION_CHARS = 500;

interface Subject {
  readonly actorId: string;
  readonly employee: Employee;
  readonly readiness: PayStepReadiness;
}

/** The acting line manager, their report and the report's readiness; or the card refusing. */
async function subjectOf(context: TurnContext, deps: TurnDeps): Promise<Subject | { card: CardJson }> {
  if (deps.policy.payStep === undefined) return { card: refusal(text.payStep.notThisPolicy) };
  const actor = await actorOf(context, deps);
  if (actor === undefined) return { card: unknownUser() };
  const employeeId = postedPersonId(postedData(context));
  if (employeeId === undefined) return { card: refusal(text.errors.missingAction) };
  const employee = await deps.records.directory.getEmployee(employeeId);
  if (employee === undefined || employee.leaveDate !== undefined)
    return { card: refusal(text.access.unknownEmployee) };
  if (employee.managerId !== actor.id) return { card: refusal(text.access.notManager) };
  const readiness = await readinessOf(deps, employee);
  if (readiness === undefined) return { card: refusal(text.payStep.noDate) };
  return { actorId: actor.id, employee, readiness };
}

function decisionFor(employee: Employee, forDate: string): PayStepDecision | undefined {
  return employee.payStepDecisions?.find((d) => d.forDate === forDate);
}

/** The latest deferral whose support plan is not completed. */
function openPlanOf(employee: Employee): PayStepDecision | undefined {
  return [...(employee.payStepDecisions ?? [])]
    .reverse()
    .find((d) => d.decision === 'deferred' && d.effectiveFrom === undefined);
}

function card(
  deps: TurnDeps,
  subject: Subject,
  extra: { message?: string; values?: Record<string, string>; errors?: Record<string, string> } = {},
): CardJson {
  return createPayStepCard({
    employeeId: subject.employee.id,
    name: subject.employee.name,
    readiness: subject.readiness,
    decided: decisionFor(subject.employee, subject.readiness.date),
    openPlan: openPlanOf(subject.employee),
    today: deps.clock.today(),
    readable: readableDate,
    ...extra,
  });
}

/** `paystep`: the readiness card. */
export async function payStepStart(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps);
  return 'card' in subject ? subject.card : card(deps, subject);
}

/** Writes the person's decisions, audits the step, and refreshes their status row. */
async function store(
  deps: TurnDeps,
  subject: Subject,
  decisions: readonly PayStepDecision[],
  reason: string,
): Promise<void> {
  const updated: Employee = { ...subject.employee, payStepDecisions: decisions };
  await deps.records.directory.updateOwnFacts(updated);
  await deps.records.audit.append(
    { subjectId: updated.id, actorId: subject.actorId, action: 'paystep.decided', reason },
    deps.clock.now(),
  );
  await deps.records.refreshPerson(updated);
  deps.log.info('pay-step decision recorded', { reason });
}

/** The support plan typed into the card: its actions, or the problems by input id. */
export function readPlan(
  data: Readonly<Record<string, unknown>>,
  today: string,
  newId: () => string,
): { actions: ConversationAction[]; values: Record<string, string>; errors: Record<string, string> } {
  const actions: ConversationAction[] = [];
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const t = text.payStep;
  for (let n = 1; n <= PLAN_ROWS; n += 1) {
    const ids = planInputs(n);
    const typed = typeof data[ids.text] === 'string' ? (data[ids.text] as string).trim() : '';
    const by = typeof data[ids.by] === 'string' ? (data[ids.by] as string).trim() : '';
    values[ids.text] = typed.slice(0, MAX_ACTION_CHARS);
    values[ids.by] = by;
    if (typed === '' && by === '') continue;
    if (typed === '') errors[ids.text] = t.planNoDate;
    else if (typed.length > MAX_ACTION_CHARS) errors[ids.text] = t.planMissing;
    if (by === '' || !isIsoDate(by) || by < today) errors[ids.by] = t.planDateMissing;
    if (errors[ids.text] === undefined && errors[ids.by] === undefined)
      actions.push({ id: newId(), text: typed, owner: 'employee', dueDate: by, done: false });
  }
  if (actions.length === 0 && Object.keys(errors).length === 0) errors[planInputs(1).text] = t.planMissing;
  return { actions, values, errors };
}

/** `paystep.decide`: progression, or a deferral with its support plan. */
export async function payStepDecide(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps);
  if ('card' in subject) return subject.card;
  const data = postedData(context);
  const forDate = postedString(data, 'forDate');
  const decision = postedString(data, 'decision');
  const t = text.payStep;
  const { employee, readiness } = subject;
  // The card was for another date (it is old, or a decision moved the engine on): show today's.
  if (forDate !== readiness.date) return card(deps, subject, { message: text.log.stale });
  const already = decisionFor(employee, forDate);
  if (already !== undefined) return card(deps, subject);
  if (openPlanOf(employee) !== undefined) return card(deps, subject);
  const today = deps.clock.today();
  const base = { forDate, decidedOn: today, decidedBy: subject.actorId };
  const before = employee.payStepDecisions ?? [];
  if (decision === 'progressed') {
    if (readiness.readiness === 'not-ready') return card(deps, subject, { message: t.progressBlocked });
    // Progression applies on the pay-step date itself (CC §5.8 "on their pay step date").
    await store(
      deps,
      subject,
      [...before, { ...base, decision: 'progressed', effectiveFrom: forDate }],
      `progressed at ${forDate}`,
    );
    return createNoticeCard({
      message: t.decided.progressed(employee.name, readableDate(forDate)),
      actions: [{ title: text.menu.team, verb: Verb.team }],
    });
  }
  if (decision !== 'deferred') return refusal(text.errors.missingAction);
  const plan = readPlan(data, today, deps.newId);
  if (Object.keys(plan.errors).length > 0) {
    return card(deps, subject, { message: t.planMissing, values: plan.values, errors: plan.errors });
  }
  await store(
    deps,
    subject,
    [...before, { ...base, decision: 'deferred', supportPlan: plan.actions }],
    `deferred at ${forDate}: support plan of ${plan.actions.length}`,
  );
  return createNoticeCard({
    message: t.decided.deferred(employee.name),
    actions: [{ title: t.title(employee.name), verb: Verb.payStep, data: { employeeId: employee.id } }],
  });
}

/** `paystep.complete`: the support plan is done; the increase applies from today, not backdated. */
export async function payStepComplete(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const subject = await subjectOf(context, deps);
  if ('card' in subject) return subject.card;
  const forDate = postedString(postedData(context), 'forDate');
  const open = openPlanOf(subject.employee);
  if (open === undefined || open.forDate !== forDate) return card(deps, subject);
  const today = deps.clock.today();
  const decisions = (subject.employee.payStepDecisions ?? []).map((d) =>
    d === open
      ? { ...d, effectiveFrom: today, supportPlan: (d.supportPlan ?? []).map((a) => ({ ...a, done: true })) }
      : d,
  );
  await store(
    deps,
    subject,
    decisions,
    `support plan completed (pay step ${open.forDate}): effective ${today}`,
  );
  return createNoticeCard({
    message: text.payStep.decided.completed(subject.employee.name, readableDate(today)),
    actions: [{ title: text.menu.team, verb: Verb.team }],
  });
}

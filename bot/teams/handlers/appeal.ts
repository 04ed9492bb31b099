/**
 * Appeal against a career conversation (Career Conversations policy §5.10). The colleague appeals
 * in writing within the window (14 calendar days) to the next manager up from the one who held
 * it; that manager acknowledges (due within 7 days), records the hearing with a People Services
 * member not previously involved, and the outcome — upheld or not upheld, and the action — which
 * reaches the colleague in writing (a card, and the record). One appeal only: the decision is final.
 */
import { type TurnContext } from 'botbuilder';
import { appealDeadlines } from '../../../core/compliance/pay-step';
import { isIsoDate } from '../../../core/dates/day';
import { type Employee } from '../../../core/model';
import { ConflictError, type Versioned } from '../../../core/ports';
import { type Appeal, type ConversationRecord } from '../../../core/records';
import {
  APPEAL_INPUTS,
  APPEAL_MAX_CHARS,
  createAppealFormCard,
  createAppealManagerCard,
} from '../../cards/appeal-card';
import { type CardJson } from '../../cards/card';
import { createNoticeCard } from '../../cards/notice-card';
import { Verb } from '../../cards/verbs';
import { text } from '../../i18n/en-GB';
import { type TurnDeps } from '../deps';
import {
  ID_PATTERN,
  actorOf,
  postedData,
  postedPersonId,
  postedString,
  readableDate,
  refusal,
  saveRecord,
  unknownUser,
} from './turn';

interface Found {
  readonly actor: { readonly id: string; readonly employee: Employee };
  readonly record: Versioned<ConversationRecord>;
  readonly employee: Employee;
  readonly holder: Employee | undefined;
}

/** The acting user, the career conversation the card names, its colleague and who held it. */
async function found(context: TurnContext, deps: TurnDeps): Promise<Found | { card: CardJson }> {
  const rule = deps.policy.appeal;
  const actor = await actorOf(context, deps);
  if (actor === undefined) return { card: unknownUser() };
  const data = postedData(context);
  const employeeId = postedPersonId(data);
  const id = postedString(data, 'conversationId');
  if (employeeId === undefined || id === undefined || !ID_PATTERN.test(id))
    return { card: refusal(text.errors.missingAction) };
  const [record, employee] = await Promise.all([
    deps.records.conversations.get(employeeId, id),
    deps.directory.getEmployee(employeeId),
  ]);
  if (record === undefined || employee === undefined) return { card: refusal(text.record.missing) };
  if (rule === undefined || record.value.type !== rule.typeId || record.value.status !== 'completed')
    return { card: refusal(text.appeal.notCareer) };
  const holder = await deps.directory.getEmployee(record.value.managerId);
  return { actor, record, employee, holder };
}

const nameOf = async (deps: TurnDeps, id: string | undefined) =>
  id === undefined ? undefined : ((await deps.directory.getEmployee(id))?.name ?? undefined);

/** The appeal manager's card for a stored appeal. */
function managerCard(
  deps: TurnDeps,
  f: Found,
  appeal: Appeal,
  extra: { message?: string; values?: Record<string, string>; errors?: Record<string, string> } = {},
): CardJson {
  const deadlines = appealDeadlines(deps.policy, f.record.value.date, appeal.receivedOn);
  return createAppealManagerCard({
    employeeId: f.employee.id,
    conversationId: f.record.value.id,
    employeeName: f.employee.name,
    holderName: f.holder?.name ?? f.record.value.managerId,
    conversationDate: readableDate(f.record.value.date),
    grounds: appeal.grounds,
    resolution: appeal.preferredResolution,
    acknowledgeBy: readableDate(deadlines.received?.acknowledgeBy ?? appeal.receivedOn),
    acknowledgedOn: appeal.acknowledgedOn && readableDate(appeal.acknowledgedOn),
    decided: appeal.outcome && { result: appeal.outcome.result, on: readableDate(appeal.outcome.decidedOn) },
    acknowledgeDays: deps.policy.appeal?.acknowledgeDays ?? 0,
    outcomes: deps.policy.appeal?.outcomes ?? [],
    ...extra,
  });
}

/** The colleague's view of their appeal's state. */
function employeeState(appeal: Appeal): CardJson {
  const t = text.appeal;
  const details = [
    t.statusReceived(readableDate(appeal.receivedOn)),
    appeal.acknowledgedOn ? t.statusAcknowledged(readableDate(appeal.acknowledgedOn)) : t.statusWaiting,
  ];
  if (appeal.outcome)
    details.push(
      t.outcomeToEmployee(
        appeal.outcome.result,
        readableDate(appeal.outcome.decidedOn),
        appeal.outcome.action,
      ),
    );
  return createNoticeCard({ message: t.onlyOne, details });
}

/** `appeal`: the colleague's form (or the state of their appeal); the appeal manager's card. */
export async function appealStart(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const f = await found(context, deps);
  if ('card' in f) return f.card;
  const appeal = f.record.value.appeal;
  if (appeal !== undefined && f.actor.id === appeal.appealManagerId) return managerCard(deps, f, appeal);
  if (f.actor.id !== f.employee.id) return refusal(text.access.notEmployee);
  if (appeal !== undefined) return employeeState(appeal);
  return formOrClosed(deps, f);
}

async function formOrClosed(
  deps: TurnDeps,
  f: Found,
  extra: { message?: string; values?: Record<string, string>; errors?: Record<string, string> } = {},
): Promise<CardJson> {
  const { appealBy } = appealDeadlines(deps.policy, f.record.value.date);
  if (deps.clock.today() > appealBy)
    return refusal(text.appeal.closed(readableDate(appealBy), deps.policy.appeal?.windowDays ?? 0));
  const appealManager = await nameOf(deps, f.holder?.managerId);
  if (appealManager === undefined) return refusal(text.appeal.noManagerAbove);
  return createAppealFormCard({
    employeeId: f.employee.id,
    conversationId: f.record.value.id,
    conversationDate: readableDate(f.record.value.date),
    appealManagerName: appealManager,
    appealBy: readableDate(appealBy),
    windowDays: deps.policy.appeal?.windowDays ?? 0,
    ...extra,
  });
}

function typed(data: Readonly<Record<string, unknown>>, key: string): string {
  const value = data[key];
  return typeof value === 'string' ? value.trim() : '';
}

/** Stores the record with its appeal, quoting the ETag read; a concurrent change reads again. */
async function storeAppeal(deps: TurnDeps, f: Found, appeal: Appeal): Promise<boolean> {
  try {
    await saveRecord(
      deps,
      { ...f.record.value, appeal, updatedAt: deps.clock.now().toISOString() },
      { actorId: f.actor.id, etag: f.record.etag },
    );
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}

/** `appeal.submit`: the colleague's appeal in writing, sent to the appeal manager. */
export async function appealSubmit(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const f = await found(context, deps);
  if ('card' in f) return f.card;
  const t = text.appeal;
  if (f.actor.id !== f.employee.id) return refusal(text.access.notEmployee);
  if (f.record.value.appeal !== undefined) return employeeState(f.record.value.appeal);
  const today = deps.clock.today();
  const { appealBy } = appealDeadlines(deps.policy, f.record.value.date);
  if (today > appealBy) return refusal(t.closed(readableDate(appealBy), deps.policy.appeal?.windowDays ?? 0));
  const appealManagerId = f.holder?.managerId;
  const appealManager = appealManagerId && (await deps.directory.getEmployee(appealManagerId));
  if (!appealManagerId || !appealManager) return refusal(t.noManagerAbove);

  const data = postedData(context);
  const values = {
    grounds: typed(data, APPEAL_INPUTS.grounds),
    resolution: typed(data, APPEAL_INPUTS.resolution),
  };
  const errors: Record<string, string> = {};
  if (values.grounds === '') errors.grounds = t.groundsMissing;
  for (const key of ['grounds', 'resolution'] as const)
    if (values[key].length > APPEAL_MAX_CHARS) errors[key] = t.tooLong(APPEAL_MAX_CHARS);
  if (Object.keys(errors).length > 0) return formOrClosed(deps, f, { values, errors });

  const appeal: Appeal = {
    receivedOn: today,
    grounds: values.grounds,
    ...(values.resolution !== '' ? { preferredResolution: values.resolution } : {}),
    appealManagerId,
  };
  // Indexed first, for the sweep's acknowledgement nudges: a row whose record then has no appeal
  // (a concurrent change) is removed by the sweep, whereas an appeal missing from it would never
  // be nudged about.
  await deps.records.exceptions.openAppeal({
    employeeId: f.employee.id,
    conversationId: f.record.value.id,
    receivedOn: today,
    appealManagerId,
  });
  if (!(await storeAppeal(deps, f, appeal))) return appealStart(context, deps);
  await deps.records.audit.append(
    { subjectId: f.employee.id, actorId: f.actor.id, action: 'appeal.received', recordId: f.record.value.id },
    deps.clock.now(),
  );
  const stored = { ...f, record: { ...f.record, value: { ...f.record.value, appeal } } };
  await deps.outbox.post({
    to: appealManagerId,
    kind: 'notice',
    day: today,
    ref: `appeal:${f.record.value.id}`,
    card: managerCard(deps, stored, appeal),
  });
  const { received } = appealDeadlines(deps.policy, f.record.value.date, today);
  return createNoticeCard({
    message: t.sent(appealManager.name, readableDate(received?.acknowledgeBy ?? today)),
    actions: [{ title: text.menu.mine, verb: Verb.mine }],
  });
}

/** The appeal manager acting on a stored appeal, or the refusal. */
function asAppealManager(f: Found): Appeal | CardJson {
  const appeal = f.record.value.appeal;
  if (appeal === undefined || f.actor.id !== appeal.appealManagerId)
    return refusal(text.appeal.notAppealManager);
  return appeal;
}

const isAppeal = (x: Appeal | CardJson): x is Appeal => !('type' in x);

/** `appeal.ack`: the appeal manager acknowledges; the colleague is told. */
export async function appealAcknowledge(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const f = await found(context, deps);
  if ('card' in f) return f.card;
  const appeal = asAppealManager(f);
  if (!isAppeal(appeal)) return appeal;
  if (appeal.acknowledgedOn !== undefined || appeal.outcome !== undefined)
    return managerCard(deps, f, appeal);
  const today = deps.clock.today();
  const acknowledged: Appeal = { ...appeal, acknowledgedOn: today };
  if (!(await storeAppeal(deps, f, acknowledged))) return appealStart(context, deps);
  await deps.records.exceptions.closeAppeal(f.employee.id, f.record.value.id);
  await deps.records.audit.append(
    {
      subjectId: f.employee.id,
      actorId: f.actor.id,
      action: 'appeal.acknowledged',
      recordId: f.record.value.id,
    },
    deps.clock.now(),
  );
  await deps.outbox.post({
    to: f.employee.id,
    kind: 'notice',
    day: today,
    ref: `appeal-ack:${f.record.value.id}`,
    card: createNoticeCard({
      message: text.appeal.acknowledgedToEmployee(f.actor.employee.name, readableDate(today)),
    }),
  });
  return managerCard(deps, f, acknowledged);
}

/** `appeal.outcome`: the hearing and the decision, sent to the colleague in writing; final. */
export async function appealOutcome(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const f = await found(context, deps);
  if ('card' in f) return f.card;
  const appeal = asAppealManager(f);
  if (!isAppeal(appeal)) return appeal;
  if (appeal.outcome !== undefined) return managerCard(deps, f, appeal);
  const t = text.appeal;
  const today = deps.clock.today();
  const data = postedData(context);
  const values = {
    hearingOn: typed(data, APPEAL_INPUTS.hearingOn),
    peopleServices: typed(data, APPEAL_INPUTS.peopleServices),
    result: typed(data, APPEAL_INPUTS.result),
    action: typed(data, APPEAL_INPUTS.action),
  };
  const errors: Record<string, string> = {};
  if (!isIsoDate(values.hearingOn) || values.hearingOn > today || values.hearingOn < appeal.receivedOn)
    errors.hearingOn = t.hearingMissing;
  const involved = [f.employee.name, f.holder?.name, f.actor.employee.name]
    .filter((n): n is string => n !== undefined)
    .map((n) => n.trim().toLowerCase());
  if (values.peopleServices === '' || values.peopleServices.length > 200)
    errors.peopleServices = t.peopleServicesMissing;
  else if (involved.includes(values.peopleServices.toLowerCase()))
    errors.peopleServices = t.peopleServicesInvolved;
  if (!(deps.policy.appeal?.outcomes ?? []).includes(values.result)) errors.result = t.resultMissing;
  if (values.action === '') errors.action = t.actionMissing;
  else if (values.action.length > APPEAL_MAX_CHARS) errors.action = t.tooLong(APPEAL_MAX_CHARS);
  if (Object.keys(errors).length > 0)
    return managerCard(deps, f, appeal, { message: Object.values(errors)[0], values, errors });

  const decided: Appeal = {
    ...appeal,
    acknowledgedOn: appeal.acknowledgedOn ?? today,
    hearing: { on: values.hearingOn, peopleServices: values.peopleServices },
    outcome: { result: values.result, action: values.action, decidedOn: today },
  };
  if (!(await storeAppeal(deps, f, decided))) return appealStart(context, deps);
  await deps.records.exceptions.closeAppeal(f.employee.id, f.record.value.id);
  await deps.records.audit.append(
    {
      subjectId: f.employee.id,
      actorId: f.actor.id,
      action: 'appeal.decided',
      recordId: f.record.value.id,
      reason: values.result,
    },
    deps.clock.now(),
  );
  await deps.outbox.post({
    to: f.employee.id,
    kind: 'notice',
    day: today,
    ref: `appeal-outcome:${f.record.value.id}`,
    card: employeeState(decided),
  });
  return createNoticeCard({ message: t.outcomeSaved });
}

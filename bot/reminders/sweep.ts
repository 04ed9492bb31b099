/**
 * The nudge sweep (DESIGN.md §4 "Nudge"; procedure §4.2): at the sweep's instant, who is due soon,
 * due or overdue, and who must be told — managers, employees where the ladder names them, OD, then
 * the Head of Service and the Director up the manager chain. Each recipient gets one card that day
 * (several due items become one card), posted to the durable outbox.
 *
 * Once: every planned (employee, due date, stage) gets a nudge-ledger row before anything is
 * posted (`planned`), and is marked `posted` once every card carrying it is on the queue. A sweep that stopped
 * part-way (storage or the queue unreachable) is finished by the next run the same day: it posts
 * again what is still `planned` (the outbox sends a delivery once, so a card posted twice is sent
 * once) and leaves new items to the next day, because that day's cards may already be out.
 */
import { type TableClient, odata } from '@azure/data-tables';
import { withScopeDefaults } from '../../core/compliance/evaluate';
import { evaluateOrganisation, type OrganisationEvaluation } from '../../core/compliance/organisation';
import { type EmployeeEvaluation } from '../../core/compliance/types';
import { type Employee, type EmployeeId, type IsoDate } from '../../core/model';
import { type PlannedNudge, managerDigest, mayNudgeAt, planNudges } from '../../core/nudges';
import { type DayNumber, formatIsoDate, isoWeekday, parseIsoDate } from '../../core/dates/day';
import { isWorkingDay } from '../../core/dates/working-days';
import { policyCalendar } from '../../core/policy/calendar';
import { type AuditLog } from '../../core/ports';
import { type NudgeItem, type Policy } from '../../core/policy/schema';
import { quarterlyCompletion } from '../../core/org/rollup';
import { type CardJson } from '../cards/card';
import { combineCards } from '../cards/combine';
import { createNoticeCard } from '../cards/notice-card';
import { createDigestCard } from '../cards/digest-card';
import { createEmployeeReminderCard } from '../cards/employee-reminder-card';
import { createAppealLateCard, createEscalationCard } from '../cards/escalation-card';
import {
  type ReminderLine,
  createAppealReminderCard,
  createManagerReminderCard,
} from '../cards/reminder-card';
import { text } from '../i18n/en-GB';
import { londonDate } from '../clock';
import { type PolicyWords, policyWords } from '../i18n/policy-words';
import { forEachLimit } from '../concurrency';
import { type Logger } from '../log';
import { type Outbox } from '../outbox/outbox';
import { OD_CHANNEL_KEY } from './od-channel';
import { currentPeople } from '../records/refresh';
import { readJob, writeJob } from '../records/jobs';
import { type Records } from '../records/records';
import { ruleFor } from './rule-text';
import { statusOf } from '../storage/entities';
import { ledgerRowKey } from '../storage/keys';
import { type ReferenceStore } from '../storage/reference-store';
import { type TableStore } from '../storage/sharded-table';
import { type Snoozes } from '../storage/snoozes';
import { type OpenAppealRow } from '../storage/exception-table';

export { OD_CHANNEL_KEY };

/** The most a combined card may weigh: under Teams' 40 KB with room for the activity around it. */
const CARD_BUDGET_BYTES = 36 * 1024;

/** Ledger reads and writes in flight at once. */
const CONCURRENCY = 16;

/** What a sweep needs. */
export interface SweepDeps {
  readonly records: Records;
  readonly policy: Policy;
  /** The nudge ledger table (PK = employee id, RK = `<item>|<due date>|<stage>`). */
  readonly ledger: TableStore;
  readonly snoozes: Snoozes;
  readonly outbox: Outbox;
  readonly references: ReferenceStore;
  /** Entra object ids of the OD team, told one by one when OD has no channel with the app. */
  readonly odMembers: readonly string[];
  readonly jobs: TableClient;
  readonly audit: AuditLog;
  readonly log: Logger;
}

/** What a nudge-ledger row stands for: a planned nudge, or an appeal's acknowledgement nudge. */
export interface LedgerItem {
  readonly key: string;
  readonly employeeId: EmployeeId;
  readonly item: string;
  readonly dueDate: IsoDate;
  readonly stage: string;
  readonly kind: 'reminder' | 'escalation';
}

/** The ledger item of appeal nudges (CC §5.10), beside the policy's items. */
export const APPEAL_ITEM = 'appeal';

/**
 * An appeal not acknowledged by its due day (received + `appeal.acknowledgeDays`): a reminder to
 * the appeal manager on that day, an escalation to the monitoring team once it has passed.
 */
interface AppealNudge extends LedgerItem {
  readonly conversationId: string;
  readonly appealManagerId: EmployeeId;
  readonly receivedOn: IsoDate;
}

/** One card planned for one recipient. */
export interface PlannedCard {
  /** The reference key it goes to (an Entra object id, or {@link OD_CHANNEL_KEY}). */
  readonly to: string;
  readonly toName: string;
  /** What the recipient is told, one line each (for the plan's print-out; never note text). */
  readonly lines: readonly string[];
  /** The ledger keys the card carries. */
  readonly nudges: readonly LedgerItem[];
  readonly card: CardJson;
}

/** A sweep's plan at one instant. */
export interface SweepPlan {
  readonly at: Date;
  readonly day: IsoDate;
  /** Why nothing may be sent at this instant (quiet hours, a weekend, a bank holiday). */
  readonly blocked?: string;
  /** The day's sweep already finished: nothing more to send. */
  readonly alreadyDone?: boolean;
  readonly cards: readonly PlannedCard[];
  /** Items left for the next day (the sweep was resumed and their recipient's card may be out). */
  readonly deferred: number;
  /** Items not planned because the manager snoozed them. */
  readonly snoozed: number;
}

/** What a sweep did. */
export interface SweepResult extends SweepPlan {
  readonly posted: number;
}

interface Checkpoint {
  readonly day: IsoDate;
  readonly phase: 'planning' | 'posting' | 'done';
  readonly cards?: number;
}

const JOB = 'nudge-sweep';

interface LedgerRow {
  readonly state?: string;
  readonly day?: string;
  readonly recipients?: string;
}

/** The plan as lines a person reads: who, what, why. */
export function describePlan(plan: SweepPlan): string {
  const out: string[] = [];
  if (plan.blocked !== undefined) return `nothing to send at ${plan.at.toISOString()}: ${plan.blocked}\n`;
  if (plan.alreadyDone) return `${plan.day} was already swept; nothing more is sent today\n`;
  for (const card of plan.cards) {
    out.push(`${card.toName} (${card.to}):`);
    for (const line of card.lines) out.push(`  ${line}`);
  }
  out.push(
    `${plan.cards.length} cards for ${plan.day}` +
      (plan.snoozed > 0 ? `, ${plan.snoozed} snoozed` : '') +
      (plan.deferred > 0 ? `, ${plan.deferred} left for the next working day` : ''),
  );
  return out.join('\n') + '\n';
}

/** Plans the sweep at `at` without changing anything (`sweep --dry-run`). */
export async function planSweep(deps: SweepDeps, at: Date): Promise<SweepPlan> {
  return (await prepare(deps, at)).plan;
}

/** Plans and posts the sweep at `at`. Throws when storage or the queue fails; the next run resumes. */
export async function runSweep(deps: SweepDeps, at: Date, signal?: AbortSignal): Promise<SweepResult> {
  const { plan, org, resumed, closedAppeals = [] } = await prepare(deps, at);
  if (org === undefined) return { ...plan, posted: 0 };
  const { ledger, jobs, log } = deps;
  // A run resumed after posting began stays in that phase (new items wait for the next day).
  if (resumed !== 'posting')
    await writeJob(jobs, JOB, { day: plan.day, phase: 'planning' } satisfies Checkpoint);
  const now = at.toISOString();
  const planned = plan.cards.flatMap((c) => c.nudges.map((n) => ({ n, to: c.to })));
  const recipientsOf = new Map<string, string[]>();
  for (const { n, to } of planned) recipientsOf.set(n.key, [...(recipientsOf.get(n.key) ?? []), to]);
  const seen = new Set<string>();
  await forEachLimit(
    planned.filter(({ n }) => !seen.has(n.key) && seen.add(n.key)),
    CONCURRENCY,
    async ({ n }) => {
      signal?.throwIfAborted();
      try {
        await ledger.createEntity({
          partitionKey: n.employeeId,
          rowKey: ledgerRowKey(n.item, n.dueDate, n.stage),
          state: 'planned',
          day: plan.day,
          recipients: (recipientsOf.get(n.key) ?? []).join(','),
          claimedAt: now,
          sentAt: '',
        });
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
    },
  );
  await writeJob(jobs, JOB, {
    day: plan.day,
    phase: 'posting',
    cards: plan.cards.length,
  } satisfies Checkpoint);
  let posted = 0;
  await forEachLimit(plan.cards, CONCURRENCY / 2, async (c) => {
    signal?.throwIfAborted();
    await deps.outbox.post({ to: c.to, kind: 'reminder', day: plan.day, ref: '', card: c.card });
    posted++;
  });
  // Escalations land in the audit log (about the person with the gap), once per stage: before the
  // ledger says posted, so a run stopped in between writes them on the rerun, which first looks
  // for the ones an earlier run of the day already wrote.
  const escalations = new Map<string, LedgerItem>();
  for (const c of plan.cards)
    for (const n of c.nudges) if (n.kind === 'escalation') escalations.set(n.key, n);
  await forEachLimit([...escalations.values()], CONCURRENCY, async (n) => {
    const reason = `${n.stage} (due ${n.dueDate})`;
    if (resumed === 'posting') {
      const earlier = await deps.audit.forSubject(n.employeeId);
      if (earlier.some((e) => e.action === 'nudge.escalated' && e.reason?.startsWith(reason))) return;
    }
    await deps.audit.append(
      {
        subjectId: n.employeeId,
        actorId: `system:${JOB}`,
        action: 'nudge.escalated',
        reason: `${reason} to ${(recipientsOf.get(n.key) ?? []).map((id) => nameOf(org, id)).join(', ')}`,
      },
      at,
    );
  });
  // Only once every card is out: an item goes to several people, and a rerun posts again (the
  // outbox sends a card once) whatever is still `planned`.
  const keys = [...new Map(planned.map(({ n }) => [n.key, n])).values()];
  await forEachLimit(keys, CONCURRENCY, async (n) => {
    await ledger.updateEntity(
      {
        partitionKey: n.employeeId,
        rowKey: ledgerRowKey(n.item, n.dueDate, n.stage),
        state: 'posted',
        sentAt: now,
      },
      'Merge',
    );
  });
  // Appeals acknowledged or decided since (or whose record has none) leave the open-appeals index.
  for (const row of closedAppeals)
    await deps.records.exceptions.closeAppeal(row.employeeId, row.conversationId);
  await writeJob(jobs, JOB, { day: plan.day, phase: 'done', cards: plan.cards.length } satisfies Checkpoint);
  log.info('nudge sweep', { day: plan.day, cards: plan.cards.length, posted, deferred: plan.deferred });
  return { ...plan, posted };
}

async function prepare(
  deps: SweepDeps,
  at: Date,
): Promise<{
  plan: SweepPlan;
  org?: OrganisationEvaluation;
  resumed?: Checkpoint['phase'] | undefined;
  closedAppeals?: readonly OpenAppealRow[];
}> {
  const { policy } = deps;
  const day = londonDate(at);
  const empty = { at, day, cards: [], deferred: 0, snoozed: 0 };
  // The cheap answers first: the whole organisation is read only when something may be sent.
  const allowed = mayNudgeAt(policy, at.getTime());
  if (!allowed.ok) return { plan: { ...empty, blocked: allowed.why ?? 'not now' } };
  const checkpoint = await readJob<Checkpoint>(deps.jobs, JOB);
  const resumed = checkpoint?.day === day ? checkpoint.phase : undefined;
  if (resumed === 'done') return { plan: { ...empty, alreadyDone: true } };
  const org = await evaluateNow(deps, day);

  // Every nudge due at D, then the ledger decides which are new, planned-not-posted, or done.
  const candidates = planNudges(org, { has: () => false });
  const states = new Map<string, string | undefined>();
  await forEachLimit(candidates, CONCURRENCY, async (n) => {
    states.set(n.key, (await readLedger(deps.ledger, n))?.state);
  });
  let deferred = 0;
  let snoozed = 0;
  const due: PlannedNudge[] = [];
  const snoozesOf = new Map<EmployeeId, Map<string, string>>();
  for (const n of candidates) {
    const state = states.get(n.key);
    if (state === 'posted') continue;
    if (state === undefined && resumed === 'posting') {
      deferred++;
      continue;
    }
    if (n.kind === 'reminder') {
      let snoozes = snoozesOf.get(n.employeeId);
      if (snoozes === undefined) {
        snoozes = await deps.snoozes.forEmployee(n.employeeId);
        snoozesOf.set(n.employeeId, snoozes);
      }
      const until = snoozes.get(`${n.item}|${n.dueDate}`);
      if (until !== undefined && day < until) {
        snoozed++;
        continue;
      }
    }
    due.push(n);
  }
  const appeals = await appealNudges(deps, day);
  await forEachLimit(appeals.due, CONCURRENCY, async (n) => {
    states.set(n.key, (await readLedger(deps.ledger, n))?.state);
  });
  const dueAppeals = appeals.due.filter((n) => {
    const state = states.get(n.key);
    if (state === 'posted') return false;
    if (state === undefined && resumed === 'posting') {
      deferred++;
      return false;
    }
    return true;
  });
  const cards = await cardsFor(deps, org, due, day, dueAppeals);
  return { plan: { at, day, cards, deferred, snoozed }, org, resumed, closedAppeals: appeals.closed };
}

/**
 * The appeals waiting for acknowledgement (CC §5.10), from the open-appeals index (one partition,
 * not every conversation), each checked against its record: the reminder on the due day (or the
 * last working day before it), the escalation once it has passed. Rows whose appeal is
 * acknowledged, decided or gone are returned as `closed`.
 */
async function appealNudges(
  deps: SweepDeps,
  day: IsoDate,
): Promise<{ due: AppealNudge[]; closed: OpenAppealRow[] }> {
  const rule = deps.policy.appeal;
  if (rule === undefined) return { due: [], closed: [] };
  const calendar = policyCalendar(deps.policy);
  const today = parseIsoDate(day);
  const due: AppealNudge[] = [];
  const closed: OpenAppealRow[] = [];
  await forEachLimit(await deps.records.exceptions.openAppeals(), CONCURRENCY, async (row) => {
    const appeal = (await deps.records.conversations.get(row.employeeId, row.conversationId))?.value.appeal;
    if (appeal === undefined || appeal.acknowledgedOn !== undefined || appeal.outcome !== undefined) {
      closed.push(row);
      return;
    }
    const by = parseIsoDate(appeal.receivedOn) + rule.acknowledgeDays;
    let last: DayNumber = by;
    while (deps.policy.nudges.workingDaysOnly && last > today && !isWorkingDay(calendar, last)) last--;
    const kind = today > by ? 'escalation' : last === today ? 'reminder' : undefined;
    if (kind === undefined) return;
    const dueDate = formatIsoDate(by);
    const stage = `${kind === 'reminder' ? 'appeal-acknowledge' : 'appeal-acknowledge-late'}/${row.conversationId}`;
    due.push({
      key: `${row.employeeId}|${dueDate}|${APPEAL_ITEM}|${stage}`,
      employeeId: row.employeeId,
      item: APPEAL_ITEM,
      dueDate,
      stage,
      kind,
      conversationId: row.conversationId,
      appealManagerId: appeal.appealManagerId,
      receivedOn: appeal.receivedOn,
    });
  });
  return { due: due.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), closed };
}

/** Everyone as the status index files them, evaluated at `day`. */
async function evaluateNow(deps: SweepDeps, day: IsoDate): Promise<OrganisationEvaluation> {
  const { employees, conversations } = await currentPeople(deps.records);
  // The top of the tree is out of scope unless HR says otherwise, however the person was added.
  return evaluateOrganisation(deps.policy, withScopeDefaults(deps.policy, employees), conversations, day);
}

async function readLedger(ledger: TableStore, n: LedgerItem): Promise<LedgerRow | undefined> {
  try {
    return await ledger.getEntity<LedgerRow>(n.employeeId, ledgerRowKey(n.item, n.dueDate, n.stage));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Who was told about an item before this stage, from its earlier ledger rows. */
async function alreadyTold(
  deps: SweepDeps,
  org: OrganisationEvaluation,
  n: PlannedNudge,
): Promise<{ who: string; role: string; on: string }[]> {
  const prefix = ledgerRowKey(n.item, n.dueDate, '');
  const told: { who: string; role: string; on: string }[] = [];
  for await (const row of deps.ledger.listEntities<LedgerRow>({
    queryOptions: {
      filter: odata`PartitionKey eq ${n.employeeId} and RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
    },
  })) {
    if (row.state !== 'posted' || row.rowKey === ledgerRowKey(n.item, n.dueDate, n.stage)) continue;
    for (const id of (row.recipients ?? '').split(',').filter(Boolean)) {
      told.push({
        who: nameOf(org, id),
        role: roleOf(org, n.employeeId, id, deps.odMembers),
        on: row.day ?? '',
      });
    }
  }
  return told;
}

/** A recipient by name; the monitoring team (its channel, or a member outside the org) by the policy's name for it. */
function nameOf(org: OrganisationEvaluation, id: string): string {
  const words = policyWords(org.policy);
  if (id === OD_CHANNEL_KEY) return words.monitoringTeam;
  const i = org.tree.indexOf.get(id);
  return i === undefined ? words.monitoringTeamName : (org.employees[i]?.name ?? id);
}

/** What a recipient was to the item: the monitoring team (its channel or a member, who may be in the org too), the manager, the employee, or the chain above. */
function roleOf(
  org: OrganisationEvaluation,
  employeeId: EmployeeId,
  id: string,
  odMembers: readonly string[],
): string {
  const e = employeeOf(org, employeeId);
  if (id === OD_CHANNEL_KEY || odMembers.includes(id) || !org.tree.indexOf.has(id))
    return policyWords(org.policy).monitoringTeamName;
  if (e?.managerId === id) return 'manager';
  if (id === employeeId) return 'employee';
  return 'manager chain';
}

function employeeOf(org: OrganisationEvaluation, id: string): Employee | undefined {
  const i = org.tree.indexOf.get(id);
  return i === undefined ? undefined : org.employees[i];
}

function evaluationOf(org: OrganisationEvaluation, id: string): EmployeeEvaluation | undefined {
  const i = org.tree.indexOf.get(id);
  return i === undefined ? undefined : org.evaluations[i];
}

/** The OD team's reference keys: their channel when the app is in it, else each member. */
async function odRecipients(deps: SweepDeps): Promise<string[]> {
  const channel = await deps.references.get(OD_CHANNEL_KEY);
  return channel !== undefined ? [OD_CHANNEL_KEY] : [...deps.odMembers];
}

function typeFor(policy: Policy, item: NudgeItem): { id: string; name: string } {
  const id =
    item === 'supervision'
      ? (policy.supervision?.typeId ?? policy.compliance.countedTypes[0]!)
      : item === 'induction-meeting'
        ? (policy.inductionMeeting?.typeId ?? policy.compliance.countedTypes[0]!)
        : policy.compliance.countedTypes[0]!;
  const type = policy.conversationTypes.find((t) => t.id === id);
  return { id, name: type?.label ?? id };
}

/** Groups the day's nudges by recipient and draws each recipient's one card. */
async function cardsFor(
  deps: SweepDeps,
  org: OrganisationEvaluation,
  due: readonly PlannedNudge[],
  day: IsoDate,
  appeals: readonly AppealNudge[],
): Promise<PlannedCard[]> {
  const { policy } = deps;
  const words = policyWords(policy);
  const od =
    due.some((n) => n.recipients.some((r) => r.kind === 'od')) || appeals.some((n) => n.kind === 'escalation')
      ? await odRecipients(deps)
      : [];
  interface Pending {
    managerLines: ReminderLine[];
    employeeLines: ReminderLine[];
    escalations: { n: PlannedNudge; audience: 'od' | 'head-of-service' | 'director' }[];
    /** Whole cards drawn already (the appeal nudges), after the others. */
    extra: CardJson[];
    nudges: LedgerItem[];
    lines: string[];
  }
  const byRecipient = new Map<string, Pending>();
  const pendingFor = (to: string): Pending => {
    let p = byRecipient.get(to);
    if (p === undefined) {
      p = { managerLines: [], employeeLines: [], escalations: [], extra: [], nudges: [], lines: [] };
      byRecipient.set(to, p);
    }
    return p;
  };
  const acknowledgeDays = policy.appeal?.acknowledgeDays ?? 0;
  const appealRule = text.appealNudge.rule(acknowledgeDays, policy.appeal?.source ?? '');
  for (const n of appeals) {
    const employeeName = employeeOf(org, n.employeeId)?.name ?? n.employeeId;
    if (n.kind === 'reminder') {
      // Nobody who has left is told anything.
      if (evaluationOf(org, n.appealManagerId)?.status === 'left') continue;
      const p = pendingFor(n.appealManagerId);
      p.nudges.push(n);
      p.lines.push(`appeal: acknowledge ${employeeName}'s appeal by ${n.dueDate}`);
      p.extra.push(
        createAppealReminderCard({
          employeeId: n.employeeId,
          conversationId: n.conversationId,
          employeeName,
          receivedOn: n.receivedOn,
          acknowledgeBy: n.dueDate,
          acknowledgeDays,
          rule: appealRule,
        }),
      );
      continue;
    }
    const card = createAppealLateCard({
      employeeName,
      appealManagerName: employeeOf(org, n.appealManagerId)?.name ?? n.appealManagerId,
      receivedOn: n.receivedOn,
      acknowledgeBy: n.dueDate,
      acknowledgeDays,
      rule: appealRule,
      words,
    });
    for (const to of od) {
      const p = pendingFor(to);
      p.nudges.push(n);
      p.lines.push(`escalation: ${employeeName}'s appeal not acknowledged by ${n.dueDate}`);
      p.extra.push(card);
    }
  }
  const told = new Map<string, { who: string; role: string; on: string }[]>();
  for (const n of due) if (n.kind === 'escalation') told.set(n.key, await alreadyTold(deps, org, n));

  for (const n of due) {
    const employee = employeeOf(org, n.employeeId);
    if (employee === undefined) continue;
    const type = typeFor(policy, n.item);
    const line: ReminderLine = {
      employeeId: n.employeeId,
      name: employee.name,
      item: n.item,
      typeId: type.id,
      typeName: type.name,
      dueDate: n.dueDate,
      daysFromDue: n.daysFromDue,
      stage: n.stage,
      rule: ruleFor(policy, n.item),
      ...(n.kind === 'escalation'
        ? { escalatedTo: [...(told.get(n.key) ?? []).map((t) => ({ who: t.who, on: t.on }))] }
        : {}),
    };
    const why = describe(n);
    for (const r of n.recipients) {
      if (r.kind === 'od') {
        for (const to of od) {
          const p = pendingFor(to);
          p.escalations.push({ n, audience: 'od' });
          p.nudges.push(n);
          p.lines.push(`escalation: ${employee.name} — ${why}`);
        }
        continue;
      }
      // Nobody who has left is told anything.
      const recipient = evaluationOf(org, r.id);
      if (recipient?.status === 'left') continue;
      const p = pendingFor(r.id);
      p.nudges.push(n);
      if (r.as === 'manager') {
        p.managerLines.push(line);
        p.lines.push(`${n.kind === 'escalation' ? 'escalated' : 'reminder'}: ${employee.name} — ${why}`);
      } else if (r.as === 'employee') {
        p.employeeLines.push(line);
        p.lines.push(`reminder (own): ${why}`);
      } else {
        const depth = org.tree.depth[org.tree.indexOf.get(r.id) ?? -1];
        p.escalations.push({
          n,
          audience: depth !== undefined && depth <= 1 ? 'director' : 'head-of-service',
        });
        p.lines.push(`escalation: ${employee.name} — ${why}`);
      }
    }
  }

  const cards: PlannedCard[] = [];
  for (const [to, p] of byRecipient) {
    const recipient = employeeOf(org, to);
    const toName = recipientName(words, to, recipient);
    const parts: CardJson[] = [];
    if (p.managerLines.length > 0) {
      parts.push(
        createManagerReminderCard({
          managerName: toName,
          lines: p.managerLines,
          today: day,
          timeZone: policy.calendar.timeZone,
        }),
      );
    }
    for (const line of p.employeeLines) {
      const employee = employeeOf(org, line.employeeId);
      const manager = employee?.managerId ? employeeOf(org, employee.managerId) : undefined;
      parts.push(
        createEmployeeReminderCard({
          employeeName: toName,
          managerName: manager?.name ?? '',
          line,
          timeZone: policy.calendar.timeZone,
        }),
      );
    }
    for (const { n, audience } of p.escalations) {
      const employee = employeeOf(org, n.employeeId)!;
      const manager = employee.managerId ? employeeOf(org, employee.managerId) : undefined;
      parts.push(
        createEscalationCard({
          audience,
          employee: { id: employee.id, name: employee.name },
          manager: { id: manager?.id ?? '', name: manager?.name ?? '' },
          dueDate: n.dueDate,
          daysOverdue: Math.max(0, n.daysFromDue),
          stageLabel: stageLabel(n.stage),
          rule: ruleFor(policy, n.item),
          alreadyTold: told.get(n.key) ?? [],
          words,
        }),
      );
    }
    parts.push(...p.extra);
    if (parts.length === 0) continue;
    cards.push({ to, toName, lines: p.lines, nudges: unique(p.nudges), card: withinSize(parts) });
  }
  return cards.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/** A recipient as the plan names them; the monitoring team's channel and members by the policy's name for the team. */
function recipientName(words: PolicyWords, to: string, recipient: Employee | undefined): string {
  if (to === OD_CHANNEL_KEY) return `${words.monitoringTeamName} channel`;
  return recipient?.name ?? `${words.monitoringTeamName} member`;
}

/** The parts as one card, as many as fit in a Teams message; a note counts the rest. */
function withinSize(parts: readonly CardJson[]): CardJson {
  let kept = parts.length;
  let card = combineCards(parts);
  while (kept > 1 && Buffer.byteLength(JSON.stringify(card)) > CARD_BUDGET_BYTES) {
    kept--;
    const rest = parts.length - kept;
    card = combineCards([
      ...parts.slice(0, kept),
      createNoticeCard({
        message: `${rest} more ${rest === 1 ? 'item does' : 'items do'} not fit in this message: the Organisation tab lists everyone overdue.`,
      }),
    ]);
  }
  return card;
}

/** A stage id as people read it: `od-follow-up` → "OD follow-up", `supervision/due` → "Supervision: due". */
export function stageLabel(stage: string): string {
  const words = stage
    .split('/')
    .map((part) => part.replace(/-/g, ' ').replace(/\bod\b/g, 'OD'))
    .join(': ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function unique(nudges: readonly LedgerItem[]): LedgerItem[] {
  const seen = new Set<string>();
  return nudges.filter((n) => !seen.has(n.key) && seen.add(n.key));
}

function describe(n: PlannedNudge): string {
  const what = n.item === 'conversation' ? 'conversation' : n.item.replace('-', ' ');
  if (n.daysFromDue < 0) return `${what} due in ${-n.daysFromDue} days (${n.dueDate}), ${n.stage}`;
  if (n.daysFromDue === 0) return `${what} due today, ${n.stage}`;
  return `${what} overdue by ${n.daysFromDue} days (due ${n.dueDate}), ${n.stage}`;
}

/**
 * Posts each manager's weekly digest on the policy's digest day (idempotent by manager and day,
 * so a run stopped by `signal` is finished by the next one).
 */
export async function runDigest(
  deps: SweepDeps,
  at: Date,
  signal?: AbortSignal,
): Promise<{ posted: number; blocked?: string }> {
  const { policy } = deps;
  const day = londonDate(at);
  if (isoWeekday(parseIsoDate(day)) !== policy.nudges.weeklyDigest.weekday) {
    return { posted: 0, blocked: `${day} is not the digest day` };
  }
  const allowed = mayNudgeAt(policy, at.getTime());
  if (!allowed.ok) return { posted: 0, blocked: allowed.why ?? 'not now' };
  const org = await evaluateNow(deps, day);
  const managers = new Set<number>();
  org.evaluations.forEach((ev, i) => {
    const m = org.tree.managerIndex[i] ?? -1;
    if (m !== -1 && ev.status !== 'left' && ev.status !== 'excluded') managers.add(m);
  });
  let posted = 0;
  await forEachLimit([...managers], CONCURRENCY / 2, async (m) => {
    signal?.throwIfAborted();
    const manager = org.employees[m];
    const managerEv = org.evaluations[m];
    if (manager === undefined || managerEv?.status === 'left') return;
    const reports = (org.tree.children[m] ?? [])
      .map((i) => org.evaluations[i])
      .filter(
        (ev): ev is EmployeeEvaluation =>
          ev !== undefined && ev.status !== 'left' && ev.status !== 'excluded',
      );
    if (reports.length === 0) return;
    const count = (s: string) => reports.filter((r) => r.status === s).length;
    const first = managerDigest(org, manager.id).slice(0, 10);
    const quarter = quarterlyCompletion(org, undefined, { kind: 'direct-reports', managerId: manager.id });
    const card = createDigestCard({
      managerName: manager.name,
      weekOf: day,
      counts: {
        overdue: count('overdue'),
        dueSoon: count('due-soon'),
        onTrack: count('on-track'),
        induction: count('induction'),
        total: reports.length,
      },
      first: first.map((ev) => ({
        employeeId: ev.employeeId,
        name: employeeOf(org, ev.employeeId)?.name ?? ev.employeeId,
        status: ev.status,
        daysOverdue: ev.daysOverdue,
        nextDue: ev.nextDue,
      })),
      actionsPastDue: reports
        .filter((r) => (r.overdueActions ?? 0) > 0)
        .map((r) => ({
          employeeId: r.employeeId,
          employeeName: employeeOf(org, r.employeeId)?.name ?? r.employeeId,
          count: r.overdueActions ?? 0,
        })),
      quarter: {
        label: quarter.quarter,
        held: quarter.completed,
        eligible: quarter.eligible,
        percent: quarter.rate === null ? undefined : Math.round(quarter.rate * 100),
        figure: 'quarterly completion: held at least one conversation in the quarter, of those eligible',
      },
      words: policyWords(policy),
    });
    await deps.outbox.post({ to: manager.id, kind: 'digest', day, ref: '', card });
    posted++;
  });
  deps.log.info('weekly digest', { day, posted });
  return { posted };
}

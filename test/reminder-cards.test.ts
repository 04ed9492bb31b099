/**
 * The reminder, employee reminder, digest and escalation cards: valid Adaptive Cards 1.5 whose
 * buttons carry the right verbs and data, under 40 KB at their limits, with no note text and the
 * rule worded from the policy. Then snoozing through the real bot (TestAdapter over Azurite).
 */
import { strict as assert } from 'node:assert';
import { type Activity, TestAdapter } from 'botbuilder';
import { MAX_CARD_BYTES, type CardJson } from '../bot/cards/card';
import { createDigestCard, type DigestCardData } from '../bot/cards/digest-card';
import { createEmployeeReminderCard } from '../bot/cards/employee-reminder-card';
import { createEscalationCard, type EscalationCardData } from '../bot/cards/escalation-card';
import {
  REMINDER_CARD_PEOPLE,
  type ReminderLine,
  createManagerReminderCard,
  snoozeInputId,
} from '../bot/cards/reminder-card';
import { Verb } from '../bot/cards/verbs';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { ruleFor } from '../bot/reminders/rule-text';
import { Snoozes, snoozeRowKey } from '../bot/storage/snoozes';
import { turnErrorHandler } from '../bot/teams/adapter';
import { type TurnDeps } from '../bot/teams/deps';
import { createRouter } from '../bot/teams/router';
import { ROUTES } from '../bot/teams/routes';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { policySchema } from '../core/policy/schema';
import { cardAction, submit } from './support/activities';
import { botHarness } from './support/bot-harness';
import { buttonData, cardOf, cardProblems, cardText } from './support/cards';

/** Text a card must never show: what a careless caller might pass along with a line. */
const NOTE = 'CONFIDENTIAL-NOTE-TEXT discussed her health';
const tempting = { notes: NOTE, prep: { areas: { wellbeing: NOTE } }, outcomes: NOTE, text: NOTE };

const long = (n: number) => 'Ünïcødé “quoted” ${notAbinding} <b>html</b> & more '.repeat(20).slice(0, n);
const rule = ruleFor(PROFESSIONAL_CONVERSATION, 'conversation');

function line(i: number, extra: Partial<ReminderLine> = {}): ReminderLine {
  return {
    employeeId: `0b8a3c2e-2222-4222-8222-${String(i).padStart(12, '0')}`,
    name: `Person ${i}`,
    item: 'conversation',
    typeId: 'professional-conversation',
    typeName: 'Professional Conversation',
    dueDate: '2026-12-14',
    daysFromDue: i - 5,
    stage: i > 5 ? 'overdue' : 'due-soon',
    rule,
    ...tempting,
    ...extra,
  };
}

/** Every action of a card (in bodies, action sets and show-cards), depth first. */
function actionsOf(card: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Action.')) out.push(n);
    Object.entries(n).forEach(([k, v]) => k !== 'fallback' && walk(v));
  };
  walk(card);
  return out;
}

/** Valid 1.5, every Execute with its Submit fallback carrying the same data, under 40 KB, no note text. */
function assertGoodCard(card: CardJson): void {
  assert.equal(card.version, '1.5');
  assert.deepEqual(cardProblems(card), []);
  const executes = actionsOf(card).filter((a) => a.type === 'Action.Execute');
  assert.ok(executes.length > 0, 'the card has buttons');
  for (const a of executes) {
    const fallback = a.fallback as Record<string, unknown> | undefined;
    assert.equal(fallback?.type, 'Action.Submit', `${String(a.title)} has a Submit fallback`);
    assert.deepEqual(fallback.data, a.data);
    assert.equal((a.data as { verb?: unknown }).verb, a.verb);
  }
  assert.ok(
    actionsOf(card).every((a) => a.type !== 'Action.Submit'),
    'Submit only as a fallback',
  );
  const json = JSON.stringify(card);
  assert.ok(!json.includes('CONFIDENTIAL-NOTE-TEXT'), 'no note text');
  assert.ok(!json.includes('${'.concat('employeeId}')), 'every binding filled in');
}

/** Buttons with this verb, their data. */
const dataOf = (card: unknown, verb: string) =>
  actionsOf(card)
    .filter((a) => a.type === 'Action.Execute' && a.verb === verb)
    .map((a) => a.data as Record<string, unknown>);

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('reminder cards', () => {
  describe('manager reminder', () => {
    it('says who and why, quotes the rule, and offers Schedule, Log, Held elsewhere and Snooze per person', () => {
      const card = createManagerReminderCard({
        managerName: 'Grace Hughes',
        lines: [line(0), line(5), line(17, { escalatedTo: [{ who: 'the OD team', on: '2026-12-03' }] })],
        today: '2026-12-01',
        timeZone: 'Europe/London',
      });
      assertGoodCard(card);
      const text = cardText(card);
      assert.match(text, /3 people need a conversation/);
      assert.match(text, /Due in 5 days · Professional Conversation, due 14 Dec 2026/);
      assert.match(text, /Due today/);
      assert.match(text, /Overdue by 12 days/);
      assert.match(text, /Already escalated: the OD team on 3 Dec 2026/);
      assert.ok(text.includes(`Rule: ${rule}`));
      assert.match(text, /Escalation still follows the policy/);
      assert.ok(text.indexOf('Person 17') < text.indexOf('Person 5'), 'most overdue first');
      const id = line(5).employeeId;
      assert.ok(dataOf(card, Verb.schedule).some((d) => d.employeeId === id && Object.keys(d).length === 2));
      const logs = dataOf(card, Verb.log).filter((d) => d.employeeId === id);
      assert.deepEqual(logs, [
        { employeeId: id, typeId: 'professional-conversation', verb: Verb.log },
        { employeeId: id, typeId: 'professional-conversation', heldElsewhere: 'true', verb: Verb.log },
      ]);
      assert.deepEqual(
        dataOf(card, Verb.snooze).find((d) => d.employeeId === id),
        { employeeId: id, item: 'conversation', dueDate: '2026-12-14', stage: 'due-soon', verb: Verb.snooze },
      );
      const json = JSON.stringify(card);
      const input = new RegExp(
        `"type":"Input.Date","id":"${snoozeInputId(id, 'conversation').replace(/\./g, '\\.')}","label":"[^"]+","min":"2026-12-02","max":"2026-12-29"`,
      );
      assert.match(json, input, 'a date per person, from tomorrow to 28 days ahead');
    });

    it('shows "Booked <date>" instead of Schedule when a conversation is booked', () => {
      const booked = line(3, { booked: { conversationId: 'c-1', start: '2026-12-10T10:00:00.000Z' } });
      const card = createManagerReminderCard({
        managerName: 'Grace Hughes',
        lines: [booked],
        today: '2026-12-01',
        timeZone: 'Europe/London',
      });
      assertGoodCard(card);
      assert.match(cardText(card), /Booked Thu, 10 Dec 2026, 10:00/);
      assert.deepEqual(dataOf(card, Verb.schedule), []);
      assert.equal(dataOf(card, Verb.log).length, 2);
    });

    it(`carries ${REMINDER_CARD_PEOPLE} people with long names well under 40 KB, then "and N more — open My team"`, () => {
      const lines = Array.from({ length: REMINDER_CARD_PEOPLE + 4 }, (_, i) =>
        line(i, {
          name: `${long(120)} ${i}`,
          ...(i % 2 === 0 ? { escalatedTo: [{ who: long(80), on: '2026-11-01' }] } : {}),
        }),
      );
      const card = createManagerReminderCard({
        managerName: long(120),
        lines,
        today: '2026-12-01',
        timeZone: 'Europe/London',
      });
      assertGoodCard(card);
      assert.ok(bytes(card) < 0.9 * MAX_CARD_BYTES, `${bytes(card)} bytes`);
      assert.equal(dataOf(card, Verb.snooze).length, REMINDER_CARD_PEOPLE);
      assert.match(cardText(card), /and 4 more — open My team/);
      assert.deepEqual(buttonData(card, Verb.team), { verb: Verb.team });
    });

    it('groups one person’s items and quotes each kind of rule once', () => {
      const supervision = line(9, {
        item: 'supervision',
        typeId: 'supervision',
        typeName: 'Supervision / 1:1',
        rule: ruleFor(CAREER_CONVERSATIONS, 'supervision'),
      });
      const card = createManagerReminderCard({
        managerName: 'Grace Hughes',
        lines: [line(9), line(2), supervision],
        today: '2026-12-01',
        timeZone: 'Europe/London',
      });
      assertGoodCard(card);
      const text = cardText(card);
      assert.match(text, /2 people need/);
      assert.equal(text.split(rule).length - 1, 1, 'the conversation rule once');
      assert.match(text, /Supervision \/ 1:1: Supervision \/ 1:1 at the frequency agreed/);
      assert.notEqual(
        snoozeInputId(line(9).employeeId, 'supervision'),
        snoozeInputId(line(9).employeeId, 'conversation'),
      );
    });
  });

  describe('employee reminder', () => {
    it('offers Schedule with my manager (their own id, so a manager is not shown their team) and Prepare', () => {
      const card = createEmployeeReminderCard({
        employeeName: 'Owen Price',
        managerName: 'Grace Hughes',
        line: line(2),
      });
      assertGoodCard(card);
      const text = cardText(card);
      assert.match(text, /Your Professional Conversation is due in 3 days/);
      assert.match(text, /You and Grace Hughes share the responsibility/);
      assert.match(text, /Nothing is booked yet. Once it is, Prepare opens your notes/);
      assert.ok(text.includes(rule));
      assert.deepEqual(buttonData(card, Verb.schedule), {
        employeeId: line(2).employeeId,
        typeId: 'professional-conversation',
        verb: Verb.schedule,
      });
      assert.deepEqual(
        buttonData(card, Verb.prep),
        { verb: Verb.prep },
        'the prep handler finds the next booked one',
      );
    });

    it('when booked: Prepare for that conversation, no Schedule', () => {
      const card = createEmployeeReminderCard({
        employeeName: 'Owen Price',
        managerName: '',
        line: line(9, { booked: { conversationId: 'c-9', start: '2026-12-20T14:30:00.000Z' } }),
        timeZone: 'Europe/London',
      });
      assertGoodCard(card);
      assert.match(cardText(card), /overdue by 4 days/);
      assert.match(cardText(card), /You and your manager share/);
      assert.match(cardText(card), /Booked for Sun, 20 Dec 2026, 14:30/);
      assert.deepEqual(buttonData(card, Verb.prep), { conversationId: 'c-9', verb: Verb.prep });
      assert.deepEqual(dataOf(card, Verb.schedule), []);
    });
  });

  describe('weekly digest', () => {
    const digest = (first: number, actions: number, size = 20): DigestCardData => ({
      managerName: 'Grace Hughes',
      weekOf: '2026-11-30',
      counts: { overdue: 3, dueSoon: 2, onTrack: 7, induction: 1, total: 13 },
      first: Array.from({ length: first }, (_, i) => ({
        employeeId: `e${i}`,
        name: long(size) + i,
        status: i < 3 ? 'overdue' : 'due-soon',
        daysOverdue: i < 3 ? 10 + i : 0,
        nextDue: '2026-12-07',
        ...tempting,
      })),
      actionsPastDue: Array.from({ length: actions }, (_, i) => ({
        employeeId: `e${i}`,
        employeeName: long(size) + i,
        count: i + 1,
        oldestDue: '2026-11-02',
        actions: [{ text: NOTE }],
        ...tempting,
      })),
      quarter: {
        label: '2026/27 Q3',
        held: 5,
        eligible: 8,
        percent: 63,
        figure: 'quarterly completion: held at least one conversation in the quarter, of those eligible',
      },
    });

    it('counts, who first (most overdue first, Schedule each), actions past due as counts and dates, the named figure', () => {
      const card = createDigestCard(digest(5, 2));
      assertGoodCard(card);
      const text = cardText(card);
      for (const label of [
        'Overdue\n3',
        'Due soon\n2',
        'On track\n7',
        'In induction\n1',
        'Direct reports\n13',
      ])
        assert.ok(text.includes(label), label);
      assert.match(text, /Week of 30 Nov 2026/);
      assert.ok(
        text.indexOf('Overdue by 12 days') < text.indexOf('Overdue by 10 days'),
        'most overdue first',
      );
      assert.match(text, /Due soon · due 7 Dec 2026/);
      assert.match(text, /2 actions past due, the oldest due 2 Nov 2026/);
      assert.match(text, /2026\/27 Q3 so far\n5 of 8 \(63%\)/);
      assert.match(text, /Figure: quarterly completion: held at least one conversation in the quarter/);
      assert.deepEqual(
        dataOf(card, Verb.schedule).map((d) => d.employeeId),
        ['e2', 'e1', 'e0', 'e3', 'e4'],
      );
    });

    it('lists at most 10 people and 10 action lines, under 40 KB with long names; says when nobody was eligible', () => {
      const full = createDigestCard(digest(40, 40, 200));
      assertGoodCard(full);
      assert.equal(dataOf(full, Verb.schedule).length, 10);
      assert.equal(cardText(full).match(/and 30 more — open My team/g)?.length, 2);
      assert.ok(bytes(full) < 0.9 * MAX_CARD_BYTES, `${bytes(full)} bytes`);
      const none = createDigestCard({
        ...digest(0, 0),
        quarter: {
          label: '2026/27 Q3',
          held: 0,
          eligible: 0,
          percent: undefined,
          figure: 'quarterly completion',
        },
      });
      assert.deepEqual(cardProblems(none), []);
      assert.match(cardText(none), /Nobody needs a conversation urgently/);
      assert.match(cardText(none), /No actions past due/);
      assert.match(cardText(none), /nobody in your team was eligible/);
    });
  });

  describe('escalation', () => {
    const escalation = (audience: EscalationCardData['audience']): EscalationCardData => ({
      audience,
      employee: { id: 'e1', name: 'Owen Price', ...tempting },
      manager: { id: 'm1', name: 'Sam Smith' },
      dueDate: '2026-11-05',
      daysOverdue: 42,
      stageLabel: 'Head of Service',
      rule,
      alreadyTold: [
        { who: 'Sam Smith', role: 'manager', on: '2026-12-03' },
        { who: 'OD', role: 'OD', on: '2026-12-17' },
      ],
      ...tempting,
    });

    for (const audience of ['od', 'head-of-service', 'director'] as const) {
      it(`for ${audience}: who, whose, how overdue, the rule, and who was told when`, () => {
        const card = createEscalationCard(escalation(audience));
        assertGoodCard(card);
        const text = cardText(card);
        assert.match(text, /Owen Price, managed by Sam Smith, is overdue by 42 days/);
        assert.match(text, /Was due\n5 Nov 2026/);
        assert.match(text, /Told: Sam Smith \(manager\) on 3 Dec 2026; OD on 17 Dec 2026/);
        assert.ok(text.includes(rule));
        assert.match(
          text,
          audience === 'od' ? /For OD/ : audience === 'director' ? /For the Director/ : /Head of Service/,
        );
      });
    }

    it('says so when nobody was told before', () => {
      const card = createEscalationCard({ ...escalation('od'), alreadyTold: [] });
      assert.match(cardText(card), /Nobody has been told about this before/);
    });
  });

  describe('rule text', () => {
    it('comes from the policy: its numbers and its source', () => {
      assert.equal(
        rule,
        'At least 4 documented Professional Conversations in a rolling 12 months, about every 12 weeks — Professional Conversation procedure §1.2, §2.1, §2.2, §3.1, §3.4',
      );
      const copy = structuredClone(PROFESSIONAL_CONVERSATION) as unknown as {
        compliance: { required: number; cadence: { value: number; unit: string }; source: string };
      };
      copy.compliance.required = 6;
      copy.compliance.cadence = { value: 8, unit: 'weeks' };
      copy.compliance.source = 'Another procedure §9';
      const other = policySchema.parse(copy);
      assert.equal(
        ruleFor(other, 'conversation'),
        'At least 6 documented Professional Conversations in a rolling 12 months, about every 8 weeks — Another procedure §9',
      );
      const card = createManagerReminderCard({
        managerName: 'G',
        lines: [line(1, { rule: ruleFor(other, 'conversation') })],
        today: '2026-12-01',
        timeZone: 'Europe/London',
      });
      assert.match(cardText(card), /At least 6 documented/);
      assert.doesNotMatch(cardText(card), /At least 4/);
    });

    it('words the NHS preset’s conversation, supervision and induction meeting from its sections', () => {
      assert.equal(
        ruleFor(CAREER_CONVERSATIONS, 'conversation'),
        'A documented Career conversation within the last 12 months, due each year at the incremental (pay-step) date — Career Conversations policy §2.3, §2.5, §5.8, §8',
      );
      assert.match(
        ruleFor(CAREER_CONVERSATIONS, 'supervision'),
        /at the frequency agreed .* — Career Conversations policy §3\.2/,
      );
      assert.equal(
        ruleFor(CAREER_CONVERSATIONS, 'induction-meeting'),
        'Induction meeting within 14 days of starting in post — Career Conversations policy §5.1',
      );
      const copy = structuredClone(CAREER_CONVERSATIONS) as unknown as {
        inductionMeeting: { dueWithinDays: number };
        supervision: { defaultFrequencyWeeks: number | null };
      };
      copy.inductionMeeting.dueWithinDays = 10;
      copy.supervision.defaultFrequencyWeeks = 6;
      const other = policySchema.parse(copy);
      assert.match(ruleFor(other, 'induction-meeting'), /within 10 days/);
      assert.match(ruleFor(other, 'supervision'), /every 6 weeks, unless another frequency is agreed/);
    });
  });
});

describe('snoozing a reminder (TestAdapter over Azurite)', () => {
  let azurite: RunningAzurite | undefined;
  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    configureLogging('info', (l) => process.stderr.write(l + '\n'));
    await azurite?.stop();
  });

  const MANAGER = '0b8a3c2e-1111-4111-8111-00000000000a';
  const REPORT = '0b8a3c2e-2222-4222-8222-00000000000b';
  const OTHER = '0b8a3c2e-3333-4333-8333-00000000000c';
  const person = (id: string, name: string, managerId?: string): Employee => ({
    id,
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@council.example`,
    positionNumber: '100001',
    managerId,
    department: 'Adult Services',
    staffGroup: 'Local Government Services',
    startDate: '2020-01-06',
  });
  const people = [
    person(MANAGER, 'Grace Hughes'),
    person(REPORT, 'Owen Price', MANAGER),
    person(OTHER, 'Leah Singh', MANAGER),
  ];

  /** The bot's route table over real storage, with a Snoozes on its nudge-ledger table (or none). */
  async function bot(withSnoozes = true) {
    const h = await botHarness({ azurite: azurite!, people, today: '2026-12-01' });
    const snoozes = new Snoozes(h.tables.nudgeLedger);
    const { snoozes: _harnessSnoozes, ...withoutSnoozes } = h.deps;
    const deps: TurnDeps = withSnoozes ? { ...h.deps, snoozes } : withoutSnoozes;
    const route = createRouter(ROUTES);
    const sent: Partial<Activity>[] = [];
    const adapter = new TestAdapter((context) => {
      context.onSendActivities(async (_ctx, activities, next) => {
        sent.push(...activities);
        return next();
      });
      return route(context, deps);
    });
    adapter.onTurnError = turnErrorHandler(createLogger('test.adapter'));
    const turn = async (activity: Partial<Activity>): Promise<Record<string, unknown>> => {
      const before = sent.length;
      await adapter.processActivity(activity);
      const reply = sent.slice(before).find((a) => a.type === 'invokeResponse' || a.attachments);
      assert.ok(reply, 'the bot answered');
      if (reply.type !== 'invokeResponse') return cardOf(reply);
      const value = reply.value as { status: number; body: { value: Record<string, unknown> } };
      assert.equal(value.status, 200);
      return value.body.value;
    };
    return { h, snoozes, turn };
  }

  /** The snooze button's data as the reminder card built it, with a date typed into its input. */
  function pressSnooze(until: string | undefined, employeeId = REPORT): Record<string, unknown> {
    const card = createManagerReminderCard({
      managerName: 'Grace Hughes',
      lines: [line(0, { employeeId, name: 'Owen Price' })],
      today: '2026-12-01',
      timeZone: 'Europe/London',
    });
    const data = dataOf(card, Verb.snooze)[0]!;
    return until === undefined ? data : { ...data, [snoozeInputId(employeeId, 'conversation')]: until };
  }

  it('the line manager snoozes: the row is stored with until, by and at, and a notice says escalation still follows', async () => {
    const { h, snoozes, turn } = await bot();
    const card = await turn(
      cardAction({ verb: Verb.snooze, data: pressSnooze('2026-12-15') }, { aadObjectId: MANAGER }),
    );
    assert.deepEqual(cardProblems(card), []);
    assert.match(
      cardText(card),
      /Reminders about Owen Price snoozed until 15 Dec 2026\. Escalation still follows the policy\./,
    );
    assert.equal(await snoozes.get(REPORT, 'conversation', '2026-12-14'), '2026-12-15');
    assert.deepEqual([...(await snoozes.forEmployee(REPORT))], [['conversation|2026-12-14', '2026-12-15']]);
    const row = await h.tables.nudgeLedger.getEntity<Record<string, unknown>>(
      REPORT,
      snoozeRowKey('conversation', '2026-12-14'),
    );
    assert.equal(row.until, '2026-12-15');
    assert.equal(row.by, MANAGER);
    assert.match(String(row.at), /^2026-12-01T/);
    const audit = await h.records.audit.forSubject(REPORT);
    assert.ok(
      audit.some((e) => e.action === 'nudge.snoozed' && e.actorId === MANAGER),
      'the snooze is in the audit log',
    );
    // The Action.Submit fallback reaches the same handler; a second snooze replaces the first.
    const again = await turn(submit(pressSnooze('2026-12-29'), { aadObjectId: MANAGER }));
    assert.match(cardText(again), /snoozed until 29 Dec 2026/);
    assert.equal(await snoozes.get(REPORT, 'conversation', '2026-12-14'), '2026-12-29');
  });

  it('refuses anyone but the line manager, and changes nothing', async () => {
    const { snoozes, turn } = await bot();
    for (const who of [REPORT, OTHER]) {
      const card = await turn(
        cardAction({ verb: Verb.snooze, data: pressSnooze('2026-12-15') }, { aadObjectId: who }),
      );
      assert.match(cardText(card), /Only the employee's line manager can do this/);
    }
    assert.equal(await snoozes.get(REPORT, 'conversation', '2026-12-14'), undefined);
  });

  it('a date 40 days ahead, today or none: the field error on the card, keeping what was typed', async () => {
    const { snoozes, turn } = await bot();
    const far = await turn(
      cardAction({ verb: Verb.snooze, data: pressSnooze('2027-01-10') }, { aadObjectId: MANAGER }),
    );
    assert.deepEqual(cardProblems(far), []);
    const text = cardText(far);
    assert.match(text, /Choose another date; nothing has been snoozed yet/);
    assert.match(text, /Choose a date within the next 28 days/);
    assert.match(text, /Owen Price/);
    assert.match(
      JSON.stringify(far),
      new RegExp(
        `"id":"${snoozeInputId(REPORT, 'conversation').replace(/\./g, '\\.')}"[^}]*"value":"2027-01-10"`,
      ),
    );
    const past = await turn(
      cardAction({ verb: Verb.snooze, data: pressSnooze('2026-12-01') }, { aadObjectId: MANAGER }),
    );
    assert.match(cardText(past), /Choose a date after today/);
    const none = await turn(
      cardAction({ verb: Verb.snooze, data: pressSnooze(undefined) }, { aadObjectId: MANAGER }),
    );
    assert.match(cardText(none), /Choose the date the reminders should start again/);
    assert.deepEqual([...(await snoozes.forEmployee(REPORT))], []);
  });

  it('a forged payload or a bot without snoozes is refused politely', async () => {
    const { turn } = await bot();
    const forged = await turn(
      cardAction(
        { verb: Verb.snooze, data: { ...pressSnooze('2026-12-15'), item: 'pay-rise' } },
        { aadObjectId: MANAGER },
      ),
    );
    assert.match(cardText(forged), /nothing was done/);
    const without = await bot(false);
    const card = await without.turn(
      cardAction({ verb: Verb.snooze, data: pressSnooze('2026-12-15') }, { aadObjectId: MANAGER }),
    );
    assert.match(cardText(card), /Snoozing is not available right now/);
  });
});

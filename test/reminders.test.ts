/**
 * The nudge ladder over two simulated months (DESIGN.md §4 "Nudge"; procedure §4.2), on Azurite
 * through the real outbox: a sweep each day at 09:00 London on a movable date, cards sent by the
 * outbox's sender to a notifier that keeps them. Who gets what on which day; nothing on weekends,
 * bank holidays or in quiet hours; one card a day per person; escalation up the manager chain to
 * the right Head of Service and Director, each saying who was told before; a sweep stopped by the
 * queue finishes the next run with nothing sent twice; a snooze holds the manager's reminder.
 */
import { strict as assert } from 'node:assert';
import { formatIsoDate, isoWeekday, parseIsoDate } from '../core/dates/day';
import { wallTimeToUtc } from '../core/dates/london-time';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type Policy } from '../core/policy/schema';
import { type ConversationRecord } from '../core/records';
import { type CardJson } from '../bot/cards/card';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { type Outbox } from '../bot/outbox/outbox';
import { Records } from '../bot/records/records';
import { runRefresh } from '../bot/records/refresh';
import { type SweepDeps, runSweep, planSweep } from '../bot/reminders/sweep';
import { Snoozes } from '../bot/storage/snoozes';
import { openTables } from '../bot/storage/tables';
import { MemoryNotifier, MovableClock } from './support/bot-harness';
import { testOutbox } from './support/outbox';

const base = {
  email: 'x@example.test',
  department: 'Adult Services',
  staffGroup: 'LGS',
  startDate: '2020-01-01',
};
const person = (id: string, name: string, managerId?: string, extra: Partial<Employee> = {}): Employee => ({
  ...base,
  id,
  name,
  positionNumber: `P-${id}`,
  ...(managerId ? { managerId } : {}),
  ...extra,
});

// The Chief Executive (out of scope), a Director, a Head of Service, a manager and their team.
const people: Employee[] = [
  person('ceo', 'Cara Chief'),
  person('dir', 'Dev Director', 'ceo'),
  person('hos', 'Hana Head', 'dir'),
  person('mgr', 'Milo Manager', 'hos'),
  person('e1', 'Ena Overdue', 'mgr'),
  person('e2', 'Eko DueSoon', 'mgr'),
  person('e3', 'Eli Leaver', 'mgr', { leaveDate: '2026-11-15' }),
  person('e4', 'Ezra Excluded', 'mgr', { staffGroup: 'NJC' }),
  person('e5', 'Evi Newstarter', 'mgr', { startDate: '2026-11-01' }),
];
const OD = ['od1', 'od2'];

function held(
  employeeId: string,
  date: string,
  managerId: string,
  type = 'professional-conversation',
): ConversationRecord {
  return {
    id: `held-${employeeId}-${type}-${date}`,
    employeeId,
    type,
    date,
    managerId,
    status: 'completed',
    positionNumber: `P-${employeeId}`,
    areas: {},
    createdBy: managerId,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
  };
}

/** 09:00 Europe/London on a day. */
const nineOn = (day: string) => new Date(wallTimeToUtc(day, 9 * 60));

function cardText(card: CardJson): string {
  return JSON.stringify(card);
}

describe('reminders: the nudge ladder over two months', function () {
  this.timeout(180_000);
  let azurite: RunningAzurite | undefined;
  let made = 0;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(() => azurite?.stop());

  async function setUp(
    options: {
      failPostAfter?: number;
      policy?: Policy;
      people?: readonly Employee[];
      conversations?: readonly ConversationRecord[];
    } = {},
  ) {
    assert.ok(azurite);
    const policy = options.policy ?? PROFESSIONAL_CONVERSATION;
    const prefix = `rem${process.pid}x${++made}`;
    const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
    const tables = await openTables(storage, prefix);
    const clock = new MovableClock(new Date('2026-11-30T12:00:00Z'));
    const records = new Records(tables, policy, clock, createLogger('test.records'));
    await records.directory.upsertMany(options.people ?? people);
    // e1: last held 10 Aug → due 2 Nov, 29 days overdue on 1 Dec. e2: held 21 Sep → due 14 Dec.
    // The managers had theirs on 25 Nov (next due in February, after the simulated months).
    for (const c of options.conversations ?? [
      held('e1', '2026-08-10', 'mgr'),
      held('e2', '2026-09-21', 'mgr'),
      held('mgr', '2026-11-25', 'hos'),
      held('hos', '2026-11-25', 'dir'),
      held('dir', '2026-11-25', 'ceo'),
    ]) {
      await records.saveConversation(c, { actorId: c.managerId });
    }
    await runRefresh(records, tables.jobs);
    const notifier = new MemoryNotifier();
    const out = await testOutbox({
      connectionString: azurite.connectionString,
      prefix,
      tables,
      notifier,
      references: notifier.references(),
      clock,
    });
    let posts = 0;
    const outbox: Outbox = {
      post: async (d) => {
        if (options.failPostAfter !== undefined && ++posts > options.failPostAfter) {
          throw Object.assign(new Error('queue unreachable'), { code: 'ECONNREFUSED' });
        }
        await out.outbox.post(d);
      },
    };
    const deps: SweepDeps = {
      records,
      policy,
      ledger: tables.nudgeLedger,
      snoozes: new Snoozes(tables.nudgeLedger),
      outbox,
      references: notifier.references(),
      odMembers: OD,
      jobs: tables.jobs,
      audit: records.audit,
      log: createLogger('test.nudges'),
    };
    /** Sweeps one day at 09:00 and returns the cards each person got that day. */
    const day = async (date: string): Promise<Map<string, CardJson[]>> => {
      clock.set(`${date}T12:00:00Z`);
      const before = notifier.sent.length;
      await runSweep(deps, nineOn(date));
      await out.drain();
      const got = new Map<string, CardJson[]>();
      for (const s of notifier.sent.slice(before)) got.set(s.userId, [...(got.get(s.userId) ?? []), s.card]);
      return got;
    };
    return { deps, records, tables, notifier, clock, day, drain: () => out.drain() };
  }

  it('tells the right people on the right working days, one card each, up to the Director', async () => {
    const { day, records } = await setUp();
    const log: Record<string, string[]> = {};
    const cards: Record<string, Map<string, CardJson[]>> = {};
    for (let d = parseIsoDate('2026-12-01'); d <= parseIsoDate('2027-01-29'); d++) {
      const date = formatIsoDate(d);
      const got = await day(date);
      for (const [to, list] of got) assert.equal(list.length, 1, `${to} got one card on ${date}`);
      if (got.size > 0) {
        log[date] = [...got.keys()].sort();
        cards[date] = got;
      }
      if (isoWeekday(d) >= 6 || ['2026-12-25', '2026-12-28', '2027-01-01'].includes(date)) {
        assert.equal(got.size, 0, `nothing on ${date} (a weekend or bank holiday)`);
      }
    }
    assert.deepEqual(log, {
      // e1's OD follow-up (with their manager) and e2's "due soon" (manager and e2) in one card for mgr.
      '2026-12-01': ['e2', 'mgr', 'od1', 'od2'],
      // e2 due.
      '2026-12-14': ['e2', 'mgr'],
      // 28 Dec is the Boxing Day bank holiday: e2 overdue and e1's Head of Service stage go next day.
      '2026-12-29': ['e2', 'hos', 'mgr', 'od1', 'od2'],
      // e2 reaches the OD follow-up.
      '2027-01-11': ['mgr', 'od1', 'od2'],
      // e1 reaches the Director.
      '2027-01-25': ['dir', 'od1', 'od2'],
    });
    const first = cardText(cards['2026-12-01']!.get('mgr')![0]!);
    assert.ok(first.includes('Ena Overdue') && first.includes('Eko DueSoon'), 'one card names both reports');
    for (const name of ['Eli Leaver', 'Ezra Excluded', 'Evi Newstarter', 'Cara Chief']) {
      assert.ok(
        !Object.values(cards).some((m) => [...m.values()].flat().some((c) => cardText(c).includes(name))),
        `${name} is in no reminder`,
      );
    }
    const hos = cardText(cards['2026-12-29']!.get('hos')![0]!);
    assert.ok(
      hos.includes('Ena Overdue') && hos.includes('Milo Manager'),
      'the Head of Service is told who and whose',
    );
    const dir = cardText(cards['2027-01-25']!.get('dir')![0]!);
    assert.ok(
      dir.includes('Hana Head') || dir.includes('Milo Manager'),
      'the Director is told who was told before',
    );
    const audit = (await records.audit.forSubject('e1')).filter((a) => a.action === 'nudge.escalated');
    assert.equal(audit.length, 3, 'each escalation of e1 is in the audit log');
  });

  it('sends nothing in quiet hours, and a day swept twice sends once', async () => {
    const { deps, day, notifier } = await setUp();
    const evening = await planSweep(deps, new Date(wallTimeToUtc('2026-12-01', 20 * 60)));
    assert.match(evening.blocked ?? '', /quiet hours/);
    const early = await planSweep(deps, new Date(wallTimeToUtc('2026-12-01', 7 * 60 + 59)));
    assert.match(early.blocked ?? '', /quiet hours/);
    const sunday = await planSweep(deps, nineOn('2026-12-06'));
    assert.match(sunday.blocked ?? '', /not a working day/);
    await day('2026-12-01');
    const count = notifier.sent.length;
    assert.equal(count, 4);
    const again = await day('2026-12-01');
    assert.equal(again.size, 0);
    assert.equal(notifier.sent.length, count);
  });

  it('finishes a sweep the queue stopped the next run, with every card sent once', async () => {
    const broken = await setUp({ failPostAfter: 2 });
    await assert.rejects(broken.day('2026-12-01'), /queue unreachable/);
    const sentBefore = broken.notifier.sent.length;
    assert.ok(sentBefore <= 2);
    // The queue is back: the next run of the same day posts what is still planned.
    const healed: SweepDeps = { ...broken.deps, outbox: { post: (d) => fixed(d) } };
    const fixedOutbox = await testOutbox({
      connectionString: azurite!.connectionString,
      prefix: `rem${process.pid}x${made}`,
      tables: broken.tables,
      notifier: broken.notifier,
      references: broken.notifier.references(),
      clock: broken.clock,
    });
    const fixed = (d: Parameters<Outbox['post']>[0]) => fixedOutbox.outbox.post(d);
    await runSweep(healed, nineOn('2026-12-01'));
    await fixedOutbox.drain();
    const to = broken.notifier.sent.map((s) => s.userId).sort();
    assert.deepEqual(to, ['e2', 'mgr', 'od1', 'od2'], 'each recipient once');
  });

  it('holds a snoozed reminder until the date, then sends it; escalation still follows the policy', async () => {
    const { deps, day } = await setUp();
    await day('2026-12-01');
    await deps.snoozes.set({
      employeeId: 'e2',
      item: 'conversation',
      dueDate: '2026-12-14',
      until: '2026-12-21',
      by: 'mgr',
      at: '2026-12-01T10:00:00.000Z',
    });
    assert.deepEqual([...(await day('2026-12-14')).keys()], [], 'the due reminder is held');
    assert.deepEqual([...(await day('2026-12-21')).keys()].sort(), ['e2', 'mgr'], 'and sent on the date');
  });

  it('under the NHS preset, reminds of an overdue induction meeting and supervision once (ledger keys Azure accepts)', async () => {
    // n1 started 10 Nov: the induction meeting was due within 14 days (24 Nov), 7 days overdue on
    // 1 Dec. s1 agreed supervision every 4 weeks, last held 20 Oct: due 17 Nov, 14 days overdue.
    // s1's career conversation was held on the pay-step date in June; the next is due next June.
    const nhs = [
      person('mgr', 'Milo Manager', undefined, { payStepDate: '2020-06-01' }),
      person('n1', 'Nia Newstarter', 'mgr', { startDate: '2026-11-10', payStepDate: '2020-06-01' }),
      person('s1', 'Sam Supervised', 'mgr', { payStepDate: '2020-06-01', supervisionFrequencyWeeks: 4 }),
    ];
    const { day, tables } = await setUp({
      policy: CAREER_CONVERSATIONS,
      people: nhs,
      conversations: [
        held('s1', '2026-10-20', 'mgr', 'supervision'),
        held('s1', '2026-06-01', 'mgr', 'career-conversation'),
      ],
    });
    const first = await day('2026-12-01');
    assert.deepEqual([...first.keys()], ['mgr'], 'the overdue stages go to the manager');
    const card = cardText(first.get('mgr')![0]!);
    assert.ok(card.includes('Nia Newstarter') && card.includes('Sam Supervised'), 'one card names both');
    const rows: string[] = [];
    for await (const e of tables.nudgeLedger.listEntities()) rows.push(`${e.partitionKey}|${e.rowKey}`);
    assert.deepEqual(rows.sort(), [
      'n1|induction-meeting|2026-11-24|induction-meeting%2Foverdue',
      's1|supervision|2026-11-17|supervision%2Foverdue',
    ]);
    assert.equal((await day('2026-12-01')).size, 0, 'the same day again sends nothing');
    assert.equal((await day('2026-12-02')).size, 0, 'nor does the next day: the ledger has both');
  });
});

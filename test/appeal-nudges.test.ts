/**
 * Appeals not acknowledged in time (Career Conversations policy §5.10 "acknowledge the appeal within
 * 7 calendar days"), on Azurite through the real outbox: the daily sweep finds open appeals in
 * their index partition, reminds the appeal manager on the due day with a button to the appeal,
 * tells People Services the day after, each once and audited, never quoting the appeal; an appeal
 * acknowledged in time gets nothing and leaves the index.
 */
import { strict as assert } from 'node:assert';
import { formatIsoDate, parseIsoDate } from '../core/dates/day';
import { wallTimeToUtc } from '../core/dates/london-time';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS } from '../core/policy/presets';
import { type Appeal, type ConversationRecord } from '../core/records';
import { type CardJson } from '../bot/cards/card';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { runRefresh } from '../bot/records/refresh';
import { type SweepDeps, runSweep } from '../bot/reminders/sweep';
import { Snoozes } from '../bot/storage/snoozes';
import { openTables } from '../bot/storage/tables';
import { MemoryNotifier, MovableClock } from './support/bot-harness';
import { testOutbox } from './support/outbox';

const policy = CAREER_CONVERSATIONS;
const person = (id: string, name: string, managerId?: string, extra: Partial<Employee> = {}): Employee => ({
  id,
  name,
  email: `${id}@trust.example`,
  positionNumber: `P-${id}`,
  department: 'Community Nursing',
  staffGroup: 'Nursing and Midwifery Registered',
  startDate: '2019-12-01',
  payStepDate: '2020-12-03',
  ...(managerId ? { managerId } : {}),
  ...extra,
});
// Grace is the next manager up from Milo, who held Ena's and Eko's career conversations.
const people = [
  person('gm', 'Grace Manager'),
  person('mgr', 'Milo Manager', 'gm'),
  person('e1', 'Ena Appellant', 'mgr'),
  person('e2', 'Eko Appellant', 'mgr'),
];
const OD = ['od1', 'od2'];
const GROUNDS = 'The rating ignored my project work';
const ACTION = 'Rating to be reviewed';

function career(employeeId: string, date: string, managerId: string, appeal?: Appeal): ConversationRecord {
  return {
    id: `cc-${employeeId}-${date}`,
    employeeId,
    type: 'career-conversation',
    date,
    managerId,
    status: 'completed',
    positionNumber: `P-${employeeId}`,
    areas: {},
    fields: { overallRating: 'Meets objectives and values', objectivesMet: true },
    createdBy: managerId,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    ...(appeal ? { appeal } : {}),
  };
}

const nineOn = (day: string) => new Date(wallTimeToUtc(day, 9 * 60));
const cardText = (card: CardJson) => JSON.stringify(card);

describe('appeal acknowledgement nudges (CC §5.10)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite | undefined;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(() => azurite?.stop());

  async function setUp() {
    assert.ok(azurite);
    const prefix = `apn${process.pid}`;
    const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
    const tables = await openTables(storage, prefix);
    const clock = new MovableClock(new Date('2026-12-07T12:00:00Z'));
    const records = new Records(tables, policy, clock, createLogger('test.records'));
    await records.directory.upsertMany(people);
    // Career conversations on 3 December, the pay-step date: nothing else is due for months.
    for (const c of [career('gm', '2026-12-03', 'gm'), career('mgr', '2026-12-03', 'gm')])
      await records.saveConversation(c, { actorId: 'gm' });
    // Both appeal on Monday 7 December: acknowledgement due by Monday 14 December.
    for (const id of ['e1', 'e2']) {
      const appeal: Appeal = { receivedOn: '2026-12-07', grounds: GROUNDS, appealManagerId: 'gm' };
      await records.saveConversation(career(id, '2026-12-03', 'mgr', appeal), { actorId: 'mgr' });
      // What the appeal handler writes when an appeal is received.
      await records.exceptions.openAppeal({
        employeeId: id,
        conversationId: `cc-${id}-2026-12-03`,
        receivedOn: '2026-12-07',
        appealManagerId: 'gm',
      });
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
    const deps: SweepDeps = {
      records,
      policy,
      ledger: tables.nudgeLedger,
      snoozes: new Snoozes(tables.nudgeLedger),
      outbox: out.outbox,
      references: notifier.references(),
      odMembers: OD,
      jobs: tables.jobs,
      audit: records.audit,
      log: createLogger('test.appeal-nudges'),
    };
    const day = async (date: string): Promise<Map<string, CardJson[]>> => {
      clock.set(`${date}T12:00:00Z`);
      const before = notifier.sent.length;
      await runSweep(deps, nineOn(date));
      await out.drain();
      const got = new Map<string, CardJson[]>();
      for (const s of notifier.sent.slice(before)) got.set(s.userId, [...(got.get(s.userId) ?? []), s.card]);
      return got;
    };
    return { records, day, notifier };
  }

  it('reminds the appeal manager on the due day, tells People Services the day after, each once; an acknowledged appeal gets nothing', async () => {
    const { records, day, notifier } = await setUp();
    // Eko's appeal is acknowledged in time (on 10 December), as the appeal handler does it.
    const e2 = (await records.conversations.get('e2', 'cc-e2-2026-12-03'))!;
    await records.saveConversation(
      { ...e2.value, appeal: { ...e2.value.appeal!, acknowledgedOn: '2026-12-10' } },
      { actorId: 'gm', etag: e2.etag },
    );
    await records.exceptions.closeAppeal('e2', 'cc-e2-2026-12-03');

    const got: Record<string, Map<string, CardJson[]>> = {};
    for (let d = parseIsoDate('2026-12-07'); d <= parseIsoDate('2026-12-18'); d++) {
      const date = formatIsoDate(d);
      const cards = await day(date);
      if (cards.size > 0) got[date] = cards;
    }
    assert.deepEqual(
      Object.fromEntries(Object.entries(got).map(([d, m]) => [d, [...m.keys()].sort()])),
      { '2026-12-14': ['gm'], '2026-12-15': ['od1', 'od2'] },
      'nothing before the due day; the reminder on it, the escalation the day after, and nothing twice',
    );
    const reminder = got['2026-12-14']!.get('gm')![0]!;
    assert.match(cardText(reminder), /Ena Appellant's appeal/);
    assert.match(cardText(reminder), /acknowledge it by 14 Dec/);
    assert.ok(!cardText(reminder).includes('Eko Appellant'), 'the acknowledged appeal is not mentioned');
    const actions = JSON.stringify((reminder as { actions?: unknown }).actions);
    assert.match(actions, /"verb":"appeal"/);
    assert.match(actions, /"employeeId":"e1"/);
    assert.match(actions, /"conversationId":"cc-e1-2026-12-03"/);
    const late = cardText(got['2026-12-15']!.get('od1')![0]!);
    assert.match(late, /For People Services: an appeal not acknowledged in time/);
    assert.match(late, /Grace Manager has not acknowledged Ena Appellant's appeal/);
    for (const s of notifier.sent) {
      assert.ok(!cardText(s.card).includes(GROUNDS), 'no card quotes the grounds');
      assert.ok(!cardText(s.card).includes(ACTION), 'nor any action');
    }
    const audit = (await records.audit.forSubject('e1')).filter((a) => a.action === 'nudge.escalated');
    assert.equal(audit.length, 1, 'the late acknowledgement is audited once');
    assert.ok(!JSON.stringify(audit).includes(GROUNDS));
    assert.deepEqual(
      (await records.exceptions.openAppeals()).map((r) => r.employeeId),
      ['e1'],
      'only the unacknowledged appeal stays in the index',
    );
  });
});

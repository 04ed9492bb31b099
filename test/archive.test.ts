/**
 * A leaver's records are archived (DESIGN.md §6 "kept while the person is employed and archived
 * when they leave"; CC §6.1 "thereafter should be sent to People Services for filing and
 * archiving"): from the day after the leave date no working view shows or changes them — the
 * record's copies (their refresh too), the manager's history, a new log or booking, the leaver's own
 * chat — while the monitoring team still reads them by exceptional access, with a reason, audited.
 * Through botbuilder's TestAdapter on Azurite.
 */
import { strict as assert } from 'node:assert';
import { type Activity } from 'botbuilder';
import { type Employee } from '../core/model';
import { type ConversationRecord } from '../core/records';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { type BotHarness, botHarness } from './support/bot-harness';
import { cardAction, message } from './support/activities';
import { buttonData, cardOf, cardProblems, cardText } from './support/cards';

const MANAGER = 'a7000000-0000-4000-8000-000000000001';
const LEAVER = 'a7000000-0000-4000-8000-000000000002';
const STAYER = 'a7000000-0000-4000-8000-000000000003';
const OD = 'a7000000-0000-4000-8000-000000000004';
const NOTE = 'Marker-ArchivedNote-7731';

const person = (id: string, name: string, managerId?: string, extra: Partial<Employee> = {}): Employee => ({
  id,
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@council.example`,
  positionNumber: `P${id.slice(-4)}`,
  managerId,
  department: 'Adult Services',
  staffGroup: 'Local Government Services',
  startDate: '2020-01-06',
  ...extra,
});

const people = [
  person(MANAGER, 'Grace Hughes'),
  // Leaves on Monday 30 November: in post that day, archived from 1 December.
  person(LEAVER, 'Lewis Leaver', MANAGER, { leaveDate: '2026-11-30' }),
  person(STAYER, 'Stella Stayer', MANAGER),
  person(OD, 'Olu Development', MANAGER),
  person('a7000000-0000-4000-8000-000000000005', 'Lewis Lane', MANAGER, { department: 'Housing' }),
];

const as = (aadObjectId: string) => ({ aadObjectId, name: people.find((p) => p.id === aadObjectId)?.name });

function record(employeeId: string, id: string): ConversationRecord {
  const area = PROFESSIONAL_CONVERSATION.conversationTypes[0]!.areas[0]!.id;
  return {
    id,
    employeeId,
    type: PROFESSIONAL_CONVERSATION.conversationTypes[0]!.id,
    date: '2026-11-16',
    managerId: MANAGER,
    status: 'completed',
    positionNumber: `P${employeeId.slice(-4)}`,
    areas: { [area]: { notes: NOTE, outcomes: '' } },
    createdBy: MANAGER,
    createdAt: '2026-11-16T10:00:00.000Z',
    updatedAt: '2026-11-16T10:00:00.000Z',
  };
}

/** The card a turn answered with: the invoke's body, or the message's first card. */
function answer(replies: Partial<Activity>[]): Record<string, unknown> {
  const response = replies.find((r) => r.type === 'invokeResponse');
  if (response !== undefined) {
    const value = response.value as { status: number; body: { value: Record<string, unknown> } };
    assert.equal(value.status, 200);
    return value.body.value;
  }
  return cardOf(replies.find((r) => r.attachments?.length)!);
}

describe("a leaver's records are archived (DESIGN.md §6, CC §6.1)", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let h: BotHarness;
  const ids = { employeeId: LEAVER, conversationId: 'arch-leaver-1' };

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(() => azurite?.stop());

  beforeEach(async () => {
    h = await botHarness({ azurite, people, today: '2026-11-30', odMembers: [OD] });
    await h.records.saveConversation(record(LEAVER, ids.conversationId), { actorId: MANAGER });
    await h.records.saveConversation(record(STAYER, 'arch-stayer-1'), { actorId: MANAGER });
  });

  const invoke = async (verb: string, data: Record<string, unknown>, from: string) =>
    answer(await h.turn(cardAction({ verb, data }, as(from))));

  it('on the leave date the manager still opens the record and the history', async () => {
    assert.ok(JSON.stringify(await invoke('record', ids, MANAGER)).includes(NOTE));
    assert.match(cardText(await invoke('history', { employeeId: LEAVER }, MANAGER)), /16 Nov 2026/);
  });

  it('the day after, every working view refuses and says where the records went; nothing is changed', async () => {
    h.clock.set('2026-12-01T09:00:00Z');
    const before = await h.records.conversations.listForEmployee(LEAVER);
    const archived =
      /Lewis Leaver left on 30 Nov 2026, so their conversation records are archived with the OD team/;
    for (const [verb, data] of [
      ['record', ids],
      ['history', { employeeId: LEAVER }],
      ['log', { employeeId: LEAVER }],
      ['schedule', { employeeId: LEAVER }],
    ] as const) {
      const card = await invoke(verb, data, MANAGER);
      assert.match(cardText(card), archived, verb);
      assert.ok(!JSON.stringify(card).includes(NOTE), `${verb}: no note text`);
    }
    // The leaver's own chat: no records, whatever they ask.
    const own = answer(await h.turn(message('my conversations', as(LEAVER))));
    assert.match(cardText(own), /could not find you among current staff/);
    assert.ok(!JSON.stringify(own).includes(NOTE));
    assert.deepEqual(await h.records.conversations.listForEmployee(LEAVER), before, 'nothing changed');
    // A colleague still in post is untouched.
    assert.ok(
      JSON.stringify(
        await invoke('record', { employeeId: STAYER, conversationId: 'arch-stayer-1' }, MANAGER),
      ).includes(NOTE),
    );
  });

  it('the monitoring team still reads an archived record by exceptional access, with a reason, audited', async () => {
    h.clock.set('2026-12-01T09:00:00Z');
    const card = await invoke('record.exceptional', { ...ids, reason: 'audit' }, OD);
    assert.ok(JSON.stringify(card).includes(NOTE));
    const reads = (await h.records.audit.forSubject(LEAVER)).filter((e) => e.action === 'notes.read');
    assert.deepEqual(
      reads.map((e) => [e.actorId, e.reason]),
      [[OD, 'exceptional:audit']],
    );
  });

  it('under the NHS preset the archive is with People Services', async () => {
    h = await botHarness({ azurite, people, today: '2026-12-01', policy: CAREER_CONVERSATIONS });
    const card = await invoke('history', { employeeId: LEAVER }, MANAGER);
    assert.match(cardText(card), /archived with People Services/);
  });

  it('People Services find a colleague by name or e-mail, leavers included, and open a record only through the reason card', async () => {
    h.clock.set('2026-12-01T09:00:00Z');
    const typed = async (words: string, from: string) => {
      const card = answer(await h.turn(message(words, as(from))));
      assert.deepEqual(cardProblems(card), []);
      return card;
    };
    const find = async (query: string) => {
      const card = await invoke('record.exceptional.find', { query }, OD);
      assert.deepEqual(cardProblems(card), []);
      return card;
    };
    // Not People Services: refused, whatever is asked.
    assert.match(cardText(await typed('exceptional access', MANAGER)), /Only People Services/);
    assert.match(
      cardText(await invoke('record.exceptional.find', { query: 'lewis' }, MANAGER)),
      /Only People Services/,
    );
    // The command opens the finder.
    const start = await typed('exceptional access', OD);
    assert.match(cardText(start), /Type the name or work e-mail of the colleague/);
    assert.equal(buttonData(start, 'record.exceptional.find').verb, 'record.exceptional.find');
    // Two people match: choose one; the leaver's line says so.
    const both = await find('LEWIS');
    assert.match(cardText(both), /2 people match “LEWIS”: choose one\./);
    assert.match(
      cardText(both),
      /Lewis Leaver · Adult Services · lewis.leaver@council.example · left 30 Nov 2026, records archived/,
    );
    assert.match(cardText(both), /Lewis Lane · Housing/);
    assert.match(
      cardText(await find('nobody like this')),
      /No one in the directory matches “nobody like this”/,
    );
    // One match (by the start of each word, or by e-mail): straight to their records.
    for (const query of ['lew lea', 'Lewis.Leaver@council.example']) {
      const records = await find(query);
      const text = cardText(records);
      assert.match(text, /Lewis Leaver's conversation records/, query);
      assert.match(text, /Lewis Leaver left on 30 Nov 2026: these records are archived\./);
      assert.match(text, /Professional Conversation, 16 Nov 2026, held by Grace Hughes/);
      assert.ok(!JSON.stringify(records).includes(NOTE), 'no note text on the list');
      const open = buttonData(records, 'record.exceptional');
      assert.deepEqual([open.employeeId, open.conversationId], [LEAVER, ids.conversationId]);
    }
    // Read notes… asks for the reason first; nothing read is audited until one is chosen.
    const reason = await invoke('record.exceptional', ids, OD);
    assert.match(cardText(reason), /Exceptional access to conversation notes/);
    assert.ok(!JSON.stringify(reason).includes(NOTE));
    assert.equal(
      (await h.records.audit.forSubject(LEAVER)).filter((e) => e.action === 'notes.read').length,
      0,
    );
  });

  it('lists ten years of quarterly records for one colleague within the card limit, and says how many more there are', async () => {
    for (let i = 0; i < 44; i++) {
      const r = record(STAYER, `arch-stayer-old-${i}`);
      const date = new Date(Date.UTC(2015, 0, 5 + i * 84)).toISOString().slice(0, 10);
      await h.records.saveConversation(
        { ...r, date, createdAt: `${date}T10:00:00.000Z` },
        { actorId: MANAGER },
      );
    }
    const card = await invoke('record.exceptional.find', { query: 'stella' }, OD);
    assert.deepEqual(cardProblems(card), []);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 40 * 1024);
    assert.match(cardText(card), /5 older records are not listed\./);
    assert.match(cardText(card), /Professional Conversation, 16 Nov 2026, held by Grace Hughes/);
  });
});

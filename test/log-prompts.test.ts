/**
 * "Log it" prompts against Azurite in memory, through the real outbox: a booked meeting that has
 * ended prompts its manager exactly once — across sweeps, restarts and a queue that fails — and
 * meetings not yet ended, already logged, cancelled or moved are forgotten without a prompt.
 */
import { strict as assert } from 'node:assert';
import { londonDate } from '../bot/clock';
import { type CardJson } from '../bot/cards/card';
import { Verb } from '../bot/cards/verbs';
import {
  type LogPromptOptions,
  promptEndedMeetings,
  startLogPrompts,
} from '../bot/conversations/log-prompts';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { TableConversations } from '../bot/storage/conversation-table';
import { TableDirectory } from '../bot/storage/employee-table';
import { LedgerTable } from '../bot/storage/ledger-table';
import { MeetingTable } from '../bot/storage/meeting-table';
import { type Tables, openTables } from '../bot/storage/tables';
import { type Outbox } from '../bot/outbox/outbox';
import { type NotifyResult, type Notifier, type SendOutcome } from '../bot/teams/notifier';
import { MemoryNotifier } from './support/bot-harness';
import { testOutbox } from './support/outbox';
import { text } from '../bot/i18n/en-GB';
import { type Employee } from '../core/model';
import { type Clock } from '../core/ports';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ConversationRecord } from '../core/records';

const NOTE = 'Worried about the restructure; keep this private.';

const manager: Employee = {
  id: 'm1',
  name: 'Mia Manager',
  email: 'mia@example.test',
  positionNumber: 'P1',
  department: 'Adult Services',
  staffGroup: 'LGS',
  startDate: '2020-01-01',
};
const employee: Employee = {
  ...manager,
  id: 'e1',
  name: 'Eli Employee',
  email: 'eli@example.test',
  managerId: 'm1',
};

/** A Notifier that records what it was asked to send and answers as told. */
class RecordingNotifier implements Notifier {
  readonly sent: { userId: string; card: CardJson }[] = [];
  constructor(private readonly answer: () => Promise<NotifyResult> = () => Promise.resolve('sent')) {}

  async notify(userId: string, card: CardJson): Promise<NotifyResult> {
    const result = await this.answer();
    this.sent.push({ userId, card });
    return result;
  }

  async send(userId: string, card: CardJson): Promise<SendOutcome> {
    return (await this.notify(userId, card)) === 'sent'
      ? { kind: 'sent' }
      : { kind: 'not-installed', reason: 'not-in-roster' };
  }

  sendToReference(reference: { key: string }, card: CardJson): Promise<SendOutcome> {
    return this.send(reference.key, card);
  }

  enqueue(): void {
    throw new Error('the log-prompt sweep posts to the outbox');
  }

  drain(): Promise<void> {
    return Promise.resolve();
  }

  teamsUserId(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

/** A clock whose instant the test moves. */
function movableClock(start: string): Clock & { set(instant: string): void } {
  let now = new Date(start);
  return {
    now: () => now,
    today: () => londonDate(now),
    set(instant) {
      now = new Date(instant);
    },
  };
}

/** A booked conversation with a meeting from `start` to `end`. */
function booked(
  id: string,
  start: string,
  end: string,
  fields: Partial<ConversationRecord> = {},
): ConversationRecord {
  return {
    id,
    employeeId: employee.id,
    type: 'professional-conversation',
    date: start.slice(0, 10),
    managerId: manager.id,
    status: 'scheduled',
    positionNumber: employee.positionNumber,
    areas: { wellbeing: { notes: NOTE, outcomes: '' } },
    meeting: { eventId: `ev-${id}`, start, end },
    createdBy: manager.id,
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T09:00:00.000Z',
    ...fields,
  };
}

/** The verb and data of every button on a card except the menu. */
function buttons(card: CardJson): { title: string; data: Record<string, unknown> }[] {
  const actions = (card.actions ?? []) as { title: string; data: Record<string, unknown> }[];
  return actions.filter((a) => a.data.verb !== Verb.menu);
}

describe('log prompts', function () {
  let azurite: RunningAzurite | undefined;
  let n = 0;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(() => azurite?.stop());

  /** Fresh tables, the two people, and sweep options around them. */
  async function setUp(notifier: Notifier, clock: Clock, failPost: () => boolean = () => false) {
    assert.ok(azurite);
    const prefix = `lp${++n}`;
    const tables: Tables = await openTables(
      { kind: 'connectionString', connectionString: azurite.connectionString },
      prefix,
    );
    const queue = await testOutbox({
      connectionString: azurite.connectionString,
      prefix,
      tables,
      notifier,
      references: new MemoryNotifier().references(),
      clock,
    });
    const outbox: Outbox = {
      post: (delivery) =>
        failPost() ? Promise.reject(new Error('queue unreachable')) : queue.outbox.post(delivery),
    };
    await new TableDirectory(tables).upsertMany([manager, employee]);
    const conversations = new TableConversations(tables.conversations);
    const options = (meetings = new MeetingTable(tables.meetings)): LogPromptOptions => ({
      meetings,
      conversations,
      ledger: new LedgerTable(tables.nudgeLedger),
      directory: new TableDirectory(tables),
      outbox,
      policy: PROFESSIONAL_CONVERSATION,
      clock,
      log: createLogger('test.log-prompts'),
    });
    /** Books a conversation and tracks its meeting, as scheduling does. */
    const book = async (record: ConversationRecord) => {
      await conversations.create(record);
      await new MeetingTable(tables.meetings).track({
        employeeId: record.employeeId,
        managerId: record.managerId,
        conversationId: record.id,
        end: record.meeting?.end ?? '',
      });
    };
    const rows = async () => {
      const keys: string[] = [];
      for await (const e of tables.meetings.listEntities())
        keys.push(`${String(e.partitionKey).split('|')[0]}/${e.rowKey}`); // date part of PK
      return keys;
    };
    /** One sweep, then the outbox sends what it posted. */
    const sweep = async (o: LogPromptOptions) => {
      const result = await promptEndedMeetings(o);
      await queue.drain();
      return result;
    };
    return { tables, conversations, options, book, rows, sweep, drain: () => queue.drain() };
  }

  it('prompts the manager once with a Log button for the conversation, and never again after a restart', async () => {
    const notifier = new RecordingNotifier();
    const clock = movableClock('2026-11-23T15:00:00.000Z');
    const { tables, options, book, rows, sweep } = await setUp(notifier, clock);
    await book(booked('c-ended', '2026-11-23T10:00:00.000Z', '2026-11-23T10:30:00.000Z'));
    await book(booked('c-later', '2026-11-23T16:00:00.000Z', '2026-11-23T16:30:00.000Z'));

    assert.deepEqual(await sweep(options()), { prompted: 1, skipped: 0 });
    assert.equal(notifier.sent.length, 1);
    const [prompt] = notifier.sent;
    assert.equal(prompt?.userId, manager.id);
    assert.ok(prompt);
    assert.ok(
      JSON.stringify(prompt.card).includes(
        JSON.stringify(text.record.promptToLog(employee.name, 'Mon 23 Nov 2026, 10:00–10:30')).slice(1, -1),
      ),
      'the message names the employee and the meeting time',
    );
    const [log] = buttons(prompt.card);
    assert.equal(log?.title, text.menu.log);
    assert.equal(log?.data.verb, Verb.log);
    assert.equal(log?.data.employeeId, employee.id);
    assert.equal(log?.data.conversationId, 'c-ended');
    assert.ok(!JSON.stringify(prompt.card).includes(NOTE), 'no note text on the prompt');
    assert.deepEqual(
      await rows(),
      ['2026-11-23/2026-11-23T16:30:00.000Z|c-later'],
      'the prompted row is gone',
    );

    assert.deepEqual(await sweep(options()), { prompted: 0, skipped: 0 });
    // A fresh table instance over the same storage, as after a restart; the row is tracked again too.
    const restarted = new MeetingTable(tables.meetings);
    await restarted.track({
      employeeId: employee.id,
      managerId: manager.id,
      conversationId: 'c-ended',
      end: '2026-11-23T10:30:00.000Z',
    });
    assert.deepEqual(await sweep(options(restarted)), { prompted: 0, skipped: 1 });
    assert.equal(notifier.sent.length, 1, 'nothing more was sent');

    clock.set('2026-11-23T16:30:00.000Z');
    assert.deepEqual(await sweep(options(restarted)), { prompted: 1, skipped: 0 });
    assert.deepEqual(
      notifier.sent.map((s) => buttons(s.card)[0]?.data.conversationId),
      ['c-ended', 'c-later'],
      'the later meeting is prompted once it has ended',
    );
    assert.deepEqual(await rows(), []);
  });

  it('does not prompt for a meeting not yet ended, logged, cancelled or moved, and forgets those rows', async () => {
    const notifier = new RecordingNotifier();
    const clock = movableClock('2026-11-23T15:00:00.000Z');
    const { options, book, conversations, rows, sweep } = await setUp(notifier, clock);
    await book(booked('c-future', '2026-11-24T10:00:00.000Z', '2026-11-24T10:30:00.000Z'));
    await book(booked('c-held', '2026-11-22T10:00:00.000Z', '2026-11-22T10:30:00.000Z'));
    await book(booked('c-off', '2026-11-21T10:00:00.000Z', '2026-11-21T10:30:00.000Z'));
    await book(booked('c-moved', '2026-11-20T10:00:00.000Z', '2026-11-20T10:30:00.000Z'));
    for (const [id, change] of [
      ['c-held', { status: 'completed' }],
      ['c-off', { status: 'cancelled' }],
      [
        'c-moved',
        {
          meeting: {
            eventId: 'ev-c-moved',
            start: '2026-11-25T10:00:00.000Z',
            end: '2026-11-25T10:30:00.000Z',
          },
        },
      ],
    ] as const) {
      const stored = await conversations.get(employee.id, id);
      assert.ok(stored);
      await conversations.update({ ...stored.value, ...change }, stored.etag);
    }

    assert.deepEqual(await sweep(options()), { prompted: 0, skipped: 3 });
    assert.deepEqual(notifier.sent, []);
    assert.deepEqual(await rows(), ['2026-11-24/2026-11-24T10:30:00.000Z|c-future']);
  });

  it('posts the prompt for a manager without the app once; the outbox records them as not reachable', async () => {
    const notifier = new RecordingNotifier(() => Promise.resolve('not-installed'));
    const clock = movableClock('2026-11-23T15:00:00.000Z');
    const { tables, options, book, rows, sweep } = await setUp(notifier, clock);
    await book(booked('c1', '2026-11-23T10:00:00.000Z', '2026-11-23T10:30:00.000Z'));

    assert.deepEqual(await sweep(options()), { prompted: 1, skipped: 0 });
    assert.deepEqual(await rows(), []);
    assert.deepEqual(await sweep(options()), { prompted: 0, skipped: 0 });
    assert.equal(notifier.sent.length, 1, 'tried once, not again');
    const row = await tables.outbox.getEntity<{ state: string }>(manager.id, 'log-prompt|2026-11-23|c1');
    assert.equal(row.state, 'not-reachable');
  });

  it('keeps a meeting whose prompt could not be posted, logs it without note text, and posts it next time', async () => {
    const lines: string[] = [];
    configureLogging('info', (line) => lines.push(line));
    try {
      let posts = 0;
      const notifier = new RecordingNotifier();
      const clock = movableClock('2026-11-23T15:00:00.000Z');
      const { options, book, rows, sweep } = await setUp(notifier, clock, () => ++posts === 1);
      await book(booked('c1', '2026-11-23T10:00:00.000Z', '2026-11-23T10:30:00.000Z'));
      await book(booked('c2', '2026-11-23T11:00:00.000Z', '2026-11-23T11:30:00.000Z'));

      assert.deepEqual(await sweep(options()), { prompted: 1, skipped: 0 });
      assert.equal((await rows()).length, 1, 'the meeting whose post failed stays for the next sweep');
      assert.deepEqual(await sweep(options()), { prompted: 1, skipped: 0 });
      assert.deepEqual(await rows(), []);
      assert.deepEqual(
        notifier.sent.map((m) => buttons(m.card)[0]?.data.conversationId).sort(),
        ['c1', 'c2'],
        'each meeting prompted once',
      );
      assert.ok(lines.some((l) => l.includes('log prompt failed')));
      assert.ok(!lines.some((l) => l.includes(NOTE)), 'no note text in the logs');
    } finally {
      configureLogging('error', (line) => process.stderr.write(line + '\n'));
    }
  });

  it('sweeps at start and on demand, one sweep at a time, and stops', async () => {
    const notifier = new RecordingNotifier();
    const clock = movableClock('2026-11-23T15:00:00.000Z');
    const { options, book, drain } = await setUp(notifier, clock);
    await book(booked('c1', '2026-11-23T10:00:00.000Z', '2026-11-23T10:30:00.000Z'));

    const schedule = startLogPrompts({ ...options(), everyMs: 60_000 });
    const [first, second] = await Promise.all([schedule.runNow(), schedule.runNow()]);
    assert.equal(first, second, 'a sweep asked for while one runs joins it');
    await schedule.stop();
    await drain();
    assert.equal(notifier.sent.length, 1);
  });
});

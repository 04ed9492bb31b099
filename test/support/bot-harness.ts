/**
 * The bot with real storage for TestAdapter tests: the route table over Azurite tables, the real
 * Records, a calendar scheduler when a Graph fixture is given, and a notifier fake that keeps
 * every proactive card (STYLE.md rule 9: a fake of our own port). `turn` sends one activity and
 * returns what the bot replied in that turn.
 */
import { type Activity, TestAdapter } from 'botbuilder';
import { type Employee } from '../../core/model';
import { type Clock } from '../../core/ports';
import { type Policy } from '../../core/policy/schema';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { londonDate } from '../../bot/clock';
import { type CardJson } from '../../bot/cards/card';
import { type RunningAzurite } from '../../bot/dev/azurite';
import { GraphCalendar } from '../../bot/graph/graph-calendar';
import { ConversationScheduler } from '../../bot/graph/scheduling';
import { createLogger } from '../../bot/log';
import { mainAreas } from '../../bot/policy';
import { PeopleFinder } from '../../bot/records/people-finder';
import { Records } from '../../bot/records/records';
import { runRefresh } from '../../bot/records/refresh';
import { LedgerTable } from '../../bot/storage/ledger-table';
import { TableReferenceStore } from '../../bot/storage/reference-store';
import { Snoozes } from '../../bot/storage/snoozes';
import { type Tables, openTables } from '../../bot/storage/tables';
import { turnErrorHandler } from '../../bot/teams/adapter';
import { type MeetingTracker, type TurnDeps } from '../../bot/teams/deps';
import { type StoredReference, type ReferenceStore } from '../../bot/storage/reference-store';
import { type Notifier, type NotifyResult, type SendOutcome } from '../../bot/teams/notifier';
import { type TestOutbox, testOutbox } from './outbox';
import { createRouter } from '../../bot/teams/router';
import { ROUTES } from '../../bot/teams/routes';
import { type GraphFixture } from '../graph/fixture';

/** A clock tests can move. */
export class MovableClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  today(): string {
    return londonDate(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

/** Keeps proactive cards instead of sending them; people in `notInstalled` have no app. */
export class MemoryNotifier implements Notifier {
  readonly sent: { userId: string; card: CardJson }[] = [];
  readonly notInstalled = new Set<string>();
  notify(userId: string, card: CardJson): Promise<NotifyResult> {
    if (this.notInstalled.has(userId)) return Promise.resolve('not-installed');
    this.sent.push({ userId, card });
    return Promise.resolve('sent');
  }
  enqueue(userId: string, card: CardJson): void {
    void this.notify(userId, card);
  }
  drain(): Promise<void> {
    return Promise.resolve();
  }
  teamsUserId(userId: string): Promise<string | undefined> {
    return Promise.resolve(this.notInstalled.has(userId) ? undefined : `29:${userId}`);
  }
  async send(userId: string, card: CardJson): Promise<SendOutcome> {
    return (await this.notify(userId, card)) === 'sent'
      ? { kind: 'sent' }
      : { kind: 'not-installed', reason: 'no-reference' };
  }
  sendToReference(reference: StoredReference, card: CardJson): Promise<SendOutcome> {
    return this.send(reference.key, card);
  }
  /**
   * References for everyone not in `notInstalled` (the outbox's sender asks for one first); none
   * for the app's own keys (`~od-channel`: no OD team channel has the app).
   */
  references(): ReferenceStore {
    const get = (key: string): Promise<StoredReference | undefined> =>
      Promise.resolve(
        this.notInstalled.has(key) || key.startsWith('~')
          ? undefined
          : {
              key,
              scope: 'personal',
              conversationId: `a:${key}`,
              serviceUrl: 'http://127.0.0.1:9/',
              channelId: 'msteams',
              botId: 'bot',
              userId: `29:${key}`,
              installedAt: '2026-01-01T00:00:00.000Z',
            },
      );
    return { get, saveOnInstall: () => Promise.resolve(true), remove: () => Promise.resolve() };
  }
  /** Cards sent to one person, oldest first. */
  to(userId: string): CardJson[] {
    return this.sent.filter((s) => s.userId === userId).map((s) => s.card);
  }
}

/** Remembers tracked meetings. */
export class MemoryMeetings implements MeetingTracker {
  readonly tracked: Parameters<MeetingTracker['track']>[0][] = [];
  track(meeting: Parameters<MeetingTracker['track']>[0]): Promise<void> {
    this.tracked.push(meeting);
    return Promise.resolve();
  }
}

/** A bot over real storage. */
export interface BotHarness {
  readonly adapter: TestAdapter;
  readonly deps: TurnDeps;
  readonly records: Records;
  readonly tables: Tables;
  readonly notifier: MemoryNotifier;
  /** The real outbox; `turn` drains it, so cards a turn posted are in `notifier.sent` after it. */
  readonly outbox: TestOutbox;
  readonly meetings: MemoryMeetings;
  readonly clock: MovableClock;
  /** Every activity the bot sent, in order. */
  readonly sent: Partial<Activity>[];
  /** Sends one activity; resolves with the activities the bot sent in that turn. */
  turn(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
}

let tablesMade = 0;

/** Opens fresh tables in the given Azurite, stores the people, and builds the bot. */
export async function botHarness(options: {
  readonly azurite: RunningAzurite;
  readonly people: readonly Employee[];
  readonly today: string;
  readonly policy?: Policy;
  readonly graph?: GraphFixture;
  readonly odMembers?: readonly string[];
  /** The organisation's tenant: activities from any other are refused (unset: no check). */
  readonly tenantId?: string;
}): Promise<BotHarness> {
  const policy = options.policy ?? PROFESSIONAL_CONVERSATION;
  const clock = new MovableClock(new Date(`${options.today}T12:00:00Z`));
  const prefix = `bot${process.pid}x${++tablesMade}`;
  const tables = await openTables(
    { kind: 'connectionString', connectionString: options.azurite.connectionString },
    prefix,
  );
  const records = new Records(tables, policy, clock, createLogger('test.records'));
  await records.directory.upsertMany(options.people);
  await runRefresh(records, tables.jobs);
  const scheduler = options.graph
    ? new ConversationScheduler({
        calendar: new GraphCalendar(options.graph.connection.client, { log: createLogger('test.calendar') }),
        directory: records.directory,
        policy,
        clock,
        workingDays: 10,
        log: createLogger('test.scheduling'),
      })
    : undefined;
  const notifier = new MemoryNotifier();
  const outbox = await testOutbox({
    connectionString: options.azurite.connectionString,
    prefix,
    tables,
    notifier,
    references: notifier.references(),
    clock,
  });
  const meetings = new MemoryMeetings();
  let ids = 0;
  const deps: TurnDeps = {
    log: createLogger('test.bot'),
    directory: records.directory,
    references: new TableReferenceStore(tables.conversationRefs),
    areas: mainAreas(policy),
    records,
    policy,
    clock,
    scheduler,
    scheduleWorkingDays: 10,
    notifier,
    outbox: outbox.outbox,
    snoozes: new Snoozes(tables.nudgeLedger),
    meetings,
    ledger: new LedgerTable(tables.nudgeLedger),
    odMembers: new Set(options.odMembers ?? []),
    tenantId: options.tenantId,
    people: new PeopleFinder(records.directory),
    newId: () => `id-${process.pid}-${++ids}`,
  };
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
  return {
    adapter,
    deps,
    records,
    tables,
    notifier,
    outbox,
    meetings,
    clock,
    sent,
    async turn(activity) {
      const before = sent.length;
      await adapter.processActivity(activity);
      await outbox.drain();
      return sent.slice(before);
    },
  };
}

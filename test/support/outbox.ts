/**
 * The real outbox for tests: the Storage Queue in the test's Azurite, the outbox tables, and sender
 * workers that send through the notifier the test gives (a fake of our own port, or the real
 * BotNotifier against the Bot Connector stand-in). `drain()` sends everything posted so far.
 */
import { type Clock } from '../../core/ports';
import { createLogger } from '../../bot/log';
import { type Outbox, QueueOutbox } from '../../bot/outbox/outbox';
import { type OutboxQueue, openOutboxQueue } from '../../bot/outbox/queue';
import { OutboxSender } from '../../bot/outbox/sender';
import { type ReferenceStore } from '../../bot/storage/reference-store';
import { type Tables } from '../../bot/storage/tables';
import { type Notifier } from '../../bot/teams/notifier';

/** An outbox and its sender over one Azurite. */
export interface TestOutbox {
  readonly outbox: Outbox;
  readonly queue: OutboxQueue;
  readonly sender: OutboxSender;
  /** Sends every message on the queue; resolves with how many were handled. */
  drain(): Promise<number>;
}

/** Opens the queue `<prefix>outbox` and a sender that is drained by hand (no background loops). */
export async function testOutbox(options: {
  readonly connectionString: string;
  readonly prefix: string;
  readonly tables: Tables;
  readonly notifier: Notifier;
  readonly references: ReferenceStore;
  readonly clock: Clock;
}): Promise<TestOutbox> {
  const queue = await openOutboxQueue(
    { kind: 'connectionString', connectionString: options.connectionString },
    options.prefix,
  );
  const sender = new OutboxSender({
    queue,
    table: options.tables.outbox,
    faults: options.tables.outboxFaults,
    notifier: options.notifier,
    references: options.references,
    clock: options.clock,
    log: createLogger('test.outbox'),
    visibilitySeconds: 5,
    idlePollMs: 50,
  });
  return { outbox: new QueueOutbox(queue), queue, sender, drain: () => sender.drain() };
}

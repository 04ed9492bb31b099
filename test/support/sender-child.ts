/**
 * One sender process for the crash tests (test/outbox.test.ts): the real OutboxSender and the real
 * BotNotifier (anonymous, as against the Agents Playground) over the test's Azurite, one message
 * at a time. `OUTBOX_CRASH` kills this process with SIGKILL at that point of its first send;
 * otherwise it sends until the queue has been empty for `IDLE_MS`, then exits 0.
 *
 * Environment: STORAGE_CONNECTION_STRING, PREFIX, OUTBOX_CRASH (after-claim | after-send), IDLE_MS.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock } from '../../bot/clock';
import { configureLogging, createLogger } from '../../bot/log';
import { openOutboxQueue } from '../../bot/outbox/queue';
import { type CrashPoint, OutboxSender } from '../../bot/outbox/sender';
import { TableReferenceStore } from '../../bot/storage/reference-store';
import { openTables } from '../../bot/storage/tables';
import { createAdapter } from '../../bot/teams/adapter';
import { BotNotifier } from '../../bot/teams/notifier';

configureLogging('error');
const connectionString = process.env.STORAGE_CONNECTION_STRING ?? '';
const prefix = process.env.PREFIX ?? '';
const crashAt = (process.env.OUTBOX_CRASH || undefined) as CrashPoint | undefined;
const idleMs = Number(process.env.IDLE_MS ?? '4000');
const storage = { kind: 'connectionString', connectionString } as const;

const tables = await openTables(storage, prefix);
const queue = await openOutboxQueue(storage, prefix);
const references = new TableReferenceStore(tables.conversationRefs);
const log = createLogger('child');
const notifier = new BotNotifier({
  adapter: createAdapter({ appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' }, log),
  appId: '',
  references,
  perSecond: 20,
  log,
});
const sender = new OutboxSender({
  queue,
  table: tables.outbox,
  faults: tables.outboxFaults,
  notifier,
  references,
  clock: systemClock,
  log,
  batch: 1,
  visibilitySeconds: 2,
  crashAt,
});
let idleSince = Date.now();
while (Date.now() - idleSince < idleMs) {
  const handled = await sender.drain();
  if (handled > 0) idleSince = Date.now();
  else await delay(200);
}
process.exit(0);

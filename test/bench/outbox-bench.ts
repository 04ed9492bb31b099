/**
 * Proactive sends as production makes them (DESIGN.md §8 "nudge sending sustains ≥ 97 % of the
 * configured rate with no 429s"): cards posted to the outbox's Storage Queue on Azurite, taken by
 * the sender workers, claimed and marked in the outbox table, and sent by the notifier to the Bot
 * Connector stand-in (50 per second per app, Teams' per-conversation windows).
 *
 * - Sustained rate: the queue holds `rate × seconds` cards for 2,000 people; the senders empty it
 *   at the configured 20/s and 45/s (`NOTIFY_BENCH_SECONDS`, default 60).
 * - Added latency: cards posted at 10 per second while the senders run at 45/s; each card's time
 *   from post to its arrival at the stand-in (p50/p95) is what the queue and its bookkeeping add.
 * Run alone with `npx tsx test/bench/outbox-bench.ts`; `npm run bench` imports `benchOutbox`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../../bot/clock';
import { startAzurite } from '../../bot/dev/azurite';
import { startConnectorStandIn } from '../../bot/dev/connector-standin';
import { storagePorts } from '../../bot/dev/ports';
import { configureLogging, type Logger } from '../../bot/log';
import { QueueOutbox } from '../../bot/outbox/outbox';
import { openOutboxQueue } from '../../bot/outbox/queue';
import { OutboxSender } from '../../bot/outbox/sender';
import { TableReferenceStore } from '../../bot/storage/reference-store';
import { openTables } from '../../bot/storage/tables';
import { createAdapter } from '../../bot/teams/adapter';
import { BotNotifier } from '../../bot/teams/notifier';
import { AZURITE_SHARDS, percentile } from './stats';

const PEOPLE = 2_000;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
const card = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'Reminder' }],
} as const;

/** Runs the outbox benchmark and returns its figures. */
export async function benchOutbox(): Promise<Record<string, number | string>> {
  configureLogging('error');
  const seconds = Number(process.env.NOTIFY_BENCH_SECONDS ?? 60);
  const azurite = await startAzurite({ ports: await storagePorts() });
  const standin = await startConnectorStandIn({ perSecond: 50 });
  const figures: Record<string, number | string> = { people: PEOPLE, 'seconds per rate': seconds };
  let run = 0;
  try {
    const storage = {
      kind: 'connectionString',
      connectionString: azurite.connectionString,
      tableShards: AZURITE_SHARDS,
    } as const;
    const setUp = async (rate: number) => {
      const prefix = `bench${++run}`;
      const tables = await openTables(storage, prefix);
      const references = new TableReferenceStore(tables.conversationRefs);
      await Promise.all(
        Array.from({ length: PEOPLE }, (_, i) =>
          references.saveOnInstall({
            key: `user-${i}`,
            scope: 'personal',
            conversationId: `a:1bench-${run}-${i}@unq.gbl.spaces`,
            serviceUrl: standin.url,
            channelId: 'msteams',
            botId: '28:bench-bot',
            userId: `29:bench-${i}`,
            installedAt: '2026-01-05T09:00:00Z',
          }),
        ),
      );
      const queue = await openOutboxQueue(storage, prefix);
      const adapter = createAdapter(
        { appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' },
        quiet,
      );
      const notifier = new BotNotifier({ adapter, appId: '', references, perSecond: rate, log: quiet });
      const sender = new OutboxSender({
        queue,
        table: tables.outbox,
        faults: tables.outboxFaults,
        notifier,
        references,
        clock: systemClock,
        log: quiet,
        idlePollMs: 100,
      });
      return { queue, outbox: new QueueOutbox(queue), sender };
    };

    for (const rate of [20, 45]) {
      standin.reset();
      const { outbox, sender } = await setUp(rate);
      const total = rate * seconds;
      for (let i = 0; i < total; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, total - i) }, (_, k) =>
            outbox.post({
              to: `user-${(i + k) % PEOPLE}`,
              kind: 'reminder',
              day: '2026-12-01',
              ref: `${i + k}`,
              card,
            }),
          ),
        );
      }
      const started = performance.now();
      sender.start();
      while (standin.counts().delivered < total && performance.now() - started < seconds * 3000)
        await delay(100);
      const elapsed = (performance.now() - started) / 1000;
      await sender.stop();
      const counts = standin.counts();
      // Sustained: from the first card's arrival to the last's (the first receive is not the rate).
      const arrivals = standin.deliveries.map((d) => d.at).sort((x, y) => x - y);
      const span = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
      const achieved = span > 0 ? (counts.delivered - 1) / span : 0;
      figures[`${rate}/s via the queue: wall time from start (s)`] = Number(elapsed.toFixed(1));
      figures[`${rate}/s via the queue: achieved (per s)`] = Number(achieved.toFixed(1));
      figures[`${rate}/s via the queue: of configured`] = `${((achieved / rate) * 100).toFixed(1)} %`;
      figures[`${rate}/s via the queue: delivered`] = `${counts.delivered} of ${total}`;
      figures[`${rate}/s via the queue: 429`] = counts.overLimitApp;
      figures[`${rate}/s via the queue: per-conversation over limit`] = counts.overLimitConversation;
    }

    // Added latency at a load well under the rate: what a user waits beyond the rate limit.
    standin.reset();
    const { outbox, sender } = await setUp(45);
    sender.start();
    const posts = 10 * Math.min(seconds, 30);
    for (let i = 0; i < posts; i++) {
      await outbox.post({
        to: `user-${i % PEOPLE}`,
        kind: 'notice',
        day: '2026-12-01',
        ref: `lat-${i}`,
        card,
      });
      await delay(100);
    }
    const deadline = performance.now() + 30_000;
    while (standin.counts().delivered < posts && performance.now() < deadline) await delay(50);
    await sender.stop();
    const latencies = sender.stats().latenciesMs;
    figures['queue added latency: cards'] = latencies.length;
    figures['queue added latency: p50 (ms)'] = Math.round(percentile(latencies, 50));
    figures['queue added latency: p95 (ms)'] = Math.round(percentile(latencies, 95));
  } finally {
    await standin.stop();
    await azurite.stop();
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchOutbox();
  for (const [key, value] of Object.entries(figures)) console.log(`${key}: ${value}`);
}

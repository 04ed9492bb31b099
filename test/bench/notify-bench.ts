/**
 * Proactive sends at Teams rates: the notifier, through botbuilder's CloudAdapter, sending a card
 * to each of 5,000 people in turn against the Bot Connector stand-in limited to 50 per second per
 * app (DESIGN.md §7), at configured rates of 20/s and 45/s for 60 s each (`NOTIFY_BENCH_SECONDS`
 * shortens it). Reports the rate achieved and its share of the configured rate, 429s, and the
 * most the stand-in saw in any sliding second. Target: ≥ 97 % of the configured rate, no 429.
 * Run alone with `npx tsx test/bench/notify-bench.ts`; `npm run bench` imports `benchNotify`.
 */
import { pathToFileURL } from 'node:url';
import { startConnectorStandIn } from '../../bot/dev/connector-standin';
import { type Logger } from '../../bot/log';
import { type StoredReference } from '../../bot/storage/reference-store';
import { createAdapter } from '../../bot/teams/adapter';
import { BotNotifier } from '../../bot/teams/notifier';
import { MemoryReferenceStore } from '../support/fakes';

const PEOPLE = 5_000;
const STANDIN_PER_SECOND = 50;
const RATES = [20, 45];

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** Runs the notify benchmark and returns its figures. */
export async function benchNotify(): Promise<Record<string, number | string>> {
  const seconds = Number(process.env.NOTIFY_BENCH_SECONDS ?? 60);
  const figures: Record<string, number | string> = {
    people: PEOPLE,
    'stand-in limit (per app per s)': STANDIN_PER_SECOND,
    'seconds per rate': seconds,
  };
  for (const rate of RATES) {
    const standin = await startConnectorStandIn({ perSecond: STANDIN_PER_SECOND });
    try {
      const references = new MemoryReferenceStore();
      for (let i = 0; i < PEOPLE; i++) await references.saveOnInstall(reference(i, standin.url));
      const adapter = createAdapter(
        { appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' },
        quiet,
      );
      const notifier = new BotNotifier({ adapter, appId: '', references, perSecond: rate, log: quiet });
      const card = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: 'Reminder' }],
      } as const;

      const total = rate * seconds;
      const started = performance.now();
      const outcomes = await Promise.all(
        Array.from({ length: total }, (_, i) => notifier.send(`user-${i % PEOPLE}`, card)),
      );
      const elapsed = (performance.now() - started) / 1000;
      const counts = standin.counts();
      const achieved = counts.delivered / elapsed;
      figures[`${rate}/s: achieved (per s)`] = Number(achieved.toFixed(1));
      figures[`${rate}/s: of configured`] = `${((achieved / rate) * 100).toFixed(1)} %`;
      figures[`${rate}/s: delivered`] = `${counts.delivered} of ${total}`;
      figures[`${rate}/s: 429 (app)`] = counts.overLimitApp;
      figures[`${rate}/s: per-conversation over limit`] = counts.overLimitConversation;
      figures[`${rate}/s: not sent`] = outcomes.filter((o) => o.kind !== 'sent').length;
      figures[`${rate}/s: most in a sliding second`] = busiestSecond(standin.deliveries.map((d) => d.at));
    } finally {
      await standin.stop();
    }
  }
  return figures;
}

function reference(i: number, serviceUrl: string): StoredReference {
  return {
    key: `user-${i}`,
    scope: 'personal',
    conversationId: `a:1bench-${i}@unq.gbl.spaces`,
    serviceUrl,
    channelId: 'msteams',
    tenantId: 'bench-tenant',
    botId: '28:bench-bot',
    userId: `29:bench-${i}`,
    installedAt: '2026-01-05T09:00:00Z',
  };
}

/** The most arrivals within any 1,000 ms. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchNotify();
  for (const [key, value] of Object.entries(figures)) console.log(`${key}: ${value}`);
}

/**
 * The notifier through a real botbuilder CloudAdapter (anonymous, as `createAdapter` builds it)
 * against the Bot Connector stand-in over loopback HTTP: a burst to many conversations stays
 * under the app's limit with no 429; one conversation is paced; each fault Teams answers is
 * retried, refused, or reported as ambiguous as DESIGN.md §7 says; `beforeSend` runs once, before
 * the request; nothing of the card reaches the log.
 */
import { strict as assert } from 'node:assert';
import { type CloudAdapter } from 'botbuilder';
import { type ConnectorStandIn, type Delivery, startConnectorStandIn } from '../bot/dev/connector-standin';
import { type CardJson } from '../bot/cards/card';
import { type LogFields, type Logger } from '../bot/log';
import { type StoredReference } from '../bot/storage/reference-store';
import { createAdapter } from '../bot/teams/adapter';
import { BotNotifier, type BotNotifierOptions, SendFailedError } from '../bot/teams/notifier';
import { MemoryReferenceStore } from './support/fakes';

const SECRET = 'private note text that must never be logged';

function card(label: string): CardJson {
  return { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `${label} ${SECRET}` }] };
}

/** The label of the card an activity carries. */
function labelOf(delivery: Delivery): string {
  const attachments = delivery.activity.attachments as { content: { body: { text: string }[] } }[];
  return attachments[0]!.content.body[0]!.text.replace(` ${SECRET}`, '');
}

/** A logger that keeps its lines. */
function memoryLogger(lines: string[]): Logger {
  const emit = (level: string) => (message: string, fields?: LogFields) =>
    void lines.push(JSON.stringify({ level, message, ...fields }));
  const logger: Logger = {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: () => logger,
  };
  return logger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('BotNotifier against the Bot Connector stand-in', function () {
  this.timeout(30_000);
  let standin: ConnectorStandIn;
  let adapter: CloudAdapter;
  let references: MemoryReferenceStore;
  let lines: string[];
  /** Waits asked for between retries; each is slept for at most 20 ms. */
  let retryWaits: number[];

  const personal = (n: number | string, serviceUrl = standin.url): StoredReference => ({
    key: `user-${n}`,
    scope: 'personal',
    conversationId: `a:1conversation-${n}@unq.gbl.spaces;messageid=${n}`,
    serviceUrl,
    channelId: 'msteams',
    tenantId: 'tenant-1',
    botId: '28:bot',
    userId: `29:user-${n}`,
    userName: `User ${n}`,
    installedAt: '2026-01-05T09:00:00Z',
  });
  const install = async (...refs: StoredReference[]) => {
    for (const reference of refs) await references.saveOnInstall(reference);
    return refs;
  };
  const notifier = (options: Partial<BotNotifierOptions> = {}) =>
    new BotNotifier({
      adapter,
      appId: '',
      references,
      perSecond: 45,
      log: memoryLogger(lines),
      sleep: (ms) => {
        retryWaits.push(ms);
        return sleep(Math.min(ms, 20));
      },
      ...options,
    });

  beforeEach(async () => {
    standin = await startConnectorStandIn({ perSecond: 50 });
    adapter = createAdapter(
      { appId: '', appPassword: '', appType: 'MultiTenant', tenantId: '' },
      memoryLogger([]),
    );
    references = new MemoryReferenceStore();
    lines = [];
    retryWaits = [];
  });
  afterEach(async () => {
    await standin.stop();
    assert.ok(!lines.some((line) => line.includes(SECRET)), 'no card text in the log');
  });

  it('sends a burst of 300 to 100 conversations at 45/s without one 429', async () => {
    const refs = await install(...Array.from({ length: 100 }, (_, i) => personal(i)));
    const sender = notifier({ perSecond: 45 });
    const started = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 300 }, (_, i) => sender.send(refs[i % 100]!.key, card(`card ${i}`))),
    );
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(outcomes.every((o) => o.kind === 'sent'));
    const counts = standin.counts();
    assert.equal(counts.delivered, 300);
    assert.equal(counts.overLimitApp, 0);
    assert.equal(counts.overLimitConversation, 0);
    // 300 at 45/s, less the small burst: about 6.6 s.
    assert.ok(elapsed > 6 && elapsed < 9, `took ${elapsed} s`);
  });

  it('paces ten sends to one conversation and keeps their order', async () => {
    const [reference] = await install(personal('busy'));
    const sender = notifier();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sender.send(reference!.key, card(`card ${i}`))),
    );
    assert.ok(outcomes.every((o) => o.kind === 'sent'));
    const delivered = standin.deliveredTo(reference!.conversationId);
    assert.deepEqual(
      delivered.map(labelOf),
      Array.from({ length: 10 }, (_, i) => `card ${i}`),
    );
    assert.equal(standin.counts().overLimitConversation, 0);
    for (const d of delivered) {
      const inSecond = delivered.filter((o) => o.at >= d.at && o.at < d.at + 1000).length;
      assert.ok(inSecond <= 4, `${inSecond} in one second at 3/s`);
    }
  });

  it('does not let a busy conversation hold up the others', async () => {
    const [busy, other] = await install(personal('busy'), personal('other'));
    const sender = notifier({ concurrency: 2 });
    const busySends = Array.from({ length: 6 }, (_, i) => sender.send(busy!.key, card(`busy ${i}`)));
    await sleep(50);
    const started = Date.now();
    assert.deepEqual(await sender.send(other!.key, card('other')), { kind: 'sent' });
    assert.ok(Date.now() - started < 500, 'not queued behind the busy conversation');
    await Promise.all(busySends);
  });

  it('waits for Retry-After on a 429, then sends', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ status: 429, retryAfter: 1 }]);
    const sender = notifier({ sleep: undefined });
    const started = Date.now();
    assert.deepEqual(await sender.send(reference!.key, card('throttled')), { kind: 'sent' });
    assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
    assert.equal(standin.counts().requests, 2);
    assert.equal(standin.deliveredTo(reference!.conversationId).length, 1);
  });

  it('retries 412, 502 and 504 with growing backoff, then sends', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ status: 412 }, { status: 502 }, { status: 504 }]);
    assert.deepEqual(await notifier().send(reference!.key, card('flaky')), { kind: 'sent' });
    assert.equal(standin.counts().requests, 4);
    assert.equal(retryWaits.length, 3);
    assert.ok(retryWaits[0]! >= 250 && retryWaits[0]! <= 750);
    assert.ok(retryWaits[2]! >= 1000 && retryWaits[2]! <= 3000);
    assert.equal(standin.deliveredTo(reference!.conversationId).length, 1);
  });

  it('gives up after maxRetries: five 502s with maxRetries 2 fail after three requests', async () => {
    const [reference] = await install(personal(1));
    standin.fail(
      reference!.conversationId,
      Array.from({ length: 5 }, () => ({ status: 502 as const })),
    );
    const outcome = await notifier({ maxRetries: 2 }).send(reference!.key, card('down'));
    assert.deepEqual(outcome, { kind: 'failed', status: 502, code: 'ServiceError' });
    assert.equal(standin.counts().requests, 3);
    assert.equal(standin.deliveries.length, 0, 'and no apology from the adapter’s turn-error handler');
  });

  it('refuses another 4xx at once: a card over 40 KB is 413', async () => {
    const [reference] = await install(personal(1));
    const big: CardJson = {
      type: 'AdaptiveCard',
      body: [{ type: 'TextBlock', text: 'x'.repeat(41 * 1024) }],
    };
    const outcome = await notifier().send(reference!.key, big);
    assert.deepEqual(outcome, { kind: 'failed', status: 413, code: 'MessageSizeTooBig' });
    assert.equal(standin.counts().requests, 1);
  });

  it('treats 403 BotNotInConversationRoster as not installed and removes the reference', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ status: 403, code: 'BotNotInConversationRoster' }]);
    const sender = notifier();
    assert.deepEqual(await sender.send(reference!.key, card('gone')), {
      kind: 'not-installed',
      reason: 'not-in-roster',
    });
    assert.equal(await references.get(reference!.key), undefined);
    assert.equal(standin.counts().requests, 1);
    assert.equal(standin.deliveries.length, 0);
    assert.equal(await sender.teamsUserId(reference!.key), undefined);
  });

  it('reports a request that outlives requestTimeoutMs as ambiguous, delivered once and not retried', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ hang: 2_000 }]);
    const started = Date.now();
    const outcome = await notifier({ requestTimeoutMs: 300 }).send(reference!.key, card('slow'));
    assert.deepEqual(outcome, { kind: 'ambiguous', reason: 'timeout' });
    assert.ok(Date.now() - started < 1_000);
    await sleep(100);
    assert.equal(standin.counts().requests, 1);
    assert.equal(standin.deliveredTo(reference!.conversationId).length, 1);
  });

  it('reports a connection reset after the request was written as ambiguous, not retried', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ reset: true }]);
    const outcome = await notifier().send(reference!.key, card('dropped'));
    assert.deepEqual(outcome, { kind: 'ambiguous', reason: 'connection' });
    await sleep(50);
    assert.equal(standin.counts().requests, 1);
    assert.equal(standin.deliveredTo(reference!.conversationId).length, 1);
  });

  it('retries a refused connection (nothing was sent), then fails', async () => {
    const closed = await startConnectorStandIn();
    await closed.stop();
    const [reference] = await install(personal(1, closed.url));
    const outcome = await notifier({ maxRetries: 2 }).send(reference!.key, card('nowhere'));
    assert.deepEqual(outcome, { kind: 'failed', status: undefined, code: 'ECONNREFUSED' });
    assert.equal(retryWaits.length, 2);
  });

  it('answers not-installed without a personal reference, sending nothing', async () => {
    const sender = notifier();
    assert.deepEqual(await sender.send('nobody', card('x')), {
      kind: 'not-installed',
      reason: 'no-reference',
    });
    assert.equal(standin.counts().requests, 0);
  });

  it('sends to a channel reference with sendToReference', async () => {
    const channel: StoredReference = {
      ...personal('team'),
      key: '19:team-channel@thread.tacv2',
      scope: 'channel',
      conversationId: '19:team-channel@thread.tacv2',
      userId: undefined,
    };
    assert.deepEqual(await notifier().sendToReference(channel, card('to the team')), { kind: 'sent' });
    const [delivered] = standin.deliveredTo(channel.conversationId);
    assert.equal(labelOf(delivered!), 'to the team');
    assert.equal((delivered!.activity.conversation as { isGroup: boolean }).isGroup, true);
  });

  it('awaits beforeSend once, after the limits and before the first request, even across retries', async () => {
    const [reference] = await install(personal(1));
    standin.fail(reference!.conversationId, [{ status: 502 }]);
    const calls: { at: number; requestsSoFar: number }[] = [];
    const outcome = await notifier().send(reference!.key, card('marked'), {
      beforeSend: async () => {
        calls.push({ at: Date.now(), requestsSoFar: standin.counts().requests });
        await sleep(20);
      },
    });
    assert.deepEqual(outcome, { kind: 'sent' });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.requestsSoFar, 0);
    const [delivered] = standin.deliveredTo(reference!.conversationId);
    assert.ok(delivered!.at >= calls[0]!.at + 20);
  });

  it('sends nothing when beforeSend throws, and rejects with its error', async () => {
    const [reference] = await install(personal(1));
    const refused = new Error('outbox row could not be marked');
    await assert.rejects(
      notifier().send(reference!.key, card('unmarked'), { beforeSend: () => Promise.reject(refused) }),
      (error) => error === refused,
    );
    assert.equal(standin.counts().requests, 0);
  });

  it('keeps the notify, enqueue and drain shims working', async () => {
    const [one, two] = await install(personal(1), personal(2));
    const sender = notifier({ maxRetries: 0 });
    assert.equal(await sender.notify(one!.key, card('notified')), 'sent');
    assert.equal(await sender.notify('nobody', card('x')), 'not-installed');
    standin.fail(two!.conversationId, [{ status: 502 }]);
    await assert.rejects(sender.notify(two!.key, card('x')), SendFailedError);
    sender.enqueue(one!.key, card('queued 1'));
    sender.enqueue(two!.key, card('queued 2'));
    await sender.drain();
    assert.deepEqual(standin.deliveries.map(labelOf).sort(), ['notified', 'queued 1', 'queued 2']);
  });
});

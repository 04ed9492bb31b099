/**
 * The durable outbox end to end (DESIGN.md §4 "never lost when the process restarts", §5 Storage
 * Queues): Azurite's queue and tables, the real sender and BotNotifier, and the local Bot Connector
 * stand-in. A sender killed (SIGKILL) after its claim or after its send delivers every message
 * exactly once on restart; two service instances on one Azurite run one sweep and share the queue;
 * a person without the app is recorded, not retried; a poison message is dead-lettered.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { type CardJson } from '../bot/cards/card';
import { systemClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { type ConnectorStandIn, startConnectorStandIn } from '../bot/dev/connector-standin';
import { freePort, storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { type RunningApp, startApp } from '../bot/app';
import { TAB_DIR } from '../bot/paths';
import { outboxFaults } from '../bot/outbox/faults';
import { QueueOutbox } from '../bot/outbox/outbox';
import { openOutboxQueue } from '../bot/outbox/queue';
import { OutboxSender } from '../bot/outbox/sender';
import { type StoredReference, TableReferenceStore } from '../bot/storage/reference-store';
import { type Tables, openTables } from '../bot/storage/tables';
import { createAdapter } from '../bot/teams/adapter';
import { BotNotifier } from '../bot/teams/notifier';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';

const card = (n: number): CardJson => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: `Message ${n}` }],
});

function reference(key: string, serviceUrl: string): StoredReference {
  return {
    key,
    scope: 'personal',
    conversationId: `a:conv-${key}`,
    serviceUrl,
    channelId: 'msteams',
    botId: '28:bot',
    userId: `29:${key}`,
    installedAt: '2026-12-01T09:00:00.000Z',
  };
}

/** Runs the sender child until it exits; resolves with its exit code or the signal that killed it. */
function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sender-child.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('outbox: durable, exactly once, shared by instances', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite | undefined;
  let connector: ConnectorStandIn | undefined;
  let made = 0;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    connector = await startConnectorStandIn({ perSecond: 50 });
  });
  after(async () => {
    await connector?.stop();
    await azurite?.stop();
  });

  async function setUp(people: number) {
    assert.ok(azurite && connector);
    connector.reset();
    const prefix = `ob${process.pid}x${++made}`;
    const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
    const tables = await openTables(storage, prefix);
    const references = new TableReferenceStore(tables.conversationRefs);
    const ids = Array.from({ length: people }, (_, i) => `user-${made}-${i}`);
    for (const id of ids) await references.saveOnInstall(reference(id, connector.url));
    const queue = await openOutboxQueue(storage, prefix);
    const outbox = new QueueOutbox(queue);
    for (const [i, id] of ids.entries()) {
      await outbox.post({ to: id, kind: 'reminder', day: '2026-12-01', ref: '', card: card(i) });
    }
    return { prefix, tables, references, queue, outbox, ids };
  }

  /** How many activities each conversation received at the stand-in. */
  function deliveredCounts(ids: readonly string[]): number[] {
    return ids.map((id) => connector!.deliveredTo(`a:conv-${id}`).length);
  }

  async function states(tables: Tables, ids: readonly string[]): Promise<string[]> {
    return Promise.all(
      ids.map(
        async (id) => (await tables.outbox.getEntity<{ state: string }>(id, 'reminder|2026-12-01|')).state,
      ),
    );
  }

  for (const crashAt of ['after-claim', 'after-send'] as const) {
    it(`delivers every message exactly once when the sender is killed ${crashAt.replace('-', ' ')}`, async () => {
      const { prefix, tables, ids } = await setUp(5);
      const env = { STORAGE_CONNECTION_STRING: azurite!.connectionString, PREFIX: prefix, IDLE_MS: '4000' };
      const killed = await runChild({ ...env, OUTBOX_CRASH: crashAt });
      assert.equal(killed.signal, 'SIGKILL', 'the sender died at the crash point');
      const afterCrash = deliveredCounts(ids);
      assert.equal(afterCrash.filter((n) => n > 0).length, crashAt === 'after-send' ? 1 : 0);
      const restarted = await runChild(env);
      assert.equal(restarted.code, 0);
      assert.deepEqual(deliveredCounts(ids), [1, 1, 1, 1, 1], 'each person got their card once');
      const final = await states(tables, ids);
      // The message whose send was interrupted is not sent again (Bot Framework's create is not
      // idempotent): it is recorded as sent but unconfirmed.
      if (crashAt === 'after-send') {
        assert.deepEqual(final.filter((s) => s === 'unconfirmed').length, 1);
        assert.deepEqual(final.filter((s) => s === 'delivered').length, 4);
      } else {
        assert.deepEqual(final, ['delivered', 'delivered', 'delivered', 'delivered', 'delivered']);
      }
    });
  }

  it('records a person without the app as not reachable, not retried; a poison message is dead-lettered', async () => {
    const { tables, references, queue, ids } = await setUp(3);
    connector!.fail(`a:conv-${ids[0]}`, [{ status: 403, code: 'BotNotInConversationRoster' }]);
    await references.remove(ids[1]!);
    await queue.send('{"not": "an outbox message"}');
    const log = createLogger('test.sender');
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
      visibilitySeconds: 2,
    });
    await sender.drain();
    assert.deepEqual(await states(tables, ids), ['not-reachable', 'not-reachable', 'delivered']);
    assert.deepEqual(deliveredCounts(ids), [0, 0, 1]);
    assert.equal(await references.get(ids[0]!), undefined, 'the roster refusal removed the reference');
    const faults = await outboxFaults(tables);
    assert.deepEqual(faults.unreachable.map((u) => u.id).sort(), [ids[0], ids[1]].sort());
    assert.equal(faults.dead.length, 1);
    assert.match(faults.dead[0]!.reason, /unreadable/);
    assert.equal(await queue.approximateCount(), 0, 'nothing is left to retry');
  });

  it('runs one sweep across two instances, and both senders share the queue', async () => {
    const { prefix, tables, ids } = await setUp(60);
    const config = readConfig({
      APP_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite!.connectionString,
      NOTIFY_PER_SECOND: '20',
    });
    const start = (): Promise<RunningApp> =>
      startApp({
        config: { ...config, port: 0 },
        tables,
        policy: PROFESSIONAL_CONVERSATION,
        clock: systemClock,
        tabDir: TAB_DIR,
        storagePrefix: prefix,
        // Fewer in hand than there are cards, so one instance cannot take them all at once.
        sender: { idlePollMs: 100, visibilitySeconds: 5, batch: 8 },
      });
    const [a, b] = [await start(), await start()];
    try {
      const outcomes = await Promise.all([a.jobs.runNow('nudge-sweep'), b.jobs.runNow('nudge-sweep')]);
      assert.deepEqual(outcomes.sort(), ['busy', 'ran'], 'one instance ran the sweep');
      // A sender counts a card once its row says delivered, a moment after the connector has it.
      const sent = (): number => a.sender.stats().delivered + b.sender.stats().delivered;
      const deadline = Date.now() + 30_000;
      while ((deliveredCounts(ids).some((n) => n === 0) || sent() < ids.length) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual(new Set(deliveredCounts(ids)), new Set([1]), 'every card delivered once');
      assert.ok(a.sender.stats().delivered > 0 && b.sender.stats().delivered > 0, 'both instances sent');
      assert.equal(sent(), ids.length);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

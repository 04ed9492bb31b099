/**
 * The fault suite (issue 19): storage stopped and restarted mid-flow, Graph throttling, failing and
 * timing out, the Bot Connector refusing, and the service killed (SIGKILL) during a card submit and
 * during a sweep. Each case ends with the data consistent — the status index, the roll-ups and the
 * exceptions index equal a fresh evaluation of the stored records by the policy engine
 * (test/support/consistency.ts) — and no card, record or nudge lost or doubled.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '../bot/app';
import { systemClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import {
  type ConnectorFault,
  type ConnectorStandIn,
  startConnectorStandIn,
} from '../bot/dev/connector-standin';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { freePort, storagePorts } from '../bot/dev/ports';
import { syncDirectory } from '../bot/graph/directory-sync';
import { GraphUnavailableError } from '../bot/graph/errors';
import { GraphCalendar } from '../bot/graph/graph-calendar';
import { ConversationScheduler } from '../bot/graph/scheduling';
import { configureLogging } from '../bot/log';
import { outboxFaults } from '../bot/outbox/faults';
import { QueueOutbox } from '../bot/outbox/outbox';
import { openOutboxQueue } from '../bot/outbox/queue';
import { OutboxSender } from '../bot/outbox/sender';
import { Records } from '../bot/records/records';
import { TableReferenceStore } from '../bot/storage/reference-store';
import { createAdapter } from '../bot/teams/adapter';
import { BotNotifier } from '../bot/teams/notifier';
import { runRefresh } from '../bot/records/refresh';
import { type Tables, openTables } from '../bot/storage/tables';
import { createLogger } from '../bot/log';
import { formatIsoDate, parseIsoDate } from '../core/dates/day';
import { isWorkingDay } from '../core/dates/working-days';
import { policyCalendar } from '../core/policy/calendar';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ConsistencyOptions, checkConsistency } from './support/consistency';
import { startConnectorCapture } from './support/connector-capture';
import { buttonData, cardText } from './support/cards';
import {
  chatOf,
  filledForm,
  install,
  invoke,
  seedOrganisation,
  startServiceChild,
} from './support/fault-stack';
import { hookTables } from './support/table-hooks';
import { cardAction } from './support/activities';
import { type BotHarness, botHarness } from './support/bot-harness';
import { type GraphFixture, startGraphFixture } from './graph/fixture';

const policy = PROFESSIONAL_CONVERSATION;
const logLines: string[] = [];
const quiet = () => configureLogging('error', (line) => logLines.push(line));
const loud = () => configureLogging('info', (line) => process.stderr.write(line + '\n'));

/** Asserts the derived tables equal a fresh evaluation of the records, naming every difference. */
async function assertConsistent(tables: Tables, options: ConsistencyOptions): Promise<void> {
  const report = await checkConsistency(tables, options);
  assert.deepEqual(report.problems, [], 'the stored figures equal a fresh evaluation of the records');
  assert.ok(report.people > 0 && report.rollupRows > 0, 'the check saw people and roll-ups');
}

const texts = (value: unknown): string[] => JSON.stringify(value ?? null).match(/"text":"[^"]*"/g) ?? [];
const SAVED =
  /Saved\. You and the employee each have a copy|This conversation was already saved; here is the record/;
const TRY_AGAIN = /try again in a moment/i;

describe('faults: Azurite stopped and restarted mid-flow', function () {
  this.timeout(120_000);
  let dir: string;
  let azurite: RunningAzurite | undefined;
  let app: RunningApp | undefined;
  let capture: Awaited<ReturnType<typeof startConnectorCapture>>;

  before(async () => {
    quiet();
    dir = await mkdtemp(join(tmpdir(), 'pc-faults-'));
    capture = await startConnectorCapture();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await azurite?.stop();
    azurite = undefined;
  });
  after(async () => {
    await capture.close();
    await rm(dir, { recursive: true, force: true });
    loud();
  });

  /** Azurite with its data on disk (so a restart keeps it), a seeded organisation and the service. */
  async function stack(name: string, hook?: (name: string, n: number) => Promise<void>) {
    capture.replies.length = 0; // every case seeds the same organisation, so the same chats
    const ports = await storagePorts();
    const location = join(dir, name);
    azurite = await startAzurite({ ports, location });
    const config = readConfig({
      APP_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    const tables = await openTables(config.storage);
    const seeded = await seedOrganisation(tables);
    await install(tables, [seeded.manager, ...seeded.reports], capture.url);
    app = await startApp({
      config,
      tables: hook ? hookTables(tables, hook) : tables,
      policy,
      clock: systemClock,
      tabDir: '/none',
      sender: { idlePollMs: 100, visibilitySeconds: 2 },
    });
    const url = app.service.url;
    return {
      ...seeded,
      tables,
      url,
      stopStorage: async () => azurite!.stop(),
      startStorage: async () => {
        azurite = await startAzurite({ ports, location });
      },
    };
  }

  /** Messages the connector received in a person's chat. */
  const chat = (id: string) => capture.replies.filter((r) => r.conversationId === `a:chat-${id}`);

  /** Waits until `done()` holds (the outbox sends in the background), at most 15 s. */
  async function until(done: () => boolean): Promise<void> {
    for (const deadline = Date.now() + 15_000; !done() && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 100));
  }

  it('a record submitted while storage is down: the manager is told to try again on a card that keeps what was typed, and Try again after the restart saves it once', async () => {
    const s = await stack('down');
    const report = s.reports[0]!;
    const form = await invoke(s.url, capture.url, s.manager, 'log', { employeeId: report.id });
    const data = filledForm(buttonData(form.card, 'log.save'), s.today, report);
    const id = String(data.conversationId);

    await s.stopStorage();
    const down = await invoke(s.url, capture.url, s.manager, 'log.save', data);
    // The answer is still a card, in place of the form: the apology, and a Try again button that
    // carries what was typed (a 500 would show Teams' own error with the typed values gone).
    assert.equal(down.status, 200);
    assert.match(texts(down.card).join(' '), TRY_AGAIN);
    const retry = buttonData(down.card, 'log.save');
    for (const [key, value] of Object.entries(data))
      assert.deepEqual(retry[key], value, `Try again keeps ${key}`);

    await s.startStorage();
    const saved = await invoke(s.url, capture.url, s.manager, 'log.save', retry);
    assert.equal(saved.status, 200);
    assert.match(texts(saved.card).join(' '), SAVED);
    const again = await invoke(s.url, capture.url, s.manager, 'log.save', data);
    assert.equal(again.status, 200, 'a third press finds the record saved');
    await until(() => chat(report.id).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(chat(report.id).length, 1, "the employee's copy arrives once");
    await assertConsistent(s.tables, { policy, today: s.today, records: [{ employeeId: report.id, id }] });
  });

  it('storage stopped between the record write and its figures: after the restart the retry shows the record once and repairs its audit entry and figures', async () => {
    let armed = false;
    let stopping: Promise<void> | undefined;
    const s = await stack('mid', async (name) => {
      if (armed && name === 'conversations.createEntity') {
        armed = false;
        stopping = s.stopStorage();
        await stopping;
      }
    });
    const report = s.reports[1]!;
    const form = await invoke(s.url, capture.url, s.manager, 'log', { employeeId: report.id });
    const data = filledForm(buttonData(form.card, 'log.save'), s.today, report);
    const id = String(data.conversationId);
    armed = true;
    const down = await invoke(s.url, capture.url, s.manager, 'log.save', data);
    assert.equal(down.status, 200);
    assert.match(texts(down.card).join(' '), TRY_AGAIN);
    assert.ok(stopping, 'storage stopped right after the record was written');
    await s.startStorage();
    const half = await checkConsistency(s.tables, { policy, today: s.today });
    assert.ok(
      half.problems.length > 0,
      'the record is stored but its status row is dirty and figures behind',
    );

    const saved = await invoke(s.url, capture.url, s.manager, 'log.save', data);
    assert.equal(saved.status, 200);
    assert.match(texts(saved.card).join(' '), SAVED);
    await until(() => chat(report.id).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(chat(report.id).length, 1, "the employee's copy arrives once");
    // The retried submit finds the record and shows it, and finishes what the failed turn left: the
    // audit entry, the status row and the figures behind it, without waiting for the nightly refresh.
    await assertConsistent(s.tables, { policy, today: s.today, records: [{ employeeId: report.id, id }] });
    const stored = (await s.records.conversations.listForEmployee(report.id)).filter(
      (r) => r.value.id === id,
    );
    assert.equal(stored.length, 1, 'one record');
  });

  it('the tab API while storage is down answers with a JSON error, and 200 after the restart', async () => {
    const s = await stack('tab');
    const token = (await (
      await fetch(`${s.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: s.manager.id }),
      })
    ).json()) as { token: string };
    const team = () => fetch(`${s.url}/api/team`, { headers: { authorization: `Bearer ${token.token}` } });
    assert.equal((await team()).status, 200);
    await s.stopStorage();
    const down = await team();
    const body = (await down.json()) as { error?: string; message?: string };
    // Storage out of reach is the service unavailable for a while (503), not a fault of its own (500).
    assert.equal(down.status, 503);
    assert.equal(body.error, 'unavailable');
    assert.match(body.message ?? '', /Try again/);
    await s.startStorage();
    assert.equal((await team()).status, 200);
  });
});

describe('faults: the service killed during a card submit (SIGKILL at a named storage call)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let capture: Awaited<ReturnType<typeof startConnectorCapture>>;
  let made = 0;

  before(async () => {
    quiet();
    azurite = await startAzurite({ ports: await storagePorts() });
    capture = await startConnectorCapture();
  });
  after(async () => {
    await capture.close();
    await azurite.stop();
    loud();
  });

  // From a traced save: mark the row dirty, write the record, audit it, write the status row, then
  // the exceptions index and four roll-up partitions (test/support/service-child.ts TRACE=1).
  const points: [string, string][] = [
    ['after the record is written, before its audit entry and figures', 'conversations.createEntity#1'],
    ['after the status row, before the roll-ups', 'team.updateEntity#2'],
  ];
  for (const [when, killAt] of points) {
    it(`killed ${when}: the retried submit and the nightly refresh leave one record, consistent figures and one copy`, async () => {
      const prefix = `kill${process.pid}x${++made}`;
      capture.replies.length = 0; // every case seeds the same organisation, so the same chats
      const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
      const tables = await openTables(storage, prefix);
      const { manager, reports, today } = await seedOrganisation(tables);
      const report = reports[0]!;
      await install(tables, [manager, report], capture.url);
      const env = { STORAGE_CONNECTION_STRING: azurite.connectionString, PREFIX: prefix };
      const first = await startServiceChild({ ...env, PORT: String(await freePort()), KILL_AT: killAt });
      const form = await invoke(first.url, capture.url, manager, 'log', { employeeId: report.id });
      const data = filledForm(buttonData(form.card, 'log.save'), today, report);
      const id = String(data.conversationId);
      await assert.rejects(
        invoke(first.url, capture.url, manager, 'log.save', data),
        'the submit got no answer',
      );
      assert.equal((await first.exited).signal, 'SIGKILL');
      const half = await checkConsistency(tables, { policy, today });
      assert.ok(half.problems.length > 0, 'the kill left something to repair');

      const second = await startServiceChild({ ...env, PORT: String(await freePort()) });
      try {
        const saved = await invoke(second.url, capture.url, manager, 'log.save', data);
        assert.equal(saved.status, 200);
        assert.match(texts(saved.card).join(' '), SAVED);
        const copies = () => capture.replies.filter((r) => r.conversationId === chatOf(report)).length;
        for (const deadline = Date.now() + 15_000; copies() === 0 && Date.now() < deadline;)
          await new Promise((r) => setTimeout(r, 100));
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(copies(), 1, "the employee's copy arrives once");
      } finally {
        await second.stop();
      }
      if (killAt === 'conversations.createEntity#1') {
        // Nothing after the record was written: the retry itself finishes the audit entry and figures.
        await assertConsistent(tables, { policy, today, records: [{ employeeId: report.id, id }] });
      }
      // The nightly refresh (the repair path for a roll-up that missed its delta: the status row was
      // written, so no later save can see the difference).
      await runRefresh(new Records(tables, policy, systemClock, createLogger('test.refresh')), tables.jobs);
      // Killed before its audit entry, the record is audited as created by the retry that finds it.
      await assertConsistent(tables, { policy, today, records: [{ employeeId: report.id, id }] });
    });
  }
});

describe('faults: Graph throttling, unavailable and timing out', function () {
  this.timeout(60_000);
  const TODAY = '2026-03-27'; // a Friday: the next working days are free to book
  const org = generateDemoOrg({ asOf: TODAY, people: 60 });
  const manager = org.employees.find((e) => e.id === org.teamManagerIds[1])!;
  const employee = org.employees.find((e) => e.managerId === manager.id && e.leaveDate === undefined)!;
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let h: BotHarness;

  before(async () => {
    quiet();
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    await azurite.stop();
    loud();
  });
  beforeEach(async () => {
    graph = await startGraphFixture({ employees: org.employees, busySeed: 3 });
    h = await botHarness({ azurite, people: org.employees, today: TODAY, graph });
  });
  afterEach(() => graph.close());

  const as = { aadObjectId: manager.id, name: manager.name };
  /** The card an `Action.Execute` turn answered with. */
  async function press(verb: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const replies = await h.turn(cardAction({ verb, data: { ...data, verb } }, as));
    const response = replies.find((r) => r.type === 'invokeResponse')?.value as
      { status: number; body: { value: Record<string, unknown> } } | undefined;
    assert.equal(response?.status, 200, `the invoke answered ${JSON.stringify(replies).slice(0, 300)}`);
    return response.body.value;
  }
  const calls = (path: RegExp) => graph.standin.requests.filter((r) => path.test(r.path));
  const slotsOf = (card: Record<string, unknown>) =>
    ((card.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices ?? []) as {
      value: string;
    }[];

  it('getSchedule answered 429 with Retry-After: waited, retried, and the manager gets three times', async () => {
    graph.standin.fault({
      method: 'POST',
      path: /\/calendar\/getSchedule$/,
      kind: 'throttle',
      retryAfterSeconds: 1,
    });
    const card = await press('schedule', { employeeId: employee.id });
    assert.equal(slotsOf(card).length, 3);
    const asked = calls(/\/calendar\/getSchedule$/);
    assert.deepEqual(
      asked.map((c) => c.status),
      [429, 200],
    );
    assert.ok(asked[1]!.at - asked[0]!.at >= 1000, 'the retry waited for Retry-After');
  });

  it('getSchedule answering 503 past the retries: the manager is told the calendars cannot be reached, and offered Log', async () => {
    graph.standin.fault({
      method: 'POST',
      path: /\/calendar\/getSchedule$/,
      kind: 'unavailable',
      retryAfterSeconds: 0,
      times: 10,
    });
    const card = await press('schedule', { employeeId: employee.id });
    assert.match(cardText(card), /I cannot reach the calendars right now/);
    assert.equal(buttonData(card, 'log').employeeId, employee.id);
    // The first attempt and GRAPH_MAX_RETRIES (3) more.
    assert.equal(calls(/\/calendar\/getSchedule$/).length, 4);
    assert.deepEqual(await h.records.conversations.listForEmployee(employee.id), []);
  });

  it('a booking that timed out although Graph made the meeting: Try again answers Booked with that meeting, never a second', async () => {
    // A short deadline per Graph call, so a timeout takes half a second here (the service: 10 s).
    (h.deps as { scheduler?: ConversationScheduler }).scheduler = new ConversationScheduler({
      calendar: new GraphCalendar(graph.connection.client, {
        log: createLogger('test.calendar'),
        timeoutMs: 500,
      }),
      directory: h.records.directory,
      policy,
      clock: h.clock,
      workingDays: 5,
      log: createLogger('test.scheduling'),
    });
    const slots = await press('schedule', { employeeId: employee.id });
    const book = buttonData(slots, 'schedule.book');
    const slot = slotsOf(slots)[0]!.value;
    // Each create is answered after the client has given up (0.5 s); the work is done all the same.
    graph.standin.fault({ method: 'POST', path: /\/events$/, kind: 'slow', delayMs: 1_200, times: 3 });
    const failed = await press('schedule.book', { ...book, slot });
    assert.match(cardText(failed), /I cannot reach the calendars right now/);
    await new Promise((r) => setTimeout(r, 1_500)); // the slow creates land
    assert.equal(graph.standin.calendars.eventsOf(manager.id).length, 1, 'three creates, one meeting');
    const again = await press('schedule.book', buttonData(failed, 'schedule.book'));
    // The busy time exactly filling the slot is taken to be this booking's own meeting (its create
    // got no answer), and the create by the same transactionId returns it: booked, not "taken".
    assert.match(cardText(again), /Booked for/);
    const meetings = graph.standin.calendars.eventsOf(manager.id);
    assert.equal(meetings.length, 1, 'still one meeting');
    const records = await h.records.conversations.listForEmployee(employee.id);
    assert.equal(records.length, 1, 'one record');
    assert.equal(
      records[0]!.value.meeting?.eventId,
      meetings[0]!.id,
      'the record holds the meeting Graph made',
    );
    await assertConsistent(h.tables, { policy, today: TODAY });
  });

  it('two slots cards for the same pair: booking the same time from the second is refused, one meeting stays', async () => {
    const first = await press('schedule', { employeeId: employee.id });
    const second = await press('schedule', { employeeId: employee.id });
    const slot = slotsOf(first)[0]!.value;
    assert.equal(slotsOf(second)[0]!.value, slot, 'both cards offer the same time');
    assert.match(
      cardText(await press('schedule.book', { ...buttonData(first, 'schedule.book'), slot })),
      /Booked for/,
    );
    const refused = await press('schedule.book', { ...buttonData(second, 'schedule.book'), slot });
    assert.match(cardText(refused), /no longer free for both of you/);
    const live = graph.standin.calendars.eventsOf(manager.id).filter((e) => !e.isCancelled);
    assert.equal(live.length, 1, 'one meeting in the calendar');
    assert.equal((await h.records.conversations.listForEmployee(employee.id)).length, 1);
  });

  it('directory sync: 503 past the retries fails with a clear message and writes nothing; a page that never answers is read again', async () => {
    const sync = (timeoutMs?: number) =>
      syncDirectory({
        client: graph.connection.client,
        store: h.records.directory,
        today: TODAY,
        log: createLogger('test.sync'),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    const before = await checkConsistency(h.tables, { policy, today: TODAY });
    graph.standin.fault({
      method: 'GET',
      path: /\/users\/delta/,
      kind: 'unavailable',
      retryAfterSeconds: 0,
      times: 10,
    });
    const error = await sync().then(
      () => assert.fail('expected Graph to stay unavailable'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphUnavailableError, String(error));
    assert.match(error.userMessage, /busy or unavailable right now.*try again in a few minutes/);
    graph.standin.clearFaults();
    assert.deepEqual((await checkConsistency(h.tables, { policy, today: TODAY })).problems, before.problems);

    graph.standin.fault({ method: 'GET', path: /\/users\/delta/, kind: 'slow', delayMs: 2_000 });
    const started = Date.now();
    const result = await sync(400);
    assert.ok(Date.now() - started < 1_900, 'the unanswered page was given up on, not waited for');
    assert.ok(result.updated + result.unchanged + result.added > 0);
    await runRefresh(h.records, h.tables.jobs);
    await assertConsistent(h.tables, { policy, today: TODAY });
  });
});

describe('faults: the Bot Connector refusing a proactive card (through the outbox)', function () {
  // test/notifier.test.ts covers the notifier's own handling of each status (Retry-After waited,
  // backoff, give-up after maxRetries); this is the outbox's end state for all four.
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let connector: ConnectorStandIn;

  before(async () => {
    quiet();
    azurite = await startAzurite({ ports: await storagePorts() });
    connector = await startConnectorStandIn({ perSecond: 50 });
  });
  after(async () => {
    await connector.stop();
    await azurite.stop();
    loud();
  });

  const cases: [ConnectorFault, string, number, boolean][] = [
    [{ status: 429, retryAfter: 1 }, 'delivered', 1, true],
    [{ status: 412 }, 'delivered', 1, true],
    [{ status: 502 }, 'delivered', 1, true],
    [{ status: 403, code: 'BotNotInConversationRoster' }, 'not-reachable', 0, false],
  ];
  it('429, 412 and 502 are retried and delivered once; 403 (bot removed) is recorded not reachable, sent once, not retried', async () => {
    const prefix = `conn${process.pid}`;
    const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
    const tables = await openTables(storage, prefix);
    const references = new TableReferenceStore(tables.conversationRefs);
    const queue = await openOutboxQueue(storage, prefix);
    const outbox = new QueueOutbox(queue);
    const ids = cases.map((_, i) => `person-${i}`);
    for (const [i, id] of ids.entries()) {
      await references.saveOnInstall({
        key: id,
        scope: 'personal',
        conversationId: `a:conv-${id}`,
        serviceUrl: connector.url,
        channelId: 'msteams',
        botId: '28:bot',
        userId: `29:${id}`,
        installedAt: '2026-12-01T09:00:00.000Z',
      });
      connector.fail(`a:conv-${id}`, [cases[i]![0]]);
      await outbox.post({
        to: id,
        kind: 'reminder',
        day: '2026-12-01',
        ref: '',
        card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Card ${i}` }] },
      });
    }
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
      visibilitySeconds: 5,
    });
    await sender.drain();
    for (const [i, id] of ids.entries()) {
      const [fault, state, delivered, reachable] = cases[i]!;
      const row = await tables.outbox.getEntity<{ state: string }>(id, 'reminder|2026-12-01|');
      const label = 'status' in fault ? String(fault.status) : 'fault';
      assert.equal(row.state, state, `${label}: the delivery's state`);
      assert.equal(connector.deliveredTo(`a:conv-${id}`).length, delivered, `${label}: cards that arrived`);
      assert.equal((await references.get(id)) !== undefined, reachable, `${label}: the reference kept`);
    }
    const faults = await outboxFaults(tables);
    assert.deepEqual(
      faults.unreachable.map((u) => u.id),
      [ids[3]],
    );
    assert.equal(faults.dead.length, 0);
    assert.equal(await queue.approximateCount(), 0, 'nothing left to retry');
    await sender.drain();
    assert.equal(
      connector.counts().requests,
      cases.length * 2 - 1,
      'one refusal each, one retry each but the 403',
    );
  });
});

describe('faults: the service killed during the nudge sweep (SIGKILL at a named storage call)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let capture: Awaited<ReturnType<typeof startConnectorCapture>>;
  let made = 0;

  before(async () => {
    quiet();
    azurite = await startAzurite({ ports: await storagePorts() });
    capture = await startConnectorCapture();
  });
  after(async () => {
    await capture.close();
    await azurite.stop();
    loud();
  });

  const ESCALATION_STAGES = new Set(
    policy.nudges.stages.filter((x) => x.kind === 'escalation').map((x) => x.id),
  );

  /** The first working day from today: the sweep sends nothing on other days. */
  function sweepDay(today: string): string {
    let day = parseIsoDate(today);
    while (!isWorkingDay(policyCalendar(policy), day)) day++;
    return formatIsoDate(day);
  }

  const points: [string, string][] = [
    ['with every card posted and no ledger row yet marked posted', 'before:nudgeLedger.updateEntity#1'],
    ['with every card posted and the escalations not yet audited', 'before:audit.createEntity#1'],
  ];
  for (const [when, killAt] of points) {
    it(`killed ${when}: the next run finishes it, every nudge delivered once`, async () => {
      const prefix = `sweep${process.pid}x${++made}`;
      capture.replies.length = 0;
      const storage = { kind: 'connectionString', connectionString: azurite.connectionString } as const;
      const tables = await openTables(storage, prefix);
      const { org, today } = await seedOrganisation(tables);
      await install(tables, org.employees, capture.url);
      const day = sweepDay(today);
      const env = { STORAGE_CONNECTION_STRING: azurite.connectionString, PREFIX: prefix };
      const sweep = (url: string) => fetch(`${url}/api/dev/sweep?day=${day}`, { method: 'POST' });
      const first = await startServiceChild({ ...env, PORT: String(await freePort()), KILL_AT: killAt });
      await assert.rejects(sweep(first.url), 'the sweep got no answer');
      assert.equal((await first.exited).signal, 'SIGKILL');

      const second = await startServiceChild({ ...env, PORT: String(await freePort()) });
      try {
        // The killed run's blob lease lapses after 30 s (bot/jobs/lease.ts); until then the sweep is busy.
        for (const deadline = Date.now() + 45_000; ;) {
          const answer = await (await sweep(second.url)).text();
          if (!/running already/.test(answer)) break;
          assert.ok(Date.now() < deadline, 'the lease lapsed');
          await new Promise((r) => setTimeout(r, 1_000));
        }
        // The outbox delivers in the background: wait until every delivery row is final.
        const deliveries = async () => {
          const rows: { partitionKey: string; state: string }[] = [];
          for await (const r of tables.outbox.listEntities<{ state: string }>())
            if (String(r.rowKey).startsWith(`reminder|${day}|`))
              rows.push({ partitionKey: String(r.partitionKey), state: r.state });
          return rows;
        };
        const FINAL = new Set(['delivered', 'unconfirmed', 'not-reachable', 'dead']);
        let rows = await deliveries();
        for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
          if (rows.length > 0 && rows.every((r) => FINAL.has(r.state))) break;
          await new Promise((r) => setTimeout(r, 200));
          rows = await deliveries();
        }
        assert.ok(rows.length > 0, 'the sweep had reminders to send');
        assert.deepEqual(
          rows.filter((r) => !FINAL.has(r.state)),
          [],
          'every delivery finished',
        );
        // Every nudge planned is posted, and each of its recipients has a delivery.
        const recipients = new Set(rows.map((r) => r.partitionKey));
        let ledgerRows = 0;
        for await (const n of tables.nudgeLedger.listEntities<{
          state: string;
          day: string;
          recipients: string;
        }>()) {
          if (n.day !== day || String(n.rowKey).startsWith('snooze|')) continue;
          ledgerRows++;
          assert.equal(n.state, 'posted', `${n.partitionKey} ${n.rowKey}`);
          for (const to of n.recipients.split(',').filter(Boolean))
            assert.ok(recipients.has(to), `${to} has a delivery for ${n.rowKey}`);
        }
        assert.ok(ledgerRows > 0);
        // Each escalation stage posted today is in the audit log once: none lost to the kill, none
        // written twice by the rerun.
        const escalated = new Map<string, number>();
        for await (const e of tables.audit.listEntities<{ action: string; reason: string; at: string }>()) {
          if (e.action !== 'nudge.escalated') continue;
          const key = `${e.partitionKey} ${e.reason.split(' to ')[0]}`;
          escalated.set(key, (escalated.get(key) ?? 0) + 1);
        }
        let escalations = 0;
        for await (const n of tables.nudgeLedger.listEntities<{ day: string }>()) {
          const [, due, stage] = String(n.rowKey).split('|');
          if (n.day !== day || !ESCALATION_STAGES.has(stage ?? '')) continue;
          escalations++;
          assert.equal(
            escalated.get(`${n.partitionKey} ${stage} (due ${due})`),
            1,
            `${n.partitionKey} ${n.rowKey} audited once`,
          );
        }
        assert.equal(
          [...escalated.values()].reduce((a, b) => a + b, 0),
          escalations,
          'no other escalation entries',
        );
        assert.ok(escalations > 0, 'the sweep had escalations');
        // Exactly once: one card per delivered recipient, none for one recorded unconfirmed twice over.
        for (const r of rows) {
          const got = capture.replies.filter((c) => c.conversationId === `a:chat-${r.partitionKey}`).length;
          if (r.state === 'delivered') assert.equal(got, 1, `${r.partitionKey} got their reminder once`);
          else assert.ok(got <= 1, `${r.partitionKey} (${r.state}) got ${got}`);
        }
        const third = await (await sweep(second.url)).text();
        assert.doesNotMatch(third, /reminder:/, 'a day already swept posts nothing more');
      } finally {
        await second.stop();
      }
      await assertConsistent(tables, { policy, today });
    });
  }
});

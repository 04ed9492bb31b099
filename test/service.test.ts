/**
 * The service over real HTTP: Azurite in memory and the service on free ports, a Bot Framework
 * activity POSTed to /api/messages, and the bot's reply captured at the activity's serviceUrl.
 */
import { strict as assert } from 'node:assert';
import { type Config, readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { type RunningApp, startApp } from '../bot/app';
import { systemClock } from '../bot/clock';
import { type RunningService } from '../bot/service';
import { TableReferenceStore } from '../bot/storage/reference-store';
import { type Tables, openTables } from '../bot/storage/tables';
import { configureLogging } from '../bot/log';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { cardOf, cardProblems, cardText } from './support/cards';
import { startConnectorCapture } from './support/connector-capture';

const USER = '5c6d7e8f-1111-4222-8333-444455556666';
const TAB_DIR = new URL('./fixtures/tab', import.meta.url).pathname;

function activity(serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    id: `act-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    from: { id: `29:${USER}`, name: 'Test User', aadObjectId: USER },
    recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: 'a:personal-chat-1', conversationType: 'personal', tenantId: 'tenant-1' },
    ...fields,
  };
}

describe('service over HTTP (Azurite in memory)', function () {
  this.timeout(30_000);
  let azurite: RunningAzurite;
  let tables: Tables;
  let open: RunningService;
  let secured: RunningService;
  let openApp: RunningApp | undefined;
  let securedApp: RunningApp | undefined;
  let capture: Awaited<ReturnType<typeof startConnectorCapture>>;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    const storage = { STORAGE_CONNECTION_STRING: azurite.connectionString };
    const devConfig = readConfig({ APP_ENV: 'development', PORT: String(await freePort()), ...storage });
    tables = await openTables(devConfig.storage);
    // Each service has its own outbox queue: the production one's bot identity cannot get a token
    // offline, so it must not take the development one's messages.
    const app = (config: Config) =>
      startApp({
        config,
        tables,
        policy: PROFESSIONAL_CONVERSATION,
        clock: systemClock,
        tabDir: TAB_DIR,
        storagePrefix: config.appEnv,
      });
    openApp = await app(devConfig);
    open = openApp.service;
    const prodConfig = readConfig({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      MICROSOFT_APP_ID: '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      MICROSOFT_APP_TENANT_ID: '11111111-2222-4333-8444-555555555555',
      ...storage,
    });
    securedApp = await app(prodConfig);
    secured = securedApp.service;
    capture = await startConnectorCapture();
  });

  after(async () => {
    await Promise.all([openApp?.stop(), securedApp?.stop(), capture?.close()]);
    await azurite?.stop();
  });

  it('answers help: the reply is posted to the serviceUrl with the help card', async () => {
    const response = await fetch(`${open.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity(capture.url, { type: 'message', text: 'help' })),
    });
    assert.equal(response.status, 200);
    const reply = await capture.reply(1);
    assert.equal(reply.conversationId, 'a:personal-chat-1');
    const card = cardOf(reply.activity);
    assert.match(cardText(card), /What I can do/);
    assert.deepEqual(cardProblems(card), []);
    assert.equal(reply.authorization, undefined, 'no app id, so no token is sent to the connector');
  });

  it('stores the conversation reference in Azure Tables on install and greets', async () => {
    const before = capture.replies.length;
    const response = await fetch(`${open.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        activity(capture.url, { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }),
      ),
    });
    assert.equal(response.status, 200);
    const reply = await capture.reply(before + 1);
    assert.match(cardText(cardOf(reply.activity)), /welcome to Professional Conversations/);
    const stored = await new TableReferenceStore(tables.conversationRefs).get(USER);
    assert.equal(stored?.conversationId, 'a:personal-chat-1');
    assert.equal(stored?.serviceUrl, capture.url);
  });

  it("sends the employee's copy of a saved record to their own chat, over the Bot Connector", async () => {
    const manager = '5c6d7e8f-1111-4222-8333-0000000000aa';
    const employee = '5c6d7e8f-1111-4222-8333-0000000000bb';
    const person = (id: string, name: string, managerId?: string) => ({
      id,
      name,
      email: `${id}@council.example`,
      positionNumber: 'P1',
      managerId,
      department: 'Adult Services',
      staffGroup: 'Local Government Services',
      startDate: '2020-01-06',
    });
    await openApp!.records.directory.upsertMany([
      person(manager, 'Mia Manager'),
      person(employee, 'Eli Employee', manager),
    ]);
    const as = (id: string, name: string, fields: Record<string, unknown>) =>
      fetch(`${open.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...activity(capture.url, fields),
          from: { id: `29:${id}`, name, aadObjectId: id },
          conversation: { id: `a:chat-${id}`, conversationType: 'personal', tenantId: 'tenant-1' },
        }),
      });
    // The employee installs the app: their reference is stored and they are greeted.
    const before = capture.replies.length;
    await as(employee, 'Eli Employee', { type: 'installationUpdate', action: 'add' });
    await capture.reply(before + 1);
    const invoke = async (verb: string, data: Record<string, unknown>) => {
      const response = await as(manager, 'Mia Manager', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } } },
      });
      assert.equal(response.status, 200);
      return ((await response.json()) as { value: Record<string, unknown> }).value;
    };
    const form = await invoke('log', { employeeId: employee });
    const save = (form.actions as { verb?: string; data: Record<string, unknown> }[]).find(
      (a) => a.verb === 'log.save',
    )!;
    const data: Record<string, unknown> = {
      ...save.data,
      date: '2026-11-02',
      minutes: '30',
      positionNumber: 'P1',
    };
    for (const area of PROFESSIONAL_CONVERSATION.conversationTypes[0]!.areas)
      data[`area.${area.id}.notes`] = 'Discussed.';
    const saved = await invoke('log.save', data);
    assert.match(cardText(saved), /You and the employee each have a copy/);
    const copy = await capture.reply(before + 2);
    assert.equal(copy.conversationId, `a:chat-${employee}`);
    assert.match(cardText(cardOf(copy.activity)), /Mia Manager recorded your conversation/);
    assert.deepEqual(cardProblems(cardOf(copy.activity)), []);
  });

  it('answers an invoke synchronously in the HTTP response', async () => {
    const response = await fetch(`${open.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity(capture.url, { type: 'invoke', name: 'adaptiveCard/action', value: {} })),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { value: { code: string } };
    assert.equal(body.value.code, 'BadRequest');
  });

  it('refuses unsigned and forged requests with 401 when an app id is configured', async () => {
    const before = capture.replies.length;
    for (const authorization of [undefined, 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.']) {
      const response = await fetch(`${secured.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(activity(capture.url, { type: 'message', text: 'help' })),
      });
      assert.equal(response.status, 401, `authorization=${authorization ?? 'none'}`);
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(capture.replies.length, before, 'the bot did not act on an unauthenticated request');
  });

  it('answers a body that is not JSON, or too large, with a short JSON error and no stack', async () => {
    for (const [body, status, error] of [
      ['{"type": "message", ', 400, 'bad_request'],
      [JSON.stringify({ type: 'message', text: 'x'.repeat(2 * 1024 * 1024) }), 413, 'too_large'],
    ] as const) {
      const response = await fetch(`${open.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(response.status, status);
      const text = await response.text();
      assert.deepEqual(JSON.parse(text), { error });
      assert.doesNotMatch(text, /at |node_modules|SyntaxError/);
    }
  });

  it('reports liveness, readiness (storage answers) and its version', async () => {
    const live = await fetch(`${open.url}/healthz`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: 'ok' });
    const ready = await fetch(`${open.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', storage: 'ok' });
    const version = (await (await fetch(`${open.url}/version`)).json()) as { name: string; commit: string };
    assert.deepEqual([version.name, version.commit], ['professional-conversations', 'source']);
  });

  it('serves the tab files, framed only by Microsoft 365 hosts, and 404s JSON elsewhere', async () => {
    const page = await fetch(`${open.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Professional Conversations<\/title>/);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    assert.match(csp, /default-src 'self'; script-src 'self';.*object-src 'none'/);
    assert.equal(page.headers.get('strict-transport-security'), null, 'no HSTS on the plain-HTTP dev stack');
    // Static files keep their validators (express.static); API answers, never cached, carry none.
    assert.ok(page.headers.get('etag'));
    assert.equal((await fetch(`${open.url}/api/me`)).headers.get('etag'), null);
    const missing = await fetch(`${open.url}/nowhere`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'not_found' });
  });
});

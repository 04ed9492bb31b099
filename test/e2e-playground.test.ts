/**
 * End to end through Microsoft's local Teams client: Azurite with the demo organisation, the
 * service, and the Microsoft 365 Agents Playground signed in as a demo manager. Messages go in
 * through the Playground's HTTP API; the bot's cards come back on its WebSocket stream.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { type PlaygroundEvent, type PlaygroundHandle, startPlayground } from '../bot/dev/playground';
import { PLAYGROUND_OTHER_USERS, playgroundConfigYaml } from '../bot/dev/playground-config';
import { freePort, storagePorts } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { fixedClock } from '../bot/clock';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { type RunningApp, startApp } from '../bot/app';
import { type RunningService } from '../bot/service';
import { openTables } from '../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { cardProblems, cardText } from './support/cards';

const cardIn = (event: PlaygroundEvent): unknown =>
  event.action === 'createMessage' || event.action === 'updateMessage'
    ? event.message.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        ?.content
    : undefined;
const withCard = (pattern: RegExp) => (event: PlaygroundEvent) => {
  const card = cardIn(event);
  return card !== undefined && pattern.test(cardText(card));
};

describe('end to end through the Agents Playground', function () {
  this.timeout(60_000);
  const org = generateDemoOrg({ asOf: '2026-11-23' });
  const manager = org.employees.find((e) => e.id === org.teamManagerIds[0])!;
  const reports = org.employees.filter((e) => e.managerId === manager.id && e.leaveDate === undefined);
  let azurite: RunningAzurite;
  let service: RunningService;
  let app: RunningApp | undefined;
  let playground: PlaygroundHandle;
  let workDir: string;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
    });
    const tables = await openTables(config.storage);
    await seedDemoOrg(
      new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock('2026-11-23'), createLogger('seed')),
      tables,
      org,
    );
    app = await startApp({
      config,
      tables,
      policy: PROFESSIONAL_CONVERSATION,
      clock: fixedClock('2026-11-23'),
      tabDir: '/nonexistent',
    });
    service = app.service;
    workDir = await mkdtemp(join(tmpdir(), 'pc-playground-'));
    playground = await startPlayground({
      botEndpoint: `${service.url}/api/messages`,
      port: 0,
      workDir,
      configYaml: playgroundConfigYaml({
        tenantId: '00000000-0000-4000-8000-00000000d0e0',
        currentUser: { id: manager.id, name: manager.name, email: manager.email },
        otherUsers: reports
          .slice(0, PLAYGROUND_OTHER_USERS)
          .map((r) => ({ id: r.id, name: r.name, email: r.email })),
      }),
    });
  });

  after(async () => {
    await playground?.stop();
    await app?.stop();
    await azurite?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('listens on loopback only (the README promises the local stack is reachable from this machine alone)', async () => {
    // Every listening socket on the Playground's port, from the kernel's own tables.
    const local: string[] = [];
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const rows = (await readFile(file, 'utf8').catch(() => '')).trim().split('\n').slice(1);
      for (const row of rows) {
        const [, address = '', , state] = row.trim().split(/\s+/);
        const [host = '', port = ''] = address.split(':');
        if (state === '0A' && parseInt(port, 16) === playground.port) local.push(host);
      }
    }
    assert.ok(local.length > 0, `nothing listens on ${playground.port}`);
    // 0100007F is 127.0.0.1 as the kernel writes it; 00000000 (or :: in tcp6) would be every interface.
    assert.deepEqual([...new Set(local)], ['0100007F']);
  });

  it('greets the signed-in demo manager on install with their real team', async () => {
    await playground.install();
    const greeting = await playground.nextActivity(withCard(/welcome to Professional Conversations/));
    const text = cardText(cardIn(greeting));
    assert.match(text, new RegExp(`Hello ${manager.name.split(' ')[0]!}`));
    assert.match(text, new RegExp(`You manage ${reports.length} people directly`));
    assert.deepEqual(cardProblems(cardIn(greeting)), []);
  });

  it('answers "help" typed in the Playground with the help card on its stream', async () => {
    await playground.sendText('help');
    const reply = await playground.nextActivity(withCard(/What I can do/));
    const card = cardIn(reply);
    assert.match(cardText(card), /Help\nShow this list of commands/);
    assert.deepEqual(cardProblems(card), []);
  });

  it('turns unknown text into help with a suggestion, and the suggestion button works (Action.Execute)', async () => {
    await playground.sendText('hepl');
    const reply = await playground.nextActivity(withCard(/did not understand “hepl”/));
    assert.equal(reply.action, 'createMessage');
    const result = await playground.invoke({
      replyToId: reply.action === 'createMessage' ? reply.message.messageId : '',
      verb: 'menu',
      data: { verb: 'menu' },
    });
    assert.equal(result.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(result.value), /You manage \d+ people directly/);
  });

  it('routes an Action.Submit fallback through the Playground to the same verb', async () => {
    await playground.sendText('menu');
    const menu = await playground.nextActivity(withCard(/welcome to Professional Conversations/));
    await playground.submit({
      replyToId: menu.action === 'createMessage' ? menu.message.messageId : '',
      data: { verb: 'help' },
    });
    await playground.nextActivity(withCard(/What I can do/));
  });
});

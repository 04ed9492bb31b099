/**
 * The Agents Playground driver against a real Playground process and a throwaway CloudAdapter bot
 * (empty app id): messages, Adaptive Cards over the WebSocket stream, Action.Execute, Action.Submit,
 * installation and a proactive send.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PlaygroundUser, playgroundConfigYaml } from '../bot/dev/playground-config';
import { ECHO_CARD_VERB, type EchoBot, startEchoBot } from './support/echo-bot';
import { type PlaygroundEvent, type PlaygroundHandle, startPlayground } from '../bot/dev/playground';

const manager: PlaygroundUser = {
  id: '6f0b1a52-1c7e-4d1e-9a57-0d7c9f3e2a01',
  name: 'Priya "PJ" Shah',
  email: 'priya.shah@example.com',
};
const reports: PlaygroundUser[] = [1, 2, 3, 4, 5, 6].map((n) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  name: `Report ${n}: O'Neil #${n}`,
  email: `report${n}@example.com`,
}));

const isBotMessage = (event: PlaygroundEvent) => event.action === 'createMessage';
const textIs = (text: string) => (event: PlaygroundEvent) =>
  event.action === 'createMessage' && event.message.text === text;

describe('Agents Playground driver', function () {
  this.timeout(60_000);
  let bot: EchoBot;
  let playground: PlaygroundHandle;
  let workDir: string;

  before(async () => {
    bot = await startEchoBot();
    workDir = await mkdtemp(join(tmpdir(), 'playground-test-'));
    playground = await startPlayground({
      botEndpoint: bot.endpoint,
      port: 0,
      workDir,
      configYaml: playgroundConfigYaml({
        tenantId: 'tenant-test',
        currentUser: manager,
        otherUsers: reports,
      }),
    });
  });

  after(async () => {
    await playground?.stop();
    await bot?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('signs in the configured user and gives the bot a loopback serviceUrl', () => {
    assert.equal(playground.currentUserId, `29:${manager.id}`);
    assert.match(playground.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(playground.serviceUrl, `http://localhost:${playground.port}/_connector`);
  });

  it('delivers installation as installationUpdate and conversationUpdate', async () => {
    await playground.install();
    // The echo bot ignores both, so nothing arrives; the calls only have to be accepted.
    await playground.sendText('after install');
    const reply = await playground.nextActivity(textIs('echo: after install'), 10_000);
    assert.equal(reply.action, 'createMessage');
    assert.deepEqual([...bot.serviceUrls], [playground.serviceUrl]);
  });

  it('sends "ping" and receives the Adaptive Card over the WebSocket', async () => {
    await playground.sendText('ping');
    const event = await playground.nextActivity(
      (e) => isBotMessage(e) && e.action !== 'typing' && e.message.attachments.length > 0,
      10_000,
    );
    assert.ok(event.action === 'createMessage');
    const [attachment] = event.message.attachments;
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    const card = attachment?.content as {
      body: { text: string }[];
      actions: { type: string; verb?: string }[];
    };
    assert.equal(card.body[0]?.text, 'Pong from the echo bot');
    assert.deepEqual(
      card.actions.map((a) => a.type),
      ['Action.Execute', 'Action.Submit'],
    );

    const result = await playground.invoke({
      replyToId: event.message.messageId,
      verb: ECHO_CARD_VERB,
      data: { step: 1, comment: 'ok' },
    });
    assert.equal(result.type, 'application/vnd.microsoft.card.adaptive');
    const updated = result.value as { body: { text: string }[] };
    assert.match(updated.body[0]?.text ?? '', /"verb":"echo\.confirm".*"comment":"ok"/);

    await playground.submit({
      replyToId: event.message.messageId,
      data: { kind: 'echo.submit', note: 'hi' },
    });
    await playground.nextActivity(textIs('submitted {"kind":"echo.submit","note":"hi"}'), 10_000);
  });

  it('shows a proactive message sent with continueConversationAsync and an empty app id', async () => {
    await playground.sendText('later');
    const event = await playground.nextActivity(textIs('proactive hello'), 10_000);
    assert.equal(event.conversationId, playground.personalChatId);
  });

  it('times out clearly when nothing matches', async () => {
    await assert.rejects(
      playground.nextActivity(textIs('never'), 200),
      /No matching Playground activity within 200 ms/,
    );
  });
});

describe('Agents Playground start-up errors', function () {
  this.timeout(60_000);

  it('fails fast with the log tail when the config is invalid', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'playground-bad-'));
    try {
      const bad = playgroundConfigYaml({ tenantId: 't', currentUser: manager, otherUsers: reports }).replace(
        /^version: .*$/m,
        'version: "9.9.9"',
      );
      await assert.rejects(
        startPlayground({
          botEndpoint: 'http://127.0.0.1:9/api/messages',
          port: 0,
          workDir,
          configYaml: bad,
        }),
        /exited with code 1[\s\S]*YAML path "\/version"/,
      );
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('refuses fewer than five other users', () => {
    assert.throws(
      () => playgroundConfigYaml({ tenantId: 't', currentUser: manager, otherUsers: reports.slice(0, 4) }),
      /exactly 5 other users.*got 4/,
    );
  });
});

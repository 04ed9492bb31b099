/**
 * The Bot Connector stand-in over real HTTP with raw requests: activity creates and replies are
 * answered 201 with an id and recorded under the decoded conversation id; the app's and each
 * conversation's sliding windows answer 429 with Retry-After and deliver nothing; queued faults
 * are answered in order, hangs and resets counting as delivered.
 */
import { strict as assert } from 'node:assert';
import { type ConnectorStandIn, startConnectorStandIn } from '../bot/dev/connector-standin';

const CONVERSATION = 'a:1Xy@thread.v2;messageid=17';

describe('Bot Connector stand-in', () => {
  let standin: ConnectorStandIn;

  const post = (
    conversationId: string,
    body: object = { type: 'message', text: 'hello' },
    replyTo?: string,
  ) =>
    fetch(
      `${standin.url}v3/conversations/${encodeURIComponent(conversationId)}/activities` +
        (replyTo ? `/${encodeURIComponent(replyTo)}` : ''),
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );

  beforeEach(async () => {
    standin = await startConnectorStandIn({ perSecond: 10 });
  });
  afterEach(async () => {
    await standin.stop();
  });

  it('answers a create and a reply with 201 and an id, recorded under the decoded conversation id', async () => {
    const created = await post(CONVERSATION, { type: 'message', text: 'one' });
    const replied = await post(CONVERSATION, { type: 'message', text: 'two' }, 'f00-ba7');
    assert.equal(created.status, 201);
    assert.equal(replied.status, 201);
    const ids = [
      ((await created.json()) as { id: string }).id,
      ((await replied.json()) as { id: string }).id,
    ];
    assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0));
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual(
      standin.deliveredTo(CONVERSATION).map((d) => d.activity.text),
      ['one', 'two'],
    );
    assert.equal(standin.counts().delivered, 2);
    assert.equal((await fetch(`${standin.url}v3/conversations`, { method: 'POST' })).status, 404);
  });

  it("answers 429 with Retry-After over the app's rate per sliding second, and delivers nothing over it", async () => {
    const answers = await Promise.all(Array.from({ length: 14 }, (_, i) => post(`conversation-${i}`)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 4);
    const refused = answers.find((a) => a.status === 429)!;
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'Throttled');
    assert.equal(standin.deliveries.length, 10);
    assert.equal(standin.overLimit.app, 4);
    assert.equal(standin.counts().overLimitConversation, 0);
  });

  it('answers 429 over a conversation\u2019s windows (7 per second, 8 per 2 s) and counts them', async () => {
    standin.reset();
    const first = [];
    for (let i = 0; i < 8; i++) first.push((await post(CONVERSATION)).status);
    assert.deepEqual(first, [201, 201, 201, 201, 201, 201, 201, 429]);
    assert.equal(standin.overLimit.conversations.get(CONVERSATION), 1);
    // Another conversation is not affected.
    assert.equal((await post('someone-else')).status, 201);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    // After a second the 1 s window admits again, but only one more fits the 2 s window (8).
    const second = [(await post(CONVERSATION)).status, (await post(CONVERSATION)).status];
    assert.deepEqual(second, [201, 429]);
    const refused = await post(CONVERSATION);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.equal(standin.deliveredTo(CONVERSATION).length, 8);
    assert.equal(standin.counts().overLimitConversation, 3);
  });

  it('answers queued faults in order with Bot Framework error bodies, and delivers none of them', async () => {
    standin.fail(CONVERSATION, [
      { status: 429, retryAfter: 2 },
      { status: 502 },
      { status: 403, code: 'BotNotInConversationRoster' },
      { status: 412 },
    ]);
    const throttled = await post(CONVERSATION);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '2');
    assert.equal((await post(CONVERSATION)).status, 502);
    const roster = await post(CONVERSATION);
    assert.equal(roster.status, 403);
    assert.deepEqual(
      ((await roster.json()) as { error: { code: string } }).error.code,
      'BotNotInConversationRoster',
    );
    assert.equal((await post(CONVERSATION)).status, 412);
    assert.equal((await post(CONVERSATION)).status, 201);
    assert.equal(standin.deliveredTo(CONVERSATION).length, 1);
    assert.equal(standin.counts().faulted, 4);
  });

  it('counts a hung request and a reset connection as delivered', async () => {
    standin.fail(CONVERSATION, [{ hang: 300 }, { reset: true }]);
    const started = Date.now();
    const hung = post(CONVERSATION, { type: 'message', text: 'slow' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(standin.deliveredTo(CONVERSATION).length, 1, 'recorded when it arrived');
    assert.equal((await hung).status, 201);
    assert.ok(Date.now() - started >= 280);
    await assert.rejects(post(CONVERSATION, { type: 'message', text: 'dropped' }));
    assert.deepEqual(
      standin.deliveredTo(CONVERSATION).map((d) => d.activity.text),
      ['slow', 'dropped'],
    );
  });

  it('stops while a request hangs', async () => {
    standin.fail(CONVERSATION, [{ hang: 60_000 }]);
    const hung = post(CONVERSATION).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await standin.stop();
    assert.ok((await hung) instanceof Error);
    standin = await startConnectorStandIn();
  });
});

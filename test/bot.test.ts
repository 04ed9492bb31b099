/**
 * The bot's conversations through botbuilder's TestAdapter: real activities in, real cards out,
 * asserted on their content (STYLE.md rule 9).
 */
import { strict as assert } from 'node:assert';
import { type Activity, type TestAdapter } from 'botbuilder';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { type BotHarness, botHarness } from './support/bot-harness';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type Employee } from '../core/model';
import { botAdded, cardAction, installationUpdate, message, submit } from './support/activities';
import { buttonData, cardOf, cardProblems, cardText } from './support/cards';

const person = (id: string, name: string, managerId?: string, extra: Partial<Employee> = {}): Employee => ({
  id,
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@council.example`,
  positionNumber: '100001',
  managerId,
  department: 'Adult Services',
  staffGroup: 'Local Government Services',
  startDate: '2020-01-06',
  ...extra,
});

const MANAGER = '0b8a3c2e-1111-4111-8111-000000000001';
const REPORT = '0b8a3c2e-2222-4222-8222-000000000002';
const people = [
  person(MANAGER, 'Grace Hughes'),
  person(REPORT, 'Owen Price', MANAGER),
  person('0b8a3c2e-3333-4333-8333-000000000003', 'Leah Singh', MANAGER),
  person('0b8a3c2e-4444-4444-8444-000000000004', 'Gone Away', MANAGER, { leaveDate: '2026-01-31' }),
];

interface Harness {
  adapter: TestAdapter;
  references: BotHarness['deps']['references'];
  logs: string[];
  sent: Partial<Activity>[];
  turn: BotHarness['turn'];
}

let azurite: RunningAzurite | undefined;

async function harness(failing?: (h: BotHarness) => void): Promise<Harness> {
  const logs: string[] = [];
  configureLogging('debug', (line) => logs.push(line));
  const h = await botHarness({ azurite: azurite!, people, today: '2026-11-23' });
  failing?.(h);
  return { adapter: h.adapter, references: h.deps.references, logs, sent: h.sent, turn: (a) => h.turn(a) };
}

/** Every card the bot sent in a test parses with no errors or warnings and is under 40 KB. */
function assertSentCardsValid(sent: readonly Partial<Activity>[]): void {
  const cards = sent.flatMap((a) =>
    a.type === 'invokeResponse'
      ? [((a.value as { body?: { value?: unknown } }).body?.value ?? null) as unknown].filter(
          (v) => (v as { type?: string } | null)?.type === 'AdaptiveCard',
        )
      : (a.attachments ?? []).map((x) => x.content as unknown),
  );
  for (const card of cards) assert.deepEqual(cardProblems(card), []);
}

describe('bot conversations (TestAdapter)', () => {
  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    configureLogging('info', (line) => process.stderr.write(line + '\n'));
    await azurite?.stop();
  });

  it('greets a manager on install with their team size and the five key areas, once, and stores the reference', async () => {
    const h = await harness();
    await h.adapter
      .send(botAdded({ aadObjectId: MANAGER, name: 'Grace Hughes' }))
      .assertReply((reply) => {
        const text = cardText(cardOf(reply));
        assert.match(text, /Hello Grace, welcome to Professional Conversations/);
        assert.match(text, /You manage 2 people directly/); // the leaver is not counted
        for (const area of PROFESSIONAL_CONVERSATION.conversationTypes[0]!.areas) {
          assert.ok(text.includes(area.title), `missing area ${area.title}`);
        }
      })
      .send(installationUpdate('add', { aadObjectId: MANAGER }))
      .assertNoReply('the second install event of the same installation does not greet again', 300)
      .startTest();
    const stored = await h.references.get(MANAGER);
    assert.equal(stored?.scope, 'personal');
    assert.equal(stored?.tenantId, '11111111-2222-4333-8444-555555555555');
    assert.ok(stored?.serviceUrl);
    assertSentCardsValid(h.sent);
  });

  it('greets an employee with their manager, and someone unknown with what to do', async () => {
    const h = await harness();
    await h.adapter
      .send(botAdded({ aadObjectId: REPORT }))
      .assertReply((reply) => assert.match(cardText(cardOf(reply)), /Your manager is Grace Hughes/))
      .startTest();
    await (
      await harness()
    ).adapter
      .send(botAdded({ aadObjectId: '9e9e9e9e-0000-4000-8000-000000000000', name: 'New Starter' }))
      .assertReply((reply) => {
        const text = cardText(cardOf(reply));
        assert.match(text, /Hello New, welcome/);
        assert.match(text, /could not find you in the organisation directory/);
      })
      .startTest();
    assertSentCardsValid(h.sent);
  });

  it("greets a team channel or group chat without anyone's role, manager or team, and stores the reference", async () => {
    for (const conversationType of ['channel', 'groupChat']) {
      const h = await harness();
      const conversation = {
        id: `19:${conversationType}-install@thread.tacv2`,
        conversationType,
        isGroup: true,
        name: 'Team',
      };
      const replies = await h.turn({
        ...botAdded({ aadObjectId: MANAGER, name: 'Grace Hughes' }),
        conversation,
      });
      const card = cardOf(replies.at(-1)!);
      const shown = cardText(card);
      assert.match(shown, /Thanks for adding Professional Conversations/);
      assert.match(shown, /open a chat with me/);
      assert.doesNotMatch(
        shown,
        /Grace|You manage|Your manager|people directly/,
        `no personal data in a ${conversationType}`,
      );
      assert.doesNotMatch(JSON.stringify(card), /"verb":"menu"/);
      const stored = await h.references.get(conversation.id);
      assert.equal(stored?.scope, conversationType);
      assertSentCardsValid(h.sent);
    }
  });

  it('forgets the reference when the app is removed', async () => {
    const h = await harness();
    await h.adapter
      .send(botAdded({ aadObjectId: MANAGER }))
      .assertReply(() => undefined)
      .startTest();
    assert.ok(await h.references.get(MANAGER));
    await h.adapter
      .send(installationUpdate('remove', { aadObjectId: MANAGER }))
      .assertNoReply('no reply to a removal', 300)
      .startTest();
    assert.equal(await h.references.get(MANAGER), undefined);
  });

  for (const said of ['help', 'Help!', '?', 'what can you do', '<at>Bot</at> help']) {
    it(`answers "${said}" with the help card listing the commands`, async () => {
      const h = await harness();
      await h.adapter
        .send(message(said))
        .assertReply((reply) => {
          const text = cardText(cardOf(reply));
          assert.match(text, /What I can do/);
          // Each command is a button under its readable name, with what to type instead.
          assert.match(text, /Help\nShow this list of commands\.\nOr type “help”/);
          assert.match(text, /My team\nManagers: your direct reports.*\nOr type “team”/);
          assert.equal(buttonData(cardOf(reply), 'team').verb, 'team');
          assert.doesNotMatch(text, /did not understand/);
        })
        .startTest();
      assertSentCardsValid(h.sent);
    });
  }

  it('answers a typo with the help card, what was said, and the closest command as a button', async () => {
    const h = await harness();
    await h.adapter
      .send(message('hlep'))
      .assertReply((reply) => {
        const card = cardOf(reply);
        assert.match(cardText(card), /Sorry, I did not understand “hlep”/);
        assert.match(cardText(card), /Did you mean one of these\?/);
        const suggestion = JSON.stringify(card);
        assert.match(suggestion, /"type":"Action.Execute","title":"Help","verb":"help"/);
        assert.match(
          suggestion,
          /"fallback":\{"type":"Action.Submit","title":"Help","data":\{"verb":"help"\}\}/,
        );
      })
      .startTest();
    assertSentCardsValid(h.sent);
  });

  it('answers unrelated text with help and no suggestions rather than silence', async () => {
    const h = await harness();
    await h.adapter
      .send(message('what is the weather in Wolverhampton'))
      .assertReply((reply) => {
        const text = cardText(cardOf(reply));
        assert.match(text, /did not understand “what is the weather in Wolverhampton”/);
        assert.doesNotMatch(text, /Did you mean/);
        assert.match(text, /What I can do/);
      })
      .startTest();
  });

  it('answers an adaptiveCard/action invoke with no action with 400, not a crash', async () => {
    const h = await harness();
    await h.adapter
      .send(cardAction(undefined))
      .assertReply((reply) => {
        assert.equal(reply.type, 'invokeResponse');
        const value = reply.value as { status: number; body: { value: { message: string } } };
        assert.equal(value.status, 400);
        assert.match(value.body.value.message, /no action or verb/);
      })
      .assertNoReply('only the invoke response', 300)
      .startTest();
  });

  it('answers an unknown verb with 400 and a known verb with the next card in place', async () => {
    const h = await harness();
    await h.adapter
      .send(cardAction({ verb: 'delete-everything' }))
      .assertReply((reply) => assert.equal((reply.value as { status: number }).status, 400))
      .send(cardAction({ verb: 'menu' }, { aadObjectId: REPORT }))
      .assertReply((reply) => {
        const value = reply.value as { status: number; body: { type: string; value: unknown } };
        assert.equal(value.status, 200);
        assert.equal(value.body.type, 'application/vnd.microsoft.card.adaptive');
        assert.match(cardText(value.body.value), /Your manager is Grace Hughes/);
      })
      .startTest();
    assertSentCardsValid(h.sent);
  });

  it("answers only help in a channel or group chat: a manager's team is never posted where everyone reads it", async () => {
    const h = await harness();
    const shared = (conversationType: string) => ({
      conversation: {
        id: `19:${conversationType}@thread.tacv2`,
        name: 'Team',
        conversationType,
        isGroup: true,
      },
    });
    const teamInChannel = await h.turn({
      ...message('<at>Professional Conversations</at> team', { aadObjectId: MANAGER }),
      ...shared('channel'),
    });
    const notice = cardText(cardOf(teamInChannel.at(-1)!));
    assert.match(notice, /Ask me in our one-to-one chat/);
    assert.doesNotMatch(notice, /Grace|Hughes|overdue|due/i, 'no name or status of the team');
    const buttonInGroup = await h.turn({
      ...cardAction({ verb: 'team' }, { aadObjectId: MANAGER }),
      ...shared('groupChat'),
    });
    const invoke = buttonInGroup.find((a) => a.type === 'invokeResponse')!.value as {
      body: { value: unknown };
    };
    assert.match(cardText(invoke.body.value), /Ask me in our one-to-one chat/);
    const help = await h.turn({ ...message('help', { aadObjectId: MANAGER }), ...shared('channel') });
    const helpCard = cardOf(help.at(-1)!);
    assert.match(cardText(helpCard), /What I can do/);
    assert.match(cardText(helpCard), /open a chat with me/);
    assert.doesNotMatch(
      cardText(helpCard),
      /Managers: your direct reports|menu\nShow/,
      'only what is answered here',
    );
    assert.doesNotMatch(JSON.stringify(helpCard), /"verb":"menu"/, 'no Menu button to a personal card');
    const typo = await h.turn({
      ...message('<at>Bot</at> tem', { aadObjectId: MANAGER }),
      ...shared('groupChat'),
    });
    const typoCard = JSON.stringify(cardOf(typo.at(-1)!));
    assert.match(typoCard, /did not understand/);
    assert.doesNotMatch(typoCard, /"verb":"team"/, 'no suggestion that would be refused here');
    const personal = await h.turn(message('team', { aadObjectId: MANAGER }));
    assert.doesNotMatch(
      cardText(cardOf(personal.at(-1)!)),
      /one-to-one chat/,
      'the personal chat answers as before',
    );
  });

  it('routes an Action.Submit fallback to the same verb as Action.Execute', async () => {
    const h = await harness();
    await h.adapter
      .send(submit({ verb: 'help' }))
      .assertReply((reply) => assert.match(cardText(cardOf(reply)), /What I can do/))
      .send(submit({ verb: 'nope' }))
      .assertReply((reply) => assert.match(reply.text ?? '', /no longer supported/))
      .startTest();
  });

  it('answers a card action that fails with a card: the apology, its reference and Try again with what was sent', async () => {
    const h = await harness((bot) => {
      bot.records.directory.getEmployee = () =>
        Promise.reject(new Error('Owen said: confidential wellbeing note'));
    });
    const data = { verb: 'team', typed: 'kept as typed' };
    await h.adapter
      .send({ ...cardAction({ verb: 'team', data }, { aadObjectId: MANAGER }), id: 'activity-43' })
      .assertReply((reply) => {
        assert.equal(reply.type, 'invokeResponse');
        const value = reply.value as { status: number; body: { type: string; value: unknown } };
        assert.equal(value.status, 200, 'Teams shows the answer card, not its own error');
        assert.equal(value.body.type, 'application/vnd.microsoft.card.adaptive');
        const card = value.body.value;
        assert.deepEqual(cardProblems(card), []);
        const shown = cardText(card);
        assert.match(shown, /That did not go through/);
        assert.match(shown, /reference [0-9a-f]{8}/);
        assert.doesNotMatch(JSON.stringify(card), /confidential/);
        assert.deepEqual(buttonData(card, 'team'), data, 'Try again repeats the action with its data');
      })
      .startTest();
    const failure = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'turn failed');
    assert.equal(failure?.correlationId, 'activity-43');
    assert.equal(failure?.level, 'error');
    assert.ok(
      h.logs.every((l) => !l.includes('confidential')),
      'error text must not reach the logs',
    );
  });

  it('logs a failed turn with a correlation id and apologises without the error text', async () => {
    const h = await harness((bot) => {
      bot.records.directory.getEmployee = () =>
        Promise.reject(new Error('Owen said: confidential wellbeing note'));
    });
    await h.adapter
      .send({ ...message('menu', { aadObjectId: REPORT }), id: 'activity-42' })
      .assertReply((reply) => {
        assert.match(reply.text ?? '', /Sorry, something went wrong on our side/);
        assert.match(reply.text ?? '', /reference [0-9a-f]{8}/);
        assert.doesNotMatch(reply.text ?? '', /confidential/);
      })
      .startTest();
    const failure = h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'turn failed');
    assert.equal(failure?.correlationId, 'activity-42');
    assert.equal(failure?.level, 'error');
    assert.ok(
      h.logs.every((l) => !l.includes('confidential')),
      'error text must not reach the logs',
    );
  });
});

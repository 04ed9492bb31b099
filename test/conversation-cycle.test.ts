/**
 * The conversation cycle through botbuilder's TestAdapter, on Azurite and the Graph stand-in:
 * my team, schedule, prepare, log, copies, acknowledge, my conversations and history, with the
 * bad-input, double-submit, access and stale-card cases (issue 6). Every card the bot sends is
 * checked with the adaptivecards library.
 */
import { strict as assert } from 'node:assert';
import { type Activity } from 'botbuilder';
import { type Employee } from '../core/model';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging } from '../bot/log';
import { LIMITS } from '../bot/conversations/record-form';
import { type BotHarness, botHarness } from './support/bot-harness';
import { botAdded, cardAction, message, submit } from './support/activities';
import { cardOf, cardProblems, cardText, buttonData } from './support/cards';
import { type GraphFixture, startGraphFixture } from './graph/fixture';

const TODAY = '2026-11-23';
const MANAGER = 'a1000000-0000-4000-8000-000000000001';
const OWEN = 'a1000000-0000-4000-8000-000000000002';
const LEAH = 'a1000000-0000-4000-8000-000000000003';
const OTHER_MANAGER = 'a1000000-0000-4000-8000-000000000004';
const OTHER_REPORT = 'a1000000-0000-4000-8000-000000000005';
const HEAD = 'a1000000-0000-4000-8000-000000000009';

const person = (
  id: string,
  name: string,
  managerId: string | undefined,
  extra: Partial<Employee> = {},
): Employee => ({
  id,
  name,
  email: `${name.toLowerCase().replace(/ /g, '.')}@council.example`,
  positionNumber: `P${id.slice(-4)}`,
  managerId,
  department: 'Adult Services',
  staffGroup: 'Local Government Services',
  startDate: '2020-01-06',
  ...extra,
});

const people: Employee[] = [
  person(HEAD, 'Hana Head', undefined),
  person(MANAGER, 'Grace Hughes', HEAD),
  person(OWEN, 'Owen Price', MANAGER),
  person(LEAH, 'Leah Singh', MANAGER, { startDate: '2026-10-01' }),
  person(OTHER_MANAGER, 'Mo Other', HEAD),
  person(OTHER_REPORT, 'Ria Other', OTHER_MANAGER),
  ...Array.from({ length: 10 }, (_, i) =>
    person(
      `a1000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
      `Team Member ${i + 1}`,
      MANAGER,
    ),
  ),
];

const as = (aadObjectId: string) => ({ aadObjectId, name: people.find((p) => p.id === aadObjectId)?.name });

/** The card an invoke was answered with. */
function invokeCard(replies: Partial<Activity>[]): Record<string, unknown> {
  const response = replies.find((r) => r.type === 'invokeResponse');
  const value = response?.value as { status: number; body: { type: string; value: Record<string, unknown> } };
  assert.equal(value?.status, 200, `invoke answered ${JSON.stringify(replies).slice(0, 300)}`);
  assert.equal(value.body.type, 'application/vnd.microsoft.card.adaptive');
  return value.body.value;
}

/** The value of an input on a card, by id. */
function inputValue(card: unknown, id: string): unknown {
  let value: unknown;
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id) value = n.value;
    Object.values(n).forEach(walk);
  };
  walk(card);
  return value;
}

const AREAS = [
  'outcome-performance',
  'wellbeing',
  'training-development',
  'equality-diversity-inclusion',
  'opportunities',
];

/** A complete, valid record form submission. */
function validForm(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const form: Record<string, unknown> = {
    date: TODAY,
    minutes: '45',
    positionNumber: 'P0002',
    'action.0.text': 'Book the EDI refresher',
    'action.0.owner': 'employee',
    'action.0.due': '2027-01-31',
  };
  for (const area of AREAS) {
    form[`area.${area}.notes`] = `Talked about ${area}.`;
    form[`area.${area}.outcomes`] = `Agreed next steps on ${area}.`;
  }
  return { ...form, ...extra };
}

describe('conversation cycle in Teams (TestAdapter, Azurite, Graph stand-in)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let h: BotHarness;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    graph = await startGraphFixture({ employees: people });
  });
  after(async () => {
    await graph?.close();
    await azurite?.stop();
  });
  beforeEach(async () => {
    h = await botHarness({ azurite, people, today: TODAY, graph });
  });
  afterEach(() => {
    // Every card the bot sent or pushed parses cleanly and fits in 40 KB.
    const cards = [
      ...h.sent.flatMap((a) =>
        a.type === 'invokeResponse'
          ? [((a.value as { body?: { value?: unknown } }).body?.value ?? null) as unknown].filter(
              (v) => (v as { type?: string } | null)?.type === 'AdaptiveCard',
            )
          : (a.attachments ?? []).map((x) => x.content as unknown),
      ),
      ...h.notifier.sent.map((s) => s.card),
    ];
    for (const card of cards) {
      assert.deepEqual(cardProblems(card), []);
      // No binding left unexpanded (this test's data never contains "${").
      assert.ok(
        !JSON.stringify(card).includes('${'),
        `unexpanded binding in ${JSON.stringify(card).slice(0, 200)}`,
      );
    }
  });

  const invoke = (verb: string, data: Record<string, unknown>, from: string) =>
    h.turn(cardAction({ verb, data: { ...data, verb } }, as(from))).then(invokeCard);

  it('shows a manager their team, most urgent first, paged, with Schedule, Log and History buttons', async () => {
    const replies = await h.turn(message('my team', as(MANAGER)));
    const card = cardOf(replies[0]!);
    const text = cardText(card);
    assert.match(text, /Grace Hughes's team/);
    assert.match(text, /12 direct reports/);
    assert.match(text, /Page 1 of 2/);
    assert.match(text, /Owen Price/);
    assert.match(text, /Overdue/);
    assert.match(text, /0 of 4 in 12 months/);
    // Owen has never had one since 2020: said so, with the date it has been due since.
    assert.match(
      text,
      /Owen Price\nOverdue · \d+ days overdue[\s\S]*?Never had one: due since \d+ \w+ 20\d\d/,
    );
    assert.doesNotMatch(text, /Next due: \d+ \w+ 20(1|20)/, 'no next due date years ago');
    assert.equal(buttonData(card, 'schedule').employeeId !== undefined, true);
    const page2 = await invoke('team', buttonData(card, 'team'), MANAGER);
    assert.match(cardText(page2), /Page 2 of 2/);
    // Leah started in October: induction, listed after those with something due.
    assert.match(cardText(page2), /Leah Singh\nInduction/);
  });

  it('runs the whole cycle: schedule, prep card, adjustments, log with prep alongside, copies, acknowledge', async () => {
    // Schedule: three free times at the default length.
    const creates = () =>
      graph.standin.requests.filter((r) => r.method === 'POST' && /\/events$/.test(r.path)).length;
    const createsBefore = creates();
    const slots = await invoke('schedule', { employeeId: OWEN }, MANAGER);
    assert.match(cardText(slots), /Schedule a conversation: Owen Price with Grace Hughes/);
    const choices = (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as {
      value: string;
    }[];
    assert.equal(choices.length, 3);
    assert.equal(inputValue(slots, 'minutes'), '30');
    const book = buttonData(slots, 'schedule.book');
    const booked = await invoke('schedule.book', { ...book, slot: choices[1]!.value }, MANAGER);
    assert.match(cardText(booked), /Booked for/);

    const [stored] = await h.records.conversations.listForEmployee(OWEN);
    assert.equal(stored?.value.status, 'scheduled');
    assert.ok(stored?.value.meeting?.joinUrl, 'a Teams meeting was created');
    assert.equal(h.meetings.tracked.length, 1);
    // Pressing Book again books nothing new.
    await invoke('schedule.book', { ...book, slot: choices[1]!.value }, MANAGER);
    assert.equal((await h.records.conversations.listForEmployee(OWEN)).length, 1);
    assert.equal(creates() - createsBefore, 1);

    // The employee got a prep card.
    const prep = h.notifier.to(OWEN)[0]!;
    assert.match(cardText(prep), /Prepare for your conversation with Grace Hughes/);
    const prepData = buttonData(prep, 'prep.save');
    const saved = await invoke(
      'prep.save',
      {
        ...prepData,
        'prep.wellbeing': 'I would like to talk about workload.',
        shared: 'true',
        adjustments: 'A quiet room please.',
      },
      OWEN,
    );
    assert.match(cardText(saved), /Saved\. Your manager can see these notes\./);
    assert.equal(inputValue(saved, 'prep.wellbeing'), 'I would like to talk about workload.');
    const toManager = h.notifier.to(MANAGER).at(-1)!;
    assert.match(cardText(toManager), /Owen Price has asked for reasonable adjustments/);
    assert.match(cardText(toManager), /A quiet room please\./);

    // After the meeting: the manager logs it, with Owen's shared notes alongside.
    h.clock.set(`${stored.value.date}T17:00:00Z`);
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    assert.match(cardText(form), /Owen Price's notes for this conversation/);
    assert.match(cardText(form), /I would like to talk about workload\./);
    assert.equal(inputValue(form, 'positionNumber'), 'P0002');
    const save = buttonData(form, 'log.save');
    assert.equal(save.conversationId, stored.value.id);
    const copy = await invoke('log.save', { ...save, ...validForm({ date: stored.value.date }) }, MANAGER);
    assert.match(cardText(copy), /Saved\. You and the employee each have a copy/);
    assert.match(cardText(copy), /Book the EDI refresher — Employee, due 31 Jan 2027/);

    const record = (await h.records.conversations.get(OWEN, stored.value.id))!;
    assert.equal(record.value.status, 'completed');
    assert.equal(record.value.areas.wellbeing?.notes, 'Talked about wellbeing.');
    assert.equal(record.value.durationMinutes, 45);
    assert.equal(record.value.prep?.shared, true);
    const row = await h.records.team.get(MANAGER, OWEN);
    assert.equal(row?.evaluation?.held12m, 1);
    assert.equal(row?.evaluation?.lastHeld, stored.value.date);
    assert.equal(row?.evaluation?.openActions, 1);

    // Owen's copy: refreshable for both, with Acknowledge.
    const owenCopy = h.notifier.to(OWEN).at(-1)!;
    assert.match(cardText(owenCopy), /Grace Hughes recorded your conversation/);
    const refresh = owenCopy.refresh as { action: { verb: string }; userIds: string[] };
    assert.equal(refresh.action.verb, 'record');
    assert.deepEqual(refresh.userIds.sort(), [`29:${MANAGER}`, `29:${OWEN}`].sort());
    const ack = buttonData(owenCopy, 'record.ack');
    const acked = await invoke('record.ack', { ...ack, comments: 'Thanks, a fair record.' }, OWEN);
    assert.match(cardText(acked), /your acknowledgement has been recorded/);
    assert.match(cardText(acked), /Acknowledged by the employee on/);
    assert.match(cardText(acked), /Thanks, a fair record\./);
    assert.match(cardText(h.notifier.to(MANAGER).at(-1)!), /Owen Price acknowledged the record/);
    const after = (await h.records.conversations.get(OWEN, stored.value.id))!.value;
    assert.equal(after.employeeComments, 'Thanks, a fair record.');
    assert.ok(after.acknowledgedAt);
    const audit = await h.records.audit.forSubject(OWEN);
    assert.ok(audit.some((a) => a.action === 'conversation.acknowledged' && a.actorId === OWEN));

    // The manager's copy refreshes (Universal Actions) to show the acknowledgement.
    const refreshed = await h
      .turn({ ...cardAction({ verb: 'record', data: { ...refresh.action, ...ack } }, as(MANAGER)) })
      .then(invokeCard);
    assert.match(cardText(refreshed), /Acknowledged by the employee/);
    assert.throws(() => buttonData(refreshed, 'record.ack'));
  });

  it('lets an employee book with their manager: the prep card is the reply and the manager is told', async () => {
    const slots = cardOf((await h.turn(message('schedule', as(OWEN))))[0]!);
    assert.match(cardText(slots), /Owen Price with Grace Hughes/);
    assert.throws(() => buttonData(slots, 'log'), 'an employee is not offered Log');
    const choice = (
      (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as { value: string }[]
    )[0]!;
    const prep = await invoke(
      'schedule.book',
      { ...buttonData(slots, 'schedule.book'), slot: choice.value },
      OWEN,
    );
    assert.match(cardText(prep), /Prepare for your conversation with Grace Hughes/);
    assert.match(cardText(h.notifier.to(MANAGER)[0]!), /Owen Price booked a conversation with you/);
  });

  it('offers to log instead when the calendars cannot be reached', async () => {
    graph.standin.fault({ path: /getSchedule/, kind: 'unavailable', retryAfterSeconds: 0, times: 10 });
    try {
      const card = await invoke('schedule', { employeeId: OWEN }, MANAGER);
      assert.match(cardText(card), /cannot reach the calendars/);
      assert.equal(buttonData(card, 'log').employeeId, OWEN);
    } finally {
      graph.standin.clearFaults();
    }
  });

  it('returns an invalid record as the same card with a message at each bad field and the text kept', async () => {
    const form = await invoke('log', { employeeId: LEAH }, MANAGER);
    const save = buttonData(form, 'log.save');
    const tooLong = 'x'.repeat(LIMITS.areaField + 1);
    const bad = validForm({
      date: '2026-11-30',
      'area.wellbeing.notes': '',
      'area.wellbeing.outcomes': '',
      'area.opportunities.notes': tooLong,
      'action.0.owner': '',
      'action.1.text': 'Shadow the duty team',
      'action.1.owner': 'manager',
      'action.1.due': '',
    });
    const again = await invoke('log.save', { ...save, ...bad }, MANAGER);
    const text = cardText(again);
    assert.match(text, /Some fields need attention; nothing has been saved yet/);
    assert.match(text, /The date cannot be in the future/);
    assert.match(text, /Record what was discussed under this area/);
    assert.match(
      text,
      new RegExp(`Keep this to ${LIMITS.areaField} characters \\(it has ${LIMITS.areaField + 1}\\)`),
    );
    assert.match(text, /Say who owns this action/);
    assert.match(text, /Give this action a due date/);
    assert.equal(inputValue(again, 'area.opportunities.notes'), tooLong, 'over-long text is kept');
    assert.equal(inputValue(again, 'area.training-development.notes'), 'Talked about training-development.');
    assert.equal(inputValue(again, 'action.1.text'), 'Shadow the duty team');
    assert.equal((await h.records.conversations.listForEmployee(LEAH)).length, 0);

    // Before Leah started in post.
    const early = await invoke('log.save', { ...save, ...validForm({ date: '2026-09-30' }) }, MANAGER);
    assert.match(cardText(early), /cannot be before the employee started in post \(2026-10-01\)/);
    assert.equal((await h.records.conversations.listForEmployee(LEAH)).length, 0);
  });

  it('stores one record when Submit is pressed twice or the invoke is retried, and sends one copy', async () => {
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    const data = { ...buttonData(form, 'log.save'), ...validForm() };
    const first = await invoke('log.save', data, MANAGER);
    assert.match(cardText(first), /Saved\./);
    const second = await invoke('log.save', data, MANAGER);
    assert.match(cardText(second), /already saved/);
    // The Action.Submit fallback of the same button also finds it saved.
    const third = cardOf((await h.turn(submit({ ...data, verb: 'log.save' }, as(MANAGER))))[0]!);
    assert.match(cardText(third), /already saved/);
    assert.equal((await h.records.conversations.listForEmployee(OWEN)).length, 1);
    assert.equal(h.notifier.to(OWEN).length, 1);
    assert.equal((await h.records.team.get(MANAGER, OWEN))?.evaluation?.held12m, 1);
  });

  it('refuses another manager and the employee on the manager form, and changes nothing', async () => {
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    const data = { ...buttonData(form, 'log.save'), ...validForm() };
    for (const who of [OTHER_MANAGER, OWEN]) {
      const refused = await invoke('log.save', data, who);
      assert.match(cardText(refused), /Only the employee's line manager can do this\. Nothing was changed\./);
    }
    assert.equal((await h.records.conversations.listForEmployee(OWEN)).length, 0);
    assert.match(
      cardText(await invoke('log', { employeeId: OWEN }, OTHER_MANAGER)),
      /Only the employee's line manager/,
    );
    assert.match(
      cardText(await invoke('history', { employeeId: OWEN }, OTHER_MANAGER)),
      /Only the employee's line manager/,
    );
    assert.match(
      cardText(await invoke('schedule', { employeeId: OWEN }, OTHER_MANAGER)),
      /Only the employee's line manager/,
    );

    // A saved record: another employee cannot open it; Leah cannot acknowledge Owen's.
    const copy = await invoke('log.save', data, MANAGER);
    const ids = buttonData(h.notifier.to(OWEN)[0], 'record.ack');
    assert.match(cardText(await invoke('record', ids, LEAH)), /not yours to see/);
    assert.match(cardText(await invoke('record.ack', ids, LEAH)), /Only the employee can do this/);
    assert.equal(
      (await h.records.conversations.get(OWEN, String(ids.conversationId)))?.value.acknowledgedAt,
      undefined,
    );
    assert.ok(copy);
  });

  it("refuses every activity from another tenant, even with a staff member's object id, and changes nothing", async () => {
    const OURS = '7d1b2c3e-4f50-4a61-8b72-93a4b5c6d7e8';
    const THEIRS = '0f9e8d7c-6b5a-4948-8372-615049382716';
    h = await botHarness({ azurite, people, today: TODAY, graph, tenantId: OURS });
    const inTenant = (activity: Partial<Activity>, tenant: string | undefined): Partial<Activity> => ({
      ...activity,
      channelData: tenant === undefined ? {} : { tenant: { id: tenant } },
      conversation: {
        id: `a:chat-${String(activity.from?.aadObjectId)}`,
        tenantId: tenant,
      } as Activity['conversation'],
    });
    const ours = await h.turn(
      inTenant(cardAction({ verb: 'log', data: { verb: 'log', employeeId: OWEN } }, as(MANAGER)), OURS),
    );
    const data = { ...buttonData(invokeCard(ours), 'log.save'), ...validForm() };
    const storedBefore = await h.records.conversations.listForEmployee(OWEN);

    for (const tenant of [THEIRS, undefined]) {
      const what = `tenant ${tenant ?? 'missing'}`;
      // A card button: answered in place with the refusal card, nothing stored.
      const refused = invokeCard(
        await h.turn(
          inTenant(
            cardAction({ verb: 'log.save', data: { ...data, verb: 'log.save' } }, as(MANAGER)),
            tenant,
          ),
        ),
      );
      assert.match(cardText(refused), /belongs to another one, so nothing was shown or changed/, what);
      assert.doesNotMatch(cardText(refused), /Owen|Grace/, `${what}: no one's name is shown`);
      // Typed text: a sentence, never the team.
      const typed = await h.turn(inTenant(message('my team', as(MANAGER)), tenant));
      assert.equal(typed.length, 1, what);
      assert.match(typed[0]!.text ?? '', /belongs to another one/, what);
      assert.equal(typed[0]!.attachments, undefined, `${what}: no card with the team`);
      // An install: no greeting, and no conversation reference kept for proactive cards.
      const installed = await h.turn(inTenant(botAdded(as(OTHER_MANAGER)), tenant));
      assert.equal(installed.length, 0, `${what}: nothing said on install`);
      assert.equal(await h.deps.references.get(OTHER_MANAGER), undefined, `${what}: no reference stored`);
    }
    assert.deepEqual(await h.records.conversations.listForEmployee(OWEN), storedBefore, 'no record stored');
    assert.equal(h.notifier.to(OWEN).length, 0, 'no copy sent');

    // The same submit from the organisation's own tenant is saved.
    const saved = invokeCard(
      await h.turn(
        inTenant(cardAction({ verb: 'log.save', data: { ...data, verb: 'log.save' } }, as(MANAGER)), OURS),
      ),
    );
    assert.match(cardText(saved), /Saved\./);
  });

  it("understands a command with a name, among the manager's own reports only", async () => {
    const said = async (words: string) => {
      const replies = await h.turn(message(words, as(MANAGER)));
      assert.equal(replies.length, 1, words);
      return cardOf(replies[0]!);
    };
    // One report fits: the command runs for them, as its button on My team would.
    const slots = await said('schedule Owen');
    assert.equal(buttonData(slots, 'schedule.book').employeeId, OWEN);
    const form = await said('Log a conversation with Owen Price.');
    assert.equal(buttonData(form, 'log.save').employeeId, OWEN);
    assert.match(cardText(form), /Owen Price/);
    assert.equal(buttonData(await said('record a conversation for leah'), 'log.save').employeeId, LEAH);
    // Several fit: a choice, each button the same command for that person.
    const choice = await said('log team member');
    assert.match(cardText(choice), /10 people in your team fit “team member”/);
    const offered = JSON.stringify(choice).match(/"verb":"log","data":\{"employeeId":"[^"]+"/g) ?? [];
    assert.equal(new Set(offered).size, 4, 'the first four offered (a card has five buttons)');
    assert.match(cardText(choice), /type more of the name/);
    // Someone in another team, or nobody: said plainly, nothing of theirs shown.
    for (const other of ['schedule Ria Other', 'history Nobody Atall']) {
      const card = await said(other);
      assert.match(cardText(card), /I could not find “.+” among your direct reports/, other);
      assert.doesNotMatch(JSON.stringify(card), new RegExp(OTHER_REPORT), other);
    }
  });

  it('refreshes a stale form instead of overwriting, keeping what the manager typed', async () => {
    const slots = await invoke('schedule', { employeeId: OWEN }, MANAGER);
    const choice = (
      (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as { value: string }[]
    )[0]!;
    await invoke('schedule.book', { ...buttonData(slots, 'schedule.book'), slot: choice.value }, MANAGER);
    const [booked] = await h.records.conversations.listForEmployee(OWEN);
    h.clock.set(`${booked!.value.date}T17:00:00Z`);
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    const save = buttonData(form, 'log.save');
    // Owen shares notes after the form was opened: the record's version moves on.
    await invoke(
      'prep.save',
      { ...buttonData(h.notifier.to(OWEN)[0], 'prep.save'), 'prep.wellbeing': 'Late note', shared: 'true' },
      OWEN,
    );
    const typed = validForm({ date: booked!.value.date, 'area.wellbeing.notes': 'What I typed' });
    const stale = await invoke('log.save', { ...save, ...typed }, MANAGER);
    assert.match(cardText(stale), /changed since you opened the form/);
    assert.match(cardText(stale), /Late note/);
    assert.equal(inputValue(stale, 'area.wellbeing.notes'), 'What I typed');
    assert.equal((await h.records.conversations.get(OWEN, booked!.value.id))?.value.status, 'scheduled');
    // Saving the refreshed form works.
    const copy = await invoke('log.save', { ...buttonData(stale, 'log.save'), ...typed }, MANAGER);
    assert.match(cardText(copy), /Saved\./);
    assert.equal((await h.records.conversations.get(OWEN, booked!.value.id))?.value.status, 'completed');

    // A stale acknowledgement refreshes the copy and keeps the comment.
    const ack = buttonData(h.notifier.to(OWEN).at(-1), 'record.ack');
    const stored = (await h.records.conversations.get(OWEN, booked!.value.id))!;
    await h.records.saveConversation(
      { ...stored.value, updatedAt: new Date().toISOString() },
      { actorId: MANAGER, etag: stored.etag },
    );
    const refreshed = await invoke('record.ack', { ...ack, comments: 'My comment' }, OWEN);
    assert.match(cardText(refreshed), /changed since you opened/);
    assert.equal(inputValue(refreshed, 'comments'), 'My comment');
    assert.equal(
      (await h.records.conversations.get(OWEN, booked!.value.id))?.value.acknowledgedAt,
      undefined,
    );
  });

  it('carries open actions forward: reviewed ones are marked done, the rest stay open', async () => {
    const first = await invoke('log', { employeeId: OWEN }, MANAGER);
    await invoke(
      'log.save',
      { ...buttonData(first, 'log.save'), ...validForm({ date: '2026-10-01' }) },
      MANAGER,
    );
    const second = await invoke('log', { employeeId: OWEN }, MANAGER);
    assert.match(cardText(second), /Book the EDI refresher — employee, due 2027-01-31/);
    const [open] = (await h.records.conversations.listForEmployee(OWEN))[0]!.value.actions!;
    const more = await invoke(
      'log.more',
      { ...buttonData(second, 'log.more'), 'action.0.text': 'Typed action' },
      MANAGER,
    );
    assert.equal(inputValue(more, 'action.0.text'), 'Typed action');
    assert.ok(inputValue(more, 'action.2.text') !== undefined, 'one more action row');
    await invoke(
      'log.save',
      {
        ...buttonData(second, 'log.save'),
        ...validForm({ [`review.${open!.id}`]: 'true', 'action.0.text': 'Next step' }),
      },
      MANAGER,
    );
    const records = (await h.records.conversations.listForEmployee(OWEN)).map((r) => r.value);
    const latest = records.at(-1)!;
    assert.deepEqual(
      latest.actions?.map((a) => [a.text, a.done]),
      [
        ['Book the EDI refresher', true],
        ['Next step', false],
      ],
    );
    assert.equal((await h.records.team.get(MANAGER, OWEN))?.evaluation?.openActions, 1);
  });

  it('lists my conversations for the employee and history for the manager', async () => {
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    await invoke('log.save', { ...buttonData(form, 'log.save'), ...validForm() }, MANAGER);
    const mine = cardOf((await h.turn(message('my conversations', as(OWEN))))[0]!);
    assert.match(cardText(mine), /My conversations/);
    assert.match(cardText(mine), /23 Nov 2026 · Professional Conversation · held/);
    const opened = await invoke('record', buttonData(mine, 'record'), OWEN);
    assert.match(cardText(opened), /Talked about wellbeing\./);
    const history = await invoke('history', { employeeId: OWEN }, MANAGER);
    assert.match(cardText(history), /Owen Price: conversations/);
    assert.match(cardText(history), /held/);
  });

  it('greets with what matters now and answers typed commands with the right card', async () => {
    const menu = cardOf((await h.turn(message('menu', as(MANAGER))))[0]!);
    assert.match(cardText(menu), /You manage 12 people directly/);
    assert.match(cardText(menu), /Now: \d+ overdue/);
    buttonData(menu, 'team');
    const log = cardOf((await h.turn(message('log', as(MANAGER))))[0]!);
    assert.match(
      cardText(log),
      /Grace Hughes's team/,
      'a manager who types log picks the person from the team',
    );
    const employeeMenu = cardOf((await h.turn(message('hi', as(OWEN))))[0]!);
    assert.match(cardText(employeeMenu), /Your status: Overdue/);
    buttonData(employeeMenu, 'schedule');
    const prep = cardOf((await h.turn(message('prepare', as(OWEN))))[0]!);
    assert.match(cardText(prep), /You have no conversation booked/);
  });

  it('refuses a forged time on the Book button: outside working hours, too long, or past', async () => {
    const slots = await invoke('schedule', { employeeId: OWEN }, MANAGER);
    const book = buttonData(slots, 'schedule.book');
    const sunday = Date.parse('2026-11-29T09:00:00Z');
    const forged = [
      `${sunday}/${sunday + 30 * 60_000}`, // a Sunday
      `${Date.parse('2026-11-24T09:00:00Z')}/${Date.parse('2026-11-24T17:00:00Z')}`, // 8 hours
      `${Date.parse('2026-11-20T10:00:00Z')}/${Date.parse('2026-11-20T10:30:00Z')}`, // last week
    ];
    for (const slot of forged) {
      const card = await invoke('schedule.book', { ...book, slot }, MANAGER);
      assert.match(cardText(card), /not one the policy allows|has passed/);
    }
    assert.equal((await h.records.conversations.listForEmployee(OWEN)).length, 0);
  });

  it('keeps a record whose figures update failed, sends the copy once, and a retry finds it saved', async () => {
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    const data = { ...buttonData(form, 'log.save'), ...validForm() };
    const refresh = h.records.refreshPerson.bind(h.records);
    h.records.refreshPerson = () => Promise.reject(new Error('storage hiccup'));
    const first = await invoke('log.save', data, MANAGER);
    h.records.refreshPerson = refresh;
    assert.match(cardText(first), /Saved\./);
    assert.equal((await h.records.team.get(MANAGER, OWEN))?.dirty, true, 'left for the refresh job');
    const again = await invoke('log.save', data, MANAGER);
    assert.match(cardText(again), /already saved/);
    assert.equal(h.notifier.to(OWEN).length, 1, 'one copy');
  });

  it("does not complete next week's booking when the manager logs a conversation held today", async () => {
    const slots = await invoke('schedule', { employeeId: OWEN }, MANAGER);
    const choices = (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as {
      value: string;
    }[];
    const later = choices.at(-1)!;
    await invoke('schedule.book', { ...buttonData(slots, 'schedule.book'), slot: later.value }, MANAGER);
    const [booked] = await h.records.conversations.listForEmployee(OWEN);
    assert.ok(booked!.value.date > TODAY);
    const form = await invoke('log', { employeeId: OWEN }, MANAGER);
    const save = buttonData(form, 'log.save');
    assert.notEqual(save.conversationId, booked!.value.id);
    await invoke('log.save', { ...save, ...validForm() }, MANAGER);
    assert.equal((await h.records.conversations.get(OWEN, booked!.value.id))?.value.status, 'scheduled');
  });

  it('asks before a second record of the same conversation with one person on one day, and stores it only once confirmed', async () => {
    const completed = async () =>
      (await h.records.conversations.listForEmployee(OWEN)).filter((r) => r.value.status === 'completed');
    const first = await invoke('log', { employeeId: OWEN }, MANAGER);
    assert.match(
      cardText(await invoke('log.save', { ...buttonData(first, 'log.save'), ...validForm() }, MANAGER)),
      /Saved\./,
    );
    // A new form for the same day: asked, nothing stored, what was typed kept.
    const second = await invoke('log', { employeeId: OWEN }, MANAGER);
    const asked = await invoke(
      'log.save',
      { ...buttonData(second, 'log.save'), ...validForm({ 'action.0.text': 'Second form action' }) },
      MANAGER,
    );
    assert.match(
      cardText(asked),
      /A professional conversation is already recorded with Owen Price on 23 Nov 2026\. Nothing has been saved yet: press Save again/,
    );
    assert.match(JSON.stringify(asked), /Second form action/, 'what was typed is kept');
    assert.equal((await completed()).length, 1);
    // Save again on that card: stored.
    const confirm = buttonData(asked, 'log.save');
    assert.equal(confirm.confirmSameDay, 'true');
    assert.match(cardText(await invoke('log.save', { ...confirm, ...validForm() }, MANAGER)), /Saved\./);
    assert.equal((await completed()).length, 2);
    // A third: the count is in the question.
    const third = await invoke('log', { employeeId: OWEN }, MANAGER);
    assert.match(
      cardText(await invoke('log.save', { ...buttonData(third, 'log.save'), ...validForm() }, MANAGER)),
      /2 professional conversations are already recorded with Owen Price/,
    );
    // Another day is not asked about.
    const fourth = await invoke('log', { employeeId: OWEN }, MANAGER);
    assert.match(
      cardText(
        await invoke(
          'log.save',
          { ...buttonData(fourth, 'log.save'), ...validForm({ date: '2026-11-20' }) },
          MANAGER,
        ),
      ),
      /Saved\./,
    );
    assert.equal((await completed()).length, 3);
  });

  it('does not let an older prep card overwrite newer notes', async () => {
    const slots = await invoke('schedule', { employeeId: OWEN }, MANAGER);
    const choice = (
      (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as {
        value: string;
      }[]
    )[0]!;
    await invoke('schedule.book', { ...buttonData(slots, 'schedule.book'), slot: choice.value }, MANAGER);
    const original = buttonData(h.notifier.to(OWEN)[0], 'prep.save');
    await invoke('prep.save', { ...original, 'prep.wellbeing': 'Newest notes' }, OWEN);
    const stale = await invoke('prep.save', { ...original, 'prep.wellbeing': 'Typed on the old card' }, OWEN);
    assert.match(cardText(stale), /saved from another copy of this card/);
    assert.equal(inputValue(stale, 'prep.wellbeing'), 'Typed on the old card');
    const [stored] = await h.records.conversations.listForEmployee(OWEN);
    assert.equal(stored?.value.prep?.areas.wellbeing, 'Newest notes');
    // Saving the refreshed card keeps what was typed.
    await invoke(
      'prep.save',
      { ...buttonData(stale, 'prep.save'), 'prep.wellbeing': 'Typed on the old card' },
      OWEN,
    );
    const [after] = await h.records.conversations.listForEmployee(OWEN);
    assert.equal(after?.value.prep?.areas.wellbeing, 'Typed on the old card');
  });

  it('treats a forged person id as nobody, not as a storage error', async () => {
    for (const employeeId of ['a/b', 'x#y', 'what?', 'tab\there']) {
      assert.match(
        cardText(await invoke('record', { employeeId, conversationId: 'c1' }, OWEN)),
        /no longer exists/,
      );
      assert.match(cardText(await invoke('history', { employeeId }, MANAGER)), /Grace Hughes's team/);
    }
  });
});

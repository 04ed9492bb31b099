/**
 * The whole conversation cycle (issue 6) through Microsoft's local Teams client: schedule → prep →
 * log → copies → acknowledge, against Azurite with the demo organisation and the Graph stand-in
 * over TLS, with the real service and its proactive notifier. Every message goes in through the
 * Agents Playground's HTTP API and every card comes back on its WebSocket stream or as an invoke
 * answer; the test then checks what was stored in Azurite and booked in the stand-in.
 *
 * Two people, two Playgrounds. One Playground is one signed-in user: its personal chat has only
 * the current user as a member, so a message, invoke or submit `from` anyone else is refused
 * (400, UserNotFound), `/_debug/…/installation` always comes from the current user, and its
 * stream drops messages to any chat the current user is not in. So, as in real Teams, where each
 * person has their own client, the manager signs in to one Playground and the employee to a
 * second one pointed at the same bot. Each install stores a conversation reference whose
 * serviceUrl is that person's Playground, so the bot's proactive cards (prep card, adjustments
 * notice, "log it" prompt, the employee's copy, the acknowledgement notice) reach the right
 * person's stream through CloudAdapter.continueConversationAsync, exactly as they would in Teams.
 *
 * The clock is movable: after booking it is set past the meeting's end, the service's log-prompt
 * sweep (run every few hundred ms here) prompts the manager, and the manager logs from that prompt.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApp, startApp } from '../bot/app';
import { fixedClock } from '../bot/clock';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { generateDemoOrg } from '../bot/dev/demo-org';
import {
  type PlaygroundEvent,
  type PlaygroundHandle,
  type PlaygroundMessage,
  startPlayground,
} from '../bot/dev/playground';
import {
  PLAYGROUND_OTHER_USERS,
  type PlaygroundUser,
  playgroundConfigYaml,
} from '../bot/dev/playground-config';
import { freePort, storagePorts } from '../bot/dev/ports';
import { seedDemoOrg } from '../bot/dev/seed';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { TableReferenceStore } from '../bot/storage/reference-store';
import { type Tables, openTables } from '../bot/storage/tables';
import { type Employee } from '../core/model';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type ConversationRecord } from '../core/records';
import { MovableClock } from './support/bot-harness';
import { cardProblems, cardText, buttonData } from './support/cards';
import { type GraphFixture, startGraphFixture } from './graph/fixture';

const TODAY = '2026-11-23';
const TENANT = '00000000-0000-4000-8000-00000000d0e0';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Card of a streamed message, if it has one. */
function cardIn(event: PlaygroundEvent): unknown {
  return event.action === 'typing'
    ? undefined
    : event.message.attachments.find((a) => a.contentType === ADAPTIVE)?.content;
}

/** Matches a new message from the bot whose card text matches `pattern`. */
const newCard = (pattern: RegExp) => (event: PlaygroundEvent) => {
  const card = cardIn(event);
  return event.action === 'createMessage' && card !== undefined && pattern.test(cardText(card));
};

/** A card the bot sent, checked by the Adaptive Cards library (and the 40 KB limit). */
function checked(card: unknown): Record<string, unknown> {
  assert.ok(typeof card === 'object' && card !== null, `expected a card, got ${JSON.stringify(card)}`);
  assert.deepEqual(cardProblems(card), [], 'the card parses and validates cleanly');
  return card as Record<string, unknown>;
}

/** Waits for the next message on `playground` whose card matches; returns the message and its card. */
async function nextCard(
  playground: PlaygroundHandle,
  pattern: RegExp,
): Promise<{ message: PlaygroundMessage; card: Record<string, unknown> }> {
  const event = await playground.nextActivity(newCard(pattern), 15_000);
  assert.ok(event.action === 'createMessage');
  return { message: event.message, card: checked(cardIn(event)) };
}

/** Every Action.Execute button with this verb on a card, by its data. */
function buttonsData(card: unknown, verb: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && n.verb === verb) found.push(n.data as Record<string, unknown>);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
}

/** Every input on a card with the value Teams would post for it untouched (a toggle posts its valueOff). */
function inputsOf(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') {
      const off = typeof n.valueOff === 'string' ? n.valueOff : 'false';
      const value = n.value ?? (n.type === 'Input.Toggle' ? off : '');
      values[n.id] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  return values;
}

/**
 * Presses the `verb` button on the card in `message`, as Teams does: the card's inputs (with what
 * the user `typed` over them) merged into the button's data, sent as an Action.Execute invoke from
 * the Playground's signed-in user. Resolves with the card the bot answered with, checked.
 */
async function press(
  playground: PlaygroundHandle,
  message: { messageId: string },
  card: unknown,
  verb: string,
  typed: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const data = { ...buttonData(card, verb), ...inputsOf(card), ...typed };
  const result = await playground.invoke({ replyToId: message.messageId, verb, data });
  assert.equal(result.type, ADAPTIVE, `invoke ${verb} answered ${JSON.stringify(result).slice(0, 300)}`);
  return checked(result.value);
}

/** The choices of a ChoiceSet input on a card. */
function choicesOf(card: unknown, id: string): { title: string; value: string }[] {
  let choices: { title: string; value: string }[] = [];
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Input.ChoiceSet' && n.id === id) choices = n.choices as typeof choices;
    Object.values(n).forEach(walk);
  };
  walk(card);
  return choices;
}

const asPlaygroundUser = (e: Employee): PlaygroundUser => ({ id: e.id, name: e.name, email: e.email });

describe('the conversation cycle end to end through two Agents Playgrounds (Azurite, Graph stand-in)', function () {
  this.timeout(120_000);
  const org = generateDemoOrg({ asOf: TODAY });
  const manager = org.employees.find((e) => e.id === org.teamManagerIds[0])!;
  const reports = org.employees.filter((e) => e.managerId === manager.id && e.leaveDate === undefined);
  // Someone with nothing booked yet, so the booking below is the one the prompt and the form are about.
  const employee = reports.find(
    (r) => !org.conversations.some((c) => c.employeeId === r.id && c.status === 'scheduled'),
  )!;
  const firstName = (e: Employee) => e.name.split(' ')[0]!;
  const clock = new MovableClock(new Date(`${TODAY}T12:00:00Z`));
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let tables: Tables;
  let app: RunningApp | undefined;
  let managerClient: PlaygroundHandle | undefined;
  let employeeClient: PlaygroundHandle | undefined;
  const workDirs: string[] = [];

  /** What the steps pass on to each other. */
  const cycle: {
    conversationId?: string;
    /** The employee's copy of the record, as it arrived in their Playground. */
    employeeCopy?: { message: PlaygroundMessage; card: Record<string, unknown> };
    /** The message in the manager's Playground that now shows the saved record. */
    recordMessage?: PlaygroundMessage;
    recordCard?: Record<string, unknown>;
  } = {};

  const stored = async (): Promise<ConversationRecord> => {
    const found = await app!.records.conversations.get(employee.id, cycle.conversationId!);
    assert.ok(found, 'the conversation is stored');
    return found.value;
  };

  const startClient = async (user: Employee, others: Employee[], chatId: string) => {
    const workDir = await mkdtemp(join(tmpdir(), 'pc-cycle-playground-'));
    workDirs.push(workDir);
    return startPlayground({
      botEndpoint: `${app!.service.url}/api/messages`,
      port: 0,
      workDir,
      configYaml: playgroundConfigYaml({
        tenantId: TENANT,
        currentUser: asPlaygroundUser(user),
        otherUsers: others.slice(0, PLAYGROUND_OTHER_USERS).map(asPlaygroundUser),
        personalChatId: chatId,
      }),
    });
  };

  before(async () => {
    assert.ok(employee, 'the demo manager has a report with nothing booked');
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    graph = await startGraphFixture({ employees: org.employees });
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      ...graph.env,
    });
    assert.ok(config.graph, 'the service books through the Graph stand-in');
    tables = await openTables(config.storage);
    await seedDemoOrg(
      new Records(tables, PROFESSIONAL_CONVERSATION, fixedClock(TODAY), createLogger('seed')),
      tables,
      org,
    );
    app = await startApp({
      config,
      tables,
      policy: PROFESSIONAL_CONVERSATION,
      clock,
      tabDir: '/nonexistent',
      logPromptEveryMs: 300,
    });
    const others = reports.filter((r) => r.id !== employee.id);
    [managerClient, employeeClient] = await Promise.all([
      startClient(manager, [employee, ...others], 'a:playground-chat-manager'),
      startClient(employee, [manager, ...others], 'a:playground-chat-employee'),
    ]);
  });

  after(async () => {
    // Every card either Playground received over its stream parses cleanly and fits in 40 KB.
    const problems = [managerClient, employeeClient].flatMap((client) =>
      (client?.events ?? []).flatMap((event) => {
        const card = cardIn(event);
        return card === undefined ? [] : cardProblems(card);
      }),
    );
    await managerClient?.stop();
    await employeeClient?.stop();
    await app?.stop();
    await graph?.close();
    await azurite?.stop();
    for (const dir of workDirs) await rm(dir, { recursive: true, force: true });
    assert.deepEqual(problems, []);
  });

  it('installs the app for the manager and the employee, each in their own Playground', async () => {
    await managerClient!.install();
    await employeeClient!.install();
    const managerHello = await nextCard(managerClient!, /welcome to Professional Conversations/);
    assert.match(cardText(managerHello.card), new RegExp(`Hello ${firstName(manager)}`));
    const employeeHello = await nextCard(employeeClient!, /welcome to Professional Conversations/);
    assert.match(cardText(employeeHello.card), new RegExp(`Hello ${firstName(employee)}`));

    // One reference per person, each pointing at that person's own client.
    const references = new TableReferenceStore(tables.conversationRefs);
    const managerRef = await references.get(manager.id);
    const employeeRef = await references.get(employee.id);
    assert.equal(managerRef?.serviceUrl, managerClient!.serviceUrl);
    assert.equal(managerRef?.conversationId, managerClient!.personalChatId);
    assert.equal(managerRef?.userId, `29:${manager.id}`);
    assert.equal(employeeRef?.serviceUrl, employeeClient!.serviceUrl);
    assert.equal(employeeRef?.conversationId, employeeClient!.personalChatId);
    assert.equal(employeeRef?.userId, `29:${employee.id}`);
  });

  it('manager: schedules from "my team", gets three free times, books one in both calendars', async () => {
    await managerClient!.sendText('my team');
    const team = await nextCard(managerClient!, new RegExp(`${manager.name}'s team`));
    let teamCard = team.card;
    // Press "Next page" until the employee's row is on the card (the answer replaces the card in place).
    for (let page = 1; !buttonsData(teamCard, 'schedule').some((d) => d.employeeId === employee.id); page++) {
      const next = buttonsData(teamCard, 'team').find((d) => Number(d.page) === page + 1);
      assert.ok(next, `${employee.name} is not on the team card`);
      const result = await managerClient!.invoke({
        replyToId: team.message.messageId,
        verb: 'team',
        data: next,
      });
      teamCard = checked(result.value);
    }
    const scheduleData = buttonsData(teamCard, 'schedule').find((d) => d.employeeId === employee.id)!;
    const scheduleResult = await managerClient!.invoke({
      replyToId: team.message.messageId,
      verb: 'schedule',
      data: scheduleData,
    });
    const slots = checked(scheduleResult.value);
    assert.match(
      cardText(slots),
      new RegExp(`Schedule a conversation: ${employee.name} with ${manager.name}`),
    );
    const choices = choicesOf(slots, 'slot');
    assert.equal(choices.length, 3, 'three free times');
    assert.equal(inputsOf(slots).minutes, '30', 'the default length');

    const creates = () =>
      graph.standin.requests.filter((r) => r.method === 'POST' && /\/events$/.test(r.path)).length;
    const createsBefore = creates();
    const booked = await press(managerClient!, team.message, slots, 'schedule.book', {
      slot: choices[1]!.value,
    });
    assert.match(cardText(booked), new RegExp(`Booked for ${literal(choices[1]!.title)}`));
    assert.equal(creates() - createsBefore, 1, 'one event created');

    // Azurite: the conversation is stored as scheduled with the Teams meeting.
    const rows = (await app!.records.conversations.listForEmployee(employee.id)).map((r) => r.value);
    const scheduled = rows.filter((r) => r.status === 'scheduled');
    assert.equal(scheduled.length, 1);
    const record = scheduled[0]!;
    cycle.conversationId = record.id;
    assert.equal(record.managerId, manager.id);
    assert.equal(record.durationMinutes, 30);
    assert.ok(record.meeting?.joinUrl, 'a Teams meeting link is stored');

    // The Graph stand-in: the event is on the manager's calendar with the employee invited.
    const [start, end] = choices[1]!.value.split('/').map(Number) as [number, number];
    const events = graph.standin.calendars.eventsOf(manager.id).filter((e) => !e.isCancelled);
    const event = events.find((e) => e.start === start && e.end === end);
    assert.ok(event, 'the booked event is in the stand-in');
    assert.equal(event.isOnlineMeeting, true);
    assert.equal(event.joinUrl, record.meeting.joinUrl);
    assert.ok(
      event.attendees.some((a) => a.emailAddress.address.toLowerCase() === employee.email.toLowerCase()),
    );
  });

  it('employee: the prep card arrives in their Playground; saving shared notes and adjustments tells the manager', async () => {
    const prep = await nextCard(
      employeeClient!,
      new RegExp(`Prepare for your conversation with ${manager.name}`),
    );
    assert.match(cardText(prep.card), new RegExp(`${manager.name} booked your conversation`));
    assert.equal(buttonData(prep.card, 'prep.save').conversationId, cycle.conversationId);

    const saved = await press(employeeClient!, prep.message, prep.card, 'prep.save', {
      'prep.wellbeing': 'I would like to talk about workload.',
      shared: 'true',
      adjustments: 'A quiet room please.',
    });
    assert.match(cardText(saved), /Saved\. Your manager can see these notes\./);
    assert.match(cardText(saved), /Your adjustments request has been sent to your manager\./);
    assert.equal(inputsOf(saved)['prep.wellbeing'], 'I would like to talk about workload.');

    const notice = await nextCard(
      managerClient!,
      new RegExp(`${employee.name} has asked for reasonable adjustments`),
    );
    assert.match(cardText(notice.card), /A quiet room please\./);

    const record = await stored();
    assert.equal(record.prep?.shared, true);
    assert.equal(record.prep?.adjustments, 'A quiet room please.');
    assert.equal(record.prep?.areas.wellbeing, 'I would like to talk about workload.');
  });

  it('manager: after the meeting the "log it" prompt arrives; the form shows the shared notes; saving sends the copies', async () => {
    const booked = await stored();
    clock.set(new Date(Date.parse(booked.meeting!.end) + 10 * 60_000).toISOString());

    const prompt = await nextCard(
      managerClient!,
      new RegExp(`Your conversation with ${employee.name} .* has ended`),
    );
    assert.equal(buttonData(prompt.card, 'log').conversationId, booked.id);
    const form = await press(managerClient!, prompt.message, prompt.card, 'log');
    assert.match(cardText(form), new RegExp(`${employee.name}'s notes for this conversation`));
    assert.match(cardText(form), /I would like to talk about workload\./);
    assert.match(cardText(form), /A quiet room please\./);
    const prefilled = inputsOf(form);
    assert.equal(prefilled.date, booked.date);
    assert.equal(prefilled.minutes, '30');
    assert.equal(prefilled.positionNumber, employee.positionNumber);
    assert.equal(buttonData(form, 'log.save').conversationId, booked.id);

    // The manager fills in every key area and one action.
    const typed: Record<string, string> = {
      'action.0.text': 'Book the EDI refresher',
      'action.0.owner': 'employee',
      'action.0.due': '2027-01-31',
    };
    for (const id of Object.keys(prefilled)) {
      const area = /^area\.(.+)\.(notes|outcomes)$/.exec(id);
      if (area)
        typed[id] = area[2] === 'notes' ? `Talked about ${area[1]}.` : `Agreed next steps on ${area[1]}.`;
    }
    assert.ok(Object.keys(typed).length > 3, 'the form has key areas');
    const copy = await press(managerClient!, prompt.message, form, 'log.save', typed);
    assert.match(cardText(copy), /Saved\. You and the employee each have a copy of this record\./);
    assert.match(cardText(copy), /Book the EDI refresher — Employee, due 31 Jan 2027/);
    cycle.recordMessage = prompt.message;
    cycle.recordCard = copy;

    const record = await stored();
    assert.equal(record.status, 'completed');
    assert.equal(record.date, booked.date);
    assert.equal(record.areas.wellbeing?.notes, 'Talked about wellbeing.');
    assert.equal(record.prep?.shared, true, 'the preparation is kept with the record');
    assert.ok(record.actions?.some((a) => a.text === 'Book the EDI refresher' && !a.done));
    const row = await app!.records.team.get(manager.id, employee.id);
    assert.equal(row?.evaluation?.lastHeld, booked.date);

    // The employee's copy reaches their Playground, refreshable for both of them.
    const employeeCopy = await nextCard(
      employeeClient!,
      new RegExp(`${manager.name} recorded your conversation\\. This is your copy\\.`),
    );
    assert.match(cardText(employeeCopy.card), /Talked about wellbeing\./);
    const refresh = employeeCopy.card.refresh as { action: { verb: string }; userIds: string[] };
    assert.equal(refresh.action.verb, 'record');
    assert.deepEqual(refresh.userIds.sort(), [`29:${employee.id}`, `29:${manager.id}`].sort());
    cycle.employeeCopy = employeeCopy;
  });

  it('employee: acknowledges with a comment; it is stored and the manager is told', async () => {
    const copy = cycle.employeeCopy!;
    const acked = await press(employeeClient!, copy.message, copy.card, 'record.ack', {
      comments: 'Thanks, a fair record.',
    });
    assert.match(cardText(acked), /Thank you — your acknowledgement has been recorded\./);
    assert.match(cardText(acked), /Acknowledged by the employee on/);
    assert.match(cardText(acked), /Thanks, a fair record\./);
    assert.throws(() => buttonData(acked, 'record.ack'), 'nothing left to acknowledge');

    const notice = await nextCard(managerClient!, new RegExp(`${employee.name} acknowledged the record`));
    assert.match(cardText(notice.card), /Thanks, a fair record\./);

    const record = await stored();
    assert.equal(record.acknowledgedAt, clock.today());
    assert.equal(record.employeeComments, 'Thanks, a fair record.');
    const audit = await app!.records.audit.forSubject(employee.id);
    assert.ok(audit.some((a) => a.action === 'conversation.acknowledged' && a.actorId === employee.id));

    // The manager's copy refreshes (Universal Actions) to show the acknowledgement.
    const refresh = cycle.recordCard!.refresh as { action: { verb: string; data: Record<string, unknown> } };
    const refreshed = await managerClient!.invoke({
      replyToId: cycle.recordMessage!.messageId,
      verb: refresh.action.verb,
      data: refresh.action.data,
    });
    assert.match(cardText(checked(refreshed.value)), /Acknowledged by the employee on/);
    assert.match(cardText(refreshed.value), /Thanks, a fair record\./);
  });

  it('manager: a nudge sweep for a chosen day sends a reminder card; Schedule on it books', async () => {
    // The day after the cycle above, at the sweep's 09:00 (Europe/London).
    const day = '2026-11-24';
    clock.set(`${day}T12:00:00Z`);
    assert.equal(await app!.jobs.runNow('nudge-sweep', new Date(`${day}T09:00:00Z`)), 'ran');
    const reminder = await nextCard(managerClient!, /Schedule/);
    const text = cardText(reminder.card);
    assert.match(text, /overdue by \d+ days|due in \d+ days|due today/i);
    const choice = buttonsData(reminder.card, 'schedule').find((d) => d.employeeId !== employee.id);
    assert.ok(choice, 'the reminder offers Schedule for someone not yet booked');
    const person = org.employees.find((e) => e.id === choice.employeeId)!;
    assert.ok(text.includes(person.name), 'the card names who it is about');
    const slotsAnswer = await managerClient!.invoke({
      replyToId: reminder.message.messageId,
      verb: 'schedule',
      data: choice,
    });
    const slots = checked(slotsAnswer.value);
    assert.match(cardText(slots), new RegExp(`Schedule a conversation: ${literal(person.name)} with`));
    const times = choicesOf(slots, 'slot');
    assert.equal(times.length, 3);
    const booked = await press(managerClient!, reminder.message, slots, 'schedule.book', {
      slot: times[0]!.value,
    });
    assert.match(cardText(booked), new RegExp(`Booked for ${literal(times[0]!.title)}`));
    const rows = (await app!.records.conversations.listForEmployee(person.id)).map((r) => r.value);
    assert.equal(
      rows.filter((r) => r.status === 'scheduled').length,
      1,
      'the reminder booked a conversation',
    );
  });
});

/** `text` as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

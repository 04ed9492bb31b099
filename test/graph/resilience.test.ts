/**
 * Graph failing the way it does in production, through the real client against the stand-in:
 * throttling (429 + Retry-After) and unavailability (503) retried after the stated delay; a create
 * whose response is lost, retried with the same transactionId, making one meeting; a missing
 * permission (403) becoming a message that names it while later calls still work; a slow Graph
 * cut off by the timeout; a throttled step inside $batch sent again.
 */
import { strict as assert } from 'node:assert';
import { wallTimeToUtc } from '../../core/dates/london-time';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { GraphPermissionError, GraphUnavailableError } from '../../bot/graph/errors';
import { GraphCalendar } from '../../bot/graph/graph-calendar';
import { ConversationScheduler } from '../../bot/graph/scheduling';
import { createLogger } from '../../bot/log';
import { MemoryDirectory } from '../support/fakes';
import { type GraphFixture, fixedClock, quietLogs, startGraphFixture } from './fixture';

const log = createLogger('test.resilience');
const TYPE = 'professional-conversation';

describe('Graph resilience', () => {
  const org = generateDemoOrg({ asOf: '2026-03-27' });
  const manager = org.employees.find((e) => e.id === org.teamManagerIds[1])!;
  const employee = org.employees.find((e) => e.managerId === manager.id && e.leaveDate === undefined)!;
  let fixture: GraphFixture;

  const scheduler = (calendar = new GraphCalendar(fixture.connection.client, { log })) =>
    new ConversationScheduler({
      calendar,
      directory: new MemoryDirectory(org.employees),
      policy: PROFESSIONAL_CONVERSATION,
      clock: fixedClock('2026-03-27T10:00:00Z'),
      workingDays: 5,
      log,
    });
  const monday = (hour: number) => wallTimeToUtc('2026-03-30', hour * 60, 'Europe/London');

  beforeEach(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees, busySeed: 3 });
  });
  afterEach(() => fixture.close());

  it('retries a 429 after the Retry-After delay, then succeeds with the real answer', async () => {
    fixture.standin.fault({
      method: 'POST',
      path: /\/calendar\/getSchedule$/,
      kind: 'throttle',
      retryAfterSeconds: 1,
    });
    const window = { start: monday(0), end: monday(24) };
    const schedules = await new GraphCalendar(fixture.connection.client, { log }).getSchedules(
      manager.id,
      [manager.email, employee.email],
      window,
    );
    const calls = fixture.standin.requests.filter((r) => r.path.endsWith('/calendar/getSchedule'));
    assert.deepEqual(
      calls.map((c) => c.status),
      [429, 200],
    );
    const waited = calls[1]!.at - calls[0]!.at;
    assert.ok(waited >= 1000, `retried after ${waited} ms, before the 1 s Retry-After`);
    assert.ok(waited < 2500, `retried after ${waited} ms: the SDK's own 3 s delay, not Retry-After`);
    const expected = fixture.standin.calendars.busyBetween(manager.id, window.start, window.end);
    assert.ok(expected.length > 0);
    assert.deepEqual(
      schedules[0]!.items.map((i) => [i.start, i.end, i.status]),
      expected.map((b) => [b.start, b.end, b.status]),
    );
  });

  it('retries a 503 with Retry-After the same way', async () => {
    fixture.standin.fault({
      method: 'POST',
      path: /\/calendar\/getSchedule$/,
      kind: 'unavailable',
      retryAfterSeconds: 1,
    });
    const proposal = await scheduler().propose(manager.id, employee.id, TYPE);
    assert.equal(proposal.slots.length, 3);
    const calls = fixture.standin.requests.filter((r) => r.path.endsWith('/calendar/getSchedule'));
    assert.deepEqual(
      calls.map((c) => c.status),
      [503, 200],
    );
    assert.ok(calls[1]!.at - calls[0]!.at >= 1000);
  });

  it('gives up with a clear message when Graph stays throttled', async () => {
    fixture.standin.fault({
      method: 'POST',
      path: /getSchedule/,
      kind: 'throttle',
      retryAfterSeconds: 0,
      times: 10,
    });
    const error = await scheduler()
      .propose(manager.id, employee.id, TYPE)
      .then(
        () => assert.fail('expected Graph to stay throttled'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof GraphUnavailableError, String(error));
    assert.equal(error.status, 429);
    assert.match(error.userMessage, /busy or unavailable right now.*try again in a few minutes/);
    // Three retries (GRAPH_MAX_RETRIES default) after the first attempt.
    assert.equal(fixture.standin.requests.filter((r) => r.fault === 'throttle').length, 4);
  });

  it('makes one meeting when the response to a create is lost and the create is retried', async () => {
    fixture.standin.fault({ method: 'POST', path: /\/events$/, kind: 'drop' });
    const s = scheduler();
    const { slots } = await s.propose(manager.id, employee.id, TYPE);
    const link = await s.book({
      conversationId: 'conv-dropped',
      managerId: manager.id,
      employeeId: employee.id,
      typeId: TYPE,
      slot: slots[0]!,
    });
    const creates = fixture.standin.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events'));
    assert.deepEqual(
      creates.map((c) => [c.status, c.fault]),
      [
        [201, 'drop'],
        [200, undefined],
      ],
      'the first create was done but its answer lost; the retry found it by transactionId',
    );
    const events = fixture.standin.calendars.eventsOf(manager.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.id, link.eventId);
  });

  it('names the missing permission on a 403, and keeps working once it is granted', async () => {
    fixture.standin.grant(['User.Read.All']);
    const s = scheduler();
    const error = await s.propose(manager.id, employee.id, TYPE).then(
      () => assert.fail('expected a permission error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphPermissionError, String(error));
    assert.equal(error.permission, 'Calendars.ReadWrite');
    assert.equal(error.operation, 'read free/busy');
    assert.equal(
      error.userMessage,
      'The app is not allowed to read free/busy in Microsoft 365: it needs the Microsoft Graph application permission Calendars.ReadWrite, granted with admin consent (and the mailbox allowed by the Exchange application access policy). Please ask your Microsoft 365 administrator.',
    );
    fixture.standin.grant(['User.Read.All', 'Calendars.ReadWrite']);
    const proposal = await s.propose(manager.id, employee.id, TYPE);
    assert.equal(proposal.slots.length, 3);
  });

  it('reports a 403 switched on for one create as the create permission', async () => {
    fixture.standin.fault({ method: 'POST', path: /\/events$/, kind: 'forbidden' });
    const error = await new GraphCalendar(fixture.connection.client, { log })
      .createEvent(manager.id, {
        subject: 'x',
        bodyHtml: 'x',
        start: monday(10),
        end: monday(11),
        timeZone: 'Europe/London',
        attendees: [],
        transactionId: 't-403',
      })
      .then(
        () => assert.fail('expected 403'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof GraphPermissionError);
    assert.equal(error.operation, 'create meeting');
    assert.match(error.userMessage, /Calendars\.ReadWrite/);
    assert.equal(fixture.standin.calendars.eventsOf(manager.id).length, 0);
  });

  it('stops waiting for a slow Graph after the timeout, and the next call works', async () => {
    fixture.standin.fault({ method: 'POST', path: /getSchedule/, kind: 'slow', delayMs: 1500 });
    const calendar = new GraphCalendar(fixture.connection.client, { log, timeoutMs: 400 });
    const window = { start: monday(9), end: monday(17) };
    const started = Date.now();
    const error = await calendar.getSchedules(manager.id, [manager.email], window).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GraphUnavailableError, String(error));
    assert.ok(Date.now() - started < 1400);
    const schedules = await calendar.getSchedules(manager.id, [manager.email], window);
    assert.equal(schedules[0]!.error, undefined);
  });

  it('sends a throttled $batch step again after its Retry-After', async () => {
    const calendar = new GraphCalendar(fixture.connection.client, { log });
    const made = await calendar.createEvent(manager.id, {
      subject: 'batch me',
      bodyHtml: 'x',
      start: monday(15),
      end: monday(16),
      timeZone: 'Europe/London',
      attendees: [],
      transactionId: 't-batch',
    });
    fixture.standin.fault({ method: 'GET', path: /\/events\//, kind: 'throttle', retryAfterSeconds: 1 });
    const started = Date.now();
    const [event] = await calendar.getEvents([{ organizerId: manager.id, eventId: made.id }]);
    assert.ok(Date.now() - started >= 1000);
    assert.equal(event?.subject, 'batch me');
    const steps = fixture.standin.requests.filter((r) => r.batch);
    assert.deepEqual(
      steps.map((r) => r.status),
      [429, 200],
    );
  });
});

/**
 * Scheduling through the real Graph client against the stand-in over TLS: proposals free for both
 * people, in working hours, on working days, across the March 2026 clock change and Easter; the
 * booked Teams meeting as Graph stores it; moving, cancelling, and reading meetings back in $batch.
 */
import { strict as assert } from 'node:assert';
import { bookingKey, type PersonSchedule } from '../../core/calendar';
import { formatIsoDate, isoWeekday, parseIsoDate } from '../../core/dates/day';
import { utcToWallTime, wallTimeToUtc } from '../../core/dates/london-time';
import { type Employee } from '../../core/model';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { type Interval } from '../../core/slots';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { GraphCalendar } from '../../bot/graph/graph-calendar';
import { ConversationScheduler, SchedulingError } from '../../bot/graph/scheduling';
import { createLogger } from '../../bot/log';
import { MemoryDirectory } from '../support/fakes';
import { type GraphFixture, fixedClock, quietLogs, startGraphFixture } from './fixture';

const log = createLogger('test.scheduling');
const policy = PROFESSIONAL_CONVERSATION;
const TYPE = 'professional-conversation';
const london = (date: string, hhmm: string) =>
  wallTimeToUtc(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), 'Europe/London');

describe('Graph scheduling', () => {
  const org = generateDemoOrg({ asOf: '2026-03-27' });
  const manager = org.employees.find((e) => e.id === org.teamManagerIds[0])!;
  const employee = org.employees.find((e) => e.managerId === manager.id && e.leaveDate === undefined)!;
  let fixture: GraphFixture;

  const scheduler = (clockIso: string, workingDays = 5) =>
    new ConversationScheduler({
      calendar: new GraphCalendar(fixture.connection.client, { log }),
      directory: new MemoryDirectory(org.employees),
      policy,
      clock: fixedClock(clockIso),
      workingDays,
      log,
    });

  /** Independent check: the slot is inside working hours on a working day and clashes with nobody's busy time. */
  const assertBookable = (slot: Interval, people: readonly Employee[]) => {
    const start = utcToWallTime(slot.start, 'Europe/London');
    const end = utcToWallTime(slot.end, 'Europe/London');
    assert.equal(start.date, end.date);
    assert.ok(isoWeekday(parseIsoDate(start.date)) <= 5, `${start.date} is a weekend`);
    assert.ok(!['2026-04-03', '2026-04-06'].includes(start.date), `${start.date} is a bank holiday`);
    assert.ok(
      start.minutes >= 9 * 60 && end.minutes <= 17 * 60,
      `${start.minutes}-${end.minutes} outside 09:00-17:00`,
    );
    for (const person of people) {
      const clashes = fixture.standin.calendars
        .busyBetween(person.id, slot.start, slot.end)
        .filter((b) => b.status !== 'free' && b.status !== 'workingElsewhere');
      assert.deepEqual(clashes, [], `${person.name} is busy then`);
    }
  };

  beforeEach(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees });
  });
  afterEach(() => fixture.close());

  it('proposes the first free slots for both people across the change to BST', async () => {
    // Friday 27 March 2026 (GMT): the manager is busy for the rest of the day. Clocks go forward on Sunday 29.
    fixture.standin.calendars.addBusy(manager.id, {
      start: london('2026-03-27', '10:00'),
      end: london('2026-03-27', '17:00'),
      status: 'busy',
      subject: 'Panel',
    });
    // Monday 30 March (BST): the employee is busy until 10:30, the manager 11:00–12:00 (tentative).
    fixture.standin.calendars.addBusy(employee.id, {
      start: london('2026-03-30', '09:00'),
      end: london('2026-03-30', '10:30'),
      status: 'busy',
      subject: 'Rota',
    });
    fixture.standin.calendars.addBusy(manager.id, {
      start: london('2026-03-30', '11:00'),
      end: london('2026-03-30', '12:00'),
      status: 'tentative',
      subject: 'Maybe',
    });

    const proposal = await scheduler('2026-03-27T10:00:00Z').propose(manager.id, employee.id, TYPE);
    assert.equal(proposal.durationMinutes, 30);
    assert.deepEqual(
      proposal.slots.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()]),
      [
        ['2026-03-30T09:30:00.000Z', '2026-03-30T10:00:00.000Z'], // 10:30 BST, between the two
        ['2026-03-31T08:00:00.000Z', '2026-03-31T08:30:00.000Z'], // 09:00 BST
        ['2026-04-01T08:00:00.000Z', '2026-04-01T08:30:00.000Z'],
      ],
    );
    for (const slot of proposal.slots) assertBookable(slot, [manager, employee]);
    // The window: 5 working days from Friday, to midnight after Thursday 2 April.
    assert.equal(proposal.window.end, london('2026-04-03', '00:00'));
    const schedule = fixture.standin.requests.find((r) => r.path.endsWith('/calendar/getSchedule'));
    assert.equal(schedule?.path, `/users/${manager.id}/calendar/getSchedule`);
  });

  it('proposes only free, in-hours, working-day slots in a realistic busy week over Easter', async () => {
    await fixture.close();
    fixture = await startGraphFixture({ employees: org.employees, busySeed: 7 });
    const proposal = await scheduler('2026-04-02T07:00:00Z', 10).propose(manager.id, employee.id, TYPE, 60);
    assert.equal(proposal.slots.length, policy.calendar.proposeSlots);
    const days = proposal.slots.map((s) => utcToWallTime(s.start, 'Europe/London').date);
    assert.equal(new Set(days).size, days.length, 'one slot a day while that finds enough');
    for (const slot of proposal.slots) {
      assert.equal(slot.end - slot.start, 60 * 60_000);
      assertBookable(slot, [manager, employee]);
    }
    // Real seeded meetings were there to avoid.
    const busy = fixture.standin.calendars.busyBetween(
      manager.id,
      proposal.window.start,
      proposal.window.end,
    );
    assert.ok(busy.length > 10, `expected a busy calendar, got ${busy.length} blocks`);
  });

  it('books a Teams meeting on the manager’s calendar with the employee and the five areas, once', async () => {
    const s = scheduler('2026-03-27T10:00:00Z');
    const { slots } = await s.propose(manager.id, employee.id, TYPE);
    const slot = slots[0]!;
    const link = await s.book({
      conversationId: 'conv-1',
      managerId: manager.id,
      employeeId: employee.id,
      typeId: TYPE,
      slot,
    });
    assert.equal(Date.parse(link.start), slot.start);
    assert.equal(Date.parse(link.end), slot.end);
    assert.match(link.joinUrl ?? '', /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    const [event, ...others] = fixture.standin.calendars.eventsOf(manager.id);
    assert.equal(others.length, 0);
    assert.equal(event!.id, link.eventId);
    assert.deepEqual(
      event!.attendees.map((a) => a.emailAddress.address),
      [employee.email],
    );
    assert.equal(event!.isOnlineMeeting, true);
    assert.equal(event!.onlineMeetingProvider, 'teamsForBusiness');
    assert.equal(event!.transactionId, bookingKey('conv-1'));
    assert.equal(event!.timeZone, 'Europe/London');
    assert.match(
      event!.subject,
      new RegExp(`^Professional Conversation: ${employee.name} with ${manager.name}$`),
    );
    for (const area of policy.conversationTypes[0]!.areas)
      assert.ok(event!.body.content.includes(area.title.replace(/&/g, '&amp;')), area.title);

    // Booking the same conversation again returns the same meeting; the slot is now taken for both.
    const again = await s
      .book({ conversationId: 'conv-1', managerId: manager.id, employeeId: employee.id, typeId: TYPE, slot })
      .then(
        () => 'booked',
        (e: unknown) => (e instanceof SchedulingError ? e.reason : String(e)),
      );
    assert.equal(again, 'slot-taken');
    const next = await s.propose(manager.id, employee.id, TYPE);
    assert.ok(next.slots.every((x) => x.end <= slot.start || x.start >= slot.end));
  });

  it('moves and cancels the meeting, and reads meetings back in one $batch', async () => {
    const s = scheduler('2026-03-27T10:00:00Z');
    const { slots } = await s.propose(manager.id, employee.id, TYPE);
    const first = await s.book({
      conversationId: 'a',
      managerId: manager.id,
      employeeId: employee.id,
      typeId: TYPE,
      slot: slots[0]!,
    });
    const second = await s.book({
      conversationId: 'b',
      managerId: manager.id,
      employeeId: employee.id,
      typeId: TYPE,
      slot: slots[1]!,
    });
    const third = await s.book({
      conversationId: 'c',
      managerId: manager.id,
      employeeId: employee.id,
      typeId: TYPE,
      slot: slots[2]!,
    });

    // Our own reschedule: the event moves, attendees kept.
    const moved = await s.reschedule({ organizerId: manager.id, eventId: first.eventId }, employee.id, {
      start: london('2026-04-02', '14:00'),
      end: london('2026-04-02', '14:30'),
    });
    assert.equal(moved.start, '2026-04-02T13:00:00.000Z');
    const stored = fixture.standin.calendars.get(manager.id, first.eventId)!;
    assert.equal(stored.start, london('2026-04-02', '14:00'));
    assert.deepEqual(
      stored.attendees.map((a) => a.emailAddress.address),
      [employee.email],
    );

    // In Outlook: the manager drags the second meeting an hour later, and deletes the third.
    const outlookEvent = fixture.standin.calendars.get(manager.id, second.eventId)!;
    outlookEvent.start += 3_600_000;
    outlookEvent.end += 3_600_000;
    fixture.standin.calendars.delete(manager.id, third.eventId);
    const batchesBefore = fixture.standin.requests.filter((r) => r.path === '/$batch').length;

    const changes = await s.check([
      { organizerId: manager.id, meeting: moved },
      { organizerId: manager.id, meeting: second },
      { organizerId: manager.id, meeting: third },
    ]);
    assert.deepEqual(changes, [
      { kind: 'unchanged' },
      { kind: 'moved', start: Date.parse(second.start) + 3_600_000, end: Date.parse(second.end) + 3_600_000 },
      { kind: 'cancelled' },
    ]);
    assert.equal(fixture.standin.requests.filter((r) => r.path === '/$batch').length, batchesBefore + 1);

    await s.cancel({ organizerId: manager.id, eventId: first.eventId }, 'Rearranging after leave');
    assert.equal(fixture.standin.calendars.get(manager.id, first.eventId)!.isCancelled, true);
    assert.deepEqual(await s.check([{ organizerId: manager.id, meeting: moved }]), [{ kind: 'cancelled' }]);
    // Cancelling a deleted meeting is not an error: it is not happening, as asked.
    await s.cancel({ organizerId: manager.id, eventId: third.eventId }, 'again');
  });

  it('reads more meetings than one $batch holds in several batches', async () => {
    const calendar = new GraphCalendar(fixture.connection.client, { log });
    const day = parseIsoDate('2026-04-06');
    const refs = [];
    for (let i = 0; i < 23; i++) {
      const start = london(
        formatIsoDate(day + 1 + Math.floor(i / 8)),
        `${String(9 + (i % 8)).padStart(2, '0')}:00`,
      );
      const event = await calendar.createEvent(manager.id, {
        subject: `s${i}`,
        bodyHtml: '<p>x</p>',
        start,
        end: start + 1_800_000,
        timeZone: 'Europe/London',
        attendees: [{ id: employee.id, email: employee.email, name: employee.name }],
        transactionId: `t${i}`,
      });
      refs.push({ organizerId: manager.id, eventId: event.id });
    }
    refs.push({ organizerId: manager.id, eventId: 'AAMk-missing' });
    const events = await calendar.getEvents(refs);
    assert.deepEqual(
      events.map((e) => e?.subject),
      [...Array.from({ length: 23 }, (_, i) => `s${i}`), undefined],
    );
    const batches = fixture.standin.requests.filter((r) => r.path === '/$batch');
    assert.equal(batches.length, 2, '24 reads in batches of 20 and 4');
  });

  it('turns an unreadable calendar into no proposals rather than wrong ones', async () => {
    const schedules: PersonSchedule[] = await new GraphCalendar(fixture.connection.client, {
      log,
    }).getSchedules(manager.id, [manager.email, 'nobody@council.example'], {
      start: london('2026-03-30', '09:00'),
      end: london('2026-03-31', '00:00'),
    });
    assert.equal(schedules[0]!.error, undefined);
    assert.equal(schedules[1]!.error, 'ErrorMailboxNotFound');
  });
});

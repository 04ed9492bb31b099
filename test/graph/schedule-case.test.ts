/**
 * getSchedule answers as Exchange may write them, through the real Graph client against the
 * stand-in over TLS: each `scheduleId` is the mailbox's primary address in another case than the
 * address asked for, and free/busy values come as `Busy`, `FREE`, `WorkingElsewhere`. The app must
 * match each answer to its person and read every status (a `Free` read as unknown would block it).
 */
import { strict as assert } from 'node:assert';
import { type FreeBusyStatus } from '../../core/calendar';
import { wallTimeToUtc } from '../../core/dates/london-time';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { type ScheduleCase } from '../../bot/dev/graph-standin';
import { FREE_BUSY } from '../../bot/dev/graph-standin-calendar';
import { GraphCalendar, freeBusyStatus, matchSchedules } from '../../bot/graph/graph-calendar';
import { createLogger } from '../../bot/log';
import { type GraphFixture, quietLogs, startGraphFixture } from './fixture';

const log = createLogger('test.schedule-case');
const at = (hhmm: string) =>
  wallTimeToUtc('2026-03-30', Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), 'Europe/London');

describe('Graph getSchedule in another case', () => {
  const org = generateDemoOrg({ asOf: '2026-03-27', people: 30 });
  const employee = org.employees.find(
    (e) => e.leaveDate === undefined && org.teamManagerIds.includes(e.managerId ?? ''),
  )!;
  const manager = org.employees.find((e) => e.id === employee.managerId)!;
  const window = { start: at('08:00'), end: at('18:00') };
  let fixture: GraphFixture;

  before(async () => {
    quietLogs();
    fixture = await startGraphFixture({ employees: org.employees });
    // One block of each status Graph documents, an hour apart, on the employee's calendar.
    FREE_BUSY.forEach((status, i) =>
      fixture.standin.calendars.addBusy(employee.id, {
        start: at(`${String(9 + i).padStart(2, '0')}:00`),
        end: at(`${String(9 + i).padStart(2, '0')}:30`),
        status,
        subject: status,
      }),
    );
    fixture.standin.calendars.addBusy(manager.id, {
      start: at('15:00'),
      end: at('16:00'),
      status: 'busy',
      subject: 'Panel',
    });
  });
  after(() => fixture.close());

  const cases: [string, ScheduleCase][] = [
    ['upper-case ids and statuses', { scheduleId: 'upper', status: 'upper' }],
    ['primary addresses in lower case, statuses capitalised', { scheduleId: 'lower', status: 'capitalised' }],
  ];
  for (const [label, how] of cases) {
    it(`matches each person and reads every status: ${label}`, async () => {
      fixture.standin.scheduleCase(how);
      try {
        const calendar = new GraphCalendar(fixture.connection.client, { log });
        // Asked in mixed case, as an address typed by HR might be.
        const asked = [manager.email, employee.email].map((a) => a.charAt(0).toUpperCase() + a.slice(1));
        const schedules = await calendar.getSchedules(manager.id, asked, window);
        assert.deepEqual(
          schedules.map((s) => [s.email, s.error]),
          asked.map((email) => [email, undefined]),
        );
        const [ofManager, ofEmployee] = schedules;
        assert.deepEqual(
          ofEmployee!.items.map((i) => i.status),
          [...FREE_BUSY] satisfies FreeBusyStatus[],
          'every status read, none unknown',
        );
        assert.deepEqual(
          ofManager!.items.map((i) => [i.status, i.start, i.end]),
          [['busy', at('15:00'), at('16:00')]],
        );
        // The stand-in really answered in another case (so the test proves the matching).
        const raw = (await fixture.connection.client
          .api(`/users/${manager.id}/calendar/getSchedule`)
          .header('Prefer', 'outlook.timezone="UTC"')
          .post({
            schedules: asked,
            startTime: { dateTime: new Date(window.start).toISOString().slice(0, 19), timeZone: 'UTC' },
            endTime: { dateTime: new Date(window.end).toISOString().slice(0, 19), timeZone: 'UTC' },
          })) as { value: { scheduleId: string; scheduleItems: { status: string }[] }[] };
        assert.ok(
          raw.value.every((v, i) => v.scheduleId !== asked[i]),
          raw.value.map((v) => v.scheduleId).join(),
        );
        assert.ok(
          raw.value[1]!.scheduleItems.every(
            (item) => !(FREE_BUSY as readonly string[]).includes(item.status),
          ),
        );
      } finally {
        fixture.standin.scheduleCase({});
      }
    });
  }
});

describe('getSchedule answers matched to the addresses asked', () => {
  const answer = (scheduleId: string) => ({ scheduleId });

  it('ignores case, and takes an answer with an address nobody asked for at its position', () => {
    const matched = matchSchedules(
      ['Alex.Kim@council.example', 'a.patel@council.example', 'sam@council.example'],
      // Graph answers in the order asked; an alias comes back as the primary address.
      [
        answer('alex.kim@COUNCIL.example'),
        answer('asha.patel@council.example'),
        answer('SAM@council.example'),
      ],
    );
    assert.deepEqual(
      matched.map((m) => m?.scheduleId),
      ['alex.kim@COUNCIL.example', 'asha.patel@council.example', 'SAM@council.example'],
    );
  });

  it('does not guess when Graph answered fewer schedules than asked', () => {
    const matched = matchSchedules(['a@x.example', 'b@x.example'], [answer('other@x.example')]);
    assert.deepEqual(matched, [undefined, undefined]);
  });

  it('reads free/busy values in any case, and anything else as unknown (busy)', () => {
    assert.deepEqual(
      ['Busy', 'FREE', 'workingelsewhere', 'OOF', 'Tentative', 'away', undefined].map(freeBusyStatus),
      ['busy', 'free', 'workingElsewhere', 'oof', 'tentative', 'unknown', 'unknown'],
    );
  });
});

/** The pure calendar rules (core/calendar.ts) and the daily sync's timing, without Graph. */
import { strict as assert } from 'node:assert';
import { describeSlot, meetingChange, meetingText, proposeSlots, scheduleWindow } from '../../core/calendar';
import { wallTimeToUtc } from '../../core/dates/london-time';
import { policyCalendar } from '../../core/policy/calendar';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { nextRunAt } from '../../bot/graph/daily-sync';

const at = (date: string, hhmm: string) =>
  wallTimeToUtc(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), 'Europe/London');

describe('calendar rules', () => {
  const calendar = policyCalendar(PROFESSIONAL_CONVERSATION);

  it('reads N working days ahead, skipping weekends and bank holidays', () => {
    // Thursday 2 April 2026: Good Friday and Easter Monday are bank holidays.
    const window = scheduleWindow(calendar, at('2026-04-02', '15:00'), 3);
    assert.equal(window.start, at('2026-04-02', '15:00'));
    assert.equal(window.end, at('2026-04-09', '00:00'), 'Thu 2, Tue 7, Wed 8 April');
    const fromSaturday = scheduleWindow(calendar, at('2026-03-28', '12:00'), 1);
    assert.equal(fromSaturday.end, at('2026-03-31', '00:00'), 'the first working day is Monday 30 March');
  });

  it('treats an unreadable calendar as busy and tentative time as busy, working elsewhere as free', () => {
    const window = { start: at('2026-03-30', '00:00'), end: at('2026-03-31', '00:00') };
    const base = { policy: PROFESSIONAL_CONVERSATION, typeId: 'professional-conversation', window };
    assert.deepEqual(
      proposeSlots({ ...base, schedules: [{ email: 'a', items: [], error: 'ErrorMailboxNotFound' }] }),
      [],
    );
    const slots = proposeSlots({
      ...base,
      schedules: [
        {
          email: 'a',
          items: [
            { start: at('2026-03-30', '09:00'), end: at('2026-03-30', '10:00'), status: 'tentative' },
            { start: at('2026-03-30', '10:00'), end: at('2026-03-30', '12:00'), status: 'workingElsewhere' },
          ],
        },
      ],
    });
    assert.deepEqual(
      slots.map((s) => describeSlot(s, 'Europe/London')),
      ['Mon 30 Mar 2026, 10:00–10:30', 'Mon 30 Mar 2026, 10:30–11:00', 'Mon 30 Mar 2026, 11:00–11:30'],
      'one day only: the earliest free slots fill the three',
    );
  });

  it('names the conversation type and every area in the invitation, escaped', () => {
    const manager = { id: 'm', email: 'm@x', name: 'Ann <Manager>' };
    const employee = { id: 'e', email: 'e@x', name: 'Bo' };
    const text = meetingText(CAREER_CONVERSATIONS, 'career-conversation', manager, employee);
    assert.equal(text.subject, 'Career conversation: Bo with Ann <Manager>');
    assert.match(text.bodyHtml, /Ann &lt;Manager&gt;/);
    for (const area of CAREER_CONVERSATIONS.conversationTypes[2]!.areas) {
      assert.ok(text.bodyHtml.includes(`<li>${area.title.replace(/'/g, '&#39;')}</li>`), area.title);
    }
    assert.throws(
      () => meetingText(CAREER_CONVERSATIONS, 'nope', manager, employee),
      /"nope" is not a conversation type/,
    );
  });

  it('tells from a read-back whether the meeting moved or was cancelled', () => {
    const booked = { eventId: 'e1', start: '2026-03-30T09:00:00.000Z', end: '2026-03-30T09:30:00.000Z' };
    const event = {
      id: 'e1',
      subject: 's',
      start: Date.parse(booked.start),
      end: Date.parse(booked.end),
      cancelled: false,
      attendeeEmails: [],
    };
    assert.deepEqual(meetingChange(booked, event), { kind: 'unchanged' });
    assert.deepEqual(meetingChange(booked, { ...event, end: event.end + 60_000 }), {
      kind: 'moved',
      start: event.start,
      end: event.end + 60_000,
    });
    assert.deepEqual(meetingChange(booked, { ...event, cancelled: true }), { kind: 'cancelled' });
    assert.deepEqual(meetingChange(booked, undefined), { kind: 'cancelled' });
  });

  it('runs the daily sync at the London time, across the clock change', () => {
    assert.equal(nextRunAt(at('2026-03-28', '01:00'), '02:00'), at('2026-03-28', '02:00'));
    assert.equal(nextRunAt(at('2026-03-28', '02:00'), '02:00'), at('2026-03-29', '02:00'));
    // Clocks go forward at 01:00 UTC on 29 March 2026, so that day's 02:00 is BST: 01:00 UTC.
    assert.equal(
      new Date(nextRunAt(at('2026-03-28', '03:00'), '02:00')).toISOString(),
      '2026-03-29T01:00:00.000Z',
    );
    assert.equal(
      new Date(nextRunAt(at('2026-03-29', '12:00'), '02:00')).toISOString(),
      '2026-03-30T01:00:00.000Z',
    );
  });
});

/** Slot finding from free/busy (DESIGN.md §4 "Schedule": working hours, working days, bank holidays skipped). */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  findFreeSlots,
  formatZonedDateTime,
  isWorkingDay,
  mergeBusy,
  parseIsoDate,
  policyCalendar,
  PROFESSIONAL_CONVERSATION,
  utcToWallTime,
  wallTimeToUtc,
  type Interval,
} from '../../core/index';

const calendar = policyCalendar(PROFESSIONAL_CONVERSATION); // Mon–Fri 09:00–17:00 London, 30-minute steps
const at = (date: string, hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return wallTimeToUtc(date, (h ?? 0) * 60 + (m ?? 0));
};
const show = (slots: readonly Interval[]): string[] => slots.map((s) => formatZonedDateTime(s.start));

describe('slots: hand-worked cases', () => {
  it('skips Good Friday, the weekend and Easter Monday 2026 and starts at 09:00 BST', () => {
    const slots = findFreeSlots({
      busy: [[], []],
      from: at('2026-04-03', '10:00'),
      durationMinutes: 30,
      count: 3,
      calendar,
    });
    assert.deepEqual(show(slots), [
      '2026-04-07T09:00:00+01:00',
      '2026-04-07T09:30:00+01:00',
      '2026-04-07T10:00:00+01:00',
    ]);
  });

  it('works around both calendars and keeps slots inside working hours', () => {
    const manager: Interval[] = [{ start: at('2026-06-01', '09:00'), end: at('2026-06-01', '10:15') }];
    const employee: Interval[] = [
      { start: at('2026-06-01', '10:30'), end: at('2026-06-01', '16:00') },
      { start: at('2026-06-02', '09:00'), end: at('2026-06-02', '09:30') },
    ];
    const slots = findFreeSlots({
      busy: [manager, employee],
      from: at('2026-06-01', '08:00'),
      durationMinutes: 60,
      count: 3,
      calendar,
    });
    // 10:30 is the first step after 10:15 but the employee is busy 10:30–16:00; 16:00–17:00 fits.
    assert.deepEqual(show(slots), [
      '2026-06-01T16:00:00+01:00',
      '2026-06-02T09:30:00+01:00',
      '2026-06-02T10:30:00+01:00',
    ]);
  });

  it('keeps local 09:00 across the change to BST (Fri 27 Mar GMT, Mon 30 Mar BST)', () => {
    const slots = findFreeSlots({
      busy: [],
      from: at('2026-03-27', '16:30'),
      durationMinutes: 60,
      count: 2,
      calendar,
      maxPerDay: 1,
    });
    assert.deepEqual(
      slots.map((s) => new Date(s.start).toISOString()),
      ['2026-03-30T08:00:00.000Z', '2026-03-31T08:00:00.000Z'],
    );
  });

  it('returns fewer slots when the horizon runs out, and none for nonsense requests', () => {
    const allBusy: Interval[] = [{ start: at('2026-06-01', '00:00'), end: at('2026-06-30', '00:00') }];
    assert.equal(
      findFreeSlots({
        busy: [allBusy],
        from: at('2026-06-01', '09:00'),
        durationMinutes: 30,
        count: 3,
        calendar,
        horizonDays: 10,
      }).length,
      0,
    );
    assert.equal(findFreeSlots({ busy: [], from: 0, durationMinutes: 0, count: 3, calendar }).length, 0);
    assert.equal(
      findFreeSlots({ busy: [], from: at('2026-06-01', '09:00'), durationMinutes: 600, count: 1, calendar })
        .length,
      0,
    );
  });

  it('merges overlapping and touching busy intervals and drops empty ones', () => {
    assert.deepEqual(
      mergeBusy([
        [
          { start: 5, end: 10 },
          { start: 0, end: 3 },
        ],
        [
          { start: 3, end: 4 },
          { start: 8, end: 12 },
          { start: 20, end: 20 },
        ],
      ]),
      [
        { start: 0, end: 4 },
        { start: 5, end: 12 },
      ],
    );
  });
});

describe('slots: properties', () => {
  const MIN = Date.parse('2026-03-20T00:00:00Z');
  const SPAN = 40 * 86_400_000;
  const interval = fc
    .record({
      start: fc.integer({ min: MIN, max: MIN + SPAN }),
      length: fc.integer({ min: 1, max: 6 * 3_600_000 }),
    })
    .map(({ start, length }) => ({ start, end: start + length }));
  const query = fc.record({
    busyA: fc.array(interval, { maxLength: 25 }),
    busyB: fc.array(interval, { maxLength: 25 }),
    from: fc.integer({ min: MIN, max: MIN + SPAN }),
    duration: fc.constantFrom(15, 30, 45, 60, 90),
    count: fc.integer({ min: 1, max: 6 }),
  });

  it('never overlaps a busy interval, a weekend, a bank holiday or time outside working hours', () => {
    fc.assert(
      fc.property(query, (q) => {
        const slots = findFreeSlots({
          busy: [q.busyA, q.busyB],
          from: q.from,
          durationMinutes: q.duration,
          count: q.count,
          calendar,
        });
        assert.ok(slots.length <= q.count);
        let previousEnd = q.from;
        for (const s of slots) {
          assert.equal(s.end - s.start, q.duration * 60_000);
          assert.ok(s.start >= previousEnd, 'in order, not overlapping each other, at or after from');
          previousEnd = s.end;
          for (const b of [...q.busyA, ...q.busyB])
            assert.ok(s.end <= b.start || s.start >= b.end, 'overlaps a busy interval');
          const startWall = utcToWallTime(s.start);
          const endWall = utcToWallTime(s.end);
          assert.equal(startWall.date, endWall.date);
          assert.ok(
            isWorkingDay(calendar, parseIsoDate(startWall.date)),
            `${startWall.date} is not a working day`,
          );
          assert.ok(startWall.minutes >= 540 && endWall.minutes <= 1020, 'outside 09:00–17:00');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds the earliest free aligned slot (compared with a brute-force scan)', () => {
    fc.assert(
      fc.property(query, (q) => {
        const [first] = findFreeSlots({
          busy: [q.busyA, q.busyB],
          from: q.from,
          durationMinutes: q.duration,
          count: 1,
          calendar,
        });
        const busy = [...q.busyA, ...q.busyB];
        let expected: number | undefined;
        for (
          let day = Math.floor(q.from / 86_400_000) - 1;
          day < Math.floor(q.from / 86_400_000) + 92 && expected === undefined;
          day += 1
        ) {
          if (!isWorkingDay(calendar, day)) continue;
          const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
          for (let m = 540; m + q.duration <= 1020 && expected === undefined; m += 30) {
            const t = wallTimeToUtc(date, m);
            const end = t + q.duration * 60_000;
            if (t >= q.from && busy.every((b) => end <= b.start || t >= b.end)) expected = t;
          }
        }
        assert.equal(first?.start, expected);
      }),
      { numRuns: 100 },
    );
  });
});

import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addMonths,
  addWorkingDays,
  civilFromDays,
  countWorkingDays,
  daysFromCivil,
  daysOnOrAfter,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  financialQuarter,
  financialQuarterOf,
  formatIsoDate,
  formatZonedDateTime,
  holidaySet,
  isoWeekday,
  isWorkingDay,
  nextWorkingDay,
  parseIsoDate,
  parseQuarterLabel,
  rollingWindow,
  shiftQuarter,
  tryParseIsoDate,
  tryParseQuarterLabel,
  utcOffsetMinutes,
  utcToWallTime,
  wallTimeToUtc,
  type WorkingCalendar,
} from '../../core/index';

const d = parseIsoDate;
const f = formatIsoDate;
const MIN_DAY = d('1990-01-01');
const MAX_DAY = d('2060-12-31');
const anyDay = fc.integer({ min: MIN_DAY, max: MAX_DAY });

describe('dates: day numbers', () => {
  it('agree with Date.UTC on every day in a 70-year range', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const { year, month, day: dom } = civilFromDays(day);
        assert.equal(Date.UTC(year, month - 1, dom) / 86_400_000, day);
        assert.equal(daysFromCivil(year, month, dom), day);
        assert.equal(d(f(day)), day);
      }),
    );
  });

  it('rejects text that is not a real calendar date', () => {
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-1-01',
      '26-01-01',
      '2026/01/01',
      '',
    ]) {
      assert.equal(tryParseIsoDate(bad), undefined, bad);
    }
    assert.equal(f(d('2024-02-29')), '2024-02-29');
    assert.throws(() => d('2026-02-30'), /"2026-02-30" is not a calendar date/);
  });

  it('knows the weekday (1 = Monday … 7 = Sunday)', () => {
    assert.equal(isoWeekday(d('1970-01-01')), 4);
    assert.equal(isoWeekday(d('2026-08-14')), 5);
    assert.equal(isoWeekday(d('2026-08-16')), 7);
    assert.equal(isoWeekday(d('2026-08-17')), 1);
  });
});

describe('dates: calendar months clamp at month ends (DESIGN.md §3.1 "calendar months")', () => {
  const cases: [string, number, string][] = [
    ['2025-08-31', 6, '2026-02-28'], // the example, common year
    ['2027-08-31', 6, '2028-02-29'], // ... and in a leap year
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-01-31', 3, '2026-04-30'], // council induction: eligibleFrom of a 31 Jan start
    ['2025-11-30', 3, '2026-02-28'],
    ['2028-02-29', -12, '2027-02-28'], // window start from a leap day
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-05-14', 3, '2026-08-14'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
  ];
  for (const [from, months, expected] of cases) {
    it(`${from} ${months >= 0 ? '+' : '−'} ${Math.abs(months)} months = ${expected}`, () => {
      assert.equal(f(addMonths(d(from), months)), expected);
    });
  }

  it('keeps the day of month unless the target month is shorter, then uses its last day', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -240, max: 240 }), (day, months) => {
        const a = civilFromDays(day);
        const b = civilFromDays(addMonths(day, months));
        assert.equal(b.year * 12 + b.month - (a.year * 12 + a.month), months);
        if (b.day !== a.day) {
          assert.ok(b.day < a.day);
          assert.equal(civilFromDays(addMonths(day, months) + 1).day, 1, 'clamped to the last day');
        }
      }),
    );
  });
});

describe('dates: rolling window (D − 12 months, D] (DESIGN.md §3.1 "window")', () => {
  const cases: [string, string][] = [
    ['2026-08-14', '2025-08-15'],
    ['2028-02-29', '2027-03-01'], // D − 12 months clamps to 28 Feb 2027; the window starts the day after
    ['2029-02-28', '2028-02-29'], // a leap day is inside the next year's window
    ['2026-03-31', '2025-04-01'],
  ];
  for (const [at, first] of cases) {
    it(`at ${at} starts ${first} and ends on D`, () => {
      const w = rollingWindow(d(at), 12);
      assert.equal(f(w.firstDay), first);
      assert.equal(f(w.lastDay), at);
    });
  }

  it('counts the days on or after a date', () => {
    const w = rollingWindow(d('2026-08-14'), 12);
    assert.equal(daysOnOrAfter(w, d('2000-01-01')), 365);
    assert.equal(daysOnOrAfter(w, d('2026-08-14')), 1);
    assert.equal(daysOnOrAfter(w, d('2026-08-15')), 0);
    assert.equal(daysOnOrAfter(rollingWindow(d('2028-08-14'), 12), d('2000-01-01')), 366);
  });
});

describe('dates: UK financial quarters (DESIGN.md §3.1 "Quarters", Q1 = April–June)', () => {
  const cases: [string, string][] = [
    ['2026-04-01', '2026/27 Q1'],
    ['2026-06-30', '2026/27 Q1'],
    ['2026-07-01', '2026/27 Q2'],
    ['2026-09-30', '2026/27 Q2'],
    ['2026-10-01', '2026/27 Q3'],
    ['2026-12-31', '2026/27 Q3'],
    ['2027-01-01', '2026/27 Q4'],
    ['2027-03-31', '2026/27 Q4'],
    ['2027-04-01', '2027/28 Q1'],
    ['2000-02-01', '1999/00 Q4'],
  ];
  for (const [day, label] of cases) {
    it(`${day} is in ${label}`, () => assert.equal(financialQuarterOf(d(day)).label, label));
  }

  it('parses labels and rejects malformed ones', () => {
    const q = parseQuarterLabel('2026/27 Q3');
    assert.equal(f(q.firstDay), '2026-10-01');
    assert.equal(f(q.lastDay), '2026-12-31');
    const q4 = parseQuarterLabel('2026/27 Q4');
    assert.equal(f(q4.firstDay), '2027-01-01');
    assert.equal(f(q4.lastDay), '2027-03-31');
    for (const bad of ['2026/28 Q1', '2026-27 Q1', '2026/27 Q5', '26/27 Q1'])
      assert.equal(tryParseQuarterLabel(bad), undefined, bad);
  });

  it('partition time: every day is in exactly one quarter and quarters abut', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const q = financialQuarterOf(day);
        assert.ok(q.firstDay <= day && day <= q.lastDay);
        const next = shiftQuarter(q, 1);
        assert.equal(next.firstDay, q.lastDay + 1);
        assert.deepEqual(financialQuarterOf(q.firstDay - 1), shiftQuarter(q, -1));
        assert.deepEqual(financialQuarterOf(q.lastDay + 1), next);
        assert.deepEqual(parseQuarterLabel(q.label), q);
        assert.ok(q.lastDay - q.firstDay + 1 >= 90 && q.lastDay - q.firstDay + 1 <= 92);
      }),
    );
  });

  it('four quarters make the financial year 1 April – 31 March', () => {
    const q1 = financialQuarter(2027, 1);
    const q4 = financialQuarter(2027, 4);
    assert.equal(f(q1.firstDay), '2027-04-01');
    assert.equal(f(q4.lastDay), '2028-03-31');
    assert.equal(q4.lastDay - q1.firstDay + 1, 366); // includes 29 Feb 2028
  });
});

/** England & Wales bank holiday rules, to check the data list against (gov.uk). */
function ruleBasedHolidays(year: number): string[] {
  // Anonymous Gregorian algorithm for Easter Sunday.
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const dd = Math.floor(b / 4);
  const e = b % 4;
  const ff = Math.floor((b + 8) / 25);
  const g = Math.floor((b - ff + 1) / 3);
  const h = (19 * a + b - dd - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  const easter = daysFromCivil(year, month, day);
  const firstMonday = (y: number, mo: number): number => {
    let x = daysFromCivil(y, mo, 1);
    while (isoWeekday(x) !== 1) x += 1;
    return x;
  };
  const lastMonday = (y: number, mo: number): number => {
    let x = addMonths(daysFromCivil(y, mo, 1), 1) - 1;
    while (isoWeekday(x) !== 1) x -= 1;
    return x;
  };
  let newYear = daysFromCivil(year, 1, 1);
  while (isoWeekday(newYear) >= 6) newYear += 1;
  const christmas = daysFromCivil(year, 12, 25);
  const cw = isoWeekday(christmas);
  const [xmas, boxing] =
    cw === 6
      ? [christmas + 2, christmas + 3]
      : cw === 7
        ? [christmas + 2, christmas + 1]
        : cw === 5
          ? [christmas, christmas + 3]
          : [christmas, christmas + 1];
  return [
    newYear,
    easter - 2,
    easter + 1,
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    xmas,
    boxing,
  ]
    .sort((x, y) => x - y)
    .map(f);
}

describe('dates: England & Wales bank holidays 2024–2030', () => {
  it('match the statutory rules year by year (Easter, first/last Mondays, substitute days)', () => {
    for (let year = 2024; year <= 2030; year += 1) {
      const listed = ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((x) => x.startsWith(`${year}-`));
      assert.deepEqual(listed, ruleBasedHolidays(year), String(year));
    }
  });

  it('fall on weekdays and are overridable', () => {
    for (const h of ENGLAND_AND_WALES_BANK_HOLIDAYS) assert.ok(isoWeekday(d(h)) <= 5, h);
    const set = holidaySet(undefined, { add: ['2026-06-01'], remove: ['2026-12-28'] });
    assert.ok(set.has(d('2026-06-01')));
    assert.ok(!set.has(d('2026-12-28')));
    assert.ok(set.has(d('2026-12-25')));
    assert.equal(holidaySet(['2026-01-02']).size, 1);
  });
});

describe('dates: working days (DESIGN.md §4 weekends and bank holidays skipped)', () => {
  const cal: WorkingCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: holidaySet() };
  it('skips Christmas 2026 (Fri 25, substitute Boxing Day Mon 28)', () => {
    assert.equal(f(addWorkingDays(cal, d('2026-12-24'), 1)), '2026-12-29');
    assert.equal(f(addWorkingDays(cal, d('2026-12-29'), -1)), '2026-12-24');
    assert.equal(f(nextWorkingDay(cal, d('2026-12-25'))), '2026-12-29');
    assert.ok(!isWorkingDay(cal, d('2026-12-28')));
  });
  it('counts 20 working days in April 2026 (22 weekdays less Good Friday and Easter Monday)', () => {
    assert.equal(countWorkingDays(cal, d('2026-04-01'), d('2026-04-30')), 20);
  });
  it('refuses a calendar without working weekdays', () => {
    assert.throws(
      () => nextWorkingDay({ workingWeekdays: [], holidays: new Set() }, 0),
      /no working weekdays/,
    );
  });
});

describe('dates: Europe/London wall time <-> UTC across BST changes', () => {
  const iso = (ms: number): string => new Date(ms).toISOString();
  it('converts ordinary winter and summer times', () => {
    assert.equal(iso(wallTimeToUtc('2026-03-28', 9 * 60)), '2026-03-28T09:00:00.000Z'); // GMT
    assert.equal(iso(wallTimeToUtc('2026-03-29', 9 * 60)), '2026-03-29T08:00:00.000Z'); // BST from 01:00Z
    assert.equal(iso(wallTimeToUtc('2026-10-25', 9 * 60)), '2026-10-25T09:00:00.000Z'); // back to GMT
    assert.equal(iso(wallTimeToUtc('2026-07-01', 0)), '2026-06-30T23:00:00.000Z');
  });
  it('reads a skipped time (01:30 on 29 March 2026) as 02:30 BST', () => {
    assert.equal(iso(wallTimeToUtc('2026-03-29', 90)), '2026-03-29T01:30:00.000Z');
    assert.deepEqual(utcToWallTime(wallTimeToUtc('2026-03-29', 90)), { date: '2026-03-29', minutes: 150 });
  });
  it('resolves a repeated time (01:30 on 25 October 2026) to the first, BST', () => {
    assert.equal(iso(wallTimeToUtc('2026-10-25', 90)), '2026-10-25T00:30:00.000Z');
    assert.deepEqual(utcToWallTime(Date.parse('2026-10-25T01:30:00Z')), { date: '2026-10-25', minutes: 90 });
  });
  it('reports offsets and formats with them', () => {
    assert.equal(utcOffsetMinutes(Date.parse('2026-01-15T12:00:00Z')), 0);
    assert.equal(utcOffsetMinutes(Date.parse('2026-07-15T12:00:00Z')), 60);
    assert.equal(formatZonedDateTime(Date.parse('2026-03-30T08:00:00Z')), '2026-03-30T09:00:00+01:00');
  });
  it('round-trips every wall time that exists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: d('2024-01-01'), max: d('2030-12-31') }),
        fc.integer({ min: 0, max: 1439 }),
        (day, minutes) => {
          const date = f(day);
          const back = utcToWallTime(wallTimeToUtc(date, minutes));
          const skipped =
            utcOffsetMinutes(wallTimeToUtc(date, minutes)) !==
              utcOffsetMinutes(wallTimeToUtc(date, minutes) - 3_600_000) && back.minutes !== minutes;
          if (!skipped) assert.deepEqual(back, { date, minutes });
        },
      ),
      { numRuns: 300 },
    );
  });
});

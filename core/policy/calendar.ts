/** The policy's working calendar: working weekdays, hours and holidays (DESIGN.md §4 "Schedule"). */
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, holidaySet } from '../dates/bank-holidays';
import { tryParseClockTime } from '../dates/london-time';
import type { WorkingCalendar } from '../dates/working-days';
import type { Policy } from './schema';

/** Working weekdays, working hours in minutes after midnight, holidays and time zone of a policy. */
export interface PolicyCalendar extends WorkingCalendar {
  readonly timeZone: string;
  readonly workStartMinutes: number;
  readonly workEndMinutes: number;
  readonly slotStepMinutes: number;
}

const cache = new WeakMap<Policy, PolicyCalendar>();

/** The working calendar a policy describes (built-in England & Wales holidays unless replaced). */
export function policyCalendar(policy: Policy): PolicyCalendar {
  const cached = cache.get(policy);
  if (cached) return cached;
  const c = policy.calendar;
  const base = c.bankHolidays === 'england-and-wales' ? ENGLAND_AND_WALES_BANK_HOLIDAYS : c.bankHolidays;
  const calendar: PolicyCalendar = {
    timeZone: c.timeZone,
    workingWeekdays: c.workingWeekdays,
    holidays: holidaySet(base, { add: c.extraHolidays, remove: c.removedHolidays }),
    workStartMinutes: tryParseClockTime(c.workingHours.start) ?? 0,
    workEndMinutes: tryParseClockTime(c.workingHours.end) ?? 0,
    slotStepMinutes: c.slotStepMinutes,
  };
  cache.set(policy, calendar);
  return calendar;
}

/**
 * A policy compiled for the hot path: numbers pulled out, lists turned into sets, periods into
 * functions on day numbers. Built once per evaluation run, never per employee.
 */
import { addMonths, type DayNumber } from '../dates/day';
import type { Period, Policy } from '../policy/schema';

/** The compliance rules of a policy in the form the evaluator uses (DESIGN.md §3.1). */
export interface CompiledRules {
  readonly policy: Policy;
  readonly countedTypes: ReadonlySet<string>;
  readonly windowMonths: number;
  readonly required: number;
  readonly proRata: boolean;
  /** Cadence in days; only meaningful when `proRata` (the schema guarantees days or weeks then). */
  readonly cadenceDays: number;
  readonly addCadence: (day: DayNumber) => DayNumber;
  readonly addFirstDue: (day: DayNumber) => DayNumber;
  readonly eligibleAfterMonths: number;
  readonly dueSoonDays: number;
  /** Excluded staff groups, trimmed and lower-cased. */
  readonly excludedGroups: ReadonlySet<string>;
}

/** Adds a policy period (days, weeks or calendar months with month-end clamping) to a day. */
export function addPeriod(day: DayNumber, period: Period): DayNumber {
  switch (period.unit) {
    case 'days':
      return day + period.value;
    case 'weeks':
      return day + 7 * period.value;
    case 'months':
      return addMonths(day, period.value);
  }
}

function periodAdder(period: Period): (day: DayNumber) => DayNumber {
  if (period.unit === 'months') return (day) => addMonths(day, period.value);
  const days = period.unit === 'weeks' ? 7 * period.value : period.value;
  return (day) => day + days;
}

/** Normalises a staff group for matching: trimmed, lower case (DESIGN.md §3.1 "ignoring case"). */
export function normaliseStaffGroup(group: string): string {
  return group.trim().toLowerCase();
}

const compiled = new WeakMap<Policy, CompiledRules>();

/** Compiles (and caches per policy object) the rules the evaluator needs. */
export function compileRules(policy: Policy): CompiledRules {
  const cached = compiled.get(policy);
  if (cached) return cached;
  const c = policy.compliance;
  const rules: CompiledRules = {
    policy,
    countedTypes: new Set(c.countedTypes),
    windowMonths: c.windowMonths,
    required: c.required,
    proRata: c.expected === 'pro-rata',
    cadenceDays: c.cadence.unit === 'weeks' ? 7 * c.cadence.value : c.cadence.value,
    addCadence: periodAdder(c.cadence),
    addFirstDue: periodAdder(c.firstDueAfterEligible),
    eligibleAfterMonths: c.eligibleAfterMonths,
    dueSoonDays: c.dueSoonDays,
    excludedGroups: new Set(c.excludedStaffGroups.map(normaliseStaffGroup)),
  };
  compiled.set(policy, rules);
  return rules;
}

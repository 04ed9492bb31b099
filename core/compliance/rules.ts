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
  /** Excluded staff groups, normalised by {@link normaliseStaffGroup}. */
  readonly excludedGroups: ReadonlySet<string>;
  /** Due dates on the incremental date's anniversaries (NHS) rather than after the last held one. */
  readonly anniversaryDueDates: boolean;
  /** The quarterly figure is the share compliant at the quarter's end (NHS §8), not "held one in it". */
  readonly compliantAtQuarterEnd: boolean;
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

const SPACES = /\s+/g;

/**
 * Normalises a staff group for matching, as HR exports write them (DESIGN.md §3.1 "ignoring case",
 * §3.2 "the staff-group names HR systems export"): trimmed, lower case, each run of whitespace one
 * space — so "  MEDICAL   and dental " matches "Medical and Dental".
 */
export function normaliseStaffGroup(group: string): string {
  return group.trim().toLowerCase().replace(SPACES, ' ');
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
    anniversaryDueDates: c.dueDates === 'anniversary',
    compliantAtQuarterEnd: c.quarterlyFigure === 'compliant-at-quarter-end',
  };
  compiled.set(policy, rules);
  return rules;
}

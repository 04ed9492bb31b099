/**
 * The organisation's first quarter with data: the earliest of the roll-ups' quarters in which
 * anyone's conversation was held, from the organisation's own total row (one partition read of
 * the root roll-up). Quarters before it are "no data" on every trend and heat map, not 0 %: an
 * organisation that started recording last spring did not fail every quarter before.
 */
import { type FinancialQuarter } from '../../core/dates/quarters';
import { type TrendPoint } from '../../core/tab-api';
import { type Records } from '../records/records';
import { ROOT_PARTITION } from '../storage/keys';

/** Kept this long: a first conversation moves it only once, and backwards only by an import. */
const TTL_MS = 5 * 60_000;

const kept = new WeakMap<
  Records,
  { readonly at: number; readonly day: string; readonly first: string | null }
>();

/**
 * The label of the first of `quarters` with a conversation held anywhere in the organisation, or
 * null when none has one (then every quarter is "no data").
 */
export async function firstDataQuarter(
  records: Records,
  quarters: readonly FinancialQuarter[],
): Promise<string | null> {
  const now = records.clock.now().getTime();
  const day = records.clock.today();
  const known = kept.get(records);
  if (known !== undefined && known.day === day && now - known.at < TTL_MS) return known.first;
  const rows = await records.rollups.node(ROOT_PARTITION, quarters[0], quarters.at(-1));
  const held = new Set(
    rows.filter((r) => r.subjectId === ROOT_PARTITION && r.figures.qCompleted > 0).map((r) => r.quarter),
  );
  const first = quarters.find((q) => held.has(q.label))?.label ?? null;
  kept.set(records, { at: now, day, first });
  return first;
}

/** A trend point for a quarter before the first data: no figures at all. */
export function noDataPoint(quarter: string): TrendPoint {
  const none = { numerator: 0, denominator: 0, rate: null };
  return { quarter, quarterly: none, rolling: none, noData: true };
}

/** Whether `quarter` comes before the first quarter with data (quarters in order, oldest first). */
export function beforeFirstData(
  quarters: readonly FinancialQuarter[],
  quarter: FinancialQuarter,
  first: string | null,
): boolean {
  if (first === null) return true;
  return quarters.indexOf(quarter) < quarters.findIndex((q) => q.label === first);
}

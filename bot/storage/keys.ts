/**
 * Partition and row keys, chosen per query (DESIGN.md §5: bounded partitions per request, no
 * constant or date-only partition keys). The README's storage table lists the query each serves.
 */
import { type FinancialQuarter } from '../../core/dates/quarters';

/** Partition of people who have no manager (the Chief Executive, or HR rows whose manager is unknown). */
export const ROOT_PARTITION = '~root';

/** Row key suffix of a node's own figures in its roll-up partition. */
export const SELF = '~self';

/** Number of hash buckets the employees table is spread over. Changing it needs a migration. */
export const EMPLOYEE_BUCKETS = 256;

/**
 * The employees-table partition for an id: an FNV-1a hash bucket, so a point read needs only the
 * id, and a bulk import writes full batches of 100 (Azure Tables batches are one partition).
 */
export function employeeBucket(id: string): string {
  return `b${(fnv1a(id) % EMPLOYEE_BUCKETS).toString(16).padStart(2, '0')}`;
}

/** The 32-bit FNV-1a hash of a string's UTF-16 units: cheap, stable and well spread for ids. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The team (status index) partition of a person: their manager, or the root partition. */
export function teamPartition(managerId: string | undefined): string {
  return managerId === undefined || managerId === '' ? ROOT_PARTITION : managerId;
}

/** A quarter as a sortable key: `2026-3` for 2026/27 Q3. */
export function quarterKey(q: FinancialQuarter): string {
  return `${q.startYear}-${q.quarter}`;
}

/** Row key of roll-up figures: `<quarter>|<child id>` or `<quarter>|~self`. */
export function rollupRowKey(q: FinancialQuarter, childId: string = SELF): string {
  return `${quarterKey(q)}|${childId}`;
}

/**
 * Row key of a nudge ledger entry: item, due date and stage (DESIGN.md §4: never sent twice), each
 * part {@link escapeKey escaped}. Stages of items other than the counted conversation are named
 * `supervision/due`, and Azure Tables refuses `/` in a key.
 */
export function ledgerRowKey(item: string, dueDate: string, stage: string): string {
  return `${escapeKey(item)}|${escapeKey(dueDate)}|${escapeKey(stage)}`;
}

/**
 * Text made safe for a partition or row key: the characters Azure Tables refuses (`/`, `\`, `#`,
 * `?`, control characters) and `%` itself become `%XX`, so distinct texts keep distinct keys. Text
 * without them is unchanged, so keys stored before escaping (the council's stage ids, dates) still
 * match after an upgrade.
 */
export function escapeKey(part: string): string {
  return part.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what the key refuses
    /[%/\\#?\u0000-\u001f\u007f-\u009f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/**
 * Row key of an audit entry: newest first (inverted milliseconds), then a random suffix so two
 * entries in the same millisecond never collide.
 */
export function auditRowKey(at: Date, random: string): string {
  return `${String(9_999_999_999_999 - at.getTime()).padStart(13, '0')}-${random}`;
}

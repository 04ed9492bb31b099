/**
 * What the outbox could not deliver (the `outboxFaults` table): people without the app and
 * dead-lettered messages, for OD's view and `npm run cli -- outbox`. Ids, codes and times only.
 */
import { type Tables } from '../storage/tables';

/** A person a card could not reach, and since when. */
export interface Unreachable {
  readonly id: string;
  readonly at: string;
  readonly reason: string;
}

/** A message given up on. */
export interface DeadLetter {
  readonly key: string;
  readonly at: string;
  readonly reason: string;
}

/** The people not reachable and the dead letters, for OD. */
export async function outboxFaults(
  tables: Pick<Tables, 'outboxFaults'>,
): Promise<{ unreachable: Unreachable[]; dead: DeadLetter[] }> {
  const unreachable: Unreachable[] = [];
  const dead: DeadLetter[] = [];
  for await (const row of tables.outboxFaults.listEntities<{ at: string; reason: string }>()) {
    if (row.partitionKey?.startsWith('unreachable|'))
      unreachable.push({ id: row.rowKey ?? '', at: row.at, reason: row.reason });
    else if (row.partitionKey?.startsWith('dead|'))
      dead.push({ key: row.rowKey ?? '', at: row.at, reason: row.reason });
  }
  return { unreachable, dead };
}

/** The counts for OD's view, read at most once a minute per instance. */
export function cachedFaultCounts(
  tables: Pick<Tables, 'outboxFaults'>,
  ttlMs = 60_000,
): () => Promise<{ notReachable: number; deadLettered: number }> {
  let cached: { at: number; value: Promise<{ notReachable: number; deadLettered: number }> } | undefined;
  return () => {
    if (cached === undefined || Date.now() - cached.at > ttlMs) {
      const value = outboxFaults(tables).then((f) => ({
        notReachable: f.unreachable.length,
        deadLettered: f.dead.length,
      }));
      value.catch(() => (cached = undefined));
      cached = { at: Date.now(), value };
    }
    return cached.value;
  };
}

/**
 * Opens the Azure Table storage the service uses — Azurite locally, an Azure account in
 * production — and creates missing tables at start (DESIGN.md §5).
 */
import { TableClient, odata } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { type StorageConfig } from '../config';
import { ShardedTable, type TableStore } from './sharded-table';

/**
 * The service's tables. Keys and the query each serves are in the README. On an Azure account
 * each is one table; on Azurite the large ones may be spread over several tables by partition
 * key (`TABLE_SHARDS`, {@link ShardedTable}) because Azurite scans a whole table per query.
 */
export interface Tables {
  /** People: PK = hash bucket of the id, RK = id, their columns as one JSON property (point read by id; imports write batches of 100). */
  readonly employees: TableStore;
  /**
   * Reports-to and status index in one: PK = manager id (or `~root`), RK = page (`~p0000`, more
   * only for a team over about 400). A page holds its reports' directory fields, the facts their
   * status is computed from, and the status itself, so "my team" is one read of one entity.
   */
  readonly team: TableStore;
  /** Organisation roll-ups: PK = node (manager) id, RK = `<quarter>|<child id>` or `<quarter>|~self`. */
  readonly rollups: TableStore;
  /** Conversations: PK = employee id, RK = conversation id (one person's history is one partition). */
  readonly conversations: TableStore;
  /** Conversation references for proactive messages: PK = Entra object id, RK = `ref`. */
  readonly conversationRefs: TableStore;
  /** Nudges sent: PK = employee id, RK = `<item>|<due date>|<stage>` (a nudge is recorded once). */
  readonly nudgeLedger: TableStore;
  /**
   * Booked meetings awaiting a "log it" prompt: PK = `<London date it ends>|<employee bucket>`, RK =
   * `<end ISO>|<conversation id>` (the sweep reads one key range: the last few days' partitions).
   */
  readonly meetings: TableClient;
  /** Append-only audit log: PK = the person the record is about, RK = newest first. */
  readonly audit: TableStore;
  /**
   * Proactive deliveries (bot/outbox): PK = the recipient's reference key (Entra object id, or a
   * channel's conversation id), RK = `<kind>|<day>|<ref>`. The row is the claim that makes a queued
   * message sent once; it holds state and times, never the card.
   */
  readonly outbox: TableStore;
  /**
   * What the outbox could not deliver, for OD: PK = `dead|<yyyy-mm>` (dead letters) or
   * `unreachable|<bucket>` (people without the app), RK = the delivery or the person. Ids, kinds,
   * codes and times only.
   */
  readonly outboxFaults: TableClient;
  /** Background job checkpoints: PK = job name, RK = `state`. */
  readonly jobs: TableClient;
  /**
   * The organisation view's exception lists (overdue; none in 12 months): PK = `<kind>|<service id>`
   * (the ancestor at depth 2; `~root` for the top), RK = employee id. A list for a node reads its
   * service's partition (each service's below a directorate or the top) and filters by path. Names,
   * dates and counts only, no note text.
   */
  readonly exceptions: TableStore;
}

/** Table names as created in the account. */
export const TABLE_NAMES = {
  employees: 'employees',
  team: 'team',
  rollups: 'rollups',
  conversations: 'conversations',
  conversationRefs: 'conversationRefs',
  nudgeLedger: 'nudgeLedger',
  meetings: 'meetings',
  audit: 'audit',
  outbox: 'outbox',
  outboxFaults: 'outboxFaults',
  jobs: 'jobs',
  exceptions: 'exceptions',
} as const satisfies Record<keyof Tables, string>;

/** Tables small enough to stay whole: a few rows per booked meeting, job or undeliverable message. */
const UNSHARDED: ReadonlySet<keyof Tables> = new Set(['meetings', 'jobs', 'outboxFaults']);

/** Where storage records the shard count it was created with: a row of the (unsharded) jobs table. */
const LAYOUT_KEY = { partitionKey: '~layout', rowKey: 'tables' } as const;

/** Storage was created with another `TABLE_SHARDS` than the service is configured with. */
export class StorageLayoutError extends Error {
  constructor(
    readonly configured: number,
    readonly stored: number,
  ) {
    super(
      `TABLE_SHARDS is ${configured} but this storage was created with TABLE_SHARDS=${stored}: ` +
        `set TABLE_SHARDS=${stored} (changing it moves partitions between tables, which needs a migration).`,
    );
    this.name = 'StorageLayoutError';
  }
}

/**
 * Connects to storage and creates any missing table. `prefix` namespaces the table names (tests
 * give each case its own tables in one Azurite). With `tableShards` 1 (the default) each kind is
 * one table named as in {@link TABLE_NAMES}; with N > 1 a large one is N tables `team00` … and
 * the small ones stay whole. The count is recorded on first open and checked on every later one,
 * so a service pointed at storage laid out differently stops instead of finding it empty.
 */
export async function openTables(storage: StorageConfig, prefix = ''): Promise<Tables> {
  const shards = storage.tableShards ?? 1;
  const credential = storage.kind === 'connectionString' ? undefined : new DefaultAzureCredential();
  const client = (table: string): TableClient =>
    storage.kind === 'connectionString'
      ? TableClient.fromConnectionString(storage.connectionString, table, {
          allowInsecureConnection: isLoopback(storage.connectionString),
        })
      : new TableClient(storage.tableUrl, table, credential!);
  const stores = (Object.entries(TABLE_NAMES) as [keyof Tables, string][]).map(([key, name]) => {
    const store: TableStore =
      shards === 1 || UNSHARDED.has(key)
        ? client(`${prefix}${name}`)
        : new ShardedTable(
            Array.from({ length: shards }, (_, i) => client(`${prefix}${name}${String(i).padStart(2, '0')}`)),
          );
    return [key, store] as const;
  });
  // createTable is a no-op when the table exists (the SDK swallows TableAlreadyExists).
  await Promise.all(stores.map(([, t]) => t.createTable()));
  const tables = Object.fromEntries(stores) as unknown as Tables;
  await checkLayout(tables.jobs, shards);
  return tables;
}

/** Records the shard count on first open; throws {@link StorageLayoutError} when it differs. */
async function checkLayout(jobs: TableClient, shards: number): Promise<void> {
  try {
    await jobs.createEntity({ ...LAYOUT_KEY, shards });
    return;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
  const stored = await jobs.getEntity<{ shards: number }>(LAYOUT_KEY.partitionKey, LAYOUT_KEY.rowKey);
  if (stored.shards !== shards) throw new StorageLayoutError(shards, stored.shards);
}

/**
 * Checks storage answers, for /readyz: one bounded query, given up after `timeoutMs` (the SDK
 * would otherwise retry an unreachable account for longer than a health probe waits).
 */
export async function pingTables(tables: Tables, timeoutMs = 3_000): Promise<void> {
  const page = tables.employees
    .listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${'~healthz'}`, select: ['PartitionKey'] },
      abortSignal: AbortSignal.timeout(timeoutMs),
    })
    .byPage({ maxPageSize: 1 });
  await page.next();
}

/** Azurite on this machine speaks plain HTTP; anything else must use HTTPS. */
function isLoopback(connectionString: string): boolean {
  return /(TableEndpoint|BlobEndpoint|QueueEndpoint)=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(
    connectionString,
  );
}

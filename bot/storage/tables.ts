/**
 * Opens the Azure Table storage the service uses — Azurite locally, an Azure account in
 * production — and creates missing tables at start (DESIGN.md §5).
 */
import { TableClient, odata } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { type StorageConfig } from '../config';

/** The service's tables, one client each. Keys and the query each serves are in the README. */
export interface Tables {
  /** People: PK = hash bucket of the id, RK = id (point read by id; imports write batches of 100). */
  readonly employees: TableClient;
  /**
   * Reports-to and status index in one: PK = manager id (or `~root`), RK = report id. Each row holds
   * the report's directory fields, the facts their status is computed from, and the status itself,
   * so "my team" is one partition read.
   */
  readonly team: TableClient;
  /** Organisation roll-ups: PK = node (manager) id, RK = `<quarter>|<child id>` or `<quarter>|~self`. */
  readonly rollups: TableClient;
  /** Conversations: PK = employee id, RK = conversation id (one person's history is one partition). */
  readonly conversations: TableClient;
  /** Conversation references for proactive messages: PK = Entra object id, RK = `ref`. */
  readonly conversationRefs: TableClient;
  /** Nudges sent: PK = employee id, RK = `<item>|<due date>|<stage>` (a nudge is recorded once). */
  readonly nudgeLedger: TableClient;
  /**
   * Booked meetings awaiting a "log it" prompt: PK = `<London date it ends>|<employee bucket>`, RK =
   * `<end ISO>|<conversation id>` (the sweep reads one key range: the last few days' partitions).
   */
  readonly meetings: TableClient;
  /** Append-only audit log: PK = the person the record is about, RK = newest first. */
  readonly audit: TableClient;
  /** Background job checkpoints: PK = job name, RK = `state`. */
  readonly jobs: TableClient;
  /**
   * The organisation view's exception lists (overdue; none in 12 months): PK = `<kind>|<directorate
   * id>` (`~root` for the top), RK = employee id. A list for a node reads its directorate's partition
   * (one per directorate at the top) and filters by path. Names, dates and counts only, no note text.
   */
  readonly exceptions: TableClient;
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
  jobs: 'jobs',
  exceptions: 'exceptions',
} as const satisfies Record<keyof Tables, string>;

/**
 * Connects to storage and creates any missing table. `prefix` namespaces the table names (tests
 * give each case its own tables in one Azurite).
 */
export async function openTables(storage: StorageConfig, prefix = ''): Promise<Tables> {
  const client = (table: string): TableClient =>
    storage.kind === 'connectionString'
      ? TableClient.fromConnectionString(storage.connectionString, table, {
          allowInsecureConnection: isLoopback(storage.connectionString),
        })
      : new TableClient(storage.tableUrl, table, new DefaultAzureCredential());
  const clients = Object.entries(TABLE_NAMES).map(
    ([key, name]) => [key, client(`${prefix}${name}`)] as const,
  );
  // createTable is a no-op when the table exists (the SDK swallows TableAlreadyExists).
  await Promise.all(clients.map(([, t]) => t.createTable()));
  const tables = Object.fromEntries(clients) as unknown as Tables;
  return tables;
}

/** Checks storage answers, for /healthz: one bounded query. */
export async function pingTables(tables: Tables): Promise<void> {
  const page = tables.employees
    .listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${'~healthz'}`, select: ['PartitionKey'] },
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

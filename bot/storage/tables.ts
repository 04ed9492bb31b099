/**
 * Opens the Azure Table storage the service uses — Azurite locally, an Azure account in
 * production — and creates missing tables at start (DESIGN.md §5).
 */
import { TableClient, odata } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { type StorageConfig } from '../config';

/** The service's tables, one client each. */
export interface Tables {
  /** One row per person: PK = Entra object id, RK = `profile`. */
  readonly employees: TableClient;
  /** Reports-to index: PK = manager id, RK = report id ("who reports to X" is one partition). */
  readonly reportsTo: TableClient;
  /** Conversations: PK = employee id, RK = conversation id (one person's history is one partition). */
  readonly conversations: TableClient;
  /** Conversation references for proactive messages: PK = Entra object id, RK = `ref`. */
  readonly conversationRefs: TableClient;
}

/** Table names as created in the account. */
export const TABLE_NAMES = {
  employees: 'employees',
  reportsTo: 'reportsTo',
  conversations: 'conversations',
  conversationRefs: 'conversationRefs',
} as const satisfies Record<keyof Tables, string>;

/** Connects to storage and creates any missing table. */
export async function openTables(storage: StorageConfig): Promise<Tables> {
  const client = (table: string): TableClient =>
    storage.kind === 'connectionString'
      ? TableClient.fromConnectionString(storage.connectionString, table, {
          allowInsecureConnection: isLoopback(storage.connectionString),
        })
      : new TableClient(storage.tableUrl, table, new DefaultAzureCredential());
  const tables = {
    employees: client(TABLE_NAMES.employees),
    reportsTo: client(TABLE_NAMES.reportsTo),
    conversations: client(TABLE_NAMES.conversations),
    conversationRefs: client(TABLE_NAMES.conversationRefs),
  };
  // createTable is a no-op when the table exists (the SDK swallows TableAlreadyExists).
  await Promise.all(Object.values(tables).map((t) => t.createTable()));
  return tables;
}

/** Checks storage answers, for /healthz: one bounded query. */
export async function pingTables(tables: Tables): Promise<void> {
  const page = tables.employees
    .listEntities({ queryOptions: { filter: odata`PartitionKey eq ${'healthz'}`, select: ['PartitionKey'] } })
    .byPage({ maxPageSize: 1 });
  await page.next();
}

/** Azurite on this machine speaks plain HTTP; anything else must use HTTPS. */
function isLoopback(connectionString: string): boolean {
  return /(TableEndpoint|BlobEndpoint|QueueEndpoint)=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(
    connectionString,
  );
}

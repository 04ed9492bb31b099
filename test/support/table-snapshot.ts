/**
 * What the stored organisation is, table by table, with what only a run's timing decides (ETags,
 * timestamps, row versions, roll-up generations, audit times) left out: two stores that hold the
 * same people, statuses and figures give equal snapshots, whatever happened on the way.
 */
import { type TableEntityResult } from '@azure/data-tables';
import { type TableStore } from '../../bot/storage/sharded-table';
import { type Tables, openTables } from '../../bot/storage/tables';
import { TeamTable } from '../../bot/storage/team-table';

/** The comparable content of one store. */
export interface StoreSnapshot {
  readonly employees: readonly string[];
  readonly team: readonly string[];
  readonly rollups: readonly string[];
  readonly exceptions: readonly string[];
  readonly conversations: readonly string[];
  readonly audit: readonly string[];
}

const METADATA = new Set(['etag', 'timestamp', 'odata.metadata', 'generation', 'createdAt', 'updatedAt']);

async function rows(table: TableStore, drop: ReadonlySet<string> = METADATA): Promise<string[]> {
  const out: string[] = [];
  for await (const e of table.listEntities<Record<string, unknown>>()) {
    out.push(stable(e, drop));
  }
  return out.sort();
}

function stable(e: TableEntityResult<Record<string, unknown>>, drop: ReadonlySet<string>): string {
  const kept = Object.entries(e)
    .filter(([k]) => !drop.has(k))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(kept);
}

/** Reads every table that holds the organisation's state (jobs, the run's own log, left out). */
export async function snapshotStore(connectionString: string): Promise<StoreSnapshot> {
  const tables: Tables = await openTables({ kind: 'connectionString', connectionString });
  const team: string[] = [];
  for await (const row of new TeamTable(tables.team).all()) {
    const { etag: _etag, ...content } = row;
    team.push(JSON.stringify(content));
  }
  // Audit entries keyed by time: only who and what is compared.
  const audit: string[] = [];
  for await (const e of tables.audit.listEntities<{ action?: string; subjectId?: string }>()) {
    audit.push(`${e.subjectId ?? ''} ${e.action ?? ''}`);
  }
  return {
    employees: await rows(tables.employees),
    team: team.sort(),
    rollups: await rows(tables.rollups),
    exceptions: await rows(tables.exceptions),
    conversations: await rows(tables.conversations),
    audit: audit.sort(),
  };
}

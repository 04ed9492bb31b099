/**
 * Seeds the demo organisation into Azure Tables when the store is empty (`npm start`), through the
 * same path as a real organisation: the HR import for people, then the history load for their
 * conversations (DESIGN.md §5; issue "npm start seeds the demo organisation through the same import path").
 */
import { type ConversationRecord } from '../../core/records';
import { employeesCsv, importHistory, importHr } from '../records/imports';
import { type Records } from '../records/records';
import { type Tables } from '../storage/tables';
import { type DemoOrg } from './demo-org';

/** Progress of a seed: a step and how far it is. */
export type SeedProgress = (step: string, done: number, total: number) => void;

/** True when no person has been stored yet. */
export async function isStoreEmpty(tables: Tables): Promise<boolean> {
  const first = await tables.employees
    .listEntities({ queryOptions: { select: ['PartitionKey'] } })
    .byPage({ maxPageSize: 1 })
    .next();
  const page = first.value as unknown[] | undefined;
  return first.done === true || page === undefined || page.length === 0;
}

/** The demo's conversations as stored records (no note text: the demo history is figures only). */
export function demoRecords(org: DemoOrg): ConversationRecord[] {
  const position = new Map(org.employees.map((e) => [e.id, e.positionNumber]));
  return org.conversations.map((c) => ({
    ...c,
    positionNumber: position.get(c.employeeId) ?? '',
    durationMinutes: 30,
    areas: {},
    createdBy: c.managerId,
    createdAt: `${c.date}T12:00:00.000Z`,
    updatedAt: `${c.date}T12:00:00.000Z`,
  }));
}

/** Imports the demo organisation's people and history. */
export async function seedDemoOrg(
  records: Records,
  tables: Tables,
  org: DemoOrg,
  onProgress?: SeedProgress,
): Promise<void> {
  const hr = await importHr(records, tables, employeesCsv(org.employees), onProgress);
  if (hr.rejected.length > 0) throw new Error(`demo organisation: ${hr.rejected.length} rows rejected`);
  await importHistory(records, tables, demoRecords(org), onProgress);
}

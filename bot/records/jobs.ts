/**
 * Background jobs' saved state (checkpoints) in the jobs table: one row per job, its state as
 * JSON, so an interrupted import or refresh knows where it stopped.
 */
import { type TableClient } from '@azure/data-tables';
import { statusOf } from '../storage/entities';

/** A job's saved state in the jobs table, or undefined when it never ran. */
export async function readJob<T>(jobs: TableClient, job: string): Promise<T | undefined> {
  try {
    const e = await jobs.getEntity<{ state: string }>(job, 'state');
    return JSON.parse(e.state) as T;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Saves a job's state in the jobs table. */
export async function writeJob(jobs: TableClient, job: string, state: object): Promise<void> {
  await jobs.upsertEntity({ partitionKey: job, rowKey: 'state', state: JSON.stringify(state) }, 'Replace');
}

/**
 * Which policy the stored statuses and figures were computed under (issue 17 "switching policy").
 * The first start records it; a later start with another policy on storage that holds people or
 * conversations stops with a report of what the switch would change, unless the operator forces
 * it (POLICY_SWITCH=force), when the marker moves and every status and figure must be recomputed.
 */
import { createHash } from 'node:crypto';
import { type TableClient } from '@azure/data-tables';
import { type Policy } from '../../core/policy/schema';
import { type Tables } from './tables';

const MARKER_KEY = { partitionKey: '~policy', rowKey: 'current' } as const;

interface MarkerEntity {
  policyId: string;
  fingerprint: string;
}

/** What switching the stored data to another policy would change. */
export interface PolicySwitchReport {
  readonly from: string;
  readonly to: string;
  readonly people: number;
  /** Stored conversations by type id. */
  readonly conversations: Readonly<Record<string, number>>;
  /** Of those types, the ones the new policy does not know: they would count for nothing. */
  readonly unknownTypes: readonly string[];
}

/** The configured policy differs from the one the stored data was computed under. */
export class PolicySwitchError extends Error {
  constructor(readonly report: PolicySwitchReport) {
    const types = Object.entries(report.conversations)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ');
    super(
      `POLICY is ${report.to} but this storage was computed under ${report.from}: ${report.people} people and ` +
        `${types === '' ? 'no conversations' : `conversations (${types})`} are stored. Switching recomputes every ` +
        'status and figure under the new rules' +
        (report.unknownTypes.length > 0
          ? `, and ${report.unknownTypes.join(', ')} conversations would count for nothing under ${report.to}`
          : '') +
        `. Set POLICY=${report.from} to keep the current rules, or POLICY_SWITCH=force to switch (then run ` +
        '`npm run cli -- refresh`).',
    );
    this.name = 'PolicySwitchError';
  }
}

/** A stable fingerprint of a policy's rules (key order as written). */
function fingerprint(policy: Policy): string {
  return createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 16);
}

/** How the check ended: first record, same policy (rules perhaps edited), or a forced switch. */
export type PolicyCheck = 'recorded' | 'same' | 'edited' | 'switched';

/**
 * Checks the configured policy against the stored marker; throws {@link PolicySwitchError} when it
 * names another policy and storage holds data, unless `force`.
 */
export async function checkPolicy(
  tables: Pick<Tables, 'jobs' | 'employees' | 'conversations'>,
  policy: Policy,
  options: { readonly force?: boolean } = {},
): Promise<PolicyCheck> {
  const jobs: TableClient = tables.jobs;
  const mine: MarkerEntity = { policyId: policy.id, fingerprint: fingerprint(policy) };
  try {
    await jobs.createEntity({ ...MARKER_KEY, ...mine });
    return 'recorded';
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
  const stored = await jobs.getEntity<MarkerEntity>(MARKER_KEY.partitionKey, MARKER_KEY.rowKey);
  if (stored.policyId === policy.id) {
    if (stored.fingerprint === mine.fingerprint) return 'same';
    await jobs.upsertEntity({ ...MARKER_KEY, ...mine }, 'Replace');
    return 'edited';
  }
  const report = await switchReport(tables, stored.policyId, policy);
  const empty = report.people === 0 && Object.keys(report.conversations).length === 0;
  if (!empty && options.force !== true) throw new PolicySwitchError(report);
  await jobs.upsertEntity({ ...MARKER_KEY, ...mine }, 'Replace');
  return 'switched';
}

/** Counts what is stored: people, and conversations by type (a full read; only on a switch). */
async function switchReport(
  tables: Pick<Tables, 'employees' | 'conversations'>,
  from: string,
  policy: Policy,
): Promise<PolicySwitchReport> {
  let people = 0;
  for await (const _ of tables.employees.listEntities({ queryOptions: { select: ['RowKey'] } })) people += 1;
  const conversations: Record<string, number> = {};
  for await (const row of tables.conversations.listEntities<{ type?: string }>({
    queryOptions: { select: ['type'] },
  })) {
    const type = row.type ?? 'unknown';
    conversations[type] = (conversations[type] ?? 0) + 1;
  }
  const known = new Set(policy.conversationTypes.map((t) => t.id));
  return {
    from,
    to: policy.id,
    people,
    conversations,
    unknownTypes: Object.keys(conversations)
      .filter((t) => !known.has(t))
      .sort(),
  };
}

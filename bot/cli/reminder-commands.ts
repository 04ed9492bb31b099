/**
 * Operator commands for reminders (README "Reminders"): `sweep` prints the nudge plan for a day and,
 * without `--dry-run`, posts it to the outbox (the service's sender workers deliver it); `outbox`
 * counts what is queued, delivered, not reachable and dead-lettered. Settings as the service's.
 */
import { parseArgs } from 'node:util';
import { odata } from '@azure/data-tables';
import { formatIsoDate, parseIsoDate } from '../../core/dates/day';
import { wallTimeToUtc } from '../../core/dates/london-time';
import { clockMinutes } from '../../core/nudges';
import { systemClock } from '../clock';
import { ConfigError, type AdminConfig, readAdminConfig } from '../config';
import { openJobLeases } from '../jobs/lease';
import { configureLogging, createLogger } from '../log';
import { QueueOutbox } from '../outbox/outbox';
import { openOutboxQueue } from '../outbox/queue';
import { resolvePolicy } from '../policy';
import { Records } from '../records/records';
import { type SweepDeps, describePlan, planSweep, runDigest, runSweep } from '../reminders/sweep';
import { TableReferenceStore } from '../storage/reference-store';
import { Snoozes } from '../storage/snoozes';
import { type Tables, openTables } from '../storage/tables';
import { outboxFaults } from '../outbox/faults';
import { PolicySwitchError, checkPolicy } from '../storage/policy-marker';
import { type CliIo } from './io';

/** Usage of `sweep`. */
export const SWEEP_USAGE = `usage: npm run cli -- sweep --at YYYY-MM-DD [--time HH:MM] [--dry-run] [--digest]

  The nudge sweep for a day, at NUDGE_SWEEP_TIME (or --time) Europe/London: who is told what, why
  and when. Without --dry-run the cards are posted to the outbox, and the running service's
  senders deliver them (in the local stack, to the Agents Playground). A day already swept posts
  nothing more. --digest posts the weekly digests instead (on the policy's digest day).
  Exit codes: 0 done, 2 usage or configuration error, 3 storage or the queue failed (run it again).
`;

/** Usage of `outbox`. */
export const OUTBOX_USAGE = `usage: npm run cli -- outbox [--days N] [--list]

  What the outbox holds: messages queued, deliveries of the last N days (default 7) by state,
  people not reachable (no app installed) and dead-lettered messages. --list names them.
`;

const EXIT = { done: 0, input: 2, storage: 3 } as const;

async function open(
  io: CliIo,
): Promise<{ config: AdminConfig; records: Records; tables: Tables } | undefined> {
  try {
    const config = readAdminConfig();
    configureLogging(config.logLevel);
    const policy = resolvePolicy(config.policy);
    const tables = await openTables(config.storage);
    await checkPolicy(tables, policy, { force: config.policySwitchForced });
    return { config, records: new Records(tables, policy, systemClock, createLogger('cli')), tables };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicySwitchError) {
      io.stderr(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

function failed(io: CliIo, command: string, error: unknown): number {
  const e = error as { code?: unknown; statusCode?: unknown; name?: unknown };
  const code = [e.statusCode, e.code].filter((x) => typeof x === 'number' || typeof x === 'string');
  io.stderr(
    `\n${command} stopped: storage or the queue failed (${code.join(' ') || String(e.name)}). ` +
      'Nothing posted is lost; run the same command again to finish.\n',
  );
  return EXIT.storage;
}

/** `sweep`. */
export async function runSweepCommand(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        at: { type: 'string' },
        time: { type: 'string' },
        'dry-run': { type: 'boolean' },
        digest: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${SWEEP_USAGE}`);
    return EXIT.input;
  }
  const day = values.at;
  if (day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(day) || formatIsoDate(parseIsoDate(day)) !== day) {
    io.stderr(`--at must be a date YYYY-MM-DD\n${SWEEP_USAGE}`);
    return EXIT.input;
  }
  if (values.time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(values.time)) {
    io.stderr(`--time must be HH:MM\n${SWEEP_USAGE}`);
    return EXIT.input;
  }
  const opened = await open(io);
  if (opened === undefined) return EXIT.input;
  const { config, records, tables } = opened;
  const at = new Date(wallTimeToUtc(day, clockMinutes(values.time ?? config.nudgeSweepTime)));
  try {
    const queue = await openOutboxQueue(config.storage);
    const deps: SweepDeps = {
      records,
      policy: records.policy,
      ledger: tables.nudgeLedger,
      snoozes: new Snoozes(tables.nudgeLedger),
      outbox: new QueueOutbox(queue),
      references: new TableReferenceStore(tables.conversationRefs),
      odMembers: config.odMembers,
      jobs: tables.jobs,
      audit: records.audit,
      log: createLogger('cli.sweep'),
    };
    if (values['dry-run']) {
      io.stdout(describePlan(await planSweep(deps, at)));
      return EXIT.done;
    }
    const leases = await openJobLeases(config.storage, { log: createLogger('cli.lease') });
    if (values.digest) {
      const ran = await leases.runExclusive('weekly-digest', () => runDigest(deps, at));
      if (!ran.ran) io.stdout('the weekly digest is running on another instance; nothing done\n');
      else io.stdout(ran.value.blocked ?? `${ran.value.posted} digests posted to the outbox\n`);
      return EXIT.done;
    }
    const ran = await leases.runExclusive('nudge-sweep', (signal) => runSweep(deps, at, signal));
    if (!ran.ran) {
      io.stdout('the nudge sweep is running on another instance; nothing done\n');
      return EXIT.done;
    }
    io.stdout(describePlan(ran.value));
    if (ran.value.cards.length > 0) io.stdout(`${ran.value.posted} cards posted to the outbox\n`);
    return EXIT.done;
  } catch (error) {
    return failed(io, 'sweep', error);
  }
}

/** `outbox`. */
export async function runOutboxCommand(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: { days: { type: 'string' }, list: { type: 'boolean' } },
    }).values;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${OUTBOX_USAGE}`);
    return EXIT.input;
  }
  const days = Number(values.days ?? '7');
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    io.stderr(`--days must be a whole number from 1 to 366\n${OUTBOX_USAGE}`);
    return EXIT.input;
  }
  const opened = await open(io);
  if (opened === undefined) return EXIT.input;
  const { config, tables } = opened;
  try {
    const queue = await openOutboxQueue(config.storage);
    const summary = await outboxSummary(tables, systemClock.today(), days);
    const queued = await queue.approximateCount();
    io.stdout(
      [
        `queued            ${queued}`,
        ...Object.entries(summary.byState).map(([state, n]) => `${state.padEnd(17)} ${n}`),
        `not reachable     ${summary.unreachable.length} people`,
        `dead-lettered     ${summary.dead.length}`,
        `(deliveries of the ${days} days to ${systemClock.today()})`,
      ].join('\n') + '\n',
    );
    if (values.list) {
      for (const u of summary.unreachable) io.stdout(`not reachable: ${u.id} since ${u.at} (${u.reason})\n`);
      for (const d of summary.dead) io.stdout(`dead letter: ${d.key} at ${d.at}: ${d.reason}\n`);
    }
    return EXIT.done;
  } catch (error) {
    return failed(io, 'outbox', error);
  }
}

/** What the outbox did over the last `days` days (a scan: an operator's question, not a request path). */
export async function outboxSummary(
  tables: Pick<Tables, 'outbox' | 'outboxFaults'>,
  today: string,
  days: number,
): Promise<{
  byState: Record<string, number>;
  unreachable: { id: string; at: string; reason: string }[];
  dead: { key: string; at: string; reason: string }[];
}> {
  const from = formatIsoDate(parseIsoDate(today) - (days - 1));
  const byState: Record<string, number> = {};
  for await (const row of tables.outbox.listEntities<{ state: string }>({
    queryOptions: { filter: odata`day ge ${from}`, select: ['state'] },
  })) {
    byState[row.state] = (byState[row.state] ?? 0) + 1;
  }
  const faults = await outboxFaults(tables);
  return { byState, ...faults };
}

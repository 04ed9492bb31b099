/**
 * `export-pay-steps` (Career Conversations policy §5.8, §8): payroll's file of pay-step decisions
 * — employee, position number, pay-step date, decision, the day it was made and the day the
 * increase applies — and, on stderr, the deferrals counted per quarter for the HR committee.
 * Settings as the service's; reads the directory only.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isIsoDate } from '../../core/dates/day';
import { type Employee } from '../../core/model';
import { spreadsheetCsv } from '../api/csv';
import { systemClock } from '../clock';
import { ConfigError, readAdminConfig } from '../config';
import { configureLogging, createLogger } from '../log';
import { resolvePolicy } from '../policy';
import { PAY_STEP_COLUMNS, deferralsByQuarter, payStepRows } from '../records/pay-steps';
import { Records } from '../records/records';
import { openTables } from '../storage/tables';
import { type CliIo } from './io';

/** Usage of `export-pay-steps`. */
export const EXPORT_PAY_STEPS_USAGE = `usage: npm run cli -- export-pay-steps [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE]

  Pay-step decisions recorded in Teams, for payroll: one row per decision whose pay-step date,
  decision day or effective date is in the range, with the date the increase applies (empty while
  a deferral's support plan is open; never before the plan was completed). CSV on stdout, or to
  FILE; deferrals per quarter on stderr. Only for a policy with pay steps (career-conversations).
  Exit codes: 0 done, 2 usage or configuration error, 3 storage failed (run it again).
`;

const EXIT = { done: 0, input: 2, storage: 3 } as const;

/** `export-pay-steps`. */
export async function runExportPaySteps(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    }).values;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n${EXPORT_PAY_STEPS_USAGE}`);
    return EXIT.input;
  }
  for (const name of ['from', 'to'] as const) {
    const value = values[name];
    if (value !== undefined && !isIsoDate(value)) {
      io.stderr(`--${name} must be a date YYYY-MM-DD\n${EXPORT_PAY_STEPS_USAGE}`);
      return EXIT.input;
    }
  }
  let records: Records;
  try {
    const config = readAdminConfig();
    configureLogging(config.logLevel);
    const policy = resolvePolicy(config.policy);
    if (policy.payStep === undefined) {
      io.stderr(`the ${policy.name} policy has no pay steps; nothing to export\n`);
      return EXIT.input;
    }
    records = new Records(await openTables(config.storage), policy, systemClock, createLogger('cli'));
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return EXIT.input;
    }
    throw error;
  }
  let people: Employee[];
  try {
    people = [];
    for await (const e of records.directory.listAll()) people.push(e);
  } catch (error) {
    const e = error as { statusCode?: unknown; name?: unknown };
    io.stderr(
      `export-pay-steps stopped: storage failed (${String(e.statusCode ?? e.name)}); run it again.\n`,
    );
    return EXIT.storage;
  }
  const rows = payStepRows(people, { from: values.from, to: values.to });
  const csv = spreadsheetCsv(
    rows.map((r) => PAY_STEP_COLUMNS.map((c) => r[c])),
    PAY_STEP_COLUMNS,
  );
  if (values.out !== undefined) await writeFile(values.out, csv);
  else io.stdout(csv);
  const quarters = deferralsByQuarter(rows);
  io.stderr(
    `${rows.length} decisions${values.out !== undefined ? ` written to ${values.out}` : ''}; deferrals by quarter of the pay-step date: ${
      quarters.length === 0 ? 'none' : quarters.map(([q, n]) => `${q} ${n}`).join(', ')
    }\n`,
  );
  return EXIT.done;
}

/**
 * The service (startApp: bot endpoint, outbox sender, jobs) as a child process for the fault
 * suite's kill tests (test/faults.test.ts), over the test's Azurite. Every table call is counted
 * per `<table>.<method>` (test/support/table-hooks.ts); with `KILL_AT=<table>.<method>#<n>` the
 * process kills itself with SIGKILL as soon as the nth such call has completed — e.g.
 * `conversations.createEntity#1` dies with the record written and nothing after it, and with
 * `KILL_AT=before:<table>.<method>#<n>` as the nth such call starts, before it is sent. The hook lives
 * here, in test support, not in production code. `TRACE=1` prints each call to stderr, to choose a
 * kill point. Prints `listening <url>` on stdout once the service answers.
 *
 * Environment: STORAGE_CONNECTION_STRING, PREFIX, PORT, KILL_AT, TRACE, SENDER_POLL_MS.
 */
import { startApp } from '../../bot/app';
import { systemClock } from '../../bot/clock';
import { readConfig } from '../../bot/config';
import { configureLogging } from '../../bot/log';
import { openTables } from '../../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { hookTables } from './table-hooks';

configureLogging('error');
const killAt = process.env.KILL_AT ?? '';
const trace = process.env.TRACE === '1';
const config = readConfig({
  APP_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: process.env.PORT ?? '',
  STORAGE_CONNECTION_STRING: process.env.STORAGE_CONNECTION_STRING ?? '',
  NOTIFY_PER_SECOND: '50',
});
const prefix = process.env.PREFIX ?? '';
const tables = hookTables(
  await openTables(config.storage, prefix),
  (name, n) => {
    if (trace) process.stderr.write(`call ${name}#${n}\n`);
    if (`${name}#${n}` === killAt) process.kill(process.pid, 'SIGKILL');
  },
  (name, n) => {
    if (`before:${name}#${n}` === killAt) process.kill(process.pid, 'SIGKILL');
  },
);
const app = await startApp({
  config,
  tables,
  policy: PROFESSIONAL_CONVERSATION,
  clock: systemClock,
  tabDir: '/none',
  storagePrefix: prefix,
  sender: { idlePollMs: Number(process.env.SENDER_POLL_MS ?? '100'), visibilitySeconds: 2 },
});
process.stdout.write(`listening ${app.service.url}\n`);
const stop = () => {
  void app.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

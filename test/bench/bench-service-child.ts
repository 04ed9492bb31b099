/**
 * The service alone in a process for the benchmarks (see bench-service.ts): startApp over the
 * Azurite named by STORAGE_CONNECTION_STRING, in development mode (the dev token endpoint signs
 * the tab's callers), with TABLE_SHARDS and OD_MEMBERS as given. Prints `listening <url>`.
 */
import { startApp } from '../../bot/app';
import { systemClock } from '../../bot/clock';
import { readConfig } from '../../bot/config';
import { configureLogging } from '../../bot/log';
import { openTables } from '../../bot/storage/tables';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';

configureLogging('error');
const config = readConfig({
  APP_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: process.env.PORT ?? '',
  STORAGE_CONNECTION_STRING: process.env.STORAGE_CONNECTION_STRING ?? '',
  TABLE_SHARDS: process.env.TABLE_SHARDS ?? '1',
  OD_MEMBERS: process.env.OD_MEMBERS ?? '',
});
const app = await startApp({
  config,
  tables: await openTables(config.storage),
  policy: PROFESSIONAL_CONVERSATION,
  clock: systemClock,
  tabDir: '/none',
});
process.stdout.write(`listening ${app.service.url}\n`);
const stop = () => {
  void app.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

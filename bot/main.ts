/**
 * Entry point of the service: read and validate configuration once, open storage, start the
 * HTTP service, and stop cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, readConfig } from './config';
import { systemClock } from './clock';
import { configureLogging, createLogger } from './log';
import { TAB_DIR } from './paths';
import { startApp } from './app';
import { resolvePolicy } from './policy';
import { openTables } from './storage/tables';

/**
 * How long a stopping service answers the turns in flight: within Teams' 15 s turn limit and
 * App Service's wait between SIGTERM and SIGKILL.
 */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  let policy;
  try {
    config = readConfig();
    policy = resolvePolicy(config.policy);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  configureLogging(config.logLevel);
  const log = createLogger('main');
  const tables = await openTables(config.storage);
  const app = await startApp({ config, tables, policy, clock: systemClock, tabDir: TAB_DIR });
  log.info('service started', { url: app.service.url, env: config.appEnv, policy: policy.id });
  log.info(
    'jobs scheduled',
    Object.fromEntries(Object.entries(app.jobs.nextRuns()).map(([job, next]) => [job, next?.toISOString()])),
  );

  const stop = (signal: string) => {
    log.info('stopping', { signal });
    app.stop(SHUTDOWN_GRACE_MS).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Service failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/**
 * Entry point of the service: read and validate configuration once, open storage, start the
 * HTTP service, and stop cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, readConfig } from './config';
import { systemClock } from './clock';
import { configureLogging, createLogger } from './log';
import { TAB_DIR } from './paths';
import { resolvePolicy } from './policy';
import { startTelemetry } from './telemetry/start';

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
  // Telemetry first: the app, express, http and the Azure SDK are imported only once its
  // instrumentation is registered (ES modules cannot be patched after they load).
  const telemetry = await startTelemetry(config.telemetry);
  const { startApp } = await import('./app');
  const { openTables } = await import('./storage/tables');
  const tables = await openTables(config.storage);
  const { checkPolicy } = await import('./storage/policy-marker');
  const policyCheck = await checkPolicy(tables, policy, { force: config.policySwitchForced });
  if (policyCheck === 'switched')
    log.warn('policy switched: statuses and figures are recomputed by the next refresh', {
      policy: policy.id,
    });
  const app = await startApp({ config, tables, policy, clock: systemClock, tabDir: TAB_DIR });
  log.info('service started', { url: app.service.url, env: config.appEnv, policy: policy.id });
  log.info(
    'jobs scheduled',
    Object.fromEntries(Object.entries(app.jobs.nextRuns()).map(([job, next]) => [job, next?.toISOString()])),
  );

  let stopping = false;
  const stop = (signal: string) => {
    // A second signal while stopping (Ctrl+C twice, SIGINT then SIGTERM) ends at once.
    if (stopping) {
      log.warn('stopped before the grace ended', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('stopping', { signal });
    void app
      .stop(SHUTDOWN_GRACE_MS)
      .then(
        () => 0,
        () => 1,
      )
      // What the last turns and jobs recorded is exported before the process ends.
      .then(async (code) => {
        await telemetry.shutdown();
        process.exit(code);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Service failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/**
 * Starts OpenTelemetry through Azure Monitor (`@azure/monitor-opentelemetry`) when a connection
 * string is configured; without one nothing is loaded and every span, metric and log export is the
 * API's no-op. It must run before express, http and the Azure SDK are imported: the service is
 * ESM, and an ES module cannot be patched once loaded, so this registers import-in-the-middle's
 * loader hook (for the modules the instrumentations ask for) and bot/main.ts imports the app only
 * afterwards. Exported: incoming requests (the bot endpoint, the tab and its API), outgoing
 * dependencies (Table, Queue and Blob storage, the Bot Connector, Graph and Entra ID over http and
 * fetch), the app's own spans and metrics (bot/telemetry/instruments.ts) and the log lines
 * (bot/log.ts), all through the redacting processors (bot/telemetry/redact.ts).
 */
import { type IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { type TelemetryConfig } from '../config';
import { createLogger } from '../log';
import manifest from '../../package.json' with { type: 'json' };
import { exportLogRecords } from './log-bridge';
import { RedactingLogRecordProcessor, RedactingSpanProcessor } from './redact';

/** Running telemetry. */
export interface RunningTelemetry {
  /** False when no connection string is configured (nothing is exported). */
  readonly enabled: boolean;
  /** Exports what is buffered and stops the SDK (after the app has stopped); never rejects. */
  shutdown(): Promise<void>;
}

/** How long stopping waits for the last telemetry to be sent. */
const FLUSH_MS = 3_000;

/** Request paths that are probes, not traffic (App Service's health check calls every minute). */
const PROBE_PATHS = /^\/(healthz|readyz|version)(\/|\?|$)/;

/** The http instrumentation's options (its own config type, which the distro passes through). */
const httpOptions: InstrumentationConfig & {
  ignoreIncomingRequestHook(request: IncomingMessage): boolean;
} = {
  enabled: true,
  ignoreIncomingRequestHook: (request) => PROBE_PATHS.test(request.url ?? ''),
};

/**
 * Starts telemetry for `config` (undefined: off). Call once, first thing after reading the
 * configuration, and import the modules to instrument after it resolves.
 */
export async function startTelemetry(config: TelemetryConfig | undefined): Promise<RunningTelemetry> {
  const log = createLogger('telemetry');
  if (config === undefined) {
    return { enabled: false, shutdown: () => Promise.resolve() };
  }
  // Only the modules an instrumentation hooks are wrapped (the whole app is not re-exported
  // through proxies); the hook learns them over this channel as the SDK enables each one.
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { useAzureMonitor, shutdownAzureMonitor },
    { resourceFromAttributes },
    { registerInstrumentations },
  ] = await Promise.all([
    import('@azure/monitor-opentelemetry'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
  ]);
  const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: config.connectionString },
    resource: resourceFromAttributes({
      'service.name': manifest.name,
      'service.version': manifest.version,
    }),
    // Live Metrics streams samples of requests and exceptions outside the redacting processors.
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: httpOptions,
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
    spanProcessors: [new RedactingSpanProcessor()],
    logRecordProcessors: [new RedactingLogRecordProcessor()],
  });
  // Graph calls go through Node's fetch (undici), which the http instrumentation does not see.
  const unregister = registerInstrumentations({ instrumentations: [new UndiciInstrumentation()] });
  await waitForAllMessagesAcknowledged();
  exportLogRecords(true);
  log.info('telemetry started', { exporter: 'azure-monitor' });

  return {
    enabled: true,
    shutdown: async () => {
      exportLogRecords(false);
      // Bounded: with ingestion unreachable the exporter would retry past App Service's wait.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('flush timed out'), { name: 'TimeoutError' })),
          FLUSH_MS,
        );
      });
      try {
        await Promise.race([shutdownAzureMonitor(), late]);
      } catch (error) {
        log.warn('telemetry did not flush', { reason: error instanceof Error ? error.name : 'unknown' });
      } finally {
        clearTimeout(timer);
      }
      unregister();
    },
  };
}

/**
 * What bot/log.ts needs of OpenTelemetry: the active trace and span ids, so every log line names
 * the operation it belongs to (Application Insights' operation id is the trace id), and, while
 * telemetry is on, a copy of each line as an OpenTelemetry log record. With telemetry off both
 * are no-ops: no span is ever active and nothing is exported.
 */
import { trace } from '@opentelemetry/api';
import { SeverityNumber, logs } from '@opentelemetry/api-logs';

/** The ids a log line carries inside a traced operation. */
export interface TraceIds {
  readonly trace_id: string;
  readonly span_id: string;
}

const SEVERITY: Readonly<Record<string, SeverityNumber>> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

let exporting = false;

/** Called by bot/telemetry/start.ts once the SDK is registered (and with false on shutdown). */
export function exportLogRecords(on: boolean): void {
  exporting = on;
}

/** The active span's ids, or undefined outside a traced operation (or with telemetry off). */
export function activeTraceIds(): TraceIds | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (context === undefined || !trace.isSpanContextValid(context)) return undefined;
  return { trace_id: context.traceId, span_id: context.spanId };
}

/**
 * Exports one log line as an OpenTelemetry log record (an App Insights trace, correlated by the
 * active context). `fields` are the ones bot/log.ts already filtered.
 */
export function exportLogRecord(
  level: string,
  logger: string,
  message: string,
  fields: Readonly<Record<string, unknown>>,
): void {
  if (!exporting) return;
  const attributes: Record<string, string | number | boolean> = { logger };
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      attributes[key] = value;
    }
  }
  logs.getLogger('professional-conversations').emit({
    severityNumber: SEVERITY[level] ?? SeverityNumber.INFO,
    severityText: level.toUpperCase(),
    body: message,
    attributes,
  });
}

/**
 * Structured logging: one JSON line per event on stderr, a named logger per module
 * (STYLE.md rule 10). Callers pass identifiers and counts, never note text or tokens (DESIGN.md §6);
 * fields whose names suggest secrets or free text are redacted as a second line of defence.
 * Inside a traced operation a line carries `trace_id` and `span_id` (Application Insights'
 * operation id is the trace id); with telemetry on, each line is also exported as an
 * OpenTelemetry log record (bot/telemetry/log-bridge.ts).
 */
import { LOG_LEVELS, type LogLevel } from './config';
import { activeTraceIds, exportLogRecord } from './telemetry/log-bridge';

/** Fields attached to a log event: ids, counts, durations — never note text or tokens. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** A named logger. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for a sub-component, named `parent.child`. */
  child(name: string): Logger;
}

/** Where log lines go; tests capture them to assert nothing sensitive is logged. */
export type LogSink = (line: string) => void;

const REDACTED_FIELD = /(token|secret|password|authorization|note|comment|discussion|outcome|text)/i;

let threshold = LOG_LEVELS.indexOf('info');
let sink: LogSink = (line) => process.stderr.write(line + '\n');

/** Sets the minimum level and, optionally, the sink for every logger. */
export function configureLogging(level: LogLevel, newSink?: LogSink): void {
  threshold = LOG_LEVELS.indexOf(level);
  if (newSink) sink = newSink;
}

/** Creates a logger named after its module, e.g. `createLogger('bot.turn')`. */
export function createLogger(name: string): Logger {
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields ?? {})) {
      safe[key] = REDACTED_FIELD.test(key) ? '[redacted]' : value;
    }
    const ids = activeTraceIds();
    sink(JSON.stringify({ time: new Date().toISOString(), level, logger: name, message, ...ids, ...safe }));
    exportLogRecord(level, name, message, safe);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (child) => createLogger(`${name}.${child}`),
  };
}

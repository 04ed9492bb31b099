/**
 * Defence in depth for telemetry (DESIGN.md §6: note text is never sent to logs): the code sends
 * ids, counts, kinds and durations only, and these processors run on every span and log record
 * before export and remove what could still carry a person's words or a secret — attributes named
 * like text, notes, card values, bodies, e-mail or credentials; HTTP headers; URL query strings
 * (Graph `$filter` on names, Table storage filters, SAS signatures); e-mail addresses anywhere;
 * and exception messages, which may quote input.
 */
import { type AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';

type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions['spanProcessors']>[number];
type LogRecordProcessor = NonNullable<AzureMonitorOpenTelemetryOptions['logRecordProcessors']>[number];
type EndedSpan = Parameters<SpanProcessor['onEnd']>[0];
type EmittedLogRecord = Parameters<LogRecordProcessor['onEmit']>[0];

/** Attribute names that may hold free text, card input or credentials: dropped whatever their value. */
const SENSITIVE_KEY =
  /(^|[._-])(text|notes?|comments?|discussion|outcomes?|adjustments?|prep|actions?|card|values?|body|e?mail|subject|token|secret|password|authori[sz]ation|cookie|sig|signature|query)([._-]|$)/i;
/** HTTP header attributes (`http.request.header.*`): any of them could be Authorization. */
const HEADER_KEY = /^http\.(request|response)\.header\./i;
/** Attributes whose value is a URL or target: kept without the query string. */
const URL_KEY =
  /^(url\.full|url\.original|http\.url|http\.target|http\.route|db\.statement|db\.query\.text)$/i;
/** An e-mail address, wherever it appears. */
const EMAIL = /[^\s/@?=&:;,'"<>()]+@[^\s/?&;,'"<>()]+/g;
/** Exception attributes whose text may quote input. */
const EXCEPTION_MESSAGE = 'exception.message';
const EXCEPTION_STACK = 'exception.stacktrace';

/** A copy of `attributes` without anything that could carry user text or secrets. */
export function redactAttributes(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const cleaned = redactAttribute(key, value);
    if (cleaned !== undefined) safe[key] = cleaned;
  }
  return safe;
}

/** One attribute as it may be exported, or undefined to drop it. */
function redactAttribute(key: string, value: unknown): unknown {
  if (key === EXCEPTION_MESSAGE) return undefined;
  if (key === EXCEPTION_STACK) return typeof value === 'string' ? stackFrames(value) : undefined;
  if (HEADER_KEY.test(key) || SENSITIVE_KEY.test(key)) return undefined;
  if (typeof value !== 'string') return value;
  const text = URL_KEY.test(key) ? withoutQuery(value) : value;
  return text.replace(EMAIL, '[email]');
}

/** A URL or request target without its query string or fragment. */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** A stack trace without its first line, which repeats the message. */
function stackFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
    .replace(EMAIL, '[email]');
}

/** Replaces an object's own properties with `next` (spans and log records are ended; their attribute objects are theirs). */
function replaceAll(target: Record<string, unknown>, next: Record<string, unknown>): void {
  for (const key of Object.keys(target)) {
    if (!(key in next)) delete target[key];
  }
  Object.assign(target, next);
}

/** Redacts every ended span's attributes, event attributes and status message before export. */
export class RedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(span: EndedSpan): void {
    // ReadableSpan's fields are typed readonly for readers; a processor before the exporter may
    // change them (Azure Monitor's documented way to filter telemetry).
    replaceAll(span.attributes, redactAttributes(span.attributes));
    for (const event of span.events) {
      if (event.attributes) {
        replaceAll(event.attributes, redactAttributes(event.attributes));
      }
    }
    const status = span.status as { message?: string | undefined };
    if (status.message !== undefined) status.message = undefined;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Redacts every log record's attributes (and e-mail addresses in its body) before export. */
export class RedactingLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: EmittedLogRecord): void {
    const attributes = record.attributes as Record<string, unknown>;
    replaceAll(attributes, redactAttributes(attributes));
    if (typeof record.body === 'string') record.setBody(record.body.replace(EMAIL, '[email]'));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

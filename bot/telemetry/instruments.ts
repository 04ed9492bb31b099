/**
 * The app's own spans and metrics, on the OpenTelemetry API: bot turn latency, proactive sends and
 * 429s, the outbox queue's depth, job runs and outbox deliveries. With telemetry off (no SDK
 * registered) every call is the API's no-op. Attributes are kinds, route and job names, results
 * and counts — never text from a person (DESIGN.md §6); bot/telemetry/redact.ts checks again.
 */
import {
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type ObservableResult,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { createLogger } from '../log';

/** Every span and metric name the app defines (README "Telemetry"). */
export const TELEMETRY_NAMES = {
  /** Span: one bot turn (attributes `activity.type`, `bot.route`, `turn.result`). */
  turnSpan: 'bot.turn',
  /** Histogram, ms: a bot turn's latency, by `activity.type`, `bot.route`, `turn.result`. */
  turnDuration: 'pc.bot.turn.duration',
  /** Counter: proactive sends by `send.result` (sent, not-installed, failed, ambiguous) and `delivery.kind`. */
  sends: 'pc.proactive.sends',
  /** Counter: 429 answers from the Bot Connector (each is retried after Retry-After). */
  throttled: 'pc.proactive.throttled',
  /** Observable gauge: the outbox queue's approximate message count, by `outbox.queue`. */
  queueDepth: 'pc.outbox.queue.depth',
  /** Span: one outbox message taken and handled (a request in Application Insights). */
  outboxSpan: 'outbox.deliver',
  /** Span: one run of a background job (a request in Application Insights). */
  jobSpan: 'job.run',
  /** Counter: job runs by `job.name` and `job.result` (ran, busy, failed). */
  jobRuns: 'pc.job.runs',
  /** Histogram, ms: how long a job run took, by `job.name` and `job.result`. */
  jobDuration: 'pc.job.duration',
} as const;

/** The outbox queue's depth is read from storage at most this often (a gauge is collected each export). */
export const QUEUE_DEPTH_SAMPLE_MS = 30_000;

const SCOPE = 'professional-conversations';
const log = createLogger('telemetry');

/** Activity types as Bot Framework names them; anything else is reported as `other`. */
const ACTIVITY_TYPES = new Set([
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'event',
  'typing',
  'endOfConversation',
  'messageUpdate',
  'messageDelete',
]);

interface Instruments {
  readonly provider: MeterProvider;
  readonly turnDuration: Histogram;
  readonly sends: Counter;
  readonly throttled: Counter;
  readonly jobRuns: Counter;
  readonly jobDuration: Histogram;
}

let current: Instruments | undefined;
/** Queue depth readers by queue name (one per running sender). */
const depthReaders = new Map<string, () => Promise<number | undefined>>();

/**
 * The instruments of the registered meter provider. Unlike tracers, a meter taken before the SDK
 * registers stays a no-op for good, so they are made again whenever the provider changes.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (current?.provider === provider) return current;
  const meter: Meter = provider.getMeter(SCOPE);
  meter
    .createObservableGauge(TELEMETRY_NAMES.queueDepth, {
      description: "The outbox queue's approximate message count",
      unit: '{message}',
    })
    .addCallback(observeDepths);
  current = {
    provider,
    turnDuration: meter.createHistogram(TELEMETRY_NAMES.turnDuration, {
      description: 'Bot turn latency',
      unit: 'ms',
    }),
    sends: meter.createCounter(TELEMETRY_NAMES.sends, { description: 'Proactive sends by result' }),
    throttled: meter.createCounter(TELEMETRY_NAMES.throttled, {
      description: 'Bot Connector 429 answers to proactive sends',
    }),
    jobRuns: meter.createCounter(TELEMETRY_NAMES.jobRuns, { description: 'Background job runs by result' }),
    jobDuration: meter.createHistogram(TELEMETRY_NAMES.jobDuration, {
      description: 'Background job run time',
      unit: 'ms',
    }),
  };
  return current;
}

async function observeDepths(result: ObservableResult): Promise<void> {
  for (const [queue, read] of depthReaders) {
    const depth = await read();
    if (depth !== undefined) result.observe(depth, { 'outbox.queue': queue });
  }
}

/** Runs `fn` in a span; `finish` hears the result and the milliseconds taken. */
async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  finish: (result: string, ms: number, span: Span) => void,
  resultOf: (value: T) => string = () => 'ok',
): Promise<T> {
  return trace.getTracer(SCOPE).startActiveSpan(name, { kind, attributes }, async (span) => {
    const started = performance.now();
    let result = 'error';
    try {
      const value = await fn(span);
      result = resultOf(value);
      return value;
    } catch (error) {
      // The error's name only: its message may quote input.
      const errorName = error instanceof Error ? error.name : typeof error;
      span.recordException({ name: errorName, message: errorName });
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      finish(result, performance.now() - started, span);
      span.end();
    }
  });
}

/** Times one bot turn in a `bot.turn` span and the turn latency histogram. */
export function traceTurn<T>(activityType: string, route: string, fn: () => Promise<T>): Promise<T> {
  const attributes = {
    'activity.type': ACTIVITY_TYPES.has(activityType) ? activityType : 'other',
    'bot.route': route,
  };
  return inSpan(TELEMETRY_NAMES.turnSpan, SpanKind.INTERNAL, attributes, fn, (result, ms, span) => {
    span.setAttribute('turn.result', result);
    instruments().turnDuration.record(ms, { ...attributes, 'turn.result': result });
  });
}

/** Counts one proactive send's result; `kind` is what was sent (an outbox delivery kind, or `direct`). */
export function recordSend(result: string, kind: string): void {
  instruments().sends.add(1, { 'send.result': result, 'delivery.kind': kind });
}

/** Counts one 429 from the Bot Connector. */
export function recordThrottled(): void {
  instruments().throttled.add(1);
}

/**
 * Reports the queue's approximate length on the `pc.outbox.queue.depth` gauge, read with `read`
 * at most every {@link QUEUE_DEPTH_SAMPLE_MS} (the last value otherwise). Returns the function
 * that stops reporting it.
 */
export function observeQueueDepth(queue: string, read: () => Promise<number>): () => void {
  instruments();
  let last: number | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  const sample = async (): Promise<number | undefined> => {
    if (performance.now() - readAt < QUEUE_DEPTH_SAMPLE_MS) return last;
    readAt = performance.now();
    try {
      last = await withoutTracing(read);
    } catch (error) {
      // The gauge keeps its last value; the sender's own storage errors are logged where they occur.
      log.debug('queue depth not read', { queue, reason: error instanceof Error ? error.name : 'unknown' });
    }
    return last;
  };
  depthReaders.set(queue, sample);
  return () => {
    if (depthReaders.get(queue) === sample) depthReaders.delete(queue);
  };
}

/** Handles one outbox message in an `outbox.deliver` span, its storage and connector calls inside it. */
export function traceOutboxMessage<T>(fn: () => Promise<T>, resultOf: (value: T) => string): Promise<T> {
  return inSpan(
    TELEMETRY_NAMES.outboxSpan,
    // SERVER, as for jobs: Application Insights lists it as a request (it names CONSUMER spans
    // only from messaging attributes).
    SpanKind.SERVER,
    {},
    fn,
    (result, _ms, span) => span.setAttribute('outbox.result', result),
    resultOf,
  );
}

/** Runs one background job in a `job.run` span, counted and timed by job name and result. */
export function traceJob<T extends string>(name: string, fn: () => Promise<T>): Promise<T> {
  const attributes = { 'job.name': name };
  return inSpan(
    TELEMETRY_NAMES.jobSpan,
    SpanKind.SERVER,
    attributes,
    fn,
    (result, ms, span) => {
      const labels = { ...attributes, 'job.result': result === 'error' ? 'failed' : result };
      span.setAttributes(labels);
      instruments().jobRuns.add(1, labels);
      instruments().jobDuration.record(ms, labels);
    },
    (value) => value,
  );
}

/** Runs `fn` with tracing suppressed: polling (an idle queue receive, a depth sample) is not an operation worth a trace. */
export function withoutTracing<T>(fn: () => Promise<T>): Promise<T> {
  return context.with(suppressTracing(context.active()), fn);
}

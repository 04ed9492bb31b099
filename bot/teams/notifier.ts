/**
 * The one notifier for proactive sends (STYLE.md rule 5): a card to a person's personal chat, or
 * to any stored reference, within Teams' limits (DESIGN.md §7) — a token bucket for the whole app,
 * one per conversation under it, and bounded concurrency — retrying what Teams asks to be retried
 * (429 after Retry-After; 412, 502, 504 with exponential backoff and jitter), recording
 * `BotNotInConversationRoster` as "not installed", and never retrying a send that may have been
 * accepted (Bot Framework's activity create is not idempotent).
 */
import { type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { TokenBucket } from 'limiter';
import { LRUCache } from 'lru-cache';
import pLimit, { type LimitFunction } from 'p-limit';
import { type EmployeeId } from '../../core/model';
import { type CardJson, cardAttachment } from '../cards/card';
import { type Logger } from '../log';
import { recordSend, recordThrottled } from '../telemetry/instruments';
import { type ReferenceStore, type StoredReference } from '../storage/reference-store';

/** What became of one proactive send. */
export type SendOutcome =
  | { readonly kind: 'sent' }
  /** No stored personal reference, or 403 BotNotInConversationRoster (the stored reference is then removed). */
  | { readonly kind: 'not-installed'; readonly reason: 'no-reference' | 'not-in-roster' }
  /** The connector refused it: definitely not delivered (after the in-call retries). */
  | { readonly kind: 'failed'; readonly status: number | undefined; readonly code: string }
  /** The request may have been accepted: a client timeout, or the connection dropped after the request was written. Never retried (Bot Framework's activity create is not idempotent). */
  | { readonly kind: 'ambiguous'; readonly reason: 'timeout' | 'connection' };

/** Options of one send. */
export interface SendOptions {
  /** Awaited once, after the rate limits admit the send and immediately before the first request leaves. If it throws, nothing is sent and send() rejects with that error. */
  readonly beforeSend?: () => Promise<void>;
  /** What is being sent (the outbox delivery's kind), for telemetry; `direct` when not given. */
  readonly kind?: string;
}

/** What `notify` answers (a temporary shim over {@link SendOutcome}). */
export type NotifyResult = 'sent' | 'not-installed';

/** Sends cards to people and channels outside their own turn. */
export interface Notifier {
  /** Sends the card to the person's personal chat (reference keyed by Entra object id). */
  send(userId: EmployeeId, card: CardJson, options?: SendOptions): Promise<SendOutcome>;
  /** Sends the card to a stored reference of any scope (e.g. the OD team's channel). */
  sendToReference(reference: StoredReference, card: CardJson, options?: SendOptions): Promise<SendOutcome>;
  /** The person's Teams user id (MRI) when they have installed the app (for `refresh.userIds`). */
  teamsUserId(userId: EmployeeId): Promise<string | undefined>;
  /** TEMPORARY (callers move to `send`): 'sent' or 'not-installed'; anything else throws {@link SendFailedError}. */
  notify(userId: EmployeeId, card: CardJson): Promise<NotifyResult>;
  /** TEMPORARY (callers move to `send`): sends in the background through the same limits; failures are logged. */
  enqueue(userId: EmployeeId, card: CardJson): void;
  /** TEMPORARY: resolves once every enqueued card has been sent or has failed (shutdown, tests). */
  drain(): Promise<void>;
}

/** Thrown by the `notify` shim when a send was neither sent nor "not installed". */
export class SendFailedError extends Error {
  constructor(readonly outcome: Exclude<SendOutcome, { kind: 'sent' } | { kind: 'not-installed' }>) {
    super(`proactive send ${outcome.kind}`);
    this.name = 'SendFailedError';
  }
}

/** Options of {@link BotNotifier}. */
export interface BotNotifierOptions {
  readonly adapter: CloudAdapter;
  /** The bot's app id ('' when running anonymously against the Playground or the connector stand-in). */
  readonly appId: string;
  readonly references: ReferenceStore;
  /** Sends per second for the whole app; Teams allows about 50 per app per tenant (DESIGN.md §7). */
  readonly perSecond: number;
  /** Sends per second to one conversation (default 3; Teams allows 7). */
  readonly perConversationPerSecond?: number;
  /** Sends in progress at once (default 16): each holds its slot through the outbox write before it and the request. */
  readonly concurrency?: number;
  /** A request not answered in this time is `ambiguous` (default 15,000 ms). */
  readonly requestTimeoutMs?: number;
  /** Retries of one send before it is `failed` (default 4). */
  readonly maxRetries?: number;
  readonly log: Logger;
  /** Waits between retries (tests shorten them). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Statuses Teams asks to be retried (DESIGN.md §7). */
const RETRIED_STATUSES = new Set([412, 429, 502, 504]);
/** Transport errors raised before any byte of the request was sent: safe to retry. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const RETRY_AFTER_CAP_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
/**
 * Teams' longer per-conversation windows (60 per 30 s, 1,800 per hour) as a second bucket:
 * 30 at once, then 0.49 per second, so any 30 s holds ≤ 45 and any hour ≤ 1,794.
 */
const CONVERSATION_SUSTAINED = { bucketSize: 30, perSecond: 0.49 };
/** Conversations whose rate state is kept; the least recently used beyond this are forgotten. */
const CONVERSATIONS_KEPT = 10_000;
/** How long a person's Teams user id read from their reference is reused (references change rarely). */
const USER_ID_TTL_MS = 60_000;

/** One conversation's buckets, and the tail of its sends (one at a time, in order). */
interface ConversationLane {
  readonly bucket: TokenBucket;
  tail: Promise<unknown>;
}

/** What one request came to. */
type AttemptResult =
  | { readonly kind: 'done'; readonly outcome: SendOutcome }
  | {
      readonly kind: 'retry';
      readonly status: number | undefined;
      readonly code: string;
      readonly waitMs: number;
    };

/** {@link Notifier} on botbuilder's CloudAdapter. */
export class BotNotifier implements Notifier {
  private readonly appBucket: TokenBucket;
  /**
   * The app's rate once more, at the wire: `beforeSend` (the outbox's write) takes a varying time
   * after the tokens are taken, which would bunch requests into one sliding second; this bucket
   * spaces the requests themselves.
   */
  private readonly wireBucket: TokenBucket;
  private readonly lanes: LRUCache<string, ConversationLane>;
  private readonly slots: LimitFunction;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * Teams user ids (MRIs) of people with a personal reference, for a minute (issue 19: a record
   * card read each party's reference twice a save). Only ids found are kept, so an install is
   * seen at once; every send re-reads the reference and updates this, and a removal forgets it.
   */
  private readonly userIds = new LRUCache<string, string>({ max: CONVERSATIONS_KEPT, ttl: USER_ID_TTL_MS });

  constructor(private readonly options: BotNotifierOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    // A small burst keeps every sliding second within perSecond + burst (Teams counts windows).
    // At least 2: a timer that fires late would otherwise lose its token (the rate falls short).
    const burst = Math.max(2, Math.ceil(options.perSecond / 20));
    this.appBucket = full(
      new TokenBucket({ bucketSize: burst, tokensPerInterval: options.perSecond, interval: 'second' }),
    );
    // A burst of 2 at the wire: any sliding second sees at most perSecond + 2 requests leave,
    // which leaves room under Teams' limit for the network to bunch their arrival, while a timer
    // that fires late does not lose its slot.
    this.wireBucket = full(
      new TokenBucket({ bucketSize: 2, tokensPerInterval: options.perSecond, interval: 'second' }),
    );
    this.lanes = new LRUCache({ max: CONVERSATIONS_KEPT });
    this.slots = pLimit(options.concurrency ?? 16);
  }

  async send(userId: EmployeeId, card: CardJson, options?: SendOptions): Promise<SendOutcome> {
    const reference = await this.options.references.get(userId);
    this.remember(userId, reference);
    if (reference === undefined || reference.scope !== 'personal') {
      recordSend('not-installed', options?.kind ?? 'direct');
      return { kind: 'not-installed', reason: 'no-reference' };
    }
    return this.sendToReference(reference, card, options);
  }

  /**
   * Sends to one conversation at a time per conversation (so a busy one holds at most one of the
   * concurrency slots, and a person's cards arrive in order); each attempt waits for a slot and
   * then for a token from the conversation's buckets and the app's together (a hierarchy charges
   * all or none, so a conversation with no tokens never holds the app's).
   */
  sendToReference(reference: StoredReference, card: CardJson, options?: SendOptions): Promise<SendOutcome> {
    const lane = this.lane(reference.conversationId);
    const run = lane.tail.then(() => this.sendInLane(lane, reference, card, options));
    lane.tail = run.catch(() => undefined);
    return run;
  }

  async teamsUserId(userId: EmployeeId): Promise<string | undefined> {
    const known = this.userIds.get(userId);
    if (known !== undefined) return known;
    const reference = await this.options.references.get(userId);
    this.remember(userId, reference);
    return reference?.userId;
  }

  private remember(userId: EmployeeId, reference: StoredReference | undefined): void {
    if (reference?.userId === undefined) this.userIds.delete(userId);
    else this.userIds.set(userId, reference.userId);
  }

  async notify(userId: EmployeeId, card: CardJson): Promise<NotifyResult> {
    const outcome = await this.send(userId, card);
    if (outcome.kind === 'sent' || outcome.kind === 'not-installed') return outcome.kind;
    throw new SendFailedError(outcome);
  }

  enqueue(userId: EmployeeId, card: CardJson): void {
    const sending = this.send(userId, card).then(
      (outcome) => {
        if (outcome.kind !== 'sent')
          this.options.log.info('queued card not sent', { userId, ...describe(outcome) });
      },
      (error: unknown) => {
        this.options.log.error('queued card failed', {
          userId,
          error: error instanceof Error ? error.name : 'unknown',
        });
      },
    );
    const tracked = sending.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private lane(conversationId: string): ConversationLane {
    const known = this.lanes.get(conversationId);
    if (known) return known;
    const sustained = full(
      new TokenBucket({
        bucketSize: CONVERSATION_SUSTAINED.bucketSize,
        tokensPerInterval: CONVERSATION_SUSTAINED.perSecond,
        interval: 'second',
        parentBucket: this.appBucket,
      }),
    );
    const bucket = full(
      new TokenBucket({
        bucketSize: 1,
        tokensPerInterval: this.options.perConversationPerSecond ?? 3,
        interval: 'second',
        parentBucket: sustained,
      }),
    );
    const lane: ConversationLane = { bucket, tail: Promise.resolve() };
    this.lanes.set(conversationId, lane);
    return lane;
  }

  private async sendInLane(
    lane: ConversationLane,
    reference: StoredReference,
    card: CardJson,
    options: SendOptions | undefined,
  ): Promise<SendOutcome> {
    const maxRetries = this.options.maxRetries ?? 4;
    const key = reference.key;
    let beforeSend = options?.beforeSend;
    for (let attempt = 0; ; attempt++) {
      const result = await this.slots(async () => {
        await lane.bucket.removeTokens(1);
        const hook = beforeSend;
        beforeSend = undefined;
        if (hook) await hook();
        await this.wireBucket.removeTokens(1);
        return this.attempt(reference, card);
      });
      if (result.kind === 'done') {
        const { outcome } = result;
        recordSend(outcome.kind, options?.kind ?? 'direct');
        if (outcome.kind === 'not-installed') {
          this.options.log.info('not in roster; reference removed', { key, attempt: attempt + 1 });
          this.userIds.delete(key);
          await this.options.references.remove(key);
        } else if (outcome.kind !== 'sent') {
          this.options.log.warn('proactive send not delivered', {
            key,
            attempt: attempt + 1,
            ...describe(outcome),
          });
        }
        return outcome;
      }
      if (result.status === 429) recordThrottled();
      if (attempt >= maxRetries) {
        recordSend('failed', options?.kind ?? 'direct');
        this.options.log.warn('proactive send failed after retries', {
          key,
          status: result.status,
          code: result.code,
          attempts: attempt + 1,
        });
        return { kind: 'failed', status: result.status, code: result.code };
      }
      const waitMs = result.waitMs >= 0 ? result.waitMs : backoffMs(attempt);
      this.options.log.info('proactive send retried', {
        key,
        status: result.status,
        code: result.code,
        attempt: attempt + 1,
        waitMs,
      });
      await this.sleep(waitMs);
    }
  }

  /** One request, with botbuilder's own retries off and a timeout; classifies what came back. */
  private async attempt(reference: StoredReference, card: CardJson): Promise<AttemptResult> {
    const { adapter, appId, requestTimeoutMs } = this.options;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), requestTimeoutMs ?? 15_000);
    // Caught inside the turn: an error thrown out of it would reach the adapter's onTurnError,
    // which answers the "user" with an apology — a second proactive message — and swallows it.
    let failure: { error: unknown } | undefined;
    try {
      await adapter.continueConversationAsync(appId, conversationReference(reference), async (context) => {
        try {
          takeOverConnector(context, adapter, timeout.signal);
          await context.sendActivity({ attachments: [cardAttachment(card)] });
        } catch (error) {
          failure = { error };
        }
      });
    } finally {
      clearTimeout(timer);
    }
    if (failure === undefined) return { kind: 'done', outcome: { kind: 'sent' } };
    return classify(failure.error, timeout.signal.aborted);
  }
}

/** A stored reference as botbuilder wants it. */
export function conversationReference(reference: StoredReference): Partial<ConversationReference> {
  return {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: {
      id: reference.conversationId,
      isGroup: reference.scope !== 'personal',
      conversationType: reference.scope,
      tenantId: reference.tenantId,
      name: '',
    },
    bot: { id: reference.botId, name: '' },
    ...(reference.userId ? { user: { id: reference.userId, name: reference.userName ?? '' } } : {}),
  };
}

/** The part of @azure/core-rest-pipeline's Pipeline used here. */
interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { abortSignal?: AbortSignal },
      next: (request: unknown) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

/**
 * The turn's connector client (a new one per continuation) sends through an Azure pipeline whose
 * default retry policy repeats 429, 5xx and — fatally for a non-idempotent create — a reset
 * connection, three times, outside our rate limits. Remove it, and bound each request.
 */
function takeOverConnector(context: TurnContext, adapter: CloudAdapter, signal: AbortSignal): void {
  const connector = context.turnState.get<unknown>(adapter.ConnectorClientKey);
  // `client` is private in botbuilder-stdlib's types: this reaches past them on purpose.
  const pipeline = (connector as { client?: { pipeline?: PipelineLike } } | undefined)?.client?.pipeline;
  if (pipeline === undefined)
    throw new Error('botbuilder connector pipeline not found; cannot turn off its retries');
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy({
    name: 'notifierTimeout',
    sendRequest: (request, next) => {
      request.abortSignal = signal;
      return next(request);
    },
  });
}

/** How errors surface from botframework-connector (a RestError from @azure/core-rest-pipeline). */
function classify(error: unknown, timedOut: boolean): AttemptResult {
  const e = (error ?? {}) as {
    name?: unknown;
    statusCode?: unknown;
    code?: unknown;
    details?: { error?: { code?: unknown } };
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  if (timedOut || e.name === 'AbortError')
    return { kind: 'done', outcome: { kind: 'ambiguous', reason: 'timeout' } };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const bodyCode = e.details?.error?.code;
  const code =
    typeof bodyCode === 'string'
      ? bodyCode
      : typeof e.code === 'string'
        ? e.code
        : String(status ?? 'unknown');
  if (status === undefined) {
    if (NOT_SENT_CODES.has(code)) return { kind: 'retry', status, code, waitMs: -1 };
    // Anything else from the transport (ECONNRESET, EPIPE, socket hang up) came after the request
    // may have been written; an error that is not the pipeline's is a bug, not an outcome.
    if (e.name === 'RestError') return { kind: 'done', outcome: { kind: 'ambiguous', reason: 'connection' } };
    throw error;
  }
  if (status === 403 && code === 'BotNotInConversationRoster') {
    return { kind: 'done', outcome: { kind: 'not-installed', reason: 'not-in-roster' } };
  }
  if (RETRIED_STATUSES.has(status)) {
    const retryAfter = status === 429 ? retryAfterMs(e.response?.headers?.get?.('retry-after')) : undefined;
    return { kind: 'retry', status, code, waitMs: retryAfter ?? -1 };
  }
  return { kind: 'done', outcome: { kind: 'failed', status, code } };
}

/** Retry-After in seconds or as an HTTP date, capped at a minute. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS) : undefined;
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … (each ×0.5–1.5), at most 30 s. */
function backoffMs(attempt: number): number {
  return Math.round(Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_CAP_MS) * (0.5 + Math.random()));
}

/** A bucket that starts with its burst available (limiter's buckets start empty). */
function full(bucket: TokenBucket): TokenBucket {
  bucket.content = bucket.bucketSize;
  return bucket;
}

/** Log fields for an outcome: kinds, statuses and codes only. */
function describe(outcome: SendOutcome): Record<string, string | number | undefined> {
  switch (outcome.kind) {
    case 'sent':
      return { result: outcome.kind };
    case 'not-installed':
    case 'ambiguous':
      return { result: outcome.kind, reason: outcome.reason };
    case 'failed':
      return { result: outcome.kind, status: outcome.status, code: outcome.code };
  }
}

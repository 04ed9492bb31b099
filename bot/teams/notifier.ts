/**
 * The one notifier for proactive sends (STYLE.md rule 5): a card to a person's personal chat
 * through their stored conversation reference, at no more than the configured rate for the app,
 * retrying what Teams asks to be retried (429 with Retry-After; 412, 502, 504 with exponential
 * backoff and jitter) and recording `BotNotInConversationRoster` as "not installed" (DESIGN.md §7).
 */
import { type CloudAdapter, type ConversationReference } from 'botbuilder';
import { type EmployeeId } from '../../core/model';
import { type CardJson, cardAttachment } from '../cards/card';
import { type Logger } from '../log';
import { type ReferenceStore, type StoredReference } from '../storage/reference-store';

/** What became of a proactive message. */
export type NotifyResult = 'sent' | 'not-installed';

/** Sends cards to people outside their own turn. */
export interface Notifier {
  /** Sends the card to the person's personal chat with the bot, and says what became of it. */
  notify(userId: EmployeeId, card: CardJson): Promise<NotifyResult>;
  /**
   * Queues the card and returns at once: it is sent in the background at the notifier's rate, so a
   * user's reply never waits behind other people's messages. A failure is logged, not thrown.
   */
  enqueue(userId: EmployeeId, card: CardJson): void;
  /** Resolves once every queued card has been sent or has failed (shutdown, tests). */
  drain(): Promise<void>;
  /** The person's Teams user id (MRI), when they have installed the app (for `refresh.userIds`). */
  teamsUserId(userId: EmployeeId): Promise<string | undefined>;
}

/** Options of {@link BotNotifier}. */
export interface BotNotifierOptions {
  readonly adapter: CloudAdapter;
  /** The bot's app id ('' when running anonymously against the local Playground). */
  readonly appId: string;
  readonly references: ReferenceStore;
  readonly perSecond: number;
  readonly log: Logger;
  /** Retries of one message before giving up. */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRIED = new Set([412, 429, 502, 504]);

/** {@link Notifier} on botbuilder's CloudAdapter. */
export class BotNotifier implements Notifier {
  private readonly gate: RateGate;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly queue: { userId: EmployeeId; card: CardJson }[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly options: BotNotifierOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.gate = new RateGate(options.perSecond, this.sleep);
  }

  enqueue(userId: EmployeeId, card: CardJson): void {
    this.queue.push({ userId, card });
    this.startSending();
  }

  private startSending(): void {
    this.draining ??= this.sendQueued().finally(() => {
      this.draining = undefined;
      // A card queued after the loop's last look, before this line, would otherwise wait.
      if (this.queue.length > 0) this.startSending();
    });
  }

  async drain(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Sends queued cards one at a time (the rate gate spaces them); logs a failure and goes on. */
  private async sendQueued(): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      try {
        const result = await this.notify(next.userId, next.card);
        if (result === 'not-installed')
          this.options.log.info('not installed; card not sent', { userId: next.userId });
      } catch (error) {
        this.options.log.error('proactive send failed', {
          userId: next.userId,
          error: error instanceof Error ? error.name : 'unknown',
          status: statusOf(error),
        });
      }
    }
  }

  async teamsUserId(userId: EmployeeId): Promise<string | undefined> {
    return (await this.options.references.get(userId))?.userId;
  }

  async notify(userId: EmployeeId, card: CardJson): Promise<NotifyResult> {
    const reference = await this.options.references.get(userId);
    if (reference === undefined || reference.scope !== 'personal') return 'not-installed';
    const maxRetries = this.options.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      await this.gate.take();
      try {
        await this.options.adapter.continueConversationAsync(
          this.options.appId,
          conversationReference(reference),
          async (context) => {
            await context.sendActivity({ attachments: [cardAttachment(card)] });
          },
        );
        return 'sent';
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 && /BotNotInConversationRoster/i.test(errorCode(error))) {
          this.options.log.info('not installed; reference removed', { userId });
          await this.options.references.remove(userId);
          return 'not-installed';
        }
        if (status === undefined || !RETRIED.has(status) || attempt >= maxRetries) throw error;
        const wait = retryAfterMs(error) ?? Math.round(2 ** attempt * 500 * (0.5 + Math.random()));
        this.options.log.warn('proactive send retried', { status, attempt: attempt + 1, waitMs: wait });
        await this.sleep(wait);
      }
    }
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

/** Spaces sends to at most `perSecond` (a token bucket of one second's worth). */
class RateGate {
  private next = 0;
  constructor(
    private readonly perSecond: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await this.sleep(at - now);
  }
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = e.statusCode ?? e.status ?? e.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; body?: { error?: { code?: unknown } } };
  const code = e.body?.error?.code ?? e.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : '';
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (n: string) => string | null } } }).response
    ?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : undefined;
}

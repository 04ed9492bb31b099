/**
 * Sender workers (bot/outbox/outbox.ts explains the states): each instance runs a few loops that
 * take messages from the outbox queue and send them through the one notifier, which keeps the
 * app's and each conversation's rate. A message is deleted only once its row says what became of
 * it; a definite failure is retried with backoff and dead-lettered after `maxAttempts`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type TableClient } from '@azure/data-tables';
import { type Clock } from '../../core/ports';
import { statusOf } from '../storage/entities';
import { employeeBucket } from '../storage/keys';
import { type ReferenceStore } from '../storage/reference-store';
import { type TableStore } from '../storage/sharded-table';
import { type Notifier, type SendOutcome } from '../teams/notifier';
import { type Logger } from '../log';
import { observeQueueDepth, traceOutboxMessage, withoutTracing } from '../telemetry/instruments';
import { type OutboxMessage, decodeMessage, deliveryKey } from './outbox';
import { type OutboxQueue, type Received } from './queue';

/** What became of a delivery, as its row records it. */
export type DeliveryState =
  'claimed' | 'sending' | 'retry' | 'delivered' | 'not-reachable' | 'unconfirmed' | 'dead';

const FINAL: ReadonlySet<string> = new Set(['delivered', 'not-reachable', 'unconfirmed', 'dead']);

/** An outbox row: keys, state and times, never the card. */
export interface DeliveryRow {
  readonly partitionKey: string;
  readonly rowKey: string;
  readonly kind: string;
  readonly day: string;
  readonly state: DeliveryState;
  /** The queue message that owns the delivery (a second post of it is a duplicate). */
  readonly messageId: string;
  readonly attempts: number;
  readonly updatedAt: string;
  readonly status?: number;
  readonly code?: string;
}

/** A point in the send where a test kills the process (SIGKILL), to prove recovery. */
export type CrashPoint = 'after-claim' | 'after-send';

/** Options of {@link OutboxSender}. */
export interface SenderOptions {
  readonly queue: OutboxQueue;
  readonly table: TableStore;
  readonly faults: TableClient;
  readonly notifier: Notifier;
  readonly references: ReferenceStore;
  readonly log: Logger;
  /** Row times (a delivery's latency is measured on the wall clock, as telemetry). */
  readonly clock: Clock;
  /** Receive loops on this instance (default 2). */
  readonly workers?: number;
  /** Messages in hand per loop, taken up to 32 a receive (default 32). */
  readonly batch?: number;
  /** How long a taken message stays hidden; renewed while it is being sent (default 120 s). */
  readonly visibilitySeconds?: number;
  /** Sends tried before a delivery is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Seconds before a failed send is tried again, by attempt (default 30 s × 2^(attempt−1), ≤ 15 min). */
  readonly retryDelaySeconds?: (attempt: number) => number;
  /** Wait when the queue is empty (default 1,000 ms). */
  readonly idlePollMs?: number;
  /** Test only: kill this process at that point of the first send. */
  readonly crashAt?: CrashPoint | undefined;
}

/** What the senders of this instance have done since start. */
export interface SenderStats {
  delivered: number;
  notReachable: number;
  unconfirmed: number;
  retried: number;
  deadLettered: number;
  duplicates: number;
  /** Posted → sent, in ms, for the last 10,000 deliveries (the queue's added latency). */
  readonly latenciesMs: number[];
}

/** Moves messages from the outbox queue to Teams. */
export class OutboxSender {
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly abort = new AbortController();
  /** Stops reporting the queue's depth (telemetry). */
  private unobserveDepth: (() => void) | undefined;
  private readonly counts: SenderStats = {
    delivered: 0,
    notReachable: 0,
    unconfirmed: 0,
    retried: 0,
    deadLettered: 0,
    duplicates: 0,
    latenciesMs: [],
  };

  constructor(private readonly options: SenderOptions) {}

  /** Starts the receive loops; a failure is logged and the loop goes on after a pause. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unobserveDepth = observeQueueDepth(this.options.queue.name, () =>
      this.options.queue.approximateCount(),
    );
    const workers = this.options.workers ?? 2;
    this.loops = Array.from({ length: workers }, () => this.loop());
  }

  /** Stops taking messages and waits for the ones in hand (they finish or come back later). */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.unobserveDepth?.();
  }

  stats(): SenderStats {
    return this.counts;
  }

  /** Takes and handles messages until the queue answers empty (tests, the CLI). */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const n = await this.receiveOnce();
      if (n === 0) return handled;
      handled += n;
    }
  }

  /**
   * One receive loop: keeps up to `batch` messages in hand and takes more as soon as half of them
   * are done, so the notifier always has work waiting (waiting for a whole batch to finish would
   * leave the rate's slots unused at every batch's end). Stopping lets the messages in hand finish.
   */
  private async loop(): Promise<void> {
    const batch = this.options.batch ?? 32;
    const visibility = this.options.visibilitySeconds ?? 120;
    const inHand = new Set<Promise<void>>();
    let idle = 0;
    while (this.running) {
      try {
        if (inHand.size > batch / 2) {
          await Promise.race(inHand);
          continue;
        }
        // An idle poll is not an operation worth a trace; each message taken gets its own.
        const taken = await withoutTracing(() => this.options.queue.receive(batch - inHand.size, visibility));
        for (const m of taken) {
          const handling = this.handle(m, visibility).finally(() => inHand.delete(handling));
          inHand.add(handling);
        }
        if (taken.length > 0) idle = 0;
        else if (inHand.size > 0) await Promise.race([...inHand, delay(200)]);
        else await this.pause(Math.min(this.options.idlePollMs ?? 1000, 100 * 2 ** ++idle));
      } catch (error) {
        this.options.log.error('outbox receive failed; trying again shortly', {
          reason: error instanceof Error ? error.name : 'unknown',
          status: statusOf(error),
        });
        await this.pause(this.options.idlePollMs ?? 1000);
      }
    }
    await Promise.all(inHand);
  }

  private async pause(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  /** One receive: handles every message taken, each on its own (one failure leaves the rest). */
  private async receiveOnce(): Promise<number> {
    const visibility = this.options.visibilitySeconds ?? 120;
    const taken = await this.options.queue.receive(this.options.batch ?? 32, visibility);
    await Promise.all(taken.map((m) => this.handle(m, visibility)));
    return taken.length;
  }

  private async handle(received: Received, visibility: number): Promise<void> {
    let message = received;
    // Keep the message hidden while it waits for the rate limits or is being sent. Each renewal
    // gives the message a new receipt, so the final delete waits for one in flight.
    let renewing: Promise<void> | undefined;
    const renew = setInterval(
      () => {
        renewing ??= this.options.queue.hide(message, visibility).then(
          (m) => {
            message = m;
            renewing = undefined;
          },
          () => {
            renewing = undefined;
          },
        );
      },
      (visibility * 1000) / 3,
    );
    renew.unref();
    const settle = async () => {
      clearInterval(renew);
      await renewing;
    };
    try {
      const done = await traceOutboxMessage(
        () => this.process(message),
        (d) => (d === 'delete' ? 'done' : 'retry'),
      );
      await settle();
      if (done === 'delete') await this.options.queue.delete(message);
      else await this.options.queue.hide(message, done.retryInSeconds);
    } catch (error) {
      await settle();
      // Storage or the queue failed mid-way: the message comes back after its timeout and the row
      // tells the next holder where this one stopped.
      this.options.log.error('outbox message failed; it will be taken again', {
        messageId: message.messageId,
        reason: error instanceof Error ? error.name : 'unknown',
        status: statusOf(error),
      });
    }
  }

  /** Handles one message; says whether to delete it or hide it for a retry. */
  private async process(received: Received): Promise<'delete' | { retryInSeconds: number }> {
    const { log } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 5;
    const message = decodeMessage(received.text);
    if (message === undefined) {
      await this.deadLetter(`message|${received.messageId}`, 'unreadable', received.dequeueCount);
      return 'delete';
    }
    const pk = message.to;
    const rk = deliveryKey(message);
    const row = await this.claim(message, received);
    if (row === 'duplicate') {
      this.counts.duplicates++;
      return 'delete';
    }
    if (row === 'unconfirmed') {
      this.counts.unconfirmed++;
      log.warn('outbox: a send was interrupted after its request left; not sent again', {
        to: pk,
        kind: message.kind,
      });
      return 'delete';
    }
    if (row.attempts > maxAttempts || received.dequeueCount > maxAttempts + 3) {
      await this.finish(row, 'dead', { code: 'too-many-attempts' });
      await this.deadLetter(`${pk}|${rk}`, 'too-many-attempts', row.attempts);
      return 'delete';
    }
    if (this.options.crashAt === 'after-claim') process.kill(process.pid, 'SIGKILL');

    let etag = row.etag;
    const reference = await this.options.references.get(pk);
    const outcome: SendOutcome =
      reference === undefined
        ? { kind: 'not-installed', reason: 'no-reference' }
        : await this.options.notifier.sendToReference(reference, message.card, {
            kind: message.kind,
            beforeSend: async () => {
              const answer = await this.options.table.updateEntity(
                {
                  partitionKey: pk,
                  rowKey: rk,
                  state: 'sending',
                  updatedAt: this.options.clock.now().toISOString(),
                },
                'Merge',
                { etag },
              );
              etag = answer.etag ?? etag;
            },
          });
    if (outcome.kind === 'sent' && this.options.crashAt === 'after-send')
      process.kill(process.pid, 'SIGKILL');
    const current = { ...row, etag };
    switch (outcome.kind) {
      case 'sent':
        await this.finish(current, 'delivered');
        this.counts.delivered++;
        this.recordLatency(Date.now() - message.postedAtMs);
        return 'delete';
      case 'not-installed':
        await this.finish(current, 'not-reachable', { code: outcome.reason });
        await this.recordUnreachable(pk, message, outcome.reason);
        this.counts.notReachable++;
        log.info('outbox: recipient has not installed the app', { to: pk, kind: message.kind });
        return 'delete';
      case 'ambiguous':
        await this.finish(current, 'unconfirmed', { code: outcome.reason });
        this.counts.unconfirmed++;
        log.warn('outbox: send outcome unknown; not sent again', { to: pk, reason: outcome.reason });
        return 'delete';
      case 'failed': {
        if (row.attempts >= maxAttempts) {
          await this.finish(current, 'dead', { status: outcome.status, code: outcome.code });
          await this.deadLetter(
            `${pk}|${rk}`,
            `failed ${outcome.status ?? ''} ${outcome.code}`.trim(),
            row.attempts,
          );
          return 'delete';
        }
        await this.finish(current, 'retry', { status: outcome.status, code: outcome.code });
        this.counts.retried++;
        const wait = (this.options.retryDelaySeconds ?? defaultRetryDelay)(row.attempts);
        log.warn('outbox: send failed; retried later', {
          to: pk,
          status: outcome.status,
          attempt: row.attempts,
          retryInSeconds: wait,
        });
        return { retryInSeconds: wait };
      }
    }
  }

  /**
   * Claims the delivery's row for this message: creates it, or takes it over from a holder that
   * died before sending or a send that failed. The ETag makes two takers one.
   */
  private async claim(
    message: OutboxMessage,
    received: Received,
  ): Promise<(DeliveryRow & { etag: string | undefined }) | 'duplicate' | 'unconfirmed'> {
    const table = this.options.table;
    const pk = message.to;
    const rk = deliveryKey(message);
    const now = this.options.clock.now().toISOString();
    const fresh: DeliveryRow = {
      partitionKey: pk,
      rowKey: rk,
      kind: message.kind,
      day: message.day,
      state: 'claimed',
      messageId: received.messageId,
      attempts: 1,
      updatedAt: now,
    };
    try {
      const answer = await table.createEntity(fresh);
      return { ...fresh, etag: answer.etag };
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    const existing = await table.getEntity<DeliveryRow>(pk, rk);
    const state = existing.state;
    if (FINAL.has(state)) return 'duplicate';
    // The same delivery posted twice: the message that owns the row sends it.
    if (existing.messageId !== received.messageId) return 'duplicate';
    if (state === 'sending') {
      await table.updateEntity(
        { partitionKey: pk, rowKey: rk, state: 'unconfirmed', updatedAt: now, code: 'interrupted' },
        'Merge',
        { etag: existing.etag },
      );
      return 'unconfirmed';
    }
    // 'claimed' (its holder died before sending) or 'retry' (a failed send): take it.
    const attempts = (existing.attempts ?? 0) + 1;
    const answer = await table.updateEntity(
      { partitionKey: pk, rowKey: rk, state: 'claimed', attempts, updatedAt: now },
      'Merge',
      { etag: existing.etag },
    );
    return { ...fresh, attempts, etag: answer.etag };
  }

  private async finish(
    row: DeliveryRow & { etag: string | undefined },
    state: DeliveryState,
    detail: { status?: number | undefined; code?: string } = {},
  ): Promise<void> {
    await this.options.table.updateEntity(
      {
        partitionKey: row.partitionKey,
        rowKey: row.rowKey,
        state,
        updatedAt: this.options.clock.now().toISOString(),
        ...(detail.status !== undefined ? { status: detail.status } : {}),
        ...(detail.code !== undefined ? { code: detail.code } : {}),
      },
      'Merge',
      { etag: row.etag },
    );
  }

  private async deadLetter(rowKey: string, reason: string, attempts: number): Promise<void> {
    const at = this.options.clock.now();
    await this.options.faults.upsertEntity(
      {
        partitionKey: `dead|${at.toISOString().slice(0, 7)}`,
        rowKey: rowKey.replace(/[/\\#?]/g, '_').slice(0, 512),
        reason,
        attempts,
        at: at.toISOString(),
      },
      'Replace',
    );
    this.counts.deadLettered++;
    this.options.log.error('outbox: message dead-lettered', { reason, attempts });
  }

  private async recordUnreachable(to: string, message: OutboxMessage, reason: string): Promise<void> {
    await this.options.faults.upsertEntity(
      {
        partitionKey: `unreachable|${employeeBucket(to)}`,
        rowKey: to,
        kind: message.kind,
        reason,
        at: this.options.clock.now().toISOString(),
      },
      'Replace',
    );
  }

  private recordLatency(ms: number): void {
    const list = this.counts.latenciesMs;
    if (list.length >= 10_000) list.shift();
    list.push(ms);
  }
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
}

/** Forgets that a person was unreachable (they installed the app). */
export async function clearUnreachable(faults: TableClient, to: string): Promise<void> {
  try {
    await faults.deleteEntity(`unreachable|${employeeBucket(to)}`, to);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/**
 * The durable outbox for every proactive message (DESIGN.md §4 "never lost when the process
 * restarts", §5 Storage Queues). A handler or a sweep posts a delivery: the card, compressed, goes
 * on the Storage Queue; sender workers on every instance take messages and send them through the
 * one notifier. Nothing proactive waits only in memory.
 *
 * Once, not twice: a delivery has a key (recipient, kind, day, ref). The sender claims the key's
 * row in the outbox table before sending and marks it delivered after, so a message taken again
 * (its holder crashed, or the same delivery was posted twice) finds the row:
 *
 * - `claimed`: the holder died before sending, so the message is sent;
 * - `sending`: the holder died while the request was out. Bot Framework's activity create is not
 *   idempotent, so it is not sent again: the row becomes `unconfirmed` (counted for OD). The state
 *   is written after the rate limits admit the send and immediately before the request leaves.
 * - `delivered`, `not-reachable`, `unconfirmed`, `dead`: done; the message is deleted.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { type IsoDate } from '../../core/model';
import { type CardJson } from '../cards/card';
import { type OutboxQueue } from './queue';

/** What a proactive message is, for counts and for its key. */
export const DELIVERY_KINDS = [
  'reminder',
  'escalation',
  'digest',
  'record-copy',
  'booking-notice',
  'prep-card',
  'notice',
  'log-prompt',
  'action-card',
] as const;
/** One of {@link DELIVERY_KINDS}. */
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** One proactive message to post. */
export interface Delivery {
  /** The recipient's reference key: an Entra object id, or a team channel's conversation id. */
  readonly to: string;
  readonly kind: DeliveryKind;
  /** The day it belongs to: with `ref`, what makes two posts the same delivery. */
  readonly day: IsoDate;
  /** What tells it from others of its kind that day for that person (a record id; '' when one a day). */
  readonly ref: string;
  readonly card: CardJson;
}

/** The outbox row key of a delivery. */
export function deliveryKey(d: Pick<Delivery, 'kind' | 'day' | 'ref'>): string {
  return `${d.kind}|${d.day}|${d.ref}`;
}

/** A queue message: the delivery, its card deflated and in base64 (a message holds ≤ 64 KiB). */
const messageSchema = z.strictObject({
  v: z.literal(1),
  to: z.string().min(1).max(256),
  kind: z.enum(DELIVERY_KINDS),
  day: z.iso.date(),
  ref: z.string().max(256),
  card: z.string().min(1),
  /** Wall-clock milliseconds when posted: telemetry only (the queue's added latency). */
  postedAtMs: z.number(),
});

/** A decoded queue message. */
export interface OutboxMessage extends Omit<Delivery, 'card'> {
  readonly card: CardJson;
  readonly postedAtMs: number;
}

/** The most base64 text a queue message may carry (Azure: 64 KiB), with room for the envelope. */
const MAX_MESSAGE_CHARS = 60 * 1024;

/** Thrown when a delivery cannot be posted as given (a programming error, not a fault). */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

/** What an Azure Tables key may hold: no slash, backslash, `#`, `?` or control character. */
// eslint-disable-next-line no-control-regex
const KEY_CHARS = /^[^/\\#?\u0000-\u001f\u007f]*$/;

/** Encodes a delivery as queue text. */
export function encodeMessage(delivery: Delivery, postedAtMs: number): string {
  if (!KEY_CHARS.test(delivery.to) || !KEY_CHARS.test(delivery.ref) || delivery.ref.includes('|')) {
    throw new UndeliverableError('a recipient or ref holds a character table keys cannot');
  }
  const card = deflateRawSync(JSON.stringify(delivery.card)).toString('base64');
  const text = JSON.stringify({
    v: 1,
    to: delivery.to,
    kind: delivery.kind,
    day: delivery.day,
    ref: delivery.ref,
    card,
    postedAtMs,
  });
  if (text.length > MAX_MESSAGE_CHARS)
    throw new UndeliverableError('the card is too large for a queue message');
  return text;
}

/** Decodes queue text; undefined when it is not an outbox message (it is dead-lettered). */
export function decodeMessage(text: string): OutboxMessage | undefined {
  try {
    const parsed = messageSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const card = JSON.parse(
      inflateRawSync(Buffer.from(parsed.data.card, 'base64')).toString('utf8'),
    ) as CardJson;
    if (card?.type !== 'AdaptiveCard') return undefined;
    const { v: _v, ...rest } = parsed.data;
    return { ...rest, card };
  } catch {
    return undefined;
  }
}

/** Posts deliveries; what every handler and sweep uses instead of sending. */
export interface Outbox {
  /** Resolves once the delivery is on the queue (durable); rejects when the queue is unreachable. */
  post(delivery: Delivery): Promise<void>;
}

/** {@link Outbox} on a Storage Queue. */
export class QueueOutbox implements Outbox {
  constructor(private readonly queue: OutboxQueue) {}

  async post(delivery: Delivery): Promise<void> {
    await this.queue.send(encodeMessage(delivery, Date.now()));
  }
}

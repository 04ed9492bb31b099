/**
 * The outbox's Azure Storage Queue (DESIGN.md §5: "Storage Queues to fan nudge sends out across
 * instances"; Azurite locally). A message is at least once: it comes back after its visibility
 * timeout unless deleted, with a dequeue count; the outbox rows make the send itself once.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { QueueClient } from '@azure/storage-queue';
import { type StorageConfig } from '../config';

/** A message taken from the queue, invisible to others until its timeout passes. */
export interface Received {
  readonly messageId: string;
  readonly popReceipt: string;
  readonly text: string;
  /** How many times it has been taken, this time included. */
  readonly dequeueCount: number;
}

/** What the outbox uses of a queue. */
export interface OutboxQueue {
  readonly name: string;
  send(text: string): Promise<void>;
  /** Up to `max` (≤ 32) messages, each hidden from other receivers for `visibilitySeconds`. */
  receive(max: number, visibilitySeconds: number): Promise<Received[]>;
  delete(message: Received): Promise<void>;
  /** Hides the message again for `seconds` (a retry later); returns it with its new receipt. */
  hide(message: Received, seconds: number): Promise<Received>;
  /** The queue's approximate length (Azure's own estimate). */
  approximateCount(): Promise<number>;
}

/**
 * A queue name from a prefix: lowercase letters, digits and single hyphens, 3–63 characters,
 * as Azure requires (tests pass table prefixes like `t1A2b`).
 */
export function queueName(prefix: string, name: string): string {
  const cleaned = `${prefix}${name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return cleaned.slice(0, 63).replace(/-$/, '');
}

/** Opens (and creates when missing) the queue `<prefix>outbox`. */
export async function openOutboxQueue(storage: StorageConfig, prefix = ''): Promise<OutboxQueue> {
  const name = queueName(prefix, 'outbox');
  const client =
    storage.kind === 'connectionString'
      ? new QueueClient(storage.connectionString, name)
      : new QueueClient(`${storage.queueUrl}/${name}`, new DefaultAzureCredential());
  await client.createIfNotExists();
  return {
    name,
    async send(text) {
      // -1: a message lives until it is delivered or dead-lettered (the default is 7 days).
      await client.sendMessage(text, { messageTimeToLive: -1 });
    },
    async receive(max, visibilitySeconds) {
      const answer = await client.receiveMessages({
        numberOfMessages: Math.min(32, Math.max(1, max)),
        visibilityTimeout: visibilitySeconds,
      });
      return answer.receivedMessageItems.map((m) => ({
        messageId: m.messageId,
        popReceipt: m.popReceipt,
        text: m.messageText,
        dequeueCount: m.dequeueCount,
      }));
    },
    async delete(message) {
      await client.deleteMessage(message.messageId, message.popReceipt);
    },
    async hide(message, seconds) {
      const answer = await client.updateMessage(message.messageId, message.popReceipt, undefined, seconds);
      return { ...message, popReceipt: answer.popReceipt ?? message.popReceipt };
    },
    async approximateCount() {
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    },
  };
}

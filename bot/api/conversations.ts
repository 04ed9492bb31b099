/**
 * My conversations (DESIGN.md §4 Tab, §6: employees see their own records): the caller's own
 * partition, newest first, each completed one with the record card the bot sends as the copy.
 */
import { type Versioned } from '../../core/ports';
import { type ConversationRecord } from '../../core/records';
import { type MyConversation, type MyConversationsResponse } from '../../core/tab-api';
import { type CardJson } from '../cards/card';
import { forEachLimit } from '../concurrency';
import { type Caller } from './caller';
import { type ApiDeps } from './deps';

/**
 * Renders a record's card for a reader exactly as the bot does (`recordCardFor` in
 * bot/teams/handlers/record.ts, which needs the bot's TurnDeps: the service passes it in).
 */
export type RecordCardRenderer = (
  readerId: string,
  record: Versioned<ConversationRecord>,
) => Promise<CardJson>;

/** Cards rendered at once (each reads the two parties and their Teams ids). */
const RENDER_CONCURRENCY = 4;

/** The caller's own conversations, newest first. */
export async function myConversations(
  deps: Pick<ApiDeps, 'records' | 'policy'>,
  caller: Caller,
  recordCard: RecordCardRenderer,
): Promise<MyConversationsResponse> {
  const stored = await deps.records.conversations.listForEmployee(caller.id);
  stored.sort(
    (a, b) =>
      b.value.date.localeCompare(a.value.date) ||
      b.value.createdAt.localeCompare(a.value.createdAt) ||
      b.value.id.localeCompare(a.value.id),
  );
  const typeLabel = (id: string) => deps.policy.conversationTypes.find((t) => t.id === id)?.label ?? id;
  const conversations = new Array<MyConversation>(stored.length);
  await forEachLimit(stored, RENDER_CONCURRENCY, async (record, i) => {
    const { value } = record;
    conversations[i] = {
      id: value.id,
      date: value.date,
      type: typeLabel(value.type),
      status: value.status,
      card: value.status === 'completed' ? await recordCard(caller.id, record) : null,
    };
  });
  return { conversations };
}

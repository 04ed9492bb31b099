/**
 * Conversation rows: PK = employee id, RK = conversation id, so one person's history is one
 * partition read. Note text, when records carry it, lives only in these rows (DESIGN.md §6).
 */
import { type ConversationFacts } from '../../core/model';
import { withoutUndefined } from './entities';

/** Maps a conversation's facts to its row. Actions are stored as JSON (one property, ≤ 64 KiB). */
export function conversationToEntity(c: ConversationFacts) {
  return withoutUndefined({
    partitionKey: c.employeeId,
    rowKey: c.id,
    type: c.type,
    date: c.date,
    managerId: c.managerId,
    status: c.status,
    actions: c.actions === undefined ? undefined : JSON.stringify(c.actions),
    objectivesMet: c.objectivesMet,
  });
}

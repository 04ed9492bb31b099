/** Activity factories for tests (STYLE.md rule 9): one place that knows what Teams sends. */
import { type Activity } from 'botbuilder';

/** The bot's id in test conversations. */
export const BOT_ID = '28:bot-under-test';

interface From {
  readonly aadObjectId?: string;
  readonly name?: string;
}

const user = (from: From = {}) => ({
  id: `29:${from.aadObjectId ?? 'anonymous'}`,
  name: from.name ?? 'Test User',
  aadObjectId: from.aadObjectId,
});

/** A message the user typed. */
export function message(text: string, from?: From): Partial<Activity> {
  return { type: 'message', text, from: user(from), recipient: { id: BOT_ID, name: 'Bot' } };
}

/** The message an `Action.Submit` button posts: its data in `value`. */
export function submit(value: Record<string, unknown>, from?: From): Partial<Activity> {
  return { type: 'message', value, from: user(from), recipient: { id: BOT_ID, name: 'Bot' } };
}

/** The `adaptiveCard/action` invoke an `Action.Execute` button sends; `action` undefined omits it. */
export function cardAction(
  action: { verb?: string; data?: Record<string, unknown> } | undefined,
  from?: From,
): Partial<Activity> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: action === undefined ? {} : { action: { type: 'Action.Execute', ...action } },
    from: user(from),
    recipient: { id: BOT_ID, name: 'Bot' },
  };
}

/** What Teams sends when the app is installed in personal scope: the bot joins the conversation. */
export function botAdded(from?: From): Partial<Activity> {
  return {
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT_ID, name: 'Bot' }],
    from: user(from),
    recipient: { id: BOT_ID, name: 'Bot' },
    channelData: { tenant: { id: '11111111-2222-4333-8444-555555555555' } },
  };
}

/** The companion `installationUpdate` Teams also sends on install (`add`) or removal (`remove`). */
export function installationUpdate(action: 'add' | 'remove', from?: From): Partial<Activity> {
  return { type: 'installationUpdate', action, from: user(from), recipient: { id: BOT_ID, name: 'Bot' } };
}

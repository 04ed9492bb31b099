/**
 * A turn that failed (storage or Graph unavailable, a bug): logged once with a short reference the
 * user can quote, never with the error's own text, which may hold what they typed.
 */
import { randomUUID } from 'node:crypto';
import { type TurnContext } from 'botbuilder';
import { type CardJson } from '../cards/card';
import { createNoticeCard } from '../cards/notice-card';
import { type Verb } from '../cards/verbs';
import { text } from '../i18n/en-GB';
import { type Logger } from '../log';

/** Logs a failed turn and returns the reference quoted to the user. */
export function logTurnFailure(log: Logger, context: TurnContext, error: unknown): string {
  const reference = randomUUID().slice(0, 8);
  log.error('turn failed', {
    reference,
    correlationId: context.activity.id,
    conversationId: context.activity.conversation?.id,
    activityType: context.activity.type,
    error: error instanceof Error ? error.name : 'unknown',
    stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join(' | ') : undefined,
  });
  return reference;
}

/** Above this the submitted data is not carried on the Try again button (Teams' card limit is 40 KB). */
const RETRY_DATA_LIMIT = 20_000;

/**
 * The answer to a card button whose action failed: the apology, and a Try again button carrying
 * what was submitted (a record form's typed values included), so pressing it once the service is
 * back repeats the same action with nothing retyped.
 */
export function failedActionCard(
  verb: Verb,
  data: Readonly<Record<string, unknown>>,
  reference: string,
): CardJson {
  const retry = { ...data };
  delete retry.verb;
  const carried = JSON.stringify(retry).length <= RETRY_DATA_LIMIT;
  return createNoticeCard({
    title: text.errors.actionFailedTitle,
    message: carried ? text.errors.actionFailed(reference) : text.errors.turnFailed(reference),
    tone: 'attention',
    actions: carried ? [{ title: text.errors.tryAgain, verb, data: retry }] : [],
  });
}

/**
 * Card buttons: `Action.Execute` arrives as an `adaptiveCard/action` invoke and is answered with
 * the next card in place (Universal Actions); its `Action.Submit` fallback arrives as a message
 * whose `value` carries the same data and is answered with a new message. Payloads are parsed,
 * never trusted (STYLE.md rule 3).
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { text } from '../../i18n/en-GB';
import { type CardJson, cardAttachment } from '../../cards/card';
import { type Verb, isVerb } from '../../cards/verbs';
import { type TurnDeps } from '../deps';
import { failedActionCard, logTurnFailure } from '../turn-failure';
import { runVerb } from '../verb-handlers';

const executeValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

const submitValue = z.object({ verb: z.string().min(1) }).loose();

/** Handles an `adaptiveCard/action` invoke; a missing or unknown action gets a 400, not a crash. */
export async function handleCardAction(context: TurnContext, deps: TurnDeps): Promise<void> {
  const parsed = executeValue.safeParse(context.activity.value);
  if (!parsed.success) {
    deps.log.warn('card action without an action', { activityId: context.activity.id });
    await invokeResponse(context, 400, errorBody('BadRequest', text.errors.missingAction));
    return;
  }
  const { verb } = parsed.data.action;
  if (!isVerb(verb)) {
    deps.log.warn('unknown card verb', { verb: verb.slice(0, 40) });
    await invokeResponse(context, 400, errorBody('BadRequest', text.errors.unknownVerb));
    return;
  }
  const card = await runOrApologise(verb, parsed.data.action.data ?? {}, context, deps);
  await invokeResponse(context, 200, {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: card,
  });
}

/** True when a message carries card data rather than typed text (an `Action.Submit`). */
export function isCardSubmit(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Handles an `Action.Submit` fallback: the verb's card as a new message, or help for an unknown verb. */
export async function handleCardSubmit(context: TurnContext, deps: TurnDeps): Promise<void> {
  const parsed = submitValue.safeParse(context.activity.value);
  if (!parsed.success || !isVerb(parsed.data.verb)) {
    deps.log.warn('unknown card submit', { activityId: context.activity.id });
    await context.sendActivity(text.errors.unknownVerb);
    return;
  }
  const { verb, ...data } = parsed.data;
  await sendCard(context, await runOrApologise(verb, data, context, deps));
}

/**
 * Runs a card verb; when it fails (storage or Graph unavailable), the answer is still a card: the
 * apology with a Try again button carrying what was submitted. A failed invoke answered 500 shows
 * Teams' own error in place of the card, with what the user typed gone.
 */
async function runOrApologise(
  verb: Verb,
  data: Readonly<Record<string, unknown>>,
  context: TurnContext,
  deps: TurnDeps,
): Promise<CardJson> {
  try {
    return await runVerb(verb, context, deps);
  } catch (error) {
    return failedActionCard(verb, data, logTurnFailure(deps.log, context, error));
  }
}

/** Sends a card as a new message. */
export async function sendCard(context: TurnContext, card: CardJson): Promise<void> {
  await context.sendActivity({ attachments: [cardAttachment(card)] });
}

async function invokeResponse(context: TurnContext, status: number, body: object): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

function errorBody(code: string, message: string): object {
  return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code, message } };
}

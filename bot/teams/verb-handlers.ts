/**
 * What each card verb shows. Text commands, `Action.Submit` messages and `Action.Execute`
 * invokes all end here, so a button and its typed command can never disagree.
 */
import { type TurnContext } from 'botbuilder';
import { type CardJson } from '../cards/card';
import { createNoticeCard } from '../cards/notice-card';
import { text } from '../i18n/en-GB';
import { Verb } from '../cards/verbs';
import { type TurnDeps } from './deps';
import { appealAcknowledge, appealOutcome, appealStart, appealSubmit } from './handlers/appeal';
import { history, myConversations } from './handlers/conversations';
import { SHARED_CONVERSATION_VERBS, helpCardFor, isSharedConversation } from './handlers/help';
import { logMore, logSave, logStart } from './handlers/log';
import { payStepComplete, payStepDecide, payStepStart } from './handlers/pay-step';
import { prepSave, prepStart } from './handlers/prep';
import { acknowledge, exceptionalAccess, exceptionalFind, recordView } from './handlers/record';
import { scheduleBook, scheduleFind, scheduleStart } from './handlers/schedule';
import { snoozeReminder } from './handlers/snooze';
import { supervisionAsk } from './handlers/supervision';
import { teamCard } from './handlers/team';
import { welcomeCardFor } from './handlers/welcome';

/** Produces the card a verb answers with. */
export type VerbHandler = (context: TurnContext, deps: TurnDeps) => Promise<CardJson>;

/** The handler of every verb (exhaustive: a new verb without a handler fails the type check). */
export const VERB_HANDLERS: Readonly<Record<Verb, VerbHandler>> = {
  [Verb.help]: (context) => Promise.resolve(helpCardFor({ shared: isSharedConversation(context) })),
  [Verb.menu]: welcomeCardFor,
  [Verb.team]: teamCard,
  [Verb.schedule]: scheduleStart,
  [Verb.scheduleFind]: scheduleFind,
  [Verb.scheduleBook]: scheduleBook,
  [Verb.prep]: prepStart,
  [Verb.prepSave]: prepSave,
  [Verb.log]: logStart,
  [Verb.logMore]: logMore,
  [Verb.logSave]: logSave,
  [Verb.record]: recordView,
  [Verb.acknowledge]: acknowledge,
  [Verb.mine]: myConversations,
  [Verb.history]: history,
  [Verb.snooze]: snoozeReminder,
  [Verb.payStep]: payStepStart,
  [Verb.payStepDecide]: payStepDecide,
  [Verb.payStepComplete]: payStepComplete,
  [Verb.appeal]: appealStart,
  [Verb.appealSubmit]: appealSubmit,
  [Verb.appealAcknowledge]: appealAcknowledge,
  [Verb.appealOutcome]: appealOutcome,
  [Verb.supervisionAsk]: supervisionAsk,
  [Verb.exceptionalAccess]: exceptionalAccess,
  [Verb.exceptionalFind]: exceptionalFind,
};

export { SHARED_CONVERSATION_VERBS };

/**
 * Runs a verb for a typed command or a card button. In a channel or group chat only help is
 * answered: anything else would post one person's team, records or status where everyone in the
 * conversation reads it, so it says to ask in the personal chat instead.
 */
export function runVerb(verb: Verb, context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  if (isSharedConversation(context) && !SHARED_CONVERSATION_VERBS.has(verb)) {
    const conversationType = context.activity.conversation.conversationType;
    deps.log.info('personal verb in a shared conversation', { verb, conversationType });
    return Promise.resolve({ ...createNoticeCard(text.errors.personalChatOnly), actions: [] });
  }
  return VERB_HANDLERS[verb](context, deps);
}

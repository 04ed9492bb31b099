/** Builds the help card, with suggestions when it answers text the bot did not understand. */
import { type TurnContext } from 'botbuilder';
import { type CardJson } from '../../cards/card';
import { createHelpCard } from '../../cards/help-card';
import { Verb } from '../../cards/verbs';
import { COMMANDS, suggestCommands } from '../commands';

/** Verbs answered in a team channel or group chat; every other one shows a person's own data. */
export const SHARED_CONVERSATION_VERBS: ReadonlySet<Verb> = new Set([Verb.help]);

/** True in a team channel or a group chat, where everyone in the conversation reads the answer. */
export function isSharedConversation(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat';
}

export interface HelpOptions {
  /** What the user typed, to open the card with "did you mean" suggestions. */
  readonly unknownText?: string;
  /** In a channel or group chat: list only what is answered there. */
  readonly shared?: boolean;
  /** A greeting above the list (the app was just added to a shared chat). */
  readonly greeting?: string;
}

/** The help card; in a shared chat it lists, and suggests, only what is answered there. */
export function helpCardFor(options: HelpOptions = {}): CardJson {
  const shared = options.shared === true;
  const listed = shared ? COMMANDS.filter((c) => SHARED_CONVERSATION_VERBS.has(c.verb)) : COMMANDS;
  const { unknownText } = options;
  return createHelpCard({
    commands: listed,
    shared,
    greeting: options.greeting,
    unknownText,
    suggestions:
      unknownText === undefined
        ? undefined
        : suggestCommands(unknownText).filter((c) => !shared || SHARED_CONVERSATION_VERBS.has(c.verb)),
  });
}

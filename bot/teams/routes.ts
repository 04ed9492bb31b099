/**
 * The bot's route table: narrow routes first, the catch-all last (STYLE.md rule 1).
 * Each handler lives in its own file under handlers/.
 */
import { type Activity } from 'botbuilder';
import { type Route } from './router';
import { matchCommand, matchNamedCommand } from './commands';
import { handleCardAction, handleCardSubmit, isCardSubmit, sendCard } from './handlers/card-action';
import { helpCardFor, isSharedConversation } from './handlers/help';
import { runNamedCommand } from './handlers/named-command';
import { handleInstall, handleUninstall, isInstall, isUninstall } from './handlers/install';
import { runVerb } from './verb-handlers';

/** Typed text with `<at>…</at>` mentions removed (channel messages start with one). */
function typedText(activity: Activity): string {
  return (activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, ' ').trim();
}

/** The route table, in priority order. */
export const ROUTES: readonly Route[] = [
  { name: 'install', select: isInstall, handle: handleInstall },
  { name: 'uninstall', select: isUninstall, handle: handleUninstall },
  {
    name: 'card-action',
    select: (a) => a.type === 'invoke' && a.name === 'adaptiveCard/action',
    handle: handleCardAction,
  },
  {
    name: 'card-submit',
    select: (a) => a.type === 'message' && isCardSubmit(a.value),
    handle: handleCardSubmit,
  },
  {
    name: 'command',
    select: (a) => a.type === 'message' && matchCommand(typedText(a)) !== undefined,
    handle: async (context, deps) => {
      const command = matchCommand(typedText(context.activity));
      if (command) await sendCard(context, await runVerb(command.verb, context, deps));
    },
  },
  {
    name: 'named-command',
    select: (a) => a.type === 'message' && matchNamedCommand(typedText(a)) !== undefined,
    handle: async (context, deps) => {
      const named = matchNamedCommand(typedText(context.activity));
      if (named) await runNamedCommand(context, deps, named);
    },
  },
  {
    name: 'unknown-text',
    select: (a) => a.type === 'message',
    handle: async (context) => {
      const said = typedText(context.activity);
      const unknownText = said === '' ? undefined : said;
      await sendCard(context, helpCardFor({ unknownText, shared: isSharedConversation(context) }));
    },
  },
];

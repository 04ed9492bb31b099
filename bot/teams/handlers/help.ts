/** Builds the help card, with suggestions when it answers text the bot did not understand. */
import { type CardJson } from '../../cards/card';
import { createHelpCard } from '../../cards/help-card';
import { COMMANDS, suggestCommands } from '../commands';

/** The help card; pass what the user typed to open it with "did you mean" suggestions. */
export function helpCardFor(unknownText?: string): CardJson {
  if (unknownText === undefined) return createHelpCard({ commands: COMMANDS });
  return createHelpCard({ commands: COMMANDS, unknownText, suggestions: suggestCommands(unknownText) });
}

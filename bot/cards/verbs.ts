/**
 * Card verbs: the contract between a card's buttons and the bot's routes (STYLE.md rule 3).
 * Cards and routes both import these constants, so a renamed verb cannot silently break a button.
 */
export const Verb = {
  help: 'help',
  menu: 'menu',
} as const;

/** One of the verbs the bot understands. */
export type Verb = (typeof Verb)[keyof typeof Verb];

/** True when `value` names a verb the bot understands. */
export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (Object.values(Verb) as string[]).includes(value);
}

/**
 * Text commands: short words with synonyms, each mapped to a card verb so typing and pressing
 * a button reach the same handler. Unknown text gets the closest commands as suggestions.
 */
import { text } from '../i18n/en-GB';
import { type HelpCommand } from '../cards/help-card';
import { Verb } from '../cards/verbs';

interface Command extends HelpCommand {
  /** Words and phrases that invoke it, lower case. */
  readonly words: readonly string[];
  /** Followed by a person's name ("schedule Owen", "log a conversation with Owen Price"). */
  readonly takesName?: boolean;
}

/** The commands the bot understands now, in the order the help card lists them. */
export const COMMANDS: readonly Command[] = [
  { ...text.commands.help, verb: Verb.help, words: ['help', '?', 'commands', 'what can you do', 'options'] },
  {
    ...text.commands.menu,
    verb: Verb.menu,
    words: ['menu', 'home', 'start', 'hi', 'hello', 'hey', 'welcome'],
  },
  {
    ...text.commands.team,
    verb: Verb.team,
    words: ['team', 'my team', 'reports', 'my reports', 'direct reports', 'staff', 'my staff'],
  },
  {
    ...text.commands.schedule,
    verb: Verb.schedule,
    takesName: true,
    words: [
      'schedule',
      'book',
      'arrange',
      'book a conversation',
      'schedule a conversation',
      'new conversation',
    ],
  },
  {
    ...text.commands.log,
    verb: Verb.log,
    takesName: true,
    words: ['log', 'record', 'write up', 'log a conversation', 'record a conversation'],
  },
  {
    ...text.commands.mine,
    verb: Verb.mine,
    words: ['my conversations', 'conversations', 'mine', 'my records', 'records', 'my history'],
  },
  { ...text.commands.history, verb: Verb.history, takesName: true, words: ['history', 'team history'] },
  {
    ...text.commands.prep,
    verb: Verb.prep,
    words: ['prep', 'prepare', 'preparation', 'my notes', 'adjustments', 'reasonable adjustments'],
  },
  {
    ...text.commands.exceptional,
    verb: Verb.exceptionalFind,
    words: ['exceptional access', 'exceptional', 'read notes', 'archived records', 'archive'],
  },
];

/** Normalises typed text: lower case, no punctuation at the ends, single spaces. */
export function normalise(input: string): string {
  return input
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s.!,]+|[\s.!,]+$/g, '');
}

/** The command the text invokes, if any. */
export function matchCommand(input: string | undefined): Command | undefined {
  if (input === undefined) return undefined;
  const said = normalise(input);
  return COMMANDS.find((c) => c.words.includes(said));
}

/** Words between a command and a name that say nothing ("log a conversation *with* Owen"). */
const NAME_LEAD = /^(?:(?:a |my )?(?:conversation|meeting|chat|one) )?(?:with |for |of |about )?/;

/**
 * A command followed by a person's name: the command and the name as typed (its words after the
 * command's longest matching phrase). Undefined when the text is a bare command or no command.
 */
export function matchNamedCommand(input: string | undefined): { command: Command; name: string } | undefined {
  if (input === undefined) return undefined;
  const said = normalise(input);
  let best: { command: Command; word: string } | undefined;
  for (const command of COMMANDS) {
    if (command.takesName !== true) continue;
    for (const word of command.words)
      if (said.startsWith(`${word} `) && word.length > (best?.word.length ?? 0)) best = { command, word };
  }
  if (best === undefined) return undefined;
  const name = said
    .slice(best.word.length + 1)
    .replace(NAME_LEAD, '')
    .trim();
  return name === '' ? undefined : { command: best.command, name };
}

/** Up to three commands closest to what was typed (typos, partial words), best first. */
export function suggestCommands(input: string): Command[] {
  const said = normalise(input);
  const scored = COMMANDS.map((command) => {
    const distance = Math.min(
      ...command.words.map((w) => (said.includes(w) || w.startsWith(said) ? 0 : editDistance(said, w))),
    );
    return { command, distance };
  });
  return scored
    .filter((s) => s.distance <= Math.max(2, Math.floor(said.length / 3)))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
    .map((s) => s.command);
}

/** Levenshtein distance, bounded to short inputs (commands are a few words). */
function editDistance(a: string, b: string): number {
  if (a.length > 60) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * A command with a person's name ("schedule Owen", "log a conversation with Owen Price"): the name
 * is looked for among the caller's own direct reports only, so it can never reach anyone else's
 * record, and the command runs as its button would with that person. Two or more who fit are
 * offered as buttons; nobody who fits is said plainly, with the team to choose from.
 */
import { type TurnContext } from 'botbuilder';
import { type Employee } from '../../../core/model';
import { text } from '../../i18n/en-GB';
import { inPost } from '../../api/caller';
import { createNoticeCard } from '../../cards/notice-card';
import { Verb } from '../../cards/verbs';
import { type TurnDeps } from '../deps';
import { type matchNamedCommand } from '../commands';
import { runVerb } from '../verb-handlers';
import { sendCard } from './card-action';
import { actorOf, unknownUser } from './turn';

/** At most this many people offered when a name fits several (with Menu, a card's five buttons). */
const CHOICES = 4;

export async function runNamedCommand(
  context: TurnContext,
  deps: TurnDeps,
  { command, name }: NonNullable<ReturnType<typeof matchNamedCommand>>,
): Promise<void> {
  const actor = await actorOf(context, deps);
  if (actor === undefined) return sendCard(context, unknownUser());
  const today = deps.clock.today();
  const team = (await deps.records.team.team(actor.id))
    .map((r) => r.employee)
    .filter((e) => inPost(e, today));
  // Not a manager: the command answers as it does without a name (it says who may use it).
  if (team.length === 0) return sendCard(context, await runVerb(command.verb, context, deps));
  const fits = peopleNamed(team, name);
  if (fits.length === 1) {
    // The same data the command's button on My team carries.
    context.activity.value = { employeeId: fits[0]!.id };
    return sendCard(context, await runVerb(command.verb, context, deps));
  }
  const t = text.namedCommand;
  const typed = name.length > 60 ? `${name.slice(0, 59)}…` : name; // echoed: a card holds 40 KB
  if (fits.length === 0) {
    return sendCard(
      context,
      createNoticeCard({
        message: t.nobody(typed),
        actions: [{ title: text.menu.team, verb: Verb.team }],
      }),
    );
  }
  return sendCard(
    context,
    createNoticeCard({
      message: t.several(typed, fits.length, CHOICES),
      actions: fits.slice(0, CHOICES).map((e) => ({
        title: e.name,
        verb: command.verb,
        data: { employeeId: e.id },
      })),
    }),
  );
}

/** Lower case, accents removed, one space between words. */
function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' -]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The people a typed name fits: the full name exactly when someone has it; else everyone each of
 * whose typed words begins a word of their name ("owen" → Owen Price, "o pri" → Owen Price).
 */
export function peopleNamed(people: readonly Employee[], typed: string): Employee[] {
  const wanted = fold(typed);
  if (wanted === '') return [];
  const exact = people.filter((p) => fold(p.name) === wanted);
  if (exact.length > 0) return exact;
  const words = wanted.split(' ');
  return people
    .filter((p) => {
      const own = fold(p.name).split(' ');
      return words.every((w) => own.some((o) => o.startsWith(w)));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

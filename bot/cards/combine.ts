/**
 * Several cards as one (a person gets at most one reminder card a day, DESIGN.md §4 "Nudge"): the
 * bodies in order, each card's own buttons kept beside its part as an ActionSet, separated by a
 * line. Every part is already a valid Adaptive Card 1.5, so the whole is too.
 */
import { CARD_VERSION, type CardJson } from './card';

/** One card made of `cards`; a single card is returned as it is. */
export function combineCards(cards: readonly CardJson[]): CardJson {
  if (cards.length === 1) return cards[0]!;
  const body: unknown[] = [];
  cards.forEach((card, i) => {
    const part = [...((card.body as unknown[] | undefined) ?? [])];
    const actions = (card.actions as unknown[] | undefined) ?? [];
    if (actions.length > 0) part.push({ type: 'ActionSet', actions });
    body.push({ type: 'Container', separator: i > 0, spacing: i > 0 ? 'Large' : 'None', items: part });
  });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
  };
}

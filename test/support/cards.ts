/**
 * Card checks shared by tests: parse with the `adaptivecards` library (as Teams' renderer does)
 * and report every parse and validation event, and the 40 KB message limit (DESIGN.md §7).
 */
import { createRequire } from 'node:module';
import { type Activity, type Attachment } from 'botbuilder';
import { MAX_CARD_BYTES } from '../../bot/cards/card';

interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
}

// adaptivecards' own entry point expects a DOM; its minified build parses and validates without one (DESIGN.md §5).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.min.js') as AdaptiveCardsModule;

/** Every problem the Adaptive Cards library reports for a card, plus size over the limit. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents)
    problems.push(`validate: ${event.message}`);
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > MAX_CARD_BYTES) problems.push(`size: ${bytes} bytes > ${MAX_CARD_BYTES}`);
  return problems;
}

/** The Adaptive Card in an activity (the first attachment), failing loudly when there is none. */
export function cardOf(activity: Partial<Activity>): Record<string, unknown> {
  const attachment: Attachment | undefined = activity.attachments?.[0];
  if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`expected an Adaptive Card, got ${JSON.stringify(activity).slice(0, 300)}`);
  }
  return attachment.content as Record<string, unknown>;
}

/** All text of a card (TextBlocks, facts, action titles), for content assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    for (const key of ['text', 'title', 'value']) if (typeof n[key] === 'string') out.push(n[key]);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

/** The data of the first Action.Execute button with this verb on a card (fails when there is none). */
export function buttonData(card: unknown, verb: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (found || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(walk);
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && n.verb === verb) found = n.data as Record<string, unknown>;
    Object.values(n).forEach(walk);
  };
  walk(card);
  if (found === undefined) throw new Error(`no ${verb} button on the card`);
  return found;
}

/**
 * What every card shares: rendering a template with its typed data, the Universal Actions button
 * with its `Action.Submit` fallback, and the limits Teams puts on a card (DESIGN.md §7).
 */
import { type Attachment, CardFactory } from 'botbuilder';
import * as ACData from 'adaptivecards-templating';
import { type Verb } from './verbs';

/** An Adaptive Card (or template) as JSON. */
export type CardJson = { readonly type: 'AdaptiveCard' } & Readonly<Record<string, unknown>>;

/** The Adaptive Card schema version every card targets: Teams' highest, needed by `Action.Execute`. */
export const CARD_VERSION = '1.5';

/** Teams refuses bot messages over 40 KB; cards stay under this many bytes of JSON. */
export const MAX_CARD_BYTES = 40 * 1024;

/** A template binding such as `${verb}`, filled in when the card is rendered. */
export type Binding = `\${${string}}`;

/**
 * A button that posts `verb` (a verb, or a binding to one): `Action.Execute` (Universal Actions,
 * 1.5) with an `Action.Submit` fallback carrying the same data, so both reach the same route.
 */
export function actionButton(
  title: string,
  verb: Verb | Binding,
  extra: Readonly<Record<string, unknown>> = {},
  style?: 'positive' | 'destructive',
): object {
  const data = { ...extra, verb };
  const styled = style ? { style } : {};
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...styled,
    fallback: { type: 'Action.Submit', title, data, ...styled },
  };
}

/** The "Main menu" button every card ends with (DESIGN.md: every card has a way back). */
export function menuButton(title: string): object {
  return actionButton(title, 'menu');
}

/** A field error under an input: shown only when the binding holds a message. */
export function fieldError(binding: Binding): object {
  const name = binding.slice(2, -1);
  return {
    type: 'TextBlock',
    $when: `\${${name} != null}`,
    text: binding,
    color: 'Attention',
    size: 'Small',
    wrap: true,
    spacing: 'None',
  };
}

/**
 * Templates parsed once each: `new Template` parses every `${…}` of the payload with the
 * adaptive-expressions parser (about 8 ms for the record card), and a parsed template can be
 * expanded with any data. Keyed by the template object, so templates built per call just miss.
 */
const parsed = new WeakMap<CardJson, ACData.Template>();

/** Expands a card template (`${...}` bindings, `$data`, `$when`) with its data. */
export function renderTemplate(template: CardJson, data: object): CardJson {
  let prepared = parsed.get(template);
  if (prepared === undefined) {
    prepared = new ACData.Template(template);
    parsed.set(template, prepared);
  }
  const expanded = prepared.expand({ $root: data }) as unknown;
  if (!isCardJson(expanded)) throw new Error('Card template did not expand to an AdaptiveCard');
  const bytes = Buffer.byteLength(JSON.stringify(expanded), 'utf8');
  if (bytes > MAX_CARD_BYTES) {
    throw new Error(`Card is ${bytes} bytes; Teams allows ${MAX_CARD_BYTES}. Page or trim the content.`);
  }
  return expanded;
}

/** Wraps a rendered card as a message attachment. */
export function cardAttachment(card: CardJson): Attachment {
  return CardFactory.adaptiveCard(card);
}

function isCardJson(value: unknown): value is CardJson {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';
}

/**
 * The objectives in force, to review (CC §5.3), under the data's `objectives` ({heading, lines});
 * shown only when set. The record form and the colleague's prep card both carry it.
 */
export const objectivesBlock: Readonly<Record<string, unknown>> = {
  type: 'Container',
  $when: '${objectives != null}',
  style: 'emphasis',
  spacing: 'Medium',
  items: [
    { type: 'TextBlock', text: '${objectives.heading}', weight: 'Bolder', wrap: true },
    {
      type: 'TextBlock',
      $data: '${objectives.lines}',
      text: '- ${$data}',
      wrap: true,
      size: 'Small',
      spacing: 'None',
    },
  ],
};

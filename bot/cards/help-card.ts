/** The help card: what the bot can do, and — for text it did not understand — suggestions. */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, cardAttachment, renderTemplate } from './card';
import { Verb } from './verbs';

/** A command as the help card lists it. */
export interface HelpCommand {
  /** What to type ("team"). */
  readonly title: string;
  /** Its name on a button ("My team"). */
  readonly label: string;
  readonly description: string;
  readonly verb: Verb;
}

/** The help card's data model. */
export interface HelpCardData {
  readonly commands: readonly HelpCommand[];
  /** What the user typed, when the card answers text the bot did not understand. */
  readonly unknownText?: string;
  /** Closest commands to the unknown text, best first. */
  readonly suggestions?: readonly HelpCommand[];
  /** Shown in a channel or group chat: no Menu button, the shared chat's own introduction. */
  readonly shared?: boolean;
  /** A line above the title, for the greeting when the app is added to a shared chat. */
  readonly greeting?: string;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    {
      type: 'Container',
      $when: '${unknown != null}',
      style: 'warning',
      items: [
        { type: 'TextBlock', text: '${unknown}', wrap: true, weight: 'Bolder' },
        { type: 'TextBlock', text: '${didYouMean}', wrap: true, $when: '${count(suggestions) > 0}' },
        {
          type: 'ActionSet',
          $when: '${count(suggestions) > 0}',
          actions: [{ ...actionButton('${label}', '${verb}'), $data: '${suggestions}' }],
        },
      ],
    },
    { type: 'TextBlock', text: '${greeting}', wrap: true, $when: '${greeting != null}' },
    { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${intro}', wrap: true, isSubtle: true },
    // In a personal chat each command is a button under its readable name, with what to type.
    {
      type: 'ColumnSet',
      $data: '${commands}',
      $when: '${!$root.shared}',
      spacing: 'Small',
      columns: [
        {
          type: 'Column',
          width: 'auto',
          items: [{ type: 'ActionSet', actions: [actionButton('${label}', '${verb}')] }],
        },
        {
          type: 'Column',
          width: 'stretch',
          verticalContentAlignment: 'Center',
          items: [
            { type: 'TextBlock', text: '${description}', wrap: true },
            {
              type: 'TextBlock',
              text: '${typed}',
              wrap: true,
              isSubtle: true,
              size: 'Small',
              spacing: 'None',
            },
          ],
        },
      ],
    },
    // In a channel or group chat the commands work only in a personal chat: a list, no buttons.
    {
      type: 'FactSet',
      $when: '${shared}',
      facts: [{ $data: '${commands}', title: '${label}', value: '${description}' }],
    },
    { type: 'TextBlock', text: '${comingNext}', wrap: true, isSubtle: true, size: 'Small' },
  ],
  actions: [{ ...actionButton(text.menu.back, Verb.menu), $when: '${!shared}' }],
};

/** Renders the help card; with `unknownText`, it opens with "did you mean" suggestions. */
export function createHelpCard(data: HelpCardData): CardJson {
  return renderTemplate(template, {
    title: text.help.title,
    intro: data.shared === true ? text.help.sharedIntro : text.help.intro,
    shared: data.shared === true,
    greeting: data.greeting ?? null,
    comingNext: text.help.comingNext,
    didYouMean: text.help.didYouMean,
    unknown: data.unknownText === undefined ? null : text.help.unknown(truncate(data.unknownText, 80)),
    suggestions: data.suggestions ?? [],
    commands: data.commands.map((c) => ({ ...c, typed: text.help.typed(c.title) })),
  });
}

/** The help card as a message attachment. */
export const helpCardAttachment = (data: HelpCardData) => cardAttachment(createHelpCard(data));

function truncate(value: string, max: number): string {
  const clean = value.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

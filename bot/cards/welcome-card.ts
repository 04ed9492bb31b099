/** The welcome card: sent on install and by `menu`; it fits the reader's role (DESIGN.md §4 Install). */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, cardAttachment, renderTemplate } from './card';
import { Verb } from './verbs';

/** Who the reader is, as far as the greeting is concerned. */
export type WelcomeRole =
  | { readonly kind: 'manager'; readonly directReports: number }
  | { readonly kind: 'employee'; readonly managerName?: string | undefined }
  | { readonly kind: 'unknown' };

/** The welcome card's data model. */
export interface WelcomeCardData {
  readonly firstName?: string | undefined;
  readonly role: WelcomeRole;
  /** The policy's key areas, in order (DESIGN.md §3.1). */
  readonly areas: readonly string[];
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${greeting}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${intro}', wrap: true },
    { type: 'TextBlock', text: '${roleLine}', wrap: true, spacing: 'Medium' },
    { type: 'TextBlock', text: '${areasHeading}', weight: 'Bolder', wrap: true, spacing: 'Medium' },
    {
      type: 'TextBlock',
      $data: '${areas}',
      text: '${string($index + 1)}. ${$data}',
      wrap: true,
      spacing: 'None',
    },
    { type: 'TextBlock', text: '${nextStep}', wrap: true, isSubtle: true, spacing: 'Medium' },
  ],
  actions: [actionButton(text.menu.help, Verb.help)],
};

/** Renders the welcome card for one reader. */
export function createWelcomeCard(data: WelcomeCardData): CardJson {
  return renderTemplate(template, {
    greeting: data.firstName ? text.welcome.greeting(data.firstName) : text.welcome.greetingAnonymous,
    intro: text.welcome.intro,
    roleLine: roleLine(data.role),
    areasHeading: text.welcome.areasHeading,
    areas: data.areas,
    nextStep: text.welcome.nextStep,
  });
}

/** The welcome card as a message attachment. */
export const welcomeCardAttachment = (data: WelcomeCardData) => cardAttachment(createWelcomeCard(data));

function roleLine(role: WelcomeRole): string {
  switch (role.kind) {
    case 'manager':
      return text.welcome.roleManager(role.directReports);
    case 'employee':
      return text.welcome.roleEmployee(role.managerName);
    case 'unknown':
      return text.welcome.roleUnknown;
  }
}

/** The welcome card: sent on install and by `menu`; it fits the reader's role (DESIGN.md §4 Install). */
import { text } from '../i18n/en-GB';
import { type PolicyWords } from '../i18n/policy-words';
import { type CardJson, CARD_VERSION, actionButton, cardAttachment, renderTemplate } from './card';
import { Verb } from './verbs';

/** Who the reader is, as far as the greeting is concerned. */
export type WelcomeRole =
  | {
      readonly kind: 'manager';
      readonly directReports: number;
      readonly overdue: number;
      readonly dueSoon: number;
    }
  | {
      readonly kind: 'employee';
      readonly managerName?: string | undefined;
      /** The reader's own status and next due date, when evaluated. */
      readonly status?: string | undefined;
      readonly nextDue?: string | undefined;
    }
  | { readonly kind: 'unknown' };

/** The welcome card's data model. */
export interface WelcomeCardData {
  readonly firstName?: string | undefined;
  readonly role: WelcomeRole;
  /** The policy's key areas, in order (DESIGN.md §3.1); shown when `words` is not given. */
  readonly areas: readonly string[];
  /**
   * The policy's own words (bot/i18n/policy-words.ts): its rules in the intro, each kind of
   * conversation with its timing and areas, its monitoring team. Without them the card says
   * nothing about the rules.
   */
  readonly words?: PolicyWords;
  /** True for members of the monitoring team (OD_MEMBERS). */
  readonly od?: boolean;
  /** The reader's next booked conversation, to prepare for. */
  readonly upcoming?: { readonly conversationId: string; readonly when: string } | undefined;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${greeting}', size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${intro}', wrap: true },
    { type: 'TextBlock', text: '${roleLine}', wrap: true, spacing: 'Medium' },
    { type: 'TextBlock', text: '${odLine}', wrap: true, $when: '${odLine != null}' },
    { type: 'TextBlock', text: '${nowLine}', wrap: true, weight: 'Bolder', $when: '${nowLine != null}' },
    { type: 'TextBlock', text: '${upcomingLine}', wrap: true, $when: '${upcomingLine != null}' },
    { type: 'TextBlock', text: '${areasHeading}', weight: 'Bolder', wrap: true, spacing: 'Medium' },
    {
      type: 'Container',
      $data: '${sections}',
      spacing: 'Small',
      items: [
        { type: 'TextBlock', text: '${heading}', wrap: true, weight: 'Bolder', $when: '${heading != null}' },
        {
          type: 'TextBlock',
          $data: '${areas}',
          text: '${string($index + 1)}. ${$data}',
          wrap: true,
          spacing: 'None',
        },
      ],
    },
    { type: 'TextBlock', text: '${nextStep}', wrap: true, isSubtle: true, spacing: 'Medium' },
  ],
};

/** Renders the welcome card for one reader. */
export function createWelcomeCard(data: WelcomeCardData): CardJson {
  const { role, words } = data;
  const team = words?.monitoringTeam ?? text.policy.anyTeam.sentence;
  const card = renderTemplate(template, {
    greeting: data.firstName ? text.welcome.greeting(data.firstName) : text.welcome.greetingAnonymous,
    intro: words ? text.welcome.intro(words.summary) : text.welcome.introPlain,
    roleLine: roleLine(role, team),
    odLine: data.od ? text.welcome.roleOd(team) : null,
    nowLine:
      role.kind === 'manager'
        ? text.welcome.managerNow(role.overdue, role.dueSoon)
        : role.kind === 'employee' && role.status !== undefined
          ? text.welcome.employeeNow(role.status, role.nextDue)
          : null,
    upcomingLine: data.upcoming ? text.welcome.upcoming(data.upcoming.when) : null,
    ...areaSections(data),
    nextStep: text.welcome.nextStep,
  });
  const buttons: object[] = [];
  if (role.kind === 'manager') buttons.push(actionButton(text.menu.team, Verb.team));
  if (data.upcoming) {
    buttons.push(
      actionButton(text.menu.prepare, Verb.prep, { conversationId: data.upcoming.conversationId }),
    );
  } else if (role.kind === 'employee') {
    buttons.push(actionButton(text.menu.schedule, Verb.schedule));
  }
  if (role.kind !== 'unknown') buttons.push(actionButton(text.menu.mine, Verb.mine));
  buttons.push(actionButton(text.menu.help, Verb.help));
  return { ...card, actions: buttons };
}

/** The welcome card as a message attachment. */
export const welcomeCardAttachment = (data: WelcomeCardData) => cardAttachment(createWelcomeCard(data));

/** One list of areas for a policy with one kind of conversation; one per kind, with its timing, otherwise. */
function areaSections(data: WelcomeCardData): {
  areasHeading: string;
  sections: { heading: string | null; areas: readonly string[] }[];
} {
  const words = data.words;
  if (words === undefined) {
    return { areasHeading: text.welcome.areasPlain, sections: [{ heading: null, areas: data.areas }] };
  }
  if (words.areasHeading !== undefined) {
    return {
      areasHeading: words.areasHeading,
      sections: [{ heading: null, areas: words.types[0]?.areas ?? [] }],
    };
  }
  return {
    areasHeading: text.welcome.typesHeading,
    sections: words.types.map((t) => ({
      heading: text.welcome.typeHeading(t.label, t.when),
      areas: t.areas,
    })),
  };
}

function roleLine(role: WelcomeRole, team: string): string {
  switch (role.kind) {
    case 'manager':
      return text.welcome.roleManager(role.directReports);
    case 'employee':
      return text.welcome.roleEmployee(role.managerName);
    case 'unknown':
      return text.welcome.roleUnknown(team);
  }
}

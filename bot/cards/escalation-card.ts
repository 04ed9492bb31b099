/**
 * An escalation (procedure §4.2, §5.1): OD first supports the manager, and continual gaps go to the
 * Head of Service and then the Director. Says who has the gap, their manager, how overdue, the rule,
 * and who was already told and when. Names, dates and the rule only: never note text (DESIGN.md §6).
 */
import { text } from '../i18n/en-GB';
import { type PolicyWords } from '../i18n/policy-words';
import { type CardJson, CARD_VERSION, menuButton, renderTemplate } from './card';
import { shortDate } from './reminder-card';

/** Who an escalation is for. */
export type EscalationAudience = 'od' | 'head-of-service' | 'director';

/** The escalation card's data model. */
export interface EscalationCardData {
  readonly audience: EscalationAudience;
  readonly employee: { readonly id: string; readonly name: string };
  /** The employee's line manager; an empty name when the directory has none. */
  readonly manager: { readonly id: string; readonly name: string };
  /** ISO date. */
  readonly dueDate: string;
  readonly daysOverdue: number;
  /** The ladder stage this escalation is, as people should read it. */
  readonly stageLabel: string;
  /** The rule, quoted from the policy with its source (bot/reminders/rule-text.ts). */
  readonly rule: string;
  /** Who was told before, in their role, on which ISO date. */
  readonly alreadyTold: readonly { readonly who: string; readonly role: string; readonly on: string }[];
  /**
   * The policy's words: the monitoring team by its name ("People Services") and, where the ladder
   * goes to the next manager up rather than a Head of Service or Director, that. Without them the
   * titles are the council's (PC §4.2).
   */
  readonly words?: PolicyWords;
}

const t = text.reminders.escalation;

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    {
      type: 'Container',
      style: 'attention',
      items: [
        { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${intro}', wrap: true, spacing: 'None' },
      ],
    },
    { type: 'FactSet', facts: [{ $data: '${facts}', title: '${title}', value: '${value}' }] },
    { type: 'TextBlock', text: '${rule}', wrap: true, size: 'Small', isSubtle: true },
    { type: 'TextBlock', text: '${told}', wrap: true },
    { type: 'TextBlock', text: '${ask}', wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: '${confidential}', wrap: true, size: 'Small', isSubtle: true },
  ],
  actions: [menuButton(text.menu.back)],
};

/** Renders an escalation for OD, a Head of Service or a Director. */
export function createEscalationCard(data: EscalationCardData): CardJson {
  const told = data.alreadyTold.map((e) => t.toldEntry(e.who, e.role, shortDate(e.on))).join('; ');
  return renderTemplate(template, {
    title: titleOf(data),
    intro: t.intro(data.employee.name, data.manager.name, data.daysOverdue),
    facts: [
      { title: t.employee, value: data.employee.name },
      ...(data.manager.name === '' ? [] : [{ title: t.manager, value: data.manager.name }]),
      { title: t.dueDate, value: shortDate(data.dueDate) },
      { title: t.overdue, value: t.days(data.daysOverdue) },
      { title: t.stage, value: data.stageLabel },
    ],
    rule: text.reminders.ruleLine(data.rule),
    told: told === '' ? t.toldNone : t.told(told),
    ask: t.ask[
      data.words?.chain === 'next-manager' && data.audience === 'director' ? 'head-of-service' : data.audience
    ],
    confidential: t.confidential,
  });
}

function titleOf(data: EscalationCardData): string {
  const words = data.words;
  if (words === undefined) return t.title[data.audience];
  if (data.audience === 'od') return t.titleFor(words.monitoringTeamName);
  return words.chain === 'next-manager' ? t.titleNextManager : t.title[data.audience];
}

/** An appeal the appeal manager did not acknowledge in time, for the monitoring team (CC §5.10). */
export interface AppealLateCardData {
  readonly employeeName: string;
  readonly appealManagerName: string;
  /** ISO dates. */
  readonly receivedOn: string;
  readonly acknowledgeBy: string;
  readonly acknowledgeDays: number;
  readonly rule: string;
  readonly words: PolicyWords;
}

const appealLateTemplate: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    {
      type: 'Container',
      style: 'attention',
      items: [
        { type: 'TextBlock', text: '${title}', size: 'Large', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: '${intro}', wrap: true, spacing: 'None' },
      ],
    },
    { type: 'TextBlock', text: '${rule}', wrap: true, size: 'Small', isSubtle: true },
    { type: 'TextBlock', text: '${ask}', wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: '${confidential}', wrap: true, size: 'Small', isSubtle: true },
  ],
  actions: [menuButton(text.menu.back)],
};

/** Renders the late-acknowledgement escalation: names and dates only, never the appeal's grounds or action. */
export function createAppealLateCard(data: AppealLateCardData): CardJson {
  const a = text.appealNudge;
  return renderTemplate(appealLateTemplate, {
    title: a.lateTitle(data.words.monitoringTeamName),
    intro: a.late(
      data.appealManagerName,
      data.employeeName,
      shortDate(data.receivedOn),
      shortDate(data.acknowledgeBy),
      data.acknowledgeDays,
    ),
    rule: text.reminders.ruleLine(data.rule),
    ask: a.lateAsk,
    confidential: a.confidential,
  });
}

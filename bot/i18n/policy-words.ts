/**
 * The words a policy's own data gives the bot's texts (STYLE.md "wording from the policy"): what
 * its conversations are called, when each is due, which areas each covers, who monitors
 * completion, and which quarterly figure it reports. Cards and handlers pass the parts they need
 * to the catalogue (en-GB.ts), so the NHS preset never reads the council's rules and the council
 * preset reads as it always has.
 */
import { type CheckOutcome, type PayStepReadiness } from '../../core/compliance/types';
import {
  type ComplianceStatus,
  type ConversationType,
  type PayStepCheckKind,
  type Period,
  type Policy,
} from '../../core/policy/schema';
import { type PayStepState } from '../records/pay-steps';
import { text } from './en-GB';

/** One kind of conversation, as sentences name it. */
export interface ConversationTypeWords {
  readonly id: string;
  /** The policy's label, as a heading: "Career conversation". */
  readonly label: string;
  /** The label as a common noun in a sentence: "career conversation", "supervision/1:1". */
  readonly noun: string;
  /** When it is due, after its name ("every year at your incremental date"); undefined when the policy sets no timing. */
  readonly when: string | undefined;
  /** Its key areas, in order. */
  readonly areas: readonly string[];
}

/** Which quarterly figure a number is (`policy.compliance.quarterlyFigure`). */
export interface QuarterlyFigureWords {
  readonly id: Policy['compliance']['quarterlyFigure'];
  /** "Held a conversation in the quarter", "Compliant at quarter end (career conversation in the last 12 months)". */
  readonly label: string;
  /** A column heading: "Held in quarter", "Compliant at quarter end". */
  readonly short: string;
}

/** Pay steps (CC §5.8, §8) as the tab names them; the checks' words are the bot card's own. */
export interface PayStepWords {
  /** The organisation figure: "Pay-step deferrals in the quarter". */
  readonly deferralsLabel: string;
  /** Its column heading: "Pay-step deferrals". */
  readonly deferralsShort: string;
  /** Where a person's pay step stands on My team: "decision due", "Progressed", "Deferred, plan open". */
  readonly state: Readonly<Record<PayStepState, string>>;
  /** A check's outcome: "Met", "Not met", "Not recorded", "Not applicable". */
  readonly outcome: Readonly<Record<CheckOutcome, string>>;
  /** Where a check's facts come from: "From: the HR import". */
  readonly sourceOf: Readonly<Record<PayStepCheckKind, string>>;
  /** The readiness in a sentence, as on the bot's Pay step card. */
  readonly readiness: Readonly<Record<PayStepReadiness['readiness'], string>>;
}

/** What the texts say about one policy. */
export interface PolicyWords {
  readonly name: string;
  /** The rules in a phrase, for the welcome: "regular, documented professional conversations — at least four a year, …". */
  readonly summary: string;
  /** The team that monitors completion, in a sentence ("the OD team", "People Services"). */
  readonly monitoringTeam: string;
  /** The same team as a title ("OD", "People Services"). */
  readonly monitoringTeamName: string;
  /** Every kind of conversation, in the policy's order. */
  readonly types: readonly ConversationTypeWords[];
  /** The heading over the areas when the policy has one kind of conversation; undefined with several. */
  readonly areasHeading: string | undefined;
  readonly quarterlyFigure: QuarterlyFigureWords;
  /** The rolling window of the counted conversation, in months. */
  readonly windowMonths: number;
  /**
   * Who escalations go to above the manager: `levels` (Head of Service, Director: the council's
   * org-level recipients, PC §4.2) or `next-manager` (the next manager up, CC §5.10 route).
   */
  readonly chain: 'levels' | 'next-manager';
  /** A status as the policy names it (the NHS calls induction "In first 12 months"). */
  status(status: ComplianceStatus | 'unknown'): string;
  /** Pay steps, when the policy has them (the NHS's CC §5.8); undefined otherwise. */
  readonly payStep: PayStepWords | undefined;
}

const cache = new WeakMap<Policy, PolicyWords>();

/** The words of a policy (computed once per policy object). */
export function policyWords(policy: Policy): PolicyWords {
  const known = cache.get(policy);
  if (known !== undefined) return known;
  const words = build(policy);
  cache.set(policy, words);
  return words;
}

function build(policy: Policy): PolicyWords {
  const p = text.policy;
  const c = policy.compliance;
  const countedId = c.countedTypes[0];
  const counted = policy.conversationTypes.find((t) => t.id === countedId) ?? policy.conversationTypes[0];
  const whenOf = (type: ConversationType): string | undefined => {
    if (type.id === counted?.id) {
      const cadence = periodText(c.cadence);
      return c.dueDates === 'anniversary' ? p.anniversary(cadence) : p.every(cadence);
    }
    if (type.id === policy.supervision?.typeId) {
      const weeks = policy.supervision.defaultFrequencyWeeks;
      return weeks === null ? p.supervisionAgreed : p.supervisionDefault(weeks);
    }
    if (type.id === policy.inductionMeeting?.typeId)
      return p.induction(policy.inductionMeeting.dueWithinDays);
    return undefined;
  };
  const types = policy.conversationTypes.map((t): ConversationTypeWords => ({
    id: t.id,
    label: t.label,
    noun: nounOf(t.label),
    when: whenOf(t),
    areas: t.areas.map((a) => a.title),
  }));
  const single = types.length === 1 ? types[0] : undefined;
  const countedWords = types.find((t) => t.id === counted?.id);
  let summary: string;
  if (single !== undefined) {
    summary = p.single(
      plural(single.noun),
      p.often(c.required, c.windowMonths, periodText(c.cadence)),
      single.areas.length,
    );
  } else {
    // The counted conversation first, then supervision and the induction meeting (CC §1.0).
    const parts: string[] = [];
    if (countedWords?.when !== undefined) parts.push(p.one(countedWords.noun, countedWords.when));
    const supervision = types.find((t) => t.id === policy.supervision?.typeId);
    if (supervision?.when !== undefined) parts.push(p.many(plural(supervision.noun), supervision.when));
    const induction = types.find((t) => t.id === policy.inductionMeeting?.typeId);
    if (induction?.when !== undefined) parts.push(p.one(induction.noun, induction.when));
    summary = p.several(parts);
  }
  const team = peopleServices(policy) ? p.peopleServices : p.odTeam;
  const figure: QuarterlyFigureWords =
    c.quarterlyFigure === 'compliant-at-quarter-end'
      ? { id: c.quarterlyFigure, ...p.figure.compliantAtQuarterEnd(countedWords?.noun ?? '', c.windowMonths) }
      : { id: c.quarterlyFigure, ...p.figure.heldInQuarter };
  const levels = policy.nudges.stages.some((s) => s.recipients.some((r) => r.kind === 'org-level'));
  return {
    name: policy.name,
    summary,
    monitoringTeam: team.sentence,
    monitoringTeamName: team.name,
    types,
    areasHeading: single === undefined ? undefined : text.welcome.areasHeading(single.areas.length),
    quarterlyFigure: figure,
    windowMonths: c.windowMonths,
    chain: levels ? 'levels' : 'next-manager',
    status: (status) => (status === 'induction' ? policy.statusLabels.induction : text.status[status]),
    payStep: policy.payStep === undefined ? undefined : PAY_STEP_WORDS,
  };
}

/**
 * The policy's terms for its pay steps (CC §5.8 "pay step date", §8 "number of deferrals of pay
 * progression"). Kept here until the catalogue (en-GB.ts) has a tab section; the checks' outcomes,
 * sources and readiness are the catalogue's, so the tab and the bot's card say the same.
 */
const PAY_STEP_WORDS: PayStepWords = {
  deferralsLabel: 'Pay-step deferrals in the quarter',
  deferralsShort: 'Pay-step deferrals',
  state: {
    'decision-due': 'decision due',
    progressed: 'Progressed',
    'deferred-plan-open': 'Deferred, plan open',
    deferred: 'Deferred, plan completed',
  },
  outcome: text.payStep.outcome,
  sourceOf: text.payStep.sourceOf,
  readiness: text.payStep.readiness,
};

/**
 * The policy's own sign that People Services, not an OD team, follows up: a People Services member
 * attends appeals (CC §5.10), or a ladder stage is named after them (CC §4.4). The schema has no
 * field naming the monitoring team, so this reads what it has.
 */
function peopleServices(policy: Policy): boolean {
  return (
    policy.appeal?.peopleServicesAttend === true ||
    policy.nudges.stages.some((s) => s.id.startsWith('people-services'))
  );
}

/** A label as a noun inside a sentence: capitalised words lower-cased, acronyms kept, "x / y" closed up. */
export function nounOf(label: string): string {
  return label
    .split(' ')
    .map((w) => (/^[A-Z][a-z]+$/.test(w) ? w.toLowerCase() : w))
    .join(' ')
    .replace(/\s*\/\s*/g, '/');
}

function plural(noun: string): string {
  return noun.endsWith('s') ? noun : `${noun}s`;
}

/** A period as people say it: 84 days is "12 weeks", one month is "month". */
export function periodText(period: Period): string {
  if (period.unit === 'days' && period.value % 7 === 0 && period.value > 0) {
    return text.reminders.rule.period(period.value / 7, 'weeks');
  }
  return text.reminders.rule.period(period.value, period.unit);
}

/**
 * The monitoring team as a role beside "Manager" or "Head of service": the sentence form without
 * its article, capitalised ("the OD team" is "OD team", "People Services" stays as it is).
 */
export function monitoringTeamRole(words: Pick<PolicyWords, 'monitoringTeam'>): string {
  const bare = words.monitoringTeam.replace(/^the\s+/i, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

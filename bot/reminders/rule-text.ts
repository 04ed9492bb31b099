/**
 * The rule a reminder or escalation quotes, built from the policy's own numbers and `source`
 * (STYLE.md "wording from the policy"): another policy never shows the council's words.
 */
import { type NudgeItem, type Policy } from '../../core/policy/schema';
import { text } from '../i18n/en-GB';
import { periodText } from '../i18n/policy-words';

/** The rule behind a due item, quoted with the policy sections it comes from. */
export function ruleFor(policy: Policy, item: NudgeItem): string {
  const t = text.reminders.rule;
  const labelOf = (typeId: string) => policy.conversationTypes.find((c) => c.id === typeId)?.label ?? typeId;
  if (item === 'supervision') {
    const s = policy.supervision;
    if (s === undefined) return t.missing(policy.name);
    const label = labelOf(s.typeId);
    const rule =
      s.defaultFrequencyWeeks === null
        ? t.supervisionAgreed(label)
        : t.supervisionDefault(label, s.defaultFrequencyWeeks);
    return t.withSource(rule, readerSource(s.source));
  }
  if (item === 'induction-meeting') {
    const m = policy.inductionMeeting;
    if (m === undefined) return t.missing(policy.name);
    return t.withSource(t.induction(labelOf(m.typeId), m.dueWithinDays), readerSource(m.source));
  }
  const c = policy.compliance;
  const label = labelOf(c.countedTypes[0] ?? '');
  const cadence = periodText(c.cadence);
  // An anniversary cycle is due on the incremental date each year, not a cadence after the last one (CC §2.5, §5.8).
  const rule =
    c.required === 1
      ? c.dueDates === 'anniversary'
        ? t.anniversary(label, c.windowMonths)
        : t.one(label, c.windowMonths, cadence)
      : t.many(c.required, plural(label), c.windowMonths, cadence);
  return t.withSource(rule, readerSource(c.source));
}

function plural(label: string): string {
  return label.endsWith('s') ? label : `${label}s`;
}

/**
 * A policy `source` as a reader can follow it: the procedure's sections, without the design notes
 * (`DESIGN.md §3.1`) and file paths the presets also cite for maintainers.
 */
export function readerSource(source: string): string {
  return source
    .split(';')
    .map((part) => part.replace(/\s*\([^)]*\.(?:txt|md|pdf)\)/g, '').trim())
    .filter((part) => part !== '' && !/^DESIGN\.md\b/.test(part))
    .join('; ');
}

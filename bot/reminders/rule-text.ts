/**
 * The rule a reminder or escalation quotes, built from the policy's own numbers and `source`
 * (STYLE.md "wording from the policy"): another policy never shows the council's words.
 */
import { type NudgeItem, type Period, type Policy } from '../../core/policy/schema';
import { text } from '../i18n/en-GB';

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
  const rule =
    c.required === 1
      ? t.one(label, c.windowMonths, cadence)
      : t.many(c.required, plural(label), c.windowMonths, cadence);
  return t.withSource(rule, readerSource(c.source));
}

/** A period as people say it: 84 days is "12 weeks", one month is "month". */
function periodText(period: Period): string {
  if (period.unit === 'days' && period.value % 7 === 0 && period.value > 0) {
    return text.reminders.rule.period(period.value / 7, 'weeks');
  }
  return text.reminders.rule.period(period.value, period.unit);
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

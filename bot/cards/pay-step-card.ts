/**
 * The line manager's pay-step card (Career Conversations policy §5.8): the pay-step date and where
 * it came from, checks I–V each with its result, reason and source, then the decision — progress,
 * or defer with a support plan of actions and timescales — and, once deferred, completing the plan,
 * from which day the increase applies (never backdated).
 */
import { type PayStepReadiness } from '../../core/compliance/types';
import { type PayStepDecision } from '../../core/model';
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, fieldError, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** Rows of the support plan form. */
export const PLAN_ROWS = 3;

/** The input ids of plan row `n` (1-based). */
export const planInputs = (n: number) => ({ text: `plan${n}Text`, by: `plan${n}By` });

/** What the pay-step card shows. */
export interface PayStepCardData {
  readonly employeeId: string;
  readonly name: string;
  readonly readiness: PayStepReadiness;
  /** The decision already recorded for this pay-step date. */
  readonly decided?: PayStepDecision | undefined;
  /** A deferral whose support plan is not completed yet (this date or an earlier one). */
  readonly openPlan?: PayStepDecision | undefined;
  /** The earliest date a plan action may be due (today). */
  readonly today: string;
  readonly message?: string | undefined;
  /** Plan form: what was typed, and problems by input id. */
  readonly values?: Readonly<Record<string, string>> | undefined;
  readonly errors?: Readonly<Record<string, string>> | undefined;
  /** Formats a date for people (`3 Dec 2026`). */
  readonly readable: (date: string) => string;
}

const template: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    { type: 'TextBlock', text: '${dateLine}', wrap: true },
    {
      type: 'Container',
      style: '${style}',
      items: [{ type: 'TextBlock', text: '${readinessText}', wrap: true }],
    },
    { type: 'TextBlock', text: '${checksHeading}', weight: 'Bolder', wrap: true, spacing: 'Medium' },
    {
      type: 'Container',
      $data: '${checks}',
      spacing: 'Small',
      items: [
        { type: 'TextBlock', text: '${id}. ${label}: ${outcome}', wrap: true },
        { type: 'TextBlock', text: '${reason}', wrap: true, isSubtle: true, spacing: 'None', size: 'Small' },
        { type: 'TextBlock', text: '${source}', wrap: true, isSubtle: true, spacing: 'None', size: 'Small' },
      ],
    },
    {
      type: 'TextBlock',
      text: '${decidedText}',
      wrap: true,
      weight: 'Bolder',
      $when: '${decidedText != null}',
    },
    {
      type: 'Container',
      $when: '${openPlanText != null}',
      items: [
        { type: 'TextBlock', text: '${openPlanText}', wrap: true, weight: 'Bolder' },
        { type: 'TextBlock', $data: '${openPlanLines}', text: '- ${$data}', wrap: true, spacing: 'None' },
      ],
    },
  ],
};

const planTemplate: CardJson = {
  type: 'AdaptiveCard',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${planHeading}', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: '${planHint}', wrap: true, isSubtle: true },
    {
      type: 'Container',
      $data: '${rows}',
      items: [
        {
          type: 'Input.Text',
          id: '${textId}',
          label: '${label}',
          value: '${textValue}',
          maxLength: 500,
          isMultiline: true,
        },
        fieldError('${textError}'),
        { type: 'Input.Date', id: '${byId}', label: '${byLabel}', value: '${byValue}', min: '${min}' },
        fieldError('${byError}'),
      ],
    },
  ],
};

/** Renders the card. Buttons are built here, so each keeps its own data. */
export function createPayStepCard(data: PayStepCardData): CardJson {
  const t = text.payStep;
  const r = data.readiness;
  const body = renderTemplate(template, {
    title: t.title(data.name),
    message: data.message ?? null,
    dateLine: t.date(data.readable(r.date), r.dateSource === 'start-date'),
    style: r.readiness === 'ready' ? 'good' : r.readiness === 'not-ready' ? 'attention' : 'warning',
    readinessText: t.readiness[r.readiness],
    checksHeading: t.checksHeading,
    checks: r.checks.map((c) => ({
      id: c.id,
      label: c.label,
      outcome: t.outcome[c.outcome],
      reason: c.reason,
      source: `${t.sourceOf[c.kind]} (${c.source})`,
    })),
    decidedText: data.decided
      ? t.already(t.decisionWord[data.decided.decision], data.readable(data.decided.decidedOn))
      : null,
    openPlanText: data.openPlan ? t.openPlan(data.readable(data.openPlan.decidedOn)) : null,
    openPlanLines: (data.openPlan?.supportPlan ?? []).map((a) => `${a.text} (${data.readable(a.dueDate)})`),
  });
  const ids = { employeeId: data.employeeId, forDate: r.date };
  const actions: object[] = [];
  if (data.openPlan) {
    actions.push(
      actionButton(
        t.complete,
        Verb.payStepComplete,
        {
          employeeId: data.employeeId,
          forDate: data.openPlan.forDate,
        },
        'positive',
      ),
    );
  } else if (data.decided === undefined) {
    if (r.readiness !== 'not-ready') {
      actions.push(
        actionButton(t.progress, Verb.payStepDecide, { ...ids, decision: 'progressed' }, 'positive'),
      );
    }
    const values = data.values ?? {};
    const errors = data.errors ?? {};
    const plan = renderTemplate(planTemplate, {
      planHeading: t.planHeading,
      planHint: t.planHint,
      rows: Array.from({ length: PLAN_ROWS }, (_, k) => {
        const inputs = planInputs(k + 1);
        return {
          textId: inputs.text,
          byId: inputs.by,
          label: t.planAction(k + 1),
          byLabel: t.planBy,
          textValue: values[inputs.text] ?? '',
          byValue: values[inputs.by] ?? '',
          textError: errors[inputs.text] ?? null,
          byError: errors[inputs.by] ?? null,
          min: data.today,
        };
      }),
    });
    actions.push({
      type: 'Action.ShowCard',
      title: t.defer,
      card: {
        ...plan,
        actions: [actionButton(t.saveDeferral, Verb.payStepDecide, { ...ids, decision: 'deferred' })],
      },
    });
  }
  actions.push(actionButton(text.menu.team, Verb.team), menuButton(text.menu.back));
  return { ...body, actions };
}

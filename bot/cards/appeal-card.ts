/**
 * Appeal cards (Career Conversations policy §5.10): the colleague's form, and the appeal manager's
 * card — the grounds, Acknowledge (due within 7 calendar days), and the hearing and outcome form.
 * User text is bound as data, never spliced into the template.
 */
import { text } from '../i18n/en-GB';
import { type CardJson, CARD_VERSION, actionButton, fieldError, menuButton, renderTemplate } from './card';
import { Verb } from './verbs';

/** The appeal inputs and their limits. */
export const APPEAL_INPUTS = {
  grounds: 'grounds',
  resolution: 'resolution',
  hearingOn: 'hearingOn',
  peopleServices: 'peopleServices',
  result: 'result',
  action: 'action',
} as const;

/** Longest grounds, resolution or action text. */
export const APPEAL_MAX_CHARS = 4_000;

const formTemplate: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    { type: 'TextBlock', text: '${intro}', wrap: true },
    {
      type: 'Input.Text',
      id: APPEAL_INPUTS.grounds,
      label: '${groundsLabel}',
      isMultiline: true,
      maxLength: APPEAL_MAX_CHARS,
      value: '${values.grounds}',
    },
    fieldError('${errors.grounds}'),
    {
      type: 'Input.Text',
      id: APPEAL_INPUTS.resolution,
      label: '${resolutionLabel}',
      isMultiline: true,
      maxLength: APPEAL_MAX_CHARS,
      value: '${values.resolution}',
    },
    fieldError('${errors.resolution}'),
  ],
};

/** What the colleague's appeal form shows. */
export interface AppealFormData {
  readonly employeeId: string;
  readonly conversationId: string;
  readonly conversationDate: string;
  readonly appealManagerName: string;
  readonly appealBy: string;
  readonly windowDays: number;
  readonly message?: string | undefined;
  readonly values?: Readonly<Record<string, string>> | undefined;
  readonly errors?: Readonly<Record<string, string>> | undefined;
}

/** The colleague's appeal form. */
export function createAppealFormCard(data: AppealFormData): CardJson {
  const t = text.appeal;
  const card = renderTemplate(formTemplate, {
    title: t.title(data.conversationDate),
    message: data.message ?? null,
    intro: t.intro(data.appealManagerName, data.appealBy, data.windowDays),
    groundsLabel: t.grounds,
    resolutionLabel: t.resolution,
    values: { grounds: data.values?.grounds ?? '', resolution: data.values?.resolution ?? '' },
    errors: data.errors ?? {},
  });
  return {
    ...card,
    actions: [
      actionButton(t.submit, Verb.appealSubmit, {
        employeeId: data.employeeId,
        conversationId: data.conversationId,
      }),
      menuButton(text.menu.back),
    ],
  };
}

const managerTemplate: CardJson = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${message}', wrap: true, color: 'Attention', $when: '${message != null}' },
    { type: 'TextBlock', text: '${grounds}', wrap: true },
    { type: 'TextBlock', text: '${resolution}', wrap: true, $when: '${resolution != null}' },
    { type: 'TextBlock', text: '${state}', wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: '${decided}', wrap: true, $when: '${decided != null}' },
  ],
};

const outcomeTemplate: CardJson = {
  type: 'AdaptiveCard',
  version: CARD_VERSION,
  body: [
    { type: 'TextBlock', text: '${heading}', weight: 'Bolder', wrap: true },
    {
      type: 'Input.Date',
      id: APPEAL_INPUTS.hearingOn,
      label: '${hearingLabel}',
      value: '${values.hearingOn}',
    },
    fieldError('${errors.hearingOn}'),
    {
      type: 'Input.Text',
      id: APPEAL_INPUTS.peopleServices,
      label: '${peopleServicesLabel}',
      maxLength: 200,
      value: '${values.peopleServices}',
    },
    fieldError('${errors.peopleServices}'),
    {
      type: 'Input.ChoiceSet',
      id: APPEAL_INPUTS.result,
      label: '${resultLabel}',
      style: 'expanded',
      value: '${values.result}',
      choices: [{ $data: '${outcomes}', title: '${$data}', value: '${$data}' }],
    },
    fieldError('${errors.result}'),
    {
      type: 'Input.Text',
      id: APPEAL_INPUTS.action,
      label: '${actionLabel}',
      isMultiline: true,
      maxLength: APPEAL_MAX_CHARS,
      value: '${values.action}',
    },
    fieldError('${errors.action}'),
  ],
};

/** What the appeal manager's card shows. */
export interface AppealManagerData {
  readonly employeeId: string;
  readonly conversationId: string;
  readonly employeeName: string;
  readonly holderName: string;
  readonly conversationDate: string;
  readonly grounds: string;
  readonly resolution?: string | undefined;
  readonly acknowledgeBy: string;
  readonly acknowledgeDays: number;
  readonly acknowledgedOn?: string | undefined;
  readonly decided?: { readonly result: string; readonly on: string } | undefined;
  readonly outcomes: readonly string[];
  readonly message?: string | undefined;
  readonly values?: Readonly<Record<string, string>> | undefined;
  readonly errors?: Readonly<Record<string, string>> | undefined;
}

/** The appeal manager's card: the appeal, Acknowledge, and the outcome form until it is decided. */
export function createAppealManagerCard(data: AppealManagerData): CardJson {
  const t = text.appeal;
  const card = renderTemplate(managerTemplate, {
    title: t.received(data.employeeName, data.conversationDate, data.holderName),
    message: data.message ?? null,
    grounds: `${t.grounds}: ${data.grounds}`,
    resolution: data.resolution ? `${t.resolution}: ${data.resolution}` : null,
    state: data.acknowledgedOn
      ? t.acknowledged(data.acknowledgedOn)
      : t.acknowledgeBy(data.acknowledgeBy, data.acknowledgeDays),
    decided: data.decided ? t.decided(data.decided.result, data.decided.on) : null,
  });
  const ids = { employeeId: data.employeeId, conversationId: data.conversationId };
  const actions: object[] = [];
  if (data.decided === undefined) {
    if (data.acknowledgedOn === undefined)
      actions.push(actionButton(t.acknowledge, Verb.appealAcknowledge, ids, 'positive'));
    const values = data.values ?? {};
    const outcome = renderTemplate(outcomeTemplate, {
      heading: t.outcomeHeading,
      hearingLabel: t.hearingOn,
      peopleServicesLabel: t.peopleServices,
      resultLabel: t.result,
      actionLabel: t.action,
      outcomes: data.outcomes,
      values: {
        hearingOn: values.hearingOn ?? '',
        peopleServices: values.peopleServices ?? '',
        result: values.result ?? '',
        action: values.action ?? '',
      },
      errors: data.errors ?? {},
    });
    actions.push({
      type: 'Action.ShowCard',
      title: t.outcomeHeading,
      card: { ...outcome, actions: [actionButton(t.recordOutcome, Verb.appealOutcome, ids)] },
    });
  }
  actions.push(menuButton(text.menu.back));
  return { ...card, actions };
}

/**
 * Card verbs: the contract between a card's buttons and the bot's routes (STYLE.md rule 3).
 * Cards and routes both import these constants, so a renamed verb cannot silently break a button.
 */
export const Verb = {
  help: 'help',
  menu: 'menu',
  /** A manager's direct reports with status (data: page). */
  team: 'team',
  /** Start scheduling (data: employeeId for a manager; none for an employee). */
  schedule: 'schedule',
  /** Propose slots for the chosen length (data: employeeId, minutes input). */
  scheduleFind: 'schedule.find',
  /** Book the chosen slot (data: employeeId, conversationId, slot input). */
  scheduleBook: 'schedule.book',
  /** The employee's preparation card (data: conversationId). */
  prep: 'prep',
  prepSave: 'prep.save',
  /** The manager's record form (data: employeeId, typeId, conversationId). */
  log: 'log',
  /** The same form with one more action row, keeping what was typed. */
  logMore: 'log.more',
  logSave: 'log.save',
  /** A record's copy card; also its Universal Actions refresh (data: employeeId, conversationId). */
  record: 'record',
  /** The employee acknowledges a record, optionally with comments. */
  acknowledge: 'record.ack',
  /** The employee's own conversations. */
  mine: 'mine',
  /** A manager's view of one report's conversations (data: employeeId). */
  history: 'history',
  /**
   * Hold a reminder until a date (data: employeeId, item, dueDate, stage; the date input named by
   * `snoozeInputId`). Reminders only: escalation still follows the policy.
   */
  snooze: 'reminder.snooze',
  /** A line manager's pay-step readiness card for a report (data: employeeId; NHS policy). */
  payStep: 'paystep',
  /** Record the decision (data: employeeId, forDate, decision; the plan's inputs when deferring). */
  payStepDecide: 'paystep.decide',
  /** The deferral's support plan is completed: the increase applies from today (data: employeeId, forDate). */
  payStepComplete: 'paystep.complete',
  /**
   * An appeal against a career conversation (data: employeeId, conversationId): the colleague's
   * form or its state; for the appeal manager, the appeal with Acknowledge and the outcome form.
   */
  appeal: 'appeal',
  appealSubmit: 'appeal.submit',
  appealAcknowledge: 'appeal.ack',
  /** The hearing and its outcome (inputs hearingOn, peopleServices, result, action). */
  appealOutcome: 'appeal.outcome',
  /** The colleague asks their line manager for a supervision/1:1 (CC §4.1; no data). */
  supervisionAsk: 'supervision.ask',
  /**
   * People Services reads a record's notes in exceptional circumstances (data: employeeId,
   * conversationId; input `reason` from the fixed list): refused without a reason, audited, shown
   * to the colleague (CC §6.1).
   */
  exceptionalAccess: 'record.exceptional',
  /**
   * The way in to exceptional access (CC §6.1): find a colleague by name or e-mail (input
   * `query`), then list their completed conversations (data: employeeId). People Services only.
   */
  exceptionalFind: 'record.exceptional.find',
} as const;

/** One of the verbs the bot understands. */
export type Verb = (typeof Verb)[keyof typeof Verb];

/** True when `value` names a verb the bot understands. */
export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (Object.values(Verb) as string[]).includes(value);
}

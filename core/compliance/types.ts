/** What an evaluation says about one employee at a date (DESIGN.md §3.1, §3.2). */
import type { EmployeeId, IsoDate, PayStepDecision } from '../model';
import type { ComplianceStatus, PayStepCheckKind } from '../policy/schema';

/** An action agreed in a held conversation and not yet done (DESIGN.md §3.1 "carried forward"). */
export interface OpenAction {
  readonly id: string;
  readonly text: string;
  readonly owner: string;
  readonly dueDate: IsoDate;
  /** Due before the evaluation date. */
  readonly overdue: boolean;
  /** The latest held conversation that recorded the action. */
  readonly conversationId: string;
}

/** NHS supervision/1:1 due at the agreed frequency (Career Conversations policy §3.2). */
export interface SupervisionDue {
  /** Agreed frequency in weeks, or undefined when none is agreed (nothing is then due). */
  readonly frequencyWeeks: number | undefined;
  /** The last supervision held, or the induction meeting that agreed the frequency if later. */
  readonly lastHeld: IsoDate | undefined;
  readonly nextDue: IsoDate | undefined;
  readonly daysOverdue: number;
}

/** NHS induction meeting, due within N days of the start date (Career Conversations policy §5.1). */
export interface InductionMeetingDue {
  readonly dueDate: IsoDate;
  /** The first one held on or after the start date (and on or before D). */
  readonly held: IsoDate | undefined;
  /** Not held and past the due date. */
  readonly overdue: boolean;
  /** Held, but after the due date. */
  readonly late: boolean;
  /** Held − due in days when late; 0 when on time or not held. */
  readonly daysLate: number;
}

/** Outcome of one pay-step check. `unknown` when the HR facts needed are not recorded. */
export type CheckOutcome = 'met' | 'not-met' | 'unknown' | 'not-applicable';

/** One pay-step readiness check with the reason for its outcome and the policy clause behind it. */
export interface PayStepCheck {
  readonly id: string;
  readonly kind: PayStepCheckKind;
  readonly label: string;
  readonly outcome: CheckOutcome;
  readonly reason: string;
  readonly source: string;
}

/**
 * A deferral (CC §5.8 "a plan for any supportive action needed, including timescales … will not be
 * back dated"): what the policy requires, and the latest recorded deferral whose support plan is
 * still open (no `effectiveFrom` yet), if any.
 */
export interface PayStepDeferral {
  readonly supportPlanRequired: boolean;
  readonly backdated: boolean;
  /** The latest deferred decision whose support plan is not yet completed; absent when none. */
  readonly open?: PayStepDecision;
}

/**
 * Readiness to progress at the pay-step date considered at D (Career Conversations policy §5.8):
 * `ready` when every check is met or not applicable, `not-ready` (defer with a support plan) when
 * one is not met, `unconfirmed` when none fails but some facts are missing.
 *
 * The date considered is the latest anniversary on or before D while it has no recorded decision
 * (so the decision does not vanish the day after the date), until the next date's readiness window
 * opens (`showFromDays` before it); otherwise the next anniversary on or after D.
 */
export interface PayStepReadiness {
  readonly date: IsoDate;
  /** Where the date came from: the HR pay-step date, or the start-date anniversary as fallback. */
  readonly dateSource: 'pay-step-date' | 'start-date';
  /** date − D in days: negative once the date has passed. */
  readonly daysToDate: number;
  /** D is within the policy's `showFromDays` before the date (or after it) and no decision is recorded for it. */
  readonly awaitingDecision: boolean;
  /** The manager's recorded decision for this date, when there is one. */
  readonly decision?: PayStepDecision;
  readonly readiness: 'ready' | 'not-ready' | 'unconfirmed';
  readonly checks: readonly PayStepCheck[];
  /**
   * When not ready, or while a recorded deferral's support plan is open: a support plan with
   * timescales; the increase applies on completion, not backdated. Undefined otherwise.
   */
  readonly deferral: PayStepDeferral | undefined;
}

/** The appeal window after the latest career conversation (Career Conversations policy §5.10). */
export interface AppealWindow {
  readonly conversationDate: IsoDate;
  /** Last day to appeal in writing. */
  readonly appealBy: IsoDate;
  /** True while D is on or before `appealBy`. */
  readonly open: boolean;
}

/** Everything the rules say about one employee at date D (DESIGN.md §3.1 definitions). */
export interface EmployeeEvaluation {
  readonly employeeId: EmployeeId;
  readonly at: IsoDate;
  readonly status: ComplianceStatus;
  /** In the rolling population: not left, not excluded, not in induction. */
  readonly inPopulation: boolean;
  /** startDate + the policy's induction months. */
  readonly eligibleFrom: IsoDate;
  readonly held12m: number;
  readonly expected12m: number;
  readonly compliant: boolean;
  readonly lastHeld: IsoDate | undefined;
  readonly nextDue: IsoDate;
  readonly daysOverdue: number;
  /**
   * Actions not yet done on the latest held record that lists actions (each record carries the
   * open ones forward); list them with `openActions()`.
   * Undefined only when an organisation evaluation was asked to skip actions.
   */
  readonly openActions: number | undefined;
  /** Of those, how many are past their due date. */
  readonly overdueActions: number | undefined;
  /** NHS preset only. */
  readonly supervision?: SupervisionDue | undefined;
  /** NHS preset only, while the start date is recent enough to track. */
  readonly inductionMeeting?: InductionMeetingDue | undefined;
  /** NHS preset only. */
  readonly payStep?: PayStepReadiness | undefined;
  /** NHS preset only, when a career conversation has been held. */
  readonly appeal?: AppealWindow | undefined;
}

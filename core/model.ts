/**
 * The domain's nouns, shared by core/, bot/ and tab/. Pure data: no behaviour, no I/O.
 * Dates are calendar dates in Europe/London written `YYYY-MM-DD` (DESIGN.md §3.1).
 */

/** A calendar date in Europe/London, `YYYY-MM-DD`. */
export type IsoDate = string;

/** An Entra object id (a GUID) or, for HR-only people, the HR system's id. */
export type EmployeeId = string;

/**
 * One person as the rules need them: the directory (Graph) merged with the HR import
 * (DESIGN.md §3 "Employment facts the rules need and Graph does not hold").
 */
export interface Employee {
  readonly id: EmployeeId;
  readonly name: string;
  readonly email: string;
  readonly positionNumber: string;
  /** Line manager's id; undefined only for the root of the organisation (the Chief Executive). */
  readonly managerId?: EmployeeId | undefined;
  /** The org unit the person works in (a service, e.g. "Adult Services"). */
  readonly department: string;
  /** Staff group as the HR system writes it; matched against the policy's exclusions ignoring case. */
  readonly staffGroup: string;
  /** Start date in post. */
  readonly startDate: IsoDate;
  readonly leaveDate?: IsoDate | undefined;
  /** Incremental / pay-step date (NHS preset). */
  readonly payStepDate?: IsoDate | undefined;
  readonly capabilityProcess?: boolean | undefined;
  readonly disciplinaryLive?: boolean | undefined;
  readonly mandatoryTrainingComplete?: boolean | undefined;
  /**
   * Agreed supervision frequency in weeks (NHS preset): the one agreed at the induction meeting or
   * a later supervision when recorded, else the HR import's.
   */
  readonly supervisionFrequencyWeeks?: number | undefined;
  /** `record` when the frequency was agreed in a recorded meeting: the HR import then keeps it. */
  readonly supervisionFrequencySource?: 'hr' | 'record' | undefined;
  /** Pay-step decisions recorded by the manager, oldest first (NHS preset, CC §5.8). */
  readonly payStepDecisions?: readonly PayStepDecision[] | undefined;
  /**
   * Outside the policy's scope (HR column `out_of_scope`): the Chief Executive, whose appraisal is
   * held by elected members or the board, or anyone HR marks so (DESIGN.md §3 "People outside the
   * policy's scope … are in no population, figure or list"). Undefined is "not recorded": the
   * policy's `topOfTreeOutOfScope` then decides for a person with no manager.
   */
  readonly outOfScope?: boolean | undefined;
  /** Who set the leave date: the HR import, or the directory sync (a disabled or deleted account). */
  readonly leaveDateSource?: FactSource | undefined;
  /** Who set the manager: the HR import (`manager_id`), or the directory sync (Graph's manager). */
  readonly managerSource?: FactSource | undefined;
  /** The directory sync has seen the person's account: Microsoft Graph then owns name and e-mail. */
  readonly inDirectory?: boolean | undefined;
}

/**
 * A manager's decision at a pay-step date (Career Conversations policy §5.8): the colleague
 * progresses, or progression is deferred with a support plan; once the plan is completed the
 * increase applies from that day, never backdated.
 */
export interface PayStepDecision {
  /** The pay-step date (the incremental date's anniversary) the decision is for. */
  readonly forDate: IsoDate;
  readonly decision: 'progressed' | 'deferred';
  /** The day it was recorded. */
  readonly decidedOn: IsoDate;
  readonly decidedBy: EmployeeId;
  /** Deferred: the support plan's actions with their timescales. */
  readonly supportPlan?: readonly ConversationAction[] | undefined;
  /**
   * The day the increase applies from: the pay-step date when progressed; when deferred, the day
   * the support plan was completed (undefined while it is open).
   */
  readonly effectiveFrom?: IsoDate | undefined;
}

/** Which feed a fact about a person came from, so the HR import and the directory sync merge. */
export type FactSource = 'hr' | 'directory';

/** Only `completed` conversations dated on or before the evaluation date count (DESIGN.md §3.1). */
export type ConversationStatus = 'completed' | 'scheduled' | 'cancelled';

/** An action agreed in a conversation, carried forward and reviewed at the next one. */
export interface ConversationAction {
  readonly id: string;
  readonly text: string;
  /** Who owns it: `manager`, `employee`, or a named person. */
  readonly owner: string;
  readonly dueDate: IsoDate;
  readonly done: boolean;
}

/**
 * What the rules read of a conversation. Note text lives only on the stored record, never here,
 * so nothing computed from this type can leak it (DESIGN.md §6).
 */
export interface ConversationFacts {
  readonly id: string;
  readonly employeeId: EmployeeId;
  /** One of the policy's conversation type ids. */
  readonly type: string;
  readonly date: IsoDate;
  /** The manager who held it (may differ from the employee's current manager). */
  readonly managerId: EmployeeId;
  readonly status: ConversationStatus;
  readonly actions?: readonly ConversationAction[] | undefined;
  /** NHS career conversation: objectives and values-based behaviours met (pay-step check I). */
  readonly objectivesMet?: boolean | undefined;
}

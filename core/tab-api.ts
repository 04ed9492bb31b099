/**
 * The tab's REST API contract (issue 7, DESIGN.md §4 Tab, §6 access): the JSON the service answers
 * and the tab reads. Shared by bot/api (server) and tab/src (browser), so neither can drift.
 * No note text appears in any type here except the employee's own record cards (`/api/conversations`).
 * All routes need `Authorization: Bearer <Entra token>`; 401 without a valid one, 403 when the
 * caller's role does not allow the route or the node asked for.
 */

/** What the caller may see (DESIGN.md §6). A person may hold several. */
export interface CallerRoles {
  /** Has at least one current direct report: My team. */
  readonly manager: boolean;
  /** Has managers below them (a subtree of more than one team): Organisation, their subtree. */
  readonly headOfService: boolean;
  /** In the OD team (OD_MEMBERS): Organisation, the whole organisation. */
  readonly od: boolean;
}

/** `GET /api/me` */
export interface MeResponse {
  readonly id: string;
  readonly name: string;
  readonly roles: CallerRoles;
  /** The tab to open first: team for managers, organisation for OD/heads, conversations otherwise. */
  readonly home: 'team' | 'organisation' | 'conversations';
  /** The policy's name, for headings. */
  readonly policyName: string;
}

/** Completion as a fraction; `rate` is null when nobody is eligible. */
export interface Completion {
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | null;
}

/**
 * Which quarterly figure an answer's `quarterly` numbers are (the policy's
 * `compliance.quarterlyFigure`): people who held a conversation in the quarter (council, DESIGN.md
 * §3.1), or people compliant at the quarter's end (NHS, DESIGN.md §3.2). One policy per deployment,
 * so one per answer: it names every `quarterly`, trend point and heat-map cell in it.
 */
export type QuarterlyFigureId = 'held-in-quarter' | 'compliant-at-quarter-end';

/**
 * The quarterly figure an answer reports, in the policy's own words (bot/i18n/policy-words.ts), so
 * the tab never guesses them: a custom policy with the NHS figure names its own conversation type.
 */
export interface QuarterlyFigureText {
  readonly id: QuarterlyFigureId;
  /** "Held a conversation in the quarter", "Compliant at quarter end (career conversation in the last 12 months)". */
  readonly label: string;
  /** A column heading: "Held in quarter", "Compliant at quarter end". */
  readonly short: string;
}

/** One quarter of a trend. */
export interface TrendPoint {
  /** e.g. `2026/27 Q3`. */
  readonly quarter: string;
  readonly quarterly: Completion;
  readonly rolling: Completion;
  /**
   * Before the organisation's first quarter with a conversation held anywhere (it had not started
   * recording): both rates are null and the quarter shows "no data", never 0 %.
   */
  readonly noData?: true;
}

/** One direct report on My team. */
export interface TeamMember {
  readonly employeeId: string;
  readonly name: string;
  /** A ComplianceStatus id (`overdue`, `due-soon`, `on-track`, `induction`, `excluded`) or `unknown`. */
  readonly status: string;
  /** The status as the policy names it (the NHS calls induction "In first 12 months"). */
  readonly statusLabel: string;
  readonly held12m: number;
  readonly expected12m: number;
  readonly lastHeld: string | null;
  readonly nextDue: string | null;
  readonly daysOverdue: number;
  readonly openActions: number;
  readonly overdueActions: number;
  /** Conversations held in the quarter asked for. */
  readonly heldInQuarter: number;
  /**
   * NHS only (the policy's `payStep`): the pay step, from `showFromDays` before the date until a
   * decision is recorded, and while a deferral's support plan is open; absent otherwise. The
   * checks are `GET /api/team/:employeeId/pay-step`.
   */
  readonly payStep?: TeamPayStep;
}

/** Where a person's pay step stands (Career Conversations policy §5.8). */
export type PayStepStateId = 'decision-due' | 'progressed' | 'deferred-plan-open' | 'deferred';

/** A member's pay step on My team, read from their status row (no record is read for it). */
export interface TeamPayStep {
  /** The pay-step date the engine considers today (YYYY-MM-DD), or the deferral's whose plan is open. */
  readonly date: string;
  /** date − today in days: negative once the date has passed. */
  readonly daysToDate: number;
  readonly state: PayStepStateId;
  /** The state in the policy's words: "decision due", "Progressed", "Deferred, plan open". */
  readonly stateLabel: string;
}

/** One pay-step check (CC §5.8 I–V) with its outcome, the reason, and where its facts come from. */
export interface PayStepCheckRow {
  /** `I` … `V`. */
  readonly id: string;
  readonly label: string;
  readonly outcome: 'met' | 'not-met' | 'unknown' | 'not-applicable';
  /** "Met", "Not met", "Not recorded", "Not applicable". */
  readonly outcomeLabel: string;
  /** Dates and counts only ("career conversation on 2026-01-12: objectives and values met"). */
  readonly reason: string;
  /** Where the facts come from: the career conversation record, the HR import, the manager's own reports. */
  readonly source: string;
  /** The policy clause: "Career Conversations policy §5.8 (II), §5.7". */
  readonly clause: string;
}

/**
 * `GET /api/team/:employeeId/pay-step` — a direct report's readiness at the pay-step date the
 * engine considers today, computed as the bot's Pay step card computes it. The line manager only
 * (403 otherwise); 404 when the policy has no pay steps or no date can be found. Never note text:
 * a support plan is its number of actions and their last due date, not what they say.
 */
export interface PayStepResponse {
  readonly employeeId: string;
  readonly name: string;
  readonly date: string;
  /** The HR pay-step (incremental) date, or the start date's anniversary when HR gives none. */
  readonly dateSource: 'pay-step-date' | 'start-date';
  readonly daysToDate: number;
  /** From `showFromDays` before the date until a decision is recorded for it. */
  readonly awaitingDecision: boolean;
  readonly readiness: 'ready' | 'not-ready' | 'unconfirmed';
  /** The readiness in a sentence, as on the bot's card. */
  readonly readinessText: string;
  readonly checks: readonly PayStepCheckRow[];
  /** The decision recorded for this date, if any. */
  readonly decision: {
    readonly decision: 'progressed' | 'deferred';
    readonly decidedOn: string;
    /** The day the increase applies; null while a deferral's support plan is open. */
    readonly effectiveFrom: string | null;
  } | null;
  /** The latest deferral whose support plan is still open, if any. */
  readonly openPlan: {
    readonly forDate: string;
    readonly decidedOn: string;
    readonly actions: number;
    readonly lastDue: string | null;
  } | null;
}

/** `GET /api/team?quarter=2026%2F27%20Q3` (quarter optional: the current one). */
export interface TeamResponse {
  readonly manager: { readonly id: string; readonly name: string };
  /** The quarter the figures are for. */
  readonly quarter: string;
  /** What the quarterly figures measure. */
  readonly figure: QuarterlyFigureText;
  /** The quarters that can be picked, oldest first; the last is the current one (8). */
  readonly quarters: readonly string[];
  readonly members: readonly TeamMember[];
  /** True when the policy has pay steps (NHS, CC §5.8): members then carry `payStep` inside its window. */
  readonly paySteps: boolean;
  /** For the quarter asked for. */
  readonly quarterly: Completion;
  readonly rolling: Completion;
  /** The last 8 quarters, oldest first. */
  readonly trend: readonly TrendPoint[];
}

/** `POST /api/team/:employeeId/schedule` or `/log`: the bot sends that card to the manager's chat. */
export interface TeamActionResponse {
  /** False when the manager has not installed the bot (the deep link still opens the chat). */
  readonly sent: boolean;
  /** Teams deep link to the manager's chat with the bot. */
  readonly chatUrl: string;
}

/** A node (a manager and everyone below them) in the organisation view. */
export interface OrgNode {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  /** People in the subtree (the node included), not left. */
  readonly headcount: number;
  readonly quarterly: Completion;
  readonly rolling: Completion;
  readonly overdue: number;
  readonly dueSoon: number;
  /**
   * NHS only (the policy's `payStep`): recorded pay-step deferrals whose pay-step date falls in the
   * quarter, in the subtree (CC §8 "number of deferrals"); absent when the policy has no pay steps.
   */
  readonly payStepDeferrals?: number;
  /** True when the node has managers below it (it can be drilled into). */
  readonly hasChildren: boolean;
}

/** `GET /api/org?node=<id>` (node optional: the caller's top — the Chief Executive for OD). */
export interface OrgResponse {
  readonly quarter: string;
  /** What the quarterly figures (nodes, heat map, trend) measure. */
  readonly figure: QuarterlyFigureText;
  /** The pay-step deferral figure's names, when the policy has pay steps (each node's `payStepDeferrals`). */
  readonly payStepDeferrals?: { readonly label: string; readonly short: string };
  readonly quarters: readonly string[];
  readonly node: OrgNode;
  /** From the caller's top down to this node, for the breadcrumb. */
  readonly path: readonly { readonly id: string; readonly name: string }[];
  readonly children: readonly OrgNode[];
  /**
   * What the children (and the heat map's rows) are, by the node's depth below the organisation's
   * top: directorates under the Chief Executive, services under a director, teams further down.
   */
  readonly childKind: OrgChildKind;
  /** Quarterly completion of each child (a directorate at the top) over `quarters`. */
  readonly heatmap: readonly {
    readonly id: string;
    readonly name: string;
    readonly cells: readonly (number | null)[];
  }[];
  readonly trend: readonly TrendPoint[];
  /**
   * For OD only: reminders and cards the outbox could not deliver — people without the app
   * (not reachable) and messages dead-lettered after repeated failures (`npm run cli -- outbox --list`).
   */
  readonly outbox?: { readonly notReachable: number; readonly deadLettered: number };
}

/** What a node's children are called. */
export type OrgChildKind = 'directorate' | 'service' | 'team';

/** Which exception list. */
export type OrgListKind = 'overdue' | 'none-12m';

/** One person on an exception list: names, dates and counts only — never note text. */
export interface OrgListRow {
  readonly employeeId: string;
  readonly name: string;
  readonly department: string;
  readonly managerName: string;
  /** A ComplianceStatus id, as on {@link TeamMember}. */
  readonly status: string;
  /** The status as the policy names it. */
  readonly statusLabel: string;
  readonly daysOverdue: number;
  readonly lastHeld: string | null;
}

/** `GET /api/org/list?kind=overdue&node=<id>&department=<text>` */
export interface OrgListResponse {
  readonly kind: OrgListKind;
  readonly rows: readonly OrgListRow[];
  readonly total: number;
}

/** One of the caller's own conversations, with its record card rendered from the bot's template. */
export interface MyConversation {
  readonly id: string;
  readonly date: string;
  readonly type: string;
  readonly status: 'completed' | 'scheduled' | 'cancelled';
  /** The Adaptive Card the bot sends as the copy (completed ones); null otherwise. */
  readonly card: Record<string, unknown> | null;
}

/** `GET /api/conversations` — the caller's own only. */
export interface MyConversationsResponse {
  readonly conversations: readonly MyConversation[];
}

/** `GET /api/dev/users` (development only): people to sign in as. */
export interface DevUser {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/** `POST /api/dev/token {userId}` (development only): a token signed with the local dev key. */
export interface DevTokenResponse {
  readonly token: string;
}

/** An error body. */
export interface ApiError {
  readonly error: string;
  readonly message: string;
}

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
  /** True when the node has managers below it (it can be drilled into). */
  readonly hasChildren: boolean;
}

/** `GET /api/org?node=<id>` (node optional: the caller's top — the Chief Executive for OD). */
export interface OrgResponse {
  readonly quarter: string;
  /** What the quarterly figures (nodes, heat map, trend) measure. */
  readonly figure: QuarterlyFigureText;
  readonly quarters: readonly string[];
  readonly node: OrgNode;
  /** From the caller's top down to this node, for the breadcrumb. */
  readonly path: readonly { readonly id: string; readonly name: string }[];
  readonly children: readonly OrgNode[];
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

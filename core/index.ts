/**
 * The public API of the domain core (DESIGN.md §5): policy schema and presets, dates, compliance,
 * organisation figures, slot finding and nudge planning. Pure — no I/O; bot/ and tab/ import from here.
 */
export * from './model';

export * from './policy/schema';
export { PolicyError, findPreset, loadPolicy, parsePolicy, presetIds, type PolicyIssue } from './policy/load';
export {
  CAREER_CONVERSATIONS,
  DEFAULT_PRESET_ID,
  PRESETS,
  PROFESSIONAL_CONVERSATION,
} from './policy/presets';
export { policyCalendar, type PolicyCalendar } from './policy/calendar';

export * from './dates/day';
export * from './dates/quarters';
export * from './dates/windows';
export * from './dates/bank-holidays';
export * from './dates/working-days';
export * from './dates/london-time';

export * from './compliance/types';
export { addPeriod, compileRules, normaliseStaffGroup, type CompiledRules } from './compliance/rules';
export {
  evaluateEmployee,
  groupConversations,
  isExcluded,
  withScopeDefaults,
  openActions,
  type EvaluatedEmployee,
  type EvaluationFacts,
} from './compliance/evaluate';
export {
  appealDeadlines,
  nextAnniversary,
  type AppealDeadlines,
  type ReportsSummary,
} from './compliance/pay-step';
export {
  evaluateOrganisation,
  evaluationOf,
  reportsSummary,
  type OrganisationEvaluation,
  type OrganisationEvaluationOptions,
} from './compliance/organisation';

export * from './org/tree';
export * from './org/rollup';

export * from './slots';
export * from './nudges';

export * from './import/hr-csv';

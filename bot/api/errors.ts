/**
 * The tab API's errors: a status and an {@link ApiError} body (`{error, message}`) the tab can
 * show. Messages say what to do; they never echo an exception's text (STYLE.md "avoid").
 */
import type express from 'express';
import { type ApiError } from '../../core/tab-api';

/** A request the API refuses, thrown by a route and answered by the router's error handler. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

/** The problems the API answers with. */
export const problems = {
  unauthorized: () =>
    new ApiProblem(401, 'unauthorized', 'Sign in again: a valid Microsoft Entra ID token is needed.'),
  notConfigured: () =>
    new ApiProblem(
      503,
      'not_configured',
      'The tab is not set up on this service yet: an administrator needs to set TAB_API_AUDIENCE.',
    ),
  signInUnavailable: () =>
    new ApiProblem(503, 'unavailable', 'Your sign-in could not be checked just now. Try again in a minute.'),
  /** `team` is the policy's monitoring team in a sentence ("the OD team", "People Services"). */
  unknownPerson: (team: string) =>
    new ApiProblem(
      403,
      'forbidden',
      `You are not in the organisation directory yet, so there is nothing to show. If you have just joined, your HR record may not have arrived; contact ${team} if this continues.`,
    ),
  notManager: () =>
    new ApiProblem(403, 'forbidden', 'My team is for line managers: you have no current direct reports.'),
  notLineManager: () =>
    new ApiProblem(
      403,
      'forbidden',
      "Only the person's current line manager can schedule or log their conversations.",
    ),
  notPayStepManager: () =>
    new ApiProblem(
      403,
      'forbidden',
      "Only the person's current line manager can see their pay-step readiness.",
    ),
  /** The policy has no pay steps (the council's): the route is not part of this service. */
  noPaySteps: () => new ApiProblem(404, 'not_found', "Pay steps are not part of this organisation's policy."),
  noPayStepDate: () =>
    new ApiProblem(
      404,
      'not_found',
      'No pay-step date can be found for this colleague: the HR record has no incremental or start date.',
    ),
  badQuarter: (quarters: readonly string[]) =>
    new ApiProblem(
      400,
      'bad_request',
      `The quarter must be one of the last eight, written like ${quarters.at(-1) ?? '2026/27 Q3'}.`,
    ),
  tooManyActions: () =>
    new ApiProblem(
      429,
      'too_many_requests',
      'You have asked for a lot of cards in a few minutes. Use the ones in your chat, or try again shortly.',
    ),
  badRequest: (message: string) => new ApiProblem(400, 'bad_request', message),
  notFound: () => new ApiProblem(404, 'not_found', 'There is no such page in the API.'),
  storageUnavailable: () =>
    new ApiProblem(
      503,
      'unavailable',
      'The records cannot be reached just now. Nothing was changed. Try again in a minute.',
    ),
  internal: () => new ApiProblem(500, 'internal', 'Something went wrong on our side. Try again.'),
} as const;

/** Answers with a problem's status and body. */
export function sendProblem(res: express.Response, problem: ApiProblem): void {
  const body: ApiError = { error: problem.code, message: problem.message };
  res.status(problem.status).json(body);
}

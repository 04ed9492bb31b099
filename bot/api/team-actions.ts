/**
 * Schedule and Log from My team (DESIGN.md §4 Tab): the tab cannot book or record by itself, so the
 * bot sends the manager, in their personal chat, the card that starts it — the same button the team
 * card has — and the tab opens that chat with a Teams deep link.
 */
import { randomUUID } from 'node:crypto';
import { type Employee, type EmployeeId } from '../../core/model';
import { type TeamActionResponse } from '../../core/tab-api';
import { type CardJson } from '../cards/card';
import { createNoticeCard } from '../cards/notice-card';
import { Verb } from '../cards/verbs';
import { text } from '../i18n/en-GB';
import { type Caller, inPost } from './caller';
import { type ApiDeps } from './deps';
import { problems } from './errors';

/** What the manager asked the bot to start. */
export type TeamAction = 'schedule' | 'log';

/** Cards one caller may ask for within {@link ACTION_WINDOW_MS}: each is a message to their chat. */
export const ACTIONS_PER_WINDOW = 20;
export const ACTION_WINDOW_MS = 10 * 60_000;

/**
 * Counts each caller's team actions over a sliding window, so a stuck button or a script cannot
 * flood a chat (or the app's proactive-message budget). In memory, per service instance.
 */
export class ActionLimiter {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly limit = ACTIONS_PER_WINDOW,
    private readonly windowMs = ACTION_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one action for `key`; when none is left, answers the seconds until one is. */
  take(key: string): number | undefined {
    const now = this.now();
    const kept = (this.recent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length >= this.limit) {
      this.recent.set(key, kept);
      return Math.max(1, Math.ceil((kept[0]! + this.windowMs - now) / 1000));
    }
    kept.push(now);
    this.recent.set(key, kept);
    return undefined;
  }
}

/** An id as the directory writes them (an Entra object id or an HR id); anything else is refused. */
export const PERSON_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The Teams deep link to the personal chat with the bot (`28:` + the bot's app id). Teams opens
 * the chat whether or not the app is installed yet.
 */
export function botChatUrl(botAppId: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=28:${botAppId}`;
}

function actionCard(
  action: TeamAction,
  employee: { id: EmployeeId; name: string },
  manager: string,
): CardJson {
  return action === 'schedule'
    ? createNoticeCard({
        title: text.schedule.title(employee.name, manager),
        message: text.commands.schedule.description,
        actions: [{ title: text.menu.schedule, verb: Verb.schedule, data: { employeeId: employee.id } }],
      })
    : createNoticeCard({
        title: text.log.title(employee.name),
        message: text.commands.log.description,
        actions: [{ title: text.menu.log, verb: Verb.log, data: { employeeId: employee.id } }],
      });
}

/**
 * The caller's current direct report with this id, read from the directory on every request (as
 * every card action checks it, DESIGN.md §6); anyone else — another manager's report, a leaver, an
 * id that is not one — is refused with `refusal()`.
 */
export async function reportOf(
  deps: Pick<ApiDeps, 'records' | 'clock'>,
  caller: Caller,
  employeeId: string,
  refusal: () => Error,
): Promise<Employee> {
  if (!PERSON_ID.test(employeeId)) throw refusal();
  const employee = await deps.records.directory.getEmployee(employeeId);
  if (employee?.managerId !== caller.id || !inPost(employee, deps.clock.today())) throw refusal();
  return employee;
}

/**
 * Sends the Schedule or Log card for one report to the caller's chat. Only the report's current
 * line manager may (checked against the directory, like every card action).
 */
export async function teamAction(
  deps: Pick<ApiDeps, 'records' | 'clock' | 'notifier' | 'outbox' | 'log' | 'botAppId'>,
  caller: Caller,
  employeeId: string,
  action: TeamAction,
): Promise<TeamActionResponse> {
  const employee = await reportOf(deps, caller, employeeId, problems.notLineManager);
  const installed = (await deps.notifier.teamsUserId(caller.id)) !== undefined;
  if (installed) {
    await deps.outbox.post({
      to: caller.id,
      kind: 'action-card',
      day: deps.clock.today(),
      // Each press sends a fresh card (the caller asked for it again).
      ref: `${action}-${employeeId}-${randomUUID()}`,
      card: actionCard(action, employee, caller.employee.name),
    });
  }
  deps.log.info('team action from the tab', { action, managerId: caller.id, employeeId, sent: installed });
  return { sent: installed, chatUrl: botChatUrl(deps.botAppId) };
}

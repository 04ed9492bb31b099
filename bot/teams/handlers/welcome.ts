/** Builds the welcome card for whoever is talking to the bot, from the directory. */
import { type TurnContext } from 'botbuilder';
import { type CardJson } from '../../cards/card';
import { type WelcomeRole, createWelcomeCard } from '../../cards/welcome-card';
import { type TurnDeps } from '../deps';

/** The welcome card for the sender of this turn: manager, employee, or not yet known. */
export async function welcomeCardFor(context: TurnContext, deps: TurnDeps): Promise<CardJson> {
  const userId = context.activity.from.aadObjectId;
  const me = userId ? await deps.directory.getEmployee(userId) : undefined;
  let role: WelcomeRole = { kind: 'unknown' };
  if (me !== undefined && userId !== undefined) {
    const [reports, manager] = await Promise.all([
      deps.directory.listDirectReports(userId),
      me.managerId ? deps.directory.getEmployee(me.managerId) : Promise.resolve(undefined),
    ]);
    const current = reports.filter((r) => r.leaveDate === undefined);
    role =
      current.length > 0
        ? { kind: 'manager', directReports: current.length }
        : { kind: 'employee', managerName: manager?.name };
  }
  const firstName = (me?.name ?? context.activity.from.name ?? '').split(' ')[0] || undefined;
  return createWelcomeCard({ firstName, role, areas: deps.areas });
}

/**
 * A route table for activities (STYLE.md rule 1): each route selects the activities it handles;
 * the first match wins, so narrow routes come first and the catch-all last.
 */
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { traceTurn } from '../telemetry/instruments';
import { type TurnDeps } from './deps';

/** One entry of the route table. */
export interface Route {
  readonly name: string;
  select(activity: Activity): boolean;
  handle(context: TurnContext, deps: TurnDeps): Promise<void>;
}

/** Turns a route table into the bot's turn logic; each turn is timed by route (telemetry). */
export function createRouter(routes: readonly Route[]) {
  return async (context: TurnContext, deps: TurnDeps): Promise<void> => {
    const route = routes.find((r) => r.select(context.activity));
    await traceTurn(context.activity.type, route?.name ?? 'none', async () => {
      if (route === undefined) {
        deps.log.debug('no route', { type: context.activity.type, name: context.activity.name });
        if (context.activity.type === 'invoke') {
          await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 501 } });
        }
        return;
      }
      deps.log.debug('route', { route: route.name, activityId: context.activity.id });
      await route.handle(context, deps);
    });
  };
}

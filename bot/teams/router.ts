/**
 * A route table for activities (STYLE.md rule 1): each route selects the activities it handles;
 * the first match wins, so narrow routes come first and the catch-all last.
 */
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import { createNoticeCard } from '../cards/notice-card';
import { text } from '../i18n/en-GB';
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
    const tenant = tenantOf(context.activity);
    if (deps.tenantId !== undefined && tenant !== deps.tenantId) {
      await refuseForeignTenant(context, deps, tenant);
      return;
    }
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

/** The tenant an activity comes from: Teams puts it in channelData and on the conversation. */
export function tenantOf(activity: Activity): string | undefined {
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  if (typeof fromChannel === 'string' && fromChannel !== '') return fromChannel;
  const fromConversation = activity.conversation?.tenantId;
  return typeof fromConversation === 'string' && fromConversation !== '' ? fromConversation : undefined;
}

/**
 * Someone outside the organisation's tenant: nothing is read, stored or changed. A card button is
 * answered with a card (in place, as Teams expects), a message with a sentence, anything else
 * (an install, a reaction) with silence, so their conversation is never stored for proactive sends.
 */
async function refuseForeignTenant(
  context: TurnContext,
  deps: TurnDeps,
  tenant: string | undefined,
): Promise<void> {
  deps.log.warn('activity from another tenant refused', {
    tenant: tenant?.slice(0, 40) ?? 'none',
    activityType: context.activity.type,
  });
  const card = createNoticeCard({ title: text.access.otherTenantTitle, message: text.access.otherTenant });
  if (context.activity.type === 'invoke') {
    const body =
      context.activity.name === 'adaptiveCard/action'
        ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card }
        : undefined;
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: body === undefined ? { status: 403 } : { status: 200, body },
    });
    return;
  }
  if (context.activity.type === 'message') await context.sendActivity(text.access.otherTenant);
}

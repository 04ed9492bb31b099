/**
 * Installation (DESIGN.md §4 Install): store the conversation reference keyed by the user's
 * Entra object id and greet once with a card that fits their role. Teams may announce one
 * install with both `conversationUpdate` and `installationUpdate`; the store says whether
 * this is new, so the greeting is sent once.
 */
import { type Activity, type TurnContext } from 'botbuilder';
import { cardAttachment } from '../../cards/card';
import { OD_CHANNEL_KEY } from '../../reminders/od-channel';
import { type StoredReference } from '../../storage/reference-store';
import { type TurnDeps } from '../deps';
import { text } from '../../i18n/en-GB';
import { helpCardFor } from './help';
import { welcomeCardFor } from './welcome';

/** True for the activities that announce the bot was added to a conversation. */
export function isInstall(activity: Activity): boolean {
  if (activity.type === 'installationUpdate') return (activity.action ?? 'add').startsWith('add');
  if (activity.type === 'conversationUpdate') {
    return (activity.membersAdded ?? []).some((m) => m.id === activity.recipient.id);
  }
  return false;
}

/** True for the activity that announces the app was removed. */
export function isUninstall(activity: Activity): boolean {
  return activity.type === 'installationUpdate' && (activity.action ?? '').startsWith('remove');
}

/** Stores the reference and, on a new installation, greets. */
export async function handleInstall(context: TurnContext, deps: TurnDeps): Promise<void> {
  const reference = referenceOf(context.activity);
  if (reference === undefined) {
    deps.log.warn('install without a user or conversation id', { activityId: context.activity.id });
    return;
  }
  const isNew = await deps.references.saveOnInstall(reference);
  deps.log.info('installed', { scope: reference.scope, isNew });
  // The OD team's channel (an OD member added the app to a team): escalations for OD go there.
  const installer = context.activity.from?.aadObjectId;
  if (reference.scope === 'channel' && installer !== undefined && deps.odMembers.has(installer)) {
    await deps.references.saveOnInstall({ ...reference, key: OD_CHANNEL_KEY });
    deps.log.info('the OD team channel will receive escalations', {
      conversationId: reference.conversationId,
    });
  }
  if (!isNew) return;
  // The welcome card names the installer's role, manager and team size: fine in their own chat,
  // not in a channel or group chat where everyone reads it. There, a neutral greeting and help.
  const card =
    reference.scope === 'personal'
      ? await welcomeCardFor(context, deps)
      : helpCardFor({ shared: true, greeting: text.help.sharedWelcome });
  await context.sendActivity({ attachments: [cardAttachment(card)] });
}

/** Forgets the reference, so no proactive message goes to an uninstalled app. */
export async function handleUninstall(context: TurnContext, deps: TurnDeps): Promise<void> {
  const reference = referenceOf(context.activity);
  if (reference !== undefined) await deps.references.remove(reference.key);
  deps.log.info('uninstalled', { scope: reference?.scope });
}

function referenceOf(activity: Activity): StoredReference | undefined {
  const conversationType = activity.conversation.conversationType;
  const scope =
    conversationType === 'channel' ? 'channel' : conversationType === 'groupChat' ? 'groupChat' : 'personal';
  const key = scope === 'personal' ? activity.from.aadObjectId : activity.conversation.id;
  if (!key || !activity.conversation.id) return undefined;
  const tenantId = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    key,
    scope,
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    tenantId: tenantId ?? activity.conversation.tenantId,
    botId: activity.recipient.id,
    userId: scope === 'personal' ? activity.from.id : undefined,
    userName: scope === 'personal' ? activity.from.name : undefined,
    installedAt: (activity.timestamp ? new Date(activity.timestamp) : new Date()).toISOString(),
  };
}

/**
 * The Bot Framework adapter: validates Bot Framework tokens when an app id is configured
 * (requests without a valid token get 401), and turns a failed turn into a logged error with
 * a correlation id and a plain apology — never the error's own text (STYLE.md "avoid").
 */
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import { type Config } from '../config';
import { text } from '../i18n/en-GB';
import { type Logger } from '../log';

/** Creates the adapter for the configured bot identity. */
export function createAdapter(bot: Config['bot'], log: Logger): CloudAdapter {
  // No app id (local Playground only; config refuses it in production): botbuilder runs
  // anonymously only as MultiTenant, so the type is forced and no credentials are sent.
  const anonymous = bot.appId === '';
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: anonymous ? 'MultiTenant' : bot.appType,
    MicrosoftAppTenantId: anonymous ? '' : bot.tenantId,
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(log);
  return adapter;
}

/** Logs a failed turn with a correlation id and tells the user plainly, quoting a short reference. */
export function turnErrorHandler(log: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const reference = randomUUID().slice(0, 8);
    log.error('turn failed', {
      reference,
      correlationId: context.activity.id,
      conversationId: context.activity.conversation?.id,
      activityType: context.activity.type,
      error: error.name,
      stack: error.stack?.split('\n').slice(1, 6).join(' | '),
    });
    try {
      if (context.activity.type === 'invoke') {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 500 } });
      }
      await context.sendActivity(text.errors.turnFailed(reference));
    } catch (sendError) {
      log.error('could not tell the user a turn failed', {
        reference,
        error: sendError instanceof Error ? sendError.name : 'unknown',
      });
    }
  };
}

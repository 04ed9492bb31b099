/**
 * The Bot Framework adapter: validates Bot Framework tokens when an app id is configured
 * (requests without a valid token get 401), and turns a failed turn into a logged error with
 * a correlation id and a plain apology — never the error's own text (STYLE.md "avoid").
 */
import { type AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';
import {
  type Activity,
  ActivityTypes,
  CloudAdapter,
  type InvokeResponse,
  StatusCodes,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import { type Config } from '../config';
import { text } from '../i18n/en-GB';
import { type Logger } from '../log';
import { logTurnFailure } from './turn-failure';

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
    ...(bot.openIdMetadataUrl === undefined ? {} : publicCloudWithKeysAt(bot.openIdMetadataUrl)),
  });
  const adapter = new TeamsCloudAdapter(auth);
  adapter.onTurnError = turnErrorHandler(log);
  return adapter;
}

/** Errors of the JWT library botbuilder verifies tokens with: a bad signature, a token not yet valid. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder's adapter, except that a token whose signature or dates do not verify is refused
 * 401 like every other bad token: botbuilder passes the JWT library's own error through, which
 * its `process` answers 500 with the error's text.
 */
class TeamsCloudAdapter extends CloudAdapter {
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    try {
      // The overloads differ only in the first argument; both reach the same implementation.
      return await super.processActivity(auth as string, activity, logic);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
        throw new AuthenticationError(
          'Unauthorized. The token could not be verified.',
          StatusCodes.UNAUTHORIZED,
        );
      }
      throw error;
    }
  }
}

/**
 * The public cloud's Bot Framework settings with the signing keys read from another OpenID
 * configuration. botbuilder takes any one of these settings to mean all are given, so all are.
 * Tokens must still be issued by the Bot Framework channel, for this bot, for the activity's
 * service URL, with a key endorsed for its channel.
 */
function publicCloudWithKeysAt(metadataUrl: string) {
  return {
    // botframework-connector's AuthenticationConstants and CallerIdConstants for the public cloud.
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
    CallerId: 'urn:botframework:azure',
  };
}

/** Logs a failed turn with a correlation id and tells the user plainly, quoting a short reference. */
export function turnErrorHandler(log: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const reference = logTurnFailure(log, context, error);
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

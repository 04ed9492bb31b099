/**
 * A throwaway bot for driving the Agents Playground in tests: plain node:http plus botbuilder's
 * CloudAdapter with an empty app id (anonymous, as the Playground sends no token).
 * "ping" → an Adaptive Card with an Action.Execute and an Action.Submit; the Execute invoke → an
 * updated card; the Submit → "submitted <json>"; "later" → a proactive "proactive hello" sent
 * through continueConversationAsync; anything else → "echo: <text>".
 */
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type Attachment,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Response as BotResponse,
  type TurnContext,
  TurnContext as Turn,
} from 'botbuilder';
import { listen } from '../../bot/listen';

/** Verb of the card's Action.Execute button. */
export const ECHO_CARD_VERB = 'echo.confirm';

/** A running echo bot. */
export interface EchoBot {
  /** The messaging endpoint, e.g. `http://127.0.0.1:PORT/api/messages`. */
  readonly endpoint: string;
  /** serviceUrls seen on incoming activities. */
  readonly serviceUrls: Set<string>;
  close(): Promise<void>;
}

/** The card the bot answers "ping" with. */
export function pongCard(): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Pong from the echo bot', weight: 'Bolder' }],
    actions: [
      { type: 'Action.Execute', title: 'Confirm', verb: ECHO_CARD_VERB, data: { step: 1 } },
      { type: 'Action.Submit', title: 'Send', data: { kind: 'echo.submit' } },
    ],
  });
}

/** Starts the echo bot on a free 127.0.0.1 port. */
export async function startEchoBot(): Promise<EchoBot> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppType: 'MultiTenant' }),
  );
  const serviceUrls = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  adapter.onTurnError = async (context, error) => {
    console.error('echo bot turn failed', error);
    await context.sendActivity('echo bot error');
  };

  const logic = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    if (activity.serviceUrl) serviceUrls.add(activity.serviceUrl);
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      const value: unknown = activity.value;
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: {
              type: 'AdaptiveCard',
              version: '1.5',
              body: [{ type: 'TextBlock', text: `Confirmed ${JSON.stringify(value)}` }],
            },
          },
        },
      });
      return;
    }
    if (activity.type !== 'message') return;
    if (activity.value !== undefined && activity.value !== null) {
      await context.sendActivity(`submitted ${JSON.stringify(activity.value)}`);
      return;
    }
    const text = (activity.text ?? '').trim();
    if (text === 'ping') {
      await context.sendActivity({ attachments: [pongCard()] });
    } else if (text === 'later') {
      const reference = Turn.getConversationReference(activity);
      const timer = setTimeout(() => {
        timers.delete(timer);
        adapter
          .continueConversationAsync('', reference, async (proactive) => {
            await proactive.sendActivity('proactive hello');
          })
          .catch((error: unknown) => console.error('echo bot proactive send failed', error));
      }, 200);
      timers.add(timer);
    } else {
      await context.sendActivity(`echo: ${text}`);
    }
  };

  const server = await listen(
    (req, res) => {
      if (req.method !== 'POST' || req.url !== '/api/messages') {
        res.statusCode = req.url === '/api/messages' ? 405 : 404;
        res.end();
        return;
      }
      readJson(req)
        .then((body) =>
          adapter.process({ body, headers: req.headers, method: req.method }, responseShim(res), logic),
        )
        .catch((error: unknown) => {
          console.error('echo bot request failed', error);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
    },
    0,
    '127.0.0.1',
  );
  return {
    endpoint: `http://127.0.0.1:${server.port}/api/messages`,
    serviceUrls,
    close: async () => {
      timers.forEach(clearTimeout);
      await server.close();
    },
  };
}

/** Reads a JSON request body; anything that is not a JSON object becomes `undefined` (CloudAdapter then answers 400). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The Express-like response botbuilder's CloudAdapter.process expects, over a node ServerResponse. */
function responseShim(res: ServerResponse): BotResponse {
  const shim: BotResponse = {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return shim;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return shim;
    },
    send(body: unknown) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.write(body);
      } else if (body !== undefined) {
        res.setHeader('content-type', 'application/json');
        res.write(JSON.stringify(body));
      }
      return shim;
    },
    end() {
      res.end();
      return shim;
    },
  };
  return shim;
}

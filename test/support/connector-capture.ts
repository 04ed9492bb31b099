/**
 * A small local Bot Connector: the `serviceUrl` a test puts on an activity, so the replies the
 * bot posts back over real HTTP can be captured and asserted.
 */
import express from 'express';
import { type Activity } from 'botbuilder';
import { listen } from '../../bot/listen';

/** A captured reply: which conversation it went to and the activity. */
export interface CapturedReply {
  readonly conversationId: string;
  readonly activity: Partial<Activity>;
  readonly authorization: string | undefined;
}

/** Starts the capture server on a free loopback port. */
export async function startConnectorCapture() {
  const replies: CapturedReply[] = [];
  const waiters: (() => void)[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post(
    ['/v3/conversations/:conversationId/activities', '/v3/conversations/:conversationId/activities/:replyTo'],
    (req, res) => {
      replies.push({
        conversationId: String(req.params.conversationId),
        activity: req.body as Partial<Activity>,
        authorization: req.headers.authorization,
      });
      waiters.splice(0).forEach((wake) => wake());
      res.status(200).json({ id: `reply-${replies.length}` });
    },
  );
  const server = await listen(app, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${server.port}`,
    replies,
    /** Resolves with the nth reply (1-based) once it has arrived. */
    async reply(n: number, timeoutMs = 5_000): Promise<CapturedReply> {
      const deadline = Date.now() + timeoutMs;
      while (replies.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${replies.length} replies after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return replies[n - 1]!;
    },
    close: () => server.close(),
  };
}

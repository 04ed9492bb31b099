/**
 * JSON `$batch` (DESIGN.md §7: at most 20 requests each): many small reads in one round trip.
 * Steps a sub-response throttles (429) or Graph cannot serve (503, 504) are sent again in a later
 * batch after the longest `Retry-After` among them; the batch request itself goes through the
 * client's RetryHandler like any other.
 */
import { type Client } from '@microsoft/microsoft-graph-client';

/** Graph's limit on requests in one `$batch`. */
export const MAX_BATCH_REQUESTS = 20;

/** One request inside a batch; `url` is relative to the version root, e.g. `/users/{id}/events/{id}`. */
export interface BatchStep {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A sub-response. */
export interface BatchAnswer {
  readonly id: string;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

interface BatchResponse {
  readonly responses?: readonly {
    id: string;
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }[];
}

const RETRYABLE = new Set([429, 503, 504]);

/** Options: how often a throttled step is sent again, and how to wait (tests keep real time). */
export interface BatchOptions {
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends the steps in batches of at most 20, one batch at a time (Outlook allows 4 concurrent
 * requests per mailbox, and one batch's steps already run side by side), and returns every answer
 * by step id. Steps still throttled after the retries keep their last answer.
 */
export async function runBatch(
  client: Client,
  steps: readonly BatchStep[],
  options: BatchOptions = {},
): Promise<Map<string, BatchAnswer>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = options.maxRetries ?? 3;
  const answers = new Map<string, BatchAnswer>();
  let pending = [...steps];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const retry: BatchStep[] = [];
    let waitSeconds = 0;
    for (let i = 0; i < pending.length; i += MAX_BATCH_REQUESTS) {
      const chunk = pending.slice(i, i + MAX_BATCH_REQUESTS);
      const response = (await client.api('/$batch').post({
        requests: chunk.map((s) => ({
          id: s.id,
          method: s.method,
          url: s.url,
          ...(s.body === undefined ? {} : { body: s.body }),
          headers: { ...(s.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...s.headers },
        })),
      })) as BatchResponse;
      for (const r of response.responses ?? []) {
        const headers = r.headers ?? {};
        answers.set(r.id, { id: r.id, status: r.status, body: r.body, headers });
        if (RETRYABLE.has(r.status) && attempt < maxRetries) {
          const step = chunk.find((s) => s.id === r.id);
          if (step) retry.push(step);
          const after = Number(headers['Retry-After'] ?? headers['retry-after'] ?? 1);
          waitSeconds = Math.max(waitSeconds, Number.isFinite(after) ? after : 1);
        }
      }
    }
    if (retry.length > 0) await sleep(waitSeconds * 1000);
    pending = retry;
  }
  return answers;
}

/** Latency helpers shared by the benchmarks. */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';

/** The p-th percentile (0–100) of samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `work` from `concurrency` workers, `perWorker` times each; returns every latency in ms. */
export async function load(
  concurrency: number,
  perWorker: number,
  work: (worker: number, i: number) => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = performance.now();
        await work(w, i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return samples;
}

/** Kept-alive connections for the load generators: fetch costs the process several times more CPU per request. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** GETs a URL and drains the body; resolves to the status. */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, headers }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/**
 * Tables per kind in the benchmarks' Azurite (`TABLE_SHARDS`): Azurite scans a whole table to
 * answer a partition query, so at 100,000 people one table per kind measures the emulator, not
 * the design. An Azure account keeps the default of 1 (bot/storage/tables.ts).
 */
export const AZURITE_SHARDS = 32;

/**
 * When `BENCH_CPU_PROFILE` names a file, profiles this process's CPU while `work` runs and writes
 * a `.cpuprofile` there (open it in Chrome DevTools): the measured phase alone, not the set-up.
 */
export async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return work();
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * One line of `npm run bench`'s table: the figure, its target (DESIGN.md §8 or the issue) if it
 * has one, what was measured, the ratio to the raw read or write of the same rows where one
 * applies, and whether the target was met.
 */
export interface Row {
  readonly figure: string;
  readonly target?: string;
  readonly measured: string;
  readonly ratio?: string;
  readonly met?: boolean;
}

/** Milliseconds, rounded to what the machine can tell apart. */
export function ms(value: number): string {
  return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value).toLocaleString('en-GB')} ms`;
}

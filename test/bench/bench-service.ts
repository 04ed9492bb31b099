/**
 * The service for the benchmarks, as production runs it: alone in its own process, so that the
 * load generator's CPU is not counted as the service's. `startBenchService` starts
 * `bench-service-child.ts` (startApp over the benchmark's Azurite, development sign-in, the
 * benchmarks' table shards) and resolves once it answers; `stop` ends it and waits for its exit.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bot/dev/ports';

export interface BenchService {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the service in a child process on 127.0.0.1 and a free port. */
export async function startBenchService(env: Record<string, string>): Promise<BenchService> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      // `BENCH_CPU_PROFILE=dir` writes the service's CPU profile there when it stops.
      ...(process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE]
        : []),
      '--import',
      'tsx',
      fileURLToPath(new URL('./bench-service-child.ts', import.meta.url)),
    ],
    { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the bench service exited ${code} before listening`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

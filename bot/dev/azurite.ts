/**
 * Runs Azurite — the real Azure Storage API on this machine — as a child process: in memory for
 * tests, or with data kept in a folder for `npm start`. Stopped with SIGINT so recent writes are
 * flushed (DESIGN.md §5 facts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';

/** Azurite's well-known development account (public, documented; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
/** The public key of Azurite's development account. */
export const DEV_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Which services and where. */
export interface AzuriteOptions {
  readonly ports: { readonly table: number; readonly queue?: number; readonly blob?: number };
  /** Folder for data; omitted → in memory (tests). */
  readonly location?: string;
  /**
   * Node options for Azurite's process, e.g. a larger heap for millions of rows: in memory, Azurite
   * keeps every row on the V8 heap, and near the default limit (about 4 GB here) it spends its time
   * in garbage collection.
   */
  readonly nodeArgs?: readonly string[];
  /** Where Azurite's own output goes (default: discarded). */
  readonly onOutput?: (line: string) => void;
}

/** A running Azurite. */
export interface RunningAzurite {
  readonly connectionString: string;
  stop(): Promise<void>;
  /** Kills Azurite at once (SIGKILL), as a crash would: writes not yet flushed to disk are lost. */
  crash(): Promise<void>;
}

/** An explicit connection string for Azurite on loopback (DESIGN.md §5 facts). */
export function azuriteConnectionString(ports: AzuriteOptions['ports']): string {
  const parts = [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_ACCOUNT_KEY}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${DEV_ACCOUNT}`,
  ];
  if (ports.queue !== undefined) parts.push(`QueueEndpoint=http://127.0.0.1:${ports.queue}/${DEV_ACCOUNT}`);
  if (ports.blob !== undefined) parts.push(`BlobEndpoint=http://127.0.0.1:${ports.blob}/${DEV_ACCOUNT}`);
  return parts.join(';') + ';';
}

/** Starts Azurite (table only, or table + queue + blob when those ports are given) and waits until it listens. */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const root = dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
  const all = options.ports.queue !== undefined && options.ports.blob !== undefined;
  const script = join(root, 'dist', 'src', all ? 'azurite.js' : join('table', 'main.js'));
  const args = [
    ...(options.nodeArgs ?? []),
    script,
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(options.ports.table),
    '--disableTelemetry',
    '--silent',
    '--skipApiVersionCheck',
    ...(all
      ? [
          '--queueHost',
          '127.0.0.1',
          '--queuePort',
          String(options.ports.queue),
          '--blobHost',
          '127.0.0.1',
          '--blobPort',
          String(options.ports.blob),
        ]
      : []),
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const { queue, blob } = options.ports;
  const ports = [options.ports.table, ...(queue !== undefined && blob !== undefined ? [queue, blob] : [])];
  try {
    await Promise.all(ports.map((port) => waitForPort(port, child, 20_000)));
  } catch (error) {
    await stopChild(child);
    throw new Error(`Azurite did not start: ${(error as Error).message}\n${output.slice(-10).join('\n')}`, {
      cause: error,
    });
  }
  return {
    connectionString: azuriteConnectionString(options.ports),
    stop: () => stopChild(child),
    crash: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Sends SIGINT (Azurite flushes on it) and waits; SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on port ${port} after ${timeoutMs} ms`);
}

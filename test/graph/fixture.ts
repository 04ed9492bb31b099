/**
 * A Graph stand-in over TLS on a free port, and the app's real Graph client pointed at it exactly
 * as production is configured (GRAPH_* settings: tokens from `@azure/identity` against the
 * stand-in's authority, its certificate trusted through GRAPH_CA_FILE).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Employee } from '../../core/model';
import { type Config, readConfig } from '../../bot/config';
import {
  DEV_GRAPH_CLIENT,
  type GraphStandin,
  type StandinAccount,
  devGraphEnv,
  startGraphStandin,
} from '../../bot/dev/graph-standin';
import { createDevCertificate } from '../../bot/dev/tls-cert';
import { type GraphConnection, createGraphConnection } from '../../bot/graph/client';
import { configureLogging, createLogger } from '../../bot/log';

/** A running stand-in and a connected client. */
export interface GraphFixture {
  readonly standin: GraphStandin;
  readonly connection: GraphConnection;
  readonly config: Config;
  /** GRAPH_* settings pointing at the stand-in (for the CLI). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Quiet logs for tests: only errors. */
export function quietLogs(): void {
  configureLogging('error');
}

/** Starts a stand-in over TLS and connects the real client to it. */
export async function startGraphFixture(options: {
  readonly employees: readonly Employee[];
  /** Accounts that are not people of the organisation (rooms, service accounts). */
  readonly accounts?: readonly StandinAccount[];
  readonly pageSize?: number;
  readonly permissions?: readonly string[];
  readonly busySeed?: number | false;
  readonly maxRetries?: number;
}): Promise<GraphFixture> {
  const tls = createDevCertificate();
  const dir = await mkdtemp(join(tmpdir(), 'graph-fixture-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tls.cert, 'utf8');
  const standin = await startGraphStandin({
    employees: options.employees,
    clientId: DEV_GRAPH_CLIENT.clientId,
    clientSecret: DEV_GRAPH_CLIENT.clientSecret,
    tls,
    ...(options.accounts === undefined ? {} : { accounts: options.accounts }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
    busySeed: options.busySeed ?? false,
  });
  const env = {
    ...devGraphEnv(standin.url, caFile),
    ...(options.maxRetries === undefined ? {} : { GRAPH_MAX_RETRIES: String(options.maxRetries) }),
  };
  const config = readConfig({
    APP_ENV: 'development',
    STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    ...env,
  });
  const connection = createGraphConnection(config.graph!, { log: createLogger('test.graph') });
  return {
    standin,
    connection,
    config,
    env,
    close: async () => {
      await connection.close();
      await standin.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fixed clock. */
export function fixedClock(iso: string) {
  const at = new Date(iso);
  return { now: () => at, today: () => iso.slice(0, 10) };
}

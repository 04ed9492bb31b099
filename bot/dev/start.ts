/**
 * `npm start`: the whole app on this machine (DESIGN.md §5 "Local run"): Azurite (table, queue,
 * blob; data in ./data, stopped with SIGINT so nothing is lost), the Graph stand-in with the demo
 * organisation, demo data seeded when the store is empty, the service, and the Microsoft 365
 * Agents Playground signed in as a demo manager. Ctrl-C stops everything.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, readDevServiceConfig, readDevStackConfig } from '../config';
import { systemClock } from '../clock';
import { configureLogging, createLogger } from '../log';
import { resolvePolicy } from '../policy';
import { Records } from '../records/records';
import { startApp } from '../app';
import { openTables } from '../storage/tables';
import { buildTab } from '../../tab/build';
import { type RunningAzurite, startAzurite } from './azurite';
import { DEMO_SEED, generateDemoOrg } from './demo-org';
import { devGraphCaFile, devGraphEnv, startDevGraphStandin } from './graph-standin';
import { type PlaygroundHandle, startPlayground } from './playground';
import { PLAYGROUND_OTHER_USERS, playgroundConfigYaml } from './playground-config';
import { assertPortFree } from './ports';
import { progressBar } from './progress';
import { isStoreEmpty, seedDemoOrg } from './seed';
import { TeamTable } from '../storage/team-table';
import { TAB_DIR } from '../paths';

/** Client credentials the Graph stand-in accepts in development (not secrets: loopback only). */
export const DEV_GRAPH_CLIENT = { clientId: 'dev-client', clientSecret: 'dev-secret' } as const;
const DEMO_TENANT = '00000000-0000-4000-8000-00000000d0e0';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const stack = readDevStackConfig();
  const ports: [number, string][] = [
    [stack.azuritePorts.blob, 'AZURITE_BLOB_PORT'],
    [stack.azuritePorts.queue, 'AZURITE_QUEUE_PORT'],
    [stack.azuritePorts.table, 'AZURITE_TABLE_PORT'],
    [stack.graphPort, 'GRAPH_STANDIN_PORT'],
    [stack.servicePort, 'PORT'],
    ...(stack.playground ? [[stack.playgroundPort, 'PLAYGROUND_PORT'] as [number, string]] : []),
  ];
  for (const [port, setting] of ports) await assertPortFree(port, setting);

  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping…');
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    say('Stopped. Data is kept in ' + resolve(stack.dataDir, 'azurite'));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    say('Professional Conversations — local stack');
    const tab = await buildTab();
    say(`  tab built (app.js ${(tab['app.js']! / 1024).toFixed(0)} KB)`);

    const azuriteDir = resolve(stack.dataDir, 'azurite');
    await mkdir(azuriteDir, { recursive: true });
    const azurite: RunningAzurite = await startAzurite({ ports: stack.azuritePorts, location: azuriteDir });
    stops.push(() => azurite.stop());

    const graphEnv = devGraphEnv(`https://127.0.0.1:${stack.graphPort}`, devGraphCaFile(stack.dataDir));
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const org = generateDemoOrg({ asOf: today, seed: DEMO_SEED });
    // The demo's OD team has the OD role unless OD_MEMBERS says otherwise.
    const config = readDevServiceConfig(
      stack,
      azurite.connectionString,
      { OD_MEMBERS: org.odTeamIds.join(','), ...process.env },
      graphEnv,
    );
    configureLogging(config.logLevel);
    const policy = resolvePolicy(config.policy);

    const graph = await startDevGraphStandin(org.employees, stack.graphPort, stack.dataDir);
    stops.push(() => graph.close());

    const tables = await openTables(config.storage);
    if (await new TeamTable(tables.team).hasOlderLayout()) {
      throw new Error(
        `${azuriteDir} holds the team table in the layout of an earlier version (one row per report), ` +
          'which this version does not read. Delete ./data and run npm start again: the demo organisation is seeded afresh.',
      );
    }
    if (await isStoreEmpty(tables)) {
      const records = new Records(tables, policy, systemClock, createLogger('seed'));
      const bar = progressBar('  seeding demo organisation');
      await seedDemoOrg(records, tables, org, (step, done, total) => bar.update(done, total, step));
      bar.done(`${org.employees.length} people, ${org.conversations.length} conversations`);
    } else {
      say('  demo data already in the store (delete ./data to reseed)');
    }

    const app = await startApp({ config, tables, policy, clock: systemClock, tabDir: TAB_DIR });
    stops.push(() => app.stop());
    const service = app.service;

    const manager = org.employees.find((e) => e.id === org.teamManagerIds[0])!;
    const reports = org.employees.filter((e) => e.managerId === manager.id && e.leaveDate === undefined);
    let playground: PlaygroundHandle | undefined;
    if (stack.playground) {
      const workDir = resolve(stack.dataDir, 'playground');
      await mkdir(workDir, { recursive: true });
      playground = await startPlayground({
        botEndpoint: `${service.url}/api/messages`,
        port: stack.playgroundPort,
        workDir,
        configYaml: playgroundConfigYaml({
          tenantId: DEMO_TENANT,
          currentUser: { id: manager.id, name: manager.name, email: manager.email },
          // The Playground's schema takes exactly five other users.
          otherUsers: reports
            .slice(0, PLAYGROUND_OTHER_USERS)
            .map((r) => ({ id: r.id, name: r.name, email: r.email })),
        }),
        // No stream client here: the Playground buffers the bot's messages for the browser.
        stream: false,
      });
      stops.push(() => playground!.stop());
    }

    say('');
    say('Ready:');
    if (playground)
      say(
        `  Agents Playground   ${playground.url}   (signed in as ${manager.name}, manager of ${reports.length}; type "help")`,
      );
    say(
      `  Service             ${service.url}   (bot: /api/messages, health: /healthz, tab: / with a development sign-in)`,
    );
    say(`  Graph stand-in      ${graph.url}/v1.0`);
    say(
      `  Reminders           curl -X POST '${service.url}/api/dev/sweep?day=${systemClock.today()}'   (the nudge sweep for a working day; the cards arrive in the Playground)`,
    );
    say(
      `  Azurite             table ${stack.azuritePorts.table}, queue ${stack.azuritePorts.queue}, blob ${stack.azuritePorts.blob} (data: ${azuriteDir})`,
    );
    say('Press Ctrl-C to stop.');
  } catch (error) {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/**
 * What the fault suite (test/faults*.test.ts) builds each case from: a small demo organisation
 * seeded into Azurite, conversation references pointing at a local Bot Connector capture, Teams
 * activities posted over real HTTP to `/api/messages` as Teams posts them, and the service as a
 * child process (test/support/service-child.ts) that can be killed at a named table call.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { systemClock } from '../../bot/clock';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { seedDemoOrg } from '../../bot/dev/seed';
import { createLogger } from '../../bot/log';
import { Records } from '../../bot/records/records';
import { TableReferenceStore } from '../../bot/storage/reference-store';
import { type Tables } from '../../bot/storage/tables';
import { type Employee } from '../../core/model';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';

/** A demo organisation of `people`, stored (HR import and history) in `tables`; a manager and one report. */
export async function seedOrganisation(tables: Tables, people = 60) {
  const today = systemClock.today();
  const org = generateDemoOrg({ asOf: today, people });
  const records = new Records(tables, PROFESSIONAL_CONVERSATION, systemClock, createLogger('test.seed'));
  await seedDemoOrg(records, tables, org);
  const current = (e: Employee) => e.leaveDate === undefined && e.startDate < today;
  const managers = org.employees.filter(
    (m) => current(m) && org.employees.filter((e) => e.managerId === m.id && current(e)).length >= 3,
  );
  const manager = managers.at(-1)!;
  const reports = org.employees.filter((e) => e.managerId === manager.id && current(e));
  return { org, records, today, manager, reports };
}

/** Stores a personal-chat reference for each person, at the given connector. */
export async function install(
  tables: Tables,
  people: readonly Employee[],
  serviceUrl: string,
): Promise<void> {
  const references = new TableReferenceStore(tables.conversationRefs);
  for (const person of people) {
    await references.saveOnInstall({
      key: person.id,
      scope: 'personal',
      conversationId: chatOf(person),
      serviceUrl,
      channelId: 'msteams',
      botId: '28:bot',
      userId: `29:${person.id}`,
      installedAt: new Date().toISOString(),
    });
  }
}

/** The personal chat id the tests give a person. */
export const chatOf = (person: Employee): string => `a:chat-${person.id}`;

/** What `/api/messages` answered to an `Action.Execute` invoke. */
export interface InvokeAnswer {
  readonly status: number;
  readonly body: unknown;
  /** The card the invoke answered with, when it answered one. */
  readonly card?: Record<string, unknown>;
}

/** Posts an `Action.Execute` invoke from a person, as Teams does; resolves with the HTTP answer. */
export async function invoke(
  serviceUrl: string,
  connectorUrl: string,
  from: Employee,
  verb: string,
  data: Record<string, unknown>,
): Promise<InvokeAnswer> {
  const response = await fetch(`${serviceUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      serviceUrl: connectorUrl,
      id: `act-${Math.random().toString(16).slice(2)}`,
      from: { id: `29:${from.id}`, name: from.name, aadObjectId: from.id },
      recipient: { id: '28:bot', name: 'Bot' },
      conversation: { id: chatOf(from), conversationType: 'personal', tenantId: 'tenant-1' },
      value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } } },
    }),
  });
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  const value = (body as { value?: unknown } | undefined)?.value;
  const card =
    (body as { type?: string } | undefined)?.type === 'application/vnd.microsoft.card.adaptive'
      ? (value as Record<string, unknown>)
      : undefined;
  return { status: response.status, body, ...(card === undefined ? {} : { card }) };
}

/** The `log.save` data of a filled-in record form: the form's own button data plus every area. */
export function filledForm(
  button: Record<string, unknown>,
  today: string,
  report: Employee,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    ...button,
    date: today,
    minutes: '30',
    positionNumber: report.positionNumber,
    'action.0.text': 'Book the refresher course',
    'action.0.owner': 'employee',
    // Within the two years an action's due date may be set ahead.
    'action.0.due': new Date(Date.parse(`${today}T12:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10),
  };
  for (const area of PROFESSIONAL_CONVERSATION.conversationTypes[0]!.areas) {
    data[`area.${area.id}.notes`] = 'Discussed; both agreed the way forward.';
    data[`area.${area.id}.outcomes`] = 'Review at the next conversation.';
  }
  return data;
}

/** A running service child. */
export interface ServiceChild {
  readonly url: string;
  /** Resolves with the exit code or signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops it (SIGTERM, the graceful path) and waits. */
  stop(): Promise<void>;
}

/** Starts test/support/service-child.ts and waits until it listens. */
export async function startServiceChild(env: Record<string, string>): Promise<ServiceChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/service-child.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`service child exited (${code ?? signal}) before listening`)),
    );
  });
  return {
    url,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Card submit benchmark (issue 6): a manager's record form submitted as an `Action.Execute` invoke
 * over real HTTP to the service, answered with the record card — including the record write, the
 * employee's status row, the roll-ups along their management chain, the audit entry and the
 * employee's copy sent proactively to a local connector. Azurite in memory, a demo organisation of
 * 3,000 people with their conversation history. Measured one manager at a time and with 10 at once.
 * Run alone with `npx tsx test/bench/card-bench.ts`; `npm run bench` imports `benchCards`.
 */
import { pathToFileURL } from 'node:url';
import { systemClock } from '../../bot/clock';
import { readConfig } from '../../bot/config';
import { startAzurite } from '../../bot/dev/azurite';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import { freePort, storagePorts } from '../../bot/dev/ports';
import { seedDemoOrg } from '../../bot/dev/seed';
import { configureLogging, createLogger } from '../../bot/log';
import { Records } from '../../bot/records/records';
import { TableReferenceStore } from '../../bot/storage/reference-store';
import { openTables } from '../../bot/storage/tables';
import { type Employee } from '../../core/model';
import { PROFESSIONAL_CONVERSATION } from '../../core/policy/presets';
import { startConnectorCapture } from '../support/connector-capture';
import { startBenchService } from './bench-service';
import { AZURITE_SHARDS, load, ms, percentile, type Row } from './stats';

const PEOPLE = 3_000;
const SUBMITS = 200;

/** Runs the card benchmark and returns its figures. */
export async function benchCards(): Promise<Row[]> {
  configureLogging('error');
  const today = systemClock.today();
  const azurite = await startAzurite({ ports: await storagePorts() });
  const capture = await startConnectorCapture();
  try {
    const config = readConfig({
      APP_ENV: 'development',
      PORT: String(await freePort()),
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_SHARDS: String(AZURITE_SHARDS),
    });
    const tables = await openTables(config.storage);
    const org = generateDemoOrg({ asOf: today, people: PEOPLE });
    const seedRecords = new Records(tables, PROFESSIONAL_CONVERSATION, systemClock, createLogger('seed'));
    await seedDemoOrg(seedRecords, tables, org);
    // The service alone in its own process, as production runs it: the load generator's CPU is
    // not counted as the service's.
    const app = await startBenchService({
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_SHARDS: String(AZURITE_SHARDS),
    });
    try {
      const current = org.employees.filter((e) => e.leaveDate === undefined && e.managerId !== undefined);
      const reports = current.filter((e) => e.startDate < today).slice(0, SUBMITS);
      // Everyone involved has the app, so each save also sends the employee's copy.
      const references = new TableReferenceStore(tables.conversationRefs);
      for (const person of [
        ...reports,
        ...org.employees.filter((e) => reports.some((r) => r.managerId === e.id)),
      ]) {
        await references.saveOnInstall({
          key: person.id,
          scope: 'personal',
          conversationId: `a:chat-${person.id}`,
          serviceUrl: capture.url,
          channelId: 'msteams',
          botId: '28:bot',
          userId: `29:${person.id}`,
          installedAt: new Date().toISOString(),
        });
      }
      const post = async (from: Employee, verb: string, data: Record<string, unknown>) => {
        const response = await fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'invoke',
            name: 'adaptiveCard/action',
            channelId: 'msteams',
            serviceUrl: capture.url,
            id: `act-${Math.random().toString(16).slice(2)}`,
            from: { id: `29:${from.id}`, name: from.name, aadObjectId: from.id },
            recipient: { id: '28:bot', name: 'Bot' },
            conversation: { id: `a:chat-${from.id}`, conversationType: 'personal', tenantId: 'tenant-1' },
            value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } } },
          }),
        });
        if (response.status !== 200) throw new Error(`${verb} answered ${response.status}`);
        const body = (await response.json()) as { value: Record<string, unknown> };
        return body.value;
      };
      const forms = await Promise.all(
        reports.map(async (report) => {
          const manager = org.employees.find((e) => e.id === report.managerId)!;
          const form = (await post(manager, 'log', { employeeId: report.id })) as { actions?: unknown[] };
          const save = form.actions?.find((a) => (a as { verb?: string }).verb === 'log.save') as
            { data: Record<string, unknown> } | undefined;
          if (save === undefined) throw new Error('no log.save button on the form');
          return { manager, report, button: save.data };
        }),
      );
      const submit = async (n: number) => {
        const { manager, report, button } = forms[n]!;
        const data: Record<string, unknown> = {
          ...button,
          date: today,
          minutes: '30',
          positionNumber: report.positionNumber,
          'action.0.text': 'Book the EDI refresher',
          'action.0.owner': 'employee',
          'action.0.due': '2027-03-31',
        };
        for (const area of PROFESSIONAL_CONVERSATION.conversationTypes[0]!.areas) {
          data[`area.${area.id}.notes`] = 'Discussed in some detail; both agreed the way forward.';
          data[`area.${area.id}.outcomes`] = 'Agreed to review at the next conversation.';
        }
        const card = JSON.stringify(await post(manager, 'log.save', data));
        if (!card.includes('You and the employee each have a copy'))
          throw new Error(`not saved: ${card.slice(0, 1500)}`);
      };
      const half = Math.floor(forms.length / 2);
      const single = await load(1, half, (_w, i) => submit(i));
      const concurrent = await load(10, Math.floor((forms.length - half) / 10), (w, i) =>
        submit(half + w * Math.floor((forms.length - half) / 10) + i),
      );
      // The copies go through the outbox: wait (at most 60 s) for its senders to deliver them all.
      const expected = single.length + concurrent.length;
      for (const until = Date.now() + 60_000; capture.replies.length < expected && Date.now() < until;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const copies = capture.replies.length;
      const p = (samples: number[], q: number) => percentile(samples, q);
      return [
        {
          figure: `cards: ${PEOPLE.toLocaleString('en-GB')} people, ${org.conversations.length.toLocaleString('en-GB')} conversations; records saved, copies sent`,
          measured: `${single.length + concurrent.length}, ${copies}`,
        },
        {
          figure: 'card submit → reply, one manager at a time: p95 (p50)',
          target: '< 100 ms',
          measured: `${ms(p(single, 95))} (${ms(p(single, 50))})`,
          met: p(single, 95) < 100,
        },
        {
          figure: 'card submit → reply, 10 managers at once: p95 (p50)',
          target: '< 150 ms',
          measured: `${ms(p(concurrent, 95))} (${ms(p(concurrent, 50))})`,
          met: p(concurrent, 95) < 150,
        },
      ];
    } finally {
      await app.stop();
    }
  } finally {
    await capture.close();
    await azurite.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await benchCards()) console.log(`${row.figure}: ${row.measured}`);
}

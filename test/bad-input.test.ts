/**
 * Random and hostile input (issue 19), generated with fast-check under a fixed seed: every card
 * verb's data through the bot (Action.Execute invokes and Action.Submit fallbacks) on Azurite,
 * typed text of any kind, and the tab API's query strings and POST bodies over real HTTP. Each
 * gets a clear answer — a card, or a 4xx with an ApiError body — never a failed turn or a 500;
 * the service still answers afterwards, and what is stored is unchanged when the person may not
 * act or the ids they posted are not theirs to use (DESIGN.md §6).
 */
import { strict as assert } from 'node:assert';
import { parse } from 'node:querystring';
import { type Activity } from 'botbuilder';
import fc from 'fast-check';
import express from 'express';
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { type Employee } from '../core/model';
import { CAREER_CONVERSATIONS } from '../core/policy/presets';
import { type ApiError } from '../core/tab-api';
import { type RunningApp, startApp } from '../bot/app';
import { Verb } from '../bot/cards/verbs';
import { readConfig } from '../bot/config';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort, storagePorts } from '../bot/dev/ports';
import { text } from '../bot/i18n/en-GB';
import { type Listening, listen } from '../bot/listen';
import { configureLogging } from '../bot/log';
import { type TableStore } from '../bot/storage/sharded-table';
import { type BotHarness, botHarness } from './support/bot-harness';
import { cardAction, message, submit } from './support/activities';
import { buttonData, cardProblems, cardText } from './support/cards';
import { type GraphFixture, startGraphFixture } from './graph/fixture';
import { nhsPerson } from './support/nhs-people';

const TODAY = '2026-12-03';
const SEED = Number(process.env.BAD_INPUT_SEED ?? 190_019);
const RUNS_PER_VERB = Number(process.env.BAD_INPUT_RUNS ?? 40);

const HEAD = 'd1000000-0000-4000-8000-000000000001';
const MANAGER = 'd1000000-0000-4000-8000-000000000002';
const REPORT = 'd1000000-0000-4000-8000-000000000003';
const OTHER_MANAGER = 'd1000000-0000-4000-8000-000000000004';
const OTHER = 'd1000000-0000-4000-8000-000000000005';
const PEOPLE_SERVICES = 'd1000000-0000-4000-8000-000000000006';
const UNKNOWN = 'd1000000-0000-4000-8000-0000000000ff';

const TENANT = '11111111-2222-4333-8444-555555555555';
const TAB_CLIENT_ID = '7a7a7a7a-1111-4222-8333-444455556666';
const AUDIENCE = `api://tab.trust.example/${TAB_CLIENT_ID}`;

const person = nhsPerson;

const people: Employee[] = [
  person(HEAD, 'Hema Head', undefined),
  person(MANAGER, 'Mina Manager', HEAD),
  person(OTHER_MANAGER, 'Otto Other', HEAD),
  person(PEOPLE_SERVICES, 'Pia People', HEAD),
  person(REPORT, 'Rhys Report', MANAGER, { payStepDate: '2021-12-10' }),
  person(OTHER, 'Orla Other', OTHER_MANAGER),
];

const nameOf = (id: string) => people.find((p) => p.id === id)?.name;

/** Who acts in a generated turn: `undefined` is an activity with no Entra object id at all. */
type Actor = string | undefined;

/** Actors who may change nothing of Mina's team: not in the directory, no id, another team. */
const OUTSIDERS: readonly Actor[] = [UNKNOWN, undefined, OTHER_MANAGER, OTHER];
/** Actors who may act on Mina's team (or, for People Services, read it with a reason). */
const INSIDERS: readonly Actor[] = [MANAGER, REPORT, PEOPLE_SERVICES];

/** Verbs by which a colleague acts for themselves whatever the data says (Orla asking Otto). */
const OWN_ACTION_VERBS: ReadonlySet<string> = new Set([Verb.supervisionAsk]);

/** Every key a card of this app posts, so generated data reaches the handlers' parsing. */
const KNOWN_KEYS = [
  'employeeId',
  'conversationId',
  'typeId',
  'etag',
  'version',
  'rows',
  'page',
  'minutes',
  'slot',
  'date',
  'positionNumber',
  'comments',
  'reason',
  'query',
  'item',
  'dueDate',
  'stage',
  'forDate',
  'decision',
  'confirmSameDay',
  'shared',
  'adjustments',
  'hearingOn',
  'peopleServices',
  'result',
  'action',
  'grounds',
  'verb',
  'action.0.text',
  'action.0.owner',
  'action.0.due',
  'area.supervision.notes',
  'area.career-conversation.notes',
  'field.overallRating',
  'field.objectivesMet',
  'field.supervisionFrequencyWeeks',
  'prep.wellbeing',
  'plan.0.text',
  'plan.0.by',
  '__proto__',
  'constructor',
];

const BIG = 100 * 1024;

/** Strings that break things: huge, control characters, key-breaking ids, markup, forged ETags. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u0007\u001b[31m',
    '\r\n',
    '\u202e\u200b',
    '../../etc/passwd',
    'a/b',
    'a\\b',
    'a#b',
    'a?b=c',
    "a'b",
    "PartitionKey eq 'x' or true",
    '${employeeId}',
    '<at>Bot</at>',
    '<script>alert(1)</script>',
    '=HYPERLINK("http://evil.example")',
    'W/"datetime\'2026-12-03T12%3A00%3A00.0000000Z\'"',
    '*',
    'NaN',
    '-1',
    '1e400',
    '99999999999999999999',
    '2026-02-30',
    '9999-12-31',
    '0000-00-00',
    'true',
    '__proto__',
    'toString',
  ),
  fc.constantFrom('x', 'é', '😀', '\u0000', '/').map((c) => c.repeat(BIG / c.length)),
  fc.tuple(fc.constantFrom('', 'forged-', 'id-'), fc.uuid()).map(([p, u]) => `${p}${u}`),
  fc
    .tuple(fc.constantFrom(REPORT, MANAGER), fc.constantFrom('/', '\\', '#', '?', '\u0000', '\u001f', ' '))
    .map(([id, c]) => `${id}${c}`),
);

/** Values of the wrong type where strings are expected, and hostile strings. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 4 }),
  fc.object({ maxDepth: 2 }),
);

/** The ids that are not the actor's to use: other people's, forged, malformed, wrongly typed. */
const foreignId = (actor: Actor): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...[HEAD, OTHER_MANAGER, OTHER, UNKNOWN, PEOPLE_SERVICES].filter((id) => id !== actor)),
    hostileString,
    hostileValue,
  );

/** One generated turn: who acts, whether ids are real, and the data the button posts. */
interface Case {
  readonly actor: Actor;
  readonly realIds: boolean;
  readonly data: Record<string, unknown>;
}

/** Data with any known keys and a few extra ones, each with a hostile value; ids as the case asks. */
function caseFor(real: () => { employeeId: string[]; conversationId: string[]; etag: string[] }) {
  return fc
    .oneof(
      fc.record({ actor: fc.constantFrom(...OUTSIDERS), realIds: fc.boolean() }),
      fc.record({ actor: fc.constantFrom(...INSIDERS), realIds: fc.boolean() }),
    )
    .chain(({ actor, realIds }) => {
      const pools = real();
      const idOf = (key: 'employeeId' | 'conversationId' | 'etag'): fc.Arbitrary<unknown> =>
        realIds || key === 'etag' ? fc.oneof(fc.constantFrom(...pools[key]), hostileValue) : foreignId(actor);
      return fc
        .record({
          known: fc.dictionary(fc.constantFrom(...KNOWN_KEYS), hostileValue, { maxKeys: 8 }),
          extra: fc.dictionary(fc.string({ maxLength: 20 }), hostileValue, { maxKeys: 3 }),
          employeeId: fc.option(idOf('employeeId'), { nil: undefined, freq: 5 }),
          conversationId: fc.option(idOf('conversationId'), { nil: undefined, freq: 5 }),
          etag: fc.option(idOf('etag'), { nil: undefined, freq: 3 }),
        })
        .map(({ known, extra, employeeId, conversationId, etag }): Case => {
          const data: Record<string, unknown> = { ...extra, ...known };
          if (employeeId !== undefined) data.employeeId = employeeId;
          if (conversationId !== undefined) data.conversationId = conversationId;
          if (etag !== undefined) data.etag = etag;
          return { actor, realIds, data };
        });
    });
}

/** The tables whose content a refused action must leave as it was (times and ETags left out). */
async function snapshot(h: BotHarness): Promise<Record<string, string[]>> {
  const t = h.tables;
  const stores: Record<string, TableStore> = {
    employees: t.employees,
    team: t.team,
    rollups: t.rollups,
    conversations: t.conversations,
    audit: t.audit,
    nudgeLedger: t.nudgeLedger,
    exceptions: t.exceptions,
    meetings: t.meetings,
  };
  const drop = new Set(['etag', 'timestamp', 'odata.metadata', 'generation']);
  const entries = await Promise.all(
    Object.entries(stores).map(async ([name, table]) => {
      const rows: string[] = [];
      for await (const e of table.listEntities<Record<string, unknown>>()) {
        const kept = Object.entries(e)
          .filter(([k]) => !drop.has(k))
          .sort(([a], [b]) => (a < b ? -1 : 1));
        rows.push(JSON.stringify(kept));
      }
      return [name, rows.sort()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** What changed between two snapshots, table by table, shortened for a failure message. */
function changes(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(before)) {
    const was = new Set(before[name]);
    const now = new Set(after[name]);
    for (const row of after[name]!) if (!was.has(row)) out.push(`${name} + ${row.slice(0, 200)}`);
    for (const row of before[name]!) if (!now.has(row)) out.push(`${name} - ${row.slice(0, 200)}`);
  }
  return out;
}

const APOLOGY = text.errors.turnFailed('REF').split('REF')[0]!.slice(0, 40);

/** Checks a turn answered with a card: the invoke 200 with an Adaptive Card, or a message with one. */
function answeredWithCard(
  replies: Partial<Activity>[],
  invoke: boolean,
  what: string,
): Record<string, unknown> {
  const shown = JSON.stringify(replies).slice(0, 400);
  for (const r of replies)
    assert.ok(!(r.text ?? '').startsWith(APOLOGY), `${what}: the turn failed: ${shown}`);
  let card: unknown;
  if (invoke) {
    const response = replies.find((r) => r.type === 'invokeResponse');
    const value = response?.value as
      { status?: number; body?: { type?: string; value?: unknown } } | undefined;
    assert.equal(value?.status, 200, `${what}: invoke answered ${shown}`);
    assert.equal(value?.body?.type, 'application/vnd.microsoft.card.adaptive', `${what}: ${shown}`);
    card = value?.body?.value;
  } else {
    card = replies.find((r) => r.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive')
      ?.attachments?.[0]?.content;
    assert.ok(card !== undefined, `${what}: no card in ${shown}`);
  }
  // A failed card action is answered with the apology card (still a 200): that is a failed turn too.
  assert.ok(
    !JSON.stringify(card).includes(text.errors.actionFailedTitle),
    `${what}: the action failed: ${shown}`,
  );
  assert.deepEqual(cardProblems(card), [], `${what}: the answer card is not one Teams shows`);
  return card as Record<string, unknown>;
}

const from = (actor: Actor) =>
  actor === undefined ? { name: 'No Id' } : { aadObjectId: actor, name: nameOf(actor) };

describe('bad input: random and hostile data, typed text and tab requests (fast-check, Azurite)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let graph: GraphFixture;
  let h: BotHarness;
  const real = { employeeId: [REPORT, MANAGER], conversationId: [] as string[], etag: [] as string[] };

  /**
   * Runs a property with the suite's seed, naming it in the failure so the run can be repeated. No
   * shrinking: each run changes the stored state the next one sees, so a shrunk case would not replay.
   */
  const check = async <T>(
    name: string,
    arbitrary: fc.Arbitrary<T>,
    run: (value: T) => Promise<void>,
    numRuns = RUNS_PER_VERB,
  ) => {
    const result = await fc.check(fc.asyncProperty(arbitrary, run), {
      seed: SEED,
      numRuns,
      endOnFailure: true,
    });
    if (result.failed) {
      const input = JSON.stringify(result.counterexample, (_k, v: unknown) =>
        typeof v === 'string' && v.length > 300 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
      );
      const error =
        result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      assert.fail(
        `${name} failed (seed ${SEED}, path ${result.counterexamplePath ?? ''}; BAD_INPUT_SEED=${SEED}):\n${error}\ninput: ${input?.slice(0, 1500)}`,
      );
    }
  };

  const invoke = async (verb: string, data: Record<string, unknown>, actor: string) =>
    answeredWithCard(await h.turn(cardAction({ verb, data: { ...data, verb } }, from(actor))), true, verb);

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
    graph = await startGraphFixture({ employees: people });
    h = await botHarness({
      azurite,
      people,
      today: TODAY,
      policy: CAREER_CONVERSATIONS,
      graph,
      odMembers: [PEOPLE_SERVICES],
    });
    // A completed supervision and a booked career conversation for Rhys: real ids and ETags to forge around.
    const form = await invoke('log', { employeeId: REPORT, typeId: 'supervision' }, MANAGER);
    const notes = Object.fromEntries(
      CAREER_CONVERSATIONS.conversationTypes
        .find((t) => t.id === 'supervision')!
        .areas.map((a) => [`area.${a.id}.notes`, `Talked about ${a.title}.`]),
    );
    const saved = await invoke(
      'log.save',
      {
        ...buttonData(form, 'log.save'),
        date: '2026-12-01',
        minutes: '60',
        positionNumber: 'P0003',
        ...notes,
      },
      MANAGER,
    );
    assert.match(cardText(saved), /Saved/, cardText(saved));
    const slots = await invoke('schedule', { employeeId: REPORT }, MANAGER);
    const choices = (slots.body as Record<string, unknown>[]).find((b) => b.id === 'slot')?.choices as
      { value: string }[] | undefined;
    if (choices?.[0] !== undefined)
      await invoke(
        'schedule.book',
        { ...buttonData(slots, 'schedule.book'), slot: choices[0].value },
        MANAGER,
      );
    for (const r of await h.records.conversations.listForEmployee(REPORT)) {
      real.conversationId.push(r.value.id);
      real.etag.push(r.etag);
    }
    assert.ok(real.conversationId.length >= 1, 'a record to forge around');
  });

  after(async () => {
    await graph?.close();
    await azurite?.stop();
  });

  describe('card data for every verb', () => {
    for (const verb of Object.values(Verb)) {
      it(`${verb}: always answers with a card; outsiders and foreign ids change nothing`, async () => {
        let baseline = await snapshot(h);
        let changed = 0;
        const arbitrary = fc.tuple(
          caseFor(() => real),
          fc.boolean(),
        );
        await check(verb, arbitrary, async ([c, asSubmit]) => {
          const sentBefore = h.notifier.sent.length;
          const activity = asSubmit
            ? submit({ ...c.data, verb }, from(c.actor))
            : cardAction({ verb, data: { ...c.data, verb } }, from(c.actor));
          const what = `${verb} ${asSubmit ? 'submit' : 'execute'} by ${nameOf(c.actor ?? '') ?? c.actor ?? 'no id'}`;
          answeredWithCard(await h.turn(activity), !asSubmit, what);
          const after = await snapshot(h);
          // Otto and Orla are in the directory: asking their own manager for a supervision is theirs to do.
          const inDirectory = c.actor === OTHER || c.actor === OTHER_MANAGER;
          const outsider = OUTSIDERS.includes(c.actor) && !(inDirectory && OWN_ACTION_VERBS.has(verb));
          const foreign = !c.realIds && !OWN_ACTION_VERBS.has(verb);
          if (outsider || foreign) {
            assert.deepEqual(changes(baseline, after), [], `${what}: stored data changed`);
            assert.equal(h.notifier.sent.length, sentBefore, `${what}: someone was sent a card`);
          } else {
            // A change an insider may make: what is stored still reads back.
            for (const id of [REPORT, MANAGER]) await h.records.conversations.listForEmployee(id);
            if (changes(baseline, after).length > 0) changed++;
            baseline = after;
          }
          for (const r of await h.records.conversations.listForEmployee(REPORT))
            if (!real.conversationId.includes(r.value.id)) real.conversationId.push(r.value.id);
        });
        if (process.env.BAD_INPUT_VERBOSE) console.log(`${verb}: ${changed} runs changed data`);
      });
    }
  });

  describe('the people who may act, with their own ids and hostile fields', () => {
    /** Every string stored in Rhys's records: a hostile value is refused, so none is over a field's limit. */
    const storedStrings = async (): Promise<string[]> => {
      const out: string[] = [];
      const walk = (node: unknown): void => {
        if (typeof node === 'string') out.push(node);
        else if (Array.isArray(node)) node.forEach(walk);
        else if (typeof node === 'object' && node !== null) Object.values(node).forEach(walk);
      };
      for (const r of await h.records.conversations.listForEmployee(REPORT)) walk(r.value);
      return out;
    };
    const FIELDS = [
      'prep.wellbeing',
      'adjustments',
      'shared',
      'version',
      'comments',
      'grounds',
      'date',
      'minutes',
      'positionNumber',
      'action.0.text',
      'action.0.owner',
      'action.0.due',
      'field.overallRating',
      'confirmSameDay',
      ...CAREER_CONVERSATIONS.conversationTypes.flatMap((t) =>
        t.areas.flatMap((a) => [`area.${a.id}.notes`, `prep.${a.id}`]),
      ),
    ];
    const acts: readonly { verb: string; actor: string; data: () => Promise<Record<string, unknown>> }[] = [
      {
        verb: Verb.prepSave,
        actor: REPORT,
        data: async () => {
          const booked = (await h.records.conversations.listForEmployee(REPORT)).find(
            (r) => r.value.status === 'scheduled',
          );
          return { employeeId: REPORT, conversationId: booked?.value.id ?? real.conversationId[1] };
        },
      },
      {
        verb: Verb.acknowledge,
        actor: REPORT,
        data: async () => {
          const done = (await h.records.conversations.listForEmployee(REPORT)).find(
            (r) => r.value.status === 'completed',
          );
          return { employeeId: REPORT, conversationId: done?.value.id, etag: done?.etag };
        },
      },
      {
        verb: Verb.logSave,
        actor: MANAGER,
        data: () => Promise.resolve({ employeeId: REPORT, typeId: 'supervision' }),
      },
      {
        verb: Verb.appealSubmit,
        actor: REPORT,
        data: async () => {
          const done = (await h.records.conversations.listForEmployee(REPORT)).find(
            (r) => r.value.status === 'completed',
          );
          return { employeeId: REPORT, conversationId: done?.value.id };
        },
      },
    ];
    for (const act of acts) {
      it(`${act.verb}: answers, and stores nothing over a field's limit or of the wrong type`, async () => {
        await check(
          `${act.verb} with hostile fields`,
          fc.tuple(
            fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { minKeys: 1, maxKeys: 10 }),
            fc.boolean(),
          ),
          async ([fields, asSubmit]) => {
            const data = { ...fields, ...(await act.data()), verb: act.verb };
            const activity = asSubmit
              ? submit(data, from(act.actor))
              : cardAction({ verb: act.verb, data }, from(act.actor));
            answeredWithCard(await h.turn(activity), !asSubmit, `${act.verb} by ${nameOf(act.actor)}`);
            const long = (await storedStrings()).filter((v) => v.length > 1000);
            assert.deepEqual(
              long.map((v) => `${v.slice(0, 40)}… (${v.length})`),
              [],
              'a stored text over its limit',
            );
          },
          30,
        );
      });
    }
  });

  describe('typed text', () => {
    const typed = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('x', 'é', '😀', ' ', '\u0000').map((c) => c.repeat(BIG / c.length)),
      fc
        .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 }))
        .map(([n, t]) => `<at>${n}</at> ${t}`),
      fc.constantFrom(
        '<at>Bot</at>',
        '<at></at><at>',
        '<at>a<b</at> help',
        '<AT>x</AT>overdue in <at>',
        '</at>',
      ),
    );
    it('answers any text with a card (help with suggestions when not understood), never an error', async () => {
      await check(
        'typed text',
        fc.tuple(typed, fc.constantFrom<Actor>(MANAGER, REPORT, UNKNOWN, undefined)),
        async ([said, actor]) => {
          answeredWithCard(await h.turn(message(said, from(actor))), false, `"${said.slice(0, 40)}"`);
        },
        120,
      );
    });
  });

  describe('tab API over HTTP', () => {
    let app: RunningApp;
    let jwks: Listening;
    let key: CryptoKey;
    const sign = (oid: string) =>
      new SignJWT({ oid, tid: TENANT, name: nameOf(oid), scp: 'access_as_user', ver: '2.0' })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k' })
        .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);

    before(async () => {
      const pair = await generateKeyPair('RS256');
      key = pair.privateKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
      const keys = express();
      keys.get('/keys', (_req, res) => {
        res.json({ keys: [jwk] });
      });
      jwks = await listen(keys, 0, '127.0.0.1');
      app = await startApp({
        config: readConfig({
          HOST: '127.0.0.1',
          PORT: String(await freePort()),
          STORAGE_CONNECTION_STRING: azurite.connectionString,
          TAB_API_AUDIENCE: AUDIENCE,
          TAB_JWKS_URL: `http://127.0.0.1:${jwks.port}/keys`,
          OD_MEMBERS: PEOPLE_SERVICES,
          POLICY: 'career-conversations',
          MICROSOFT_APP_ID: '6f2c1a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
          MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
          MICROSOFT_APP_TENANT_ID: TENANT,
        }),
        tables: h.tables,
        policy: CAREER_CONVERSATIONS,
        clock: h.clock,
        tabDir: '/nonexistent',
        storagePrefix: 'badinput',
      });
    });
    after(async () => {
      await Promise.all([app?.stop(), jwks?.close()]);
    });

    /** A 4xx with an ApiError body, or (for a filter that matches nothing) a 200 with JSON or CSV. */
    const refusedOrAnswered = async (response: Response, what: string, allowOk: boolean) => {
      const body = await response.text();
      assert.ok(response.status < 500, `${what}: ${response.status} ${body.slice(0, 300)}`);
      // Node's HTTP parser refuses a request line over its 16 KB header limit before the service sees it.
      if (response.status === 431) return;
      if (response.status >= 400) {
        const error = JSON.parse(body) as ApiError;
        assert.equal(typeof error.error, 'string', `${what}: ${body.slice(0, 300)}`);
        assert.equal(typeof error.message, 'string', `${what}: ${body.slice(0, 300)}`);
      } else {
        assert.ok(allowOk, `${what}: answered ${response.status} ${body.slice(0, 200)}`);
      }
    };

    const healthy = async () => {
      const response = await fetch(`${app.service.url}/healthz`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    };

    /** A query-string value as a hostile client writes it: repeated, bracketed, huge, encoded or raw. */
    // Short enough that four fit in Node's 16 KB of headers; one value is over it on purpose.
    const short = hostileString.map((v) => v.slice(0, 300));
    const queryValue = fc.oneof(
      short.map((v) => `=${encodeURIComponent(v)}`),
      fc.array(short, { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `=${encodeURIComponent(v)}`)),
      fc.constant(`=${'9'.repeat(5_000)}`),
      fc.constantFrom(
        '[]=a',
        '[a]=b',
        '[__proto__][x]=1',
        '[0]=1&x[1]=2',
        '=%',
        '=%ZZ',
        '=%00',
        '',
        '[length]=9',
      ),
      fc.constant(`=${'9'.repeat(50_000)}`),
    );
    const GET_PATHS = [
      '/api/team',
      '/api/team.csv',
      '/api/org',
      '/api/org.csv',
      '/api/org/list',
      '/api/org/list.csv',
    ];
    const NAMES = ['quarter', 'node', 'kind', 'department', '__proto__', 'constructor'];
    /** The parameters each route reads and must refuse when hostile (department filters, so it may match nobody). */
    const READS: Record<string, readonly string[]> = {
      '/api/team': ['quarter'],
      '/api/team.csv': ['quarter'],
      '/api/org': ['node', 'quarter'],
      '/api/org.csv': ['node', 'quarter'],
      '/api/org/list': ['kind', 'node'],
      '/api/org/list.csv': ['kind', 'node'],
    };

    it('refuses hostile query strings with a 4xx and an ApiError body, for a manager, a head and OD', async () => {
      const tokens = {
        manager: await sign(MANAGER),
        head: await sign(HEAD),
        od: await sign(PEOPLE_SERVICES),
      };
      await check(
        'tab query strings',
        fc.record({
          path: fc.constantFrom(...GET_PATHS),
          who: fc.constantFrom<keyof typeof tokens>('manager', 'head', 'od'),
          params: fc.array(fc.tuple(fc.constantFrom(...NAMES), queryValue), { minLength: 1, maxLength: 4 }),
          kind: fc.constantFrom('', 'kind=overdue&', 'kind=none-12m&'),
        }),
        async ({ path, who, params, kind }) => {
          const query = params
            .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}${v}`))
            .join('&');
          const response = await fetch(`${app.service.url}${path}?${kind}${query}`, {
            headers: { authorization: `Bearer ${tokens[who]}` },
          });
          // What the route reads, parsed as Express does: a value there must be refused; a department
          // that matches nobody, or a parameter the route does not read, is an answer, not an error.
          const seen = parse(`${kind}${query}`);
          const valid = (name: string) =>
            seen[name] === undefined ||
            seen[name] === '' ||
            (name === 'kind' && ['overdue', 'none-12m'].includes(String(seen.kind)));
          const read = READS[path]!.filter((name) => !valid(name));
          const what = `${who} GET ${path}?${kind}${query.slice(0, 200)}`;
          await refusedOrAnswered(response, what, read.length === 0);
        },
        120,
      );
      await healthy();
    });

    it('refuses hostile ids and bodies on the POST routes with a 4xx and an ApiError body, and stays up', async () => {
      // Each caller with ids that are not their current reports (the limiter allows 20 cards each).
      const notTheirs: Record<string, readonly string[]> = {
        [MANAGER]: [OTHER, HEAD, UNKNOWN, PEOPLE_SERVICES, MANAGER],
        [OTHER_MANAGER]: [REPORT, HEAD, UNKNOWN, PEOPLE_SERVICES, OTHER_MANAGER],
        [HEAD]: [REPORT, OTHER, UNKNOWN, HEAD],
      };
      const tokens = Object.fromEntries(
        await Promise.all(Object.keys(notTheirs).map(async (id) => [id, await sign(id)] as const)),
      );
      const before = await snapshot(h);
      await check(
        'tab POST routes',
        fc.record({
          who: fc.constantFrom(...Object.keys(notTheirs)),
          pick: fc.nat(),
          kindOfId: fc.constantFrom('person', 'path', 'hostile'),
          hostile: hostileString.map((s) => encodeURIComponent(s.slice(0, 2000)) || '%20'),
          path: fc.constantFrom(`${REPORT}/x`, `${REPORT}%2F..`, '%00', '..', '%E0%A4%A', `${OTHER}%23`),
          route: fc.constantFrom('schedule', 'log'),
          body: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom('{', 'null', '[]', '{"__proto__":{"x":1}}', 'not json', '\u0000'),
            fc.constant(`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`),
            fc.anything().map((v) => JSON.stringify(v) ?? 'undefined'),
          ),
          contentType: fc.constantFrom(
            'application/json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            '',
          ),
        }),
        async ({ who, pick, kindOfId, hostile, path: odd, route, body, contentType }) => {
          const ids = notTheirs[who]!;
          const employeeId =
            kindOfId === 'person' ? ids[pick % ids.length]! : kindOfId === 'path' ? odd : hostile;
          const token = tokens[who]!;
          const path = `/api/team/${employeeId}/${route}`;
          const response = await fetch(`${app.service.url}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              ...(contentType ? { 'content-type': contentType } : {}),
            },
            body,
          });
          await refusedOrAnswered(
            response,
            `POST ${path.slice(0, 200)} (${contentType}, ${body?.length ?? 0} bytes)`,
            false,
          );
        },
        50,
      );
      // The bot endpoint's own parser: not JSON, too large, or the wrong type.
      for (const [body, contentType] of [
        ['{', 'application/json'],
        [`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`, 'application/json'],
        ['<xml/>', 'application/xml'],
        ['[]', 'application/json'],
      ] as const) {
        const response = await fetch(`${app.service.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
        const answer = await response.text();
        assert.ok(
          response.status >= 400 && response.status < 500,
          `/api/messages ${body.slice(0, 20)}: ${response.status} ${answer.slice(0, 200)}`,
        );
      }
      assert.deepEqual(changes(before, await snapshot(h)), [], 'refused POSTs changed nothing');
      await healthy();
    });
  });
});

/** Every card template, filled with realistic and with extreme data, parses cleanly and fits in 40 KB. */
import { strict as assert } from 'node:assert';
import { createHelpCard } from '../bot/cards/help-card';
import { createWelcomeCard } from '../bot/cards/welcome-card';
import { MAX_CARD_BYTES, renderTemplate } from '../bot/cards/card';
import { mainAreas } from '../bot/policy';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { COMMANDS } from '../bot/teams/commands';
import { createTeamCard } from '../bot/cards/team-card';
import { createScheduleCard } from '../bot/cards/schedule-card';
import { createPrepCard } from '../bot/cards/prep-card';
import { createRecordFormCard, type RecordFormCardData } from '../bot/cards/record-form-card';
import { createRecordCard, type RecordCardData } from '../bot/cards/record-card';
import { createConversationsCard } from '../bot/cards/conversations-card';
import { createNoticeCard } from '../bot/cards/notice-card';
import { LIMITS, MAX_ACTIONS, extraFields, inputId } from '../bot/conversations/record-form';
import { type ConversationType } from '../core/policy/schema';
import { cardProblems, cardText } from './support/cards';

const long = (n: number) => 'Ünïcødé “quoted” ${notAbinding} <b>html</b> & more '.repeat(n).slice(0, n);

const pcType = PROFESSIONAL_CONVERSATION.conversationTypes[0]!;
const careerType = CAREER_CONVERSATIONS.conversationTypes.find((t) => t.id === 'career-conversation')!;

/** A record form for a type, with every text at `size` characters (or realistic text when small). */
function recordForm(type: ConversationType, size: number | undefined): RecordFormCardData {
  const say = (what: string, limit: number) =>
    size === undefined ? what : long(size > limit ? size : limit);
  const allErrors: Record<string, string> = {};
  if (size !== undefined) {
    for (const a of type.areas)
      for (const f of type.areaFields) allErrors[inputId.area(a.id, f.id)] = long(120);
    for (let n = 0; n < MAX_ACTIONS; n++) allErrors[inputId.actionText(n)] = long(120);
    Object.assign(allErrors, { date: long(120), minutes: long(120), positionNumber: long(120) });
  }
  return {
    employeeId: 'e1',
    employeeName: size === undefined ? 'Owen Price' : long(200),
    managerName: size === undefined ? 'Grace Hughes' : long(200),
    conversationId: 'c1',
    typeId: type.id,
    typeLabel: type.label,
    etag: 'W/"datetime\'2026-11-23T12%3A00%3A00Z\'"',
    minutesRange: { min: type.duration.minMinutes, max: type.duration.maxMinutes },
    areas: type.areas,
    areaFields: type.areaFields.map((f) => ({ id: f.id, label: f.label })),
    extraFields: extraFields(type),
    previousActions: Array.from({ length: size === undefined ? 2 : MAX_ACTIONS }, (_, i) => ({
      id: `a${i}`,
      text: say('Book the EDI refresher', LIMITS.action),
      owner: 'employee',
      dueDate: '2027-01-31',
    })),
    values: {
      date: '2026-11-23',
      minutes: '30',
      positionNumber: say('P12345', LIMITS.positionNumber),
      areas: Object.fromEntries(
        type.areas.map((a) => [
          a.id,
          Object.fromEntries(type.areaFields.map((f) => [f.id, say('Talked it through.', LIMITS.areaField)])),
        ]),
      ),
      actions: Array.from({ length: size === undefined ? 1 : MAX_ACTIONS }, () => ({
        text: say('Shadow the duty team', LIMITS.action),
        owner: 'manager',
        due: '2027-02-28',
      })),
      reviewedDone: ['a0'],
      fields: {},
    },
    actionRows: 2,
    prep: {
      areas: type.areas.map((a) => ({ title: a.title, text: say('Workload', LIMITS.prepArea) })),
    },
    adjustments: say('A quiet room', LIMITS.adjustments),
    errors: allErrors,
    message: size === undefined ? undefined : long(300),
  };
}

function recordCopy(type: ConversationType, size: number | undefined): RecordCardData {
  const say = (what: string, limit: number) => (size === undefined ? what : long(limit));
  return {
    employeeId: 'e1',
    conversationId: 'c1',
    etag: 'W/"1"',
    title: `${type.label} on 23 Nov 2026`,
    parties: 'Owen Price with Grace Hughes',
    positionNumber: 'P12345',
    minutes: 30,
    areas: type.areas.map((a) => ({
      title: a.title,
      notes: say('Settled in well.', LIMITS.areaField),
      outcomes: say('Keep Friday check-ins.', LIMITS.areaField),
    })),
    actions: Array.from({ length: size === undefined ? 2 : MAX_ACTIONS }, () =>
      say('Book the refresher — Employee, due 31 Jan 2027', LIMITS.action),
    ),
    facts: [{ title: 'Agreed overall rating', value: 'Meets objectives and values' }],
    acknowledgedAt: size === undefined ? undefined : '24 Nov 2026',
    comments: size === undefined ? undefined : long(LIMITS.comments),
    canAcknowledge: size === undefined,
    message: 'Saved.',
    refreshUserIds: ['29:a', '29:b'],
  };
}

/** Text at a field's limit in a script of 3 bytes a character (the byte limit binds: 1.5 × max bytes). */
const wide = (max: number) => '会話の記録と行動'.repeat(max).slice(0, Math.floor(max / 2));

function wideForm(previous: number): RecordFormCardData {
  const base = recordForm(pcType, LIMITS.areaField);
  return {
    ...base,
    previousActions: Array.from({ length: previous }, (_, i) => ({
      id: `a${i}`,
      text: wide(LIMITS.action),
      owner: 'employee',
      dueDate: '2027-01-31',
    })),
    values: {
      ...base.values,
      areas: Object.fromEntries(
        pcType.areas.map((a) => [a.id, { notes: wide(LIMITS.areaField), outcomes: wide(LIMITS.areaField) }]),
      ),
      actions: Array.from({ length: MAX_ACTIONS }, () => ({
        text: wide(LIMITS.action),
        owner: 'manager',
        due: '2027-02-28',
      })),
    },
    prep: { areas: pcType.areas.map((a) => ({ title: a.title, text: wide(LIMITS.prepArea) })) },
    adjustments: wide(LIMITS.adjustments),
  };
}

describe('cards', () => {
  const teamRow = (i: number, size?: number) => ({
    employeeId: `e${i}`,
    name: size ? long(size) : `Team Member ${i}`,
    status: 'Overdue · 12 days overdue',
    statusColor: 'Attention' as const,
    held: '1 of 4 in 12 months',
    last: 'Last: 3 Jun 2026',
    next: 'Next due: 26 Aug 2026',
    actions: '2 open actions (1 past due)',
  });
  const cases = {
    'team, one page': createTeamCard({
      title: "Grace Hughes's team",
      summary: '3 direct reports',
      rows: [1, 2, 3].map((i) => teamRow(i)),
      page: 1,
      pages: 1,
    }),
    'team, middle page, extreme names': createTeamCard({
      title: long(300),
      summary: long(300),
      rows: Array.from({ length: 8 }, (_, i) => teamRow(i, 400)),
      page: 2,
      pages: 30,
    }),
    'team, empty': createTeamCard({
      title: 'Team',
      summary: '0 direct reports',
      rows: [],
      page: 1,
      pages: 1,
    }),
    'schedule, slots': createScheduleCard({
      title: 'Schedule',
      employeeId: 'e1',
      typeId: 'professional-conversation',
      lengths: [10, 15, 30, 45, 60],
      minutes: 30,
      slots: [1, 2, 3].map((i) => ({
        value: `${i}000000000000/${i}000001800000`,
        label: `Mon ${i} Dec 2026, 09:00–09:30`,
      })),
      conversationId: 'c1',
      workingDays: 10,
      canLog: true,
    }),
    'schedule, none free, message': createScheduleCard({
      title: long(400),
      employeeId: 'e1',
      typeId: 't',
      lengths: [30],
      minutes: 30,
      slots: [],
      conversationId: 'c1',
      message: long(500),
      workingDays: 10,
      canLog: false,
    }),
    'prep, realistic': createPrepCard({
      managerName: 'Grace Hughes',
      when: 'Mon 30 Nov 2026, 09:00–09:30',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/x',
      conversationId: 'c1',
      employeeId: 'e1',
      version: '',
      areas: pcType.areas.map((a) => ({ ...a, value: '' })),
      shared: false,
      adjustments: '',
      askAdjustments: true,
    }),
    'prep, extreme': createPrepCard({
      managerName: long(300),
      when: long(100),
      conversationId: 'c1',
      employeeId: 'e1',
      version: '',
      areas: pcType.areas.map((a) => ({ ...a, value: long(LIMITS.prepArea) })),
      shared: true,
      adjustments: long(LIMITS.adjustments),
      askAdjustments: true,
      message: long(300),
      errors: Object.fromEntries(pcType.areas.map((a) => [`prep.${a.id}`, long(100)])),
    }),
    'record form, council, realistic': createRecordFormCard(recordForm(pcType, undefined)),
    'record form, council, every field at its limit with errors': createRecordFormCard(
      recordForm(pcType, LIMITS.areaField),
    ),
    'record form, council, pasted text far past the limits': createRecordFormCard(recordForm(pcType, 20_000)),
    'record form, NHS career conversation (rating, objectives met)': createRecordFormCard(
      recordForm(careerType, undefined),
    ),
    'record form, NHS career conversation, extreme': createRecordFormCard(
      recordForm(careerType, LIMITS.areaField),
    ),
    'record form, 3-byte text at every limit, 120 open actions from last time': createRecordFormCard(
      wideForm(120),
    ),
    'record copy, 3-byte text at every limit, 90 actions': createRecordCard(
      {
        ...recordCopy(pcType, 1),
        areas: pcType.areas.map((a) => ({
          title: a.title,
          notes: wide(LIMITS.areaField),
          outcomes: wide(LIMITS.areaField),
        })),
        actions: Array.from({ length: 90 }, () => wide(LIMITS.action)),
        comments: wide(LIMITS.comments),
      },
      wide(LIMITS.comments),
    ),
    'record copy, realistic': createRecordCard(recordCopy(pcType, undefined)),
    'record copy, extreme': createRecordCard(recordCopy(pcType, 1), long(LIMITS.comments)),
    'conversations list': createConversationsCard({
      title: 'My conversations',
      employeeId: 'e1',
      lines: [
        {
          conversationId: 'c1',
          label: '23 Nov 2026 · Professional Conversation · held',
          canPrepare: false,
          canOpen: true,
        },
        { conversationId: 'c2', label: '30 Nov 2026 · booked', canPrepare: true, canOpen: false },
      ],
      more: 0,
    }),
    'conversations list, extreme': createConversationsCard({
      title: long(300),
      summary: long(300),
      employeeId: 'e1',
      lines: Array.from({ length: 12 }, (_, i) => ({
        conversationId: `c${i}`,
        label: long(300),
        canPrepare: i % 2 === 0,
        canOpen: i % 2 === 1,
      })),
      more: 400,
    }),
    'notice with details and buttons': createNoticeCard({
      title: 'Adjustments',
      message: long(2000),
      details: [long(LIMITS.adjustments)],
      tone: 'warning',
      actions: [{ title: 'Log', verb: 'log', data: { employeeId: 'e1' } }],
    }),
    'welcome, manager (council preset)': createWelcomeCard({
      firstName: 'Grace',
      role: { kind: 'manager', directReports: 15, overdue: 2, dueSoon: 3 },
      areas: mainAreas(PROFESSIONAL_CONVERSATION),
    }),
    'welcome, employee (NHS preset)': createWelcomeCard({
      firstName: 'Owen',
      role: { kind: 'employee', managerName: 'Grace Hughes', status: 'Due soon', nextDue: '30 Nov 2026' },
      upcoming: { conversationId: 'c1', when: 'Mon 30 Nov 2026, 09:00–09:30' },
      od: true,
      areas: mainAreas(CAREER_CONVERSATIONS),
    }),
    'welcome, extreme': createWelcomeCard({
      firstName: long(300),
      role: { kind: 'employee', managerName: long(500) },
      areas: Array.from({ length: 40 }, () => long(400)),
    }),
    'welcome, unknown, no name': createWelcomeCard({ role: { kind: 'unknown' }, areas: [] }),
    help: createHelpCard({ commands: COMMANDS }),
    'help, unknown text, suggestions': createHelpCard({
      commands: COMMANDS,
      unknownText: 'hlep',
      suggestions: COMMANDS.slice(0, 1),
    }),
    'help, extreme unknown text': createHelpCard({
      commands: COMMANDS,
      unknownText: long(20_000),
      suggestions: [],
    }),
  };

  for (const [name, card] of Object.entries(cases)) {
    it(`${name}: parses with no errors or warnings and is under 40 KB`, () => {
      assert.deepEqual(cardProblems(card), []);
      assert.equal(card.version, '1.5');
    });
  }

  it('a record copy speaks to its reader about acknowledging, and says which key areas were not discussed', () => {
    const areas = pcType.areas.map((a, i) => ({
      title: a.title,
      notes: i === 0 ? 'Settled in well.' : '',
      outcomes: i === 1 ? 'Keep Friday check-ins.' : '',
    }));
    const own = cardText(createRecordCard({ ...recordCopy(pcType, undefined), areas, canAcknowledge: true }));
    assert.match(own, /You have not acknowledged this record yet/);
    assert.doesNotMatch(own, /by the employee/, "the employee's own copy never calls them 'the employee'");
    const managers = cardText(
      createRecordCard({ ...recordCopy(pcType, undefined), areas, canAcknowledge: false }),
    );
    assert.match(managers, /Not yet acknowledged by the employee/);
    // Three areas hold nothing: each says so under its heading, the two with text do not.
    assert.equal(own.match(/Not discussed\./g)?.length, pcType.areas.length - 2);
    for (const area of pcType.areas.slice(2))
      assert.match(own, new RegExp(`${area.title.replace(/[()&]/g, '.')}\\s+Not discussed`));
  });

  it('keeps user text literal: a ${...} in data is not evaluated as a binding', () => {
    const card = createHelpCard({ commands: COMMANDS, unknownText: 'show ${commands}' });
    assert.match(cardText(card), /did not understand “show \$\{commands\}”/);
  });

  it('truncates an echoed unknown text to one line of 80 characters', () => {
    const text = cardText(createHelpCard({ commands: COMMANDS, unknownText: 'x'.repeat(500) }));
    assert.match(text, /“x{79}…”/);
  });

  it('keeps the typed text on a record form returned with errors', () => {
    const card = cases['record form, council, every field at its limit with errors'];
    assert.ok(JSON.stringify(card).includes(JSON.stringify(long(LIMITS.areaField)).slice(1, -1)));
    assert.ok(JSON.stringify(card).length > 20_000);
  });

  it('refuses to render a card over the 40 KB Teams limit', () => {
    const template = {
      type: 'AdaptiveCard' as const,
      version: '1.5',
      body: [{ type: 'TextBlock', text: '${big}' }],
    };
    assert.throws(() => renderTemplate(template, { big: 'x'.repeat(MAX_CARD_BYTES) }), /Teams allows 40960/);
  });

  it('every button is Action.Execute (1.5) with an Action.Submit fallback carrying the same verb', () => {
    const actions =
      JSON.stringify(cases['help, unknown text, suggestions']).match(/"type":"Action\.[A-Za-z]+"/g) ?? [];
    assert.equal(
      actions.filter((a) => a.includes('Execute')).length,
      actions.filter((a) => a.includes('Submit')).length,
    );
    assert.ok(actions.length >= 4);
  });
});

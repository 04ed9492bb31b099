/**
 * A deterministic demo organisation (fixed seed → identical output): a Chief Executive,
 * 4 directorates, services with heads of service, team managers and staff, with HR fields and
 * quarters of conversation history giving a realistic mix of on-track, due-soon and overdue
 * people. `npm start` seeds it; tests and benchmarks generate it at any size.
 */
import { addMonths, formatIsoDate, parseIsoDate } from '../../core/dates/day';
import {
  type ConversationAction,
  type ConversationFacts,
  type Employee,
  type EmployeeId,
  type IsoDate,
} from '../../core/model';

/** How big and from which seed. */
export interface DemoOrgOptions {
  /** The date the history runs up to ("today" for the demo). */
  readonly asOf: IsoDate;
  readonly seed?: number;
  /** Total headcount including the Chief Executive (default 400). */
  readonly people?: number;
  /** Quarters of conversation history before `asOf` (default 5). */
  readonly historyQuarters?: number;
  /** Conversation type id written on generated conversations. */
  readonly conversationType?: string;
  readonly emailDomain?: string;
}

/** An org unit of the demo organisation. */
export interface DemoUnit {
  readonly name: string;
  readonly headId: EmployeeId;
}

/** The generated organisation. */
export interface DemoOrg {
  readonly seed: number;
  readonly asOf: IsoDate;
  readonly employees: Employee[];
  readonly conversations: ConversationFacts[];
  readonly chiefExecutiveId: EmployeeId;
  readonly directorates: readonly (DemoUnit & { readonly services: readonly DemoUnit[] })[];
  /** Members of the Organisational Development team (the OD role). */
  readonly odTeamIds: readonly EmployeeId[];
  /** Team managers (managers of front-line staff), in generation order. */
  readonly teamManagerIds: readonly EmployeeId[];
}

/** The default seed: the same organisation every time unless asked otherwise. */
export const DEMO_SEED = 20261123;

const DIRECTORATES: readonly { name: string; services: readonly string[] }[] = [
  { name: 'Adults and Families', services: ['Adult Services', 'Public Health', 'Communities'] },
  {
    name: "Children's Services and Education",
    services: ["Children's Social Care", 'Education and Skills', 'Early Help'],
  },
  {
    name: 'City Housing and Environment',
    services: ['Housing', 'Environmental Services', 'Planning and Regeneration'],
  },
  { name: 'Resources', services: ['Finance', 'Organisational Development', 'Digital and IT'] },
];

const FIRST = [
  'Amara',
  'Ben',
  'Chloe',
  'Daniel',
  'Eleanor',
  'Faisal',
  'Grace',
  'Harpreet',
  'Isaac',
  'Jasmine',
  'Kwame',
  'Laura',
  'Mohammed',
  'Niamh',
  'Oliver',
  'Priya',
  'Quentin',
  'Rachel',
  'Sanjay',
  'Tara',
  'Usman',
  'Victoria',
  'Wei',
  'Xavier',
  'Yasmin',
  'Zoe',
  'Aisha',
  'Callum',
  'Deborah',
  'Emeka',
  'Fiona',
  'Gareth',
  'Hannah',
  'Imran',
  'Joanne',
  'Kieran',
  'Leah',
  'Marcus',
  'Nadia',
  'Owen',
  'Paula',
  'Rhys',
  'Sofia',
  'Tomasz',
  'Uma',
  'Vikram',
  'Wendy',
  'Yusuf',
];
const LAST = [
  'Adams',
  'Begum',
  'Clarke',
  'Dhillon',
  'Evans',
  'Francis',
  'Gill',
  'Hughes',
  'Iqbal',
  'Jones',
  'Kaur',
  'Lewis',
  'Mensah',
  'Nowak',
  "O'Brien",
  'Patel',
  'Quinn',
  'Rahman',
  'Singh',
  'Thomas',
  'Usher',
  'Virdee',
  'Walker',
  'Xu',
  'Young',
  'Zielinski',
  'Ahmed',
  'Bennett',
  'Campbell',
  'Davies',
  'Edwards',
  'Fletcher',
  'Green',
  'Hall',
  'Ince',
  'Jackson',
  'Khan',
  'Lloyd',
  'Morris',
  'Nash',
  'Okafor',
  'Price',
  'Roberts',
  'Shah',
  'Turner',
  'Webb',
  'Wright',
];

/** Mulberry32: a small, fast, well-distributed seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Profile = 'on-track' | 'due-soon' | 'overdue' | 'never';

/** Generates the demo organisation. Same options → identical output. */
export function generateDemoOrg(options: DemoOrgOptions): DemoOrg {
  const seed = options.seed ?? DEMO_SEED;
  const people = Math.max(60, options.people ?? 400);
  const historyQuarters = options.historyQuarters ?? 5;
  const conversationType = options.conversationType ?? 'professional-conversation';
  const domain = options.emailDomain ?? 'council.example';
  const random = prng(seed);
  const asOf = parseIsoDate(options.asOf);

  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const word = () =>
    Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  /** An Entra-style object id: a version-4 GUID drawn from the seeded generator. */
  const guid = () => {
    const h = word() + word() + word() + word();
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  };

  const emailsUsed = new Map<string, number>();
  let positionNumber = 100_000 + int(0, 50_000);
  const employees: Employee[] = [];
  const add = (fields: {
    managerId?: EmployeeId;
    department: string;
    staffGroup?: string;
    minYears: number;
    inductionChance: number;
  }): Employee => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    const seen = emailsUsed.get(local) ?? 0;
    emailsUsed.set(local, seen + 1);
    const start = chance(fields.inductionChance)
      ? asOf - int(0, 89) // still inside the 3-month induction (DESIGN.md §3.1)
      : asOf - int(Math.max(91, fields.minYears * 365), 15 * 365);
    const startDate = formatIsoDate(start);
    const payStep = addMonths(start, 12 * Math.max(1, Math.ceil((asOf - start + 1) / 365)));
    const leaver = fields.managerId !== undefined && chance(0.02);
    const employee: Employee = {
      id: guid(),
      name: `${first} ${last}`,
      email: `${local}${seen === 0 ? '' : seen + 1}@${domain}`,
      positionNumber: String((positionNumber += int(1, 9))),
      managerId: fields.managerId,
      department: fields.department,
      staffGroup: fields.staffGroup ?? (chance(0.12) ? 'Craft and Operational' : 'Local Government Services'),
      startDate,
      // A leaver left in the last four months, and never before they started.
      leaveDate: leaver ? formatIsoDate(Math.max(start, asOf - int(1, 120))) : undefined,
      payStepDate: formatIsoDate(payStep),
      capabilityProcess: chance(0.01),
      disciplinaryLive: chance(0.01),
      mandatoryTrainingComplete: chance(0.9),
      supervisionFrequencyWeeks: pick([4, 6, 8]),
    };
    employees.push(employee);
    return employee;
  };

  const ceo = add({
    department: "Chief Executive's Office",
    staffGroup: 'Chief Officers',
    minYears: 4,
    inductionChance: 0,
  });
  const serviceCount = Math.max(12, Math.round(people / 1000));
  const teamManagerCount = Math.max(24, Math.round(people / 16));
  const directorates = DIRECTORATES.map((d) => ({
    name: d.name,
    head: add({
      managerId: ceo.id,
      department: d.name,
      staffGroup: 'Chief Officers',
      minYears: 2,
      inductionChance: 0,
    }),
    serviceNames: [] as string[],
  }));
  for (let s = 0; s < serviceCount; s++) {
    const directorate = directorates[s % directorates.length]!;
    const base = DIRECTORATES[s % DIRECTORATES.length]!.services;
    const round = Math.floor(s / DIRECTORATES.length);
    const name =
      round < base.length
        ? base[round]!
        : `${base[round % base.length]!} ${Math.floor(round / base.length) + 1}`;
    directorate.serviceNames.push(name);
  }
  const services = directorates.flatMap((d) =>
    d.serviceNames.map((name) => ({
      name,
      directorate: d,
      head: add({
        managerId: d.head.id,
        department: name,
        staffGroup: 'Chief Officers',
        minYears: 1,
        inductionChance: 0,
      }),
    })),
  );
  const teamManagers = Array.from({ length: teamManagerCount }, (_, i) => {
    const service = services[i % services.length]!;
    return {
      service,
      manager: add({
        managerId: service.head.id,
        department: service.name,
        minYears: 1,
        inductionChance: 0.02,
      }),
    };
  });
  const staffCount = people - employees.length;
  for (let i = 0; i < staffCount; i++) {
    const { service, manager } = teamManagers[i % teamManagers.length]!;
    const excluded =
      service.name.startsWith('Education') && chance(0.3)
        ? 'governing-body-teacher'
        : chance(0.02)
          ? 'NJC'
          : undefined;
    add({
      managerId: manager.id,
      department: service.name,
      staffGroup: excluded,
      minYears: 0,
      inductionChance: 0.06,
    });
  }

  // Previous managers, so some history was held by someone other than today's manager.
  const peersOf = new Map<EmployeeId, EmployeeId[]>();
  for (const e of employees) {
    if (e.managerId === undefined) continue;
    const peers = peersOf.get(e.managerId) ?? [];
    peers.push(e.id);
    peersOf.set(e.managerId, peers);
  }
  const managerOf = new Map(employees.map((e) => [e.id, e.managerId]));

  const conversations: ConversationFacts[] = [];
  const historyStart = asOf - historyQuarters * 91;
  for (const e of employees) {
    if (e.managerId === undefined) continue; // the Chief Executive's appraisal is outside this system
    const eligibleFrom = addMonths(parseIsoDate(e.startDate), 3);
    const profile: Profile = pickProfile(random());
    const end = e.leaveDate ? parseIsoDate(e.leaveDate) : asOf;
    const held: number[] = [];
    if (profile !== 'never' && eligibleFrom < end) {
      let date =
        end - (profile === 'on-track' ? int(0, 60) : profile === 'due-soon' ? int(71, 83) : int(92, 260));
      while (date >= Math.max(historyStart, eligibleFrom - 30)) {
        held.push(date);
        date -= int(70, 92) + (chance(0.08) ? int(30, 90) : 0);
      }
    }
    const grandManager = managerOf.get(e.managerId);
    const formerManagers = grandManager
      ? (peersOf.get(grandManager) ?? []).filter((id) => id !== e.managerId)
      : [];
    held
      .sort((a, b) => a - b)
      .forEach((day, index) => {
        const former = index < held.length - 2 && formerManagers.length > 0 && chance(0.08);
        conversations.push({
          id: guid(),
          employeeId: e.id,
          type: conversationType,
          date: formatIsoDate(day),
          managerId: former ? pick(formerManagers) : e.managerId!,
          status: 'completed',
          actions: actions(day),
        });
        if (chance(0.03)) {
          conversations.push({
            id: guid(),
            employeeId: e.id,
            type: conversationType,
            date: formatIsoDate(day - int(3, 10)),
            managerId: e.managerId!,
            status: 'cancelled',
          });
        }
      });
    if (e.leaveDate === undefined && (profile === 'on-track' || profile === 'due-soon') && chance(0.4)) {
      conversations.push({
        id: guid(),
        employeeId: e.id,
        type: conversationType,
        date: formatIsoDate(asOf + int(1, 21)),
        managerId: e.managerId,
        status: 'scheduled',
      });
    }
  }

  function actions(day: number): ConversationAction[] {
    return Array.from({ length: int(0, 2) }, () => {
      const due = day + int(14, 60);
      return {
        id: guid(),
        text: pick(ACTION_TEXTS),
        owner: pick(['employee', 'manager']),
        dueDate: formatIsoDate(due),
        done: due < asOf && chance(0.8),
      };
    });
  }

  const od = services.find((s) => s.name === 'Organisational Development');
  const odTeamIds = od
    ? [
        od.head.id,
        ...employees.filter((e) => e.department === od.name && e.id !== od.head.id).map((e) => e.id),
      ]
    : [];
  return {
    seed,
    asOf: options.asOf,
    employees,
    conversations,
    chiefExecutiveId: ceo.id,
    directorates: directorates.map((d) => ({
      name: d.name,
      headId: d.head.id,
      services: services.filter((s) => s.directorate === d).map((s) => ({ name: s.name, headId: s.head.id })),
    })),
    odTeamIds,
    teamManagerIds: teamManagers.map((t) => t.manager.id),
  };
}

/** A mix near what councils report: most on track, a fifth overdue, a few never seen. */
function pickProfile(r: number): Profile {
  if (r < 0.58) return 'on-track';
  if (r < 0.73) return 'due-soon';
  if (r < 0.94) return 'overdue';
  return 'never';
}

const ACTION_TEXTS = [
  'Book onto the restorative practice refresher',
  'Agree a wellbeing check-in plan',
  'Shadow a colleague in the neighbouring team',
  'Draft a proposal for the service improvement idea',
  'Complete the EDI e-learning module',
  'Review caseload priorities together',
  'Arrange a reasonable adjustments assessment',
];

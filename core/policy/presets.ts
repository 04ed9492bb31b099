/**
 * The two shipped policies, written from the procedures in shared/policies/ (DESIGN.md §3.1, §3.2).
 * Each value cites the section it comes from; values the procedures leave open are marked
 * "(choice)" and listed in the README's interpretations.
 */
import { deepFreeze } from './freeze';
import { policySchema, type Policy } from './schema';

const PC = 'Professional Conversation procedure';
const CC = 'Career Conversations policy';

/** Fields every conversation record carries: who, when, with whom (PC §4.2, §4.4 step 8). */
const whoWhen = [
  { id: 'employee', label: 'Employee', kind: 'person', required: true },
  { id: 'date', label: 'Date of conversation', kind: 'date', required: true },
  { id: 'heldBy', label: 'Manager who held it', kind: 'person', required: true },
] as const;

const actionsField = {
  id: 'actions',
  label: 'Actions (text, owner, due date)',
  kind: 'actions',
  required: false,
  help: 'Carried forward and reviewed at the next conversation.',
} as const;

const notesAndOutcomes = [
  { id: 'notes', label: 'Discussion notes', kind: 'long-text', required: false },
  { id: 'outcomes', label: 'Outcomes', kind: 'long-text', required: false },
] as const;

const professionalConversation = {
  id: 'professional-conversation',
  name: 'Professional Conversation',
  description:
    'City council Professional Conversation: at least four documented conversations per rolling 12 months, every 12 weeks, covering five key areas.',
  source: `${PC} (shared/policies/professional-conversation-procedure.txt); DESIGN.md §3.1`,
  conversationTypes: [
    {
      id: 'professional-conversation',
      label: 'Professional Conversation',
      description:
        'A restorative conversation between manager and employee covering the five key areas (PC §4.6).',
      duration: { minMinutes: 10, maxMinutes: 60, defaultMinutes: 30 }, // PC §3.3; default 30 per DESIGN.md §3.1
      areas: [
        {
          id: 'outcome-performance',
          title: 'Outcome performance in the delivery of the role',
          prompts: [
            'Which outcomes have been achieved since the last conversation, and what could have been done better? (PC §1.6)',
            'Are the expected outcomes of the role clear, in line with the job description and service priority plan? (PC §1.5, §3.3)',
            'Where is support needed to deliver the outcomes of the role? (PC §1.7)',
          ],
        },
        {
          id: 'wellbeing',
          title: 'Wellbeing',
          prompts: [
            'How is your wellbeing, and what support would help? (PC §2.4)',
            'Which wellbeing activities would you like to take part in? (PC §3.3)',
            'Are any reasonable adjustments to the role needed? (PC §3.3, §5.2)',
          ],
        },
        {
          id: 'training-development',
          title: 'Training and development',
          prompts: [
            'What training or development would help in the role or your career? (PC §2.4)',
            'Has the Professional Conversation and Restorative Practice training been completed? (PC §3.3)',
            'Which development plan and review timescales are agreed? (PC §3.3)',
          ],
        },
        {
          id: 'equality-diversity-inclusion',
          title: 'Equality, Diversity and Inclusion matters',
          prompts: [
            'Are there any Equality, Diversity or Inclusion matters to discuss? (PC §2.4, §3.3)',
            'Would you like to attend a Staff Equality Forum or another engagement forum? (PC §3.3)',
          ],
        },
        {
          id: 'opportunities',
          title:
            'Opportunities for involvement in new ideas for service delivery and the Council Plan, career development and other opportunities',
          prompts: [
            'Any ideas for service delivery or for delivering the Council Plan? (PC §2.4, §3.3)',
            'Which career development or other opportunities are of interest? (PC §4.6e)',
            'Which achievements and good practice should be showcased? (PC §3.3)',
          ],
        },
      ],
      areaFields: notesAndOutcomes,
      recordFields: [
        whoWhen[0],
        { id: 'positionNumber', label: 'Position number', kind: 'position', required: true }, // PC §4.4 step 8
        whoWhen[1],
        whoWhen[2],
        actionsField,
        {
          id: 'previousActionsReviewed',
          label: 'Actions from the last conversation reviewed',
          kind: 'boolean',
          required: false,
        },
      ],
      reasonableAdjustmentsBeforeMeeting: true, // PC §5.2
      copyToBothParties: true, // PC §1.2, §4.2, §4.5
      source: `${PC} §3.3, §4.2, §4.5, §4.6`,
    },
  ],
  compliance: {
    countedTypes: ['professional-conversation'],
    windowMonths: 12, // PC §3.1 "12 month rolling period"
    required: 4, // PC §1.2, §3.1
    expected: 'pro-rata', // DESIGN.md §3.1 expected12m
    cadence: { value: 84, unit: 'days' }, // PC §3.4 "every 12 weeks"
    firstDueAfterEligible: { value: 84, unit: 'days' }, // DESIGN.md §3.1 nextDue
    eligibleAfterMonths: 3, // PC §2.2 induction
    dueSoonDays: 14, // DESIGN.md §3.1
    excludedStaffGroups: ['njc', 'governing-body-teacher'], // PC §2.1
    topOfTreeOutOfScope: true, // DESIGN.md §3: the Chief Executive's appraisal is held by elected members
    source: `${PC} §1.2, §2.1, §2.2, §3.1, §3.4; DESIGN.md §3.1`,
  },
  nudges: {
    quietHours: { start: '18:00', end: '08:00' }, // (choice)
    workingDaysOnly: true, // DESIGN.md §4 "working days are respected"
    weeklyDigest: { weekday: 1, time: '09:00' }, // (choice) Monday morning
    stages: [
      // Joint responsibility (PC §3.2): reminders go to both parties.
      {
        id: 'due-soon',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: -14,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'due',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: 0,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'overdue',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: 14,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      // PC §4.2: OD discusses with the manager first; continual gaps go to Head of Service / Director.
      {
        id: 'od-follow-up',
        item: 'conversation',
        kind: 'escalation',
        daysFromDue: 28,
        recipients: [{ kind: 'od' }, { kind: 'manager' }],
      },
      {
        id: 'head-of-service',
        item: 'conversation',
        kind: 'escalation',
        daysFromDue: 56,
        recipients: [{ kind: 'org-level', level: 2 }, { kind: 'od' }],
      },
      {
        id: 'director',
        item: 'conversation',
        kind: 'escalation',
        daysFromDue: 84,
        recipients: [{ kind: 'org-level', level: 1 }, { kind: 'od' }],
      },
    ],
  },
  calendar: {
    timeZone: 'Europe/London',
    workingWeekdays: [1, 2, 3, 4, 5],
    workingHours: { start: '09:00', end: '17:00' }, // (choice)
    bankHolidays: 'england-and-wales',
    extraHolidays: [],
    removedHolidays: [],
    slotStepMinutes: 30,
    proposeSlots: 3, // DESIGN.md §4 "proposes three free slots"
  },
  statusLabels: {
    left: 'Left',
    excluded: 'Excluded',
    induction: 'Induction',
    overdue: 'Overdue',
    'due-soon': 'Due soon',
    'on-track': 'On track',
  },
};

const careerConversations = {
  id: 'career-conversations',
  name: 'Career Conversations',
  description:
    'NHS trust Career Conversations: induction meeting, supervision/1:1s at an agreed frequency, an annual career conversation at the pay-step date, pay-step readiness and appeals.',
  source: `${CC} (shared/policies/career-conversations-policy.txt); DESIGN.md §3.2`,
  conversationTypes: [
    {
      id: 'induction',
      label: 'Induction meeting',
      description: 'Introductory meeting on appointment, new to the Trust or the department (CC §3.1, §5.1).',
      duration: { minMinutes: 30, maxMinutes: 90, defaultMinutes: 60 }, // (choice)
      areas: [
        {
          id: 'expectations',
          title: 'Clear expectations',
          prompts: [
            'What are the expectations of the role, its objectives, values and behaviours? (CC §3.1, §5.1)',
            'What personal aspirations do you bring? (CC §5.1)',
          ],
        },
        {
          id: 'reasonable-adjustment-plan',
          title: 'Reasonable adjustment plan',
          prompts: [
            'Is a reasonable adjustment plan needed? Consult HR and/or a staff side rep if so. (CC §1.0)',
          ],
        },
        {
          id: 'smart-objectives',
          title: 'SMART objectives',
          prompts: [
            'Which Specific, Measurable, Achievable, Relevant, Time-bound objectives are set for the year? (CC §5.2, §5.3)',
          ],
        },
        {
          id: 'wellbeing',
          title: 'Wellbeing',
          prompts: ['What support is needed to achieve the objectives? (CC §1.0, §3.1)'],
        },
        {
          id: 'supervision-frequency',
          title: 'Agreed supervision frequency',
          prompts: ['How often will supervision/1:1 meetings take place? (CC §1.0, §3.2)'],
        },
      ],
      areaFields: notesAndOutcomes,
      recordFields: [
        ...whoWhen,
        {
          id: 'supervisionFrequencyWeeks',
          label: 'Agreed supervision frequency (weeks)',
          kind: 'number',
          required: true,
        },
        actionsField,
      ],
      reasonableAdjustmentsBeforeMeeting: true,
      copyToBothParties: true,
      source: `${CC} §1.0, §3.1, §5.1–5.3`,
    },
    {
      id: 'supervision',
      label: 'Supervision / 1:1',
      description:
        'Regular supportive conversation at the frequency agreed between the two people (CC §3.2, §5.4).',
      duration: { minMinutes: 30, maxMinutes: 90, defaultMinutes: 60 }, // (choice)
      areas: [
        {
          id: 'objectives-progress',
          title: 'Progress towards objectives',
          prompts: ['How are the objectives progressing, and are they still relevant? (CC §5.4)'],
        },
        {
          id: 'health-wellbeing',
          title: 'Health and wellbeing',
          prompts: ['How are your health, wellbeing and work-life balance? (CC §3.2)'],
        },
        {
          id: 'work-caseload',
          title: 'Work/caseload',
          prompts: ['How is the work or caseload? Any untoward events, incidents or assaults? (CC §3.2)'],
        },
        {
          id: 'personal-development',
          title: 'Personal development / career aspirations',
          prompts: [
            'Which development or career plans are you working on? Any mandatory training outstanding? (CC §3.2)',
          ],
        },
        {
          id: 'anything-else',
          title: 'Anything else relevant',
          prompts: ['Is there anything else to discuss? (CC §1.0)'],
        },
      ],
      areaFields: notesAndOutcomes,
      recordFields: [...whoWhen, actionsField],
      reasonableAdjustmentsBeforeMeeting: true,
      copyToBothParties: true,
      source: `${CC} §1.0, §3.2, §5.4–5.6`,
    },
    {
      id: 'career-conversation',
      label: 'Career conversation',
      description: 'The formal annual conversation at the incremental (pay-step) date (CC §3.3, §5.8).',
      ledByEmployee: true, // CC §5.8 "the colleague drives it"
      duration: { minMinutes: 30, maxMinutes: 120, defaultMinutes: 90 }, // (choice)
      areas: [
        {
          id: 'year-review',
          title: "Review of the year's objectives",
          prompts: ['Which objectives were achieved over the last 12 months? (CC §3.3)'],
        },
        {
          id: 'health-wellbeing',
          title: 'Health and wellbeing',
          prompts: ['How are your health and wellbeing? (CC §3.3)'],
        },
        {
          id: 'potential-readiness',
          title: 'Potential and readiness',
          prompts: ['Where could your career go next, and how ready are you? (CC §3.3)'],
        },
        {
          id: 'personal-development',
          title: 'Personal development',
          prompts: ['Which development will achieve the outcomes of this conversation? (CC §3.3)'],
        },
        {
          id: 'next-objectives',
          title: 'SMART objectives for the next 12 months',
          prompts: ['Which SMART objectives are agreed for the next 12 months? (CC §3.3, §5.3)'],
        },
      ],
      areaFields: notesAndOutcomes,
      recordFields: [
        ...whoWhen,
        {
          id: 'overallRating',
          label: 'Agreed overall rating',
          kind: 'choice',
          required: true,
          options: ['Meets objectives and values', 'Partially meets', 'Does not meet'], // (choice) CC §5.8
        },
        {
          id: 'objectivesMet',
          label: 'Objectives and values-based behaviours met (pay-step check I)',
          kind: 'boolean',
          required: true,
        },
        actionsField,
      ],
      reasonableAdjustmentsBeforeMeeting: true,
      copyToBothParties: true,
      source: `${CC} §3.3, §5.8, §5.9`,
    },
  ],
  compliance: {
    countedTypes: ['career-conversation'],
    windowMonths: 12, // CC §2.5, DESIGN.md §3.2 "within the last 12 months"
    required: 1,
    expected: 'full',
    cadence: { value: 12, unit: 'months' }, // CC §5.8, §5.9 annual cycle
    firstDueAfterEligible: { value: 0, unit: 'days' }, // CC §5.8 "at the 12 month point"
    eligibleAfterMonths: 12, // DESIGN.md §3.2 "staff in post ≥ 12 months"
    dueSoonDays: 14,
    // CC §2.3 "excluding our medical and dental Colleagues"; ESR's staff group is "Medical and Dental".
    excludedStaffGroups: ['Medical and Dental', 'Medical', 'Dental'],
    topOfTreeOutOfScope: true, // DESIGN.md §3: the Chief Executive's appraisal is held by the board
    dueDates: 'anniversary', // CC §2.5 "in line with a colleague's incremental date", §5.8
    quarterlyFigure: 'compliant-at-quarter-end', // CC §8 "reports % compliance", quarterly
    source: `${CC} §2.3, §2.5, §5.8, §8; DESIGN.md §3.2`,
  },
  supervision: {
    typeId: 'supervision',
    defaultFrequencyWeeks: null,
    source: `${CC} §3.2 "agreed between the two individuals"`,
  },
  inductionMeeting: {
    typeId: 'induction',
    dueWithinDays: 14,
    trackForMonths: 12,
    source: `${CC} §5.1; DESIGN.md §3.2`,
  },
  payStep: {
    careerTypeId: 'career-conversation',
    lookBackMonths: 12,
    fallbackToStartDate: true, // (choice) CC §2.5 "in line with a colleague's incremental date"
    checks: [
      {
        id: 'I',
        kind: 'career-conversation-objectives-met',
        label: 'Career conversation in the last 12 months, objectives and values-based behaviours met',
        source: `${CC} §5.8 (I)`,
      },
      {
        id: 'II',
        kind: 'no-capability-process',
        label: 'No formal capability process in place',
        source: `${CC} §5.8 (II), §5.7`,
      },
      {
        id: 'III',
        kind: 'no-live-disciplinary',
        label: 'No formal disciplinary sanction live on the record',
        source: `${CC} §5.8 (III)`,
      },
      {
        id: 'IV',
        kind: 'mandatory-training-complete',
        label: 'Statutory and mandatory training completed',
        source: `${CC} §5.8 (IV)`,
      },
      {
        id: 'V',
        kind: 'reports-career-conversations-complete',
        label: 'Line managers: career conversations completed for all their colleagues',
        source: `${CC} §5.8 (V)`,
      },
    ],
    deferral: { supportPlanRequired: true, backdated: false, source: `${CC} §5.8, §4.2` },
    showFromDays: 56, // (choice) eight weeks to prepare the career conversation before the pay-step date
  },
  appeal: {
    typeId: 'career-conversation',
    windowDays: 14, // CC §5.10
    acknowledgeDays: 7, // CC §5.10
    outcomes: ['upheld', 'not upheld'],
    peopleServicesAttend: true,
    final: true,
    source: `${CC} §5.10`,
  },
  nudges: {
    quietHours: { start: '18:00', end: '08:00' },
    workingDaysOnly: true,
    weeklyDigest: { weekday: 1, time: '09:00' },
    stages: [
      {
        id: 'due-soon',
        item: 'induction-meeting',
        kind: 'reminder',
        daysFromDue: -7,
        recipients: [{ kind: 'manager' }],
      },
      {
        id: 'due',
        item: 'induction-meeting',
        kind: 'reminder',
        daysFromDue: 0,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'overdue',
        item: 'induction-meeting',
        kind: 'reminder',
        daysFromDue: 7,
        recipients: [{ kind: 'manager' }],
      },
      // CC §4.1: colleagues request supervision if it is not happening; so both are told.
      {
        id: 'due',
        item: 'supervision',
        kind: 'reminder',
        daysFromDue: 0,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'overdue',
        item: 'supervision',
        kind: 'reminder',
        daysFromDue: 14,
        recipients: [{ kind: 'manager' }],
      },
      {
        id: 'due-soon',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: -14,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'due',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: 0,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      {
        id: 'overdue',
        item: 'conversation',
        kind: 'reminder',
        daysFromDue: 14,
        recipients: [{ kind: 'manager' }, { kind: 'employee' }],
      },
      // CC §4.4: People Services ensure the policy is applied; then the next manager up (CC §5.10 route).
      {
        id: 'people-services',
        item: 'conversation',
        kind: 'escalation',
        daysFromDue: 28,
        recipients: [{ kind: 'od' }, { kind: 'manager' }],
      },
      {
        id: 'next-manager',
        item: 'conversation',
        kind: 'escalation',
        daysFromDue: 56,
        recipients: [{ kind: 'manager-above', levels: 1 }, { kind: 'od' }],
      },
    ],
  },
  calendar: professionalConversation.calendar,
  statusLabels: { ...professionalConversation.statusLabels, induction: 'In first 12 months' },
};

/** Id of the default preset (DESIGN.md §3). */
export const DEFAULT_PRESET_ID = 'professional-conversation';

/** The council preset (DESIGN.md §3.1), validated and frozen. */
export const PROFESSIONAL_CONVERSATION: Policy = deepFreeze(policySchema.parse(professionalConversation));

/** The NHS preset (DESIGN.md §3.2), validated and frozen. */
export const CAREER_CONVERSATIONS: Policy = deepFreeze(policySchema.parse(careerConversations));

/** Shipped presets by id. */
export const PRESETS: Readonly<Record<string, Policy>> = Object.freeze({
  [PROFESSIONAL_CONVERSATION.id]: PROFESSIONAL_CONVERSATION,
  [CAREER_CONVERSATIONS.id]: CAREER_CONVERSATIONS,
});

/**
 * Every user-facing string of the bot in one place, ready for translation (en-GB first).
 * Cards and handlers take their words from here; nothing user-facing is written inline.
 */
export const text = {
  appName: 'Professional Conversations',
  menu: {
    title: 'Professional Conversations',
    back: 'Main menu',
    help: 'Help',
    team: 'My team',
    schedule: 'Schedule',
    log: 'Log',
    history: 'History',
    mine: 'My conversations',
    prepare: 'Prepare',
    view: 'Open',
  },
  welcome: {
    greeting: (firstName: string) => `Hello ${firstName}, welcome to Professional Conversations`,
    greetingAnonymous: 'Hello, welcome to Professional Conversations',
    /** `summary` is the policy's rules in a phrase (bot/i18n/policy-words.ts). */
    intro: (summary: string) => `I help managers and staff hold, record and keep track of ${summary}.`,
    /** Without the policy's words: says nothing about the rules. */
    introPlain: 'I help managers and staff hold, record and keep track of regular, documented conversations.',
    roleManager: (reports: number) =>
      `You manage ${reports} ${reports === 1 ? 'person' : 'people'} directly. I will remind you when their conversations are due and help you schedule and record them.`,
    roleEmployee: (managerName: string | undefined) =>
      managerName
        ? `Your manager is ${managerName}. Either of you can book your next conversation, and you can prepare your notes and request reasonable adjustments beforehand.`
        : 'You can book your next conversation with your manager, prepare your notes and request reasonable adjustments beforehand.',
    /** `team` is the policy's monitoring team in a sentence ("the OD team", "People Services"). */
    roleOd: (team: string) =>
      `You are in ${team}. Ask me about compliance, or open the Organisation tab to see the whole organisation.`,
    managerNow: (overdue: number, dueSoon: number) =>
      overdue + dueSoon === 0
        ? 'Everyone in your team is up to date.'
        : `Now: ${overdue} overdue, ${dueSoon} due in the next two weeks.`,
    employeeNow: (status: string, nextDue: string | undefined) =>
      nextDue ? `Your status: ${status}. Next conversation due by ${nextDue}.` : `Your status: ${status}.`,
    upcoming: (when: string) => `Your next conversation is booked for ${when}.`,
    roleUnknown: (team: string) =>
      `I could not find you in the organisation directory yet. If you have just joined, your HR record may not have reached me; please contact ${team} if this continues.`,
    /** Over the areas when the policy has one kind of conversation. */
    areasHeading: (count: number) => `Every conversation covers ${numberWord(count)} key areas`,
    /** Over the areas when it has several, each under its own name and timing. */
    typesHeading: 'What each conversation covers',
    typeHeading: (label: string, when: string | undefined) =>
      when === undefined ? label : `${label} — ${when}`,
    areasPlain: 'What a conversation covers',
    nextStep: 'Type **help** at any time to see what I can do.',
  },
  help: {
    title: 'What I can do',
    intro: 'Type a command, or press a button.',
    unknown: (said: string) => `Sorry, I did not understand “${said}”.`,
    didYouMean: 'Did you mean one of these?',
    /** Under a command's button: what to type instead. */
    typed: (command: string) => `Or type “${command}”.`,
    sharedIntro:
      'Everyone in this chat reads what I post here, so here I only show this list. For your team, your conversations and booking one, open a chat with me (Apps → Professional Conversations).',
    sharedWelcome: 'Thanks for adding Professional Conversations.',
    comingNext:
      'Reminders come to you here on working days, and a weekly digest of your team. Questions about compliance in chat are being added; this list shows what is available now.',
  },
  namedCommand: {
    nobody: (name: string) =>
      `I could not find “${name}” among your direct reports. Choose them from your team instead.`,
    several: (name: string, count: number, shown: number) =>
      count > shown
        ? `${count} people in your team fit “${name}”. Here are the first ${shown}; type more of the name to find another.`
        : `${count} people in your team fit “${name}”. Which one did you mean?`,
  },
  commands: {
    help: { title: 'help', label: 'Help', description: 'Show this list of commands.' },
    menu: {
      title: 'menu',
      label: 'Menu',
      description: 'Show the welcome card with your role and what your conversations cover.',
    },
    team: {
      title: 'team',
      label: 'My team',
      description: 'Managers: your direct reports, their status and what is due.',
    },
    schedule: {
      title: 'schedule',
      label: 'Schedule',
      description: 'Book a conversation: free times for both of you, as a Teams meeting.',
    },
    log: {
      title: 'log',
      label: 'Log a conversation',
      description: 'Managers: record a conversation and its actions.',
    },
    mine: {
      title: 'my conversations',
      label: 'My conversations',
      description: 'Your own conversations, past and booked.',
    },
    history: { title: 'history', label: 'History', description: "Managers: a report's past conversations." },
    exceptional: {
      title: 'exceptional access',
      label: 'Exceptional access',
      description:
        "People Services: a colleague's records, leavers' included; notes only with a stated reason.",
    },
    prep: {
      title: 'prepare',
      label: 'Prepare',
      description: 'Your notes for your next conversation, and any reasonable adjustments you need.',
    },
  },
  status: {
    left: 'Left',
    excluded: 'Not in scope',
    induction: 'Induction',
    overdue: 'Overdue',
    'due-soon': 'Due soon',
    'on-track': 'On track',
    unknown: 'Not yet evaluated',
  },
  /**
   * The building blocks of a policy's own words (bot/i18n/policy-words.ts puts them together from
   * the policy's data): what the rules say, in phrases the cards and the welcome use.
   */
  policy: {
    /** A policy with one kind of conversation: "regular, documented professional conversations — …". */
    single: (plural: string, often: string, areas: number) =>
      `regular, documented ${plural} — ${often} — covering the ${numberWord(areas)} key areas`,
    /** A policy with several kinds: "documented conversations: a career conversation …, and …". */
    several: (parts: readonly string[]) => `documented conversations: ${listOf(parts)}`,
    /** How many in the window, and how often: "at least four a year, about every 12 weeks". */
    often: (required: number, months: number, cadence: string) =>
      required === 1
        ? `one ${perWindow(months)}`
        : `at least ${numberWord(required)} ${perWindow(months)}, about every ${cadence}`,
    /** The counted conversation on an anniversary cycle: "every year at your incremental date". */
    anniversary: (cadence: string) =>
      `every ${cadence === '12 months' ? 'year' : cadence} at your incremental date`,
    every: (cadence: string) => `every ${cadence}`,
    supervisionAgreed: 'at the frequency you agree',
    supervisionDefault: (weeks: number) =>
      `every ${weeks} ${weeks === 1 ? 'week' : 'weeks'}, unless you agree another frequency`,
    induction: (days: number) => `within ${days} days of starting`,
    /** "a career conversation every year …", "an induction meeting within 14 days …". */
    one: (noun: string, when: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun} ${when}`,
    /** "supervision/1:1s at the frequency you agree". */
    many: (plural: string, when: string) => `${plural} ${when}`,
    /** The team that monitors completion and follows up (council: OD, PC §4.2; NHS: People Services, CC §4.4). */
    odTeam: { sentence: 'the OD team', name: 'OD' },
    peopleServices: { sentence: 'People Services', name: 'People Services' },
    /** Without the policy's words. */
    anyTeam: { sentence: 'the team that monitors conversations', name: 'the monitoring team' },
    /** Which quarterly figure a number is (DESIGN.md §3.1, §3.2). */
    figure: {
      heldInQuarter: { label: 'Held a conversation in the quarter', short: 'Held in quarter' },
      compliantAtQuarterEnd: (noun: string, months: number) => ({
        label: `Compliant at quarter end (${noun} in the last ${months} months)`,
        short: 'Compliant at quarter end',
      }),
    },
  },
  team: {
    title: (name: string) => `${name}'s team`,
    summary: (total: number, overdue: number, dueSoon: number) =>
      `${total} direct ${total === 1 ? 'report' : 'reports'}: ${overdue} overdue, ${dueSoon} due soon.`,
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
    held: (held: number, expected: number, months: number) => `${held} of ${expected} in ${months} months`,
    last: (date: string | undefined) => `Last: ${date ?? 'none'}`,
    next: (date: string | undefined) => `Next due: ${date ?? '—'}`,
    /** Overdue with no conversation ever held: the first one has been due since `date`. */
    neverHad: (date: string) => `Never had one: due since ${date}`,
    overdueDays: (days: number) => `${days} ${days === 1 ? 'day' : 'days'} overdue`,
    actions: (open: number, overdue: number) =>
      open === 0
        ? 'No open actions'
        : `${open} open ${open === 1 ? 'action' : 'actions'}${overdue > 0 ? ` (${overdue} past due)` : ''}`,
    previous: 'Previous',
    nextPage: 'Next',
    empty:
      'Nobody reports to you directly in the directory. If that is wrong, ask HR to correct your reporting line.',
  },
  schedule: {
    title: (employee: string, manager: string) => `Schedule a conversation: ${employee} with ${manager}`,
    length: 'Length',
    minutes: (n: number) => `${n} minutes`,
    find: 'Show free times',
    slotsHeading: 'Free for both of you',
    noSlots: (days: number) =>
      `I found no time free for both of you in the next ${days} working days. Try a shorter length, or log a conversation held elsewhere.`,
    book: 'Book this time',
    choose: 'Choose a time',
    booked: (when: string) => `Booked for ${when}. The Teams meeting is in both calendars.`,
    bookedEmployee: (manager: string, when: string) =>
      `${manager} booked your conversation for ${when}. Prepare your notes below; you can share them before the meeting.`,
    bookedByEmployee: (employee: string, when: string) =>
      `${employee} booked a conversation with you for ${when}. The Teams meeting is in your calendar.`,
    join: 'Join the meeting',
    unavailable:
      'I cannot reach the calendars right now, so I cannot book a meeting. You can still log a conversation you held, or try again later.',
    logInstead: 'Log instead',
    tryAgain: 'Try again',
    notConfigured:
      'Calendar booking is not set up for this organisation yet, so I cannot book a meeting. You can log a conversation you held.',
    noManager: 'You have no manager in the directory, so there is nobody to book with. Please contact HR.',
    pickType: 'Which kind of conversation?',
  },
  prep: {
    title: (manager: string) => `Prepare for your conversation with ${manager}`,
    when: (when: string) => `Booked for ${when}.`,
    intro:
      'Jot down what you want to talk about under each area. Only you see these notes unless you share them.',
    introLeads:
      "You lead this conversation: jot down what you want to talk about under each area. Only you see these notes unless you share them; shared, they open your manager's record form.",
    share: 'Share these notes with my manager before the meeting',
    adjustments: 'Reasonable adjustments I need for this meeting',
    adjustmentsPlaceholder: 'For example: a quiet room, more time, a break, an interpreter',
    save: 'Save my preparation',
    saved: (shared: boolean) =>
      shared ? 'Saved. Your manager can see these notes.' : 'Saved. These notes are private to you.',
    adjustmentsSent: 'Your adjustments request has been sent to your manager.',
    adjustmentsToManager: (employee: string, when: string) =>
      `${employee} has asked for reasonable adjustments for your conversation on ${when}:`,
    notScheduled: 'This conversation is no longer booked, so there is nothing to prepare.',
    stale:
      'Your notes were saved from another copy of this card since this one was sent. What you typed here is shown below; save again to keep it.',
    none: 'You have no conversation booked. Use Schedule to book one with your manager.',
  },
  log: {
    title: (employee: string) => `Record a conversation with ${employee}`,
    employee: 'Employee',
    heldBy: 'Held by',
    positionNumber: 'Position number',
    date: 'Date of conversation',
    minutes: (min: number, max: number) => `Length in minutes (${min}–${max})`,
    areasHeading: 'The key areas',
    previousHeading: 'Actions from last time: tick those that are done',
    previousNone: 'No open actions from last time.',
    previousMore: (n: number) =>
      `${n} more open ${n === 1 ? 'action is' : 'actions are'} carried forward unchanged.`,
    previousItem: (text: string, owner: string, due: string) => `${text} — ${owner}, due ${due}`,
    actionsHeading: 'Actions agreed',
    actionText: 'Action',
    actionOwner: 'Owner',
    actionDue: 'Due date',
    ownerManager: 'Manager',
    ownerEmployee: 'Employee',
    addAction: 'Add another action',
    prepHeading: (employee: string) => `${employee}'s notes for this conversation`,
    /** A conversation the employee leads (CC §5.8 "the colleague drives it"). */
    prepLeadsHeading: (employee: string) => `${employee} leads this conversation. What they prepared:`,
    prepLeadsNone: (employee: string) =>
      `${employee} leads this conversation and has not shared any preparation for it: start by asking what they would like to talk about.`,
    /** The objectives in force, carried forward from the conversation that agreed them (CC §5.3). */
    objectivesHeading: (type: string, date: string) =>
      `Objectives agreed at the ${type.toLowerCase()} on ${date}, to review`,
    adjustmentsHeading: 'Reasonable adjustments asked for',
    save: 'Save the record',
    required: 'This is required.',
    fixErrors: 'Some fields need attention; nothing has been saved yet.',
    /** A second (third …) record of the same type for the same person and day: confirm first (issue 19). */
    sameDay: (count: number, type: string, employee: string, date: string) =>
      `${count === 1 ? 'A' : count} ${type.toLowerCase()}${count === 1 ? ' is' : 's are'} already recorded with ${employee} on ${date}. Nothing has been saved yet: press Save again to record another one, or go back to leave it.`,
    stale:
      'This conversation changed since you opened the form (for example new preparation notes). Check the form and save again.',
    errors: {
      dateMissing: 'Enter the date the conversation was held.',
      notARealDate: (typed: string) => `${typed} is not a real date: check the day and the month.`,
      dateShape: 'Enter the date as year-month-day, for example 2027-01-31.',
      dateFuture: 'The date cannot be in the future: record a conversation after it has been held.',
      dateBeforeStart: (start: string) =>
        `The date cannot be before the employee started in post (${start}).`,
      minutes: (min: number, max: number) => `Enter a length between ${min} and ${max} minutes.`,
      positionMissing: 'Enter the position number.',
      tooLong: (max: number, length: number) => `Keep this to ${max} characters (it has ${length}).`,
      tooLongBytes:
        'Please shorten this: text in some alphabets takes more room, and it must fit on a Teams card.',
      required: (label: string) => `${label} is required.`,
      areaMissing: 'Record what was discussed under this area (write “nothing raised” if nothing came up).',
      actionText: 'Describe the action, or clear its owner and date.',
      actionOwner: 'Say who owns this action.',
      actionDue: 'Give this action a due date.',
      actionDueFar: 'Choose a due date within the next two years.',
      number: (label: string) => `${label}: enter a whole number.`,
      choice: (label: string) => `${label}: choose one of the options.`,
    },
  },
  record: {
    title: (type: string, date: string) => `${type} on ${date}`,
    parties: (employee: string, manager: string) => `${employee} with ${manager}`,
    positionNumber: 'Position number',
    length: 'Length',
    minutes: (n: number) => `${n} minutes`,
    areasHeading: 'What was discussed',
    notes: 'Notes',
    outcomes: 'Outcomes',
    actionsHeading: 'Actions',
    noActions: 'No actions recorded.',
    action: (text: string, owner: string, due: string, done: boolean) =>
      `${done ? '✓ ' : ''}${text} — ${owner}, due ${due}${done ? ' (done)' : ''}`,
    acknowledged: (at: string) => `Acknowledged by the employee on ${at}.`,
    notAcknowledged: 'Not yet acknowledged by the employee.',
    /** The same, on the copy of the person who is to acknowledge it. */
    notAcknowledgedByYou:
      'You have not acknowledged this record yet: read it, add any comments, then press Acknowledge.',
    /** A key area the record says nothing about. */
    notDiscussed: 'Not discussed.',
    comments: 'Employee comments',
    addComments: 'Comments (optional)',
    acknowledge: 'Acknowledge',
    acknowledgedToast: 'Thank you — your acknowledgement has been recorded.',
    acknowledgedToManager: (employee: string, date: string) =>
      `${employee} acknowledged the record of your conversation on ${date}.`,
    saved: 'Saved. You and the employee each have a copy of this record.',
    savedEmployee: (manager: string) => `${manager} recorded your conversation. This is your copy.`,
    alreadySaved: 'This conversation was already saved; here is the record.',
    scheduled: (when: string) => `Booked for ${when}; not yet held.`,
    promptToLog: (employee: string, when: string) =>
      `Your conversation with ${employee} (${when}) has ended. Record it while it is fresh.`,
    missing: 'That conversation record no longer exists.',
    moreActions: (n: number) => `…and ${n} more ${n === 1 ? 'action' : 'actions'}.`,
    shortened: 'Some text is shortened to fit on a Teams card; the full record is kept.',
  },
  conversations: {
    mineTitle: 'My conversations',
    historyTitle: (employee: string) => `${employee}: conversations`,
    none: 'No conversations recorded yet.',
    line: (type: string, date: string, state: string) => `${date} · ${type} · ${state}`,
    completed: 'held',
    scheduledState: 'booked',
    cancelled: 'cancelled',
    more: (n: number) => `${n} older not shown.`,
  },
  access: {
    notManager: "Only the employee's line manager can do this. Nothing was changed.",
    notEmployee: 'Only the employee can do this. Nothing was changed.',
    notParty: 'This record is not yours to see.',
    /** Not in the directory, or their leave date has passed (DESIGN.md §6: records are kept while employed). */
    otherTenantTitle: 'Not available to your organisation',
    otherTenant:
      'This app answers the staff of the organisation that runs it, and your account belongs to another one, so nothing was shown or changed.',
    unknownUser:
      'I could not find you among current staff in the organisation directory, so I cannot show or change conversation records. If you have not left, ask HR to check your record.',
    unknownEmployee: 'That person is not in the directory any more.',
    /** A leaver's records (DESIGN.md §6, CC §6.1): archived with the monitoring team, in no working view. */
    archivedHere: (name: string, leftOn: string) => `${name} left on ${leftOn}: these records are archived.`,
    archived: (name: string, leftOn: string, team: string) =>
      `${name} left on ${leftOn}, so their conversation records are archived with ${team} and no longer shown or changed here. Nothing was changed.`,
  },
  errors: {
    turnFailed: (reference: string) =>
      `Sorry, something went wrong on our side and I could not finish that. Please try again in a moment. If it keeps happening, quote reference ${reference} to your IT service desk.`,
    actionFailedTitle: 'That did not go through',
    actionFailed: (reference: string) =>
      `Something went wrong on our side and I could not finish that. What you entered is kept with this card: press Try again in a moment. If it keeps happening, quote reference ${reference} to your IT service desk.`,
    tryAgain: 'Try again',
    missingAction: 'This card action had no action or verb, so nothing was done.',
    unknownVerb: 'This card button is no longer supported. Type help to see what I can do.',
    personalChatOnly: {
      title: 'Ask me in our one-to-one chat',
      message:
        'Everyone here would see the answer, and conversations and status are between you, your manager and your team. Open a chat with me (Apps → Professional Conversations) and ask there.',
    },
  },
  /** Reminders, the weekly digest and escalations (DESIGN.md §4 "Nudge"; procedure §4.2). */
  reminders: {
    due: (daysFromDue: number) =>
      daysFromDue < 0
        ? `Due in ${-daysFromDue} ${daysFromDue === -1 ? 'day' : 'days'}`
        : daysFromDue === 0
          ? 'Due today'
          : `Overdue by ${daysFromDue} ${daysFromDue === 1 ? 'day' : 'days'}`,
    what: (typeName: string, dueDate: string) => `${typeName} · due ${dueDate}`,
    why: (due: string, typeName: string, dueDate: string) => `${due} · ${typeName}, due ${dueDate}`,
    ruleLine: (rule: string) => `Rule: ${rule}`,
    ruleFor: (typeName: string, rule: string) => `${typeName}: ${rule}`,
    told: (who: string, on: string) => `${who} on ${on}`,
    escalated: (told: string) => (told === '' ? 'Already escalated.' : `Already escalated: ${told}.`),
    booked: (when: string) => `Booked ${when}`,
    more: (n: number) => `and ${n} more — open My team`,
    manager: {
      title: 'Conversations due in your team',
      intro: (people: number) =>
        people === 1
          ? 'One person needs a conversation booked or logged.'
          : `${people} people need a conversation booked or logged.`,
      heldElsewhere: 'Already held elsewhere',
      snooze: 'Snooze…',
      snoozeLabel: 'Snooze the reminders until',
      snoozeButton: 'Snooze',
      snoozeNote:
        'Snoozing holds the reminders about that due date until the date you choose. Escalation still follows the policy.',
    },
    employee: {
      title: (typeName: string, daysFromDue: number) =>
        daysFromDue < 0
          ? `Your ${typeName} is due in ${-daysFromDue} ${daysFromDue === -1 ? 'day' : 'days'}`
          : daysFromDue === 0
            ? `Your ${typeName} is due today`
            : `Your ${typeName} is overdue by ${daysFromDue} ${daysFromDue === 1 ? 'day' : 'days'}`,
      joint: (managerName: string) =>
        `You and ${managerName === '' ? 'your manager' : managerName} share the responsibility for it: either of you can put it in the diary.`,
      schedule: 'Schedule with my manager',
      booked: (when: string) => `Booked for ${when}. You can prepare your notes before the meeting.`,
      prepareLater:
        'Nothing is booked yet. Once it is, Prepare opens your notes for the booked conversation; until then it offers to schedule one.',
    },
    snooze: {
      saved: (name: string, until: string) =>
        `Reminders about ${name} snoozed until ${until}. Escalation still follows the policy.`,
      fix: 'Choose another date; nothing has been snoozed yet.',
      dateMissing: 'Choose the date the reminders should start again.',
      datePast: 'Choose a date after today.',
      dateFar: (days: number) => `Choose a date within the next ${days} days.`,
      unavailable: 'Snoozing is not available right now, so nothing was changed. The reminders continue.',
      notDue: 'This reminder is no longer about a current due date, so there is nothing to snooze.',
    },
    digest: {
      title: (managerName: string) =>
        managerName === '' ? 'Your team this week' : `${managerName}: your team this week`,
      weekOf: (date: string) => `Week of ${date}`,
      overdue: 'Overdue',
      dueSoon: 'Due soon',
      onTrack: 'On track',
      induction: 'In induction',
      total: 'Direct reports',
      firstHeading: 'Who needs a conversation first',
      firstNone: 'Nobody needs a conversation urgently.',
      firstLine: (status: string, daysOverdue: number, nextDue: string) =>
        daysOverdue > 0
          ? `Overdue by ${daysOverdue} ${daysOverdue === 1 ? 'day' : 'days'} (due ${nextDue})`
          : `${status} · due ${nextDue}`,
      actionsHeading: 'Actions past due',
      actionsNone: 'No actions past due.',
      actionsLine: (count: number, oldestDue: string | undefined) =>
        `${count} ${count === 1 ? 'action' : 'actions'} past due${oldestDue ? `, the oldest due ${oldestDue}` : ''}`,
      quarterHeading: (label: string) => `${label} so far`,
      quarterFigure: (held: number, eligible: number, percent: number | undefined) =>
        percent === undefined
          ? `${held} of ${eligible}: nobody in your team was eligible for this figure`
          : `${held} of ${eligible} (${percent}%)`,
      figure: (figure: string) => `Figure: ${figure}`,
    },
    escalation: {
      title: {
        od: 'For OD: a continuing gap',
        'head-of-service': 'For the Head of Service: a continuing gap',
        director: 'For the Director: a continuing gap',
      },
      /** With the policy's words: the monitoring team by name, and the next manager up (CC §5.10 route). */
      titleFor: (team: string) => `For ${team}: a continuing gap`,
      titleNextManager: 'For you as the next manager up: a continuing gap',
      intro: (employee: string, manager: string, daysOverdue: number) =>
        `${employee}${manager === '' ? '' : `, managed by ${manager},`} is overdue by ${daysOverdue} ${daysOverdue === 1 ? 'day' : 'days'}.`,
      ask: {
        od: 'Please contact the manager and the employee to support them and agree how the conversation will happen.',
        'head-of-service': 'Please discuss this continuing gap with the manager.',
        director: 'Please discuss this continuing gap with the manager and the Head of Service.',
      },
      employee: 'Employee',
      manager: 'Manager',
      dueDate: 'Was due',
      overdue: 'Overdue by',
      days: (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`,
      stage: 'Stage',
      rule: 'Rule',
      told: (told: string) => `Told: ${told}`,
      toldNone: 'Nobody has been told about this before.',
      toldEntry: (who: string, role: string, on: string) =>
        role === '' || role === who ? `${who} on ${on}` : `${who} (${role}) on ${on}`,
      confidential:
        'Conversation notes are confidential to the manager and the employee and are never shown here.',
    },
    rule: {
      many: (required: number, label: string, months: number, cadence: string) =>
        `At least ${required} documented ${label} in a rolling ${months} months, about every ${cadence}`,
      one: (label: string, months: number, cadence: string) =>
        `A documented ${label} within the last ${months} months, due every ${cadence}`,
      anniversary: (label: string, months: number) =>
        `A documented ${label} within the last ${months} months, due each year at the incremental (pay-step) date`,
      supervisionAgreed: (label: string) => `${label} at the frequency agreed with each employee`,
      supervisionDefault: (label: string, weeks: number) =>
        `${label} every ${weeks} ${weeks === 1 ? 'week' : 'weeks'}, unless another frequency is agreed`,
      induction: (label: string, days: number) => `${label} within ${days} days of starting in post`,
      period: (value: number, unit: 'days' | 'weeks' | 'months') =>
        value === 1 ? unit.slice(0, -1) : `${value} ${unit}`,
      withSource: (rule: string, source: string) => (source === '' ? rule : `${rule} — ${source}`),
      missing: (policyName: string) => `See the ${policyName} policy`,
    },
  },
  /** Pay-step readiness, decision and deferral (Career Conversations policy §5.8, §4.2). */
  payStep: {
    button: 'Pay step',
    title: (name: string) => `Pay step: ${name}`,
    date: (date: string, fromStartDate: boolean) =>
      fromStartDate
        ? `Pay-step date ${date} (no incremental date in the HR record: the start date's anniversary).`
        : `Pay-step date ${date} (the incremental date in the HR record).`,
    readiness: {
      ready: 'Every check is met: the colleague can progress to the next pay step.',
      'not-ready':
        'A check is not met: progression is deferred, with a plan of support and timescales agreed with the colleague.',
      unconfirmed: 'No check fails, but some facts are not recorded yet: confirm them before deciding.',
    },
    outcome: {
      met: 'Met',
      'not-met': 'Not met',
      unknown: 'Not recorded',
      'not-applicable': 'Not applicable',
    },
    sourceOf: {
      'career-conversation-objectives-met': 'From: the career conversation record',
      'no-capability-process': 'From: the HR import',
      'no-live-disciplinary': 'From: the HR import',
      'mandatory-training-complete': 'From: the HR import',
      'reports-career-conversations-complete': "From: the manager's own reports' records",
    },
    checksHeading: 'Checks (policy §5.8 I–V)',
    progress: 'Progress to the next pay step',
    defer: 'Defer with a support plan',
    planHeading: 'Support plan: the actions and timescales agreed with the colleague',
    planHint: 'Give at least one action with the date it is to be done by.',
    planAction: (n: number) => `Action ${n}`,
    planBy: 'By',
    planMissing: 'Give at least one action and the date it is to be done by.',
    planDateMissing: 'Give the date this action is to be done by (not in the past).',
    planNoDate: 'Give the action this date belongs to.',
    saveDeferral: 'Record the deferral',
    complete: 'Support plan completed: apply the increase from today',
    progressBlocked:
      'A check is not met, so the colleague cannot progress at this pay step; record a deferral with a support plan.',
    decided: {
      progressed: (name: string, date: string) =>
        `Recorded: ${name} progresses to the next pay step from ${date}.`,
      deferred: (name: string) =>
        `Recorded: ${name}'s pay progression is deferred. When the support plan is completed, the increase applies from that day (it is not backdated).`,
      completed: (name: string, date: string) =>
        `Recorded: the support plan is completed and ${name}'s increase applies from ${date} (not backdated).`,
    },
    already: (decision: string, on: string) => `Already recorded on ${on}: ${decision}. Nothing was changed.`,
    decisionWord: { progressed: 'progressed', deferred: 'deferred' },
    openPlan: (on: string) => `Deferred on ${on}; the support plan is open:`,
    notThisPolicy: "Pay steps are not part of this organisation's policy.",
    noDate:
      'No pay-step date can be found for this colleague: the HR record has no incremental or start date.',
  },
  /** The SMART helper on saved objectives (CC §5.3): advice, never a refusal. */
  smart: {
    heading: (area: string) => `SMART check of “${area}”:`,
    flag: (index: number, missing: readonly ('measure' | 'date')[]) =>
      `objective ${index} ${missing
        .map((m) =>
          m === 'measure'
            ? 'says nothing measurable (how will you both know it is met?)'
            : 'has no date (by when?)',
        )
        .join(' and ')}`,
    advice: 'Saved as written; you can edit the record to add them.',
  },
  /** Exceptional access to note text by People Services (CC §6.1, DESIGN.md §6). */
  exceptional: {
    title: 'Exceptional access to conversation notes',
    intro:
      'Conversation notes are confidential to the manager and the colleague. People Services may read them only in exceptional circumstances, with a stated reason. The reading is recorded in the audit log and shown to the colleague.',
    reason: 'Reason',
    reasons: {
      'serious-incident': 'Review of a serious incident',
      competency: 'Competency proceedings',
      'investigation-disciplinary': 'Investigation or disciplinary',
      audit: 'Audit',
    },
    open: 'Read the notes, recording the reason',
    reasonMissing: 'Choose the reason from the list: nothing is shown without one.',
    notPeopleServices: 'Only People Services can ask for exceptional access. Nothing was shown.',
    findTitle: 'Exceptional access: find the colleague',
    findIntro:
      'Type the name or work e-mail of the colleague whose records you need, leavers included. You will see their conversations (dates and who held them), then choose the reason before any notes are shown.',
    findLabel: 'Name or e-mail',
    findPlaceholder: 'For example: Sam Starter, or sam.starter@trust.example',
    find: 'Find',
    findNone: (query: string) =>
      `No one in the directory matches “${query}”. Check the spelling, or try the e-mail address.`,
    findChoose: (total: number, query: string) => `${total} people match “${query}”: choose one.`,
    findMore: (more: number) => `${more} more match: type more of the name, or the e-mail address.`,
    choose: 'Choose',
    person: (name: string, department: string, email: string, leftOn: string | undefined) =>
      [name, department, email, leftOn ? `left ${leftOn}, records archived` : ''].filter(Boolean).join(' · '),
    recordsTitle: (name: string) => `${name}'s conversation records`,
    recordsNone: (name: string) => `${name} has no completed conversation records.`,
    recordsIntro: 'Choose a record; the reason is asked for before its notes are shown.',
    recordLine: (type: string, date: string, heldBy: string) => `${type}, ${date}, held by ${heldBy}`,
    recordsMore: (more: number) => `${more} older records are not listed.`,
    readNotes: 'Read notes…',
    shownToEmployee: (on: string, reason: string) => `Read by People Services on ${on}: ${reason}.`,
  },
  /** A colleague asks for a supervision/1:1 when they are not happening (CC §4.1). */
  supervisionAsk: {
    button: 'Ask for a supervision',
    toManager: (name: string, label: string, state: string) => `${name} asks for a ${label}. ${state}`,
    state: (last: string | undefined, weeks: number | undefined, overdueDays: number) =>
      [
        last ? `The last one was on ${last}.` : 'None is recorded yet.',
        weeks ? `Agreed every ${weeks} ${weeks === 1 ? 'week' : 'weeks'}.` : 'No frequency is agreed yet.',
        overdueDays > 0 ? `Overdue by ${overdueDays} ${overdueDays === 1 ? 'day' : 'days'}.` : '',
      ]
        .filter((part) => part !== '')
        .join(' '),
    sent: (manager: string) =>
      `I have asked ${manager} to hold a supervision with you. They can book it or log it from the card I sent.`,
    already: (manager: string) => `You have already asked ${manager} today; they have the card.`,
    noManager: 'I cannot find your line manager in the directory, so I cannot pass the request on.',
    notThisPolicy: "Supervision is not part of this organisation's policy.",
  },
  /** Appeal against a career conversation (Career Conversations policy §5.10). */
  appeal: {
    button: 'Appeal',
    title: (date: string) => `Appeal against your career conversation of ${date}`,
    intro: (manager: string, by: string, days: number) =>
      `Your appeal goes in writing to ${manager}, the next manager up from the manager who held the conversation. Appeal by ${by} (${days} calendar days). A member of People Services not previously involved attends the hearing, and the decision is final.`,
    grounds: 'Grounds of the appeal',
    groundsMissing: 'State the grounds of the appeal.',
    tooLong: (max: number) => `Keep this to ${max} characters.`,
    resolution: 'The resolution you would like (optional)',
    submit: 'Send the appeal',
    closed: (by: string, days: number) =>
      `The window to appeal closed on ${by} (${days} calendar days from the conversation). Nothing was sent.`,
    windowClosed: (by: string, days: number) =>
      `The window to appeal closed on ${by} (${days} calendar days from the conversation).`,
    notCareer: 'Only a career conversation can be appealed against.',
    noManagerAbove:
      'There is no manager above the one who held this conversation in the directory, so the appeal cannot be sent in Teams. Please write to People Services.',
    onlyOne: 'You have already appealed against this conversation; the decision of the appeal is final.',
    sent: (manager: string, ackBy: string) =>
      `Your appeal has been sent to ${manager}, who should acknowledge it by ${ackBy}.`,
    received: (employee: string, date: string, holder: string) =>
      `${employee} appeals against the career conversation ${holder} held on ${date}.`,
    acknowledgeBy: (date: string, days: number) =>
      `Acknowledge by ${date} (${days} calendar days), and arrange to meet as soon as possible. Inform the HR Advisory team and send them a copy.`,
    acknowledge: 'Acknowledge the appeal',
    acknowledged: (on: string) => `Acknowledged on ${on}.`,
    acknowledgedToEmployee: (manager: string, on: string) =>
      `${manager} acknowledged your appeal on ${on} and will arrange to meet you.`,
    notAppealManager: 'Only the manager the appeal was sent to can do this. Nothing was changed.',
    outcomeHeading: 'Record the hearing and the outcome',
    hearingOn: 'Date of the hearing',
    hearingMissing: 'Give the date of the hearing (not in the future).',
    peopleServices: 'People Services member present (not previously involved)',
    peopleServicesMissing: 'Name the People Services member who attended the hearing.',
    peopleServicesInvolved:
      'The People Services member must not have been involved before: not the colleague, the manager who held the conversation or you.',
    result: 'Decision',
    resultMissing: 'Choose upheld or not upheld.',
    action: 'Action to be taken',
    actionMissing: 'Say what action is to be taken.',
    recordOutcome: 'Record the outcome and tell the colleague',
    decided: (result: string, on: string) => `Decided on ${on}: ${result}.`,
    outcomeToEmployee: (result: string, on: string, action: string) =>
      `The outcome of your appeal (${on}): ${result}. Action to be taken: ${action} This decision is final; there is no further internal appeal.`,
    outcomeSaved: 'Recorded. The colleague has the outcome in writing (a card here and on the record).',
    statusReceived: (on: string) => `Appeal received on ${on}.`,
    statusAcknowledged: (on: string) => `Acknowledged on ${on}.`,
    statusWaiting: 'Not acknowledged yet.',
  },
  /** The sweep's nudges about an appeal not yet acknowledged (CC §5.10 "within 7 calendar days"). */
  appealNudge: {
    reminderTitle: 'An appeal to acknowledge',
    reminder: (employee: string, receivedOn: string, by: string, days: number) =>
      `${employee}'s appeal against their career conversation reached you on ${receivedOn}. Please acknowledge it by ${by} (within ${days} calendar days) and arrange to meet as soon as possible.`,
    open: 'Open the appeal',
    rule: (days: number, source: string) =>
      `The manager handling the appeal acknowledges it within ${days} calendar days — ${source}`,
    lateTitle: (team: string) => `For ${team}: an appeal not acknowledged in time`,
    late: (manager: string, employee: string, receivedOn: string, by: string, days: number) =>
      `${manager} has not acknowledged ${employee}'s appeal, received on ${receivedOn}: it was due by ${by} (within ${days} calendar days).`,
    lateAsk: 'Please contact the appeal manager so that the appeal is acknowledged and a meeting arranged.',
    confidential:
      'The grounds of an appeal are seen only by the colleague, the appeal manager and the manager who held the conversation, and are never shown here.',
  },
} as const;

const NUMBER_WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
] as const;

/** Small counts as words ("five key areas"), larger ones as digits. */
function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** "a year" for a 12-month window, else "in every 6 months". */
function perWindow(months: number): string {
  return months === 12 ? 'a year' : `in every ${months} months`;
}

/** "a, b, and c" (with the serial comma: the parts have commas of their own). */
function listOf(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

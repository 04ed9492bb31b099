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
  },
  welcome: {
    greeting: (firstName: string) => `Hello ${firstName}, welcome to Professional Conversations`,
    greetingAnonymous: 'Hello, welcome to Professional Conversations',
    intro:
      'I help managers and staff hold, record and keep track of regular, documented professional conversations — at least four a year, about every 12 weeks — covering the five key areas.',
    roleManager: (reports: number) =>
      `You manage ${reports} ${reports === 1 ? 'person' : 'people'} directly. I will remind you when their conversations are due and help you schedule and record them.`,
    roleEmployee: (managerName: string | undefined) =>
      managerName
        ? `Your manager is ${managerName}. Either of you can book your next conversation, and you can prepare your notes and request reasonable adjustments beforehand.`
        : 'You can book your next conversation with your manager, prepare your notes and request reasonable adjustments beforehand.',
    roleUnknown:
      'I could not find you in the organisation directory yet. If you have just joined, your HR record may not have reached me; please contact the OD team if this continues.',
    areasHeading: 'Every conversation covers five key areas',
    nextStep: 'Type **help** at any time to see what I can do.',
  },
  help: {
    title: 'What I can do',
    intro: 'Type a command, or press a button.',
    unknown: (said: string) => `Sorry, I did not understand “${said}”.`,
    didYouMean: 'Did you mean one of these?',
    comingNext:
      'Scheduling, recording conversations, reminders and compliance reports are being added to this app; this list shows what is available now.',
  },
  commands: {
    help: { title: 'help', description: 'Show this list of commands.' },
    menu: { title: 'menu', description: 'Show the welcome card with your role and the five key areas.' },
  },
  errors: {
    turnFailed: (reference: string) =>
      `Sorry, something went wrong on our side and I could not finish that. Please try again in a moment. If it keeps happening, quote reference ${reference} to the OD team.`,
    missingAction: 'This card action had no action or verb, so nothing was done.',
    unknownVerb: 'This card button is no longer supported. Type help to see what I can do.',
  },
} as const;

/** Every card template, filled with realistic and with extreme data, parses cleanly and fits in 40 KB. */
import { strict as assert } from 'node:assert';
import { createHelpCard } from '../bot/cards/help-card';
import { createWelcomeCard } from '../bot/cards/welcome-card';
import { MAX_CARD_BYTES, renderTemplate } from '../bot/cards/card';
import { mainAreas } from '../bot/policy';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { COMMANDS } from '../bot/teams/commands';
import { cardProblems, cardText } from './support/cards';

const long = (n: number) => 'Ünïcødé “quoted” ${notAbinding} <b>html</b> & more '.repeat(n).slice(0, n);

describe('cards', () => {
  const cases = {
    'welcome, manager (council preset)': createWelcomeCard({
      firstName: 'Grace',
      role: { kind: 'manager', directReports: 15, overdue: 2, dueSoon: 3 },
      areas: mainAreas(PROFESSIONAL_CONVERSATION),
    }),
    'welcome, employee (NHS preset)': createWelcomeCard({
      firstName: 'Owen',
      role: { kind: 'employee', managerName: 'Grace Hughes' },
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

  it('keeps user text literal: a ${...} in data is not evaluated as a binding', () => {
    const card = createHelpCard({ commands: COMMANDS, unknownText: 'show ${commands}' });
    assert.match(cardText(card), /did not understand “show \$\{commands\}”/);
  });

  it('truncates an echoed unknown text to one line of 80 characters', () => {
    const text = cardText(createHelpCard({ commands: COMMANDS, unknownText: 'x'.repeat(500) }));
    assert.match(text, /“x{79}…”/);
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

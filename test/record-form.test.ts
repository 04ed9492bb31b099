/** The record form's checks (bot/conversations/record-form.ts), field by field, with the messages a manager sees. */
import { strict as assert } from 'node:assert';
import { checkRecordForm, inputId, type RecordFormValues } from '../bot/conversations/record-form';
import { PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { type Employee } from '../core/model';

const type = PROFESSIONAL_CONVERSATION.conversationTypes[0]!;
const employee = {
  id: 'e1',
  name: 'Owen Price',
  email: 'owen@example.org',
  startDate: '2020-01-06',
  managerId: 'm1',
} as Employee;

function values(date: string, due: string): RecordFormValues {
  return {
    date,
    minutes: '45',
    positionNumber: 'P0002',
    areas: Object.fromEntries(
      type.areas.map((a) => [
        a.id,
        Object.fromEntries(type.areaFields.map((f) => [f.id, 'Talked it through.'])),
      ]),
    ),
    actions: [{ text: 'Book the refresher', owner: 'employee', due }],
    reviewedDone: [],
    fields: {},
  };
}

const check = (date: string, due: string) =>
  checkRecordForm(values(date, due), { type, employee, today: '2026-12-03', newId: () => 'a1' });

describe('the record form checks dates as a manager types them', () => {
  it('accepts a real date held today with an action due next month', () => {
    assert.equal(check('2026-12-03', '2027-01-31').ok, true);
  });

  for (const [typed, message] of [
    ['2027-02-30', /2027-02-30 is not a real date/],
    ['2026-13-01', /2026-13-01 is not a real date/],
    ['30/11/2026', /Enter the date as year-month-day/],
    ['', /Enter the date the conversation was held/],
  ] as const) {
    it(`answers the held date "${typed}" with ${String(message)}`, () => {
      const result = check(typed, '2027-01-31');
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.errors[inputId.date] ?? '', message);
    });
  }

  for (const [typed, message] of [
    ['2027-02-29', /2027-02-29 is not a real date/],
    ['next week', /Enter the date as year-month-day/],
    ['', /Give this action a due date/],
  ] as const) {
    it(`answers the action due date "${typed}" with ${String(message)}`, () => {
      const result = check('2026-12-03', typed);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.errors[inputId.actionDue(0)] ?? '', message);
    });
  }
});

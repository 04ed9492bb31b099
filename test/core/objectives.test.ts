/** The SMART helper (CC §5.3): objectives with no measure or no date are flagged, with why. */
import { strict as assert } from 'node:assert';
import { agreedObjectives, objectivesIn, smartFlags } from '../../core/objectives';
import { CAREER_CONVERSATIONS } from '../../core/policy/presets';
import { type ConversationRecord } from '../../core/records';

function held(
  id: string,
  type: string,
  date: string,
  areas: Record<string, string>,
  status: ConversationRecord['status'] = 'completed',
): ConversationRecord {
  return {
    id,
    employeeId: 'e',
    type,
    date,
    managerId: 'm',
    status,
    positionNumber: 'P1',
    areas: Object.fromEntries(Object.entries(areas).map(([k, notes]) => [k, { notes, outcomes: '' }])),
    createdBy: 'm',
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
  };
}

describe('SMART helper', () => {
  it('reads one objective per line, without bullets or numbering', () => {
    assert.deepEqual(objectivesIn('- Pass the audit\n\n2. Mentor a new starter\n• Lead huddles'), [
      'Pass the audit',
      'Mentor a new starter',
      'Lead huddles',
    ]);
  });

  it('passes objectives with a measure and a date, however the date is written', () => {
    for (const objective of [
      'Complete the manual handling module by 31 March',
      'Reduce missed visits to under 5% by 2027-06-30',
      'Mentor 2 new starters each quarter',
      'Pass the prescribing course in Q3',
      'Achieve the band 6 competencies within six months',
      'Deliver 4 teaching sessions before 01/09/2027',
    ])
      assert.deepEqual(smartFlags(objective), [], objective);
  });

  it('flags an objective with no date, no measure, or neither, saying which', () => {
    assert.deepEqual(
      smartFlags('Complete the leadership course\nGet better at communication\nWork on rotas by June'),
      [
        { index: 1, objective: 'Complete the leadership course', missing: ['date'] },
        { index: 2, objective: 'Get better at communication', missing: ['measure', 'date'] },
        { index: 3, objective: 'Work on rotas by June', missing: ['measure'] },
      ],
    );
  });

  it('does not take a date for a measure', () => {
    assert.deepEqual(smartFlags('Be more visible on the ward by 2027-03-31'), [
      { index: 1, objective: 'Be more visible on the ward by 2027-03-31', missing: ['measure'] },
    ]);
  });

  describe('objectives in force (CC §5.3, carried forward)', () => {
    const induction = held('i', 'induction', '2026-01-10', {
      'smart-objectives': '1. Pass the audit by May\n2. Lead huddles',
    });
    const supervision = held('s', 'supervision', '2026-03-01', { 'objectives-progress': 'On track' });
    const career = held('c', 'career-conversation', '2026-12-01', {
      'next-objectives': '- Mentor 2 starters by June',
    });

    it('are those of the latest conversation that agreed any; a supervision in between carries them forward', () => {
      const found = agreedObjectives(CAREER_CONVERSATIONS, [supervision, induction]);
      assert.equal(found?.record.id, 'i');
      assert.equal(found?.areaTitle, 'SMART objectives');
      assert.deepEqual(found?.objectives, ['Pass the audit by May', 'Lead huddles']);
      assert.deepEqual(agreedObjectives(CAREER_CONVERSATIONS, [induction, career, supervision])?.objectives, [
        'Mentor 2 starters by June',
      ]);
    });

    it('ignore bookings, cancelled ones and empty objectives areas; none at all is undefined', () => {
      const booked = held(
        'b',
        'career-conversation',
        '2027-01-01',
        { 'next-objectives': 'Typed ahead' },
        'scheduled',
      );
      const blank = held('x', 'career-conversation', '2027-01-02', { 'next-objectives': '  \n ' });
      assert.equal(agreedObjectives(CAREER_CONVERSATIONS, [induction, booked, blank])?.record.id, 'i');
      assert.equal(agreedObjectives(CAREER_CONVERSATIONS, [supervision]), undefined);
      assert.equal(agreedObjectives(CAREER_CONVERSATIONS, []), undefined);
    });
  });
});

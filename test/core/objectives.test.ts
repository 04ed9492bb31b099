/** The SMART helper (CC §5.3): objectives with no measure or no date are flagged, with why. */
import { strict as assert } from 'node:assert';
import { objectivesIn, smartFlags } from '../../core/objectives';

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
});

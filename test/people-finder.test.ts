/** The directory name search behind exceptional access: matching, ordering, and how fresh it is. */
import { strict as assert } from 'node:assert';
import { type Employee } from '../core/model';
import { PeopleFinder } from '../bot/records/people-finder';

const person = (id: string, name: string, extra: Partial<Employee> = {}): Employee => ({
  id,
  name,
  email: `${id}@trust.example`,
  positionNumber: 'P1',
  department: 'Wards',
  staffGroup: 'Nursing',
  startDate: '2020-01-01',
  ...extra,
});

/** A directory of our own port: counts its scans, and can be changed between them. */
function directory(people: Employee[]) {
  const state = { scans: 0, people };
  return {
    state,
    listAll: async function* () {
      state.scans += 1;
      await Promise.resolve();
      yield* state.people;
    },
  };
}

describe('people finder (exceptional access)', () => {
  it('matches the start of every word typed, without case or accents, exact names first', async () => {
    const dir = directory([
      person('a', 'Anna Smithers'),
      person('b', 'Ann Smith'),
      person('c', 'Zoë O’Neill-Jones'),
      person('d', 'Bob Smith'),
    ]);
    const finder = new PeopleFinder(dir);
    assert.deepEqual(
      (await finder.find('ann smi')).people.map((p) => p.id),
      ['b', 'a'],
    );
    assert.deepEqual(
      (await finder.find('Ann Smith')).people.map((p) => p.id),
      ['b', 'a'],
      'exact first',
    );
    assert.deepEqual(
      (await finder.find('zoe jones')).people.map((p) => p.id),
      ['c'],
    );
    assert.deepEqual(
      (await finder.find('neill')).people.map((p) => p.id),
      ['c'],
    );
    assert.deepEqual(
      (await finder.find('C@Trust.Example')).people.map((p) => p.id),
      ['c'],
      'e-mail, any case',
    );
    assert.deepEqual(await finder.find('   '), { people: [], total: 0 });
    const capped = await finder.find('smith', 1);
    assert.equal(capped.people.length, 1);
    assert.equal(capped.total, 3);
    assert.equal(dir.state.scans, 1, 'one scan serves every search while fresh');
  });

  it('answers from a stale index while it reads a fresh one, then from the fresh one', async () => {
    let now = 0;
    const dir = directory([person('a', 'Ann Smith')]);
    const finder = new PeopleFinder(dir, () => now, 1000);
    assert.equal((await finder.find('kai')).total, 0);
    dir.state.people = [...dir.state.people, person('k', 'Kai New')];
    now = 500;
    assert.equal((await finder.find('kai')).total, 0, 'still fresh');
    now = 1500;
    assert.equal((await finder.find('kai')).total, 0, 'stale: answered at once from the old index');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal((await finder.find('kai')).total, 1, 'the refreshed index');
    assert.equal(dir.state.scans, 2);
  });
});

/** The demo organisation: deterministic, a proper tree, and the shape the issue asks for. */
import { strict as assert } from 'node:assert';
import { generateDemoOrg } from '../bot/dev/demo-org';
import { employeesCsv } from '../bot/records/imports';
import { parseEmployeesCsv } from '../core/import/hr-csv';

const AS_OF = '2026-11-23';

describe('demo organisation generator', () => {
  const org = generateDemoOrg({ asOf: AS_OF });

  it('is deterministic: the same seed gives identical output, another seed does not', () => {
    assert.deepEqual(generateDemoOrg({ asOf: AS_OF }), org);
    assert.notDeepEqual(generateDemoOrg({ asOf: AS_OF, seed: 7 }).employees[0], org.employees[0]);
    assert.deepEqual(
      generateDemoOrg({ asOf: AS_OF, historyQuarters: 0 }).employees,
      org.employees,
      'the people do not depend on how much history is generated',
    );
  });

  it('is a tree: one root, every manager id exists, no cycles', () => {
    const byId = new Map(org.employees.map((e) => [e.id, e]));
    assert.equal(byId.size, org.employees.length, 'ids are unique');
    const roots = org.employees.filter((e) => e.managerId === undefined);
    assert.deepEqual(
      roots.map((r) => r.id),
      [org.chiefExecutiveId],
    );
    for (const e of org.employees) {
      if (e.managerId !== undefined) assert.ok(byId.has(e.managerId), `${e.id} has unknown manager`);
      const seen = new Set<string>();
      let at: string | undefined = e.id;
      while (at !== undefined) {
        assert.ok(!seen.has(at), `cycle through ${at}`);
        seen.add(at);
        at = byId.get(at)?.managerId;
      }
      assert.ok(seen.has(org.chiefExecutiveId), `${e.id} does not reach the Chief Executive`);
    }
  });

  it('has the size and mix of a council: 4 directorates, ~12 services, ~40 managers, ~400 people', () => {
    assert.equal(org.directorates.length, 4);
    assert.equal(org.directorates.flatMap((d) => d.services).length, 12);
    const managers = new Set(org.employees.map((e) => e.managerId).filter(Boolean));
    assert.ok(managers.size >= 35 && managers.size <= 45, `${managers.size} managers`);
    assert.equal(org.employees.length, 400);
    const inInduction = org.employees.filter((e) => e.startDate > '2026-08-23');
    const excluded = org.employees.filter((e) => /^(njc|governing-body-teacher)$/i.test(e.staffGroup));
    assert.ok(inInduction.length >= 5, 'some people are inside the 3-month induction');
    assert.ok(excluded.length >= 3, 'some people are in excluded staff groups');
    assert.ok(
      org.employees.every((e) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(e.id),
      ),
    );
    assert.equal(new Set(org.employees.map((e) => e.email)).size, org.employees.length, 'emails are unique');
    assert.equal(new Set(org.employees.map((e) => e.positionNumber)).size, org.employees.length);
    assert.ok(org.employees.every((e) => e.payStepDate !== undefined && e.payStepDate > AS_OF));
  });

  it('has about five quarters of history, none held before a start date or after today', () => {
    const completed = org.conversations.filter((c) => c.status === 'completed');
    const byId = new Map(org.employees.map((e) => [e.id, e]));
    const earliest = completed.map((c) => c.date).sort()[0]!;
    assert.ok(earliest >= '2025-08-01' && earliest <= '2025-09-30', `earliest ${earliest}`);
    for (const c of completed) {
      assert.ok(c.date <= AS_OF, 'completed conversations are in the past');
      assert.ok(c.date >= byId.get(c.employeeId)!.startDate, 'not before the start date');
    }
    assert.ok(org.conversations.some((c) => c.status === 'scheduled' && c.date > AS_OF));
    assert.ok(org.conversations.some((c) => c.status === 'cancelled'));
    assert.ok(
      completed.some((c) => c.managerId !== byId.get(c.employeeId)!.managerId),
      'some conversations were held by a previous manager',
    );
  });

  it('passes the HR import’s own validation, at the demo size and at 20,000 people', () => {
    for (const people of [400, 20_000]) {
      const generated = generateDemoOrg({ asOf: AS_OF, people });
      const parsed = parseEmployeesCsv(employeesCsv(generated.employees));
      assert.deepEqual(parsed.errors, [], `${people} people`);
      assert.equal(parsed.rows.length, people);
    }
  });
});

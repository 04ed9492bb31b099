/** A team's figures measured together equal the sum of its members' shares (DESIGN.md §3.1, §5). */
import assert from 'node:assert/strict';
import { generateDemoOrg } from '../../bot/dev/demo-org';
import {
  ROLLUP_FIGURES,
  contributions,
  groupContributions,
  rollupQuarters,
  statusFacts,
} from '../../core/compliance/status-facts';
import {
  CAREER_CONVERSATIONS,
  PROFESSIONAL_CONVERSATION,
  evaluateOrganisation,
  quarterlyCompletion,
  type Policy,
} from '../../core/index';

const AS_OF = '2026-11-23';

/** Checks that each team measured together equals the sum of its members' shares; returns how many people. */
function compareTeams(policy: Policy, typeOf: (type: string) => string): number {
  const org = generateDemoOrg({ asOf: AS_OF });
  const quarters = rollupQuarters(AS_OF);
  let compared = 0;
  for (const managerId of org.teamManagerIds) {
    const members = org.employees
      .filter((e) => e.managerId === managerId)
      .map((employee) => ({
        employee,
        facts: statusFacts(
          org.conversations
            .filter((c) => c.employeeId === employee.id)
            .map((c) => ({ ...c, type: typeOf(c.type) })),
          AS_OF,
        ),
      }));
    const together = groupContributions(policy, members, quarters, AS_OF);
    const summed = quarters.map((_, k) => {
      const total = Object.fromEntries(ROLLUP_FIGURES.map((f) => [f, 0])) as Record<string, number>;
      for (const m of members) {
        const share = contributions(policy, m.employee, m.facts, quarters, AS_OF)[k]!;
        for (const f of ROLLUP_FIGURES) total[f]! += share[f];
      }
      return total;
    });
    assert.deepEqual(together, summed, managerId);
    compared += members.length;
  }
  assert.ok(groupContributions(policy, [], quarters, AS_OF).every((f) => f.headcount === 0));
  return compared;
}

describe('status facts', () => {
  it("measures a team's quarters in one evaluation each, equal to the sum of every member's share", () => {
    const compared = compareTeams(PROFESSIONAL_CONVERSATION, (type) => type);
    assert.ok(compared > 300, `compared ${compared} people`);
  });

  it("the same for the NHS figure (compliant at quarter end): a team's quarters equal the sum of its members' shares", () => {
    // The demo organisation's conversations, held as career conversations.
    const compared = compareTeams(CAREER_CONVERSATIONS, () => 'career-conversation');
    assert.ok(compared > 300, `compared ${compared} people`);
    const org = generateDemoOrg({ asOf: AS_OF });
    const quarters = rollupQuarters(AS_OF);
    const sample = org.employees.slice(0, 200).map((employee) => ({
      employee: { ...employee, managerId: undefined },
      facts: statusFacts(
        org.conversations
          .filter((c) => c.employeeId === employee.id)
          .map((c) => ({ ...c, type: 'career-conversation' })),
        AS_OF,
      ),
    }));
    const figures = groupContributions(CAREER_CONVERSATIONS, sample, quarters, AS_OF);
    // Not vacuous: some quarters have people compliant and some not.
    assert.ok(figures.some((f) => f.qCompleted > 0 && f.qCompleted < f.qEligible));
    // The stored shares give the figure the engine gives from the full history at D.
    const full = evaluateOrganisation(
      CAREER_CONVERSATIONS,
      sample.map((m) => m.employee),
      org.conversations.map((c) => ({ ...c, type: 'career-conversation' })),
      AS_OF,
    );
    quarters.forEach((q, k) => {
      const direct = quarterlyCompletion(full, q);
      assert.equal(direct.figure, 'compliant-at-quarter-end');
      assert.deepEqual(
        [figures[k]!.qEligible, figures[k]!.qCompleted],
        [direct.eligible, direct.completed],
        q.label,
      );
    });
  });
});

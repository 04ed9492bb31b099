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
import { PROFESSIONAL_CONVERSATION } from '../../core/index';

const AS_OF = '2026-11-23';

describe('status facts', () => {
  it("measures a team's quarters in one evaluation each, equal to the sum of every member's share", () => {
    const org = generateDemoOrg({ asOf: AS_OF });
    const quarters = rollupQuarters(AS_OF);
    let compared = 0;
    for (const managerId of org.teamManagerIds) {
      const members = org.employees
        .filter((e) => e.managerId === managerId)
        .map((employee) => ({
          employee,
          facts: statusFacts(
            org.conversations.filter((c) => c.employeeId === employee.id),
            AS_OF,
          ),
        }));
      const together = groupContributions(PROFESSIONAL_CONVERSATION, members, quarters, AS_OF);
      const summed = quarters.map((_, k) => {
        const total = Object.fromEntries(ROLLUP_FIGURES.map((f) => [f, 0])) as Record<string, number>;
        for (const m of members) {
          const share = contributions(PROFESSIONAL_CONVERSATION, m.employee, m.facts, quarters, AS_OF)[k]!;
          for (const f of ROLLUP_FIGURES) total[f]! += share[f];
        }
        return total;
      });
      assert.deepEqual(together, summed, managerId);
      compared += members.length;
    }
    assert.ok(compared > 300, `compared ${compared} people`);
    assert.ok(
      groupContributions(PROFESSIONAL_CONVERSATION, [], quarters, AS_OF).every((f) => f.headcount === 0),
    );
  });
});

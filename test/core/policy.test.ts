import assert from 'node:assert/strict';
import {
  CAREER_CONVERSATIONS,
  loadPolicy,
  parsePolicy,
  PolicyError,
  policyCalendar,
  presetIds,
  PROFESSIONAL_CONVERSATION,
} from '../../core/index';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PolicyError, String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a PolicyError');
}

describe('policy: presets carry every value of DESIGN.md §3', () => {
  it('professional-conversation (council, DESIGN.md §3.1)', () => {
    const p = PROFESSIONAL_CONVERSATION;
    assert.equal(p.id, 'professional-conversation');
    const [type] = p.conversationTypes;
    assert.ok(type);
    assert.deepEqual(
      type.areas.map((a) => a.title),
      [
        'Outcome performance in the delivery of the role',
        'Wellbeing',
        'Training and development',
        'Equality, Diversity and Inclusion matters',
        'Opportunities for involvement in new ideas for service delivery and the Council Plan, career development and other opportunities',
      ],
    );
    assert.deepEqual(
      type.recordFields.map((f) => f.id),
      ['employee', 'positionNumber', 'date', 'heldBy', 'actions', 'previousActionsReviewed'],
    );
    assert.deepEqual(
      type.areaFields.map((f) => f.label),
      ['Discussion notes', 'Outcomes'],
    );
    assert.deepEqual(type.duration, { minMinutes: 10, maxMinutes: 60, defaultMinutes: 30 });
    assert.equal(type.reasonableAdjustmentsBeforeMeeting, true);
    assert.equal(type.copyToBothParties, true);
    const c = p.compliance;
    assert.deepEqual(
      [c.required, c.windowMonths, c.cadence, c.eligibleAfterMonths, c.dueSoonDays, c.expected],
      [4, 12, { value: 84, unit: 'days' }, 3, 14, 'pro-rata'],
    );
    assert.deepEqual(c.excludedStaffGroups, ['njc', 'governing-body-teacher']);
    assert.deepEqual(
      p.nudges.stages.map((s) => [s.id, s.daysFromDue, s.kind]),
      [
        ['due-soon', -14, 'reminder'],
        ['due', 0, 'reminder'],
        ['overdue', 14, 'reminder'],
        ['od-follow-up', 28, 'escalation'],
        ['head-of-service', 56, 'escalation'],
        ['director', 84, 'escalation'],
      ],
    );
    assert.equal(p.supervision, undefined);
    assert.equal(p.payStep, undefined);
  });

  it('career-conversations (NHS, DESIGN.md §3.2)', () => {
    const p = CAREER_CONVERSATIONS;
    assert.deepEqual(
      p.conversationTypes.map((t) => t.id),
      ['induction', 'supervision', 'career-conversation'],
    );
    const areas = (id: string): string[] =>
      p.conversationTypes.find((t) => t.id === id)?.areas.map((a) => a.id) ?? [];
    assert.deepEqual(areas('induction'), [
      'expectations',
      'reasonable-adjustment-plan',
      'smart-objectives',
      'wellbeing',
      'supervision-frequency',
    ]);
    assert.deepEqual(areas('supervision'), [
      'objectives-progress',
      'health-wellbeing',
      'work-caseload',
      'personal-development',
      'anything-else',
    ]);
    assert.deepEqual(areas('career-conversation'), [
      'year-review',
      'health-wellbeing',
      'potential-readiness',
      'personal-development',
      'next-objectives',
    ]);
    assert.ok(
      p.conversationTypes[2]?.recordFields.some((f) => f.id === 'overallRating' && f.kind === 'choice'),
    );
    // CC §2.3; ESR exports the staff group "Medical and Dental".
    assert.deepEqual(p.compliance.excludedStaffGroups, ['Medical and Dental', 'Medical', 'Dental']);
    assert.deepEqual(
      [p.compliance.countedTypes, p.compliance.eligibleAfterMonths, p.compliance.required],
      [['career-conversation'], 12, 1],
    );
    assert.equal(p.inductionMeeting?.dueWithinDays, 14);
    assert.deepEqual([p.appeal?.windowDays, p.appeal?.acknowledgeDays], [14, 7]);
    assert.deepEqual(
      p.payStep?.checks.map((c) => c.id),
      ['I', 'II', 'III', 'IV', 'V'],
    );
    assert.deepEqual(p.payStep?.deferral, {
      supportPlanRequired: true,
      backdated: false,
      source: 'Career Conversations policy §5.8, §4.2',
    });
  });

  it('presets are frozen and resolvable by name; the default is professional-conversation', () => {
    assert.deepEqual(presetIds(), ['professional-conversation', 'career-conversations']);
    assert.equal(loadPolicy(), PROFESSIONAL_CONVERSATION);
    assert.equal(loadPolicy('career-conversations'), CAREER_CONVERSATIONS);
    assert.ok(Object.isFrozen(PROFESSIONAL_CONVERSATION.compliance.excludedStaffGroups));
    assert.throws(() => {
      (PROFESSIONAL_CONVERSATION.compliance as { required: number }).required = 1;
    }, TypeError);
  });

  it('the calendar skips England & Wales bank holidays and weekends by default', () => {
    const cal = policyCalendar(PROFESSIONAL_CONVERSATION);
    assert.deepEqual([cal.workStartMinutes, cal.workEndMinutes, cal.slotStepMinutes], [540, 1020, 30]);
    assert.equal(cal.holidays.size, 56);
  });
});

describe('policy: custom documents are validated with the path of each bad field', () => {
  it('accepts a document that extends a preset and changes a few values', () => {
    const p = loadPolicy(
      JSON.stringify({ extends: 'professional-conversation', id: 'my-council', compliance: { required: 6 } }),
    );
    assert.equal(p.id, 'my-council');
    assert.equal(p.compliance.required, 6);
    assert.equal(p.compliance.cadence.value, 84, 'unchanged values come from the preset');
  });

  it('lists every bad field as path: message', () => {
    const issues = issuesOf(() =>
      parsePolicy({
        extends: 'professional-conversation',
        compliance: { required: 0, dueSoonDays: -1, cadenceDays: 84 },
        calendar: { workingWeekdays: [1, 8], workingHours: { start: '9am', end: '17:00' } },
      }),
    );
    assert.deepEqual(issues, [
      'compliance.required: Too small: expected number to be >=1',
      'compliance.dueSoonDays: Too small: expected number to be >=0',
      'compliance.cadenceDays: is not a field of this part of the policy',
      'calendar.workingWeekdays[1]: Too big: expected number to be <=7',
      'calendar.workingHours.start: must be a time HH:MM between 00:00 and 24:00',
    ]);
  });

  it('checks cross-field rules: type references, durations, hours', () => {
    const base = structuredClone(PROFESSIONAL_CONVERSATION) as unknown as Record<string, unknown>;
    const doc = {
      ...base,
      compliance: { ...PROFESSIONAL_CONVERSATION.compliance, countedTypes: ['appraisal'] },
      conversationTypes: [
        {
          ...PROFESSIONAL_CONVERSATION.conversationTypes[0],
          duration: { minMinutes: 10, maxMinutes: 60, defaultMinutes: 90 },
        },
      ],
      calendar: { ...PROFESSIONAL_CONVERSATION.calendar, workingHours: { start: '17:00', end: '09:00' } },
    };
    assert.deepEqual(
      issuesOf(() => parsePolicy(doc)),
      [
        'conversationTypes[0].duration.defaultMinutes: must be between minMinutes and maxMinutes (10–60)',
        'compliance.countedTypes[0]: "appraisal" is not one of the conversation type ids',
        'calendar.workingHours.end: must be after start',
      ],
    );
  });

  it('names missing fields, unknown presets and bad JSON', () => {
    assert.ok(issuesOf(() => parsePolicy({ id: 'x' })).includes('name: is required (string)'));
    assert.deepEqual(
      issuesOf(() => parsePolicy({ extends: 'nope' })),
      ['extends: must name a preset (professional-conversation, career-conversations)'],
    );
    assert.match(
      issuesOf(() => loadPolicy('{not json', 'custom.json'))[0] ?? '',
      /^\(root\): not a preset .* and not valid JSON/,
    );
    assert.throws(
      () => loadPolicy('{"id": 3}', 'custom.json'),
      /^PolicyError: invalid policy custom\.json:\n {2}id: /m,
    );
  });
});

/**
 * Switching policy on populated storage (issue 17): the first start records the policy; another
 * policy on storage holding people or conversations is refused with a report of what would change,
 * unless forced; the admin CLI refuses the same way. Azurite, real tables, the CLI as a child.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { CAREER_CONVERSATIONS, PROFESSIONAL_CONVERSATION } from '../core/policy/presets';
import { systemClock } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { storagePorts } from '../bot/dev/ports';
import { configureLogging, createLogger } from '../bot/log';
import { Records } from '../bot/records/records';
import { PolicySwitchError, checkPolicy } from '../bot/storage/policy-marker';
import { openTables } from '../bot/storage/tables';

const EMPLOYEE = 'd1000000-0000-4000-8000-000000000002';
const MANAGER = 'd1000000-0000-4000-8000-000000000001';

describe('switching policy on stored data (Azurite)', function () {
  this.timeout(90_000);
  let azurite: RunningAzurite;

  before(async () => {
    configureLogging('error');
    azurite = await startAzurite({ ports: await storagePorts() });
  });
  after(async () => {
    await azurite?.stop();
  });

  const storage = () => ({ kind: 'connectionString' as const, connectionString: azurite.connectionString });

  it('records the first policy, allows any policy while storage is empty, and refuses a switch once people are stored unless forced', async () => {
    const tables = await openTables(storage(), 'switch1');
    assert.equal(await checkPolicy(tables, PROFESSIONAL_CONVERSATION), 'recorded');
    assert.equal(await checkPolicy(tables, PROFESSIONAL_CONVERSATION), 'same');
    assert.equal(await checkPolicy(tables, CAREER_CONVERSATIONS), 'switched', 'nothing stored yet');
    assert.equal(await checkPolicy(tables, PROFESSIONAL_CONVERSATION), 'switched');

    const records = new Records(tables, PROFESSIONAL_CONVERSATION, systemClock, createLogger('test'));
    const person = (id: string, name: string, managerId?: string) => ({
      id,
      name,
      email: `${id}@example.org`,
      positionNumber: `P${id.slice(-4)}`,
      managerId,
      department: 'Adult Services',
      staffGroup: 'Local Government Services',
      startDate: '2020-01-06',
    });
    await records.directory.upsertMany([
      person(MANAGER, 'Mo Manager'),
      person(EMPLOYEE, 'Em Ployee', MANAGER),
    ]);
    await records.saveConversation(
      {
        id: 'conv-1',
        employeeId: EMPLOYEE,
        type: 'professional-conversation',
        date: '2026-11-02',
        managerId: MANAGER,
        status: 'completed',
        positionNumber: 'P0002',
        areas: {},
        createdBy: MANAGER,
        createdAt: '2026-11-02T10:00:00Z',
        updatedAt: '2026-11-02T10:00:00Z',
      },
      { actorId: MANAGER },
    );

    const refused = await checkPolicy(tables, CAREER_CONVERSATIONS).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof PolicySwitchError, String(refused));
    assert.deepEqual(refused.report, {
      from: 'professional-conversation',
      to: 'career-conversations',
      people: 2,
      conversations: { 'professional-conversation': 1 },
      unknownTypes: ['professional-conversation'],
    });
    assert.match(refused.message, /POLICY_SWITCH=force/);
    assert.match(refused.message, /professional-conversation conversations would count for nothing/);
    // Refused: still the council's policy.
    assert.equal(await checkPolicy(tables, PROFESSIONAL_CONVERSATION), 'same');
    assert.equal(await checkPolicy(tables, CAREER_CONVERSATIONS, { force: true }), 'switched');
    assert.equal(await checkPolicy(tables, CAREER_CONVERSATIONS), 'same');
  });

  it('the admin CLI refuses to run under another policy than the stored data, and runs when forced', async () => {
    const cli = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', 'outbox'], {
          env: {
            ...process.env,
            STORAGE_CONNECTION_STRING: azurite.connectionString,
            LOG_LEVEL: 'error',
            ...env,
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    // The deployment's own tables (no prefix): a person stored under the council's policy.
    const tables = await openTables(storage());
    assert.equal(await checkPolicy(tables, PROFESSIONAL_CONVERSATION), 'recorded');
    const records = new Records(tables, PROFESSIONAL_CONVERSATION, systemClock, createLogger('test'));
    await records.directory.upsertMany([
      {
        id: MANAGER,
        name: 'Mo Manager',
        email: 'mo@example.org',
        positionNumber: 'P1',
        department: 'Adult Services',
        staffGroup: '',
        startDate: '2020-01-06',
      },
    ]);
    const refused = await cli({ POLICY: 'career-conversations' });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /POLICY is career-conversations but this storage was computed under professional-conversation: 1 people/,
    );
    const bad = await cli({ POLICY: 'career-conversations', POLICY_SWITCH: 'yes' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /POLICY_SWITCH.*must be "force" or empty/);
    const forced = await cli({ POLICY: 'career-conversations', POLICY_SWITCH: 'force' });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await checkPolicy(tables, CAREER_CONVERSATIONS), 'same');
  });
});

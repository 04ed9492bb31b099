/**
 * Background jobs against Azurite (table, queue and blob, in memory, on free ports): blob leases
 * that let one instance of several run a job, a crashed holder's lease lapsing, renewal while a job
 * runs, and cron schedules on an injected clock in Europe/London.
 */
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { londonDate } from '../bot/clock';
import { type RunningAzurite, startAzurite } from '../bot/dev/azurite';
import { freePort } from '../bot/dev/ports';
import { type BlobJobLease, LeaseLostError, jobsContainerName, openJobLeases } from '../bot/jobs/lease';
import { type ScheduledJob, startJobs, weeklyAt, workingDaysAt } from '../bot/jobs/schedule';
import { type LogFields, type Logger } from '../bot/log';
import { type StorageConfig } from '../bot/config';
import { type Clock } from '../core/ports';

/** A logger that keeps what it is told, to assert on what was logged (and what was not). */
function captureLog(): Logger & { readonly lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push({ level, message, fields });
    };
  const log = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}

/** A clock stopped at an instant. */
function clockAt(iso: string): Clock {
  const at = new Date(iso);
  return { now: () => new Date(at), today: () => londonDate(at) };
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const uniquePrefix = (): string => `t${randomBytes(4).toString('hex')}`;

describe('background jobs', () => {
  let azurite: RunningAzurite;
  let storage: StorageConfig;

  before(async () => {
    const [table, queue, blob] = [await freePort(), await freePort(), await freePort()];
    azurite = await startAzurite({ ports: { table, queue, blob } });
    storage = { kind: 'connectionString', connectionString: azurite.connectionString };
  });
  after(async () => {
    await azurite?.stop();
  });

  /** The raw blob of a job, as an operator (or a crashed instance) would see it. */
  const jobBlob = (prefix: string, job: string) =>
    BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(jobsContainerName(prefix))
      .getBlockBlobClient(job);

  describe('blob leases', () => {
    it('lets exactly one of two instances run a job, and the other once it is released', async () => {
      const prefix = uniquePrefix();
      // Two service instances: separate clients, the same container; neither has created the blob yet.
      const [first, second] = [
        await openJobLeases(storage, { prefix }),
        await openJobLeases(storage, { prefix }),
      ];
      const hold = gate();
      const ran: string[] = [];
      const run = (name: string, lease: BlobJobLease) =>
        lease.runExclusive('nudge-sweep', async () => {
          ran.push(name);
          await hold.opened;
          return name;
        });
      const racing = [run('first', first), run('second', second)];
      // The loser answers at once, while the winner still holds the lease.
      const loser = await Promise.race(racing);
      assert.deepEqual(loser, { ran: false });
      assert.equal(ran.length, 1);
      hold.open();
      const results = await Promise.all(racing);
      assert.deepEqual(
        results.filter((r) => r.ran),
        [{ ran: true, value: ran[0] }],
      );
      const properties = await jobBlob(prefix, 'nudge-sweep').getProperties();
      assert.equal(properties.leaseState, 'available');

      const loserLease = ran[0] === 'first' ? second : first;
      assert.deepEqual(await loserLease.runExclusive('nudge-sweep', () => Promise.resolve(42)), {
        ran: true,
        value: 42,
      });
    });

    it('releases the lease when the job throws, and rethrows', async () => {
      const lease = await openJobLeases(storage, { prefix: uniquePrefix() });
      class SweepFailed extends Error {}
      await assert.rejects(
        lease.runExclusive('weekly-digest', () => Promise.reject(new SweepFailed())),
        SweepFailed,
      );
      assert.deepEqual(await lease.runExclusive('weekly-digest', () => Promise.resolve('again')), {
        ran: true,
        value: 'again',
      });
    });

    it('aborts the job and logs when a renewal finds the lease lost', async () => {
      const prefix = uniquePrefix();
      const log = captureLog();
      const lease = await openJobLeases(storage, { prefix, leaseSeconds: 15, renewEveryMs: 100, log });
      const result = await lease.runExclusive('nudge-sweep', async (signal) => {
        // An operator (or a storage failover) breaks the lease while the sweep runs.
        await jobBlob(prefix, 'nudge-sweep').getBlobLeaseClient().breakLease(0);
        await Promise.race([
          new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
          sleep(5_000),
        ]);
        return signal.reason as unknown;
      });
      assert.ok(result.ran);
      assert.ok(result.value instanceof LeaseLostError);
      const lost = log.lines.find((line) => line.message === 'job lease lost');
      assert.equal(lost?.level, 'error');
      assert.equal(lost?.fields.job, 'nudge-sweep');
      assert.equal(lost?.fields.status, 409);
    });

    it('refuses lease lengths Azure would refuse, and names containers Azure accepts', async () => {
      await assert.rejects(openJobLeases(storage, { leaseSeconds: 10 }), RangeError);
      await assert.rejects(openJobLeases(storage, { leaseSeconds: 61 }), RangeError);
      assert.equal(jobsContainerName(''), 'jobs');
      assert.equal(jobsContainerName('t1a2b'), 't1a2bjobs');
      assert.equal(jobsContainerName('_My__Test.'), 'my-test-jobs');
      assert.equal(jobsContainerName('x'.repeat(80)).length, 63);
      const lease = await openJobLeases(storage, { prefix: 'Odd_Prefix' });
      assert.deepEqual(await lease.runExclusive('a-job', () => Promise.resolve(1)), { ran: true, value: 1 });
      await assert.rejects(
        lease.runExclusive('../elsewhere', () => Promise.resolve(1)),
        RangeError,
      );
    });

    // Slow (about 16 s): Azure leases last at least 15 s, so both cases wait that out together.
    it('SLOW: takes over a crashed holder’s lease once it lapses, and keeps a renewed one past its length', async function () {
      this.timeout(30_000);
      const prefix = uniquePrefix();
      const [first, second] = [
        await openJobLeases(storage, { prefix, leaseSeconds: 15 }),
        await openJobLeases(storage, { prefix, leaseSeconds: 15 }),
      ];

      const crashedHolder = async (): Promise<void> => {
        // An instance took the lease and died: nobody renews or releases it.
        const blob = jobBlob(prefix, 'crashed-job');
        await blob.upload('', 0);
        await blob.getBlobLeaseClient().acquireLease(15);
        const taken = performance.now();
        assert.deepEqual(await second.runExclusive('crashed-job', () => Promise.resolve('early')), {
          ran: false,
        });
        for (;;) {
          const attempt = await second.runExclusive('crashed-job', () => Promise.resolve('taken over'));
          if (attempt.ran) break;
          assert.ok(performance.now() - taken < 18_000, 'the crashed lease never lapsed');
          await sleep(250);
        }
        const waited = performance.now() - taken;
        assert.ok(waited > 14_000, `taken over after ${Math.round(waited)} ms, before the lease lapsed`);
      };

      const renewedHolder = async (): Promise<void> => {
        const started = performance.now();
        const result = await first.runExclusive('renewed-job', async () => {
          await sleep(16_000 - (performance.now() - started));
          // Past the lease's 15 s: still held, because it was renewed.
          assert.deepEqual(await second.runExclusive('renewed-job', () => Promise.resolve('stolen')), {
            ran: false,
          });
          const held = await jobBlob(prefix, 'renewed-job').getProperties();
          assert.equal(held.leaseState, 'leased');
          assert.equal(held.leaseStatus, 'locked');
          return 'done';
        });
        assert.deepEqual(result, { ran: true, value: 'done' });
        const released = await jobBlob(prefix, 'renewed-job').getProperties();
        assert.equal(released.leaseState, 'available');
        assert.equal(released.leaseStatus, 'unlocked');
      };

      await Promise.all([crashedHolder(), renewedHolder()]);
    });
  });

  describe('schedules', () => {
    it('writes cron patterns for working days and a weekly day', () => {
      assert.equal(workingDaysAt('09:00'), '0 9 * * 1-5');
      assert.equal(workingDaysAt('17:30'), '30 17 * * 1-5');
      assert.equal(weeklyAt(1, '09:00'), '0 9 * * 1');
      assert.equal(weeklyAt(7, '18:05'), '5 18 * * 0');
      assert.throws(() => workingDaysAt('9:00'), RangeError);
      assert.throws(() => workingDaysAt('24:00'), RangeError);
      assert.throws(() => weeklyAt(0, '09:00'), RangeError);
      assert.throws(() => weeklyAt(8, '09:00'), RangeError);
    });

    it('computes the next runs from the clock in Europe/London, across the clock changes', async () => {
      const lease = await openJobLeases(storage, { prefix: uniquePrefix() });
      const jobs = (clock: Clock) =>
        startJobs({
          jobs: [
            { name: 'nudge-sweep', cron: workingDaysAt('09:00'), run: () => Promise.resolve() },
            { name: 'weekly-digest', cron: weeklyAt(5, '16:30'), run: () => Promise.resolve() },
          ],
          clock,
          lease,
          log: captureLog(),
        });
      // Saturday 27 March 2027: British Summer Time starts on Sunday the 28th, so 09:00 is 08:00Z.
      const spring = jobs(clockAt('2027-03-27T12:00:00Z'));
      assert.deepEqual(spring.nextRuns(), {
        'nudge-sweep': new Date('2027-03-29T08:00:00Z'),
        'weekly-digest': new Date('2027-04-02T15:30:00Z'),
      });
      await spring.stop();
      // Saturday 30 October 2027: BST ends on Sunday the 31st, so 09:00 is 09:00Z again.
      const autumn = jobs(clockAt('2027-10-30T12:00:00Z'));
      assert.deepEqual(autumn.nextRuns(), {
        'nudge-sweep': new Date('2027-11-01T09:00:00Z'),
        'weekly-digest': new Date('2027-11-05T16:30:00Z'),
      });
      await autumn.stop();
      // Another zone, if a policy asks for one.
      const eastern = startJobs({
        jobs: [{ name: 'nudge-sweep', cron: workingDaysAt('09:00'), run: () => Promise.resolve() }],
        clock: clockAt('2027-03-27T12:00:00Z'),
        lease,
        log: captureLog(),
        timeZone: 'America/New_York',
      });
      assert.deepEqual(eastern.nextRuns(), { 'nudge-sweep': new Date('2027-03-29T13:00:00Z') });
      await eastern.stop();
    });

    it('runs a job now under its lease: busy while another instance holds it, one run for two callers', async () => {
      const prefix = uniquePrefix();
      const [ours, theirs] = [
        await openJobLeases(storage, { prefix }),
        await openJobLeases(storage, { prefix }),
      ];
      const clock = clockAt('2027-03-29T08:00:00Z');
      const runs: Date[] = [];
      const hold = gate();
      const schedule = startJobs({
        jobs: [
          {
            name: 'nudge-sweep',
            cron: workingDaysAt('09:00'),
            run: async (at) => {
              runs.push(at);
              await hold.opened;
            },
          },
        ],
        clock,
        lease: ours,
        log: captureLog(),
      });
      try {
        const both = [schedule.runNow('nudge-sweep'), schedule.runNow('nudge-sweep')];
        hold.open();
        assert.deepEqual(await Promise.all(both), ['ran', 'ran']);
        assert.deepEqual(runs, [clock.now()]);

        const elsewhere = gate();
        const held = theirs.runExclusive('nudge-sweep', () => elsewhere.opened);
        await sleep(200); // let the other instance take the lease
        assert.equal(await schedule.runNow('nudge-sweep', new Date('2027-03-30T08:00:00Z')), 'busy');
        assert.equal(runs.length, 1);
        elsewhere.open();
        await held;
        assert.equal(await schedule.runNow('nudge-sweep', new Date('2027-03-30T08:00:00Z')), 'ran');
        assert.deepEqual(runs.at(-1), new Date('2027-03-30T08:00:00Z'));
        await assert.rejects(schedule.runNow('no-such-job'), /no job named/);
      } finally {
        await schedule.stop();
      }
    });

    it('logs a failing run by name only and keeps to its schedule', async function () {
      this.timeout(10_000);
      const lease = await openJobLeases(storage, { prefix: uniquePrefix() });
      // A clock that starts at a fixed instant and moves with real time, so an every-second job comes due.
      const base = new Date('2027-03-29T08:59:58.500Z').getTime();
      const started = performance.now();
      const now = () => new Date(base + (performance.now() - started));
      const clock: Clock = { now, today: () => londonDate(now()) };
      const log = captureLog();
      const runs: Date[] = [];
      const second = gate();
      const schedule = startJobs({
        jobs: [
          {
            name: 'flaky',
            cron: '* * * * * *',
            run: (at) => {
              runs.push(at);
              if (runs.length === 1) return Promise.reject(new TypeError('row for person@example.org'));
              second.open();
              return Promise.resolve();
            },
          },
        ],
        clock,
        lease,
        log,
      });
      try {
        await Promise.race([second.opened, sleep(5_000)]);
        assert.ok(runs.length >= 2, `ran ${runs.length} times`);
        assert.deepEqual(runs.slice(0, 2), [
          new Date('2027-03-29T08:59:59Z'),
          new Date('2027-03-29T09:00:00Z'),
        ]);
        const failed = log.lines.find((line) => line.message === 'job failed');
        assert.deepEqual(failed?.fields, {
          job: 'flaky',
          at: '2027-03-29T08:59:59.000Z',
          error: 'TypeError',
        });
        assert.ok(!JSON.stringify(log.lines).includes('example.org'), 'the error’s message was logged');
      } finally {
        await schedule.stop();
      }
    });

    it('stop() aborts a running job, waits for it, and leaves the lease free', async () => {
      const prefix = uniquePrefix();
      const lease = await openJobLeases(storage, { prefix });
      const started = gate();
      let sawAbort = false;
      const job: ScheduledJob = {
        name: 'nudge-sweep',
        cron: workingDaysAt('09:00'),
        run: async (_at, signal) => {
          started.open();
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          await sleep(50); // winding down after the abort
          sawAbort = signal.aborted;
        },
      };
      const schedule = startJobs({
        jobs: [job],
        clock: clockAt('2027-03-29T08:00:00Z'),
        lease,
        log: captureLog(),
      });
      const running = schedule.runNow('nudge-sweep');
      await started.opened;
      await schedule.stop();
      assert.equal(sawAbort, true);
      assert.equal(await running, 'ran');
      await assert.rejects(schedule.runNow('nudge-sweep'), /stopped/);
      const other = await openJobLeases(storage, { prefix });
      assert.deepEqual(await other.runExclusive('nudge-sweep', () => Promise.resolve('free')), {
        ran: true,
        value: 'free',
      });
    });

    it('runs the latest missed time at start when asked', async () => {
      const lease = await openJobLeases(storage, { prefix: uniquePrefix() });
      const ran = gate();
      const runs: Date[] = [];
      const schedule = startJobs({
        jobs: [
          {
            name: 'nudge-sweep',
            cron: workingDaysAt('09:00'),
            run: (at) => {
              runs.push(at);
              ran.open();
              return Promise.resolve();
            },
          },
        ],
        clock: clockAt('2027-03-29T12:00:00Z'),
        lease,
        log: captureLog(),
        runMissedOnStart: true,
      });
      try {
        await ran.opened;
        assert.deepEqual(runs, [new Date('2027-03-29T08:00:00Z')]);
        assert.deepEqual(schedule.nextRuns(), { 'nudge-sweep': new Date('2027-03-30T08:00:00Z') });
      } finally {
        await schedule.stop();
      }
    });
  });
});

/**
 * One holder per background job across every instance of the service: a blob lease on one empty
 * blob per job (DESIGN.md §5, "a blob lease so only one instance runs a sweep"). The same code
 * runs on Azurite. A holder that crashes stops renewing, and its lease expires after
 * `leaseSeconds`; the next instance to ask then takes it.
 */
import { performance } from 'node:perf_hooks';
import {
  BlobServiceClient,
  type BlobLeaseClient,
  type BlockBlobClient,
  type ContainerClient,
} from '@azure/storage-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { type StorageConfig } from '../config';
import { type Logger, createLogger } from '../log';
import { statusOf } from '../storage/entities';

/** What {@link JobLease.runExclusive} did: ran `fn` (and what it returned), or found the job held elsewhere. */
export type Exclusive<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

/** One holder per job name, across processes. */
export interface JobLease {
  /**
   * Runs fn while holding the job's lease; `{ ran: false }` at once when another holder has it. The
   * lease is renewed while fn runs and released at the end (also when fn throws, which rethrows).
   * If a renewal fails (the lease was lost), the signal passed to fn is aborted and the loss is
   * logged.
   */
  runExclusive<T>(job: string, fn: (signal: AbortSignal) => Promise<T>): Promise<Exclusive<T>>;
}

/** Options for {@link BlobJobLease}. */
export interface BlobJobLeaseOptions {
  /** How long a lease lasts without renewal: 15 to 60 seconds (Azure's limits), default 30. */
  readonly leaseSeconds?: number;
  /** How often a held lease is renewed; default a third of the lease, so two renewals may fail before it lapses. */
  readonly renewEveryMs?: number;
  readonly log?: Logger;
}

/** Thrown into a job's signal when its lease could not be kept. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly job: string) {
    super(`the lease on job ${job} was lost`);
  }
}

/** Azure's bounds on a finite blob lease. */
const MIN_LEASE_SECONDS = 15;
const MAX_LEASE_SECONDS = 60;

/** Job names become blob names: kept to a plain, URL-safe shape. */
const JOB_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** Job leases on blobs in one container, one empty blob per job. */
export class BlobJobLease implements JobLease {
  private readonly leaseSeconds: number;
  private readonly renewEveryMs: number;
  private readonly log: Logger;

  constructor(
    private readonly container: ContainerClient,
    options: BlobJobLeaseOptions = {},
  ) {
    const leaseSeconds = options.leaseSeconds ?? 30;
    if (
      !Number.isInteger(leaseSeconds) ||
      leaseSeconds < MIN_LEASE_SECONDS ||
      leaseSeconds > MAX_LEASE_SECONDS
    ) {
      throw new RangeError(
        `leaseSeconds must be a whole number from ${MIN_LEASE_SECONDS} to ${MAX_LEASE_SECONDS}`,
      );
    }
    const renewEveryMs = options.renewEveryMs ?? (leaseSeconds * 1000) / 3;
    if (!(renewEveryMs > 0 && renewEveryMs < leaseSeconds * 1000)) {
      throw new RangeError('renewEveryMs must be more than 0 and less than the lease');
    }
    this.leaseSeconds = leaseSeconds;
    this.renewEveryMs = renewEveryMs;
    this.log = options.log ?? createLogger('bot.jobs.lease');
  }

  async runExclusive<T>(job: string, fn: (signal: AbortSignal) => Promise<T>): Promise<Exclusive<T>> {
    if (!JOB_NAME.test(job)) throw new RangeError(`not a job name: ${JSON.stringify(job)}`);
    const blob = this.container.getBlockBlobClient(job);
    const lease = blob.getBlobLeaseClient();
    if (!(await this.acquire(blob, lease))) return { ran: false };

    const controller = new AbortController();
    const keeper = this.keep(job, lease, controller);
    try {
      return { ran: true, value: await fn(controller.signal) };
    } finally {
      await keeper.stop();
      if (!controller.signal.aborted) {
        // A failed release is not fatal: the lease lapses after leaseSeconds.
        await lease.releaseLease().catch((error: unknown) =>
          this.log.warn('job lease not released', {
            job,
            error: errorName(error),
            status: statusOf(error),
          }),
        );
      }
    }
  }

  /** Takes the lease: true when held, false when someone else holds it. Creates the job's blob on first use. */
  private async acquire(blob: BlockBlobClient, lease: BlobLeaseClient): Promise<boolean> {
    // Twice at most: a blob created here (or by another instance meanwhile) is there for the second try.
    for (let attempt = 1; ; attempt++) {
      try {
        await lease.acquireLease(this.leaseSeconds);
        return true;
      } catch (error) {
        if (statusOf(error) === 409 && errorCode(error) === 'LeaseAlreadyPresent') return false;
        if (statusOf(error) !== 404 || errorCode(error) !== 'BlobNotFound' || attempt > 1) throw error;
      }
      try {
        // Only if absent: two instances creating it at once both go on to race for the lease.
        await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
      } catch (error) {
        const status = statusOf(error);
        if (status !== 409 && status !== 412) throw error;
      }
    }
  }

  /**
   * Renews the lease every renewEveryMs until stopped. A refusal (a 4xx such as 409: the lease is
   * broken, or expired and taken) aborts at once; other failures (network, timeouts, 5xx) are
   * retried on the next tick until the lease would have lapsed since the last renewal that succeeded.
   */
  private keep(job: string, lease: BlobLeaseClient, controller: AbortController): { stop(): Promise<void> } {
    // Measured on the monotonic clock: this is the storage service's lease time, not the business clock.
    let heldUntil = performance.now() + this.leaseSeconds * 1000;
    let pending: Promise<void> = Promise.resolve();
    const lost = (error: unknown): void => {
      clearInterval(timer);
      this.log.error('job lease lost', { job, error: errorName(error), status: statusOf(error) });
      controller.abort(new LeaseLostError(job));
    };
    const renew = async (): Promise<void> => {
      const started = performance.now();
      try {
        await lease.renewLease({ abortSignal: AbortSignal.timeout(this.renewEveryMs) });
        heldUntil = started + this.leaseSeconds * 1000;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (isRefusal(error) || performance.now() >= heldUntil) lost(error);
        else this.log.warn('job lease renewal failed; retrying', { job, error: errorName(error) });
      }
    };
    const timer = setInterval(() => {
      pending = pending.then(renew);
    }, this.renewEveryMs);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await pending;
      },
    };
  }
}

/**
 * Opens (and creates if missing) the container `<prefix>jobs` holding one empty blob per job name.
 * `prefix` namespaces it as it does the table names (tests give each case its own).
 */
export async function openJobLeases(
  storage: StorageConfig,
  options: { prefix?: string; leaseSeconds?: number; renewEveryMs?: number; log?: Logger } = {},
): Promise<BlobJobLease> {
  // The blob client accepts plain HTTP (Azurite on loopback) without an option, unlike the table client.
  const service =
    storage.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(storage.connectionString)
      : new BlobServiceClient(storage.blobUrl, new DefaultAzureCredential());
  const container = service.getContainerClient(jobsContainerName(options.prefix ?? ''));
  await container.createIfNotExists();
  return new BlobJobLease(container, options);
}

/**
 * The container's name for a prefix: container names are 3–63 lowercase letters, digits and single
 * hyphens, starting and ending with a letter or digit, so the prefix is lowercased, anything else
 * becomes a hyphen, and it is cut to fit.
 */
export function jobsContainerName(prefix: string): string {
  const safe = prefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63 - 'jobs'.length);
  return `${safe}jobs`;
}

/** A 4xx other than a timeout or throttling: the service says no, and asking again will not change it. */
function isRefusal(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

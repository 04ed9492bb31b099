/** Port helpers for the dev stack and tests: find a free loopback port, or say clearly that one is taken. */
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Rejects with a message naming the setting when `port` is already in use on 127.0.0.1. */
export async function assertPortFree(port: number, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is already in use (${setting}). Stop the program using it, or set ${setting} to another port.`
            : `Cannot listen on port ${port} (${setting}): ${error.code ?? error.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Free ports for an Azurite with its table, queue and blob services (the outbox and job leases). */
export async function storagePorts(): Promise<{ table: number; queue: number; blob: number }> {
  return { table: await freePort(), queue: await freePort(), blob: await freePort() };
}

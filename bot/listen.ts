/** Starting and stopping an HTTP server, shared by the service and the dev stand-ins. */
import { type RequestListener, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** A listening server and how to stop it. */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  /**
   * Stops accepting and resolves when every connection is closed: at once by default, or after
   * the requests in flight are answered, waiting at most `graceMs` (graceful shutdown).
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Listens on `host:port` (port 0 picks a free one). A port already in use rejects with a
 * message naming it, so the dev stack can say which setting to change.
 */
export async function listen(handler: RequestListener, port: number, host: string): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on ${host} is already in use. Stop whatever uses it or choose another port.`,
            )
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (graceMs = 0) =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections go now; one with a request in flight goes once it is
        // answered (looked for every 50 ms), and whatever is left at the grace period is cut.
        server.closeIdleConnections();
        if (graceMs <= 0) {
          server.closeAllConnections();
          return;
        }
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.once('close', () => {
          clearInterval(idle);
          clearTimeout(cut);
        });
      }),
  };
}

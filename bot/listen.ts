/** Starting and stopping an HTTP server, shared by the service and the dev stand-ins. */
import { type RequestListener, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

/** A listening server and how to stop it. */
export interface Listening {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, closes open connections, and resolves when closed. */
  close(): Promise<void>;
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

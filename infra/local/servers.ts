/** Starting and stopping the local HTTP servers. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens and resolves with the actual port (0 asks for a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Closes the server and its open connections, so a restart can take the same port at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

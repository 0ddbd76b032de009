import { createServer } from 'node:net';

/** A TCP port free on loopback right now (for a server a test or benchmark starts as a child process). */
export function portLibre(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

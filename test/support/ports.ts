import { createServer } from 'node:net';

const essayer = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/** A TCP port free on loopback right now (for a server a test or benchmark starts as a child process). */
export const portLibre = (): Promise<number> => essayer(0);

/**
 * A free port below 32768: the full Temporal server keeps its services' membership ports in a SMALLINT column,
 * which the system's ephemeral ports overflow.
 */
export async function portLibreBas(): Promise<number> {
  for (;;) {
    try {
      return await essayer(10_000 + Math.floor(Math.random() * 22_000));
    } catch {
      // Taken: another.
    }
  }
}

// One way to open the database: PGlite (embedded, file-backed or in memory) or a PostgreSQL server,
// both through Prisma's driver adapters, so no Prisma engine binary is needed at runtime.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations, type SqlSession } from './migrations';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL on one connection (migrations need one: transactions and advisory locks are per connection). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * A statement prepared once per connection under its name (PostgreSQL parses and plans it once), without the
   * client's query building: for the API's hottest read and the write after every action, where both cost more
   * than the statement itself. One name, one text. A `TIMESTAMP` column comes back in the process's time zone (not
   * as UTC, as Prisma reads it): select it `AT TIME ZONE 'UTC'`.
   */
  preparee<T>(nom: string, sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function openPglite(location: string): Database {
  if (location !== 'memory') mkdirSync(location, { recursive: true });
  const pglite = location === 'memory' ? new PGlite() : new PGlite(location);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    withSession: (work) =>
      work({
        exec: async (sql) => {
          await pglite.exec(sql);
        },
        query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
      }),
    preparee: async <T>(_nom: string, sql: string, params: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

function openPostgres(url: string): Database {
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover, shutdown) emits 'error' on the pool: without a
  // listener Node would crash the process; the pool replaces the connection and the next query reconnects.
  pool.on('error', (error) => console.warn(`PostgreSQL : connexion inactive perdue (${error.message})`));
  // A dropped connection's socket may still report its reset (ECONNRESET) after the pool has let the client go:
  // each client keeps a listener of its own, so that late report is not an uncaught error either.
  pool.on('connect', (client) => client.on('error', () => {}));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    withSession: async (work) => {
      const client = await pool.connect();
      try {
        return await work({
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
        });
      } finally {
        client.release();
      }
    },
    preparee: async <T>(nom: string, sql: string, params: unknown[]) => (await pool.query({ name: nom, text: sql, values: params })).rows as T[],
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export function openDatabase(url: string): Database {
  if (url.startsWith('pglite:')) return openPglite(url.slice('pglite:'.length));
  return openPostgres(url);
}

/** Opens the database and brings its schema up to date. */
export async function openMigratedDatabase(url: string): Promise<Database> {
  const db = openDatabase(url);
  try {
    await db.withSession(applyMigrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

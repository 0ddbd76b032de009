// A fresh, migrated database per test file: PGlite in memory by default, or a new database on the
// PostgreSQL server named by TEST_DATABASE_URL (`.ci/run` runs the database tests that way too).
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, openMigratedDatabase, type Database } from '../../platform/database';

export interface TestDatabase extends Database {
  url: string;
}

export const postgresUrl = process.env.TEST_DATABASE_URL;

/** One statement on its own connection to `url` (databases are created and dropped outside any transaction). */
export async function requeteAdmin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freshUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresUrl) return { url: 'pglite:memory', drop: async () => {} };
  const name = `passpro_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await requeteAdmin(postgresUrl, `CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => requeteAdmin(postgresUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function wrap(open: (url: string) => Promise<Database> | Database): Promise<TestDatabase> {
  const { url, drop } = await freshUrl();
  const db = await open(url);
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}

export const testDatabase = () => wrap(openMigratedDatabase);
/** Without migrations, for the migration tests themselves. */
export const emptyTestDatabase = () => wrap(openDatabase);

import { applyMigrations, readMigrations } from '../../platform/migrations';
import { emptyTestDatabase, type TestDatabase } from '../support/db';

describe('migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await emptyTestDatabase();
  });
  afterEach(async () => {
    await db.close();
  });

  it('applies every migration once and keeps Prisma bookkeeping', async () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(await db.withSession((s) => applyMigrations(s))).toEqual(migrations.map((m) => m.name));
    expect(await db.withSession((s) => applyMigrations(s))).toEqual([]);
    const rows = await db.withSession((s) =>
      s.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      ),
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1]),
    );
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await db.prisma.candidature.count()).toBe(0);
  });

  it('refuses a migration modified after it was applied', async () => {
    const [first] = readMigrations();
    await db.withSession((s) => applyMigrations(s, [first]));
    const altered = { ...first, checksum: '0'.repeat(64) };
    await expect(db.withSession((s) => applyMigrations(s, [altered]))).rejects.toThrow(/modified after it was applied/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const broken = { name: '29990101000000_broken', sql: 'CREATE TABLE "X" (id int); SELECT nope FROM nowhere;', checksum: 'x' };
    await expect(db.withSession((s) => applyMigrations(s, [broken]))).rejects.toThrow(/29990101000000_broken failed/);
    const tables = await db.withSession((s) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'X'`),
    );
    expect(tables[0].n).toBe(0);
    const rows = await db.withSession((s) => s.query('SELECT 1 FROM "_prisma_migrations"'));
    expect(rows).toHaveLength(0);
  });
});

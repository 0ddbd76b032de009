// schema.prisma and prisma/migrations must describe the same database: the SQL Prisma derives from the
// schema and the migrations are each applied to an empty database, and the two catalogs are compared.
import { applyMigrations } from '../../platform/migrations';
import { currentSchema, schemaDiffSql } from '../../scripts/schema-sql';
import { emptyTestDatabase, type TestDatabase } from '../support/db';

const catalogQuery = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS item
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
  UNION ALL
  SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
  ORDER BY 1`;

async function catalog(db: TestDatabase): Promise<string[]> {
  return (await db.withSession((s) => s.query<{ item: string }>(catalogQuery))).map((r) => r.item);
}

describe('schema.prisma and prisma/migrations', () => {
  it('describe the same database (run `npm run db:migration -- <name>` when this fails)', async () => {
    const fromSchema = await emptyTestDatabase();
    const fromMigrations = await emptyTestDatabase();
    try {
      await fromSchema.withSession((s) => s.exec(schemaDiffSql(null, currentSchema())));
      await fromMigrations.withSession((s) => applyMigrations(s));
      const expected = await catalog(fromSchema);
      expect(expected.length).toBeGreaterThan(10);
      expect(await catalog(fromMigrations)).toEqual(expected);
    } finally {
      await fromSchema.close();
      await fromMigrations.close();
    }
  }, 120_000);
});

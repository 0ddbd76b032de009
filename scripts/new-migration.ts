// Drafts prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the last committed schema.prisma
// (or from nothing, for the first migration) to the current one. Review it before committing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { currentSchema, schemaDiffSql } from './schema-sql';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(2);
}
const migrationsDir = path.resolve(__dirname, '../prisma/migrations');
const hasMigrations = readdirSync(migrationsDir).some((entry) => /^\d{14}_/.test(entry));
const previous = hasMigrations
  ? execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' })
  : null;
const sql = schemaDiffSql(previous, currentSchema());
if (!/CREATE|ALTER|DROP/.test(sql)) {
  console.error('schema.prisma does not differ from the last committed one: nothing to migrate');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);

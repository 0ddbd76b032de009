// Turns a Prisma schema into the SQL that creates it, with Prisma's own schema engine (WASM build).
// Used by the drift test (migrations vs schema) and by `npm run db:migration` to draft a new migration.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Prisma 6 wants a datasource url that Prisma 7 forbids: add a placeholder to a temporary copy. */
function withUrl(schema: string): string {
  return schema.replace(/datasource\s+db\s*\{/, '$&\n  url = "postgresql://placeholder@localhost/placeholder"');
}

export function schemaDiffSql(from: string | null, to: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'passpro-schema-'));
  try {
    const args = ['migrate', 'diff', '--config', path.join(root, 'prisma/wasm/prisma.config.ts')];
    if (from === null) {
      args.push('--from-empty');
    } else {
      writeFileSync(path.join(dir, 'from.prisma'), withUrl(from));
      args.push('--from-schema-datamodel', path.join(dir, 'from.prisma'));
    }
    writeFileSync(path.join(dir, 'to.prisma'), withUrl(to));
    args.push('--to-schema-datamodel', path.join(dir, 'to.prisma'), '--script');
    return execFileSync(process.execPath, [path.join(root, 'node_modules/prisma-wasm/build/index.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // The CLI checks for a query engine library it never uses for a diff; any existing file satisfies it.
      env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function currentSchema(): string {
  return readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
}

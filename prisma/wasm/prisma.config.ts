// Configuration for Prisma 6's WASM schema engine (package alias `prisma-wasm`), used only to turn
// schema.prisma into SQL: Prisma 7's CLI needs an engine binary this machine cannot download.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { defineConfig } from 'prisma-wasm/config';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: process.env.PASSPRO_WASM_SCHEMA ?? 'schema.prisma',
  adapter: async () => new PrismaPGlite(new PGlite()),
} as Parameters<typeof defineConfig>[0]);

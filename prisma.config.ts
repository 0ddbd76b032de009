// Prisma 7 CLI configuration. Only `prisma generate` is used (the client runs on driver adapters);
// migrations are applied by runtime/migrations.ts, drafted by `npm run db:migration`.
import { defineConfig } from 'prisma/config';

export default defineConfig({ schema: 'prisma/schema.prisma' });

// `npm run db:migrate` (and the `migrate` service of docker-compose): applies prisma/migrations and exits.
import { configOrExit } from './process';
import { openDatabase } from '../platform/database';
import { applyMigrations } from '../platform/migrations';

async function main(): Promise<void> {
  const config = configOrExit();
  const db = openDatabase(config.DATABASE_URL);
  try {
    const applied = await db.withSession((session) => applyMigrations(session));
    console.log(applied.length ? `migrations appliquées : ${applied.join(', ')}` : 'base à jour : aucune migration à appliquer');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

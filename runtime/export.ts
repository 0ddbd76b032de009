// `npm run -s export -- affelnet --campagne creteil-2018 [--sortie fichier.csv]` and
// `npm run -s export -- retards [--campagne …] [--sortie …]`: the SAIO's CSV exports (api/exports.ts) from the
// command line, on the configured database. The embedded database (PGlite) serves one process at a time:
// stop `npm start` first, or ask the running API (`GET /exports/…`).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportAffelnet, exportAffelnetQuery, exportRetards, exportRetardsQuery, type Export } from '../api/exports';
import { parse } from '../api/validation';
import { openMigratedDatabase, type PrismaClient } from '../platform/database';
import { configOrExit } from './process';

const usage = `usage : npm run -s export -- affelnet --campagne <campagne> [--sortie <fichier.csv>]
        npm run -s export -- retards [--campagne <campagne>] [--sortie <fichier.csv>]
  sans --sortie, le CSV va sur la sortie standard`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { campagne: { type: 'string' }, sortie: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [quoi, ...reste] = positionals;
  if ((quoi !== 'affelnet' && quoi !== 'retards') || reste.length > 0) throw new Error(usage);
  // The API's own query schemas: the same checks and messages (an unknown campagne is named).
  const query = { ...(values.campagne === undefined ? {} : { campagne: values.campagne }) };
  let produire: (prisma: PrismaClient) => Promise<Export>;
  if (quoi === 'affelnet') {
    const { campagne } = parse(exportAffelnetQuery, query, 'option');
    produire = (prisma) => exportAffelnet(prisma, campagne);
  } else {
    const { campagne } = parse(exportRetardsQuery, query, 'option');
    produire = (prisma) => exportRetards(prisma, campagne);
  }
  const config = configOrExit();
  const db = await openMigratedDatabase(config.DATABASE_URL);
  try {
    const { contenu } = await produire(db.prisma);
    if (values.sortie) {
      writeFileSync(values.sortie, contenu);
      console.error(`écrit ${values.sortie}`);
    } else {
      process.stdout.write(contenu);
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});

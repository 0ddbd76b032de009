// Issues an API token signed with the configured JWT_SECRET (the public development secret by default):
//   npm run -s token -- --role origine_chef --uai 0931234L --nom "Mme X" [--duree 8h]
// prints the token alone on stdout, for `Authorization: Bearer <jeton>`.
import { parseArgs } from 'node:util';
import { emettreJeton, jetonClaimsSchema, rolesPersonnes } from '../api/auth';
import { DEV_JWT_SECRET, loadConfig } from '../platform/config';

const usage = `usage : npm run -s token -- --role <${rolesPersonnes.join('|')}> [--uai <UAI>] --nom "<nom>" [--duree 8h]
  --uai    l'établissement (7 chiffres et la lettre clé) ; aucun pour le rôle saio
  --duree  durée de validité (jose : 30m, 8h, 7d…), 8h par défaut`;

export async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, uai: { type: 'string' }, nom: { type: 'string' }, duree: { type: 'string', default: '8h' } },
    strict: true,
  });
  const claims = jetonClaimsSchema.safeParse({ sub: values.nom, role: values.role, uai: values.uai ?? null });
  if (!claims.success) {
    const lignes = claims.error.issues.map((i) => `  ${i.path.join('.') === 'sub' ? 'nom' : i.path.join('.')} : ${i.message}`);
    throw new Error(`${lignes.join('\n')}\n${usage}`);
  }
  if (!/^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.test(values.duree)) {
    throw new Error(`--duree « ${values.duree} » : attendu par exemple 30m, 8h, 7d\n${usage}`);
  }
  const config = loadConfig();
  if (config.JWT_SECRET === DEV_JWT_SECRET) console.error('attention : jeton signé avec le secret de développement (JWT_SECRET non défini)');
  return emettreJeton(config.JWT_SECRET, { role: claims.data.role, uai: claims.data.uai ?? null, nom: claims.data.sub }, values.duree);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (jeton) => console.log(jeton),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(2);
    },
  );
}

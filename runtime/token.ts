// Issues an API token signed with the configured JWT_SECRET (the public development secret by default):
//   npm run -s token -- --role origine_chef --uai 0931234L --nom "Mme X" [--duree 8h]
// prints the token alone on stdout, for `Authorization: Bearer <jeton>`, and on stderr its id (jti), with
// which the SAIO revokes it (`POST /jetons/revocations`).
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { DUREE_MAX_JETON_S, emettreJeton, jetonClaimsSchema, rolesPersonnes } from '../api/auth';
import { DEV_JWT_SECRET, loadConfig } from '../platform/config';

const usage = `usage : npm run -s token -- --role <${rolesPersonnes.join('|')}> [--uai <UAI>] --nom "<nom>" [--duree 8h]
  --uai    l'établissement (7 chiffres et la lettre clé) ; aucun pour le rôle saio
  --duree  durée de validité (30m, 8h…), 8h par défaut, ${DUREE_MAX_JETON_S / 3600}h au plus`;

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
  const config = loadConfig();
  if (config.JWT_SECRET === DEV_JWT_SECRET) console.error('attention : jeton signé avec le secret de développement (JWT_SECRET non défini)');
  let jeton: string;
  try {
    jeton = await emettreJeton(config.JWT_SECRET, { role: claims.data.role, uai: claims.data.uai ?? null, nom: claims.data.sub }, values.duree);
  } catch (error) {
    throw new Error(`--duree : ${(error as Error).message.replace(/^durée /, '')}\n${usage}`);
  }
  const { jti, exp } = decodeJwt(jeton);
  console.error(`jeton ${jti}, valable jusqu'au ${new Date(exp! * 1000).toISOString()}`);
  return jeton;
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

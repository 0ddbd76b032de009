// The embedded development identity provider as a process of its own (`npm start` starts it beside MailDev;
// the sign-in tests too): it registers Passpro's client as the configuration names it (OIDC_CLIENT_*,
// OIDC_REDIRECT_URI, OIDC_POST_LOGOUT_REDIRECT_URI) and listens on 127.0.0.1:OIDC_DEV_PORT.
import { devIssuer } from '../platform/config';
import { demarrerFournisseurIdentite } from '../platform/identity-provider';
import { configOrExit } from './process';

/** The line the launcher and the tests wait for. */
export const PRET = 'fournisseur d’identité prêt :';

async function main(): Promise<void> {
  const config = configOrExit();
  if (config.OIDC_ISSUER !== devIssuer(config.OIDC_DEV_PORT)) {
    console.error(`OIDC_ISSUER (${config.OIDC_ISSUER}) n'est pas le fournisseur de développement (${devIssuer(config.OIDC_DEV_PORT)})`);
    process.exit(2);
  }
  const fournisseur = await demarrerFournisseurIdentite({
    host: '127.0.0.1',
    port: config.OIDC_DEV_PORT,
    client: {
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      redirectUri: config.OIDC_REDIRECT_URI,
      postLogoutRedirectUri: config.OIDC_POST_LOGOUT_REDIRECT_URI,
    },
  });
  console.log(`${PRET} ${fournisseur.issuer}`);
  const arreter = () => void fournisseur.stop().then(() => process.exit(0));
  process.on('SIGINT', arreter);
  process.on('SIGTERM', arreter);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

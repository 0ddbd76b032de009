// The embedded development identity provider (`npm start`, tests): a real OpenID provider (oidc-provider) holding
// one head and one staff account for each établissement of the catalogue and for the SAIO. Its sign-in page lists
// them with their role; the one chosen is signed in through the provider's own interaction, and consent is given
// at once for Passpro, its only client. It runs as a child process (runtime/identity-provider.ts): oidc-provider
// is an ES module that jest on Node 20 cannot load, and a child is what an external SSO is to Passpro.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import Handlebars from 'handlebars';
import { exportJWK, generateKeyPair } from 'jose';
import type { Adapter, AdapterPayload, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import Provider from 'oidc-provider';
import { comptesDeveloppement } from './comptes-developpement';
import { templatesDir } from './paths';

/** The provider's store: in memory (a restart signs everyone out of the provider, not out of Passpro). */
class AdapterMemoire implements Adapter {
  private static readonly entrees = new Map<string, { payload: AdapterPayload; expireLe: number }>();

  constructor(private readonly modele: string) {}

  private cle(id: string): string {
    return `${this.modele}:${id}`;
  }

  private static vivante(cle: string): AdapterPayload | undefined {
    const entree = AdapterMemoire.entrees.get(cle);
    if (!entree) return undefined;
    if (entree.expireLe <= Date.now()) {
      AdapterMemoire.entrees.delete(cle);
      return undefined;
    }
    return entree.payload;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    AdapterMemoire.entrees.set(this.cle(id), { payload, expireLe: Date.now() + expiresIn * 1000 });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return AdapterMemoire.vivante(this.cle(id));
  }

  private async trouverPar(champ: 'uid' | 'userCode', valeur: string): Promise<AdapterPayload | undefined> {
    for (const cle of AdapterMemoire.entrees.keys()) {
      const payload = cle.startsWith(`${this.modele}:`) ? AdapterMemoire.vivante(cle) : undefined;
      if (payload?.[champ] === valeur) return payload;
    }
    return undefined;
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.trouverPar('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.trouverPar('userCode', userCode);
  }

  async consume(id: string): Promise<void> {
    const payload = AdapterMemoire.vivante(this.cle(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    AdapterMemoire.entrees.delete(this.cle(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [cle, { payload }] of AdapterMemoire.entrees) if (payload.grantId === grantId) AdapterMemoire.entrees.delete(cle);
  }
}

export interface ClientEnregistre {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export interface FournisseurIdentite {
  issuer: string;
  stop(): Promise<void>;
}

const hbs = Handlebars.create();
const page = (nom: string) => hbs.compile(readFileSync(path.join(templatesDir, 'pages', 'fournisseur', `${nom}.hbs`), 'utf8'));

function rendre(ctx: KoaContextWithOIDC, html: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = html;
}

/** Starts the provider on `host:port` for one client, Passpro; `port` 0 takes a free port. */
export async function demarrerFournisseurIdentite(options: { host: string; port: number; client: ClientEnregistre }): Promise<FournisseurIdentite> {
  const comptes = new Map(comptesDeveloppement().map((c) => [c.id, c]));
  const pages = { connexion: page('connexion'), deconnexion: page('deconnexion'), message: page('message') };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'passpro-dev', use: 'sig', alg: 'RS256' } as JWK;

  const app = express();
  app.disable('x-powered-by');
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, options.host, () => resolve(s)).on('error', reject);
  });
  const address = server.address();
  const issuer = `http://${options.host}:${typeof address === 'object' && address ? address.port : options.port}`;

  const configuration: Configuration = {
    adapter: AdapterMemoire,
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        client_name: 'Passpro',
        redirect_uris: [options.client.redirectUri],
        post_logout_redirect_uris: [options.client.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The school and the function travel with the profile, as the académie's SSO sends them (OIDC_CLAIM_*).
    claims: { openid: ['sub'], profile: ['name', 'uai', 'fonction'], email: ['email'] },
    findAccount: (_ctx, sub) => {
      const compte = comptes.get(sub);
      if (!compte) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: compte.nom, email: compte.email, uai: compte.uai, fonction: compte.fonction }),
      };
    },
    // The built-in development login accepts any name and shows an English form: the accounts above instead.
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => rendre(ctx, pages.deconnexion({ form })),
        postLogoutSuccessSource: (ctx) => rendre(ctx, pages.message({ titre: 'Déconnexion', message: 'Vous êtes déconnecté du service d’identification de développement.' })),
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { methods: ['S256'], required: () => true },
    renderError: (ctx, out) =>
      rendre(ctx, pages.message({ titre: 'Erreur du service d’identification', message: out.error_description ?? out.error, code: out.error }), ctx.status >= 400 ? ctx.status : 400),
  };
  const provider = new Provider(issuer, configuration);

  type Handler = (req: express.Request, res: express.Response) => Promise<void>;
  const handle = (fn: Handler): express.RequestHandler => (req, res, next) => void fn(req, res).catch(next);

  app.get(
    '/interaction/:uid',
    handle(async (req, res) => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const groupes = [
          { titre: 'SAIO', comptes: [...comptes.values()].filter((c) => c.role === 'saio') },
          { titre: 'Lycées (accueil)', comptes: [...comptes.values()].filter((c) => c.role?.startsWith('accueil')) },
          { titre: 'Collèges (origine)', comptes: [...comptes.values()].filter((c) => c.role?.startsWith('origine')) },
          { titre: 'Sans rôle dans Passpro', comptes: [...comptes.values()].filter((c) => c.role === null) },
        ];
        res.type('html').send(pages.connexion({ uid: details.uid, groupes }));
        return;
      }
      // Consent: Passpro is the académie's own application, the only client here.
      const { missingOIDCScope, missingOIDCClaims } = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
      if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }),
  );

  app.post(
    '/interaction/:uid/connexion',
    express.urlencoded({ extended: false, limit: '1kb' }),
    handle(async (req, res) => {
      await provider.interactionDetails(req, res);
      const compte = comptes.get(String((req.body as { compte?: unknown }).compte));
      if (!compte) {
        res.status(400).type('html').send(pages.message({ titre: 'Compte inconnu', message: 'Choisissez un compte de la liste.' }));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: compte.id } }, { mergeWithLastSubmission: false });
    }),
  );

  app.use(provider.callback());
  // An interaction that has expired or whose cookie is gone (another browser): said in French, not a stack trace.
  app.use(((error, _req, res, _next) => {
    res.status(400).type('html').send(pages.message({ titre: 'Connexion interrompue', message: `La demande de connexion n’est plus valable (${(error as Error).message}) : recommencez depuis Passpro.` }));
  }) as express.ErrorRequestHandler);

  return {
    issuer,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

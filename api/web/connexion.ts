// Sign-in of the staff's pages with OpenID Connect (openid-client): Passpro is a relying party using the
// authorization code flow with PKCE (S256), `state` and `nonce`, and RP-initiated logout. Routes:
//   GET  /connexion?retour=/chemin   the sign-in page (a signed-in person goes straight to `retour`)
//   POST /connexion                  records the sign-in under way, sends the browser to the provider
//   GET  /connexion/retour           the provider's callback: checks, role from the claims, session, `retour`
//   GET  /compte                     who is signed in, with the sign-out form
//   POST /deconnexion                deletes the session, sends the browser to the provider's end_session
//   GET  /deconnexion/terminee       where the provider sends the browser back
// and the two middlewares of page routes: `exigerSession` (req.appelant, or a redirect to sign-in) and
// `exigerCsrf` (a form's `_csrf` must be its session's token). The JSON API keeps its bearer tokens.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import * as oidc from 'openid-client';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Appelant } from '../auth';
import type { Config } from '../../platform/config';
import { libelleEtablissement } from '../../presentation/etablissements';
import { libelleRole } from '../../presentation/pages';
import { rendrePage } from './pages';
import { attribuerRole, type ClaimsRoles } from './roles';
import {
  createConnexion,
  createSession,
  deleteSession,
  DUREE_CONNEXION_MS,
  effacerCookie,
  egauxEnTempsConstant,
  lireCookie,
  nomsCookies,
  poserCookie,
  readSession,
  takeConnexion,
  type ReglagesSession,
} from './sessions';

export interface ConnexionOptions extends ReglagesSession {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  scopes: string;
  claims: ClaimsRoles;
}

export function connexionOptions(config: Config): ConnexionOptions {
  return {
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    redirectUri: config.OIDC_REDIRECT_URI,
    postLogoutRedirectUri: config.OIDC_POST_LOGOUT_REDIRECT_URI,
    scopes: config.OIDC_SCOPES,
    claims: { nom: config.OIDC_CLAIM_NOM.split(/\s+/), uai: config.OIDC_CLAIM_UAI, fonction: config.OIDC_CLAIM_FONCTION },
    inactiviteMs: config.SESSION_INACTIVITE_MINUTES * 60_000,
    dureeMaxMs: config.SESSION_DUREE_MAX_MINUTES * 60_000,
    cookieSecure: config.SESSION_COOKIE_SECURE,
  };
}

export interface ConnexionWeb {
  routes: Router;
  /** Page routes: sets `req.appelant` and `res.locals.{appelant, csrf}`, or sends the person to sign-in. */
  exigerSession: RequestHandler;
  /** After `exigerSession` on a page's form POST (urlencoded): 403 unless `_csrf` is the session's token. */
  exigerCsrf: RequestHandler[];
  /** Who the request's session cookie is, if it has an open session (no redirect: the codec endpoint's). */
  appelantDeSession(req: Request): Promise<Appelant | undefined>;
}

/** A return path of this site only: a relative path, not `//host` nor `/\host` (no open redirect). */
/** Where a person lands after sign-in when nothing else is asked: their role's own start (api/web/espace.ts). */
const ESPACE = '/espace';

export function retourSur(valeur: unknown): string {
  if (typeof valeur !== 'string' || valeur.length > 2000 || !/^\/(?![/\\])[^\s\\]*$/.test(valeur)) return ESPACE;
  return /^\/(connexion|deconnexion)(\/|\?|$)/.test(valeur) || valeur === '/' ? ESPACE : valeur;
}

const boucleLocale = (host: string) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host);

const lienConnexion = (retour: string, extra = '') => `/connexion?retour=${encodeURIComponent(retour)}${extra}`;


export function creerConnexionWeb(prisma: PrismaClient, options: ConnexionOptions, logError: (error: unknown) => void): ConnexionWeb {
  const cookies = nomsCookies(options);
  const origine = new URL(options.redirectUri);

  // Discovered at the first sign-in, not at start: the API serves its scripts while the provider is away.
  let decouverte: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    decouverte ??= oidc
      .discovery(new URL(options.issuer), options.clientId, undefined, oidc.ClientSecretBasic(options.clientSecret), {
        execute: new URL(options.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        decouverte = undefined;
        throw error;
      });
    return decouverte;
  };

  type Handler = (req: Request, res: Response) => Promise<void>;
  const handle = (fn: Handler): RequestHandler => (req, res, next) => void fn(req, res).catch(next);

  const exigerSession: RequestHandler = (req, res, next) => {
    readSession(prisma, options, lireCookie(req, cookies.session)).then((lecture) => {
      if ('session' in lecture) {
        req.appelant = lecture.session.appelant;
        res.locals.appelant = lecture.session.appelant;
        res.locals.csrf = lecture.session.csrf;
        res.locals.sessionWeb = { id: lecture.id, idToken: lecture.session.idToken };
        next();
        return;
      }
      if ('expiree' in lecture) effacerCookie(res, options, cookies.session);
      res.redirect(303, lienConnexion(retourSur(req.originalUrl), 'expiree' in lecture ? '&expiree=1' : ''));
    }, next);
  };

  const refusCsrf = (res: Response) => rendrePage(res, 403, 'refus-csrf', { titre: 'Formulaire refusé' });
  const verifierCsrf: RequestHandler = (req, res, next) => {
    const attendu = res.locals.csrf as string | undefined;
    const recu = (req.body as { _csrf?: unknown } | undefined)?._csrf ?? req.get('x-csrf-token');
    if (!attendu || typeof recu !== 'string' || !egauxEnTempsConstant(recu, attendu)) {
      refusCsrf(res);
      return;
    }
    next();
  };
  const formulaire = express.urlencoded({ extended: false, limit: '100kb' });

  const routes = express.Router();

  routes.get(
    '/connexion',
    handle(async (req, res) => {
      const retour = retourSur(req.query.retour);
      // The sign-in's cookies must be set on the host the provider sends the browser back to: on loopback (the
      // embedded default serves 127.0.0.1 and localhost alike) the browser moves there first. A deployment's
      // proxy may pass another Host: it is left alone.
      const host = req.get('host') ?? '';
      if (host !== origine.host && boucleLocale(host) && boucleLocale(origine.host)) {
        res.redirect(302, `${origine.origin}${req.originalUrl}`);
        return;
      }
      const lecture = await readSession(prisma, options, lireCookie(req, cookies.session));
      if ('session' in lecture) {
        res.redirect(303, retour);
        return;
      }
      rendrePage(res, 200, 'connexion', { titre: 'Connexion', retour, expiree: req.query.expiree === '1' });
    }),
  );

  routes.post(
    '/connexion',
    formulaire,
    handle(async (req, res) => {
      const retour = retourSur((req.body as { retour?: unknown } | undefined)?.retour);
      let config: oidc.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        logError(error);
        rendrePage(res, 503, 'connexion', { titre: 'Connexion', retour, indisponible: true });
        return;
      }
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const jeton = await createConnexion(prisma, { state, nonce, codeVerifier, retour });
      poserCookie(res, options, cookies.connexion, jeton, DUREE_CONNEXION_MS);
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: options.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      res.redirect(303, url.href);
    }),
  );

  routes.get(
    '/connexion/retour',
    handle(async (req, res) => {
      const enCours = await takeConnexion(prisma, lireCookie(req, cookies.connexion));
      effacerCookie(res, options, cookies.connexion);
      const echec = (raison: string, retour = ESPACE) =>
        rendrePage(res, 400, 'connexion-echouee', { titre: 'Connexion refusée', raison, lienConnexion: lienConnexion(retour) });
      if (!enCours) {
        echec('Cette réponse du service d’identification ne correspond à aucune connexion en cours dans ce navigateur (déjà utilisée, trop ancienne, ou venue d’ailleurs).');
        return;
      }
      let config: oidc.Configuration;
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      let claims: Record<string, unknown>;
      try {
        config = await configuration();
        const url = new URL(options.redirectUri);
        url.search = new URL(req.originalUrl, origine).search;
        tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: enCours.codeVerifier,
          expectedState: enCours.state,
          expectedNonce: enCours.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...userinfo, ...idClaims };
      } catch (error) {
        // A refusal at the provider, a forged or tampered response: the person is told, nothing is opened; the
        // library's reason (in English, with no claim of the person) goes to the log.
        logError(error);
        const abandon = error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied';
        echec(abandon ? 'La connexion a été abandonnée auprès du service d’identification.' : 'Le service d’identification n’a pas confirmé votre identité.', enCours.retour);
        return;
      }
      const idToken = tokens.id_token!;
      const attribution = attribuerRole(claims, options.claims);
      if ('refus' in attribution) {
        const finDeSession = oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: options.postLogoutRedirectUri });
        rendrePage(res, 403, 'sans-role', { titre: 'Accès non autorisé', raison: attribution.refus, finDeSession: finDeSession.href });
        return;
      }
      const jeton = await createSession(prisma, options, { appelant: attribution.appelant, sub: String(claims.sub), idToken });
      poserCookie(res, options, cookies.session, jeton);
      res.redirect(303, enCours.retour);
    }),
  );

  routes.get('/compte', exigerSession, (req, res) => {
    const uai = req.appelant?.uai;
    rendrePage(res, 200, 'compte', { titre: 'Mon compte', etablissement: uai ? libelleEtablissement(uai) : undefined, libelleRole: libelleRole[req.appelant!.role] }, req);
  });

  routes.post(
    '/deconnexion',
    exigerSession,
    formulaire,
    verifierCsrf,
    handle(async (_req, res) => {
      const { id, idToken } = res.locals.sessionWeb as { id: string; idToken: string };
      await deleteSession(prisma, id);
      effacerCookie(res, options, cookies.session);
      try {
        const config = await configuration();
        res.redirect(303, oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: options.postLogoutRedirectUri }).href);
      } catch (error) {
        // The provider away: Passpro's session is closed all the same.
        logError(error);
        res.redirect(303, '/deconnexion/terminee');
      }
    }),
  );

  routes.get('/deconnexion/terminee', (_req, res) => rendrePage(res, 200, 'deconnecte', { titre: 'Déconnexion' }));

  const appelantDeSession = async (req: Request) => {
    const lecture = await readSession(prisma, options, lireCookie(req, cookies.session));
    return 'session' in lecture ? lecture.session.appelant : undefined;
  };

  return { routes, exigerSession, exigerCsrf: [formulaire, verifierCsrf], appelantDeSession };
}

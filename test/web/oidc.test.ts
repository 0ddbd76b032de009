// The staff's sign-in, end to end over HTTP: the real app (PGlite) and the real development identity provider
// (oidc-provider, its own process), a browser played by hand — cookies kept per host, redirects followed one
// by one. Temporal is not needed: the sign-in never reaches a workflow.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { buildApp } from '../../api/app';
import { connexionOptions } from '../../api/web/connexion';
import { loadConfig } from '../../platform/config';
import { projectRoot } from '../../platform/paths';
import { stopChild } from '../../platform/processus';
import { testDatabase, type TestDatabase } from '../support/db';
import { LYCEE } from '../support/fixtures';
import { portLibre } from '../support/ports';

let db: TestDatabase;
let fournisseur: ChildProcess;
let server: Server;
let client: Client;
let app: string;
let issuer: string;
/** What the app logs: the library's reasons for a refused callback. */
const journal: string[] = [];

beforeAll(async () => {
  const [portApp, portFournisseur] = [await portLibre(), await portLibre()];
  app = `http://127.0.0.1:${portApp}`;
  const env = { PUBLIC_URL: app, OIDC_DEV_PORT: String(portFournisseur) };
  fournisseur = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['runtime/identity-provider.ts'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let sortie = '';
  issuer = await new Promise<string>((resolve, reject) => {
    const lire = (morceau: Buffer) => {
      sortie += morceau.toString('utf8');
      const pret = /prêt : (http:\/\/\S+)/.exec(sortie);
      if (pret) resolve(pret[1]);
    };
    fournisseur.stdout!.on('data', lire);
    fournisseur.stderr!.on('data', lire);
    fournisseur.once('exit', (code) => reject(new Error(`fournisseur arrêté (${code}) :\n${sortie}`)));
  });
  db = await testDatabase();
  client = new Client();
  const config = loadConfig({ ...env, DATABASE_URL: db.url });
  const express = buildApp({ client, db, taskQueue: 'inutile', jwtSecret: config.JWT_SECRET, cleIdentifiants: config.PASSPRO_ID_KEY, health: [], logError: (e) => journal.push(String(e)), connexion: connexionOptions(config) });
  server = await new Promise<Server>((resolve) => {
    const s = express.listen(portApp, '127.0.0.1', () => resolve(s));
  });
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await client?.connection.close();
  await db?.close();
  if (fournisseur) await stopChild(fournisseur);
});

/** A browser: cookies by host name (ports share them, as in browsers), redirects not followed. */
class Navigateur {
  readonly cookies = new Map<string, Map<string, string>>();

  async aller(url: string, init: { method?: string; formulaire?: Record<string, string> } = {}): Promise<Response> {
    const cible = new URL(url, app);
    const pot = this.cookies.get(cible.hostname) ?? new Map<string, string>();
    const reponse = await fetch(cible, {
      method: init.method ?? (init.formulaire ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...pot].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.formulaire ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.formulaire ? new URLSearchParams(init.formulaire).toString() : undefined,
    });
    for (const ligne of reponse.headers.getSetCookie()) {
      const [paire, ...attributs] = ligne.split(';');
      const egal = paire.indexOf('=');
      const [nom, valeur] = [paire.slice(0, egal).trim(), paire.slice(egal + 1).trim()];
      const efface = attributs.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
      if (efface) pot.delete(nom);
      else pot.set(nom, valeur);
    }
    this.cookies.set(cible.hostname, pot);
    return reponse;
  }

  /** Follows redirects until `arret` holds for the next URL (not requested), or a page answers. */
  async suivre(depart: Response, base: string, arret: (url: URL) => boolean = () => false): Promise<{ url: URL; reponse?: Response }> {
    let reponse = depart;
    let url = new URL(base);
    while (reponse.status >= 300 && reponse.status < 400) {
      url = new URL(reponse.headers.get('location')!, url);
      if (arret(url)) return { url };
      reponse = await this.aller(url.href);
    }
    return { url, reponse };
  }

  cookie(nom: string): string | undefined {
    return this.cookies.get('127.0.0.1')?.get(nom);
  }
}

const estRetour = (url: URL) => url.href.startsWith(`${app}/connexion/retour`);

/** Starts a sign-in at Passpro and goes through the provider's page as `compte`; returns the callback URL. */
async function jusquAuRetour(nav: Navigateur, compte: string, retour = '/compte'): Promise<{ retour: URL; autorisation: URL }> {
  expect((await nav.aller(`/connexion?retour=${encodeURIComponent(retour)}`)).status).toBe(200);
  const depart = await nav.aller('/connexion', { formulaire: { retour } });
  expect(depart.status).toBe(303);
  const autorisation = new URL(depart.headers.get('location')!);
  const page = await nav.suivre(depart, app);
  expect(page.url.pathname).toMatch(/^\/interaction\//);
  const html = await page.reponse!.text();
  expect(html).toContain(`value="${compte}"`);
  const connecte = await nav.aller(`${page.url.href}/connexion`, { formulaire: { compte } });
  const fin = await nav.suivre(connecte, page.url.href, estRetour);
  expect(estRetour(fin.url)).toBe(true);
  return { retour: fin.url, autorisation };
}

async function seConnecter(nav: Navigateur, compte: string, retour = '/compte'): Promise<Response> {
  const { retour: url } = await jusquAuRetour(nav, compte, retour);
  return nav.aller(url.href);
}

const sessions = () => db.prisma.session.findMany();
const csrfDe = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];

describe('sign-in with OpenID Connect', () => {
  beforeEach(async () => {
    await db.prisma.session.deleteMany();
    await db.prisma.connexion.deleteMany();
  });

  it('signs a lycée head in through the provider (PKCE, state, nonce) and lands on the return path with a session', async () => {
    const nav = new Navigateur();
    const anonyme = await nav.aller('/compte?onglet=1');
    expect([anonyme.status, anonyme.headers.get('location')]).toEqual([303, '/connexion?retour=%2Fcompte%3Fonglet%3D1']);

    const { retour, autorisation } = await jusquAuRetour(nav, `chef-${LYCEE.toLowerCase()}`, '/compte?onglet=1');
    expect(autorisation.origin).toBe(issuer);
    expect(autorisation.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['code_challenge', 'state', 'nonce']) expect(autorisation.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);
    expect(retour.searchParams.get('state')).toBe(autorisation.searchParams.get('state'));

    const arrivee = await nav.aller(retour.href);
    expect([arrivee.status, arrivee.headers.get('location')]).toEqual([303, '/compte?onglet=1']);
    const cookie = arrivee.headers.getSetCookie().find((c) => c.startsWith('passpro_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    const compte = await nav.aller('/compte?onglet=1');
    expect(compte.status).toBe(200);
    const html = await compte.text();
    expect(html).toContain('Proviseur, Lycée Gabriel Péri');
    expect(html).toContain('Chef d&#x27;établissement d&#x27;accueil');
    expect(html).toContain('Lycée Gabriel Péri (Champigny-sur-Marne)');

    const [session] = await sessions();
    expect(session).toMatchObject({ role: 'accueil_chef', uai: LYCEE, nom: 'Proviseur, Lycée Gabriel Péri', sub: `chef-${LYCEE.toLowerCase()}` });
    // The table holds the token's hash, never the token.
    const jeton = nav.cookie('passpro_session')!;
    expect(session.id).toBe(createHash('sha256').update(jeton).digest('hex'));
    expect(session.idToken.split('.')).toHaveLength(3);
    expect(await db.prisma.connexion.count()).toBe(0);
  });

  it('refuses a callback whose state is not the one sent, and the sign-in cannot be finished afterwards', async () => {
    const nav = new Navigateur();
    const { retour } = await jusquAuRetour(nav, `chef-${LYCEE.toLowerCase()}`);
    const falsifie = new URL(retour);
    falsifie.searchParams.set('state', 'un-autre-etat-que-celui-envoye');
    const refus = await nav.aller(falsifie.href);
    expect(refus.status).toBe(400);
    expect(await refus.text()).toContain('La connexion n’a pas abouti');
    expect((await nav.aller(retour.href)).status).toBe(400);
    expect(await sessions()).toEqual([]);
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const nav = new Navigateur();
    const { retour } = await jusquAuRetour(nav, `chef-${LYCEE.toLowerCase()}`);
    await db.prisma.connexion.updateMany({ data: { nonce: 'un-autre-nonce-que-celui-envoye' } });
    const refus = await nav.aller(retour.href);
    expect(refus.status).toBe(400);
    expect(await refus.text()).toContain('n’a pas confirmé votre identité');
    expect(journal.at(-1)).toMatch(/unexpected JWT claim value/);
    expect(await sessions()).toEqual([]);
  });

  it('refuses a forged callback: a code the provider never gave, or no sign-in under way in this browser', async () => {
    const nav = new Navigateur();
    await nav.aller('/connexion?retour=%2Fcompte');
    const depart = await nav.aller('/connexion', { formulaire: { retour: '/compte' } });
    const state = new URL(depart.headers.get('location')!).searchParams.get('state')!;
    const forge = await nav.aller(`/connexion/retour?code=forge&state=${state}&iss=${encodeURIComponent(issuer)}`);
    expect(forge.status).toBe(400);

    const etranger = new Navigateur();
    const { retour } = await jusquAuRetour(new Navigateur(), `chef-${LYCEE.toLowerCase()}`);
    const sansConnexion = await etranger.aller(retour.href);
    expect(sansConnexion.status).toBe(400);
    expect(await sansConnexion.text()).toContain('ne correspond à aucune connexion en cours');
    expect(await sessions()).toEqual([]);
  });

  it('refuses a replayed callback, even with the sign-in cookie of the first', async () => {
    const nav = new Navigateur();
    const { retour } = await jusquAuRetour(nav, `personnel-${LYCEE.toLowerCase()}`);
    const cookieConnexion = nav.cookie('passpro_connexion')!;
    expect((await nav.aller(retour.href)).status).toBe(303);
    expect(await sessions()).toHaveLength(1);

    const rejoue = new Navigateur();
    rejoue.cookies.set('127.0.0.1', new Map([['passpro_connexion', cookieConnexion]]));
    expect((await rejoue.aller(retour.href)).status).toBe(400);
    expect((await nav.aller(retour.href)).status).toBe(400);
    expect(await sessions()).toHaveLength(1);
  });

  it.each([
    ['unused past the idle delay', { lastSeenAt: new Date(Date.now() - 31 * 60_000) }],
    ['past its absolute limit, though used', { createdAt: new Date(Date.now() - 10 * 3_600_000 - 60_000) }],
  ])('sends a session %s back to sign-in, with its return path, and deletes it', async (_quand, dates) => {
    const nav = new Navigateur();
    await seConnecter(nav, `chef-${LYCEE.toLowerCase()}`);
    expect((await nav.aller('/compte')).status).toBe(200);
    await db.prisma.session.updateMany({ data: dates });
    const expiree = await nav.aller('/compte?onglet=2');
    expect([expiree.status, expiree.headers.get('location')]).toEqual([303, '/connexion?retour=%2Fcompte%3Fonglet%3D2&expiree=1']);
    expect(await sessions()).toEqual([]);
    const page = await nav.aller(expiree.headers.get('location')!);
    expect(await page.text()).toContain('Votre session a expiré');
  });

  it('refuses a form without its CSRF token (403) and takes it with it: sign-out deletes the session, then the provider ends its own', async () => {
    const nav = new Navigateur();
    await seConnecter(nav, 'chef-0941918z');
    const csrf = csrfDe(await (await nav.aller('/compte')).text());

    for (const formulaire of [{}, { _csrf: 'faux' }, { _csrf: `${csrf}x` }] as Record<string, string>[]) {
      const refus = await nav.aller('/deconnexion', { formulaire });
      expect(refus.status).toBe(403);
      expect(await refus.text()).toContain('Formulaire refusé');
    }
    expect(await sessions()).toHaveLength(1);
    // Another session's token is no better.
    const autre = new Navigateur();
    await seConnecter(autre, 'personnel-0941918z');
    const csrfAutre = csrfDe(await (await autre.aller('/compte')).text());
    expect((await nav.aller('/deconnexion', { formulaire: { _csrf: csrfAutre } })).status).toBe(403);

    const [session] = (await sessions()).filter((s) => s.sub === 'chef-0941918z');
    const sortie = await nav.aller('/deconnexion', { formulaire: { _csrf: csrf } });
    expect(sortie.status).toBe(303);
    const fin = new URL(sortie.headers.get('location')!);
    expect(`${fin.origin}${fin.pathname}`).toBe(`${issuer}/session/end`);
    expect(fin.searchParams.get('id_token_hint')).toBe(session.idToken);
    expect(fin.searchParams.get('post_logout_redirect_uri')).toBe(`${app}/deconnexion/terminee`);
    expect((await sessions()).map((s) => s.sub)).toEqual(['personnel-0941918z']);
    expect((await nav.aller('/compte')).status).toBe(303);

    const pageFournisseur = await nav.aller(fin.href);
    expect(pageFournisseur.status).toBe(200);
    const html = await pageFournisseur.text();
    expect(html).toContain('Se déconnecter du service d’identification');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const action = /action="([^"]+)"/.exec(html)![1];
    const confirme = await nav.aller(new URL(action, issuer).href, { formulaire: { xsrf, logout: 'yes' } });
    const retour = await nav.suivre(confirme, issuer);
    expect(retour.url.href).toBe(`${app}/deconnexion/terminee`);
    expect(await retour.reponse!.text()).toContain('Vous êtes déconnecté');
  });

  it('shows a person whose claims give no role a clear 403 page, and opens no session', async () => {
    const nav = new Navigateur();
    const reponse = await seConnecter(nav, 'personnel-0930500n');
    expect(reponse.status).toBe(403);
    const html = await reponse.text();
    expect(html).toContain('Votre compte ne donne accès à aucun rôle dans Passpro');
    expect(html).toContain('0930500N');
    expect(html).toContain(`${issuer}/session/end`);
    expect(await sessions()).toEqual([]);
  });

  it('moves a sign-in begun on another loopback name to the redirect URI’s host, where the callback comes back', async () => {
    const ailleurs = await fetch(`${app.replace('127.0.0.1', 'localhost')}/connexion?retour=%2Fcompte`, { redirect: 'manual' });
    expect([ailleurs.status, ailleurs.headers.get('location')]).toEqual([302, `${app}/connexion?retour=%2Fcompte`]);
  });

  it('keeps the return path on this site: another site given as return lands on the person\'s own start', async () => {
    const nav = new Navigateur();
    const page = await nav.aller('/connexion?retour=%2F%2Fevil.example%2Fx');
    expect(await page.text()).toContain('name="retour" value="/espace"');
    const arrivee = await seConnecter(nav, `chef-${LYCEE.toLowerCase()}`, '//evil.example/x');
    expect([arrivee.status, arrivee.headers.get('location')]).toEqual([303, '/espace']);
  });
});

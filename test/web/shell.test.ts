// The page shell in a real browser against the real app: the public home page, and a gallery of every DSFR
// partial (error states included) rendered through the layout into one page that only this test serves, at the
// app's origin so that it loads the app's DSFR files under the app's Content Security Policy.
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../api/app';
import { DEV_ID_KEY, DEV_JWT_SECRET } from '../../platform/config';
import { templatesDir } from '../../platform/paths';
import { createPageRenderer, optionsChoisies, pagination, resumeErreurs, type Alerte } from '../../presentation/pages';
import { libelleEtablissement } from '../../presentation/etablissements';
import { expectAccessible, launchBrowser, openPage, screenshot, type WatchedPage } from '../support/browser';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE, LYCEE } from '../support/fixtures';

let db: TestDatabase;
let server: Server;
let base: string;
let browser: Browser;
let dossierGalerie: string;

beforeAll(async () => {
  [db, browser] = await Promise.all([testDatabase(), launchBrowser()]);
  // The pages need no Temporal server: a lazy client is never connected by them.
  const app = buildApp({ client: new Client(), db, taskQueue: 'web-shell', jwtSecret: DEV_JWT_SECRET, cleIdentifiants: DEV_ID_KEY, health: [], logError: console.error });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dossierGalerie = mkdtempSync(path.join(tmpdir(), 'passpro-galerie-'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await db?.close();
  if (dossierGalerie) rmSync(dossierGalerie, { recursive: true, force: true });
});

const ouvertes: WatchedPage[] = [];
afterEach(async () => {
  await Promise.all(ouvertes.splice(0).map((p) => p.context.close()));
});

async function ouvrir(chemin: string, taille?: { width: number; height: number }): Promise<WatchedPage> {
  const watched = await openPage(browser, taille);
  ouvertes.push(watched);
  const reponse = await watched.page.goto(`${base}${chemin}`, { waitUntil: 'networkidle' });
  expect(reponse?.status()).toBe(200);
  return watched;
}

/** What shows that DSFR is really there: its script started, its fonts loaded, an icon drawn. */
async function etatDsfr(page: Page) {
  return page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: {
        documentElement: { getAttribute(n: string): string | null };
        fonts: { ready: Promise<unknown>; check(font: string): boolean };
        querySelector(s: string): unknown;
      };
      getComputedStyle(e: unknown, pseudo?: string): { fontFamily: string; maskImage: string; webkitMaskImage: string };
    };
    await g.document.fonts.ready;
    const icone = g.getComputedStyle(g.document.querySelector('[class*="fr-icon-"]'), '::before');
    return {
      js: g.document.documentElement.getAttribute('data-fr-js'),
      marianne: g.document.fonts.check('1rem Marianne'),
      police: g.getComputedStyle(g.document.querySelector('body')).fontFamily,
      icone: (icone.maskImage || icone.webkitMaskImage).slice(0, 60),
    };
  });
}

describe('the public home page', () => {
  it('renders in the DSFR layout, with its fonts, icons and script, under the strict CSP', async () => {
    const { page, problems } = await ouvrir('/');
    expect(await page.title()).toBe('Accueil — Passpro');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('.fr-header .fr-logo').innerText()).toMatch(/république\s+française/i);
    expect(await page.locator('.fr-header__service-title').innerText()).toBe('Passpro');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('entretien d’information');
    const connexion = page.locator('main').getByRole('link', { name: 'Se connecter' });
    expect(await connexion.getAttribute('href')).toBe('/connexion');
    expect(await page.locator('.fr-nav').count()).toBe(0);
    const dsfr = await etatDsfr(page);
    expect(dsfr).toEqual({ js: 'true', marianne: true, police: expect.stringContaining('Marianne'), icone: expect.stringContaining('/dsfr/icons/') });
    expect(problems).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, 'accueil');
  });

  it('puts the skip link first in the tab order, visibly focused, and it leads to the content', async () => {
    const { page } = await ouvrir('/');
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { activeElement: { textContent: string; getAttribute(n: string): string; matches(s: string): boolean; getBoundingClientRect(): { top: number; height: number } } };
        getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
      };
      const el = g.document.activeElement;
      const style = g.getComputedStyle(el);
      const { top, height } = el.getBoundingClientRect();
      return { texte: el.textContent.trim(), href: el.getAttribute('href'), visible: el.matches(':focus-visible'), outline: style.outlineStyle, largeur: style.outlineWidth, dansLaVue: top >= 0 && height > 0 };
    });
    expect(focus).toEqual({ texte: 'Contenu', href: '#contenu', visible: true, outline: 'solid', largeur: expect.not.stringMatching(/^0/), dansLaVue: true });
    await screenshot(page, 'accueil-lien-d-evitement');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('contenu');
  });

  it('fits a phone’s width (375 px) without scrolling sideways', async () => {
    const { page, problems } = await ouvrir('/', { width: 375, height: 812 });
    const largeurs = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
      return { contenu: g.document.documentElement.scrollWidth, vue: g.document.documentElement.clientWidth };
    });
    expect(largeurs.contenu).toBeLessThanOrEqual(largeurs.vue);
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, 'accueil-375');
  });

  it('answers with the pages’ CSP, DSFR’s files with caching headers, and /docs with its own CSP', async () => {
    const accueil = await fetch(`${base}/`);
    expect(accueil.headers.get('content-security-policy')).toBe(
      "default-src 'self';base-uri 'self';connect-src 'self';font-src 'self';form-action 'self';frame-ancestors 'none';" +
        "img-src 'self' data:;manifest-src 'self';object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self'",
    );
    const css = await fetch(`${base}/dsfr/dsfr.min.css`);
    expect([css.status, css.headers.get('content-type'), css.headers.get('cache-control')]).toEqual([200, 'text/css; charset=utf-8', 'public, max-age=86400']);
    expect(css.headers.get('etag')).toBeTruthy();
    for (const fichier of ['dsfr.module.min.js', 'dsfr.nomodule.min.js', 'fonts/Marianne-Regular.woff2', 'favicon/favicon.svg', 'icons/system/fr--warning-fill.svg']) {
      expect([fichier, (await fetch(`${base}/dsfr/${fichier}`)).status]).toEqual([fichier, 200]);
    }
    expect((await fetch(`${base}/dsfr/absent.css`)).status).toBe(404);
    expect((await fetch(`${base}/docs/`)).headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('the component gallery', () => {
  const alertes: Alerte[] = [
    { type: 'success', title: 'Inscription enregistrée', message: 'Léa Martin est inscrite en Métallerie.' },
    { type: 'error', title: 'Action refusée', message: 'La date limite des inscriptions est passée.' },
    { type: 'info', title: 'Campagne Créteil 2018', message: 'Les entretiens ont lieu jusqu’au 11 mai.' },
    { type: 'warning', title: 'Avis d’origine manquant', message: 'Il est attendu avant l’entretien.' },
  ];
  const avis = [
    { value: 'favorable', label: 'Favorable' },
    { value: 'assez_favorable', label: 'Assez favorable' },
    { value: 'reserve', label: 'Réservé' },
  ];
  const lycees = [LYCEE, '0772101R'].map((uai) => ({ value: uai, label: libelleEtablissement(uai) }));
  /** The message under each field; the summary names the field before it. */
  const messages: Record<string, [string, string]> = {
    'ine-erreur': ['INE d’un autre élève', 'L’INE a 11 caractères, par exemple 123456789AB.'],
    'lycee-erreur': ['Autre lycée', 'Choisissez un lycée.'],
    'commentaire-erreur': ['Autre commentaire', 'Le commentaire est obligatoire.'],
    'avis-erreur': ['Autre avis', 'Choisissez un avis.'],
    'confirmation-erreur': ['La famille a reçu la fiche', 'Cochez la case quand la famille a reçu la fiche.'],
  };
  const erreurs = Object.entries(messages).map(([id, [champ, message]]) => ({ id, message: `${champ} : ${message}` }));
  const erreur = (id: string) => messages[id][1];

  const donnees = {
    titre: 'Galerie des composants',
    personne: { nom: 'Mme Principale', role: 'origine_chef' as const, uai: COLLEGE },
    csrf: 'jeton-csrf-de-test',
    chemin: '/college/candidatures/creteil-2018:123456789AB:metallerie',
    fil: [{ libelle: 'Candidatures', href: '/candidatures' }, { libelle: 'Galerie des composants' }],
    alertes,
    resume: resumeErreurs(erreurs),
    badges: [
      { label: 'À planifier', type: 'info' },
      { label: 'En retard', type: 'error' },
      { label: 'Compte rendu attendu', type: 'warning', small: true },
      { label: 'Clôturée', type: 'success', noIcon: true },
      { label: 'Recensement' },
    ],
    tableau: {
      caption: 'Candidatures du collège',
      headers: ['Élève', 'Domaine', 'Lycée', 'Étape'],
      rows: [
        [{ text: 'Léa Martin', href: '/candidatures/c1' }, { text: 'Métallerie' }, { text: libelleEtablissement(LYCEE) }, { text: '', badge: { label: 'En retard', type: 'error', small: true } }],
        [{ text: 'Yanis Diallo', href: '/candidatures/c2' }, { text: 'Vente' }, { text: libelleEtablissement('0941999M') }, { text: '', badge: { label: 'À planifier', type: 'info', small: true } }],
      ],
    },
    tableauVide: { caption: 'Candidatures en retard', headers: ['Élève', 'Étape'], rows: [], empty: 'Aucune candidature en retard.' },
    filtres: {
      action: '/candidatures',
      name: 'etape',
      legend: 'Filtrer par étape',
      hidden: [{ name: 'q', value: 'Martin' }],
      tags: [
        { label: 'Toutes', value: '', pressed: false },
        { label: 'À planifier', value: 'a_planifier', pressed: true },
        { label: 'Convoquée', value: 'convoquee', pressed: false },
      ],
    },
    pages: pagination(4, 12, (n) => `/candidatures?page=${n}`),
    ine: { id: 'ine', name: 'ine', label: 'INE', hint: '11 caractères, par exemple 123456789AB', required: true, value: '123456789AB' },
    ineErreur: { id: 'ine-erreur', name: 'ine2', label: 'INE d’un autre élève', value: '12345', error: erreur('ine-erreur'), required: true },
    lycee: { id: 'lycee', name: 'lycee', label: 'Lycée d’accueil', placeholder: 'Choisir un lycée', value: LYCEE, options: optionsChoisies(lycees, LYCEE) },
    lyceeErreur: { id: 'lycee-erreur', name: 'lycee2', label: 'Autre lycée', placeholder: 'Choisir un lycée', options: optionsChoisies(lycees, undefined), error: erreur('lycee-erreur') },
    commentaire: { id: 'commentaire', name: 'commentaire', label: 'Commentaire', hint: 'Motivation et implication de l’élève', value: 'Élève motivée.', maxlength: 1000 },
    commentaireErreur: { id: 'commentaire-erreur', name: 'commentaire2', label: 'Autre commentaire', value: '', error: erreur('commentaire-erreur'), required: true },
    avis: { id: 'avis', name: 'avis', legend: 'Avis d’origine', options: optionsChoisies(avis, 'favorable'), inline: true },
    avisErreur: { id: 'avis-erreur', name: 'avis2', legend: 'Autre avis', options: optionsChoisies(avis, undefined), error: erreur('avis-erreur'), required: true },
    confirmation: { id: 'confirmation', name: 'confirmation', label: 'La famille confirme le choix', checked: true },
    confirmationErreur: { id: 'confirmation-erreur', name: 'confirmation2', label: 'La famille a reçu la fiche', error: erreur('confirmation-erreur') },
    enregistrer: { label: 'Enregistrer', icon: 'save-line' },
    annuler: { label: 'Annuler', kind: 'secondary', href: '/candidatures' },
  };

  async function galerie(taille?: { width: number; height: number }): Promise<WatchedPage> {
    const pages = path.join(templatesDir, 'pages');
    const dossier = mkdtempSync(path.join(dossierGalerie, 'gabarits-'));
    symlinkSync(path.join(pages, 'layout.hbs'), path.join(dossier, 'layout.hbs'));
    symlinkSync(path.join(pages, 'partials'), path.join(dossier, 'partials'));
    copyFileSync(path.join(__dirname, 'galerie.hbs'), path.join(dossier, 'galerie.hbs'));
    const html = createPageRenderer(dossier)('galerie', donnees);
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy')!;
    const watched = await openPage(browser, taille);
    ouvertes.push(watched);
    await watched.page.route(`${base}/galerie`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': csp }, body: html }));
    await watched.page.goto(`${base}/galerie`, { waitUntil: 'networkidle' });
    return watched;
  }

  it('shows the signed-in person, the navigation of the role, the breadcrumb and the alerts', async () => {
    const { page, problems } = await galerie();
    expect(await page.title()).toBe('Galerie des composants — Passpro');
    const outils = await page.locator('.fr-header__tools').innerText();
    expect(outils).toContain("Mme Principale — Chef d'établissement d'origine");
    expect(outils).toContain(libelleEtablissement(COLLEGE));
    const deconnexion = page.locator('.fr-header__tools-links form[method="post"][action="/deconnexion"]');
    expect(await deconnexion.locator('input[type="hidden"][name="_csrf"]').getAttribute('value')).toBe('jeton-csrf-de-test');
    expect(await deconnexion.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Candidatures', 'Inscrire un élève', 'Importer une liste', 'Fiches']);
    expect(await nav.locator('[aria-current="page"]').innerText()).toBe('Candidatures');
    expect(await page.locator('.fr-breadcrumb__link').allInnerTexts()).toEqual(['Accueil', 'Candidatures', 'Galerie des composants']);
    for (const type of ['success', 'error', 'info', 'warning']) expect(await page.locator(`.fr-alert--${type}`).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('ties each error message to its field, keeps the values entered, and links the summary to the fields', async () => {
    const { page } = await galerie();
    for (const { id } of erreurs) {
      const decrit = await page.evaluate((champ) => {
        const g = globalThis as unknown as {
          document: { getElementById(id: string): { getAttribute(n: string): string | null; querySelector(s: string): { getAttribute(n: string): string | null } | null; textContent: string } | null };
        };
        const el = g.document.getElementById(champ)!;
        // A fieldset (radio group) names its messages through aria-labelledby, a field through aria-describedby.
        const refs = (el.getAttribute('aria-describedby') ?? el.getAttribute('aria-labelledby') ?? '').split(' ');
        return refs.map((r) => g.document.getElementById(r)?.textContent?.trim() ?? '').join(' ');
      }, id);
      expect([id, decrit]).toEqual([id, expect.stringContaining(erreur(id))]);
    }
    expect(await page.locator('#ine-erreur').inputValue()).toBe('12345');
    expect(await page.locator('#ine').inputValue()).toBe('123456789AB');
    expect(await page.locator('#lycee').inputValue()).toBe(LYCEE);
    expect(await page.locator('#commentaire').inputValue()).toBe('Élève motivée.');
    expect(await page.locator('#avis-0').isChecked()).toBe(true);
    expect(await page.locator('.fr-input-group--error, .fr-select-group--error, .fr-fieldset--error, .fr-checkbox-group--error').count()).toBe(5);
    const liens = page.locator('.fr-alert--error[role="alert"] a');
    expect(await liens.evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')))).toEqual(erreurs.map((e) => `#${e.id}`));
    await liens.first().click();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('ine-erreur');
  });

  it('opens the navigation and the sign-out from the menu button on a phone', async () => {
    const { page, problems } = await galerie({ width: 375, height: 812 });
    await page.getByRole('button', { name: 'Menu' }).click();
    const menu = page.locator('#menu-principal');
    await menu.getByRole('link', { name: 'Inscrire un élève' }).waitFor({ state: 'visible' });
    expect(await menu.locator('.fr-header__menu-links form[action="/deconnexion"] input[name="_csrf"]').getAttribute('value')).toBe('jeton-csrf-de-test');
    expect(await menu.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await expectAccessible(page);
    await screenshot(page, 'galerie-375-menu');
  });

  it('has no serious or critical axe violation, at desktop and phone widths', async () => {
    for (const [nom, taille] of [['galerie', undefined], ['galerie-375', { width: 375, height: 812 }]] as const) {
      const { page, problems } = await galerie(taille);
      expect(problems).toEqual([]);
      await expectAccessible(page);
      await screenshot(page, nom);
    }
  });
});

// The SAIO's pages in a real browser: the dashboard counts what the collèges register (through the JSON API),
// each count opens its list and the same query in the Temporal UI, and the exports download the API's CSV.
import type { Browser, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { bearer, corpsInscription, LYCEE } from '../api/harness';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';

let espace: Espace;
let browser: Browser;
let page: Page;
const CAMPAGNE = 'creteil-2027';

async function inscrire(): Promise<{ id: string; ine: string }> {
  const corps = corpsInscription();
  const reponse = await fetch(`${espace.url}/candidatures`, {
    method: 'POST',
    headers: { authorization: await bearer('origine_chef'), 'content-type': 'application/json' },
    body: JSON.stringify(corps),
  });
  expect(reponse.status).toBe(201);
  const { id } = (await reponse.json()) as { id: string };
  return { id, ine: corps.eleve.ine };
}

/** The number the dashboard prints for the campaign's total. */
async function total(): Promise<number> {
  await page.goto(`${espace.url}/saio/tableau-de-bord?campagne=${CAMPAGNE}`);
  const texte = await page.locator('p.fr-text--lead a').first().innerText();
  expect(texte).toMatch(/^\d+ candidatures$/);
  return Number(/^\d+/.exec(texte)![0]);
}

/** Where a count's Temporal link leads: Passpro's redirect to the Temporal UI's query. */
async function versTemporal(href: string | null): Promise<URL> {
  const reponse = await page.request.get(`${espace.url}${href}`, { maxRedirects: 0 });
  expect(reponse.status()).toBe(303);
  return new URL(reponse.headers().location);
}

/** The Gabriel Péri row (the fixtures' lycée) of the per-lycée table. */
const ligneLycee = () => page.locator('table', { hasText: "Candidatures par lycée d'accueil" }).locator('tr', { hasText: 'Lycée Gabriel Péri' });

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('saio'), launchBrowser()]);
  await Promise.all([inscrire(), inscrire()]);
  page = await seConnecter(browser, espace, 'chef-0941918z');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

it('lands the SAIO on the dashboard, which counts the candidatures registered and changes with a new one', async () => {
  expect(new URL(page.url()).pathname).toBe('/saio/tableau-de-bord');
  expect(await total()).toBe(2);
  await inscrire();
  expect(await total()).toBe(3);
  await expect(ligneLycee().locator('td').first().innerText()).resolves.toMatch(/^3/);
  await expectAccessible(page);
  await screenshot(page, 'saio-tableau-de-bord');
});

it('links a count to its list, which shows the candidature, and to the same query in the Temporal UI', async () => {
  const nouvelle = await inscrire();
  await page.goto(`${espace.url}/saio/tableau-de-bord?campagne=${CAMPAGNE}`);
  const temporal = await versTemporal(await ligneLycee().getByRole('link', { name: /^Temporal/ }).first().getAttribute('href'));
  expect(`${temporal.origin}${temporal.pathname}`).toBe('http://127.0.0.1:8233/namespaces/default/workflows');
  expect(temporal.searchParams.get('query')).toBe(`PassproCampagne = "${CAMPAGNE}" AND PassproUaiAccueil = "${LYCEE}"`);

  await ligneLycee().locator('td').first().getByRole('link').first().click();
  await page.waitForURL(/\/saio\/candidatures\?/);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toEqual({ campagne: CAMPAGNE, uaiAccueil: LYCEE });
  expect(await page.getByText('4 candidatures.').count()).toBe(1);
  const ligne = page.locator('tr', { hasText: nouvelle.ine });
  expect(await ligne.getByRole('link').getAttribute('href')).toBe(`/dossiers/${encodeURIComponent(nouvelle.id)}`);
  expect(await page.getByLabel("Lycée d'accueil").inputValue()).toBe(LYCEE);
  await expectAccessible(page);
  await screenshot(page, 'saio-candidatures');
});

it('filters the list without JavaScript: a form posted by GET, empty fields dropped', async () => {
  await page.goto(`${espace.url}/saio/candidatures`);
  await page.getByLabel('Étape').selectOption('cloturee');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/etape=cloturee/);
  expect(await page.getByText('Aucune candidature ne correspond à ces filtres.').count()).toBe(1);
  const refus = await page.goto(`${espace.url}/saio/candidatures?etape=inconnue`);
  expect(refus?.status()).toBe(400);
  expect(await page.getByRole('heading', { name: 'Filtres invalides' }).count()).toBe(1);
});

it('downloads the two exports as the JSON API gives them', async () => {
  await page.goto(`${espace.url}/saio/exports`);
  await expectAccessible(page);
  await screenshot(page, 'saio-exports');
  const saio = await bearer('saio');
  await page.locator('#campagne-affelnet').selectOption(CAMPAGNE);
  for (const [bouton, api] of [
    ["Télécharger l'export AFFELNET", `/exports/affelnet.csv?campagne=${CAMPAGNE}`],
    ["Télécharger l'export des retards", '/exports/retards.csv'],
  ] as const) {
    const [telechargement] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: bouton }).click()]);
    // Bytes, not text: the byte-order mark that a French Excel needs is part of the file.
    const fichier = await readFile((await telechargement.path())!);
    const attendu = Buffer.from(await (await fetch(`${espace.url}${api}`, { headers: { authorization: saio } })).arrayBuffer());
    expect(fichier.equals(attendu)).toBe(true);
    expect(fichier.toString('utf8')).toContain('INE');
    expect(telechargement.suggestedFilename()).toMatch(/\.csv$/);
  }
});

it('lists a late candidature with why and since when, and links it to its list and its page', async () => {
  // A lateness is a deadline's consequence, days away in real time: the query side is given it as the workflow writes it.
  const { id, ine } = await inscrire();
  await espace.stack.db.prisma.candidature.update({ where: { id }, data: { enRetard: true, retards: ['planification'] } });
  await page.goto(`${espace.url}/saio/tableau-de-bord?campagne=${CAMPAGNE}`);
  const ligne = page.locator('tr', { hasText: ine });
  expect(await ligne.innerText()).toMatch(/Métallerie.*Entretien à planifier : Entretien non planifié\s+\p{L}+ \d+(er)? \p{L}+ \d{4}/u);
  expect(await ligne.getByRole('link').getAttribute('href')).toBe(`/dossiers/${encodeURIComponent(id)}`);
  const temporal = await versTemporal(await page.getByRole('link', { name: 'dans Temporal' }).nth(1).getAttribute('href'));
  expect(temporal.searchParams.get('query')).toBe(`PassproCampagne = "${CAMPAGNE}" AND PassproEnRetard = true`);
  await page.getByRole('link', { name: '1 candidature', exact: true }).click();
  await page.waitForURL(/enRetard=true/);
  expect(await page.locator('tbody tr').count()).toBe(1);
  await page.goto(`${espace.url}/saio/tableau-de-bord?campagne=${CAMPAGNE}`);
  await expectAccessible(page);
  await screenshot(page, 'saio-tableau-de-bord-retards');
});

// The lycée's work in a real browser, on the real stack: a pupil registered by the collège (through the JSON
// API) shows in the inbox "to plan"; the lycée's head plans the interview through the form (a weekend without
// dérogation is refused on its field, the values kept), the convocation mail goes out, the interview is
// recorded held once its time has come, and the compte rendu gives the avis finals. axe on every page.
import type { Browser, Page } from 'playwright-core';
import { addDays, dayOfWeek, parisDateOf, parisTimeOf } from '../../domain/calendar';
import { bearer, corpsInscription, eventually } from '../api/harness';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';
import { LYCEE } from '../support/fixtures';
import { libelleEcheance } from '../../presentation/labels';

let espace: Espace;
let browser: Browser;
let page: Page;
let id = '';
let ine = '';

async function api(chemin: string, role: Parameters<typeof bearer>[0], corps: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${espace.url}${chemin}`, {
    method: 'POST',
    headers: { authorization: await bearer(role), 'content-type': 'application/json' },
    body: JSON.stringify(corps),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expect([chemin, res.status < 300, json.erreur]).toEqual([chemin, true, undefined]);
  return json;
}

/** Every page of the test: no serious axe violation, and its screenshot kept. */
async function verifierPage(nom: string): Promise<void> {
  await expectAccessible(page);
  await screenshot(page, nom);
}

/** DSFR draws its own box over a checkbox or a radio: a person clicks its label. */
const cocher = (id: string) => page.locator(`label[for="${id}"]`).click();

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('lycee'), launchBrowser()]);
  const inscrite = await api('/candidatures', 'origine_chef', corpsInscription());
  id = inscrite.id as string;
  ine = (inscrite.eleve as { ine: string }).ine;
  await api(`/candidatures/${encodeURIComponent(id)}/avis-origine`, 'origine_chef', {
    avis: [
      { codeFormation: '24025401', avis: 'favorable', commentaire: 'Élève motivée, stage réussi.' },
      { codeFormation: '50025415', avis: 'assez_favorable', commentaire: 'Projet à préciser.' },
    ],
  });
  await eventually(
    () => espace.stack.db.prisma.candidature.findUnique({ where: { id } }),
    (c) => c?.etape === 'a_planifier',
  );
  page = await seConnecter(browser, espace, `chef-${LYCEE.toLowerCase()}`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

it("shows the registered pupil in the inbox's section to plan, and among the lycée's candidatures", async () => {
  expect(new URL(page.url()).pathname).toBe('/lycee/a-traiter');
  const section = page.locator('section[aria-labelledby="a-planifier"]');
  await expect(section.getByRole('link', { name: 'MARTIN Léa' }).count()).resolves.toBeGreaterThan(0);
  // Its deadline as the candidature records it (read as UTC, whatever the database's or the process's zone).
  const { echeance } = await espace.stack.db.prisma.candidature.findUniqueOrThrow({ where: { id } });
  const ligne = section.getByRole('row').filter({ has: page.getByRole('link', { name: 'MARTIN Léa' }) }).first();
  expect(await ligne.getByRole('cell').last().textContent()).toBe(libelleEcheance(echeance!));
  await verifierPage('lycee-a-traiter');
  await page.goto(`${espace.url}/lycee/candidatures?etape=a_planifier&domaine=metallerie`);
  expect(await page.getByRole('cell', { name: ine }).count()).toBe(1);
  await verifierPage('lycee-candidatures');
});

it('refuses a weekend without dérogation on the date field, keeping the values entered', async () => {
  await page.goto(`${espace.url}/dossiers/${encodeURIComponent(id)}`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Léa MARTIN');
  await verifierPage('dossier-a-planifier');
  await page.getByRole('link', { name: "Planifier l'entretien" }).click();
  await verifierPage('dossier-entretien');
  const aujourdhui = parisDateOf(new Date());
  const samedi = addDays(aujourdhui, ((6 - dayOfWeek(aujourdhui) + 7) % 7) || 7);
  await page.fill('#date', samedi);
  await page.fill('#heure', '10:00');
  await page.fill('#lieu', 'Atelier B12');
  await page.getByRole('button', { name: 'Enregistrer et convoquer' }).click();
  expect(await page.locator('#date-messages').textContent()).toContain('week-end');
  expect(await page.inputValue('#lieu')).toBe('Atelier B12');
  expect(await page.locator('#date').getAttribute('aria-invalid')).toBe('true');
  await verifierPage('dossier-entretien-refuse');
});

it('plans the interview with a dérogation, sends the convocation, records it held, and takes the compte rendu', async () => {
  // At the next minute but one, any day of the week (dérogation): it may be recorded from its time on.
  const instant = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
  await page.fill('#date', parisDateOf(instant));
  await page.fill('#heure', parisTimeOf(instant));
  await cocher('derogation');
  await page.fill('#motifDerogation', 'Entretien ce jour-là pour le test');
  await page.getByRole('button', { name: 'Enregistrer et convoquer' }).click();
  await page.waitForURL(/\?fait=entretien$/);
  expect(await page.getByRole('heading', { name: /Entretien planifié/ }).count()).toBe(1);
  expect(await page.getByRole('cell', { name: 'Entretien planifié' }).count()).toBe(1);
  expect(await page.getByText('Atelier B12').count()).toBeGreaterThan(0);
  await verifierPage('dossier-convoquee');
  const [mail] = await espace.stack.smtp.waitFor((m) => /convocation de Léa Martin/.test(m.subject ?? ''));
  expect(mail.subject).toContain(parisTimeOf(instant));

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now() + 1_000)));
  await page.reload();
  await page.getByRole('link', { name: "Constater l'entretien" }).click();
  await verifierPage('dossier-constat-entretien');
  await cocher('present-0');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.waitForURL(/\?fait=constat-entretien$/);

  await page.getByRole('link', { name: 'Saisir le compte rendu' }).click();
  await page.fill('#texte', 'Élève curieuse, a visité les ateliers.\nConseil : un mini-stage.');
  await cocher('avis-24025401-0');
  await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
  // One avis missing: the form again, on that vœu's field, the text kept.
  expect(await page.locator('#avis-50025415-messages').textContent()).not.toBe('');
  expect(await page.inputValue('#texte')).toContain('mini-stage');
  await verifierPage('dossier-compte-rendu-refuse');
  await cocher('avis-50025415-2');
  await page.selectOption('#supplement', '50025416');
  await cocher('supplement-avis-0');
  await page.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
  await page.waitForURL(/\?fait=compte-rendu$/);
  const voeux = page.getByRole('table', { name: /Vœux du domaine/ });
  expect(await voeux.getByRole('cell', { name: 'très favorable' }).count()).toBe(1);
  expect(await voeux.getByRole('cell', { name: /Métallier \(50025416\) — ajouté à l'entretien/ }).count()).toBe(1);
  expect(await page.getByText('Conseil : un mini-stage.').count()).toBe(1);
  await verifierPage('dossier-compte-rendu-saisi');
}, 240_000);

it("answers another school's or a missing candidature with the 404 page", async () => {
  const reponse = await page.goto(`${espace.url}/dossiers/${encodeURIComponent('passpro:creteil-2027:123456789AB:metallerie')}`);
  expect(reponse?.status()).toBe(404);
  expect(await page.getByRole('heading', { name: 'Candidature introuvable' }).count()).toBe(1);
  await verifierPage('dossier-introuvable');
});

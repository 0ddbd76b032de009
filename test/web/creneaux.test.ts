// The lycée's créneaux page in a real browser, on the real stack: a series published through the form (a
// refusal on its field, the values kept), the créneaux with their places, the pupils placed all at once, their
// convocations sent, a créneau cancelled with its pupil moved, an interview cancelled by the collège from the
// candidature's page. axe on every page.
import type { Browser, Page } from 'playwright-core';
import { bearer, corpsInscription, eventually } from '../api/harness';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';
import { COLLEGE, LYCEE } from '../support/fixtures';

let espace: Espace;
let browser: Browser;
let page: Page;
const ids: string[] = [];

async function verifierPage(nom: string): Promise<void> {
  await expectAccessible(page);
  await screenshot(page, nom);
}

const cocher = (id: string) => page.locator(`label[for="${id}"]`).click();

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('creneaux-pages'), launchBrowser()]);
  for (let i = 0; i < 3; i += 1) {
    const res = await fetch(`${espace.url}/candidatures`, {
      method: 'POST',
      headers: { authorization: await bearer('origine_chef'), 'content-type': 'application/json' },
      body: JSON.stringify(corpsInscription()),
    });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  page = await seConnecter(browser, espace, `chef-${LYCEE.toLowerCase()}`, '/lycee/creneaux?domaine=metallerie');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

it('publishes a series through the form, a refusal shown on its field with the values kept', async () => {
  expect(new URL(page.url()).pathname).toBe('/lycee/creneaux');
  expect(await page.getByRole('cell', { name: 'Aucun créneau publié dans ce domaine.' }).count()).toBe(1);
  await verifierPage('lycee-creneaux-vide');
  await cocher('serie-jour-3');
  await page.fill('#serie-du', '2027-04-07');
  await page.fill('#serie-au', '2027-04-14');
  await page.fill('#serie-debut', '14:00');
  await page.fill('#serie-fin', '14:10');
  await page.fill('#serie-lieu', 'Atelier B12');
  await page.getByRole('button', { name: 'Publier la série' }).click();
  expect(await page.locator('#serie-fin-messages').textContent()).toContain('plus courte');
  expect(await page.locator('#serie-fin').getAttribute('aria-invalid')).toBe('true');
  expect(await page.inputValue('#serie-lieu')).toBe('Atelier B12');
  await verifierPage('lycee-creneaux-refus');

  await page.fill('#serie-fin', '14:40');
  await page.getByRole('button', { name: 'Publier la série' }).click();
  await page.waitForURL(/fait=/);
  expect(await page.getByRole('heading', { name: '4 créneau(x) publié(s).' }).count()).toBe(1);
  const table = page.getByRole('table', { name: /Créneaux publiés \(4\)/ });
  expect(await table.getByRole('cell', { name: '0 / 1' }).count()).toBe(4);
  await verifierPage('lycee-creneaux-serie');
});

it('places the pupils to plan all at once: three convoked, their convocations sent', async () => {
  await page.getByRole('button', { name: 'Placer tous les élèves à planifier' }).click();
  await page.waitForURL(/fait=/);
  expect(await page.getByRole('heading', { name: /3 élève\(s\) placé\(s\) et convoqué\(s\), 0 en attente/ }).count()).toBe(1);
  expect(await page.getByRole('table', { name: /Créneaux publiés/ }).getByRole('cell', { name: '1 / 1' }).count()).toBe(3);
  await verifierPage('lycee-creneaux-places');
  const lignes = await eventually(
    () => espace.stack.db.prisma.candidature.findMany({ where: { id: { in: ids } } }),
    (l) => l.every((c) => c.etape === 'convoquee'),
  );
  expect(lignes.map((c) => c.entretienLieu)).toEqual(['Atelier B12', 'Atelier B12', 'Atelier B12']);
  await espace.stack.smtp.waitFor((m) => /convocation de Léa Martin/.test(m.subject ?? ''), 3);
}, 60_000);

it('records the choice of giving a freed place at once to the next candidature waiting', async () => {
  await cocher('placement-automatique');
  await page.getByRole('button', { name: 'Enregistrer ce choix' }).click();
  await page.waitForURL(/fait=/);
  expect(await page.getByRole('heading', { name: 'Les places libérées seront données d’office.' }).count()).toBe(1);
  expect(await page.isChecked('#placement-automatique')).toBe(true);
  expect(await espace.stack.db.prisma.reglageCreneaux.findUnique({ where: { uai: LYCEE } })).toMatchObject({ placementAutomatique: true, modifiePar: expect.any(String) });
});

it('cancels a créneau with its pupil moved to the free créneau, who is convoked again', async () => {
  const [premier] = await espace.stack.db.prisma.placement.findMany({ where: { candidatureId: { in: ids } }, orderBy: { creneau: { debut: 'asc' } }, include: { creneau: true } });
  await page.selectOption('#annulation-creneau', String(premier.creneauId));
  expect(await page.isChecked('#annulation-eleves-0')).toBe(true);
  await page.fill('#annulation-motif', 'atelier en travaux');
  await verifierPage('lycee-creneaux-annulation');
  await page.getByRole('button', { name: 'Annuler ce créneau' }).click();
  await page.waitForURL(/fait=/);
  expect(await page.getByRole('heading', { name: 'Créneau annulé : 1 élève(s) déplacé(s) et convoqué(s), 0 remis à planifier.' }).count()).toBe(1);
  const table = page.getByRole('table', { name: /Créneaux publiés/ });
  expect(await table.getByRole('cell', { name: 'Annulé' }).count()).toBe(1);
  expect(await table.getByRole('cell', { name: '1 / 1' }).count()).toBe(3);
  const deplace = await espace.stack.db.prisma.candidature.findUnique({ where: { id: premier.candidatureId } });
  expect(deplace).toMatchObject({ etape: 'convoquee', entretienStatut: 'planifie' });
  expect(deplace!.entretienDate! > premier.creneau.date || deplace!.entretienHeure !== premier.creneau.heure).toBe(true);
}, 60_000);

it('lets the collège cancel an interview the family said the pupil cannot come to, the motif required on its field', async () => {
  const college = await seConnecter(browser, espace, `chef-${COLLEGE.toLowerCase()}`, `/dossiers/${encodeURIComponent(ids[2])}`);
  await college.getByRole('link', { name: "Annuler l'entretien" }).click();
  await college.getByRole('button', { name: "Annuler l'entretien" }).click();
  expect(await college.locator('#motif').getAttribute('aria-invalid')).toBe('true');
  await college.fill('#motif', 'La famille prévient : élève malade ce jour-là');
  await college.getByRole('button', { name: "Annuler l'entretien" }).click();
  await college.waitForURL(/\/dossiers\/[^/]+(\?|$)/);
  expect(await college.getByText(/la candidature est de nouveau à planifier/).count()).toBeGreaterThan(0);
  page = college;
  await verifierPage('dossier-entretien-annule');
  const annulee = await espace.stack.db.prisma.candidature.findUnique({ where: { id: ids[2] } });
  expect(annulee).toMatchObject({ etape: 'a_planifier', entretienStatut: 'annule' });
  expect(await espace.stack.db.prisma.placement.count({ where: { candidatureId: ids[2] } })).toBe(0);
  await espace.stack.smtp.waitFor((m) => /entretien annulé/.test(m.subject ?? '') && m.text?.includes('élève malade') === true);
}, 60_000);

it("shows the SAIO, on its dashboard, each lycée's créneaux offered and taken and the candidatures waiting", async () => {
  const saio = await seConnecter(browser, espace, 'chef-0941918z', '/saio/tableau-de-bord?campagne=creteil-2027');
  page = saio;
  const table = page.getByRole('table', { name: /Créneaux par lycée et domaine/ });
  const ligne = table.getByRole('row').filter({ hasText: 'Métallerie' });
  expect(await ligne.getByRole('cell').allInnerTexts()).toEqual([expect.stringContaining('Gabriel Péri'), 'Métallerie', '3', '3', '2', '1']);
  await verifierPage('saio-tableau-de-bord-creneaux');
}, 60_000);

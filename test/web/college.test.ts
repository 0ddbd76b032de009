// The collège's pages in a real browser, on the real stack: a head registers a pupil from the catalogue, sees a
// refusal on its field with the values kept, enters the avis d'origine from its list (the candidature's own form),
// imports a class list with a bad line.
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { DEV_ID_KEY } from '../../platform/config';
import pdfParse from 'pdf-parse';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';
import { COLLEGE, eleve, LYCEE } from '../support/fixtures';

let espace: Espace;
let browser: Browser;
let page: Page;
const pupil = eleve();

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('college'), launchBrowser()]);
  page = await seConnecter(browser, espace, `chef-${COLLEGE.toLowerCase()}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

/** Every page of the collège is checked with axe and photographed. */
async function verifier(nom: string): Promise<void> {
  await expectAccessible(page);
  await screenshot(page, `college-${nom}`);
}

/** DSFR draws checkboxes and radios on their label, which takes the click as a person's pointer does. */
async function cocher(selecteur: string): Promise<void> {
  const id = await page.locator(selecteur).getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
}

const messageDe = (id: string) => page.locator(`#${id}-messages`).innerText();

it('lists no candidature yet, with its filters', async () => {
  expect(new URL(page.url()).pathname).toBe('/college/candidatures');
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Candidatures de l’établissement');
  expect(await page.locator('#liste caption').innerText()).toBe('0 candidature');
  await verifier('candidatures-vide');
});

it('registers a pupil with two vœux of Métallerie at the lycée, chosen from the catalogue; a bad INE is refused on its field, the values kept', async () => {
  await page.goto(`${espace.url}/college/inscrire`);
  await verifier('inscrire-domaine');
  await page.locator('#domaine').selectOption('metallerie');
  await page.getByRole('button', { name: 'Choisir ce domaine' }).click();
  expect(new URL(page.url()).search).toBe('?domaine=metallerie');

  await page.locator('#eleve-ine').fill('12345');
  await page.locator('#eleve-nom').fill(pupil.nom);
  await page.locator('#eleve-prenom').fill(pupil.prenom);
  await page.locator('#eleve-niveau').selectOption('3e');
  await page.locator('#eleve-referentNom').fill(pupil.referentNom);
  await page.locator('#eleve-referentEmail').fill(pupil.referentEmail);
  await cocher('input[name="formations"][value="24025401"]');
  await cocher('input[name="formations"][value="50025415"]');
  await cocher(`input[name="lycee"][value="${LYCEE}|individuel"]`);
  await verifier('inscrire-formulaire');

  const refus = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Inscrire l’élève' }).click();
  expect((await refus).status()).toBe(400);
  expect(await messageDe('eleve-ine')).toBe('INE invalide');
  expect(await page.locator('#eleve-ine').getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#resume-erreurs a[href="#eleve-ine"]').innerText()).toBe('INE invalide');
  expect(await page.locator('#eleve-prenom').inputValue()).toBe(pupil.prenom);
  expect(await page.locator('input[name="formations"][value="50025415"]').isChecked()).toBe(true);
  expect(await page.locator(`input[name="lycee"][value="${LYCEE}|individuel"]`).isChecked()).toBe(true);
  await verifier('inscrire-refus');

  // A referent outside the académie's mail domains is refused on its field by the inscription's own check.
  await page.locator('#eleve-ine').fill(pupil.ine);
  await page.locator('#eleve-referentEmail').fill('durand@gmail.com');
  await page.getByRole('button', { name: 'Inscrire l’élève' }).click();
  expect(await messageDe('eleve-referentEmail')).toMatch(/^Le courriel de la personne référente doit être une adresse académique/);
  expect(await page.locator('#eleve-ine').inputValue()).toBe(pupil.ine);

  await page.locator('#eleve-referentEmail').fill(pupil.referentEmail);
  await page.getByRole('button', { name: 'Inscrire l’élève' }).click();
  await page.waitForURL((u) => u.pathname === '/college/candidatures');
  expect(new URL(page.url()).searchParams.get('q')).toBe(pupil.ine);
  expect(await page.getByRole('heading', { name: "L'élève est inscrit" }).count()).toBe(1);
  const ligne = page.locator('#liste tbody tr');
  expect(await ligne.count()).toBe(1);
  const texte = await ligne.innerText();
  expect(texte).toContain(`${pupil.prenom} ${pupil.nom}`);
  expect(texte).toContain('Métallerie');
  expect(texte).toMatch(/entretien à planifier/i); // badges are in capitals on screen
  expect(texte).not.toContain(LYCEE);
  await verifier('candidatures-inscrite');

  const id = candidatureWorkflowId(DEV_ID_KEY, 'creteil-2027', pupil.ine, 'metallerie');
  const voeux = await espace.stack.db.prisma.voeu.findMany({ where: { candidatureId: id }, orderBy: { rang: 'asc' } });
  expect(voeux.map((v) => v.codeFormation)).toEqual(['24025401', '50025415']);
});

it('finds the pupil by name or INE, and not otherwise', async () => {
  for (const [q, n] of [[pupil.nom.toLowerCase(), 1], [pupil.ine.slice(0, 6), 1], ['Zzyzx', 0]] as const) {
    await page.goto(`${espace.url}/college/candidatures?q=${encodeURIComponent(q)}`);
    expect([q, await page.locator('#liste tbody tr a.fr-link:not(.fr-link--sm)[href^="/dossiers/"]').count()]).toEqual([q, n]);
  }
  await page.goto(`${espace.url}/college/candidatures?etape=a_planifier&enRetard=true`);
  expect(await page.locator('#liste caption').innerText()).toBe('0 candidature');
  expect(await page.getByLabel('En retard seulement').isChecked()).toBe(true);
});

it("enters the avis d'origine, one per vœu on the campaign's scale with its comment", async () => {
  await page.goto(`${espace.url}/college/candidatures?q=${pupil.ine}`);
  await page.getByRole('link', { name: /^Saisir l'avis d'origine/ }).click();
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe("Avis d'origine");
  // The campaign's scale, in words.
  expect(await page.locator('#avis-0-avis label').allInnerTexts()).toEqual(['favorable', 'assez favorable', 'réservé']);
  await verifier('avis-origine');

  // One comment missing: refused on its field, the rest kept.
  await cocher('#avis-0-avis input[value="favorable"]');
  await cocher('#avis-1-avis input[value="assez_favorable"]');
  await page.getByLabel('Commentaire sur la motivation').first().fill('Élève motivé, stage réussi en serrurerie.');
  await page.getByRole('button', { name: 'Enregistrer les avis' }).click();
  expect(await messageDe('avis-1-commentaire')).toBe('Ce champ est obligatoire.');
  expect(await page.locator('#resume-erreurs a[href="#avis-1-commentaire"]').innerText()).toBe("Commentaire sur la motivation et l'implication de l'élève (vœu 2) : ce champ est obligatoire.");
  expect(await page.locator('#avis-0-commentaire').inputValue()).toBe('Élève motivé, stage réussi en serrurerie.');
  expect(await page.locator('#avis-1-avis input[value="assez_favorable"]').isChecked()).toBe(true);
  await verifier('avis-origine-refus');

  await page.locator('#avis-1-commentaire').fill('Projet à préciser.');
  const envoi = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Enregistrer les avis' }).click();
  expect((await envoi).status()).toBe(303);
  const id = candidatureWorkflowId(DEV_ID_KEY, 'creteil-2027', pupil.ine, 'metallerie');
  await page.waitForURL((u) => u.pathname === `/dossiers/${encodeURIComponent(id)}`);
  expect(new URL(page.url()).searchParams.get('fait')).toBe('avis-origine');
  const voeux = await espace.stack.db.prisma.voeu.findMany({ where: { candidatureId: id }, orderBy: { rang: 'asc' } });
  expect(voeux.map((v) => v.avisOrigine)).toEqual(['favorable', 'assez_favorable']);

  // Shown again, the form holds what was entered.
  await page.goto(`${espace.url}/dossiers/${encodeURIComponent(id)}/avis-origine`);
  expect(await page.locator('#avis-1-commentaire').inputValue()).toBe('Projet à préciser.');
});

it('offers the désistement with its motif, and says when an action is not possible at this step', async () => {
  const id = encodeURIComponent(candidatureWorkflowId(DEV_ID_KEY, 'creteil-2027', pupil.ine, 'metallerie'));
  await page.goto(`${espace.url}/dossiers/${id}/desistement`);
  expect(await page.getByLabel('Motif du désistement').count()).toBe(1);
  await verifier('desistement');
  const indisponible = await page.goto(`${espace.url}/dossiers/${id}/saisie-affelnet`);
  expect(indisponible?.status()).toBe(409);
  expect(await page.getByRole('heading', { name: 'Action impossible' }).count()).toBe(1);
  expect(await page.getByText("Saisie dans AFFELNET : cette action n'est pas possible à l'étape « Entretien à planifier ».").count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Enregistrer la saisie AFFELNET' }).count()).toBe(0);
  await verifier('affelnet-indisponible');
  const ailleurs = await page.goto(`${espace.url}/dossiers/${encodeURIComponent('passpro:creteil-2027:000000000AB:metallerie')}/desistement`);
  expect(ailleurs?.status()).toBe(404);
});

it('imports a class list with one bad line: nothing is inscribed, and the report shows each error on its line', async () => {
  await page.goto(`${espace.url}/college/importer`);
  await verifier('importer');
  const bon = eleve();
  const entete = 'ine;nom;prenom;niveau;uai_origine;referent_nom;referent_email;domaine;domaine_libelle;modalite;uai_accueil;code_formation;formation_libelle';
  const ligne = (ine: string) =>
    [ine, 'Dupont', 'Noé', '3e', COLLEGE, 'M. Durand', 'pp.durand@ac-creteil.fr', 'metallerie', 'Métallerie', 'individuel', LYCEE, '24025401', 'Métiers des structures métalliques'].join(';');
  const csv = [entete, ligne(bon.ine), ligne('INE-FAUX')].join('\r\n');
  await page.setInputFiles('#fichier', { name: 'classe-3e-b.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  const envoi = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Importer' }).click();
  expect((await envoi).status()).toBe(422);
  expect(await page.getByRole('heading', { name: 'Import refusé' }).count()).toBe(1);
  expect(await page.getByText('Encodage lu : UTF-8').count()).toBe(1);
  const lignes = page.locator('#rapport tbody tr');
  expect(await lignes.count()).toBe(2);
  expect(await lignes.nth(0).innerText()).toMatch(/^2\s+.*valide, non importée/is);
  expect(await lignes.nth(1).innerText()).toMatch(/^3\s+INE-FAUX\s.*erreur\s+ine : INE invalide/is);
  await verifier('importer-rapport');
  expect(await espace.stack.db.prisma.candidature.count({ where: { ine: bon.ine } })).toBe(0);

  // The same list corrected is inscribed.
  await page.setInputFiles('#fichier', { name: 'classe-3e-b.csv', mimeType: 'text/csv', buffer: Buffer.from([entete, ligne(bon.ine)].join('\r\n'), 'utf8') });
  await page.getByRole('button', { name: 'Importer' }).click();
  expect(await page.getByRole('heading', { name: 'Import terminé' }).count()).toBe(1);
  expect(await page.locator('#rapport tbody tr').first().innerText()).toMatch(/inscrite/i);

  // The pupil renounces: the désistement asks for its motif, then ends the candidature.
  const id = candidatureWorkflowId(DEV_ID_KEY, 'creteil-2027', bon.ine, 'metallerie');
  await page.goto(`${espace.url}/dossiers/${encodeURIComponent(id)}/desistement`);
  await page.getByRole('button', { name: 'Enregistrer le désistement' }).click();
  expect(await messageDe('motif')).toBe('Ce champ est obligatoire.');
  await page.getByLabel('Motif du désistement').fill('La famille déménage en Bretagne.');
  await page.getByRole('button', { name: 'Enregistrer le désistement' }).click();
  await page.waitForURL((u) => u.pathname === `/dossiers/${encodeURIComponent(id)}` && u.searchParams.get('fait') === 'desistement');
  expect((await espace.stack.db.prisma.candidature.findUniqueOrThrow({ where: { id } })).etape).toBe('desistee');
});

it('refuses an upload without its CSRF token', async () => {
  const reponse = await page.request.post(`${espace.url}/college/importer`, { multipart: { fichier: { name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('ine\n') } } });
  expect(reponse.status()).toBe(403);
});

it('lists the fiches ready, and prints one pupil\'s or all of them in one PDF', async () => {
  await page.goto(`${espace.url}/college/fiches`);
  expect(await page.locator('#fiches caption').innerText()).toBe('0 élève dont la fiche est prête');
  expect(await page.getByRole('link', { name: /Imprimer toutes les fiches/ }).count()).toBe(0);
  await verifier('fiches-aucune');

  // Ready as the query side says once the lycée is done (its pages and the workflow's are tested elsewhere).
  const prisma = espace.stack.db.prisma;
  const lignes = await prisma.candidature.findMany({ where: { uaiOrigine: COLLEGE } });
  expect(lignes.length).toBe(2);
  const le = new Date();
  for (const l of lignes) {
    const etat = { ...(l.etat as Record<string, unknown>), ficheRecapitulativeLe: le.toISOString() };
    await prisma.candidature.update({ where: { id: l.id }, data: { ficheRecapitulativeLe: le, etat } });
  }
  await page.goto(`${espace.url}/college/fiches`);
  expect(await page.locator('#fiches caption').innerText()).toBe('2 élèves dont la fiche est prête');
  await verifier('fiches');

  const une = await page.request.get(`${espace.url}/college/fiches/eleves/${pupil.ine}`);
  expect([une.status(), une.headers()['content-type']]).toEqual([200, 'application/pdf']);
  const toutes = await page.request.get(`${espace.url}/college/fiches/toutes`);
  expect(toutes.headers()['content-type']).toBe('application/pdf');
  const { numpages, text } = await pdfParse(await toutes.body());
  expect(numpages).toBe(2);
  expect(text).toContain(`${pupil.prenom} ${pupil.nom} — page 1 / 1`);
  expect(text).toContain('Noé Dupont — page 1 / 1');
});

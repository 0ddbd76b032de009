// One candidature worked through by every role in a real browser, on the real stack: a collège head registers a
// pupil with two vœux from the catalogue and enters the avis d'origine; the lycée's head plans the interview,
// records it held and writes the compte rendu; the collège prints the fiche, records the family's confirmation
// and the AFFELNET entry; the SAIO's dashboard counts each step. Every action from the candidature's own page.
// The campaign is dated around today (AFFELNET open), as the demo's is: the dev server's clock is the real one.
import { DEV_ID_KEY } from '../../platform/config';
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import type { Browser, Page } from 'playwright-core';
import type { Campagne } from '../../domain/campaign';
import { parseCampagne } from '../../domain/campaign';
import { campagnes } from '../../domain/campaigns';
import { addDays, parisDateOf, parisTimeOf } from '../../domain/calendar';
import { libellesEtape } from '../../presentation/libelles';
import { enregistrerCampagnes } from '../../runtime/seed';
import { eventually } from '../api/harness';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';
import { COLLEGE, eleve, LYCEE } from '../support/fixtures';

let espace: Espace;
let browser: Browser;
let college: Page;
let lycee: Page;
let saio: Page;
const pupil = eleve();
let campagne: Campagne;
let id = '';

/** Créteil 2027's rules, its inscriptions opening today (the collège's pages take it), AFFELNET open. */
function campagneDuJour(): Campagne {
  const jour = parisDateOf(new Date());
  const modele = campagnes['creteil-2027'];
  return parseCampagne({
    ...modele,
    id: `parcours-${String(process.pid % 10_000).padStart(4, '0')}`,
    libelle: `Parcours du ${jour}`,
    calendrier: {
      ouvertureInscriptions: jour,
      finInscriptions: addDays(jour, 7),
      finEntretiens: addDays(jour, 14),
      finFicheRecapitulative: addDays(jour, 21),
      ouvertureAffelnet: jour,
      finAffelnet: addDays(jour, 21),
      cloture: addDays(jour, 40),
    },
  });
}

/** Every page of the flow: no serious axe violation, and its screenshot kept. */
async function verifier(page: Page, nom: string): Promise<void> {
  await expectAccessible(page);
  await screenshot(page, `parcours-${nom}`);
}

/** DSFR draws its own box over a checkbox or a radio: a person clicks its label. */
const cocher = (page: Page, id: string) => page.locator(`label[for="${id}"]`).click();

const dossier = () => `${espace.url}/dossiers/${encodeURIComponent(id)}`;

/** The dashboard's counts per step, by the step's heading, and its total. */
async function comptes(): Promise<{ total: number; parEtape: Record<string, number> }> {
  await saio.goto(`${espace.url}/saio/tableau-de-bord`);
  const total = Number(/^\d+/.exec(await saio.locator('p.fr-text--lead a').first().innerText())![0]);
  const table = saio.locator('table', { hasText: 'Candidatures par étape' });
  const entetes = await table.locator('thead th').allInnerTexts();
  const cellules = await table.locator('tbody td').allInnerTexts();
  return { total, parEtape: Object.fromEntries(entetes.map((e, i) => [e.trim(), Number(/^\d+/.exec(cellules[i])![0])])) };
}

beforeAll(async () => {
  campagne = campagneDuJour();
  [espace, browser] = await Promise.all([startEspace('parcours'), launchBrowser()]);
  campagnes[campagne.id] = campagne;
  await enregistrerCampagnes(espace.stack.db.prisma, [campagne]);
  id = candidatureWorkflowId(DEV_ID_KEY, campagne.id, pupil.ine, 'metallerie');
  [college, lycee, saio] = await Promise.all([
    seConnecter(browser, espace, `chef-${COLLEGE.toLowerCase()}`),
    seConnecter(browser, espace, `chef-${LYCEE.toLowerCase()}`),
    seConnecter(browser, espace, 'chef-0941918z'),
  ]);
}, 180_000);

afterAll(async () => {
  delete campagnes[campagne?.id];
  await browser?.close();
  await espace?.stop();
});

it('takes one candidature from inscription to the AFFELNET entry, each role in its own pages', async () => {
  expect(await comptes()).toMatchObject({ total: 0 });
  await verifier(saio, 'saio-avant');

  // The collège head: domaine, then the pupil, two formations and the lycée, all from the catalogue.
  await college.goto(`${espace.url}/college/inscrire`);
  expect(await college.getByText(campagne.libelle).count()).toBeGreaterThan(0);
  await college.locator('#domaine').selectOption('metallerie');
  await college.getByRole('button', { name: 'Choisir ce domaine' }).click();
  await college.locator('#eleve-ine').fill(pupil.ine);
  await college.locator('#eleve-nom').fill(pupil.nom);
  await college.locator('#eleve-prenom').fill(pupil.prenom);
  await college.locator('#eleve-niveau').selectOption('3e');
  await college.locator('#eleve-referentNom').fill(pupil.referentNom);
  await college.locator('#eleve-referentEmail').fill(pupil.referentEmail);
  for (const code of ['24025401', '50025415']) await cocher(college, (await college.locator(`input[name="formations"][value="${code}"]`).getAttribute('id'))!);
  await cocher(college, (await college.locator(`input[name="lycee"][value="${LYCEE}|individuel"]`).getAttribute('id'))!);
  await verifier(college, 'college-inscrire');
  await college.getByRole('button', { name: 'Inscrire l’élève' }).click();
  await college.waitForURL((u) => u.pathname === '/college/candidatures' && u.searchParams.get('fait') === 'inscription');
  await verifier(college, 'college-candidatures');

  // Its page offers the avis d'origine, one per vœu with its comment.
  await college.locator(`#liste a.fr-link[href="/dossiers/${encodeURIComponent(id)}"]`).click();
  await verifier(college, 'college-dossier-inscrite');
  // Vœux may still be added from it: the lycée's other formations of the domaine; none ticked is said on the field.
  await college.getByRole('link', { name: 'Ajouter des vœux' }).click();
  expect(await college.locator('#voeux input[value="50025416"]').count()).toBe(1);
  expect(await college.locator('#voeux input[value="24025401"]').count()).toBe(0);
  await college.getByRole('button', { name: 'Enregistrer les vœux' }).click();
  expect(await college.locator('#voeux-messages').innerText()).toBe('Cochez au moins une formation.');
  await verifier(college, 'college-ajouter-voeux-refus');
  await college.goto(dossier());
  await college.getByRole('link', { name: "Saisir l'avis d'origine" }).click();
  await cocher(college, 'avis-0-avis-0');
  await college.locator('#avis-0-commentaire').fill('Élève motivée, stage de 3e en serrurerie.');
  await cocher(college, 'avis-1-avis-1');
  await college.locator('#avis-1-commentaire').fill('Projet à préciser.');
  await verifier(college, 'college-avis-origine');
  await college.getByRole('button', { name: 'Enregistrer les avis' }).click();
  await college.waitForURL((u) => u.searchParams.get('fait') === 'avis-origine');
  const apresInscription = await comptes();
  expect(apresInscription.total).toBe(1);
  expect(apresInscription.parEtape[libellesEtape.a_planifier]).toBe(1);
  await verifier(saio, 'saio-inscrite');

  // The lycée's head: from the inbox to the candidature; the collège's actions are not its own (403 page).
  await lycee.goto(`${espace.url}/lycee/a-traiter`);
  await lycee.locator(`section[aria-labelledby="a-planifier"] a[href="/dossiers/${encodeURIComponent(id)}"]`).first().click();
  expect((await lycee.goto(`${dossier()}/avis-origine`))?.status()).toBe(403);
  expect(await lycee.getByText(/réservée à/).count()).toBe(1);
  await verifier(lycee, 'lycee-avis-origine-refuse');
  await lycee.goto(dossier());
  await lycee.getByRole('link', { name: "Planifier l'entretien" }).click();
  // At the next minute but one, any day of the week (dérogation): it may be recorded from its time on.
  const instant = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
  await lycee.fill('#date', parisDateOf(instant));
  await lycee.fill('#heure', parisTimeOf(instant));
  await lycee.fill('#lieu', 'Atelier B12');
  await cocher(lycee, 'derogation');
  await lycee.fill('#motifDerogation', 'Entretien du parcours de test');
  await verifier(lycee, 'lycee-entretien');
  await lycee.getByRole('button', { name: 'Enregistrer et convoquer' }).click();
  await lycee.waitForURL((u) => u.searchParams.get('fait') === 'entretien');
  await espace.stack.smtp.waitFor((m) => /convocation de Léa Martin/.test(m.subject ?? ''));

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now() + 1_000)));
  await lycee.reload();
  await lycee.getByRole('link', { name: "Constater l'entretien" }).click();
  await cocher(lycee, 'present-0');
  await verifier(lycee, 'lycee-constat');
  await lycee.getByRole('button', { name: 'Enregistrer' }).click();
  await lycee.waitForURL((u) => u.searchParams.get('fait') === 'constat-entretien');
  await lycee.getByRole('link', { name: 'Saisir le compte rendu' }).click();
  await lycee.fill('#texte', 'Élève curieuse, a visité les ateliers.');
  await cocher(lycee, 'avis-24025401-0');
  await cocher(lycee, 'avis-50025415-0');
  await verifier(lycee, 'lycee-compte-rendu');
  await lycee.getByRole('button', { name: 'Enregistrer le compte rendu' }).click();
  await lycee.waitForURL((u) => u.searchParams.get('fait') === 'compte-rendu');
  await verifier(lycee, 'lycee-dossier-compte-rendu');

  // The collège: the fiche is ready and printed; the family confirms; the AFFELNET entry follows.
  await eventually(
    () => espace.stack.db.prisma.candidature.findUnique({ where: { id } }),
    (c) => c?.ficheRecapitulativeLe !== null,
  );
  await college.goto(`${espace.url}/college/fiches`);
  expect(await college.locator('#fiches caption').innerText()).toBe('1 élève dont la fiche est prête');
  await verifier(college, 'college-fiches');
  const fiche = await college.request.get(`${espace.url}/college/fiches/eleves/${pupil.ine}`);
  expect([fiche.status(), fiche.headers()['content-type']]).toEqual([200, 'application/pdf']);

  await college.goto(dossier());
  expect(await college.getByRole('link', { name: 'Enregistrer la saisie AFFELNET' }).count()).toBe(0);
  await college.getByRole('link', { name: 'Enregistrer la confirmation de la famille' }).click();
  await verifier(college, 'college-confirmation');
  await college.getByRole('button', { name: 'Enregistrer la confirmation' }).click();
  await college.waitForURL((u) => u.searchParams.get('fait') === 'confirmation-famille');
  await college.getByRole('link', { name: 'Enregistrer la saisie AFFELNET' }).click();
  await cocher(college, 'voeux-0');
  await cocher(college, 'voeux-1');
  await verifier(college, 'college-saisie-affelnet');
  await college.getByRole('button', { name: 'Enregistrer la saisie AFFELNET' }).click();
  await college.waitForURL((u) => u.searchParams.get('fait') === 'saisie-affelnet');
  const voeux = college.getByRole('table', { name: /Vœux du domaine/ });
  expect(await voeux.getByRole('cell', { name: 'très favorable' }).count()).toBe(1);
  expect(await college.getByRole('link', { name: 'Enregistrer la saisie AFFELNET' }).count()).toBe(0);
  await verifier(college, 'college-dossier-affelnet');

  // The SAIO: the candidature, its AFFELNET entry made, is closed, and no longer to plan.
  const fin = await comptes();
  expect(fin.total).toBe(1);
  expect(fin.parEtape[libellesEtape.a_planifier]).toBe(0);
  expect(fin.parEtape[libellesEtape.cloturee]).toBe(1);
  await verifier(saio, 'saio-apres');
  expect((await espace.stack.db.prisma.candidature.findUniqueOrThrow({ where: { id } })).etape).toBe('cloturee');
}, 300_000);

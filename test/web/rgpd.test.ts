// The access journal and the SAIO's early purge, real from end to end (dev server, worker, PGlite, the
// development identity provider, Chromium): every read of a candidature or a fiche, by the API or a page, is a
// row (who, what, when), an export one row with its filters and count; the SAIO exports the journal, runs a
// purge's dry run and confirms it: the campaign's rows are gone, and so are its candidatures' workflows in
// Temporal (the server deletes them asynchronously: the dev server within a minute).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { parisDateOf } from '../../domain/calendar';
import { PURGE_SCHEDULE_ID, planifierPurges } from '../../worker/planification';
import { agir, bearer, corpsInscription, COLLEGE, eventually, rendreFichePrete } from '../api/harness';
import { expectAccessible, launchBrowser, screenshot } from '../support/browser';
import { seConnecter, startEspace, type Espace } from '../support/espace';

let espace: Espace;
let browser: Browser;
let college: Page;
let saio: Page;
const CAMPAGNE = 'creteil-2027';
let eleve = { id: '', ine: '' };

const api = async (chemin: string, role: Parameters<typeof bearer>[0], init: { method?: string; body?: unknown; autre?: boolean } = {}) =>
  fetch(`${espace.url}${chemin}`, {
    method: init.method ?? 'GET',
    headers: { authorization: await bearer(role, { autre: init.autre, nom: `Test ${role}` }), 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

const journal = () => espace.stack.db.prisma.journalAcces.findMany({ orderBy: { id: 'asc' } });
const sans = ({ id: _id, survenuLe: _le, ...ligne }: Awaited<ReturnType<typeof journal>>[number]) => ligne;

beforeAll(async () => {
  [espace, browser] = await Promise.all([startEspace('rgpd'), launchBrowser()]);
  const corps = corpsInscription();
  const reponse = await api('/candidatures', 'origine_chef', { method: 'POST', body: corps });
  expect(reponse.status).toBe(201);
  eleve = { id: ((await reponse.json()) as { id: string }).id, ine: corps.eleve.ine };
  await rendreFichePrete(espace.stack.app, eleve.id);
  [college, saio] = await Promise.all([seConnecter(browser, espace, 'chef-0931234l'), seConnecter(browser, espace, 'chef-0941918z')]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await espace?.stop();
});

it('records a fiche read by the API and by the collège\'s page, one row per candidature with who read it; a refused read is none', async () => {
  const avant = (await journal()).length;
  const refusee = await api(`/candidatures/${encodeURIComponent(eleve.id)}/fiche?format=html`, 'origine_chef', { autre: true });
  expect(refusee.status).toBe(404);
  expect(await journal()).toHaveLength(avant);

  const lue = await api(`/candidatures/${encodeURIComponent(eleve.id)}/fiche?format=html`, 'origine_chef');
  expect(lue.status).toBe(200);
  const pdf = await college.request.get(`${espace.url}/college/fiches/eleves/${eleve.ine}`);
  expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);

  const lignes = (await journal()).slice(avant);
  expect(lignes.map(sans)).toEqual([
    { acteurNom: 'Test origine_chef', acteurRole: 'origine_chef', acteurUai: COLLEGE, nature: 'fiche_html', candidatureId: eleve.id, details: null },
    { acteurNom: expect.stringMatching(/^Principal, /), acteurRole: 'origine_chef', acteurUai: COLLEGE, nature: 'fiche_pdf', candidatureId: eleve.id, details: null },
  ]);
  for (const l of lignes) expect(Math.abs(l.survenuLe.getTime() - Date.now())).toBeLessThan(60_000);
});

it('records the reads of a candidature by the API and by its page', async () => {
  const avant = (await journal()).length;
  expect((await api(`/candidatures/${encodeURIComponent(eleve.id)}`, 'accueil_chef')).status).toBe(200);
  await college.goto(`${espace.url}/dossiers/${encodeURIComponent(eleve.id)}`);
  expect(await college.locator('h1').innerText()).toBe('Léa MARTIN');
  expect((await journal()).slice(avant).map((l) => [l.nature, l.acteurRole, l.candidatureId])).toEqual([
    ['candidature', 'accueil_chef', eleve.id],
    ['dossier', 'origine_chef', eleve.id],
  ]);
});

it('lets the SAIO export the journal by period and candidature, API and page; an export is recorded with its filters and count; others get 403', async () => {
  const affelnet = await api(`/exports/affelnet.csv?campagne=${CAMPAGNE}`, 'saio');
  expect(affelnet.status).toBe(200);
  const [derniere] = (await journal()).slice(-1);
  expect(sans(derniere)).toEqual({ acteurNom: 'Test saio', acteurRole: 'saio', acteurUai: null, nature: 'export_affelnet', candidatureId: null, details: { filtres: { campagne: CAMPAGNE }, lignes: 2 } });

  const aujourdhui = parisDateOf(new Date());
  const csv = await api(`/journal/acces.csv?du=${aujourdhui}&au=${aujourdhui}&candidature=${encodeURIComponent(eleve.id)}`, 'saio');
  expect([csv.status, csv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
  const lignes = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
  expect(lignes[0]).toBe('Date (heure de Paris);Personne;Rôle;UAI;Lecture;Candidature;Filtres;Lignes');
  expect(lignes.slice(1).map((l) => l.split(';')[4])).toEqual(['fiche_html', 'fiche_pdf', 'candidature', 'dossier']);
  // The journal's export is a read too, with its filters.
  expect((await journal()).slice(-1)[0]).toMatchObject({ nature: 'export_journal', details: { filtres: { du: aujourdhui, au: aujourdhui, candidature: eleve.id }, lignes: 4 } });

  const hier = await api('/journal/acces.csv?du=2027-01-02&au=2027-01-01', 'saio');
  expect([hier.status, ((await hier.json()) as { erreur: { champ: string } }).erreur.champ]).toEqual([400, 'query.au']);
  for (const role of ['origine_chef', 'accueil_chef'] as const) expect((await api('/journal/acces.csv', role)).status).toBe(403);

  await saio.goto(`${espace.url}/saio/exports`);
  await expectAccessible(saio);
  await screenshot(saio, 'saio-exports-journal');
  const page = await saio.request.get(`${espace.url}/saio/exports/journal.csv?du=&au=&candidature=${encodeURIComponent(eleve.id)}`);
  expect(page.status()).toBe(200);
  expect((await page.text()).split('\r\n').slice(1, -1).map((l) => l.split(';')[4])).toEqual(['fiche_html', 'fiche_pdf', 'candidature', 'dossier']);
  await saio.goto(`${espace.url}/saio/exports/journal.csv?du=13/05/2027`);
  expect(await saio.locator('#journal-du-message-error').innerText()).toContain('date attendue au format AAAA-MM-JJ');
});

it('lets the SAIO alone run a purge early, after its dry run, once every candidature of the campaign has ended', async () => {
  for (const role of ['origine_chef', 'accueil_chef'] as const) {
    for (const [chemin, method] of [['/purges/simulation', 'POST'], ['/purges', 'POST'], ['/purges', 'GET']]) {
      const res = await api(chemin, role, { method, body: method === 'POST' ? { campagne: CAMPAGNE } : undefined });
      expect([role, chemin, method, res.status]).toEqual([role, chemin, method, 403]);
    }
  }
  const prisma = espace.stack.db.prisma;
  const compter = () => Promise.all([prisma.candidature.count(), prisma.eleve.count(), prisma.courriel.count(), prisma.evenement.count()]);
  const avant = await compter();
  const simulation = await api('/purges/simulation', 'saio', { method: 'POST', body: { campagne: CAMPAGNE } });
  expect(simulation.status).toBe(200);
  expect(await simulation.json()).toMatchObject({ campagne: CAMPAGNE, candidatures: 1, ouvertes: 1, eleves: 1 });
  const refusee = await api('/purges', 'saio', { method: 'POST', body: { campagne: CAMPAGNE } });
  expect([refusee.status, ((await refusee.json()) as { erreur: { code: string } }).erreur.code]).toEqual([409, 'purge_refusee']);
  expect(await api('/purges/simulation', 'saio', { method: 'POST', body: { campagne: 'creteil-1999' } }).then((r) => r.status)).toBe(400);
  expect(await compter()).toEqual(avant);

  // Every candidature of the campaign withdrawn: nothing is open any more.
  const autres = await prisma.candidature.findMany({ where: { campagneId: CAMPAGNE }, select: { id: true } });
  for (const { id } of autres) await agir(espace.stack.app, id, 'desistement', 'origine_chef', { motif: 'Projet abandonné' });
  await eventually(() => prisma.candidature.count({ where: { etape: 'desistee' } }), (n) => n === autres.length);

  await saio.goto(`${espace.url}/saio/purges`);
  await saio.getByLabel('Campagne').selectOption(CAMPAGNE);
  await saio.getByRole('button', { name: 'Simuler la purge' }).click();
  expect(await saio.locator('table', { hasText: 'Ce que la purge supprimerait' }).locator('tr', { hasText: 'Candidatures' }).innerText()).toMatch(/1$/);
  await expectAccessible(saio);
  await screenshot(saio, 'saio-purge-simulation');
  // Not confirmed: the form again, its box in error, nothing deleted.
  await saio.getByRole('button', { name: 'Purger définitivement la campagne' }).click();
  expect(await saio.locator('#confirmation-message-error').innerText()).toContain('Cochez la case');
  expect([await prisma.candidature.count(), await prisma.eleve.count()]).toEqual([1, 1]);
  await saio.getByText('Je confirme la suppression définitive').click();
  await saio.getByRole('button', { name: 'Purger définitivement la campagne' }).click();
  expect(new URL(saio.url()).pathname).toBe('/saio/purges');
  expect(await saio.locator('.fr-alert--success').innerText()).toContain('Purge lancée');

  const records = await eventually(() => prisma.purge.findMany(), (r) => r.length === 1, 30_000);
  expect(records).toEqual([expect.objectContaining({ campagneId: CAMPAGNE, declencheur: expect.stringMatching(/^saio : /), comptes: expect.objectContaining({ candidatures: 1, eleves: 1, historiquesSupprimes: 1, historiquesDejaEffaces: 0 }) })]);
  expect(await prisma.candidature.count()).toBe(0);
  expect(await prisma.eleve.count()).toBe(0);
  expect(await prisma.courriel.count({ where: { candidatureId: { not: null } } })).toBe(0);
  for (const { id } of autres) {
    const erreur = await eventually(
      () => espace.stack.env.client.workflow.getHandle(id).describe().then(() => null, (e: unknown) => e),
      (e) => e instanceof WorkflowNotFoundError,
      90_000,
    );
    expect(erreur).toBeInstanceOf(WorkflowNotFoundError);
  }
  await saio.goto(`${espace.url}/saio/purges`);
  const ligne = saio.locator('table', { hasText: 'Purges effectuées' }).locator('tbody tr').first();
  const c = records[0].comptes as Record<string, number>;
  expect((await ligne.locator('td').allInnerTexts()).slice(3)).toEqual(['1', '1', String(c.voeux + c.evenements + c.rappels + c.courriels + c.incidents), '1']);
  await expectAccessible(saio);
  await screenshot(saio, 'saio-purges');

  // Again: nothing more to delete, and no second record.
  const encore = await api('/purges', 'saio', { method: 'POST', body: { campagne: CAMPAGNE } });
  expect(encore.status).toBe(202);
  await espace.stack.env.client.workflow.getHandle(((await encore.json()) as { workflowId: string }).workflowId).result();
  expect(await prisma.purge.count()).toBe(1);
}, 240_000);

it('creates the nightly purge Schedule once, visible in Temporal', async () => {
  const { client } = espace.stack.env;
  await planifierPurges(client, espace.stack.taskQueue);
  await planifierPurges(client, espace.stack.taskQueue);
  const planification = await client.schedule.getHandle(PURGE_SCHEDULE_ID).describe();
  expect(planification.action).toMatchObject({ type: 'startWorkflow', workflowType: 'purgesWorkflow', taskQueue: espace.stack.taskQueue });
  expect(planification.spec.timezone).toBe('Europe/Paris');
  await client.schedule.getHandle(PURGE_SCHEDULE_ID).delete();
});

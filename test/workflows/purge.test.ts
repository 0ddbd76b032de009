// The purge (RGPD) on the time-skipping server, with the real activities on a real database: a campaign whose
// retention has ended loses every row that names a pupil (the pupil, the candidature and its vœux, history,
// reminders, mails, incidents), the access journal its rows past its own retention; the purge is recorded once,
// a second run does nothing more, the dry run changes nothing, and an open candidature stops its campaign's.
import { Client, WorkflowFailedError } from '@temporalio/client';
import { bilanPurge } from '../../activities/purge';
import { saveCandidature } from '../../activities/persistence';
import type { CandidatureState } from '../../domain/candidature';
import { purgeCampagneWorkflow, purgeCampagneWorkflowId, purgesWorkflow } from '../../workflows/purge';
import { convertisseurDeTest, uniqueTaskQueue } from '../support/temporal';
import { nouvelIne, vie } from '../support/vie-candidature';
import { avancerJusqua, contexteDeTests, withWorker, type WorkflowTestContext } from '../support/workflow-env';

const ctx = contexteDeTests();

/** Every table that may hold a pupil's data, as text, row by row. */
const tables = ['Eleve', 'Candidature', 'Voeu', 'Evenement', 'Courriel', 'Rappel', 'Incident', 'Purge', 'JournalAcces'];

async function lignesQuiContiennent(db: WorkflowTestContext['db'], texte: string): Promise<string[]> {
  const trouvees: string[] = [];
  for (const table of tables) {
    const lignes = await db.prisma.$queryRawUnsafe<{ t: string }[]>(`SELECT row_to_json(x)::text AS t FROM "${table}" x`);
    for (const { t } of lignes) if (t.includes(texte)) trouvees.push(`${table}: ${t}`);
  }
  return trouvees;
}

/** A candidature of `campagne` as the workflow leaves it (ended, or at `etape`), with a mail, a reminder, an incident. */
async function candidature(campagne: string, ine: string, etape: CandidatureState['etape'] = 'cloturee', eleve: Partial<CandidatureState['eleve']> = {}): Promise<string> {
  const etats = vie(ine);
  const finale = etats[etats.length - 1];
  const id = `passpro:${campagne}:${ine}:metallerie`;
  const state: CandidatureState = { ...finale, id, campagneId: campagne, etape, eleve: { ...finale.eleve, ...eleve } };
  await saveCandidature(ctx.db, state);
  const prisma = ctx.db.prisma;
  await prisma.rappel.create({ data: { cle: `${id}/rappel_affelnet/uai:0931234L`, candidatureId: id, type: 'rappel_affelnet', destinataire: 'uai:0931234L', message: `Confirmation de ${state.eleve.prenom} ${state.eleve.nom}`, creeLe: new Date() } });
  await prisma.courriel.create({ data: { cle: `${id}/convocation/1`, candidatureId: id, gabarit: 'convocation', destinataires: [state.eleve.referentEmail], sujet: `Convocation de ${state.eleve.prenom} ${state.eleve.nom}`, envoyeLe: new Date() } });
  await prisma.courriel.create({ data: { cle: `${id}/3/avis-origine/incident`, gabarit: 'incident', destinataires: ['operateurs@ac-creteil.fr'], sujet: 'Incident' } });
  await prisma.incident.create({ data: { cle: `${id}/3/avis-origine`, candidatureId: id, campagneId: campagne, action: 'avis-origine', code: '22P05', annulee: true, survenuLe: new Date() } });
  return id;
}

const compter = async () => {
  const p = ctx.db.prisma;
  return Promise.all([p.eleve.count(), p.candidature.count(), p.voeu.count(), p.evenement.count(), p.rappel.count(), p.courriel.count(), p.incident.count(), p.placement.count(), p.journalAcces.count(), p.purge.count()]);
};

/**
 * The Schedule's run, through a client that leaves the server's clock where it is (the environment's own lets
 * it skip ahead while it waits for a result): the tests move it themselves.
 */
const executer = (taskQueue: string) =>
  new Client({ connection: ctx.env.connection, namespace: ctx.env.namespace, dataConverter: convertisseurDeTest }).workflow.execute(purgesWorkflow, { taskQueue, workflowId: `purges-${uniqueTaskQueue('t')}` });

it('purges a campaign past its retention, keeps the others and the journal within its own, records it once, and a second run does nothing more', async () => {
  const ine = nouvelIne();
  const autre = nouvelIne();
  const id2018 = await candidature('creteil-2018', ine);
  const desistee = await candidature('creteil-2018', autre, 'desistee');
  // The same pupil in a campaign still kept: he stays, with that candidature only.
  const ineDeuxCampagnes = nouvelIne();
  const noe = { nom: 'Bernard', prenom: 'Noé', referentNom: 'Mme Petit', referentEmail: 'pp.petit@ac-creteil.fr' };
  await candidature('creteil-2018', ineDeuxCampagnes, 'cloturee', noe);
  const id2027 = await candidature('creteil-2027', ineDeuxCampagnes, 'a_planifier', noe);
  // A place it held in a lycée's créneau goes with it.
  await ctx.db.prisma.creneau.create({
    data: {
      campagneId: 'creteil-2018', uai: '0940134K', domaine: 'metallerie', date: '2018-04-11', heure: '14:00', dureeMinutes: 20,
      debut: new Date('2018-04-11T12:00:00Z'), fin: new Date('2018-04-11T12:20:00Z'), lieu: 'Atelier B', mode: 'presentiel', capacite: 1, creePar: 'M. Y',
      placements: { create: { candidatureId: id2018 } },
    },
  });
  const maintenant = await ctx.env.currentTimeMs();
  const anDernier = new Date(maintenant - 400 * 86_400_000);
  await ctx.db.prisma.journalAcces.createMany({
    data: [
      { acteurNom: 'Mme X', acteurRole: 'origine_chef', acteurUai: '0931234L', nature: 'fiche_pdf', candidatureId: id2018, survenuLe: anDernier },
      { acteurNom: 'SAIO', acteurRole: 'saio', nature: 'export_affelnet', details: { filtres: { campagne: 'creteil-2018' }, lignes: 3 }, survenuLe: anDernier },
      { acteurNom: 'Mme X', acteurRole: 'origine_chef', acteurUai: '0931234L', nature: 'dossier', candidatureId: id2027, survenuLe: new Date(maintenant) },
    ],
  });

  // The dry run: what would go, and nothing goes.
  const avant = await compter();
  expect(await bilanPurge(ctx.db.prisma, 'creteil-2018')).toEqual({
    campagne: 'creteil-2018',
    candidatures: 3,
    ouvertes: 0,
    eleves: 2,
    voeux: 9,
    evenements: 27,
    rappels: 3,
    courriels: 6,
    incidents: 3,
    placements: 1,
    lecturesAuJournal: 1,
  });
  expect(await compter()).toEqual(avant);

  const resultat = await withWorker(ctx, executer);
  expect(resultat.lectures).toBe(2);
  expect(resultat.campagnes).toEqual([
    expect.objectContaining({
      campagne: 'creteil-2018',
      // No workflow of these candidatures is left on the server: gone as its namespace retention removes them.
      comptes: { candidatures: 3, eleves: 2, voeux: 9, evenements: 27, rappels: 3, courriels: 6, incidents: 3, placements: 1, historiquesSupprimes: 0, historiquesDejaEffaces: 3 },
    }),
  ]);

  for (const texte of [ine, autre, 'Léa', 'Martin', 'pp.durand', id2018, desistee]) expect([texte, await lignesQuiContiennent(ctx.db, texte)]).toEqual([texte, []]);
  // The campaign still kept is untouched, its pupil and its reads with it.
  expect(await ctx.db.prisma.candidature.findMany({ select: { id: true } })).toEqual([{ id: id2027 }]);
  expect(await ctx.db.prisma.eleve.count({ where: { ine: ineDeuxCampagnes } })).toBe(1);
  expect(await ctx.db.prisma.journalAcces.findMany({ select: { candidatureId: true } })).toEqual([{ candidatureId: id2027 }]);

  const records = await ctx.db.prisma.purge.findMany({ orderBy: { id: 'asc' } });
  expect(records.map((r) => [r.campagneId, r.declencheur, r.comptes])).toEqual([
    ['creteil-2018', 'planifiee', expect.objectContaining({ candidatures: 3, eleves: 2, courriels: 6 })],
    [null, 'planifiee', { lectures: 2 }],
  ]);
  for (const r of records) expect(r.fin.getTime()).toBeGreaterThanOrEqual(r.debut.getTime());

  const apres = await compter();
  const encore = await withWorker(ctx, executer);
  expect(encore).toEqual({ campagnes: [], lectures: 0 });
  expect(await compter()).toEqual(apres);
}, 120_000);

it('never purges a campaign with an open candidature, even past its retention; its early purge is refused', async () => {
  const ouverte = await candidature('creteil-2027', nouvelIne(), 'convoquee');
  await candidature('creteil-2027', nouvelIne(), 'desistee');
  // The rows of candidatures (the journal and the records follow their own retention meanwhile).
  const candidatures = async () => (await compter()).slice(0, 7);
  const avant = await candidatures();
  await withWorker(ctx, async (taskQueue) => {
    const refus = await ctx.env.client.workflow
      .execute(purgeCampagneWorkflow, { taskQueue, workflowId: purgeCampagneWorkflowId('creteil-2027'), args: [{ campagne: 'creteil-2027', declencheur: 'saio : test' }] })
      .catch((e: unknown) => e);
    expect(refus).toBeInstanceOf(WorkflowFailedError);
    expect((refus as WorkflowFailedError).cause).toMatchObject({ type: 'purge_refusee', message: expect.stringContaining("encore en cours : rien n'est purgé") });
    // The end of the following school year, and a day more: its retention has ended.
    await avancerJusqua(ctx, new Date('2028-09-01T22:00:00Z'));
    const resultat = await executer(taskQueue);
    expect(resultat.campagnes).toEqual([expect.objectContaining({ campagne: 'creteil-2027', comptes: null, bilan: expect.objectContaining({ ouvertes: expect.any(Number) }) })]);
    expect(resultat.campagnes[0].bilan.ouvertes).toBeGreaterThan(0);
  });
  expect(await candidatures()).toEqual(avant);
  expect(await ctx.db.prisma.candidature.count({ where: { id: ouverte } })).toBe(1);
  expect(await ctx.db.prisma.purge.count({ where: { campagneId: 'creteil-2027' } })).toBe(0);
}, 120_000);

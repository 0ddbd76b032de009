// How candidatures end, on the real time-skipping test server with real activities (database, SMTP):
// désistement before and after planning, an interview cancelled back to planification, the collective session, the recensement never turned into an
// inscription (AFFELNET: candidature-affelnet.test.ts).
// Historical campaigns are moved to 2027 (campagneEn); each test gets a fresh server (horlogeNeuve).
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import { annulerEntretienUpdate, candidatureStartPolicy, constaterEntretienUpdate, desisterUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate } from '../../workflows/definitions';
import {
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefOrigine,
  COLLEGE,
  ENTRETIEN,
  LYCEE,
  personnelAccueil,
  personnelOrigine,
  planificationInput,
  voeuMetallier,
} from '../support/fixtures';
import { recipients } from '../support/smtp';
import {
  avancerJusqua,
  contexteDeTests,
  idDe,
  inscrireAuDemarrage,
  jusqua,
  mailsDe,
  refus,
  startCandidature,
  traces,
  withWorker,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const boiteCollege = `ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`;
const boiteLycee = `ce.${LYCEE.toLowerCase()}@ac-creteil.fr`;
const referent = 'pp.durand@ac-creteil.fr';
const MINUTE = 60_000;
const decale = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * MINUTE);

/** The calendar invitation attached to a mail, lines unfolded (RFC 5545 §3.1). */
function ics(mail: ParsedMail): string {
  expect(mail.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
  return mail.attachments[0].content.toString().replace(/\r\n[ \t]/g, '');
}

describe('candidature outcomes', () => {
  const ctx = contexteDeTests();

  const ligne = (id: string) =>
    ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { voeux: { orderBy: { rang: 'asc' } }, evenements: { orderBy: { id: 'asc' } } } });

  // ---- 6. désistement ----

  it('désistement before planning: the lycée is told, nothing to cancel; the run ends desistee and takes no more updates', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      const state = await agirPuisLire(handle, desisterUpdate, { args: [{ motif: 'Projet abandonné par la famille', acteur: chefOrigine }] });
      expect(state.etape).toBe('desistee');
      expect(state.historique.at(-1)).toMatchObject({ type: 'desistement', acteur: chefOrigine, details: { motif: 'Projet abandonné par la famille' } });
      expect((await handle.result()).etape).toBe('desistee');
      await expect(handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] })).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    });

    expect(await ligne(id)).toMatchObject({ etape: 'desistee', enRetard: false });
    const [desistement] = mailsDe(ctx, id);
    expect(recipients(desistement)).toEqual([boiteLycee]);
    expect(desistement.text).toContain('Motif : Projet abandonné par la famille');
    expect(desistement.attachments).toEqual([]);
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['desistement'], mails: ['desistement'] });
  });

  it('désistement after planning: the convocation is cancelled (.ics METHOD:CANCEL) for the collège and the referent, the lycée is told', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
      const state = await agirPuisLire(handle, desisterUpdate, { args: [{ motif: 'Entrée en apprentissage', acteur: personnelOrigine }] });
      expect(state.etape).toBe('desistee');
      expect((await handle.result()).etape).toBe('desistee');
      await expect(handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] })).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
    });

    const [convocation, annulation, desistement] = mailsDe(ctx, id);
    expect(recipients(annulation)).toEqual([boiteCollege, referent]);
    expect(annulation.subject).toContain('entretien annulé');
    expect(annulation.text).toContain('Motif : Entrée en apprentissage');
    const invitation = ics(convocation);
    const annulee = ics(annulation);
    expect(annulee).toContain('METHOD:CANCEL');
    expect(annulee).toContain('STATUS:CANCELLED');
    expect(annulee).toContain('SEQUENCE:2');
    expect(/^UID:.*$/m.exec(annulee)?.[0]).toBe(/^UID:.*$/m.exec(invitation)?.[0]);
    expect(recipients(desistement)).toEqual([boiteLycee]);
    expect(await traces(ctx, id)).toEqual({
      rappels: [],
      courriels: ['convocation/1', 'annulation', 'desistement'],
      mails: ['convocation', 'annulation', 'desistement'],
    });
  });

  it('an interview cancelled (the collège announces an absence): back to planification, its CANCEL to every calendar, a new convocation above it', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [{ ...planificationInput(ENTRETIEN.date, ENTRETIEN.heure), dureeMinutes: 20 }] });
      expect(await refus(handle.executeUpdate(annulerEntretienUpdate, { args: [{ motif: ' ', acteur: personnelOrigine }] }))).toBe("le motif de l'annulation est obligatoire");
      const annulee = await agirPuisLire(handle, annulerEntretienUpdate, { args: [{ motif: 'Élève hospitalisé', acteur: personnelOrigine }] });
      expect(annulee).toMatchObject({ etape: 'a_planifier', entretien: { statut: 'annule', sequence: 1 } });
      expect(await ligne(id)).toMatchObject({ etape: 'a_planifier', entretienStatut: 'annule' });
      // The interview's own deadlines are gone: past its time, nothing is reminded nor escalated.
      await avancerJusqua(ctx, decale(parisInstant(ENTRETIEN.date, ENTRETIEN.heure), 3 * 24 * 60));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
      const nouvelle = await agirPuisLire(handle, planifierEntretienUpdate, { args: [{ ...planificationInput('2027-04-22', '10:00'), dureeMinutes: 45 }] });
      expect(nouvelle).toMatchObject({ etape: 'convoquee', entretien: { sequence: 3, dureeMinutes: 45 } });
      await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Entrée en apprentissage', acteur: personnelOrigine }] });
      await handle.result();
    });

    const [convocation, annulation, reconvocation] = mailsDe(ctx, id);
    expect(recipients(annulation)).toEqual([boiteCollege, boiteLycee, referent]);
    expect(annulation.subject).toContain('entretien annulé');
    expect(annulation.text).toContain('Motif : Élève hospitalisé');
    expect(annulation.text).toContain('une nouvelle convocation suivra');
    // 14:00–14:20 Paris in summer time: the length the planification gave.
    expect(ics(convocation)).toContain('DTSTART:20270407T120000Z');
    expect(ics(convocation)).toContain('DTEND:20270407T122000Z');
    expect(ics(annulation)).toContain('METHOD:CANCEL');
    expect(ics(annulation)).toContain('SEQUENCE:2');
    expect(ics(reconvocation)).toContain('SEQUENCE:3');
    expect(ics(reconvocation)).toContain('DTSTART:20270422T080000Z');
    expect(ics(reconvocation)).toContain('DTEND:20270422T084500Z');
    expect((await traces(ctx, id)).courriels).toEqual(['convocation/1', 'annulation_entretien/1', 'convocation/3', 'annulation', 'desistement']);
  });

  it('an inscription sent with the start, as the API sends it, is written once, at its first attempt', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const state = await inscrireAuDemarrage(ctx, taskQueue, input);
      const handle = ctx.env.client.workflow.getHandle(id);
      await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Erreur de domaine', acteur: chefOrigine }] });
      await handle.result();

      expect(state.etape).toBe('a_planifier');
      const events = (await handle.fetchHistory()).events ?? [];
      const ecritures = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'saveCandidature');
      // The inscription's write, then the désistement's: none at start beside the inscription's.
      expect(ecritures).toHaveLength(2);
      const tentatives = events.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
      expect(tentatives.every((tentative) => tentative === 1)).toBe(true);
      expect((await ligne(id)).evenements.map((e) => e.type)).toEqual(['recensement', 'inscription', 'desistement']);
    });
  });

  it('a new inscription after a désistement, sent as the API sends it, is refused: one candidature per pupil × domaine × campagne', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(desisterUpdate, { args: [{ motif: 'Erreur de domaine', acteur: chefOrigine }] });
      await jusqua(async () => (await handle.describe()).status.name === 'COMPLETED', 'fin du premier run');
      const avant = await ligne(id);

      await expect(
        inscrireAuDemarrage(ctx, taskQueue, input, [...input.voeux, voeuMetallier]),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      await expect(
        ctx.env.client.workflow.start('candidatureWorkflow', { workflowId: id, taskQueue, ...candidatureStartPolicy, args: [input] }),
      ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

      expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);
      expect(await ligne(id)).toEqual(avant);
    });
  });

  // ---- 7. collective session ----

  it('collective session: no avis d\'origine, convocation sent, the session held closes the candidature with no avis and no bonus', async () => {
    const input = candidatureInput(creteil2018, {
      modalite: 'collectif',
      domaine: { code: 'sante-aide-personne', libelle: 'Santé et aide à la personne' },
      voeux: [{ codeFormation: '24033004', libelle: '2nde pro accompagnement, soins et services à la personne' }],
    });
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      const avant = await handle.query(stateQuery);
      expect(await refus(handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable'])] }))).toBe(
        "pas d'avis en séance d'information collective",
      );
      expect(await handle.query(stateQuery)).toEqual(avant);

      let state = await agirPuisLire(handle, planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
      expect(state.etape).toBe('convoquee');
      // No avis is due: neither the day before nor at the session is anything missing.
      await avancerJusqua(ctx, parisInstant(ENTRETIEN.date, '16:00'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);

      state = await agirPuisLire(handle, constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      expect(state.etape).toBe('cloturee');
      expect(state.historique.at(-1)?.type).toBe('seance_collective_suivie');
      expect(state.compteRendu).toBeNull();
      expect(state.ficheRecapitulativeLe).toBeNull();
      expect(state.bonusAccorde).toBeNull();
      expect(state.voeux.map((v) => [v.avisOrigine, v.avisAccueil, v.avisFinal, v.bonus])).toEqual([[null, null, null, null]]);
      expect((await handle.result()).etape).toBe('cloturee');
    });

    const row = await ligne(id);
    expect(row).toMatchObject({ etape: 'cloturee', modalite: 'collectif', entretienStatut: 'tenu', bonusAccorde: null });
    expect(row.voeux.map((v) => [v.avisFinal, v.bonus])).toEqual([[null, null]]);
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1'], mails: ['convocation'] });
  });

  // ---- 9. recensement never turned into an inscription ----

  it('recensement: never registered, closed non_inscrite at the inscription deadline; a late inscription is refused with the reason', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const echeance = endOfParisDay('2027-04-13');
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      let state = await handle.query(stateQuery);
      expect(state.etape).toBe('recensement');
      expect(state.prochaineEcheance).toBe(echeance.toISOString());
      await jusqua(async () => (await ctx.db.prisma.candidature.findUnique({ where: { id } }))?.etape === 'recensement', 'recensement enregistré');

      await avancerJusqua(ctx, decale(echeance, -1));
      expect((await handle.query(stateQuery)).etape).toBe('recensement');
      await avancerJusqua(ctx, decale(echeance, 1));
      state = await handle.query(stateQuery);
      expect(state.etape).toBe('cloturee');
      expect(state.historique.map((h) => h.type)).toEqual(['recensement', 'non_inscrite']);
      expect((await handle.describe()).status.name).toBe('COMPLETED');

      // The inscription as the API sends it (update-with-start): the validator gives the reason.
      expect(await refus(ctx.env.client.workflow.executeUpdateWithStart(inscrireUpdate, {
        args: [{ voeux: input.voeux, acteur: chefOrigine }],
        startWorkflowOperation: new WithStartWorkflowOperation('candidatureWorkflow', { workflowId: id, taskQueue, workflowIdConflictPolicy: 'USE_EXISTING', args: [input] }),
      }))).toBe('les inscriptions sont closes depuis le 2027-04-13');
    });
    const row = await ligne(id);
    expect(row.etape).toBe('cloturee');
    expect(row.inscritLe).toBeNull();
    expect(row.evenements.map((e) => e.type)).toEqual(['recensement', 'non_inscrite']);
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: [], mails: [] });
  });
});

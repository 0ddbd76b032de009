// Outages and lost completions, on the real time-skipping server with real activities (database, SMTP):
// an SMTP server that refuses mail for a while delays the convocation, Temporal retries it with backoff, and
// it arrives once; an activity whose completion is lost after it did its work is retried, and the outbox
// and the keyed audit rows make the retry harmless (one mail per event, one audit row per history entry).
//
// Activity retries wait in real time on the test server (it does not skip time while a client waits on an
// update: temporalio/sdk-typescript#1549), so the outage lasts a few seconds and the backoff (1 s, ×2) is
// measured on the wall clock.
import type { WorkflowHandle } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import type { Activities, CourrielDemande } from '../../activities';
import type { Rappel } from '../../domain/procedure';
import type { Mailer } from '../../platform/smtp';
import { parisInstant } from '../../domain/calendar';
import type { CandidatureInput, CandidatureState } from '../../domain/candidature';
import { constaterEntretienUpdate, inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import type { candidatureWorkflow } from '../../workflows';
import { campagneEn, candidatureInput, chefAccueil, chefOrigine, COLLEGE, LYCEE, personnelAccueil } from '../support/fixtures';
import { recipients } from '../support/smtp';
import {
  activitesReelles,
  avancerJusqua,
  contexteDeTests,
  idDe,
  jusqua,
  startCandidature,
  withWorker,
  type WorkflowTestContext,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);

/**
 * Runs a candidature on a worker with `activities`, then terminates it if it still runs: a workflow left
 * with timers and no worker would stop the test server's clock at its next timer in a later test (a workflow
 * task nobody polls), and the later test would hang.
 */
async function avecCandidature<T>(
  ctx: WorkflowTestContext,
  activities: Activities,
  input: CandidatureInput,
  fn: (handle: WorkflowHandle<typeof candidatureWorkflow>) => Promise<T>,
): Promise<T> {
  return withWorker(
    ctx,
    async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      try {
        return await fn(handle);
      } finally {
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') await handle.terminate('fin du test');
      }
    },
    activities,
  );
}

/** Waits until the run has no activity in progress or in retry backoff. */
const sansActiviteEnCours = (handle: WorkflowHandle) =>
  jusqua(async () => ((await handle.describe()).raw.pendingActivities ?? []).length === 0, 'activités terminées', 30_000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mails about one candidature (its link is in every body). */
const mailsDe = (ctx: WorkflowTestContext, id: string) => ctx.smtp.mails.filter((m) => m.text?.includes(encodeURIComponent(id)) === true);
const sujets = (mails: ParsedMail[]) => mails.map((m) => m.subject ?? '').sort();

const avisOrigine = {
  acteur: chefOrigine,
  avis: [
    { codeFormation: '24025401', avis: 'favorable', commentaire: 'Très motivée.' },
    { codeFormation: '50025415', avis: 'assez_favorable', commentaire: 'Projet à affiner.' },
  ],
};

describe('outages and lost completions', () => {
  // A fresh server for each test: sharing one, the second test's clock moves sometimes waited minutes of real
  // time (three times in CI, and once when run alone), and it timed out.
  const ctx = contexteDeTests();
  afterEach(() => ctx.smtp?.setDown(false));

  it('SMTP down while the interview is planned: the convocation is retried with backoff, then arrives exactly once', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const cle = `${id}/convocation/1`;
    /** Every SMTP attempt of the convocation, on the wall clock, and how it ended. */
    const essais: { le: number; issue: 'en_cours' | 'refuse' | 'accepte' }[] = [];
    const mailer: Mailer = {
      async send(mail) {
        const essai = { le: Date.now(), issue: 'en_cours' as 'en_cours' | 'refuse' | 'accepte' };
        if (mail.subject.includes('convocation')) essais.push(essai);
        try {
          await ctx.mailer.send(mail);
          essai.issue = 'accepte';
        } catch (error) {
          essai.issue = 'refuse';
          throw error;
        }
      },
      close: () => {},
    };
    const refus = () => essais.filter((e) => e.issue === 'refuse').length;

    const state = await avecCandidature(ctx, activitesReelles(ctx, mailer), input, async (handle) => {
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigine] });

      ctx.smtp.setDown(true);
      // The lycée's action is answered at once, its change saved; the convocation waits out the outage.
      const apres = await agirPuisLire(handle, planifierEntretienUpdate, {
        args: [{ date: '2027-04-07', heure: '14:00', lieu: 'Lycée Gabriel Péri, salle B12', mode: 'presentiel', acteur: personnelAccueil }],
      });
      expect(apres.etape).toBe('convoquee');
      expect((await ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id } })).etape).toBe('convoquee');
      await jusqua(() => refus() >= 3, 'trois essais refusés', 20_000);
      const pendant = await ctx.db.prisma.courriel.findUniqueOrThrow({ where: { cle } });
      expect(pendant.envoyeLe).toBeNull();
      expect(pendant.derniereErreur).toMatch(/451|indisponible/);
      expect(mailsDe(ctx, id)).toEqual([]);

      ctx.smtp.setDown(false);
      await jusqua(async () => (await ctx.db.prisma.courriel.findUniqueOrThrow({ where: { cle } })).envoyeLe !== null, 'convocation envoyée', 20_000);

      // Temporal retried the same activity: one scheduled task, completed by its last attempt.
      const events = (await handle.fetchHistory()).events ?? [];
      const programmes = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendCourriel');
      expect(programmes).toHaveLength(1);
      const demarre = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(programmes[0].eventId));
      expect(Number(demarre?.activityTaskStartedEventAttributes?.attempt)).toBe(essais.length);
      return apres;
    });
    expect(state.entretien?.sequence).toBe(1);

    // Refused, refused, refused…, then accepted; the waits grow (1 s, then ×2).
    expect(essais.map((e) => e.issue)).toEqual([...Array<string>(essais.length - 1).fill('refuse'), 'accepte']);
    expect(essais.length).toBeGreaterThanOrEqual(4);
    const attentes = essais.slice(1).map((e, i) => e.le - essais[i].le);
    expect(attentes[0]).toBeGreaterThanOrEqual(900);
    expect(attentes[1]).toBeGreaterThanOrEqual(1_800);
    expect(attentes[1]).toBeGreaterThan(attentes[0]);

    const [convocation] = await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true && m.subject?.includes('convocation') === true);
    expect(recipients(convocation)).toEqual([`ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`, `ce.${LYCEE.toLowerCase()}@ac-creteil.fr`, 'pp.durand@ac-creteil.fr']);
    await pause(300);
    expect(mailsDe(ctx, id).filter((m) => m.subject?.includes('convocation'))).toHaveLength(1);

    const row = await ctx.db.prisma.courriel.findUniqueOrThrow({ where: { cle } });
    expect(row.tentatives).toBeGreaterThanOrEqual(1);
    // The first attempt creates the row at 0; each retry adds one: `tentatives` counts the retries.
    expect(row.tentatives).toBe(essais.length - 1);
    expect(row.envoyeLe).not.toBeNull();
    expect(row.derniereErreur).toBeNull();
    expect(row.messageId).toBe(convocation.messageId);
    expect(await ctx.db.prisma.courriel.count({ where: { candidatureId: id } })).toBe(1);
  }, 90_000);

  it('completions lost after the work was done: one mail per event, one audit row per history entry', async () => {
    const reelles = activitesReelles(ctx);
    /** Each mail event and each state version: the first call does the work, then its completion is lost. */
    const courrielsPerdus: string[] = [];
    const versionsPerdues: number[] = [];
    const appels = { sendCourriel: 0, saveCandidature: new Map<number, number>() };
    const capricieuses: Activities = {
      ...reelles,
      async sendCourriel(demande: CourrielDemande) {
        appels.sendCourriel += 1;
        await reelles.sendCourriel(demande);
        if (!courrielsPerdus.includes(demande.cle)) {
          courrielsPerdus.push(demande.cle);
          throw new Error(`courriel ${demande.cle} envoyé, mais la fin de l'activité est perdue`);
        }
      },
      async saveCandidature(state: CandidatureState, rappels?: Rappel[]) {
        appels.saveCandidature.set(state.version, (appels.saveCandidature.get(state.version) ?? 0) + 1);
        await reelles.saveCandidature(state, rappels);
        if (!versionsPerdues.includes(state.version)) {
          versionsPerdues.push(state.version);
          throw new Error(`version ${state.version} enregistrée, mais la fin de l'activité est perdue`);
        }
      },
    };

    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const final = await avecCandidature(ctx, capricieuses, input, async (handle) => {
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigine] });
      await handle.executeUpdate(planifierEntretienUpdate, {
        args: [{ date: '2027-04-07', heure: '14:00', lieu: 'Lycée Gabriel Péri, salle B12', mode: 'presentiel', acteur: personnelAccueil }],
      });
      await handle.executeUpdate(planifierEntretienUpdate, {
        args: [{ date: '2027-04-08', heure: '10:30', lieu: 'Lycée Gabriel Péri, salle B14', mode: 'presentiel', acteur: personnelAccueil }],
      });
      // Both convocations sent and their lost completions retried before the clock jumps: the test server's
      // time skipping and an activity in retry backoff do not mix well (a jump then takes minutes of real time).
      await jusqua(() => appels.sendCourriel === 4, 'deux convocations, chacune essayée deux fois', 30_000);
      await sansActiviteEnCours(handle);
      await avancerJusqua(ctx, parisInstant('2027-04-08', '11:30'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      await sansActiviteEnCours(handle);
      await avancerJusqua(ctx, parisInstant('2027-04-09', '09:00'));
      const apresCompteRendu = await agirPuisLire(handle, saisirCompteRenduUpdate, {
        args: [{
          acteur: chefAccueil,
          texte: "Élève curieuse. Conseil : stage d'observation en métallerie.",
          avis: [{ codeFormation: '24025401', avis: 'favorable' }, { codeFormation: '50025415', avis: 'favorable' }],
        }],
      });
      // The mails leave after the actions are answered: the run must go on until the last one is sent.
      await jusqua(() => courrielsPerdus.length === 3, 'trois courriels', 20_000);
      await sansActiviteEnCours(handle);
      return apresCompteRendu;
    });
    expect(final.etape).toBe('confirmation_attendue');

    // Every completion was lost once, and retried.
    expect(courrielsPerdus.sort()).toEqual([`${id}/convocation/1`, `${id}/convocation/2`, `${id}/fiche_prete`]);
    expect(appels.sendCourriel).toBe(6);
    // Every version written was lost once and written again. (Not always the same versions: when the
    // inscription reaches the workflow in its first activation, its handler runs as soon as it is set, before
    // the start's first write, which then carries version 2 as well: version 1 is never written on its own.)
    expect(versionsPerdues.length).toBeGreaterThanOrEqual(6);
    expect(versionsPerdues).toContain(final.version);
    for (const version of versionsPerdues) expect(appels.saveCandidature.get(version)).toBeGreaterThanOrEqual(2);

    // One mail per event, whatever the retries.
    const attendus = [
      'Passpro — convocation de Léa Martin : entretien Métallerie le mercredi 7 avril 2027 à 14:00',
      'Passpro — convocation modifiée de Léa Martin : entretien Métallerie le jeudi 8 avril 2027 à 10:30',
      'Passpro — fiche récapitulative prête : Léa Martin (Métallerie)',
    ];
    await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true, 3);
    await pause(300);
    expect(sujets(mailsDe(ctx, id))).toEqual(attendus);
    const lignes = await ctx.db.prisma.courriel.findMany({ where: { candidatureId: id }, orderBy: { id: 'asc' } });
    expect(lignes.map((l) => [l.cle, l.tentatives, l.envoyeLe !== null])).toEqual([
      [`${id}/convocation/1`, 1, true],
      [`${id}/convocation/2`, 1, true],
      [`${id}/fiche_prete`, 1, true],
    ]);

    // One audit row per history entry, none twice; the candidature at the final version.
    const row = await ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { evenements: { orderBy: { id: 'asc' } } } });
    expect(row.version).toBe(final.version);
    expect(row.etape).toBe('confirmation_attendue');
    expect(row.evenements.map((e) => e.type)).toEqual(final.historique.map((h) => h.type));
    expect(row.evenements.map((e) => e.type)).toEqual([
      'recensement', 'inscription', 'avis_origine', 'entretien_planifie', 'entretien_modifie', 'entretien_tenu', 'compte_rendu', 'fiche_recapitulative_prete',
    ]);
    expect(row.evenements.map((e) => e.cle)).toEqual(final.historique.map((_, i) => `${id}#${i}`));
  }, 180_000);
});

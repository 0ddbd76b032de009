// The candidature workflow on the real time-skipping test server, with real activities (database, SMTP):
// the whole procedure, the reminders and lateness of the avis d'origine and of the planification, the absent
// pupil and the vœu added at the interview (the compte rendu window: candidature-compte-rendu.test.ts).
// Historical campaigns are moved to 2027 (campagneEn): the server's clock starts today. Each test gets a
// fresh server (horlogeNeuve), so each starts today and may move the clock as it needs.
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import { confirmerFamilleUpdate, constaterEntretienUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAffelnetUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import type { temporal } from '@temporalio/proto';
import { enRetardKey, etapeKey, incidentKey, passproSearchAttributes } from '../../workflows/search-attributes';
import {
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefAccueil,
  chefOrigine,
  COLLEGE,
  compteRenduInput,
  ENTRETIEN,
  LYCEE,
  personnelAccueil,
  planificationInput,
  voeuMetallier,
  voeuxMetallerie,
} from '../support/fixtures';
import { recipients } from '../support/smtp';
import {
  avancerJusqua,
  type CandidatureHandle,
  contexteDeTests,
  entretienTenu,
  expectCreeA,
  idDe,
  inscrireAuDemarrage,
  rappelsDe,
  refus,
  startCandidature,
  traces,
  withWorker,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const troisVoeux = [...voeuxMetallerie, { codeFormation: '50025416', libelle: 'CAP métallier' }];

const college = `uai:${COLLEGE}`;
const lycee = `uai:${LYCEE}`;
const instantEntretien = parisInstant(ENTRETIEN.date, ENTRETIEN.heure);
const MINUTE = 60_000;

/** `instant` shifted by `minutes`. */
const decale = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * MINUTE);

/** The activity a local-activity marker records (its `data` detail, JSON, as the SDK's core writes it). */
function activiteLocale(marker: temporal.api.history.v1.IMarkerRecordedEventAttributes): string {
  const donnees = marker.details?.data?.payloads?.[0]?.data;
  expect(marker.markerName).toBe('core_local_activity');
  return (JSON.parse(Buffer.from(donnees ?? []).toString('utf8')) as { activity_type: string }).activity_type;
}

describe('candidature workflow', () => {
  const ctx = contexteDeTests();

  it('several vœux in one domain: one interview, one compte rendu, one avis each, bonus when confirmed in time', async () => {
    const input = candidatureInput(creteil2018, { voeux: troisVoeux });
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      let state = await agirPuisLire(handle, inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      expect(state.etape).toBe('a_planifier');
      expect(state.voeux.map((v) => v.rang)).toEqual([1, 2, 3]);

      await handle.executeUpdate(saisirAvisOrigineUpdate, {
        args: [{
          acteur: chefOrigine,
          avis: [
            { codeFormation: '24025401', avis: 'favorable', commentaire: 'Très motivée, stage de 3e en ferronnerie.' },
            { codeFormation: '50025415', avis: 'assez_favorable', commentaire: 'Projet à affiner.' },
            { codeFormation: '50025416', avis: 'reserve', commentaire: 'Peu investie sur ce CAP.' },
          ],
        }],
      });
      state = await agirPuisLire(handle, planifierEntretienUpdate, {
        args: [{ date: '2027-04-07', heure: '14:00', lieu: 'Lycée Gabriel Péri, salle B12', mode: 'presentiel', acteur: personnelAccueil }],
      });
      expect(state.etape).toBe('convoquee');

      await avancerJusqua(ctx, parisInstant('2027-04-07', '15:00'));
      state = await agirPuisLire(handle, constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      expect(state.etape).toBe('compte_rendu_attendu');
      expect(state.echeances.compteRendu).toBe(endOfParisDay('2027-04-10').toISOString());

      await avancerJusqua(ctx, parisInstant('2027-04-09', '07:00'));
      state = await agirPuisLire(handle, saisirCompteRenduUpdate, {
        args: [{
          acteur: chefAccueil,
          texte: 'Élève curieuse, a visité les ateliers. Conseil : stage d\'observation en métallerie.',
          avis: [
            { codeFormation: '24025401', avis: 'favorable' },
            { codeFormation: '50025415', avis: 'favorable' },
            { codeFormation: '50025416', avis: 'assez_favorable' },
          ],
        }],
      });
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.compteRendu?.enRetard).toBe(false);
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'favorable', 'peu_favorable']);

      await avancerJusqua(ctx, parisInstant('2027-05-10', '10:00'));
      await handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
      state = await agirPuisLire(handle, saisirAffelnetUpdate, { args: [{ voeux: ['24025401', '50025415'], acteur: chefOrigine }] });
      expect(state.etape).toBe('cloturee');
      expect(state.bonusAccorde).toBe(true);
      const points = creteil2018.bonus.type === 'avis_final' ? creteil2018.bonus.points : null;
      expect(state.voeux.map((v) => v.bonus)).toEqual([points!.tres_favorable, points!.favorable, 0]);
      expect((await handle.result()).etape).toBe('cloturee');
    });

    const id = idDe(input);
    const row = await ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { voeux: { orderBy: { rang: 'asc' } }, evenements: { orderBy: { id: 'asc' } }, rappels: true } });
    expect(row.etape).toBe('cloturee');
    expect(row.voeux.map((v) => [v.avisOrigine, v.avisAccueil, v.avisFinal])).toEqual([
      ['favorable', 'favorable', 'tres_favorable'],
      ['assez_favorable', 'favorable', 'favorable'],
      ['reserve', 'assez_favorable', 'peu_favorable'],
    ]);
    expect(row.evenements.map((e) => e.type)).toEqual([
      'recensement', 'inscription', 'avis_origine', 'entretien_planifie', 'entretien_tenu', 'compte_rendu',
      'fiche_recapitulative_prete', 'confirmation_famille', 'saisie_affelnet', 'bonus_decide',
    ]);
    expect(row.rappels).toEqual([]);

    const [convocation] = await ctx.smtp.waitFor((m) => m.subject?.includes('convocation') === true && m.text?.includes(encodeURIComponent(id)) === true);
    expect(recipients(convocation)).toEqual([`ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`, `ce.${LYCEE.toLowerCase()}@ac-creteil.fr`, 'pp.durand@ac-creteil.fr']);
    expect(convocation.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
    expect(convocation.attachments[0].content.toString()).toContain('METHOD:REQUEST');
    const [fiche] = await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true && m.subject?.includes('fiche') === true);
    expect(fiche.text).toContain('très favorable');
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  // ---- shared steps and reads ----

  const rappels = (id: string) => rappelsDe(ctx, id);
  const ligne = (id: string) => ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { voeux: { orderBy: { rang: 'asc' } } } });
  const enRetardAttribut = async (handle: CandidatureHandle) => (await handle.describe()).typedSearchAttributes.get(enRetardKey);

  // ---- 1. avis d'origine late ----

  it("avis d'origine missing: reminded at planning and the day before, late at the interview, still accepted after it and recorded late", async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      const planifiee = await agirPuisLire(handle, planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
      expect(planifiee.etape).toBe('convoquee');
      expect((await rappels(id)).map((r) => [r.type, r.destinataire, r.echeance?.toISOString()])).toEqual([
        ['avis_origine_manquant', college, instantEntretien.toISOString()],
      ]);

      // The day before, at the reminders' hour (08:00 Paris), not a minute earlier.
      await avancerJusqua(ctx, parisInstant('2027-04-06', '07:59'));
      expect(await rappels(id)).toHaveLength(1);
      await avancerJusqua(ctx, parisInstant('2027-04-06', '08:01'));
      const [, veille] = await rappels(id);
      expect([veille.type, veille.destinataire, veille.echeance?.toISOString()]).toEqual([
        'avis_origine_veille/2027-04-07', college, instantEntretien.toISOString(),
      ]);
      expectCreeA(veille.creeLe, parisInstant('2027-04-06', '08:00'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);

      // Late from the interview's time on: state, search attribute, query side.
      await avancerJusqua(ctx, decale(instantEntretien, -1));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(false);
      await avancerJusqua(ctx, decale(instantEntretien, 1));
      let state = await handle.query(stateQuery);
      expect(state.retards).toEqual(['avis_origine']);
      expect(state.historique.at(-1)?.type).toBe('avis_origine_en_retard');
      expect(await enRetardAttribut(handle)).toBe(true);
      expect(await ligne(id)).toMatchObject({ etape: 'convoquee', enRetard: true, retards: ['avis_origine'] });

      // One avis after the interview's time: recorded late; the other vœu still lacks one, the retard stays.
      state = await agirPuisLire(handle, saisirAvisOrigineUpdate, { args: [avisOrigineInput([input.voeux[0]], ['favorable'])] });
      expect(state.voeux[0].avisOrigine).toMatchObject({ avis: 'favorable', enRetard: true, par: chefOrigine });
      expect(state.voeux[1].avisOrigine).toBeNull();
      expect(state.retards).toEqual(['avis_origine']);

      // The other after the interview was held: still accepted until the compte rendu, recorded late.
      await avancerJusqua(ctx, parisInstant(ENTRETIEN.date, '15:00'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      state = await agirPuisLire(handle, saisirAvisOrigineUpdate, { args: [avisOrigineInput([input.voeux[1]], ['assez_favorable'])] });
      expect(state.etape).toBe('compte_rendu_attendu');
      expect(state.voeux[1].avisOrigine).toMatchObject({ avis: 'assez_favorable', enRetard: true });
      expect(state.retards).toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(false);

      state = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'favorable'])] });
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'favorable']);
    });

    const row = await ligne(id);
    expect(row.voeux.map((v) => [v.avisOrigine, v.avisOrigineEnRetard])).toEqual([['favorable', true], ['assez_favorable', true]]);
    expect(row.enRetard).toBe(false);
    expect(await traces(ctx, id)).toEqual({
      rappels: [`avis_origine_manquant → ${college}`, `avis_origine_veille/2027-04-07 → ${college}`],
      courriels: ['convocation/1', 'fiche_prete'],
      mails: ['convocation', 'fiche_prete'],
    });
  });

  // ---- 2. no interview planned as the deadline nears ----

  it('no interview planned: the lycée is reminded, then the SAIO and the lycée at the escalation (late); planning clears it', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const finEntretiens = endOfParisDay('2027-05-11').toISOString();
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      const inscrite = await agirPuisLire(handle, inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });

      // rappelPlanification: 10 days before finEntretiens (11 May), 08:00 Paris.
      await avancerJusqua(ctx, parisInstant('2027-05-01', '07:59'));
      expect(await rappels(id)).toEqual([]);
      await avancerJusqua(ctx, parisInstant('2027-05-01', '08:01'));
      const [rappel] = await rappels(id);
      expect([rappel.type, rappel.destinataire, rappel.echeance?.toISOString()]).toEqual(['planification', lycee, finEntretiens]);
      expectCreeA(rappel.creeLe, parisInstant('2027-05-01', '08:00'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(false);

      // escaladePlanification: 5 days before, to the SAIO and the lycée; the candidature is now late.
      await avancerJusqua(ctx, parisInstant('2027-05-06', '07:59'));
      expect(await rappels(id)).toHaveLength(1);
      await avancerJusqua(ctx, parisInstant('2027-05-06', '08:01'));
      const escalades = (await rappels(id)).slice(1);
      expect(escalades.map((r) => [r.type, r.destinataire, r.echeance?.toISOString()]).sort()).toEqual([
        ['escalade_planification', 'saio', finEntretiens],
        ['escalade_planification', lycee, finEntretiens],
      ]);
      for (const r of escalades) expectCreeA(r.creeLe, parisInstant('2027-05-06', '08:00'));
      const state = await handle.query(stateQuery);
      expect(state.etape).toBe('a_planifier');
      expect(state.retards).toEqual(['planification']);
      expect(state.historique.at(-1)?.type).toBe('escalade_planification');
      expect(await enRetardAttribut(handle)).toBe(true);
      // The SAIO sees where it is stuck and since when.
      expect(await ligne(id)).toMatchObject({
        etape: 'a_planifier',
        enRetard: true,
        retards: ['planification'],
        etapeDepuis: new Date(inscrite.etapeDepuis),
        echeance: new Date(finEntretiens),
      });

      const planifiee = await agirPuisLire(handle, planifierEntretienUpdate, { args: [planificationInput('2027-05-10', '10:00')] });
      expect(planifiee.etape).toBe('convoquee');
      expect(planifiee.retards).toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(false);
    });

    expect(await ligne(id)).toMatchObject({ etape: 'convoquee', enRetard: false, retards: [] });
    expect(await traces(ctx, id)).toEqual({
      rappels: ['escalade_planification → saio', `escalade_planification → ${lycee}`, `planification → ${lycee}`],
      courriels: ['convocation/1'],
      mails: ['convocation'],
    });
  });

  it('a reminder and an escalation due at the same moment are handled together: one write of the state with all their reminders', async () => {
    // A campaign whose planning reminder and escalation fall on the same day (the académie's own choice).
    const memeJour = { ...creteil2018, delais: { ...creteil2018.delais, rappelPlanificationJoursAvant: 5 } };
    const input = candidatureInput(memeJour);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await avancerJusqua(ctx, parisInstant('2027-05-06', '07:59'));
      const avant = (await handle.fetchHistory()).events?.length ?? 0;
      await avancerJusqua(ctx, parisInstant('2027-05-06', '08:01'));
      expect((await rappels(id)).map((r) => `${r.type} → ${r.destinataire}`).sort()).toEqual([
        'escalade_planification → saio',
        `escalade_planification → ${lycee}`,
        `planification → ${lycee}`,
      ]);
      expect(await ligne(id)).toMatchObject({ enRetard: true, retards: ['planification'] });

      const apres = (await handle.fetchHistory()).events?.slice(avant) ?? [];
      // One write, a local activity run within the workflow task that the deadline woke: no activity task.
      expect(apres.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toEqual([]);
      expect(apres.flatMap((e) => (e.markerRecordedEventAttributes ? [activiteLocale(e.markerRecordedEventAttributes)] : []))).toEqual(['saveCandidature']);
      expect(apres.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(1);
      // Only what changed is published: the lateness (step, deadline and identity are as they were).
      const publies = apres.flatMap((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}));
      expect(publies).toEqual([enRetardKey.name]);
      expect(await enRetardAttribut(handle)).toBe(true);
    });
  });

  it('an inscription delivered with the start publishes the search attributes once, as they stand after it', async () => {
    const input = candidatureInput(creteil2018);
    await withWorker(ctx, async (taskQueue) => {
      await inscrireAuDemarrage(ctx, taskQueue, input);
      const handle = ctx.env.client.workflow.getHandle(idDe(input));
      const { events } = await handle.fetchHistory();
      const publies = (events ?? []).flatMap((e) => {
        const champs = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        return champs.length > 0 ? [champs.sort()] : [];
      });
      // Every attribute but PassproIncident, published on an incident only.
      expect(publies).toEqual([passproSearchAttributes.filter((key) => key !== incidentKey).map((key) => key.name).sort()]);
      expect((await handle.describe()).typedSearchAttributes.get(etapeKey)).toBe('a_planifier');
    });
  });

  // ---- 3. pupil absent ----

  it('pupil absent: every avis final incomplet, the fiche récapitulative is ready at once, waiting for the family', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'assez_favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
      await avancerJusqua(ctx, parisInstant(ENTRETIEN.date, '14:30'));

      const state = await agirPuisLire(handle, constaterEntretienUpdate, { args: [{ present: false, acteur: personnelAccueil }] });
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.entretien?.statut).toBe('absent');
      expect(state.voeux.map((v) => [v.avisAccueil, v.avisFinal])).toEqual([[null, 'incomplet'], [null, 'incomplet']]);
      expect(state.ficheRecapitulativeLe).not.toBeNull();
      expect(state.prochaineEcheance).toBe(endOfParisDay('2027-05-23').toISOString());
      expect(state.historique.slice(-2).map((h) => h.type)).toEqual(['absence', 'fiche_recapitulative_prete']);

      expect(await refus(handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'favorable'])] }))).toBe(
        "action impossible à l'étape confirmation_attendue (attendu : compte_rendu_attendu)",
      );
    });

    const row = await ligne(id);
    expect(row).toMatchObject({ etape: 'confirmation_attendue', entretienStatut: 'absent', compteRendu: null });
    expect(row.voeux.map((v) => v.avisFinal)).toEqual(['incomplet', 'incomplet']);
    const [fiche] = await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true && m.subject?.includes('fiche') === true);
    expect(recipients(fiche)).toEqual([`ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`, 'pp.durand@ac-creteil.fr']);
    expect(fiche.text).toContain('avis final : incomplet');
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  // ---- 5. a vœu added at the interview ----

  it('a vœu added at the interview: new vœu ajouteEnEntretien, no avis d\'origine, so its avis final is incomplet', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await entretienTenu(ctx, handle, input, ['favorable', 'assez_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-04-08', '10:00'));
      const base = compteRenduInput(input.voeux, ['favorable', 'favorable']);

      expect(await refus(handle.executeUpdate(saisirCompteRenduUpdate, {
        args: [{ ...base, voeuxSupplementaires: [{ ...input.voeux[0], avis: 'favorable' }] }],
      }))).toBe(`le vœu ${input.voeux[0].codeFormation} existe déjà`);

      const state = await agirPuisLire(handle, saisirCompteRenduUpdate, {
        args: [{ ...base, voeuxSupplementaires: [{ ...voeuMetallier, avis: 'favorable' }] }],
      });
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.voeux).toHaveLength(3);
      expect(state.voeux[2]).toMatchObject({
        ...voeuMetallier,
        rang: 3,
        ajouteEnEntretien: true,
        avisOrigine: null,
        avisAccueil: { avis: 'favorable', par: chefAccueil, enRetard: false },
        avisFinal: 'incomplet',
      });
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'favorable', 'incomplet']);
      expect(state.historique.find((h) => h.type === 'compte_rendu')?.details).toMatchObject({ voeuxSupplementaires: [voeuMetallier.codeFormation] });

      // The fiche is out: the collège can no longer give an avis for it.
      expect(await refus(handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput([voeuMetallier], ['favorable'])] }))).toBe(
        "action impossible à l'étape confirmation_attendue (attendu : a_planifier ou convoquee ou compte_rendu_attendu)",
      );
    });

    const row = await ligne(id);
    expect(row.voeux.map((v) => [v.codeFormation, v.rang, v.ajouteEnEntretien, v.avisOrigine, v.avisAccueil, v.avisFinal])).toEqual([
      ['24025401', 1, false, 'favorable', 'favorable', 'tres_favorable'],
      ['50025415', 2, false, 'assez_favorable', 'favorable', 'favorable'],
      ['50025416', 3, true, null, 'favorable', 'incomplet'],
    ]);
    const [fiche] = await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true && m.subject?.includes('fiche') === true);
    expect(fiche.text).toContain('CAP métallier (50025416)');
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });
});

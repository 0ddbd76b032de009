// The candidature workflow's validators on the real time-skipping test server, with real activities: each
// refusal names its reason, reaches the caller as a WorkflowUpdateFailedError, and changes nothing (the state,
// its version, the query side, the mails and reminders are as before).
// Créteil 2018 moved to 2027 (campagneEn); each test gets a fresh server (horlogeNeuve).
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import type { Acteur } from '../../domain/candidature';
import { confirmerFamilleUpdate, constaterEntretienUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAffelnetUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import {
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefAccueil,
  chefOrigine,
  COLLEGE,
  compteRenduInput,
  LYCEE,
  personnelAccueil,
  personnelAutreLycee,
  personnelOrigine,
  planificationInput,
  voeuMetallier,
} from '../support/fixtures';
import {
  avancerJusqua,
  type CandidatureHandle,
  contexteDeTests,
  idDe,
  refus,
  startCandidature,
  traces,
  withWorker,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const chefAutreCollege: Acteur = { role: 'origine_chef', uai: '0932222K', nom: 'M. Autre Principal' };
const MINUTE = 60_000;

describe('candidature validators', () => {
  const ctx = contexteDeTests();

  /** Everything a refused update must leave as it was: the workflow state and the query side. */
  async function photo(handle: CandidatureHandle) {
    const id = handle.workflowId;
    return {
      state: await handle.query(stateQuery),
      candidature: await ctx.db.prisma.candidature.findUnique({ where: { id }, include: { voeux: true } }),
      evenements: await ctx.db.prisma.evenement.count({ where: { candidatureId: id } }),
      rappels: await ctx.db.prisma.rappel.count({ where: { candidatureId: id } }),
      courriels: await ctx.db.prisma.courriel.count({ where: { candidatureId: id } }),
    };
  }

  /** The update is refused with exactly `raison`, and nothing changed. */
  async function refusee(handle: CandidatureHandle, update: () => Promise<unknown>, raison: string): Promise<void> {
    const avant = await photo(handle);
    expect(await refus(update())).toBe(raison);
    const apres = await photo(handle);
    expect(apres.state.version).toBe(avant.state.version);
    expect(apres).toEqual(avant);
  }

  it('refuses the wrong step, role, school, vœu, avis, day and date, with the reason, changing nothing; accepts a holiday with a dérogation', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const voeux = input.voeux;
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      const avisOrigine = (acteur: Acteur, avis = ['favorable', 'assez_favorable']) => () =>
        handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(voeux, avis, acteur)] });
      const planifier = (date: string, extra: Parameters<typeof planificationInput>[2] = {}) => () =>
        handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(date, '10:00', extra)] });
      const compteRendu = () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(voeux, ['favorable', 'favorable'])] });

      // In recensement: only the collège registers.
      await refusee(handle, () => handle.executeUpdate(inscrireUpdate, { args: [{ voeux, acteur: personnelAccueil }] }), 'action réservée à : origine_personnel, origine_chef');
      await refusee(handle, avisOrigine(chefOrigine), "action impossible à l'étape recensement (attendu : a_planifier ou convoquee ou compte_rendu_attendu)");
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux, acteur: personnelOrigine }] });

      // Avis d'origine: the origin head of this collège, known vœux, the campaign's scale, a comment.
      await refusee(handle, avisOrigine(personnelOrigine), 'action réservée à : origine_chef');
      await refusee(handle, avisOrigine(chefAutreCollege), `action réservée à l'établissement ${COLLEGE}`);
      await refusee(
        handle,
        () => handle.executeUpdate(saisirAvisOrigineUpdate, { args: [{ acteur: chefOrigine, avis: [{ codeFormation: '99999999', avis: 'favorable', commentaire: 'Motivé.' }] }] }),
        'vœu inconnu : 99999999',
      );
      await refusee(handle, avisOrigine(chefOrigine, ['favorable', 'tres_favorable']), 'avis « tres_favorable » non admis par la campagne (attendu : favorable, assez_favorable, reserve)');
      await refusee(
        handle,
        () => handle.executeUpdate(saisirAvisOrigineUpdate, { args: [{ acteur: chefOrigine, avis: [{ codeFormation: voeux[0].codeFormation, avis: 'favorable', commentaire: '  ' }] }] }),
        `le commentaire du vœu ${voeux[0].codeFormation} est obligatoire`,
      );
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(voeux, ['favorable', 'assez_favorable'])] });

      // Steps not reached yet.
      await refusee(handle, compteRendu, "action impossible à l'étape a_planifier (attendu : compte_rendu_attendu)");
      await refusee(handle, () => handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] }), "action impossible à l'étape a_planifier (attendu : convoquee)");
      await refusee(handle, () => handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] }), "action impossible à l'étape a_planifier (attendu : confirmation_attendue)");
      await refusee(
        handle,
        () => handle.executeUpdate(saisirAffelnetUpdate, { args: [{ voeux: [voeux[0].codeFormation], acteur: chefOrigine }] }),
        "action impossible à l'étape a_planifier (attendu : confirmation_attendue)",
      );

      // Planning: the receiving lycée (or the SAIO), on a working day, in the future, until finEntretiens.
      await refusee(handle, planifier('2027-04-07', { acteur: personnelAutreLycee }), `action réservée à l'établissement ${LYCEE}`);
      await refusee(handle, planifier('2027-04-07', { acteur: chefOrigine }), 'action réservée à : accueil_personnel, accueil_chef, saio');
      await refusee(handle, planifier('2027-05-01'), "Le samedi 1er mai 2027 est un jour férié (Fête du Travail) : pas d'entretien ce jour-là sans dérogation.");
      await refusee(handle, planifier('2027-04-11'), "Le dimanche 11 avril 2027 tombe un week-end : pas d'entretien ce jour-là sans dérogation.");
      await refusee(handle, planifier('2027-05-06'), "Le jeudi 6 mai 2027 est un jour férié (Ascension) : pas d'entretien ce jour-là sans dérogation.");
      await refusee(handle, planifier('2027-05-12'), "les entretiens se tiennent jusqu'au 2027-05-11 (sauf dérogation)");
      await refusee(handle, planifier('2026-11-20'), "la date de l'entretien est passée");
      await refusee(handle, planifier('2027-02-30'), 'date attendue au format AAAA-MM-JJ');
      await refusee(
        handle,
        () => handle.executeUpdate(planifierEntretienUpdate, { args: [{ ...planificationInput('2027-04-07', '10:00'), heure: '24:00' }] }),
        'heure attendue au format HH:MM',
      );

      // Ascension with an explicit dérogation: accepted, and recorded as such.
      const state = await agirPuisLire(handle, planifierEntretienUpdate, { args: [{ ...planificationInput('2027-05-06', '10:00', { derogation: true, acteur: chefAccueil }), motifDerogation: 'Journée des métiers' }] });
      expect(state.etape).toBe('convoquee');
      expect(state.entretien).toMatchObject({ date: '2027-05-06', heure: '10:00', derogation: true, sequence: 1, statut: 'planifie' });
      expect(state.historique.at(-1)).toMatchObject({ type: 'entretien_planifie', details: { derogation: true } });

      // Before the interview: no compte rendu, no constat before its time.
      await refusee(handle, compteRendu, "action impossible à l'étape convoquee (attendu : compte_rendu_attendu)");
      await refusee(
        handle,
        () => handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] }),
        "l'entretien est prévu le 2027-05-06 à 10:00 : il ne peut être constaté avant",
      );
      await avancerJusqua(ctx, new Date(parisInstant('2027-05-06', '10:00').getTime() - MINUTE));
      await refusee(
        handle,
        () => handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] }),
        "l'entretien est prévu le 2027-05-06 à 10:00 : il ne peut être constaté avant",
      );

      // After it: the compte rendu is the accueil head's, for every vœu, on the campaign's scale.
      await avancerJusqua(ctx, parisInstant('2027-05-06', '11:00'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      await refusee(
        handle,
        () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(voeux, ['favorable', 'favorable'], personnelAccueil)] }),
        'action réservée à : accueil_chef',
      );
      await refusee(
        handle,
        () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput([voeux[0]], ['favorable'])] }),
        `avis d'accueil manquant pour : ${voeux[1].codeFormation}`,
      );
      await refusee(
        handle,
        () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput([...voeux, voeuMetallier], ['favorable', 'favorable', 'favorable'])] }),
        `vœu inconnu : ${voeuMetallier.codeFormation}`,
      );
      await refusee(
        handle,
        () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [compteRenduInput(voeux, ['favorable', 'excellent'])] }),
        'avis « excellent » non admis par la campagne (attendu : favorable, assez_favorable, reserve, ne_se_prononce_pas)',
      );
      await refusee(
        handle,
        () => handle.executeUpdate(saisirCompteRenduUpdate, { args: [{ ...compteRenduInput(voeux, ['favorable', 'favorable']), texte: ' ' }] }),
        'le compte rendu est obligatoire',
      );
      const fiche = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(voeux, ['favorable', 'ne_se_prononce_pas'], chefAccueil)] });
      // « ne se prononce pas »: the avis final is the avis d'origine.
      expect(fiche.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'assez_favorable']);
      expect(fiche.historique.map((h) => h.type)).toEqual([
        'recensement', 'inscription', 'avis_origine', 'entretien_planifie', 'entretien_tenu', 'compte_rendu', 'fiche_recapitulative_prete',
      ]);
    });

    const row = await ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { evenements: { orderBy: { id: 'asc' } } } });
    expect(row.evenements.map((e) => e.type)).toEqual([
      'recensement', 'inscription', 'avis_origine', 'entretien_planifie', 'entretien_tenu', 'compte_rendu', 'fiche_recapitulative_prete',
    ]);
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  it('vœux added to a registration until the inscription deadline inclusive (23:59 Paris), refused after it with the reason', async () => {
    const input = candidatureInput(creteil2018);
    const echeance = endOfParisDay('2027-04-13');
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      let state = await agirPuisLire(handle, inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      expect(state.echeances.inscription).toBe(echeance.toISOString());

      // The same vœux again: nothing new, nothing recorded.
      const version = state.version;
      state = await agirPuisLire(handle, inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      expect(state.version).toBe(version);

      await avancerJusqua(ctx, parisInstant('2027-04-13', '23:58'));
      state = await agirPuisLire(handle, inscrireUpdate, { args: [{ voeux: [voeuMetallier], acteur: chefOrigine }] });
      expect(state.voeux.map((v) => [v.codeFormation, v.rang, v.ajouteEnEntretien])).toEqual([
        ['24025401', 1, false], ['50025415', 2, false], ['50025416', 3, false],
      ]);
      expect(state.historique.at(-1)).toMatchObject({ type: 'voeux_ajoutes', details: { voeux: ['50025416'] } });

      await avancerJusqua(ctx, new Date(echeance.getTime() + MINUTE));
      await refusee(
        handle,
        () => handle.executeUpdate(inscrireUpdate, { args: [{ voeux: [{ codeFormation: '50025417', libelle: "CAP ferronnier d'art" }], acteur: chefOrigine }] }),
        'les inscriptions sont closes depuis le 2027-04-13',
      );
      expect((await handle.query(stateQuery)).etape).toBe('a_planifier');
    });
  });
});

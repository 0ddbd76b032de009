// The compte rendu window on the real time-skipping test server, with real activities (database, SMTP):
// "within 3 days after the interview"; reminder to the lycée at day 2, 08:00 Paris; at the end of the window,
// escalation to the SAIO and the lycée; a late entry is recorded late, not refused; summer time moves nothing.
// Créteil 2018 moved to 2027 (campagneEn); each test gets a fresh server (horlogeNeuve).
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import { constaterEntretienUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import { enRetardKey } from '../../workflows/search-attributes';
import { avisOrigineInput, campagneEn, candidatureInput, chefOrigine, compteRenduInput, LYCEE, personnelAccueil, planificationInput } from '../support/fixtures';
import {
  avancerJusqua,
  type CandidatureHandle,
  contexteDeTests,
  entretienTenu,
  expectCreeA,
  idDe,
  rappelsDe,
  startCandidature,
  traces,
  withWorker,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const lycee = `uai:${LYCEE}`;
const decale = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * 60_000);

describe('compte rendu window', () => {
  const ctx = contexteDeTests();

  const rappels = (id: string) => rappelsDe(ctx, id);
  const ligne = (id: string) => ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id } });
  const enRetardAttribut = async (handle: CandidatureHandle) => (await handle.describe()).typedSearchAttributes.get(enRetardKey);

  it('compte rendu on day 2 before the 08:00 reminder: no reminder, then nothing more falls due', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await entretienTenu(ctx, handle, input, ['favorable', 'assez_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-04-09', '07:30'));
      const state = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'reserve'])] });
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.compteRendu?.enRetard).toBe(false);
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'peu_favorable']);
      // The reminder's and the escalation's times pass: they belonged to the step that is over.
      await avancerJusqua(ctx, parisInstant('2027-04-11', '12:00'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
    });
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  it('compte rendu on day 3, after the reminder: one reminder to the lycée, no escalation, not late', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await entretienTenu(ctx, handle, input, ['favorable', 'assez_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-04-09', '07:59'));
      expect(await rappels(id)).toEqual([]);
      await avancerJusqua(ctx, parisInstant('2027-04-10', '10:00'));
      const [rappel] = await rappels(id);
      expect([rappel.type, rappel.destinataire, rappel.echeance?.toISOString()]).toEqual(['compte_rendu', lycee, endOfParisDay('2027-04-10').toISOString()]);
      expectCreeA(rappel.creeLe, parisInstant('2027-04-09', '08:00'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(false);

      const state = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'assez_favorable'])] });
      expect(state.compteRendu?.enRetard).toBe(false);
      expect(state.voeux.map((v) => v.avisAccueil?.enRetard)).toEqual([false, false]);
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'assez_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-04-11', '12:00'));
    });
    expect(await ligne(id)).toMatchObject({ compteRenduEnRetard: false, enRetard: false });
    expect(await traces(ctx, id)).toEqual({
      rappels: [`compte_rendu → ${lycee}`],
      courriels: ['convocation/1', 'fiche_prete'],
      mails: ['convocation', 'fiche_prete'],
    });
  });

  it('compte rendu after the window (day 4): escalation to the SAIO and the lycée, late while waiting, the late entry accepted and recorded late', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const finFenetre = endOfParisDay('2027-04-10');
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await entretienTenu(ctx, handle, input, ['favorable', 'assez_favorable']);
      await avancerJusqua(ctx, decale(finFenetre, -1));
      expect((await rappels(id)).map((r) => r.type)).toEqual(['compte_rendu']);
      expect((await handle.query(stateQuery)).retards).toEqual([]);

      await avancerJusqua(ctx, parisInstant('2027-04-11', '10:00'));
      const escalades = (await rappels(id)).slice(1);
      expect(escalades.map((r) => [r.type, r.destinataire, r.echeance?.toISOString()]).sort()).toEqual([
        ['escalade_compte_rendu', 'saio', finFenetre.toISOString()],
        ['escalade_compte_rendu', lycee, finFenetre.toISOString()],
      ]);
      for (const r of escalades) expectCreeA(r.creeLe, finFenetre);
      let state = await handle.query(stateQuery);
      expect(state.etape).toBe('compte_rendu_attendu');
      expect(state.retards).toEqual(['compte_rendu']);
      expect(state.historique.at(-1)?.type).toBe('escalade_compte_rendu');
      expect(await enRetardAttribut(handle)).toBe(true);
      expect(await ligne(id)).toMatchObject({ etape: 'compte_rendu_attendu', enRetard: true, retards: ['compte_rendu'] });

      // "The window keeps running for late entries: late is recorded, not refused."
      state = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'favorable'])] });
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.compteRendu?.enRetard).toBe(true);
      expect(state.voeux.map((v) => v.avisAccueil?.enRetard)).toEqual([true, true]);
      expect(state.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'favorable']);
      expect(state.retards).toEqual([]);
      expect(state.historique.find((h) => h.type === 'compte_rendu')?.details).toMatchObject({ enRetard: true });
      expect(await enRetardAttribut(handle)).toBe(false);
    });
    expect(await ligne(id)).toMatchObject({ etape: 'confirmation_attendue', compteRenduEnRetard: true, enRetard: false, retards: [] });
    expect(await traces(ctx, id)).toEqual({
      rappels: [`compte_rendu → ${lycee}`, 'escalade_compte_rendu → saio', `escalade_compte_rendu → ${lycee}`],
      courriels: ['convocation/1', 'fiche_prete'],
      mails: ['convocation', 'fiche_prete'],
    });
  });

  it('the compte rendu window across the change to summer time: reminder at 08:00 Paris (06:00 UTC), escalation at the end of the Paris day', async () => {
    // Friday 26 March 2027, 14:00 CET (13:00 UTC); France moves to summer time on Sunday 28 March at 01:00 UTC.
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      const planifiee = await agirPuisLire(handle, planifierEntretienUpdate, { args: [planificationInput('2027-03-26', '14:00')] });
      expect(planifiee.prochaineEcheance).toBe('2027-03-26T13:00:00.000Z');
      await avancerJusqua(ctx, new Date('2027-03-26T14:00:00Z'));
      const tenu = await agirPuisLire(handle, constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      expect(tenu.echeances.compteRendu).toBe('2027-03-29T21:59:59.999Z');

      await avancerJusqua(ctx, new Date('2027-03-28T05:59:00Z'));
      expect(await rappels(id)).toEqual([]);
      await avancerJusqua(ctx, new Date('2027-03-28T06:01:00Z'));
      const [rappel] = await rappels(id);
      expect(rappel.type).toBe('compte_rendu');
      expectCreeA(rappel.creeLe, new Date('2027-03-28T06:00:00Z'));

      await avancerJusqua(ctx, new Date('2027-03-29T21:58:00Z'));
      expect((await handle.query(stateQuery)).retards).toEqual([]);
      await avancerJusqua(ctx, new Date('2027-03-29T22:01:00Z'));
      expect((await handle.query(stateQuery)).retards).toEqual(['compte_rendu']);
      const escalades = (await rappels(id)).filter((r) => r.type === 'escalade_compte_rendu');
      expect(escalades).toHaveLength(2);
      for (const r of escalades) expectCreeA(r.creeLe, new Date('2027-03-29T21:59:59.999Z'));
    });
  });

  it('interview never recorded as held: the lycée is still reminded at day 2 and escalated at the end of the 3-day window', async () => {
    // DOMAIN.md: "Compte rendu / avis d'accueil not entered at day 2 after the interview → remind the lycée; at
    // the end of the 3-day window → escalate (SAIO + lycée head)." The window is the interview's, recorded or not.
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-04-07', '14:00')] });

      await avancerJusqua(ctx, parisInstant('2027-04-09', '08:01'));
      const auJour2 = await rappels(id);
      expect(auJour2.map((r) => r.destinataire)).toContain(lycee);

      await avancerJusqua(ctx, decale(endOfParisDay('2027-04-10'), 1));
      const apresFenetre = await rappels(id);
      expect(apresFenetre.map((r) => r.destinataire)).toEqual(expect.arrayContaining([lycee, 'saio']));
      expect((await handle.query(stateQuery)).retards).not.toEqual([]);
      expect(await enRetardAttribut(handle)).toBe(true);
      expect((await ligne(id)).enRetard).toBe(true);
    });
  });
});

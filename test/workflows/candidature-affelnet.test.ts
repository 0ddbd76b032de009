// AFFELNET on the real time-skipping test server, with real activities (database, SMTP): the reminder before
// the deadline, the bonus decided when the family's confirmation and the vœu entry are both in, by each
// campaign's rule (Créteil 2018: points per avis final; Créteil 2021: none; Paris 2023: +2500 when the
// lycée's avis is favorable), and no bonus when the deadline passes first.
// Historical campaigns are moved to 2027 (campagneEn); each test gets a fresh server (horlogeNeuve).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Campagne } from '../../domain/campaign';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import type { CandidatureInput, CandidatureState } from '../../domain/candidature';
import { confirmerFamilleUpdate, constaterEntretienUpdate, stateQuery, inscrireUpdate, planifierEntretienUpdate, saisirAffelnetUpdate, saisirAvisOrigineUpdate, saisirCompteRenduUpdate } from '../../workflows/definitions';
import {
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefOrigine,
  COLLEGE,
  compteRenduInput,
  ENTRETIEN,
  personnelAccueil,
  personnelOrigine,
  planificationInput,
  voeuMetallier,
  voeuxMetallerie,
} from '../support/fixtures';
import {
  avancerJusqua,
  type CandidatureHandle,
  contexteDeTests,
  entretienTenu,
  idDe,
  rappelsDe,
  refus,
  startCandidature,
  traces,
  withWorker,
  agirPuisLire,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const creteil2021 = campagneEn('creteil-2021', 2027);
const paris2023 = campagneEn('paris-2023', 2027);
const college = `uai:${COLLEGE}`;
const decale = (instant: Date, minutes: number) => new Date(instant.getTime() + minutes * 60_000);

function pointsAvisFinal(campagne: Campagne): Record<string, number> {
  if (campagne.bonus.type !== 'avis_final') throw new Error(`${campagne.id} : bonus par avis final attendu`);
  return campagne.bonus.points;
}

describe('AFFELNET and the bonus', () => {
  const ctx = contexteDeTests();

  const ligne = (id: string) => ctx.db.prisma.candidature.findUniqueOrThrow({ where: { id }, include: { voeux: { orderBy: { rang: 'asc' } } } });
  const rappels = (id: string) => rappelsDe(ctx, id);

  /** Interview held on ENTRETIEN, compte rendu entered the next morning: the fiche is out. */
  async function jusquALaFiche(handle: CandidatureHandle, input: CandidatureInput, origine: string[], accueil: string[]): Promise<CandidatureState> {
    await entretienTenu(ctx, handle, input, origine);
    await avancerJusqua(ctx, parisInstant('2027-04-08', '10:00'));
    const state = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, accueil)] });
    expect(state.etape).toBe('confirmation_attendue');
    return state;
  }

  it('AFFELNET, Créteil 2018: reminder 3 days before the deadline; confirmed and entered in time, points per avis final for the vœux entered', async () => {
    const input = candidatureInput(creteil2018, { voeux: [...voeuxMetallerie, voeuMetallier] });
    const id = idDe(input);
    const points = pointsAvisFinal(creteil2018);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      const fiche = await jusquALaFiche(handle, input, ['favorable', 'assez_favorable', 'favorable'], ['favorable', 'assez_favorable', 'reserve']);
      expect(fiche.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'assez_favorable', 'assez_favorable']);
      expect(fiche.prochaineEcheance).toBe(endOfParisDay('2027-05-23').toISOString());

      await avancerJusqua(ctx, parisInstant('2027-05-20', '07:59'));
      expect(await rappels(id)).toEqual([]);
      await avancerJusqua(ctx, parisInstant('2027-05-20', '08:01'));
      const [rappel] = await rappels(id);
      expect([rappel.type, rappel.destinataire, rappel.echeance?.toISOString()]).toEqual(['affelnet', college, endOfParisDay('2027-05-23').toISOString()]);

      // The family's confirmation first, the vœu entry second: the bonus is decided when both are in.
      await avancerJusqua(ctx, parisInstant('2027-05-21', '10:00'));
      let state = await agirPuisLire(handle, confirmerFamilleUpdate, { args: [{ acteur: personnelOrigine }] });
      expect(state.bonusAccorde).toBeNull();
      expect(state.etape).toBe('confirmation_attendue');
      state = await agirPuisLire(handle, saisirAffelnetUpdate, { args: [{ voeux: ['24025401', '50025415'], acteur: chefOrigine }] });
      expect(state.etape).toBe('cloturee');
      expect(state.bonusAccorde).toBe(true);
      // The third vœu, assez favorable too, was not entered in AFFELNET: no points.
      expect(state.voeux.map((v) => v.bonus)).toEqual([points.tres_favorable, points.assez_favorable, 0]);
      expect(state.voeux.map((v) => v.bonus)).toEqual([3000, 1000, 0]);
      expect(state.historique.at(-1)?.type).toBe('bonus_decide');
      expect((await handle.result()).etape).toBe('cloturee');
    });
    const row = await ligne(id);
    expect(row).toMatchObject({ etape: 'cloturee', bonusAccorde: true });
    expect(row.voeux.map((v) => v.bonus)).toEqual([3000, 1000, 0]);
    expect(await traces(ctx, id)).toEqual({ rappels: [`affelnet → ${college}`], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  it('AFFELNET, Créteil 2021: confirmed in time, the bonus is granted and worth 0 everywhere (« ne bonifie pas »)', async () => {
    const input = candidatureInput(creteil2021);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      const fiche = await jusquALaFiche(handle, input, ['favorable', 'assez_favorable'], ['favorable', 'assez_favorable']);
      expect(fiche.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'assez_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-05-12', '10:00'));
      await handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
      const state = await agirPuisLire(handle, saisirAffelnetUpdate, { args: [{ voeux: ['24025401', '50025415'], acteur: chefOrigine }] });
      expect(state.etape).toBe('cloturee');
      expect(state.bonusAccorde).toBe(true);
      expect(state.voeux.map((v) => v.bonus)).toEqual([0, 0]);
    });
    expect((await ligne(id)).voeux.map((v) => v.bonus)).toEqual([0, 0]);
    expect(await traces(ctx, id)).toEqual({ rappels: [], courriels: ['convocation/1', 'fiche_prete'], mails: ['convocation', 'fiche_prete'] });
  });

  it('AFFELNET, Paris 2023: the lycée says favorable or réservé only; +2500 for a vœu whose avis d\'accueil is favorable', async () => {
    const input = candidatureInput(paris2023, { voeux: [...voeuxMetallerie, voeuMetallier] });
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'reserve', 'favorable'])] });
      await handle.executeUpdate(planifierEntretienUpdate, { args: [planificationInput(ENTRETIEN.date, ENTRETIEN.heure)] });
      await avancerJusqua(ctx, parisInstant(ENTRETIEN.date, '15:00'));
      await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });

      const avant = await handle.query(stateQuery);
      expect(await refus(handle.executeUpdate(saisirCompteRenduUpdate, {
        args: [compteRenduInput(input.voeux, ['favorable', 'assez_favorable', 'reserve'])],
      }))).toBe('avis « assez_favorable » non admis par la campagne (attendu : favorable, reserve)');
      expect(await handle.query(stateQuery)).toEqual(avant);

      const fiche = await agirPuisLire(handle, saisirCompteRenduUpdate, { args: [compteRenduInput(input.voeux, ['favorable', 'favorable', 'reserve'])] });
      expect(fiche.voeux.map((v) => v.avisFinal)).toEqual(['tres_favorable', 'assez_favorable', 'peu_favorable']);
      await avancerJusqua(ctx, parisInstant('2027-05-12', '10:00'));
      await handle.executeUpdate(confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
      const state = await agirPuisLire(handle, saisirAffelnetUpdate, { args: [{ voeux: input.voeux.map((v) => v.codeFormation), acteur: chefOrigine }] });
      expect(state.bonusAccorde).toBe(true);
      expect(state.voeux.map((v) => v.bonus)).toEqual([2500, 2500, 0]);
    });
    expect((await ligne(id)).voeux.map((v) => v.bonus)).toEqual([2500, 2500, 0]);
  });

  it('AFFELNET too late: reminded, confirmed by the family but never entered: at the deadline no bonus, the collège told, closed', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    const echeance = endOfParisDay('2027-05-23');
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      await jusquALaFiche(handle, input, ['favorable', 'favorable'], ['favorable', 'favorable']);
      await avancerJusqua(ctx, parisInstant('2027-05-20', '08:01'));
      expect((await rappels(id)).map((r) => r.type)).toEqual(['affelnet']);
      await avancerJusqua(ctx, parisInstant('2027-05-21', '10:00'));
      let state = await agirPuisLire(handle, confirmerFamilleUpdate, { args: [{ acteur: chefOrigine }] });
      expect(state.bonusAccorde).toBeNull();

      await avancerJusqua(ctx, decale(echeance, -1));
      state = await handle.query(stateQuery);
      expect(state.etape).toBe('confirmation_attendue');
      expect(state.bonusAccorde).toBeNull();

      await avancerJusqua(ctx, decale(echeance, 1));
      state = await handle.query(stateQuery);
      expect(state.etape).toBe('cloturee');
      expect(state.bonusAccorde).toBe(false);
      expect(state.voeux.map((v) => v.bonus)).toEqual([0, 0]);
      expect(state.historique.at(-1)).toMatchObject({ type: 'aucun_bonus', details: { raison: 'échéance AFFELNET passée sans confirmation et saisie' } });
      const echu = (await rappels(id)).find((r) => r.type === 'affelnet_echu');
      expect([echu?.destinataire, echu?.echeance?.toISOString()]).toEqual([college, echeance.toISOString()]);
      expect(echu!.creeLe.getTime()).toBeGreaterThanOrEqual(echeance.getTime());
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      await expect(handle.executeUpdate(saisirAffelnetUpdate, { args: [{ voeux: ['24025401'], acteur: chefOrigine }] })).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
    });
    const row = await ligne(id);
    expect(row).toMatchObject({ etape: 'cloturee', bonusAccorde: false, saisieAffelnetLe: null });
    expect(row.voeux.map((v) => v.bonus)).toEqual([0, 0]);
    expect(await traces(ctx, id)).toEqual({
      rappels: [`affelnet → ${college}`, `affelnet_echu → ${college}`],
      courriels: ['convocation/1', 'fiche_prete'],
      mails: ['convocation', 'fiche_prete'],
    });
  });
});

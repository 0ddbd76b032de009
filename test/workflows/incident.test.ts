// A value the database cannot store, sent straight to the workflow (past the API's checks): the write is
// refused for good, not retried forever. The saisie is undone and refused, the incident is recorded and the
// operators told, and the candidature takes the next valid action; a first state that cannot be written stops
// the run, and a corrected inscription starts it again.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refus } from '../../domain/procedure';
import { saisirAvisOrigineUpdate, stateQuery } from '../../workflows/definitions';
import { incidentKey } from '../../workflows/search-attributes';
import { avisOrigineInput, campagneEn, candidatureInput, eleve } from '../support/fixtures';
import { contexteDeTests, idDe, inscrireAuDemarrage, jusqua, withWorker } from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const ctx = contexteDeTests();
const OPERATEURS = 'saio@ac-creteil.fr';

/** The refusal's type and message, from a failed update. */
async function refusDe(promesse: Promise<unknown>): Promise<{ type?: string; message?: string }> {
  const error: unknown = await promesse.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return { type: (cause as ApplicationFailure).type ?? undefined, message: cause?.message };
}

describe('a write the database refuses for good', () => {
  it('undoes and refuses the saisie, records the incident, and takes the next valid action', async () => {
    const input = candidatureInput(creteil2018);
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      await inscrireAuDemarrage(ctx, taskQueue, input);
      const handle = ctx.env.client.workflow.getHandle(id);
      const avis = avisOrigineInput(input.voeux, ['favorable', 'favorable']);
      const corrompu = { ...avis, avis: [{ ...avis.avis[0], commentaire: 'Motivée\u0000' }, avis.avis[1]] };

      const refuse = await refusDe(handle.executeUpdate(saisirAvisOrigineUpdate, { args: [corrompu] }));
      expect(refuse).toEqual({ type: refus.saisie, message: 'la saisie contient un caractère que Passpro ne peut pas enregistrer : corrigez-la' });
      const apresRefus = await handle.query(stateQuery);
      expect(apresRefus.voeux.map((v) => v.avisOrigine)).toEqual([null, null]);
      expect(apresRefus.historique.map((h) => h.type)).toEqual(['recensement', 'inscription']);

      const [incident] = await ctx.db.prisma.incident.findMany({ where: { candidatureId: id } });
      expect(incident).toMatchObject({ action: 'action', code: '22P05', annulee: true, campagneId: creteil2018.id });
      const [mail] = await ctx.smtp.waitFor((m) => m.subject?.includes('incident') === true && m.text?.includes(encodeURIComponent(id)) === true);
      expect(mail.to).toMatchObject({ value: [{ address: OPERATEURS }] });
      expect(mail.text).not.toContain(input.eleve.nom);
      await jusqua(async () => (await handle.describe()).typedSearchAttributes.get(incidentKey) === true, 'PassproIncident');

      // The next valid action is taken and written.
      await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avis] });
      const ligne = await ctx.db.prisma.voeu.findMany({ where: { candidatureId: id }, orderBy: { rang: 'asc' } });
      expect(ligne.map((v) => v.avisOrigine)).toEqual(['favorable', 'favorable']);
    });
  });

  it('stops a run whose first state cannot be written; a corrected inscription starts it again', async () => {
    const sain = eleve();
    const input = candidatureInput(creteil2018, { eleve: { ...sain, nom: 'Mar\uD800tin' } });
    const id = idDe(input);
    await withWorker(ctx, async (taskQueue) => {
      const refuse = await refusDe(inscrireAuDemarrage(ctx, taskQueue, input));
      expect(refuse.type).toBe(refus.saisie);
      // Polled rather than awaited: waiting for a result lets the time-skipping server skip to the next timer.
      await jusqua(async () => (await ctx.env.client.workflow.getHandle(id).describe()).status.name === 'FAILED', 'run failed');
      const incidents = await ctx.db.prisma.incident.findMany({ where: { candidatureId: id }, orderBy: { id: 'asc' } });
      expect(incidents.map((i) => [i.action, i.annulee])).toEqual([
        ['action', true],
        ['demarrage', false],
      ]);
      expect(await ctx.db.prisma.candidature.count({ where: { id } })).toBe(0);

      const state = await inscrireAuDemarrage(ctx, taskQueue, { ...input, eleve: sain });
      expect(state.etape).toBe('a_planifier');
      expect(await ctx.db.prisma.candidature.count({ where: { id } })).toBe(1);
    });
  });
});

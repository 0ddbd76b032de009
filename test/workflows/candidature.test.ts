// The candidature workflow on the real time-skipping test server, with real activities (database, SMTP).
// Historical campaigns are moved to 2027 (campagneEn): the server's clock starts today.
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import {
  confirmerFamilleUpdate,
  constaterEntretienUpdate,
  etatQuery,
  inscrireUpdate,
  planifierEntretienUpdate,
  saisirAffelnetUpdate,
  saisirAvisOrigineUpdate,
  saisirCompteRenduUpdate,
} from '../../workflows/definitions';
import { campagneEn, candidatureInput, chefAccueil, chefOrigine, COLLEGE, personnelAccueil, voeuxMetallerie } from '../support/fixtures';
import { recipients } from '../support/smtp';
import {
  avancerJusqua,
  setUpWorkflowTests,
  startCandidature,
  tearDownWorkflowTests,
  withWorker,
  type WorkflowTestContext,
} from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const troisVoeux = [...voeuxMetallerie, { codeFormation: '50025416', libelle: 'CAP métallier' }];

describe('candidature workflow', () => {
  let ctx: WorkflowTestContext;
  beforeAll(async () => {
    ctx = await setUpWorkflowTests();
  }, 120_000);
  afterAll(() => tearDownWorkflowTests(ctx));

  it('several vœux in one domain: one interview, one compte rendu, one avis each, bonus when confirmed in time', async () => {
    const input = candidatureInput(creteil2018, { voeux: troisVoeux });
    await withWorker(ctx, async (taskQueue) => {
      const handle = await startCandidature(ctx, taskQueue, input);
      let state = await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
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
      state = await handle.executeUpdate(planifierEntretienUpdate, {
        args: [{ date: '2027-04-07', heure: '14:00', lieu: 'Lycée Gabriel Péri, salle B12', mode: 'presentiel', acteur: personnelAccueil }],
      });
      expect(state.etape).toBe('convoquee');

      await avancerJusqua(ctx, parisInstant('2027-04-07', '15:00'));
      state = await handle.executeUpdate(constaterEntretienUpdate, { args: [{ present: true, acteur: personnelAccueil }] });
      expect(state.etape).toBe('compte_rendu_attendu');
      expect(state.echeances.compteRendu).toBe(endOfParisDay('2027-04-10').toISOString());

      await avancerJusqua(ctx, parisInstant('2027-04-09', '07:00'));
      state = await handle.executeUpdate(saisirCompteRenduUpdate, {
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
      state = await handle.executeUpdate(saisirAffelnetUpdate, { args: [{ voeux: ['24025401', '50025415'], acteur: chefOrigine }] });
      expect(state.etape).toBe('cloturee');
      expect(state.bonusAccorde).toBe(true);
      const points = creteil2018.bonus.type === 'avis_final' ? creteil2018.bonus.points : null;
      expect(state.voeux.map((v) => v.bonus)).toEqual([points!.tres_favorable, points!.favorable, 0]);
      expect((await handle.result()).etape).toBe('cloturee');
    });

    const id = `passpro:${creteil2018.id}:${input.eleve.ine}:metallerie`;
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
    expect(recipients(convocation)).toEqual([`ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`, 'pp.durand@ac-creteil.fr']);
    expect(convocation.attachments.map((a) => a.contentType)).toEqual(['text/calendar']);
    expect(convocation.attachments[0].content.toString()).toContain('METHOD:REQUEST');
    const [fiche] = await ctx.smtp.waitFor((m) => m.text?.includes(encodeURIComponent(id)) === true && m.subject?.includes('fiche') === true);
    expect(fiche.text).toContain('très favorable');
  });
});

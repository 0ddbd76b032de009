// The daily digest workflow on the real time-skipping test server, with real activities (database, SMTP):
// reminders and escalations recorded by real candidatures as they fall due go out at 07:00 Paris as one mail
// per recipient per day (a collège, a lycée, the SAIO) listing every candidature concerned; a day with
// nothing new sends nothing; a reminder recorded after the day's digest goes out the next day; the workflow
// keeps its rhythm across continue-as-new.
import type { ParsedMail } from 'mailparser';
import { parisInstant } from '../../domain/calendar';
import type { CandidatureInput } from '../../domain/candidature';
import { inscrireUpdate, planifierEntretienUpdate, saisirAvisOrigineUpdate } from '../../workflows/definitions';
import { DIGEST_WORKFLOW_ID, digestQuotidienWorkflow } from '../../workflows/digest';
import { avisOrigineInput, campagneEn, candidatureInput, chefOrigine, COLLEGE, eleve, LYCEE, planificationInput } from '../support/fixtures';
import { recipients } from '../support/smtp';
import { avancerJusqua, contexteDeTests, idDe, startCandidature, withWorker } from '../support/workflow-env';

const creteil2018 = campagneEn('creteil-2018', 2027);
const SAIO = 'saio@ac-creteil.fr';
const BOITE_LYCEE = `ce.${LYCEE.toLowerCase()}@ac-creteil.fr`;
const BOITE_COLLEGE = `ce.${COLLEGE.toLowerCase()}@ac-creteil.fr`;

const nomme = (prenom: string): CandidatureInput => candidatureInput(creteil2018, { eleve: { ...eleve(), prenom } });
const lien = (input: CandidatureInput) => `http://passpro.test/dossiers/${encodeURIComponent(idDe(input))}`;

describe('daily digest workflow', () => {
  const ctx = contexteDeTests({ horlogeNeuve: false });

  const digests = () => ctx.smtp.mails.filter((m) => m.subject?.includes('votre attention') === true);
  /** `<recipient> | <subject>` of every digest received, in arrival order. */
  const envois = () => digests().map((m) => `${recipients(m).join(',')} | ${m.subject}`);
  const pour = (adresse: string, jour: string): ParsedMail => {
    const trouves = digests().filter((m) => recipients(m).join(',') === adresse && m.subject?.includes(`(${jour})`) === true);
    expect(trouves).toHaveLength(1);
    return trouves[0];
  };

  it('one digest per recipient per day at 07:00 Paris, listing its candidatures; nothing on a day with nothing new', async () => {
    // Adam: registered, avis given, never planned → the lycée reminded on 1 May, lycée + SAIO escalated on 6 May.
    // Emma: the same, and planned on 7 May without avis d'origine → the collège reminded, then the day before.
    // Chloé: planned at once for 3 May without avis d'origine → the collège reminded, and on 2 May; the lycée
    // never records the interview → reminded on 5 May, lycée + SAIO escalated at the end of 6 May.
    const [adam, emma, chloe] = [nomme('Adam'), nomme('Emma'), nomme('Chloé')];
    await withWorker(ctx, async (taskQueue) => {
      const [hAdam, hEmma, hChloe] = await Promise.all([adam, emma, chloe].map((input) => startCandidature(ctx, taskQueue, input)));
      for (const [handle, input] of [[hAdam, adam], [hEmma, emma], [hChloe, chloe]] as const) {
        await handle.executeUpdate(inscrireUpdate, { args: [{ voeux: input.voeux, acteur: chefOrigine }] });
      }
      await hAdam.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(adam.voeux, ['favorable', 'favorable'])] });
      await hChloe.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-05-03', '10:00')] });

      await avancerJusqua(ctx, parisInstant('2027-05-06', '09:00'));
      expect(await ctx.db.prisma.rappel.count()).toBe(9);
      expect(await ctx.db.prisma.rappel.count({ where: { digestCle: { not: null } } })).toBe(0);
      const digest = await ctx.env.client.workflow.start(digestQuotidienWorkflow, {
        taskQueue,
        workflowId: DIGEST_WORKFLOW_ID,
        args: [{ heure: '07:00', joursParExecution: 2 }],
      });
      const premierRun = digest.firstExecutionRunId;

      // Nothing before 07:00, then one mail per recipient.
      await avancerJusqua(ctx, parisInstant('2027-05-07', '06:59'));
      expect(digests()).toEqual([]);
      await avancerJusqua(ctx, parisInstant('2027-05-07', '07:01'));
      await ctx.smtp.waitFor((m) => m.subject?.includes('votre attention') === true, 3);
      expect(envois().sort()).toEqual([
        `${BOITE_COLLEGE} | Passpro — 1 candidature demande votre attention (vendredi 7 mai 2027)`,
        `${BOITE_LYCEE} | Passpro — 3 candidatures demandent votre attention (vendredi 7 mai 2027)`,
        `${SAIO} | Passpro — 3 candidatures demandent votre attention (vendredi 7 mai 2027)`,
      ]);
      const lycee = pour(BOITE_LYCEE, 'vendredi 7 mai 2027').text ?? '';
      for (const input of [adam, emma, chloe]) expect(lycee).toContain(lien(input));
      expect(lycee.match(/Métallerie : Entretien à planifier/g)).toHaveLength(2);
      expect(lycee.match(/Métallerie : Entretien non planifié \(escalade\)/g)).toHaveLength(2);
      expect(lycee).toContain('Chloé Martin — Métallerie : Compte rendu à saisir');
      expect(lycee).toContain('Chloé Martin — Métallerie : Compte rendu en retard (escalade)');
      const saio = pour(SAIO, 'vendredi 7 mai 2027').text ?? '';
      for (const input of [adam, emma, chloe]) expect(saio).toContain(lien(input));
      expect(saio.match(/Métallerie : Entretien non planifié \(escalade\)/g)).toHaveLength(2);
      expect(saio).toContain('Chloé Martin — Métallerie : Compte rendu en retard (escalade)');
      expect(saio).not.toContain('Métallerie : Entretien à planifier');
      const college = pour(BOITE_COLLEGE, 'vendredi 7 mai 2027').text ?? '';
      expect(college).toContain(lien(chloe));
      expect(college).toContain("Chloé Martin — Métallerie : Avis d'origine à saisir");
      expect(college).toContain("Chloé Martin — Métallerie : Avis d'origine manquant, entretien demain");
      expect(await ctx.db.prisma.rappel.count({ where: { digestCle: null } })).toBe(0);

      // Emma's interview planned after the digest: the collège's reminder waits for the next morning.
      await hEmma.executeUpdate(planifierEntretienUpdate, { args: [planificationInput('2027-05-10', '10:00')] });
      await avancerJusqua(ctx, parisInstant('2027-05-08', '07:01'));
      await ctx.smtp.waitFor((m) => m.subject?.includes('votre attention') === true, 4);
      expect(envois().slice(3)).toEqual([`${BOITE_COLLEGE} | Passpro — 1 candidature demande votre attention (samedi 8 mai 2027)`]);
      const samedi = pour(BOITE_COLLEGE, 'samedi 8 mai 2027').text ?? '';
      expect(samedi).toContain(lien(emma));
      expect(samedi).not.toContain(lien(chloe));

      // Sunday: nothing new, no mail (the workflow has continued as new after its two days).
      await avancerJusqua(ctx, parisInstant('2027-05-09', '07:01'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(digests()).toHaveLength(4);

      // Monday: Emma's reminder of the day before her interview (Sunday 08:00) goes out, from the new run.
      await avancerJusqua(ctx, parisInstant('2027-05-10', '07:01'));
      await ctx.smtp.waitFor((m) => m.subject?.includes('votre attention') === true, 5);
      expect(envois().slice(4)).toEqual([`${BOITE_COLLEGE} | Passpro — 1 candidature demande votre attention (lundi 10 mai 2027)`]);
      expect(pour(BOITE_COLLEGE, 'lundi 10 mai 2027').text).toContain("Emma Martin — Métallerie : Avis d'origine manquant, entretien demain");
      const description = await ctx.env.client.workflow.getHandle(DIGEST_WORKFLOW_ID).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.runId).not.toBe(premierRun);
    });

    // Each digest once in the outbox, sent; each reminder in exactly one digest.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(digests()).toHaveLength(5);
    const lignes = await ctx.db.prisma.courriel.findMany({ where: { gabarit: 'digest' }, orderBy: { id: 'asc' } });
    expect(lignes.map((l) => [l.cle, l.envoyeLe !== null, l.destinataires])).toEqual([
      ['digest/2027-05-07/saio', true, [SAIO]],
      [`digest/2027-05-07/uai:${COLLEGE}`, true, [BOITE_COLLEGE]],
      [`digest/2027-05-07/uai:${LYCEE}`, true, [BOITE_LYCEE]],
      [`digest/2027-05-08/uai:${COLLEGE}`, true, [BOITE_COLLEGE]],
      [`digest/2027-05-10/uai:${COLLEGE}`, true, [BOITE_COLLEGE]],
    ]);
    const rappels = await ctx.db.prisma.rappel.findMany({ orderBy: { id: 'asc' } });
    expect(rappels).toHaveLength(13);
    expect(rappels.filter((r) => r.digestCle === null)).toEqual([]);
    const parCandidature = (input: CandidatureInput) =>
      rappels.filter((r) => r.candidatureId === idDe(input)).map((r) => `${r.type} → ${r.destinataire} : ${r.digestCle}`).sort();
    expect(parCandidature(adam)).toEqual([
      'escalade_planification → saio : digest/2027-05-07/saio',
      `escalade_planification → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
      `planification → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
    ]);
    expect(parCandidature(emma)).toEqual([
      `avis_origine_manquant → uai:${COLLEGE} : digest/2027-05-08/uai:${COLLEGE}`,
      `avis_origine_veille/2027-05-10 → uai:${COLLEGE} : digest/2027-05-10/uai:${COLLEGE}`,
      'escalade_planification → saio : digest/2027-05-07/saio',
      `escalade_planification → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
      `planification → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
    ]);
    expect(parCandidature(chloe)).toEqual([
      `avis_origine_manquant → uai:${COLLEGE} : digest/2027-05-07/uai:${COLLEGE}`,
      `avis_origine_veille/2027-05-03 → uai:${COLLEGE} : digest/2027-05-07/uai:${COLLEGE}`,
      `compte_rendu → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
      'escalade_compte_rendu → saio : digest/2027-05-07/saio',
      `escalade_compte_rendu → uai:${LYCEE} : digest/2027-05-07/uai:${LYCEE}`,
    ]);
  });
});

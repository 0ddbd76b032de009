// The purge of personal data past its retention (RGPD). `purgesWorkflow` is started every night by a Temporal
// Schedule (worker/planification.ts): each campaign whose retention has ended is purged, then the access
// journal's rows past their own retention. `purgeCampagneWorkflow` is one campaign's purge, which the SAIO may
// run early (api/purges.ts). Each batch is an activity: a run stopped midway resumes with the next batch, and a
// run on a purged campaign finds nothing and records nothing. Only counts travel in the history, never an id.
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { limiteJournal } from '../domain/deadlines';
import { comptesVides, type BilanPurge, type ComptesPurge } from '../domain/purge';

const { bilanPurge, campagnesEchues, purgerLot, purgerJournal, enregistrerPurge } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // A batch waits for a candidature's run still finishing (retried), or for the database: no limit.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Candidatures per batch: a few hundred histories and one transaction of their rows. */
export const TAILLE_LOT_PURGE = 200;

export const PURGES_WORKFLOW_ID = 'passpro:purges';
export const purgeCampagneWorkflowId = (campagne: string) => `passpro:purge:${campagne}`;

export interface PurgeCampagneInput {
  campagne: string;
  /** 'planifiee', or the SAIO who runs it early. */
  declencheur: string;
}

export interface ResultatPurge {
  campagne: string;
  /** What the run deleted; null when the campaign had open candidatures, which stop it. */
  comptes: ComptesPurge | null;
  bilan: BilanPurge;
}

const cle = (quoi: string) => `${workflowInfo().workflowId}/${workflowInfo().runId}/${quoi}`;

async function purgerCampagne({ campagne, declencheur }: PurgeCampagneInput): Promise<ResultatPurge> {
  const debut = new Date().toISOString();
  const bilan = await bilanPurge(campagne);
  if (bilan.ouvertes > 0) return { campagne, comptes: null, bilan };
  const comptes = comptesVides();
  for (;;) {
    const lot = await purgerLot({ campagne, taille: TAILLE_LOT_PURGE });
    for (const quoi of Object.keys(comptes) as (keyof ComptesPurge)[]) comptes[quoi] += lot[quoi];
    if (lot.candidatures === 0) break;
  }
  if (comptes.candidatures > 0) {
    await enregistrerPurge({ cle: cle(campagne), campagne, declencheur, debut, fin: new Date().toISOString(), comptes });
  }
  return { campagne, comptes, bilan };
}

/** One campaign, now: refused (failed, not retried) while a candidature of it is open. */
export async function purgeCampagneWorkflow(input: PurgeCampagneInput): Promise<ResultatPurge> {
  const resultat = await purgerCampagne(input);
  if (resultat.comptes === null) {
    throw ApplicationFailure.nonRetryable(`${resultat.bilan.ouvertes} candidature(s) de la campagne ${input.campagne} encore en cours : rien n'est purgé`, 'purge_refusee');
  }
  return resultat;
}

/** Every campaign past its retention, then the journal: what the Schedule runs. */
export async function purgesWorkflow(): Promise<{ campagnes: ResultatPurge[]; lectures: number }> {
  const maintenant = new Date();
  const resultats: ResultatPurge[] = [];
  for (const campagne of await campagnesEchues(maintenant.toISOString())) {
    resultats.push(await purgerCampagne({ campagne, declencheur: 'planifiee' }));
  }
  const debut = new Date().toISOString();
  const lectures = await purgerJournal(limiteJournal(maintenant).toISOString());
  if (lectures > 0) await enregistrerPurge({ cle: cle('journal'), campagne: null, declencheur: 'planifiee', debut, fin: new Date().toISOString(), comptes: { lectures } });
  return { campagnes: resultats, lectures };
}

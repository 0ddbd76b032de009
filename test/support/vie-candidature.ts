// A candidature's life as the states the workflow writes to the query side, without running it: for the
// persistence tests and the write benchmark (bench/ecriture.ts).
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { DEV_ID_KEY } from '../../platform/config';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import type { Acteur, CandidatureState, HistoriqueEntree, Voeu } from '../../domain/candidature';
import { chefAccueil, chefOrigine, COLLEGE, LYCEE, personnelAccueil } from './fixtures';

const systeme: Acteur = { role: 'systeme', uai: null, nom: 'Passpro' };

let pupils = 0;
/** A fresh pupil (INE) per call: tests and runs share a database. */
export function nouvelIne(): string {
  pupils += 1;
  return `${String(200_000_000 + pupils).padStart(9, '0')}CD`;
}

const entree = (type: string, acteur: Acteur, survenuLe: string, details?: Record<string, unknown>): HistoriqueEntree => ({
  type,
  acteur,
  survenuLe,
  ...(details ? { details } : {}),
});

function voeu(rang: number, codeFormation: string, libelle: string): Voeu {
  return { rang, codeFormation, libelle, ajouteEnEntretien: false, avisOrigine: null, avisAccueil: null, avisFinal: null, bonus: null };
}

/**
 * The states a candidature goes through, as the workflow builds them: each step adds one history entry and
 * bumps the version (`version` = number of entries). `vie(ine)[n]` is the state at version n + 1.
 */
export function vie(ine: string): CandidatureState[] {
  const id = candidatureWorkflowId(DEV_ID_KEY, 'creteil-2018', ine, 'metallerie');
  const etats: CandidatureState[] = [];
  let state: CandidatureState = {
    id,
    campagneId: 'creteil-2018',
    eleve: { ine, nom: 'Martin', prenom: 'Léa', niveau: '3e', uaiOrigine: COLLEGE, referentNom: 'M. Durand', referentEmail: 'pp.durand@ac-creteil.fr' },
    domaine: { code: 'metallerie', libelle: 'Métallerie' },
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    etape: 'recensement',
    etapeDepuis: '2018-02-01T09:00:00.000Z',
    inscritLe: null,
    voeux: [voeu(1, '24025401', '2nde pro métiers des structures métalliques'), voeu(2, '50025415', 'CAP serrurier métallier')],
    entretien: null,
    compteRendu: null,
    ficheRecapitulativeLe: null,
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: null,
    echeances: {
      inscription: endOfParisDay('2018-04-13').toISOString(),
      entretiens: endOfParisDay('2018-05-11').toISOString(),
      compteRendu: null,
      ficheRecapitulative: endOfParisDay('2018-05-23').toISOString(),
      affelnet: endOfParisDay('2018-05-23').toISOString(),
      cloture: endOfParisDay('2018-06-30').toISOString(),
    },
    prochaineEcheance: endOfParisDay('2018-04-13').toISOString(),
    retards: [],
    evenementsTraites: [],
    historique: [entree('recensement', chefOrigine, '2018-02-01T09:00:00.000Z', { voeux: ['24025401', '50025415'] })],
    version: 1,
  };
  const suivant = (change: (s: CandidatureState) => void, type: string, acteur: Acteur, le: string, details?: Record<string, unknown>) => {
    etats.push(state);
    state = structuredClone(state);
    change(state);
    state.historique.push(entree(type, acteur, le, details));
    state.version += 1;
  };

  suivant((s) => {
    s.etape = 'a_planifier';
    s.etapeDepuis = '2018-02-02T09:00:00.000Z';
    s.inscritLe = '2018-02-02T09:00:00.000Z';
    s.prochaineEcheance = s.echeances.entretiens;
  }, 'inscription', chefOrigine, '2018-02-02T09:00:00.000Z', { voeux: ['24025401', '50025415'] });
  suivant((s) => {
    s.voeux[0].avisOrigine = { avis: 'favorable', commentaire: 'Très motivée, stage de 3e en ferronnerie.', par: chefOrigine, le: '2018-03-20T09:00:00.000Z', enRetard: false };
    s.voeux[1].avisOrigine = { avis: 'assez_favorable', commentaire: 'Projet à affiner.', par: chefOrigine, le: '2018-03-20T09:00:00.000Z', enRetard: false };
  }, 'avis_origine', chefOrigine, '2018-03-20T09:00:00.000Z', { avis: { 24025401: 'favorable', 50025415: 'assez_favorable' }, enRetard: false });
  suivant((s) => {
    s.entretien = { date: '2018-04-10', heure: '14:00', lieu: 'Lycée Jean Macé, atelier B12', mode: 'presentiel', dureeMinutes: 30, derogation: false, motifDerogation: null, sequence: 1, statut: 'planifie', planifiePar: personnelAccueil };
    s.etape = 'convoquee';
    s.etapeDepuis = '2018-03-21T09:00:00.000Z';
    s.prochaineEcheance = parisInstant('2018-04-10', '14:00').toISOString();
  }, 'entretien_planifie', personnelAccueil, '2018-03-21T09:00:00.000Z', { date: '2018-04-10', heure: '14:00' });
  suivant((s) => {
    s.entretien!.statut = 'tenu';
    s.etape = 'compte_rendu_attendu';
    s.etapeDepuis = '2018-04-10T13:00:00.000Z';
    s.echeances.compteRendu = endOfParisDay('2018-04-13').toISOString();
    s.prochaineEcheance = s.echeances.compteRendu;
  }, 'entretien_tenu', personnelAccueil, '2018-04-10T13:00:00.000Z');
  suivant((s) => {
    const le = '2018-04-12T07:00:00.000Z';
    s.voeux[0].avisAccueil = { avis: 'favorable', par: chefAccueil, le, enRetard: false };
    s.voeux[1].avisAccueil = { avis: 'favorable', par: chefAccueil, le, enRetard: false };
    s.voeux.push({ ...voeu(3, '50025416', 'CAP métallier'), ajouteEnEntretien: true, avisAccueil: { avis: 'assez_favorable', par: chefAccueil, le, enRetard: false } });
    s.compteRendu = { texte: "Élève curieuse. Conseil : stage d'observation en métallerie.", par: chefAccueil, le, enRetard: false };
  }, 'compte_rendu', chefAccueil, '2018-04-12T07:00:00.000Z', { enRetard: false });
  suivant((s) => {
    s.voeux[0].avisFinal = 'tres_favorable';
    s.voeux[1].avisFinal = 'favorable';
    s.voeux[2].avisFinal = 'incomplet';
    s.ficheRecapitulativeLe = '2018-04-12T07:00:00.000Z';
    s.etape = 'confirmation_attendue';
    s.etapeDepuis = '2018-04-12T07:00:00.000Z';
    s.prochaineEcheance = s.echeances.affelnet;
  }, 'fiche_recapitulative_prete', systeme, '2018-04-12T07:00:00.000Z');
  suivant((s) => {
    s.confirmationFamille = { par: chefOrigine, le: '2018-05-10T08:00:00.000Z' };
  }, 'confirmation_famille', chefOrigine, '2018-05-10T08:00:00.000Z');
  suivant((s) => {
    s.saisieAffelnet = { par: chefOrigine, le: '2018-05-11T08:00:00.000Z', voeux: ['24025401', '50025415'] };
    s.bonusAccorde = true;
    s.voeux[0].bonus = 3000;
    s.voeux[1].bonus = 2000;
    s.voeux[2].bonus = 0;
    s.etape = 'cloturee';
    s.etapeDepuis = '2018-05-11T08:00:00.000Z';
    s.prochaineEcheance = null;
  }, 'saisie_affelnet', chefOrigine, '2018-05-11T08:00:00.000Z', { voeux: ['24025401', '50025415'] });
  etats.push(state);
  return etats;
}

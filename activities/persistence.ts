// Writes the workflow's state to the query side. Idempotent: a retried or replayed call with an older
// version changes nothing; audit rows are keyed by candidature and position in the history.
import { ApplicationFailure } from '@temporalio/common';
import type { Database, PrismaClient } from '../platform/database';
import { appliquerChangements, estChangements, type CandidatureState, type ChangementsEtat, type EcritureEtat } from '../domain/candidature';
import type { Rappel } from '../domain/procedure';
import { ecritureImpossible } from '../workflows/definitions';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

/** The rows of one state, keyed by column name: the statement below writes exactly these columns. */
function lignes(state: CandidatureState) {
  const { eleve, entretien, compteRendu } = state;
  const maintenant = new Date();
  return {
    candidature: {
      id: state.id,
      campagneId: state.campagneId,
      ine: eleve.ine,
      domaine: state.domaine.code,
      domaineLibelle: state.domaine.libelle,
      modalite: state.modalite,
      uaiOrigine: eleve.uaiOrigine,
      uaiAccueil: state.uaiAccueil,
      etape: state.etape,
      etapeDepuis: new Date(state.etapeDepuis),
      echeance: date(state.prochaineEcheance),
      enRetard: state.retards.length > 0,
      retards: state.retards,
      inscritLe: date(state.inscritLe),
      entretienDate: entretien?.date ?? null,
      entretienHeure: entretien?.heure ?? null,
      entretienLieu: entretien?.lieu ?? null,
      entretienMode: entretien?.mode ?? null,
      entretienStatut: entretien?.statut ?? null,
      compteRendu: compteRendu?.texte ?? null,
      compteRenduLe: date(compteRendu?.le),
      compteRenduEnRetard: compteRendu?.enRetard ?? null,
      ficheRecapitulativeLe: date(state.ficheRecapitulativeLe),
      confirmationFamilleLe: date(state.confirmationFamille?.le),
      saisieAffelnetLe: date(state.saisieAffelnet?.le),
      bonusAccorde: state.bonusAccorde,
      version: state.version,
      etat: state,
      updatedAt: maintenant,
    },
    eleve: {
      ine: eleve.ine,
      nom: eleve.nom,
      prenom: eleve.prenom,
      niveau: eleve.niveau,
      uaiOrigine: eleve.uaiOrigine,
      referentNom: eleve.referentNom,
      referentEmail: eleve.referentEmail,
      updatedAt: maintenant,
    },
    voeux: state.voeux.map((voeu) => ({
      candidatureId: state.id,
      codeFormation: voeu.codeFormation,
      libelle: voeu.libelle,
      uaiAccueil: state.uaiAccueil,
      rang: voeu.rang,
      ajouteEnEntretien: voeu.ajouteEnEntretien,
      avisOrigine: voeu.avisOrigine?.avis ?? null,
      commentaireOrigine: voeu.avisOrigine?.commentaire ?? null,
      avisOrigineEnRetard: voeu.avisOrigine?.enRetard ?? null,
      avisAccueil: voeu.avisAccueil?.avis ?? null,
      avisFinal: voeu.avisFinal,
      bonus: voeu.bonus,
    })),
    evenements: state.historique.map((entree, index) => ({
      cle: `${state.id}#${index}`,
      candidatureId: state.id,
      type: entree.type,
      acteurRole: entree.acteur.role,
      acteurUai: entree.acteur.uai,
      acteurNom: entree.acteur.nom,
      survenuLe: new Date(entree.survenuLe),
      details: entree.details ?? {},
    })),
  };
}

// The column names are this file's own keys (never input): quoting them is enough.
const nom = (identifiant: string) => `"${identifiant}"`;
const colonnes = (ligne: object, prefixe = '') => Object.keys(ligne).map((c) => `${prefixe}"${c}"`).join(', ');

interface Ecriture {
  table: string;
  /** Their key in the statement's JSON. */
  chemin: string;
  /** One row, or several. */
  lignes: object | object[];
  cle: string[];
  /** Audit rows and reminders once written are never rewritten. */
  siPresente: 'remplacer' | 'garder';
  /** Written with the candidature row only (not by a state older than the stored one). */
  avecLaCandidature: boolean;
}

/**
 * Inserts rows read from the statement's JSON, or updates the row with the same key; only their columns are
 * written, the others keep their defaults (createdAt, the audit row's id).
 */
function ecrire({ table, chemin, lignes, cle, siPresente, avecLaCandidature }: Ecriture): string {
  const ligne: object | undefined = Array.isArray(lignes) ? lignes[0] : lignes;
  if (!ligne) return 'SELECT 1';
  const lire = Array.isArray(lignes) ? 'jsonb_populate_recordset' : 'jsonb_populate_record';
  const conflit = siPresente === 'garder' ? 'DO NOTHING' : `DO UPDATE SET (${colonnes(ligne)}) = ROW(${colonnes(ligne, 'EXCLUDED.')})`;
  return `INSERT INTO ${nom(table)} (${colonnes(ligne)})
    SELECT ${colonnes(ligne, 'r.')} FROM donnees, ${lire}(NULL::${nom(table)}, donnees.j->'${chemin}') AS r
    ${avecLaCandidature ? 'WHERE EXISTS (SELECT 1 FROM ecrite)' : ''}
    ON CONFLICT (${cle.map(nom).join(', ')}) ${conflit}`;
}

type Lignes = ReturnType<typeof lignes> & { rappels: ReturnType<typeof lignesRappel> };

/**
 * One statement per state: the candidature row is written only if its version is newer than the one stored
 * (the row lock of its upsert orders concurrent writes of one candidature), and only then the pupil, the
 * vœux and the audit rows not yet there. The reminders that fell due with this state are recorded with it,
 * whatever the version (a reminder may fall due without changing the state). Its only parameter is the JSON
 * of the rows.
 */
function texteEnregistrement(l: Lignes): string {
  return `
    WITH donnees AS (SELECT $1::jsonb AS j),
    ecrite AS (
      INSERT INTO "Candidature" AS existant (${colonnes(l.candidature)})
      SELECT ${colonnes(l.candidature, 'r.')} FROM donnees, jsonb_populate_record(NULL::"Candidature", donnees.j->'candidature') AS r
      ON CONFLICT (id) DO UPDATE SET (${colonnes(l.candidature)}) = ROW(${colonnes(l.candidature, 'EXCLUDED.')})
      WHERE existant.version < EXCLUDED.version
      RETURNING existant.id
    ),
    eleve AS (${ecrire({ table: 'Eleve', chemin: 'eleve', lignes: l.eleve, cle: ['ine'], siPresente: 'remplacer', avecLaCandidature: true })}),
    voeux AS (${ecrire({ table: 'Voeu', chemin: 'voeux', lignes: l.voeux, cle: ['candidatureId', 'codeFormation'], siPresente: 'remplacer', avecLaCandidature: true })}),
    evenements AS (${ecrire({ table: 'Evenement', chemin: 'evenements', lignes: l.evenements, cle: ['cle'], siPresente: 'garder', avecLaCandidature: true })}),
    rappels AS (${ecrire({ table: 'Rappel', chemin: 'rappels', lignes: l.rappels, cle: ['cle'], siPresente: 'garder', avecLaCandidature: false })})
    SELECT 1`;
}

/**
 * The statement's text by the lists of the state that have rows (vœux, audit rows, reminders), built once each:
 * `lignes` gives every row the same keys, so the columns of a shape never change.
 */
const textes = new Map<string, string>();

/** The write of a state and of the reminders due with it: the statement's name, its text and its parameter. */
export function requeteEnregistrement(state: CandidatureState, rappels: Rappel[] = []): { nom: string; texte: string; params: [string] } {
  const l: Lignes = { ...lignes(state), rappels: rappels.flatMap(lignesRappel) };
  const forme = [l.voeux, l.evenements, l.rappels].map((liste) => (liste.length > 0 ? '1' : '0')).join('');
  let texte = textes.get(forme);
  if (texte === undefined) {
    texte = texteEnregistrement(l);
    textes.set(forme, texte);
  }
  return { nom: `enregistrer_candidature_${forme}`, texte, params: [JSON.stringify(l)] };
}

/**
 * The worker writes the state after every action and every deadline: the statement is prepared, so that
 * PostgreSQL does not parse and plan it each time; a write then costs 0.4 of its CPU (bench:ecriture).
 */
export async function saveCandidature(db: Pick<Database, 'preparee'>, ecriture: EcritureEtat, rappels: Rappel[] = []): Promise<void> {
  const state = estChangements(ecriture) ? await etatAvecChangements(db, ecriture) : ecriture;
  const { nom, texte, params } = requeteEnregistrement(state, rappels);
  try {
    await db.preparee(nom, texte, params);
  } catch (error) {
    const code = refusDefinitif(error);
    // The database's own message may quote the values (a pupil's name): only the code travels and is logged.
    if (code) throw ApplicationFailure.nonRetryable(`écriture refusée par la base de données (SQLSTATE ${code})`, ecritureImpossible, { code });
    throw error;
  }
}

/**
 * The state that changes make from the one stored. The workflow sends changes from a version it knows written, so
 * an older one stored is a concurrent write of it not yet landed: retried until it has. A newer one stored is
 * kept as it is (the statement writes no older version), with the reminders due.
 */
async function etatAvecChangements(db: Pick<Database, 'preparee'>, changements: ChangementsEtat): Promise<CandidatureState> {
  const [ligne] = await db.preparee<{ etat: string; version: number }>('etat_ecrit', 'SELECT etat::text AS etat, version FROM "Candidature" WHERE id = $1', [changements.id]);
  if (!ligne || ligne.version < changements.depuis) {
    throw ApplicationFailure.retryable(`la version ${changements.depuis} de la candidature n'est pas encore écrite`, 'VersionNonEcrite');
  }
  const stocke = JSON.parse(ligne.etat) as CandidatureState;
  return ligne.version >= changements.version ? stocke : appliquerChangements(stocke, changements);
}

/**
 * The SQLSTATE of a refusal that retrying can never fix: data the database cannot store (class 22: a NUL
 * character, a lone surrogate, a value out of range) or a broken constraint (class 23), but a unique key, which
 * a concurrent write can race. Null for anything else (a lost connection, a timeout): those are retried.
 */
export function refusDefinitif(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return code.startsWith('22') || (code.startsWith('23') && code !== '23505') ? code : null;
}


/** The rows of a reminder: one per recipient. */
function lignesRappel(demande: Rappel) {
  return demande.destinataires.map((destinataire) => ({
    cle: `${demande.cle}/${destinataire}`,
    candidatureId: demande.candidatureId,
    type: demande.type,
    destinataire,
    echeance: date(demande.echeance),
    message: demande.message,
    creeLe: new Date(demande.creeLe),
  }));
}

/** Records a reminder or escalation; the daily digest mails it. */
export async function saveRappel(prisma: PrismaClient, demande: Rappel): Promise<void> {
  await prisma.rappel.createMany({ data: lignesRappel(demande), skipDuplicates: true });
}

// Writes the workflow's state to the query side. Idempotent: a retried or replayed call with an older
// version changes nothing; audit rows are keyed by candidature and position in the history.
import { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../runtime/database';
import type { CandidatureState } from '../workflows/definitions';

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
const nom = (identifiant: string) => Prisma.raw(`"${identifiant}"`);
const colonnes = (ligne: object, prefixe = '') => Prisma.join(Object.keys(ligne).map((c) => Prisma.raw(`${prefixe}"${c}"`)));

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
function ecrire({ table, chemin, lignes, cle, siPresente, avecLaCandidature }: Ecriture): Prisma.Sql {
  const ligne: object | undefined = Array.isArray(lignes) ? lignes[0] : lignes;
  if (!ligne) return Prisma.sql`SELECT 1`;
  const lire = Prisma.raw(Array.isArray(lignes) ? 'jsonb_populate_recordset' : 'jsonb_populate_record');
  const conflit = siPresente === 'garder' ? Prisma.sql`DO NOTHING` : Prisma.sql`DO UPDATE SET (${colonnes(ligne)}) = ROW(${colonnes(ligne, 'EXCLUDED.')})`;
  return Prisma.sql`INSERT INTO ${nom(table)} (${colonnes(ligne)})
    SELECT ${colonnes(ligne, 'r.')} FROM donnees, ${lire}(NULL::${nom(table)}, donnees.j->${Prisma.raw(`'${chemin}'`)}) AS r
    ${avecLaCandidature ? Prisma.sql`WHERE EXISTS (SELECT 1 FROM ecrite)` : Prisma.empty}
    ON CONFLICT (${Prisma.join(cle.map(nom))}) ${conflit}`;
}

/**
 * One statement per state: the candidature row is written only if its version is newer than the one stored
 * (the row lock of its upsert orders concurrent writes of one candidature), and only then the pupil, the
 * vœux and the audit rows not yet there. One round trip instead of one per row: the worker writes the state
 * after every action and every deadline. The reminders that fell due with this state are recorded with it,
 * whatever the version (a reminder may fall due without changing the state).
 */
export async function enregistrerCandidature(prisma: PrismaClient, state: CandidatureState, rappels: RappelDemande[] = []): Promise<void> {
  const l = { ...lignes(state), rappels: rappels.flatMap(lignesRappel) };
  await prisma.$executeRaw`
    WITH donnees AS (SELECT ${JSON.stringify(l)}::jsonb AS j),
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

export interface RappelDemande {
  /** One reminder per event and recipient: the row key is `<cle>/<destinataire>`. */
  cle: string;
  candidatureId: string;
  type: string;
  /** 'uai:<UAI>' (a school's functional mailbox) or 'saio'. */
  destinataires: string[];
  echeance: string | null;
  message: string;
  /** When it fell due, in the workflow's time. */
  creeLe: string;
}

/** The rows of a reminder: one per recipient. */
function lignesRappel(demande: RappelDemande) {
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
export async function enregistrerRappel(prisma: PrismaClient, demande: RappelDemande): Promise<void> {
  await prisma.rappel.createMany({ data: lignesRappel(demande), skipDuplicates: true });
}

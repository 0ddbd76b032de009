// Writes the workflow's state to the query side. Idempotent: a retried or replayed call with an older
// version changes nothing; audit rows are keyed by candidature and position in the history.
import type { PrismaClient } from '../runtime/database';
import type { CandidatureState } from '../workflows/definitions';

const date = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

export async function enregistrerCandidature(prisma: PrismaClient, state: CandidatureState): Promise<void> {
  const { eleve, entretien, compteRendu } = state;
  const candidature = {
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
  };
  await prisma.$transaction(async (tx) => {
    const eleveData = {
      nom: eleve.nom,
      prenom: eleve.prenom,
      niveau: eleve.niveau,
      uaiOrigine: eleve.uaiOrigine,
      referentNom: eleve.referentNom,
      referentEmail: eleve.referentEmail,
    };
    await tx.eleve.upsert({ where: { ine: eleve.ine }, create: { ine: eleve.ine, ...eleveData }, update: eleveData });
    const existing = await tx.candidature.findUnique({ where: { id: state.id }, select: { version: true } });
    if (existing && existing.version >= state.version) return;
    await tx.candidature.upsert({
      where: { id: state.id },
      create: { id: state.id, ...candidature },
      update: candidature,
    });
    for (const voeu of state.voeux) {
      const data = {
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
      };
      await tx.voeu.upsert({
        where: { candidatureId_codeFormation: { candidatureId: state.id, codeFormation: voeu.codeFormation } },
        create: { candidatureId: state.id, codeFormation: voeu.codeFormation, ...data },
        update: data,
      });
    }
    await tx.evenement.createMany({
      data: state.historique.map((entree, index) => ({
        cle: `${state.id}#${index}`,
        candidatureId: state.id,
        type: entree.type,
        acteurRole: entree.acteur.role,
        acteurUai: entree.acteur.uai,
        acteurNom: entree.acteur.nom,
        survenuLe: new Date(entree.survenuLe),
        details: (entree.details ?? {}) as object,
      })),
      skipDuplicates: true,
    });
  });
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

/** Records a reminder or escalation; the daily digest mails it. */
export async function enregistrerRappel(prisma: PrismaClient, demande: RappelDemande): Promise<void> {
  await prisma.rappel.createMany({
    data: demande.destinataires.map((destinataire) => ({
      cle: `${demande.cle}/${destinataire}`,
      candidatureId: demande.candidatureId,
      type: demande.type,
      destinataire,
      echeance: date(demande.echeance),
      message: demande.message,
      creeLe: new Date(demande.creeLe),
    })),
    skipDuplicates: true,
  });
}

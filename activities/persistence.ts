// Writes the workflow's state to the query side. Idempotent: a retried or replayed call with an older
// version changes nothing; audit rows are keyed by candidature and position in the history.
import type { PrismaClient } from '../runtime/database';
import type { CandidatureState } from '../workflows/definitions';

export async function enregistrerCandidature(prisma: PrismaClient, state: CandidatureState): Promise<void> {
  const { eleve } = state;
  const candidature = {
    campagneId: state.campagneId,
    ine: eleve.ine,
    domaine: state.domaine.code,
    modalite: state.modalite,
    uaiOrigine: eleve.uaiOrigine,
    uaiAccueil: state.uaiAccueil,
    etape: state.etape,
    etapeDepuis: new Date(state.etapeDepuis),
    echeance: state.echeance ? new Date(state.echeance) : null,
    enRetard: state.enRetard,
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

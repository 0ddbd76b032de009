// Activities: the workflows' only way to touch the world (database, SMTP). Built by a factory that
// receives its dependencies, so tests pass real ones bound to their own database and SMTP receiver.
import { parisInstant } from '../domain/calendar';
import { boiteFonctionnelle } from '../domain/etablissement';
import type { Database } from '../platform/database';
import type { CandidatureState, EcritureEtat } from '../domain/candidature';
import type { Courriel, Destinataires, Rappel } from '../domain/procedure';
import { sendDigests } from './digest';
import { calendrierEntretien } from '../presentation/ics';
import type { Attachment, Mailer } from '../platform/smtp';
import { createRenderer, type RenderedMail } from '../presentation/mail';
import { noterEnvoi } from './mail';
import { saveCandidature, saveRappel } from './persistence';
import { bilanPurge, campagnesEchues, enregistrerPurge, purgerJournal, purgerLot, type PurgeRecord } from './purge';
import { libelleEtablissement } from '../presentation/etablissements';
import { libelleCampagne, libelleEcheance, presenterEntretien, presenterVoeux } from '../presentation/labels';


export interface ActivityDeps {
  db: Pick<Database, 'prisma' | 'preparee'>;
  mailer: Mailer;
  publicUrl: string;
  saioEmail: string;
  /** Who runs Passpro: told of every incident (the SAIO's address when unset). */
  operateursEmail?: string;
  mailFrom?: string;
}

/** The candidature as a mail announces it: its state but the history and the handled keys. */
export type CandidatureAnnoncee = Omit<CandidatureState, 'historique' | 'evenementsTraites'>;

/** A mail of the procedure, with the state it announces (a later change does not alter it). */
export interface CourrielDemande extends Courriel {
  candidature: CandidatureAnnoncee;
}

/** A write the database refused for good: recorded for the SAIO's statistics and mailed to the operators. */
export interface IncidentDemande {
  candidatureId: string;
  campagneId: string;
  /** The staff action whose saisie was refused, or what the workflow was writing (`demarrage`, `echeances`). */
  action: string;
  /** The version of the state that could not be written: with the candidature and the action, the incident's key. */
  version: number;
  code: string;
  /** true: the saisie was undone and the candidature goes on; false: its run stops. */
  annulee: boolean;
  survenuLe: string;
}

export function createActivities(deps: ActivityDeps) {
  const render = createRenderer();
  // The candidature's page (api/web/espace/dossier.ts), opened after sign-in if need be.
  const lienCandidature = (id: string) => `${deps.publicUrl}/dossiers/${encodeURIComponent(id)}`;

  function adresses(d: Destinataires): string[] {
    const all = [...(d.etablissements ?? []).map(boiteFonctionnelle), ...(d.emails ?? [])];
    if (d.saio) all.push(deps.saioEmail);
    return [...new Set(all)];
  }

  function invitation(demande: CourrielDemande, to: string[], horodatage: Date): Attachment | undefined {
    const { candidature: c } = demande;
    if (!demande.calendrier || !c.entretien) return undefined;
    const organisateur = boiteFonctionnelle(c.uaiAccueil);
    const ics = calendrierEntretien({
      uid: `${c.id}@passpro`,
      sequence: demande.calendrier === 'CANCEL' ? c.entretien.sequence + 1 : c.entretien.sequence,
      methode: demande.calendrier,
      debut: parisInstant(c.entretien.date, c.entretien.heure),
      dureeMinutes: c.entretien.dureeMinutes,
      lieu: c.entretien.lieu,
      resume: `Entretien Passpro — ${c.domaine.libelle} — ${c.eleve.prenom} ${c.eleve.nom}`,
      description: `Entretien d'information Passpro (${c.domaine.libelle}) : ${libelleEtablissement(c.uaiAccueil)}. ${lienCandidature(c.id)}`,
      organisateur,
      // The lycée's mailbox organises the interview: it is told as organiser, not invited.
      participants: to.filter((adresse) => adresse !== organisateur),
      horodatage,
    });
    return { filename: 'entretien.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${demande.calendrier}` };
  }

  /** Sends a mail once per key: its outbox row is marked sent, so that a retried activity skips it. */
  async function envoyerUneFois(
    envoi: { cle: string; candidatureId: string | null; gabarit: string; to: string[]; mail: RenderedMail },
    piece?: (horodatage: Date) => Attachment | undefined,
  ): Promise<void> {
    const { cle, candidatureId, gabarit, to, mail } = envoi;
    const row = await deps.db.prisma.courriel.upsert({
      where: { cle },
      create: { cle, candidatureId, gabarit, destinataires: to, sujet: mail.subject },
      update: { tentatives: { increment: 1 } },
    });
    if (row.envoyeLe) return;
    const messageId = `<${row.id}.${gabarit}@passpro>`;
    const attachment = piece?.(row.createdAt);
    try {
      await deps.mailer.send({ ...mail, to, messageId, attachments: attachment ? [attachment] : undefined });
    } catch (error) {
      await deps.db.prisma.courriel.update({ where: { cle }, data: { derniereErreur: (error as Error).message } });
      throw error;
    }
    await noterEnvoi(() => deps.db.prisma.courriel.update({ where: { cle }, data: { envoyeLe: new Date(), messageId, derniereErreur: null } }));
  }

  return {
    /** The state, and the reminders that fell due with it (recorded in the same statement). */
    async saveCandidature(ecriture: EcritureEtat, rappels?: Rappel[]): Promise<void> {
      await saveCandidature(deps.db, ecriture, rappels);
    },

    async saveRappel(demande: Rappel): Promise<void> {
      await saveRappel(deps.db.prisma, demande);
    },

    /** At most once per event (outbox row per key, marked sent), at least once (activity retries). */
    async sendCourriel(demande: CourrielDemande): Promise<void> {
      const { candidature } = demande;
      const lien = lienCandidature(candidature.id);
      const mail = render(demande.gabarit, {
        candidature,
        campagne: libelleCampagne(candidature.campagneId),
        lien,
        motif: demande.motif,
        modification: demande.modification === true,
        // A cancellation follows a désistement, or returns the candidature to planification.
        desistement: candidature.etape === 'desistee',
        entretien: candidature.entretien ? presenterEntretien(candidature.entretien) : null,
        voeux: presenterVoeux(candidature.voeux),
        echeanceAffelnet: libelleEcheance(new Date(candidature.echeances.affelnet)),
        ecoles: { origine: libelleEtablissement(candidature.eleve.uaiOrigine), accueil: libelleEtablissement(candidature.uaiAccueil) },
      });
      const to = adresses(demande.destinataires);
      await envoyerUneFois({ cle: demande.cle, candidatureId: candidature.id, gabarit: demande.gabarit, to, mail }, (horodatage) =>
        invitation(demande, to, horodatage),
      );
    },

    async reportIncident(incident: IncidentDemande): Promise<void> {
      const cle = `${incident.candidatureId}/${incident.version}/${incident.action}`;
      const { candidatureId, campagneId, action, code, annulee } = incident;
      await deps.db.prisma.incident.upsert({
        where: { cle },
        create: { cle, candidatureId, campagneId, action, code, annulee, survenuLe: new Date(incident.survenuLe) },
        update: {},
      });
      const mail = render('incident', {
        lien: lienCandidature(candidatureId),
        incident: { ...incident, survenuLeLibelle: libelleEcheance(new Date(incident.survenuLe)) },
      });
      await envoyerUneFois({ cle: `${cle}/incident`, candidatureId: null, gabarit: 'incident', to: [deps.operateursEmail ?? deps.saioEmail], mail });
    },

    /** The day's digest: one mail per recipient listing every reminder recorded for it. */
    async sendDigests({ jour, maintenant }: { jour: string; maintenant: string }): Promise<{ digests: number; rappels: number }> {
      return sendDigests(deps, jour, new Date(maintenant));
    },

    // The purge (activities/purge.ts): its dry run, its batches, its record.
    async bilanPurge(campagne: string) {
      return bilanPurge(deps.db.prisma, campagne);
    },

    async campagnesEchues(maintenant: string): Promise<string[]> {
      return campagnesEchues(deps.db.prisma, new Date(maintenant));
    },

    async purgerLot({ campagne, taille }: { campagne: string; taille: number }) {
      return purgerLot(deps.db.prisma, campagne, taille);
    },

    async purgerJournal(avant: string): Promise<number> {
      return purgerJournal(deps.db.prisma, new Date(avant));
    },

    async enregistrerPurge(purge: PurgeRecord): Promise<void> {
      await enregistrerPurge(deps.db.prisma, purge);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

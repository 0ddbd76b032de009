// Activities: the workflows' only way to touch the world (database, SMTP). Built by a factory that
// receives its dependencies, so tests pass real ones bound to their own database and SMTP receiver.
import { parisInstant } from '../domain/calendar';
import { boiteFonctionnelle } from '../domain/etablissement';
import type { Database } from '../platform/database';
import type { CandidatureState } from '../domain/candidature';
import type { Courriel, Destinataires } from '../domain/procedure';
import { envoyerDigests } from './digest';
import { calendrierEntretien } from '../presentation/ics';
import type { Attachment, Mailer } from '../platform/smtp';
import { createRenderer } from '../presentation/mail';
import { noterEnvoi } from './mail';
import { enregistrerCandidature, enregistrerRappel, type RappelDemande } from './persistence';
import { libelleEcheance, presenterEntretien, presenterVoeux } from '../presentation/labels';

export type { RappelDemande };

export interface ActivityDeps {
  db: Pick<Database, 'prisma' | 'preparee'>;
  mailer: Mailer;
  publicUrl: string;
  saioEmail: string;
  mailFrom?: string;
}

/** A mail of the procedure, with the state it announces (a later change does not alter it). */
export interface CourrielDemande extends Courriel {
  candidature: CandidatureState;
}

/** Interviews are booked for this long in the calendar invitation. */
const DUREE_ENTRETIEN_MINUTES = 30;

export function createActivities(deps: ActivityDeps) {
  const render = createRenderer();
  const lienCandidature = (id: string) => `${deps.publicUrl}/candidatures/${encodeURIComponent(id)}`;

  function adresses(d: Destinataires): string[] {
    const all = [...(d.etablissements ?? []).map(boiteFonctionnelle), ...(d.emails ?? [])];
    if (d.saio) all.push(deps.saioEmail);
    return [...new Set(all)];
  }

  function invitation(demande: CourrielDemande, to: string[], horodatage: Date): Attachment | undefined {
    const { candidature: c } = demande;
    if (!demande.calendrier || !c.entretien) return undefined;
    const ics = calendrierEntretien({
      uid: `${c.id}@passpro`,
      sequence: demande.calendrier === 'CANCEL' ? c.entretien.sequence + 1 : c.entretien.sequence,
      methode: demande.calendrier,
      debut: parisInstant(c.entretien.date, c.entretien.heure),
      dureeMinutes: DUREE_ENTRETIEN_MINUTES,
      lieu: c.entretien.lieu,
      resume: `Entretien Passpro — ${c.domaine.libelle} — ${c.eleve.prenom} ${c.eleve.nom}`,
      description: `Entretien d'information Passpro (${c.domaine.libelle}) au lycée ${c.uaiAccueil}. ${lienCandidature(c.id)}`,
      organisateur: boiteFonctionnelle(c.uaiAccueil),
      participants: to,
      horodatage,
    });
    return { filename: 'entretien.ics', content: ics, contentType: `text/calendar; charset=utf-8; method=${demande.calendrier}` };
  }

  return {
    /** The state, and the reminders that fell due with it (recorded in the same statement). */
    async enregistrerCandidature(state: CandidatureState, rappels?: RappelDemande[]): Promise<void> {
      await enregistrerCandidature(deps.db, state, rappels);
    },

    async enregistrerRappel(demande: RappelDemande): Promise<void> {
      await enregistrerRappel(deps.db.prisma, demande);
    },

    /** At most once per event (outbox row per key, marked sent), at least once (activity retries). */
    async envoyerCourriel(demande: CourrielDemande): Promise<void> {
      const { candidature } = demande;
      const lien = lienCandidature(candidature.id);
      const mail = render(demande.gabarit, {
        candidature,
        campagne: candidature.campagneId,
        lien,
        motif: demande.motif,
        modification: (candidature.entretien?.sequence ?? 1) > 1,
        entretien: candidature.entretien ? presenterEntretien(candidature.entretien) : null,
        voeux: presenterVoeux(candidature.voeux),
        echeanceAffelnet: libelleEcheance(new Date(candidature.echeances.affelnet)),
      });
      const to = adresses(demande.destinataires);
      const row = await deps.db.prisma.courriel.upsert({
        where: { cle: demande.cle },
        create: { cle: demande.cle, candidatureId: candidature.id, gabarit: demande.gabarit, destinataires: to, sujet: mail.subject },
        update: { tentatives: { increment: 1 } },
      });
      if (row.envoyeLe) return;
      const messageId = `<${row.id}.${demande.gabarit}@passpro>`;
      const attachment = invitation(demande, to, row.createdAt);
      try {
        await deps.mailer.send({ ...mail, to, messageId, attachments: attachment ? [attachment] : undefined });
      } catch (error) {
        await deps.db.prisma.courriel.update({ where: { cle: demande.cle }, data: { derniereErreur: (error as Error).message } });
        throw error;
      }
      await noterEnvoi(() => deps.db.prisma.courriel.update({ where: { cle: demande.cle }, data: { envoyeLe: new Date(), messageId, derniereErreur: null } }));
    },

    /** The day's digest: one mail per recipient listing every reminder recorded for it. */
    async envoyerDigests({ jour, maintenant }: { jour: string; maintenant: string }): Promise<{ digests: number; rappels: number }> {
      return envoyerDigests(deps, jour, new Date(maintenant));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

// Activities: the workflow's only way to touch the world (database, SMTP). Built by a factory that
// receives its dependencies, so tests pass real ones bound to their own database and SMTP receiver.
import { boiteFonctionnelle } from '../domain/etablissement';
import type { PrismaClient } from '../runtime/database';
import type { CandidatureState } from '../workflows/definitions';
import { createRenderer, type Mailer } from './mail';
import { enregistrerCandidature } from './persistence';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  publicUrl: string;
  saioEmail: string;
}

export interface Destinataires {
  /** Schools, reached at their functional mailbox. */
  etablissements?: string[];
  emails?: string[];
  saio?: boolean;
}

export interface CourrielDemande {
  /** One mail per event: the outbox refuses a second row for the same key. */
  cle: string;
  candidatureId: string | null;
  gabarit: string;
  destinataires: Destinataires;
  donnees: Record<string, unknown> & { candidature?: CandidatureState };
}

export function createActivities(deps: ActivityDeps) {
  const render = createRenderer();

  function adresses(d: Destinataires): string[] {
    const all = [...(d.etablissements ?? []).map(boiteFonctionnelle), ...(d.emails ?? [])];
    if (d.saio) all.push(deps.saioEmail);
    return [...new Set(all)];
  }

  return {
    async enregistrerCandidature(state: CandidatureState): Promise<void> {
      await enregistrerCandidature(deps.prisma, state);
    },

    /** At most once per event (outbox row per key, marked sent), at least once (activity retries). */
    async envoyerCourriel(demande: CourrielDemande): Promise<void> {
      const lien = demande.candidatureId
        ? `${deps.publicUrl}/candidatures/${encodeURIComponent(demande.candidatureId)}`
        : deps.publicUrl;
      const campagne = demande.donnees.candidature?.campagneId ?? '';
      const mail = render(demande.gabarit, { ...demande.donnees, lien, campagne });
      const to = adresses(demande.destinataires);
      const row = await deps.prisma.courriel.upsert({
        where: { cle: demande.cle },
        create: {
          cle: demande.cle,
          candidatureId: demande.candidatureId,
          gabarit: demande.gabarit,
          destinataires: to,
          sujet: mail.subject,
        },
        update: { tentatives: { increment: 1 } },
      });
      if (row.envoyeLe) return;
      const messageId = `<${row.id}.${demande.gabarit}@passpro>`;
      try {
        await deps.mailer.send({ ...mail, to, messageId });
      } catch (error) {
        await deps.prisma.courriel.update({
          where: { cle: demande.cle },
          data: { derniereErreur: (error as Error).message },
        });
        throw error;
      }
      await deps.prisma.courriel.update({
        where: { cle: demande.cle },
        data: { envoyeLe: new Date(), messageId, derniereErreur: null },
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

// The daily digest: reminders and escalations are recorded per candidature as they fall due (Rappel rows)
// and mailed as one mail per recipient per day, so that a school gets one message a morning, not thirty.
//
// With the Courriel outbox, across crashes and retries:
//  (a) in one transaction, the recipient's unassigned reminders are assigned to the day's digest key
//      `digest/<jour>/<destinataire>` and the outbox row for that key is created: each reminder belongs to
//      exactly one digest;
//  (b) a digest not yet sent is rendered from every reminder carrying its key, sent, then marked sent: it
//      goes out at least once, and once marked, never again.
// A digest's content is frozen at its first send attempt (tentatives > 0): a resend after a crash between
// the SMTP acceptance and the mark then carries the same rows under the same Message-ID, which receivers
// may drop as a duplicate without losing anything. A reminder recorded after that, the same day, is left
// unassigned and goes into the recipient's next digest (the next day's, as the digest runs daily) —
// rather than into a second mail the same day, or into an already-sent one where nobody would read it.
// Like sendCourriel, two runs overlapping in time could both deliver a pending digest (identical, same
// Message-ID): the daily run is meant to be scheduled without overlap.
import type { Prisma } from '../generated/prisma/client';
import { isIsoDate, libelleDate, type IsoDate } from '../domain/calendar';
import { boiteFonctionnelle } from '../domain/etablissement';
import { libelleEtablissement } from '../presentation/etablissements';
import type { Database } from '../platform/database';
import type { Mailer } from '../platform/smtp';
import { createRenderer, type RenderedMail } from '../presentation/mail';
import { noterEnvoi } from './mail';
import { libelleCampagne, libelleEcheance } from '../presentation/labels';

export interface DigestDeps {
  db: Pick<Database, 'prisma'>;
  mailer: Mailer;
  publicUrl: string;
  saioEmail: string;
}

/** The reminder types the workflow records, as staff read them. */
export const libellesRappel: Readonly<Record<string, string>> = {
  avis_origine_manquant: "Avis d'origine à saisir",
  avis_origine_veille: "Avis d'origine manquant, entretien demain",
  planification: 'Entretien à planifier',
  escalade_planification: 'Entretien non planifié (escalade)',
  compte_rendu: 'Compte rendu à saisir',
  escalade_compte_rendu: 'Compte rendu en retard (escalade)',
  affelnet: 'Confirmation AFFELNET à faire',
  affelnet_echu: 'Échéance AFFELNET passée sans confirmation',
  creneau_libere: 'Place libérée dans un créneau',
};

/**
 * A type may carry a qualifier after a slash (`avis_origine_veille/2018-05-09`: one per interview date);
 * the label is the base type's. An unknown type still goes out, under a neutral label: its message says what.
 */
export function libelleTypeRappel(type: string): string {
  const base = type.split('/')[0];
  return Object.hasOwn(libellesRappel, base) ? libellesRappel[base] : 'Rappel';
}

interface Destinataire {
  adresse: string;
  libelle: string;
}

function destinataire(code: string, saioEmail: string): Destinataire {
  if (code === 'saio') return { adresse: saioEmail, libelle: 'le SAIO' };
  const uai = /^uai:(\w+)$/.exec(code)?.[1];
  if (uai === undefined) throw new Error(`destinataire de rappel inconnu « ${code} » (attendu : uai:<UAI> ou saio)`);
  return { adresse: boiteFonctionnelle(uai), libelle: `l'établissement ${libelleEtablissement(uai)}` };
}

export function cleDigest(jour: IsoDate, code: string): string {
  return `digest/${jour}/${code}`;
}

function lireCle(cle: string): { jour: IsoDate; code: string } {
  const m = /^digest\/(\d{4}-\d{2}-\d{2})\/(.+)$/.exec(cle);
  if (m === null) throw new Error(`clé de digest invalide « ${cle} »`);
  return { jour: m[1], code: m[2] };
}

/**
 * `<digest.<jour>.<destinataire>@passpro>`, with the characters RFC 5322 refuses in a Message-ID (the colon
 * of `uai:…`) replaced by a dash: stable per digest, so a resend is recognisable.
 */
export function messageIdDigest(jour: IsoDate, code: string): string {
  return `<digest.${jour}.${code.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '-')}@passpro>`;
}

type Rendu = ReturnType<typeof createRenderer>;
type Transaction = Prisma.TransactionClient;

/**
 * Serialises, per digest key, the assignment of reminders and the claim of a send attempt, whether or not
 * the outbox row exists yet (a row lock needs the row). Held until the transaction ends.
 */
async function verrouiller(tx: Transaction, cle: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${cle}))`;
}

/** The digest as mailed, from every reminder carrying its key: the same rows give the same mail. */
async function composer(tx: Transaction, deps: DigestDeps, render: Rendu, cle: string): Promise<{ mail: RenderedMail; rappels: number }> {
  const { jour, code } = lireCle(cle);
  const rappels = await tx.rappel.findMany({
    where: { digestCle: cle },
    include: { candidature: { select: { campagneId: true, domaine: true, domaineLibelle: true, eleve: { select: { prenom: true, nom: true } } } } },
    orderBy: [{ echeance: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
  });
  const candidatures = new Set(rappels.map((r) => r.candidatureId));
  const mail = render('digest', {
    destinataireLibelle: destinataire(code, deps.saioEmail).libelle,
    jour: libelleDate(jour),
    nombre: candidatures.size,
    pluriel: candidatures.size > 1,
    rappels: rappels.map((r) => ({
      eleve: `${r.candidature.eleve.prenom} ${r.candidature.eleve.nom}`,
      domaine: r.candidature.domaineLibelle ?? r.candidature.domaine,
      typeLibelle: libelleTypeRappel(r.type),
      message: r.message,
      echeance: r.echeance ? libelleEcheance(r.echeance) : null,
      lien: `${deps.publicUrl}/dossiers/${encodeURIComponent(r.candidatureId)}`,
    })),
    lien: deps.publicUrl,
    campagne: [...new Set(rappels.map((r) => r.candidature.campagneId))].sort().map(libelleCampagne).join(', '),
  });
  return { mail, rappels: rappels.length };
}

/** Step (a): the recipient's reminders due by `maintenant` join the day's digest, unless it is frozen. */
async function rattacher(deps: DigestDeps, render: Rendu, jour: IsoDate, code: string, maintenant: Date): Promise<void> {
  const cle = cleDigest(jour, code);
  const { adresse } = destinataire(code, deps.saioEmail);
  await deps.db.prisma.$transaction(async (tx) => {
    await verrouiller(tx, cle);
    const existant = await tx.courriel.findUnique({ where: { cle }, select: { tentatives: true } });
    if (existant !== null && existant.tentatives > 0) return;
    await tx.rappel.updateMany({
      where: { destinataire: code, digestCle: null, creeLe: { lte: maintenant } },
      data: { digestCle: cle, digestLe: maintenant },
    });
    const { mail, rappels } = await composer(tx, deps, render, cle);
    if (rappels === 0) return;
    await tx.courriel.upsert({
      where: { cle },
      create: { cle, candidatureId: null, gabarit: 'digest', destinataires: [adresse], sujet: mail.subject },
      update: { sujet: mail.subject },
    });
  });
}

/** Step (b): sends one pending digest; returns how many reminders it carried, or null if it was already sent. */
async function expedier(deps: DigestDeps, render: Rendu, cle: string): Promise<number | null> {
  const { jour, code } = lireCle(cle);
  const lot = await deps.db.prisma.$transaction(async (tx) => {
    await verrouiller(tx, cle);
    const row = await tx.courriel.findUniqueOrThrow({ where: { cle }, select: { envoyeLe: true } });
    if (row.envoyeLe !== null) return null;
    // Counted before sending: from now on the content is frozen (see the header).
    await tx.courriel.update({ where: { cle }, data: { tentatives: { increment: 1 } } });
    return composer(tx, deps, render, cle);
  });
  if (lot === null) return null;
  const messageId = messageIdDigest(jour, code);
  try {
    await deps.mailer.send({ ...lot.mail, to: [destinataire(code, deps.saioEmail).adresse], messageId });
  } catch (error) {
    await deps.db.prisma.courriel.update({ where: { cle }, data: { derniereErreur: (error as Error).message } });
    throw error;
  }
  await noterEnvoi(() => deps.db.prisma.courriel.update({ where: { cle }, data: { envoyeLe: new Date(), messageId, derniereErreur: null } }));
  return lot.rappels;
}

/**
 * Mails the day's digests: one per recipient with reminders recorded up to `maintenant`, plus any digest an
 * earlier run assigned but could not deliver (so no reminder waits forever on a failed day). One recipient's
 * failure (SMTP refusal, unknown recipient code) does not hold back the others: every recipient is tried,
 * then the activity throws, and its retry only does what is still pending.
 */
export async function sendDigests(deps: DigestDeps, jour: IsoDate, maintenant: Date): Promise<{ digests: number; rappels: number }> {
  if (!isIsoDate(jour)) throw new Error(`jour attendu au format AAAA-MM-JJ, reçu « ${jour} »`);
  const render = createRenderer();
  const aRattacher = await deps.db.prisma.rappel.findMany({
    where: { digestCle: null, creeLe: { lte: maintenant } },
    distinct: ['destinataire'],
    select: { destinataire: true },
    orderBy: { destinataire: 'asc' },
  });
  const echecs: string[] = [];
  for (const { destinataire: code } of aRattacher) {
    try {
      await rattacher(deps, render, jour, code, maintenant);
    } catch (error) {
      echecs.push(`${cleDigest(jour, code)} : ${(error as Error).message}`);
    }
  }

  const enAttente = await deps.db.prisma.courriel.findMany({
    where: { gabarit: 'digest', envoyeLe: null },
    select: { cle: true },
    orderBy: { id: 'asc' },
  });
  const bilan = { digests: 0, rappels: 0 };
  for (const { cle } of enAttente) {
    try {
      const rappels = await expedier(deps, render, cle);
      if (rappels !== null) {
        bilan.digests += 1;
        bilan.rappels += rappels;
      }
    } catch (error) {
      echecs.push(`${cle} : ${(error as Error).message}`);
    }
  }
  if (echecs.length > 0) throw new Error(`envoi impossible de ${echecs.length} digest(s) : ${echecs.join(' ; ')}`);
  return bilan;
}

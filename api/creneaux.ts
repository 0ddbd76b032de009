// A lycée's créneaux: published one at a time or as a series, pupils placed in them one by one or all at once,
// a freed place offered again. The créneaux and their places are rows of PostgreSQL — the lycée's shared state,
// read by its lists, the calendar feeds and the SAIO's statistics — and a placement is a short transaction that
// locks the créneau's row, so that concurrent placements never exceed its capacity. The candidature's workflow
// stays the authority on its own procedure: a placement reserves the place, then sends the `entretien` action
// (the convocation, its mail and its `.ics` come from the workflow as for an interview typed by hand); a refusal
// gives the place back.
import type { Express } from 'express';
import { Prisma } from '../generated/prisma/client';
import { autorisations } from '../domain/autorisations';
import { libelleDate } from '../domain/calendar';
import { campagnes } from '../domain/campaigns';
import { chevauche, CreneauRefuse, DUREE_ENTRETIEN_MINUTES, creneauxDeSerie, intervalle, verifierHoraire, type Horaire } from '../domain/creneaux';
import type { Database } from '../platform/database';
import { libelleEtablissement } from '../presentation/etablissements';
import { appelant, exigerRoles, type Appelant } from './auth';
import type { Candidatures } from './candidatures';
import { ApiError } from './errors';
import {
  annulationCreneauSchema,
  creneauIdParam,
  creneauSchema,
  creneauxQuery,
  modificationCreneauSchema,
  placementGroupeSchema,
  placementSchema,
  reglageCreneauxSchema,
  serieSchema,
  statistiquesCreneauxQuery,
} from './schemas';
import { body, parse } from './validation';

export interface CreneauxDeps {
  db: Database;
  candidatures: Candidatures;
}

type Mode = 'presentiel' | 'distanciel';

interface Lieu {
  campagneId: string;
  domaine: string;
  /** The SAIO names the lycée; the lycée's staff act for their own. */
  uai?: string;
}

export type CreneauSaisie = Lieu & Horaire & { lieu: string; mode: Mode; capacite: number };
export type SerieSaisie = Lieu & { du: string; au: string; jours: number[]; debut: string; fin: string; dureeMinutes: number; lieu: string; mode: Mode; capacite: number };
export type ModificationCreneau = Partial<Horaire & { lieu: string; mode: Mode; capacite: number }>;
/** What becomes of a cancelled créneau's pupils, and why it is cancelled (told to the families). */
export interface AnnulationCreneau {
  eleves: 'deplacer' | 'remettre_a_planifier';
  motif?: string;
}

interface LigneCreneau {
  id: bigint;
  campagneId: string;
  uai: string;
  domaine: string;
  date: string;
  heure: string;
  dureeMinutes: number;
  lieu: string;
  mode: Mode;
  capacite: number;
  annuleLe: Date | null;
}

/** A créneau as its lists show it: the places taken, the candidatures placed. */
export type CreneauVu = Omit<LigneCreneau, 'id' | 'annuleLe'> & { id: number; placesPrises: number; annule: boolean; candidatures: string[] };

/** Who may publish and place: whoever may plan an interview. */
const rolesCreneaux = autorisations.entretien.roles;

/**
 * Whether a placement holds its place: the candidature is convoked at the créneau's date and time (or held its
 * interview there), or the placement is under way (reserved, convocation not yet recorded). A withdrawn
 * candidature, one moved elsewhere, or a reservation whose convocation never came (the API stopped between the
 * two) holds nothing, whether or not its row is gone yet.
 */
const placeTenue = Prisma.sql`((k."entretienStatut" <> 'annule' AND k."entretienDate" = cr.date AND k."entretienHeure" = cr.heure)
  OR (k.etape IN ('a_planifier', 'convoquee') AND p."placeLe" > (now() AT TIME ZONE 'UTC') - interval '5 minutes'))`;

/** Namespace of the advisory locks that serialise one pupil's placements (its second key is the INE's hash). */
const VERROU_ELEVE = 1919;

const transaction = { maxWait: 60_000, timeout: 60_000 };

interface Candidature {
  id: string;
  ine: string;
  campagneId: string;
  uaiAccueil: string;
  uaiOrigine: string;
  domaine: string;
  etape: string;
}

const horaireLibelle = (h: { date: string; heure: string }) => `le ${libelleDate(h.date)} à ${h.heure}`;

const creneauExistant = () => new ApiError(409, 'creneau_existant', 'un créneau existe déjà à cette heure, en ce lieu, pour ce domaine');

/** The `entretien` action that convokes a pupil to a créneau: its time, its length, its place. */
const convocation = ({ date, heure, dureeMinutes, lieu, mode }: Horaire & { lieu: string; mode: Mode }) => ({ date, heure, dureeMinutes, lieu, mode });

function refuse(error: unknown): never {
  if (error instanceof CreneauRefuse) throw new ApiError(422, 'creneau_refuse', error.message, `body.${error.champ}`);
  throw error;
}

export function createCreneaux(deps: CreneauxDeps) {
  const { prisma } = deps.db;

  function exigerRole(acteur: Appelant): void {
    if (!rolesCreneaux.includes(acteur.role)) throw new ApiError(403, 'acces_refuse', `action réservée à : ${rolesCreneaux.join(', ')}`);
  }

  /** The lycée acted for: the caller's own, or the one the SAIO names. */
  function lyceeDe(acteur: Appelant, uai: string | undefined, champ = 'body.uai'): string {
    exigerRole(acteur);
    if (acteur.role === 'saio') {
      if (!uai) throw new ApiError(400, 'requete_invalide', `${champ} : le SAIO nomme le lycée`, champ);
      return uai;
    }
    if (uai && uai !== acteur.uai) throw new ApiError(403, 'acces_refuse', `action réservée à l'établissement ${uai}`);
    return acteur.uai!;
  }

  async function exigerOffre(uai: string, domaine: string): Promise<void> {
    const offres = await prisma.offre.count({ where: { uai, retireeLe: null, formation: { domaineCode: domaine } } });
    if (offres === 0) throw new ApiError(422, 'hors_catalogue', `le lycée ${uai} n'offre aucune formation du domaine ${domaine}`, 'body.domaine');
  }

  async function ligneCreneau(acteur: Appelant, id: string): Promise<LigneCreneau> {
    exigerRole(acteur);
    const ligne = await prisma.creneau.findUnique({ where: { id: BigInt(id) } });
    if (!ligne || (acteur.role !== 'saio' && ligne.uai !== acteur.uai)) throw new ApiError(404, 'creneau_introuvable', 'créneau introuvable');
    return ligne as LigneCreneau;
  }

  /** The créneaux with their places taken, in time order. */
  async function vus(where: Prisma.Sql): Promise<CreneauVu[]> {
    const lignes = await prisma.$queryRaw<(LigneCreneau & { candidatures: string[] | null })[]>`
      SELECT cr.id, cr."campagneId", cr.uai, cr.domaine, cr.date, cr.heure, cr."dureeMinutes", cr.lieu, cr.mode, cr.capacite, cr."annuleLe",
        array_agg(p."candidatureId" ORDER BY p."placeLe") FILTER (WHERE ${placeTenue}) AS candidatures
      FROM "Creneau" cr
      LEFT JOIN "Placement" p ON p."creneauId" = cr.id
      LEFT JOIN "Candidature" k ON k.id = p."candidatureId"
      WHERE ${where}
      GROUP BY cr.id
      ORDER BY cr.debut, cr.id`;
    return lignes.map(({ annuleLe, candidatures, id, ...l }) => ({
      ...l,
      id: Number(id),
      placesPrises: candidatures?.length ?? 0,
      annule: annuleLe !== null,
      candidatures: candidatures ?? [],
    }));
  }

  const vu = async (id: bigint) => (await vus(Prisma.sql`cr.id = ${id}`))[0];

  function lignesAPublier(acteur: Appelant, uai: string, s: Lieu & { lieu: string; mode: Mode; capacite: number }, horaires: Horaire[]) {
    return horaires.map((h) => ({
      campagneId: s.campagneId,
      uai,
      domaine: s.domaine,
      ...h,
      ...intervalle(h),
      lieu: s.lieu,
      mode: s.mode,
      capacite: s.capacite,
      creePar: acteur.nom,
    }));
  }

  /** Inserts créneaux all or none: one that exists already (same lycée, domaine, start and place) refuses them all. */
  async function inserer(lignes: ReturnType<typeof lignesAPublier>): Promise<CreneauVu[]> {
    try {
      const crees = await prisma.creneau.createManyAndReturn({ data: lignes, select: { id: true } });
      return vus(Prisma.sql`cr.id IN (${Prisma.join(crees.map((c) => c.id))})`);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw creneauExistant();
      throw error;
    }
  }

  async function publier(acteur: Appelant, s: CreneauSaisie): Promise<CreneauVu> {
    const uai = lyceeDe(acteur, s.uai);
    try {
      verifierHoraire(s, campagnes[s.campagneId], new Date());
    } catch (error) {
      refuse(error);
    }
    await exigerOffre(uai, s.domaine);
    const [cree] = await inserer(lignesAPublier(acteur, uai, s, [s]));
    return cree;
  }

  async function publierSerie(acteur: Appelant, s: SerieSaisie): Promise<CreneauVu[]> {
    const uai = lyceeDe(acteur, s.uai);
    let horaires: Horaire[] = [];
    try {
      horaires = creneauxDeSerie(s, campagnes[s.campagneId], new Date());
    } catch (error) {
      refuse(error);
    }
    await exigerOffre(uai, s.domaine);
    return inserer(lignesAPublier(acteur, uai, s, horaires));
  }

  async function lister(acteur: Appelant, q: { campagne: string; domaine?: string; uai?: string }): Promise<CreneauVu[]> {
    const uai = lyceeDe(acteur, q.uai, 'query.uai');
    const domaine = q.domaine ? Prisma.sql`AND cr.domaine = ${q.domaine}` : Prisma.empty;
    return vus(Prisma.sql`cr."campagneId" = ${q.campagne} AND cr.uai = ${uai} ${domaine}`);
  }

  async function candidatureDe(acteur: Appelant, id: string): Promise<Candidature> {
    const [k] = await prisma.$queryRaw<Candidature[]>`
      SELECT id, ine, "campagneId", "uaiAccueil", "uaiOrigine", domaine, etape FROM "Candidature" WHERE id = ${id}`;
    if (!k || (acteur.role !== 'saio' && k.uaiAccueil !== acteur.uai)) throw new ApiError(404, 'candidature_introuvable', 'candidature introuvable');
    return k;
  }

  type Reservation = { ok: true; ancien: bigint | null } | { ok: false; raison: string; complet: boolean };

  /**
   * Reserves a place: the créneau's row is locked (concurrent placements in it wait), its places held are
   * counted, then the pupil's other interviews — in créneaux, or typed by hand (as long as the candidature
   * books them) — are read under a lock of the pupil's own (two lycées placing them at once wait for each
   * other) and one that overlaps, travel included, refuses the place.
   */
  async function reserver(k: Candidature, creneau: LigneCreneau): Promise<Reservation> {
    return prisma.$transaction(async (tx) => {
      const [verrouille] = await tx.$queryRaw<{ capacite: number; annuleLe: Date | null }[]>`
        SELECT capacite, "annuleLe" FROM "Creneau" WHERE id = ${creneau.id} FOR UPDATE`;
      if (!verrouille || verrouille.annuleLe) return { ok: false, raison: 'ce créneau est annulé', complet: true };
      const [{ prises }] = await tx.$queryRaw<{ prises: number }[]>`
        SELECT count(*)::int AS prises FROM "Placement" p
        JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
        WHERE p."creneauId" = ${creneau.id} AND p."candidatureId" <> ${k.id} AND ${placeTenue}`;
      if (prises >= verrouille.capacite) return { ok: false, raison: 'ce créneau est complet', complet: true };
      const raison = await conflit(tx, k, creneau);
      if (raison) return { ok: false, raison, complet: false };
      const [ancien] = await tx.$queryRaw<{ creneauId: bigint }[]>`SELECT "creneauId" FROM "Placement" WHERE "candidatureId" = ${k.id}`;
      await tx.$executeRaw`
        INSERT INTO "Placement" ("candidatureId", "creneauId", "placeLe") VALUES (${k.id}, ${creneau.id}, now() AT TIME ZONE 'UTC')
        ON CONFLICT ("candidatureId") DO UPDATE SET "creneauId" = EXCLUDED."creneauId", "placeLe" = EXCLUDED."placeLe"`;
      return { ok: true, ancien: ancien && ancien.creneauId !== creneau.id ? ancien.creneauId : null };
    }, transaction);
  }

  /**
   * Why the pupil may not be at an interview at `horaire`, or null: another of their interviews overlaps it,
   * travel included. Takes the pupil's lock until the transaction ends.
   */
  async function conflit(tx: Prisma.TransactionClient, k: Pick<Candidature, 'id' | 'ine' | 'campagneId'>, horaire: Horaire): Promise<string | null> {
    const marge = campagnes[k.campagneId].delais.margeDeplacementMinutes;
    await tx.$queryRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(${VERROU_ELEVE}::int, hashtext(${k.ine}))) AS verrou`;
    const autres = await tx.$queryRaw<(Horaire & { uai: string; domaineLibelle: string | null; domaine: string })[]>`
        SELECT cr.date, cr.heure, cr."dureeMinutes", cr.uai, k.domaine, k."domaineLibelle" FROM "Placement" p
        JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
        WHERE k.ine = ${k.ine} AND k."campagneId" = ${k.campagneId} AND p."candidatureId" <> ${k.id} AND ${placeTenue}
        UNION ALL
        SELECT k."entretienDate", k."entretienHeure", COALESCE((k.etat -> 'entretien' ->> 'dureeMinutes')::int, ${DUREE_ENTRETIEN_MINUTES}::int), k."uaiAccueil", k.domaine, k."domaineLibelle" FROM "Candidature" k
        WHERE k.ine = ${k.ine} AND k."campagneId" = ${k.campagneId} AND k.id <> ${k.id} AND k."entretienStatut" = 'planifie'
          AND NOT EXISTS (SELECT 1 FROM "Placement" p JOIN "Creneau" cr ON cr.id = p."creneauId"
            WHERE p."candidatureId" = k.id AND cr.date = k."entretienDate" AND cr.heure = k."entretienHeure")`;
    const autre = autres.find((a) => chevauche(intervalle(a), intervalle(horaire), marge));
    return autre
      ? `l'élève a déjà un entretien ${horaireLibelle(autre)} (${autre.dureeMinutes} min) au ${libelleEtablissement(autre.uai)}, ` +
          `domaine ${autre.domaineLibelle ?? autre.domaine} : il chevauche ce créneau, ${marge} min de trajet comprises`
      : null;
  }

  /** The convocation for the créneau, by the candidature's workflow; refused, the place is given back. */
  async function convoquer(acteur: Appelant, k: Candidature, creneau: LigneCreneau, ancien: bigint | null): Promise<void> {
    try {
      await deps.candidatures.agir(acteur, k.id, 'entretien', convocation(creneau));
    } catch (error) {
      await prisma.$executeRaw`DELETE FROM "Placement" WHERE "candidatureId" = ${k.id} AND "creneauId" = ${creneau.id}`;
      if (ancien !== null) {
        const [precedent] = await prisma.$queryRaw<LigneCreneau[]>`SELECT * FROM "Creneau" WHERE id = ${ancien}`;
        if (precedent) await reserver(k, precedent);
      }
      throw error;
    }
    if (ancien !== null) await offrir(ancien);
  }

  function exigerPlacable(k: Candidature, creneau: LigneCreneau): void {
    if (k.uaiAccueil !== creneau.uai || k.domaine !== creneau.domaine || k.campagneId !== creneau.campagneId) {
      throw new ApiError(422, 'creneau_refuse', "ce créneau n'est pas celui du lycée et du domaine de la candidature", 'body.candidatureId');
    }
    if (k.etape !== 'a_planifier' && k.etape !== 'convoquee') {
      throw new ApiError(409, 'action_refusee', `action impossible à l'étape ${k.etape} (attendu : a_planifier ou convoquee)`);
    }
  }

  /** Places one candidature in a créneau (or moves it there): its convocation leaves. */
  async function placer(acteur: Appelant, creneauId: string, candidatureId: string): Promise<CreneauVu> {
    const creneau = await ligneCreneau(acteur, creneauId);
    const k = await candidatureDe(acteur, candidatureId);
    exigerPlacable(k, creneau);
    const reservation = await reserver(k, creneau);
    if (!reservation.ok) throw new ApiError(409, reservation.complet ? 'creneau_complet' : 'chevauchement', reservation.raison);
    await convoquer(acteur, k, creneau, reservation.ancien);
    return vu(creneau.id);
  }

  /** The candidatures of a lycée and domaine waiting for an interview without a place, earliest inscription first. */
  async function enAttente(campagneId: string, uai: string, domaine: string): Promise<Candidature[]> {
    return prisma.$queryRaw<Candidature[]>`
      SELECT k.id, k.ine, k."campagneId", k."uaiAccueil", k."uaiOrigine", k.domaine, k.etape FROM "Candidature" k
      WHERE k."campagneId" = ${campagneId} AND k."uaiAccueil" = ${uai} AND k.domaine = ${domaine} AND k.etape = 'a_planifier'
        AND NOT EXISTS (SELECT 1 FROM "Placement" p JOIN "Creneau" cr ON cr.id = p."creneauId" WHERE p."candidatureId" = k.id AND ${placeTenue})
      ORDER BY k."inscritLe" NULLS LAST, k.id`;
  }

  /** The créneaux of a lycée and domaine still to come with free places, in time order. */
  async function libres(campagneId: string, uai: string, domaine: string): Promise<(LigneCreneau & { libres: number })[]> {
    return prisma.$queryRaw<(LigneCreneau & { libres: number })[]>`
      SELECT cr.id, cr."campagneId", cr.uai, cr.domaine, cr.date, cr.heure, cr."dureeMinutes", cr.lieu, cr.mode, cr.capacite, cr."annuleLe",
        (cr.capacite - count(p."candidatureId") FILTER (WHERE ${placeTenue}))::int AS libres
      FROM "Creneau" cr
      LEFT JOIN "Placement" p ON p."creneauId" = cr.id
      LEFT JOIN "Candidature" k ON k.id = p."candidatureId"
      WHERE cr."campagneId" = ${campagneId} AND cr.uai = ${uai} AND cr.domaine = ${domaine} AND cr."annuleLe" IS NULL
        AND cr.debut > now() AT TIME ZONE 'UTC'
      GROUP BY cr.id
      HAVING cr.capacite > count(p."candidatureId") FILTER (WHERE ${placeTenue})
      ORDER BY cr.debut, cr.id`;
  }

  /**
   * Places a candidature in the first of these créneaux that takes it (free, no clash), and convokes it;
   * the reason it waits otherwise. A créneau found full is dropped from the list.
   */
  async function placerDansLePremier(acteur: Appelant, k: Candidature, creneaux: (LigneCreneau & { libres: number })[]): Promise<{ creneauId: bigint } | { raison: string }> {
    let raison = 'aucun créneau libre';
    for (const creneau of [...creneaux]) {
      const reservation = await reserver(k, creneau);
      if (!reservation.ok) {
        if (reservation.complet) creneaux.splice(creneaux.indexOf(creneau), 1);
        else raison = reservation.raison;
        continue;
      }
      try {
        await convoquer(acteur, k, creneau, reservation.ancien);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return { raison: error.message };
      }
      creneau.libres -= 1;
      if (creneau.libres <= 0) creneaux.splice(creneaux.indexOf(creneau), 1);
      return { creneauId: creneau.id };
    }
    return { raison };
  }

  /** Places every waiting candidature of a lycée and domaine, earliest inscription first, in the earliest free créneaux. */
  async function placerTous(acteur: Appelant, s: Lieu) {
    const uai = lyceeDe(acteur, s.uai);
    const [attente, creneaux] = await Promise.all([enAttente(s.campagneId, uai, s.domaine), libres(s.campagneId, uai, s.domaine)]);
    const placees: { candidatureId: string; creneauId: number }[] = [];
    const restantes: { candidatureId: string; raison: string }[] = [];
    for (const k of attente) {
      const issue = creneaux.length > 0 ? await placerDansLePremier(acteur, k, creneaux) : { raison: 'aucun créneau libre' };
      if ('creneauId' in issue) placees.push({ candidatureId: k.id, creneauId: Number(issue.creneauId) });
      else restantes.push({ candidatureId: k.id, raison: issue.raison });
    }
    return { placees, enAttente: restantes };
  }

  /**
   * A place freed (désistement, move): the next candidature waiting for that lycée and domaine is placed there
   * if the lycée chose so, as the lycée; otherwise the lycée reads it in its next digest.
   */
  async function offrir(creneauId: bigint, liberePar?: string): Promise<void> {
    const [creneau] = await libresParId(creneauId);
    if (!creneau) return;
    // A candidature whose interview was cancelled waits again, but not for the place it has just given up.
    const attente = (await enAttente(creneau.campagneId, creneau.uai, creneau.domaine)).filter((k) => k.id !== liberePar);
    if (attente.length === 0) return;
    const reglage = await prisma.reglageCreneaux.findUnique({ where: { uai: creneau.uai } });
    if (reglage?.placementAutomatique) {
      const lycee: Appelant = { role: 'accueil_personnel', uai: creneau.uai, nom: `Placement automatique (choisi par ${reglage.modifiePar})` };
      // Emptied once the place is found taken after all.
      const offert = [creneau];
      for (const k of attente) {
        if (offert.length === 0 || 'creneauId' in (await placerDansLePremier(lycee, k, offert))) return;
      }
      return;
    }
    const [suivante] = attente;
    const quand = horaireLibelle(creneau);
    await prisma.rappel.create({
      data: {
        cle: `${suivante.id}/creneau_libere/${creneau.id}/${Date.now()}`,
        candidatureId: suivante.id,
        type: 'creneau_libere',
        destinataire: `uai:${creneau.uai}`,
        echeance: intervalle(creneau).debut,
        message: `Une place s'est libérée ${quand} (${creneau.lieu}) : cette candidature est la suivante en attente.`,
        creeLe: new Date(),
      },
    });
  }

  const libresParId = (id: bigint) =>
    prisma.$queryRaw<(LigneCreneau & { libres: number })[]>`
      SELECT cr.id, cr."campagneId", cr.uai, cr.domaine, cr.date, cr.heure, cr."dureeMinutes", cr.lieu, cr.mode, cr.capacite, cr."annuleLe", 1 AS libres
      FROM "Creneau" cr WHERE cr.id = ${id} AND cr."annuleLe" IS NULL AND cr.debut > now() AT TIME ZONE 'UTC'`;

  /** After a désistement or a cancelled interview: the candidature's place is given back and offered to the next one waiting. */
  async function liberer(candidatureId: string): Promise<void> {
    const liberes = await prisma.$queryRaw<{ creneauId: bigint }[]>`DELETE FROM "Placement" WHERE "candidatureId" = ${candidatureId} RETURNING "creneauId"`;
    for (const { creneauId } of liberes) await offrir(creneauId, candidatureId);
  }

  /**
   * Changes a créneau: its pupils are convoked again (a new convocation, the `.ics` with a higher SEQUENCE).
   * Its capacity may not fall below the places taken.
   */
  async function modifier(acteur: Appelant, id: string, m: ModificationCreneau) {
    const avant = await ligneCreneau(acteur, id);
    if (avant.annuleLe) throw new ApiError(409, 'creneau_annule', 'ce créneau est annulé');
    const apres = { ...avant, ...m };
    const horaireChange = m.date !== undefined || m.heure !== undefined || m.dureeMinutes !== undefined;
    if (horaireChange) {
      try {
        verifierHoraire(apres, campagnes[avant.campagneId], new Date());
      } catch (error) {
        refuse(error);
      }
    }
    // Under the créneau's lock, as a placement: the places taken cannot change meanwhile.
    const candidatures = await prisma
      .$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM "Creneau" WHERE id = ${avant.id} FOR UPDATE`;
        const placees = await tx.$queryRaw<Pick<Candidature, 'id' | 'ine' | 'campagneId'>[]>`
          SELECT k.id, k.ine, k."campagneId" FROM "Placement" p
          JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
          WHERE p."creneauId" = ${avant.id} AND ${placeTenue} ORDER BY p."placeLe"`;
        if (apres.capacite < placees.length) {
          throw new ApiError(409, 'creneau_complet', `${placees.length} élèves y sont placés : la capacité ne peut descendre en dessous`, 'body.capacite');
        }
        for (const k of horaireChange ? placees : []) {
          const raison = await conflit(tx, k, apres);
          if (raison) throw new ApiError(409, 'chevauchement', `à ce nouvel horaire, ${raison}`);
        }
        await tx.creneau.update({ where: { id: avant.id }, data: { ...m, ...(horaireChange ? intervalle(apres) : {}) } });
        // The places stay held while the pupils are convoked at the new time.
        await tx.placement.updateMany({ where: { creneauId: avant.id, candidatureId: { in: placees.map((k) => k.id) } }, data: { placeLe: new Date() } });
        return placees.map((k) => k.id);
      }, transaction)
      .catch((error: unknown) => {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw creneauExistant();
        throw error;
      });
    const refus: { candidatureId: string; raison: string }[] = [];
    const convocationChange = horaireChange || m.lieu !== undefined || m.mode !== undefined;
    for (const candidatureId of convocationChange ? candidatures : []) {
      try {
        await deps.candidatures.agir(acteur, candidatureId, 'entretien', convocation(apres));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        refus.push({ candidatureId, raison: error.message });
      }
    }
    return { creneau: await vu(avant.id), reconvoquees: candidatures.filter((c) => convocationChange && !refus.some((r) => r.candidatureId === c)), refus };
  }

  /**
   * Cancels a créneau. Its pupils are moved to the créneaux of the lycée and domaine still free (`deplacer`: a
   * new convocation each), or returned to planification (their interview cancelled with its notice and its
   * `.ics` CANCEL); a pupil no other créneau takes is returned to planification too. Cancelled first, under its
   * lock, so that nobody is placed in it meanwhile.
   */
  async function annuler(acteur: Appelant, id: string, choix: AnnulationCreneau = { eleves: 'remettre_a_planifier' }) {
    const creneau = await ligneCreneau(acteur, id);
    const candidatures = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Creneau" WHERE id = ${creneau.id} FOR UPDATE`;
      await tx.creneau.update({ where: { id: creneau.id }, data: { annuleLe: creneau.annuleLe ?? new Date() } });
      return tx.$queryRaw<Candidature[]>`
        SELECT k.id, k.ine, k."campagneId", k."uaiAccueil", k."uaiOrigine", k.domaine, k.etape FROM "Placement" p
        JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
        WHERE p."creneauId" = ${creneau.id} AND ${placeTenue} ORDER BY p."placeLe"`;
    }, transaction);
    const deplacees: { candidatureId: string; creneauId: number }[] = [];
    const aPlanifier: { candidatureId: string; raison?: string }[] = [];
    const deplacer = choix.eleves === 'deplacer';
    const autres = deplacer ? await libres(creneau.campagneId, creneau.uai, creneau.domaine) : [];
    const motif = `créneau du ${libelleDate(creneau.date)} à ${creneau.heure} annulé${choix.motif ? ` : ${choix.motif}` : ''}`;
    for (const k of candidatures) {
      const issue = deplacer && autres.length > 0 ? await placerDansLePremier(acteur, k, autres) : deplacer ? { raison: 'aucun créneau libre' } : null;
      if (issue && 'creneauId' in issue) {
        deplacees.push({ candidatureId: k.id, creneauId: Number(issue.creneauId) });
        continue;
      }
      try {
        await deps.candidatures.agir(acteur, k.id, 'annulation-entretien', { motif });
        aPlanifier.push({ candidatureId: k.id, ...(issue ? { raison: issue.raison } : {}) });
      } catch (error) {
        // Its interview is no longer the créneau's (held, withdrawn meanwhile): nothing to cancel.
        if (!(error instanceof ApiError)) throw error;
      }
    }
    return { creneau: await vu(creneau.id), deplacees, aPlanifier };
  }

  async function regler(acteur: Appelant, s: { placementAutomatique: boolean; uai?: string }) {
    const uai = lyceeDe(acteur, s.uai);
    const reglage = await prisma.reglageCreneaux.upsert({
      where: { uai },
      create: { uai, placementAutomatique: s.placementAutomatique, modifiePar: acteur.nom },
      update: { placementAutomatique: s.placementAutomatique, modifiePar: acteur.nom },
    });
    return { uai, placementAutomatique: reglage.placementAutomatique };
  }

  /**
   * For the SAIO: per lycée and domaine, the créneaux and places offered and taken, and the candidatures waiting
   * without one: those to plan, counted from an index alone, less those holding a place, reached from the
   * placements (a campaign has far fewer of these than candidatures).
   */
  async function statistiques(campagne: string) {
    const lignes = await prisma.$queryRaw<{ uai: string; domaine: string; domaineLibelle: string; creneaux: number; places: number; placesPrises: number; candidaturesEnAttente: number }[]>`
      WITH offre AS (
        SELECT cr.uai, cr.domaine, count(DISTINCT cr.id)::int AS creneaux, sum(cr.capacite)::int AS places
        FROM "Creneau" cr WHERE cr."campagneId" = ${campagne} AND cr."annuleLe" IS NULL GROUP BY cr.uai, cr.domaine
      ), prises AS (
        SELECT cr.uai, cr.domaine, count(*)::int AS prises FROM "Placement" p
        JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
        WHERE cr."campagneId" = ${campagne} AND cr."annuleLe" IS NULL AND ${placeTenue} GROUP BY cr.uai, cr.domaine
      ), a_planifier AS (
        SELECT k."uaiAccueil" AS uai, k.domaine, count(*)::int AS n FROM "Candidature" k
        WHERE k."campagneId" = ${campagne} AND k.etape = 'a_planifier' GROUP BY k."uaiAccueil", k.domaine
      ), placees AS (
        SELECT k."uaiAccueil" AS uai, k.domaine, count(DISTINCT k.id)::int AS n FROM "Placement" p
        JOIN "Creneau" cr ON cr.id = p."creneauId" JOIN "Candidature" k ON k.id = p."candidatureId"
        WHERE k."campagneId" = ${campagne} AND k.etape = 'a_planifier' AND ${placeTenue} GROUP BY k."uaiAccueil", k.domaine
      ), attente AS (
        SELECT uai, domaine, a.n - coalesce(pl.n, 0) AS attente FROM a_planifier a LEFT JOIN placees pl USING (uai, domaine)
        WHERE a.n > coalesce(pl.n, 0)
      )
      SELECT uai, domaine, coalesce(d.libelle, domaine) AS "domaineLibelle", coalesce(o.creneaux, 0) AS creneaux, coalesce(o.places, 0) AS places,
        coalesce(pr.prises, 0) AS "placesPrises", coalesce(a.attente, 0) AS "candidaturesEnAttente"
      FROM offre o FULL JOIN prises pr USING (uai, domaine) FULL JOIN attente a USING (uai, domaine) LEFT JOIN "Domaine" d ON d.code = domaine
      ORDER BY uai, domaine`;
    return { lycees: lignes };
  }

  return { publier, publierSerie, lister, placer, placerTous, liberer, modifier, annuler, regler, statistiques };
}

export type Creneaux = ReturnType<typeof createCreneaux>;

/** The JSON routes; the lycée's pages call the same functions. */
export function routesCreneaux(app: Express, creneaux: Creneaux): void {
  const id = (params: Record<string, unknown>) => parse(creneauIdParam, params.id, 'params.id');
  app.get('/creneaux', async (req, res) => {
    res.json({ creneaux: await creneaux.lister(appelant(req), parse(creneauxQuery, req.query, 'query')) });
  });
  app.get('/creneaux/statistiques', exigerRoles(['saio']), async (req, res) => {
    const { campagne } = parse(statistiquesCreneauxQuery, req.query, 'query');
    res.json(await creneaux.statistiques(campagne));
  });
  app.post('/creneaux', exigerRoles(rolesCreneaux), body(creneauSchema), async (req, res) => {
    res.status(201).json(await creneaux.publier(appelant(req), req.body as CreneauSaisie));
  });
  app.post('/creneaux/series', exigerRoles(rolesCreneaux), body(serieSchema), async (req, res) => {
    res.status(201).json({ creneaux: await creneaux.publierSerie(appelant(req), req.body as SerieSaisie) });
  });
  app.post('/creneaux/placements', exigerRoles(rolesCreneaux), body(placementGroupeSchema), async (req, res) => {
    res.json(await creneaux.placerTous(appelant(req), req.body as Lieu));
  });
  app.put('/creneaux/reglage', exigerRoles(rolesCreneaux), body(reglageCreneauxSchema), async (req, res) => {
    res.json(await creneaux.regler(appelant(req), req.body as { placementAutomatique: boolean; uai?: string }));
  });
  app.patch('/creneaux/:id', exigerRoles(rolesCreneaux), body(modificationCreneauSchema), async (req, res) => {
    res.json(await creneaux.modifier(appelant(req), id(req.params), req.body as ModificationCreneau));
  });
  app.post('/creneaux/:id/annulation', exigerRoles(rolesCreneaux), body(annulationCreneauSchema), async (req, res) => {
    res.json(await creneaux.annuler(appelant(req), id(req.params), req.body as AnnulationCreneau));
  });
  app.post('/creneaux/:id/placements', exigerRoles(rolesCreneaux), body(placementSchema), async (req, res) => {
    res.json(await creneaux.placer(appelant(req), id(req.params), (req.body as { candidatureId: string }).candidatureId));
  });
}

// Each school's interviews as a calendar feed that its staff subscribe to (`/calendriers/<jeton>.ics`): the
// lycée's interviews it holds, the collège's its pupils go to. The URL's secret token is the only key (a
// calendar client sends no sign-in); only its SHA-256 is kept, and asking for a new one revokes the old. The
// feed names pupils by initials: a subscribed calendar is shared more easily than a signed-in page.
import { createHash, randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { parisInstant } from '../domain/calendar';
import { DUREE_ENTRETIEN_MINUTES } from '../domain/creneaux';
import type { PrismaClient } from '../platform/database';
import { libelleEtablissement } from '../presentation/etablissements';
import { calendrierFlux } from '../presentation/ics';
import { appelant, exigerRoles } from './auth';
import { ApiError } from './errors';

const empreinte = (jeton: string) => createHash('sha256').update(jeton).digest('hex');

interface Entretien {
  id: string;
  domaineLibelle: string | null;
  domaine: string;
  uaiAccueil: string;
  entretienDate: string;
  entretienHeure: string;
  entretienLieu: string;
  sequence: number | null;
  dureeMinutes: number;
  nom: string;
  prenom: string;
  updatedAt: Date;
}

const initiales = (prenom: string, nom: string) => `${prenom.charAt(0)}. ${nom.charAt(0)}.`;

/** The school's interviews planned or held, as long as the candidature books them (its créneau's length when in one). */
async function entretiensDe(prisma: PrismaClient, uai: string): Promise<Entretien[]> {
  return prisma.$queryRaw<Entretien[]>`
    SELECT k.id, k."domaineLibelle", k.domaine, k."uaiAccueil", k."entretienDate", k."entretienHeure", k."entretienLieu",
      (k.etat -> 'entretien' ->> 'sequence')::int AS sequence, COALESCE((k.etat -> 'entretien' ->> 'dureeMinutes')::int, ${DUREE_ENTRETIEN_MINUTES}::int) AS "dureeMinutes",
      e.nom, e.prenom, k."updatedAt"
    FROM "Candidature" k
    JOIN "Eleve" e ON e.ine = k.ine
    WHERE (k."uaiAccueil" = ${uai} OR k."uaiOrigine" = ${uai}) AND k."entretienStatut" IN ('planifie', 'tenu', 'absent')
    ORDER BY k."entretienDate", k."entretienHeure", k.id`;
}

export function routesCalendriers(app: Express, deps: { prisma: PrismaClient }): void {
  /** A new subscription URL for the caller's school; the previous one answers 404 from now on. */
  app.post('/calendriers/abonnement', exigerRoles(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef']), async (req, res) => {
    const { uai } = appelant(req);
    const jeton = randomBytes(32).toString('base64url');
    await deps.prisma.calendrierEcole.upsert({ where: { uai: uai! }, create: { uai: uai!, jetonHash: empreinte(jeton) }, update: { jetonHash: empreinte(jeton), createdAt: new Date() } });
    res.status(201).json({ url: `${req.protocol}://${req.get('host')}/calendriers/${jeton}.ics` });
  });

  app.get('/calendriers/:fichier', async (req, res) => {
    const jeton = /^([A-Za-z0-9_-]{43})\.ics$/.exec(req.params.fichier)?.[1];
    const ecole = jeton ? await deps.prisma.calendrierEcole.findUnique({ where: { jetonHash: empreinte(jeton) } }) : null;
    if (!ecole) throw new ApiError(404, 'calendrier_introuvable', 'calendrier inconnu (adresse révoquée ou erronée)');
    const evenements = (await entretiensDe(deps.prisma, ecole.uai)).map((e) => ({
      uid: `${e.id}@passpro`,
      sequence: e.sequence ?? 1,
      debut: parisInstant(e.entretienDate, e.entretienHeure),
      dureeMinutes: e.dureeMinutes,
      lieu: e.entretienLieu,
      resume: `Entretien Passpro — ${e.domaineLibelle ?? e.domaine} — ${initiales(e.prenom, e.nom)}`,
      description: `Entretien d'information Passpro (${e.domaineLibelle ?? e.domaine}) : ${libelleEtablissement(e.uaiAccueil)}.`,
      horodatage: e.updatedAt,
    }));
    res.set('cache-control', 'private, max-age=300').type('text/calendar; charset=utf-8').send(calendrierFlux(`Passpro — ${libelleEtablissement(ecole.uai)}`, evenements));
  });
}

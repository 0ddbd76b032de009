// The catalogue as the API enforces it: the database's offers (tables Offre, Formation, Domaine,
// Etablissement), loaded from domain/catalogue/catalogue.json at the API's first start and edited by the SAIO
// through `POST` and `DELETE /catalogue/offres`. An académie's catalogue is the open offers at its lycées; a
// vœu is a formation of the domaine, offered by the candidature's lycée with its modality, in the campaign's
// académie, and a collège of another académie may apply only to an inter-académie offer.
import type { Express } from 'express';
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';
import { academieOfUai, departementOfUai, departementsDe, NOMS_ACADEMIES, type Academie } from '../domain/identifiers';
import { campagnes } from '../domain/campaigns';
import type { PrismaClient } from '../platform/database';
import type { CandidatureState, Modalite } from '../domain/candidature';
import { appelant, exigerRoles } from './auth';
import { ApiError } from './errors';
import type { Inscription } from './inscription';
import { offreDemandeSchema, offreParams, offresQuery, type offreSchema } from './schemas';
import { body, parse } from './validation';

export type OffreDemande = z.infer<typeof offreDemandeSchema>;
type Offre = z.infer<typeof offreSchema>;

const avecFormationEtLycee = {
  formation: { select: { code: true, mnemonique: true, libelle: true, domaine: { select: { code: true, libelle: true } } } },
  etablissement: { select: { nom: true, commune: true } },
} satisfies Prisma.OffreInclude;

type LigneOffre = Prisma.OffreGetPayload<{ include: typeof avecFormationEtLycee }>;

function offre(o: LigneOffre): Offre {
  return {
    formation: o.formation,
    uai: o.uai,
    etablissement: o.etablissement,
    modalite: o.modalite,
    interAcademique: o.interAcademique,
    retireeLe: o.retireeLe?.toISOString() ?? null,
    modifieePar: o.modifieePar,
  };
}

/** The lycées of an académie, as a filter on a UAI column. */
const dansAcademie = (academie: Academie) => ({ OR: departementsDe(academie).map((d) => ({ uai: { startsWith: d } })) });

const academieDite = (academie: Academie) => `l'académie de ${NOMS_ACADEMIES[academie]} (départements ${departementsDe(academie).join(', ')})`;

/** The open offers of an académie: all of them, or those of one domaine and of the given formation codes. */
export async function offresOuvertes(prisma: PrismaClient, academie: Academie, filtre?: { domaine: string; codes: string[] }): Promise<LigneOffre[]> {
  const where: Prisma.OffreWhereInput = { retireeLe: null, ...dansAcademie(academie) };
  if (filtre) where.AND = { OR: [{ formation: { domaineCode: filtre.domaine } }, { formationCode: { in: filtre.codes } }] };
  return prisma.offre.findMany({ where, include: avecFormationEtLycee, orderBy: [{ formationCode: 'asc' }, { uai: 'asc' }] });
}

/** What is asked of the catalogue, and the body field each refusal names (`body.…`). */
export interface DemandeVoeux {
  academie: Academie;
  domaine: string;
  modalite: Modalite;
  uaiAccueil: string;
  uaiOrigine: string;
  voeux: { codeFormation: string; champ: string }[];
  /** Fields of the body that carry the domaine, modality and schools; absent, a refusal names the vœu. */
  champs?: { domaine: string; modalite: string; uaiAccueil: string; uaiOrigine: string };
}

const horsCatalogue = (message: string, champ: string) => new ApiError(422, 'hors_catalogue', message, champ);
const formationDite = (o: LigneOffre) => `${o.formation.code} (${o.formation.libelle})`;
const lyceeDit = (o: LigneOffre) => `${o.uai} (${o.etablissement.nom})`;
const uniques = (valeurs: string[]) => [...new Set(valeurs)];

/** Every refusal of these vœux by the catalogue (none: all offered), each naming its field and what is offered. */
export async function verifierVoeux(prisma: PrismaClient, offres: LigneOffre[], d: DemandeVoeux): Promise<ApiError[]> {
  const champ = (cle: keyof NonNullable<DemandeVoeux['champs']>) => d.champs?.[cle] ?? d.voeux[0].champ;
  if (academieOfUai(d.uaiAccueil) !== d.academie) {
    return [horsCatalogue(`le lycée ${d.uaiAccueil} n'est pas de ${academieDite(d.academie)}, celle de la campagne`, champ('uaiAccueil'))];
  }
  const duDomaine = offres.filter((o) => o.formation.domaine.code === d.domaine);
  if (duDomaine.length === 0) {
    const domaines = await prisma.domaine.findMany({
      where: { formations: { some: { offres: { some: { retireeLe: null, ...dansAcademie(d.academie) } } } } },
      select: { code: true },
      orderBy: { code: 'asc' },
    });
    const liste = domaines.map((x) => x.code).join(', ');
    return [horsCatalogue(`le domaine « ${d.domaine} » n'est pas au catalogue de ${academieDite(d.academie)} ; domaines offerts : ${liste}`, champ('domaine'))];
  }
  const auLycee = duDomaine.filter((o) => o.uai === d.uaiAccueil);
  if (auLycee.length === 0) {
    const lycees = uniques(duDomaine.map(lyceeDit)).join(', ');
    return [horsCatalogue(`le lycée ${d.uaiAccueil} n'offre aucune formation du domaine ${d.domaine} ; lycées qui en offrent : ${lycees}`, champ('uaiAccueil'))];
  }
  const formationsDuLycee = `formations du domaine ${d.domaine} au lycée ${d.uaiAccueil} : ${uniques(auLycee.map(formationDite)).join(', ')}`;
  const refus: ApiError[] = [];
  for (const voeu of d.voeux) {
    const ici = auLycee.find((o) => o.formationCode === voeu.codeFormation);
    if (!ici) {
      const ailleurs = offres.filter((o) => o.formationCode === voeu.codeFormation);
      const autreDomaine = ailleurs.find((o) => o.formation.domaine.code !== d.domaine);
      const message =
        ailleurs.length === 0
          ? `la formation ${voeu.codeFormation} n'est pas au catalogue de ${academieDite(d.academie)} ; ${formationsDuLycee}`
          : autreDomaine
            ? `la formation ${formationDite(autreDomaine)} est du domaine ${autreDomaine.formation.domaine.code}, non du domaine ${d.domaine} ; ${formationsDuLycee}`
            : `la formation ${formationDite(ailleurs[0])} n'est pas offerte par le lycée ${d.uaiAccueil} ; elle l'est par : ${uniques(ailleurs.map(lyceeDit)).join(', ')}`;
      refus.push(horsCatalogue(message, voeu.champ));
    } else if (ici.modalite !== d.modalite) {
      refus.push(horsCatalogue(`au lycée ${d.uaiAccueil}, la formation ${formationDite(ici)} est en modalité « ${ici.modalite} », non « ${d.modalite} »`, d.champs?.modalite ?? voeu.champ));
    } else if (academieOfUai(d.uaiOrigine) !== d.academie && !ici.interAcademique) {
      const message = `le collège ${d.uaiOrigine} n'est pas de ${academieDite(d.academie)} : la formation ${formationDite(ici)} au lycée ${d.uaiAccueil} n'est pas ouverte aux autres académies`;
      refus.push(horsCatalogue(message, d.champs?.uaiOrigine ?? voeu.champ));
    }
  }
  return refus;
}

/** The vœux of an inscription body (`POST /candidatures`, a line of a class list), with the fields of the body each names. */
export function demandeDInscription(inscription: Inscription): DemandeVoeux {
  return {
    academie: campagnes[inscription.campagneId].academie,
    domaine: inscription.domaine.code,
    modalite: inscription.modalite,
    uaiAccueil: inscription.uaiAccueil,
    uaiOrigine: inscription.eleve.uaiOrigine,
    voeux: inscription.voeux.map((v, i) => ({ codeFormation: v.codeFormation, champ: `body.voeux.${i}.codeFormation` })),
    champs: { domaine: 'body.domaine.code', modalite: 'body.modalite', uaiAccueil: 'body.uaiAccueil', uaiOrigine: 'body.eleve.uaiOrigine' },
  };
}

/** An inscription's vœux: the first refusal is the answer. */
export async function verifierInscriptionAuCatalogue(prisma: PrismaClient, inscription: Inscription): Promise<void> {
  const demande = demandeDInscription(inscription);
  const offres = await offresOuvertes(prisma, demande.academie, { domaine: demande.domaine, codes: demande.voeux.map((v) => v.codeFormation) });
  const [refus] = await verifierVoeux(prisma, offres, demande);
  if (refus) throw refus;
}

/**
 * Vœux added to a candidature (`inscription`, or at the interview in `compte-rendu`): those it does not hold yet
 * must be offered in its domaine by its lycée with its modality. Its lycée gives the académie: it was checked
 * to be the campaign's at inscription.
 */
export async function verifierVoeuxAjoutes(prisma: PrismaClient, etat: CandidatureState, voeux: { codeFormation: string; champ: string }[]): Promise<void> {
  const presents = new Set(etat.voeux.map((v) => v.codeFormation));
  const nouveaux = voeux.filter((v) => !presents.has(v.codeFormation));
  const academie = academieOfUai(etat.uaiAccueil);
  if (nouveaux.length === 0 || !academie) return;
  const offres = await offresOuvertes(prisma, academie, { domaine: etat.domaine.code, codes: nouveaux.map((v) => v.codeFormation) });
  const demande = { academie, domaine: etat.domaine.code, modalite: etat.modalite, uaiAccueil: etat.uaiAccueil, uaiOrigine: etat.eleve.uaiOrigine, voeux: nouveaux };
  const [refus] = await verifierVoeux(prisma, offres, demande);
  if (refus) throw refus;
}

const saisieRefusee = (message: string, champ: string) => new ApiError(422, 'saisie_refusee', message, champ);

/**
 * Opens an offer (the SAIO's `POST /catalogue/offres`, and the tests' fixtures): creates the domaine, the
 * formation and the lycée if they are new (a known one keeps its name), then the offer, or changes it and
 * reopens it if it was withdrawn. `creee`: there was no such offer.
 */
export async function ouvrirOffre(prisma: PrismaClient, demande: OffreDemande, par: string): Promise<{ offre: Offre; creee: boolean }> {
  const { uai, modalite, interAcademique = false, domaine, formation, etablissement } = demande;
  if (!academieOfUai(uai)) throw saisieRefusee(`le lycée ${uai} n'est d'aucune académie du catalogue (Paris, Créteil, Versailles)`, 'body.uai');
  if (etablissement && `0${etablissement.codeCommune.slice(0, 2)}` !== departementOfUai(uai)) {
    throw saisieRefusee(`la commune ${etablissement.codeCommune} n'est pas dans le département de l'UAI ${uai}`, 'body.etablissement.codeCommune');
  }
  return prisma.$transaction(async (tx) => {
    if (etablissement) {
      await tx.etablissement.upsert({ where: { uai }, create: { uai, ...etablissement }, update: etablissement });
    } else if (!(await tx.etablissement.findUnique({ where: { uai } }))) {
      throw saisieRefusee(`le lycée ${uai} n'est pas encore au catalogue : donnez son établissement (nom, commune, codeCommune)`, 'body.etablissement');
    }
    await tx.domaine.upsert({ where: { code: domaine.code }, create: domaine, update: {} });
    const connue = await tx.formation.findUnique({ where: { code: formation.code } });
    if (connue && connue.domaineCode !== domaine.code) {
      throw saisieRefusee(`la formation ${formation.code} est du domaine ${connue.domaineCode}, non du domaine ${domaine.code}`, 'body.formation.code');
    }
    if (!connue) await tx.formation.create({ data: { ...formation, domaineCode: domaine.code } });
    const cle = { formationCode_uai: { formationCode: formation.code, uai } };
    const existante = await tx.offre.findUnique({ where: cle });
    const ligne = await tx.offre.upsert({
      where: cle,
      create: { formationCode: formation.code, uai, modalite, interAcademique, modifieePar: par },
      update: { modalite, interAcademique, retireeLe: null, modifieePar: par },
      include: avecFormationEtLycee,
    });
    return { offre: offre(ligne), creee: !existante };
  });
}

/** Withdraws an offer: no new vœu for it from now on; the candidatures that hold it keep it. */
async function retirerOffre(prisma: PrismaClient, formationCode: string, uai: string, par: string): Promise<Offre> {
  const cle = { formationCode_uai: { formationCode, uai } };
  const existante = await prisma.offre.findUnique({ where: cle, include: avecFormationEtLycee });
  if (!existante) throw new ApiError(404, 'offre_introuvable', `le lycée ${uai} n'a pas d'offre de la formation ${formationCode}`);
  if (existante.retireeLe) return offre(existante);
  return offre(await prisma.offre.update({ where: cle, data: { retireeLe: new Date(), modifieePar: par }, include: avecFormationEtLycee }));
}

export function routesCatalogue(app: Express, deps: { prisma: PrismaClient }): void {
  app.get(
    '/catalogue/offres',
    async (req, res) => {
      const q = parse(offresQuery, req.query, 'query');
      const where: Prisma.OffreWhereInput = {
        ...(q.retirees ? {} : { retireeLe: null }),
        ...(q.campagne ? dansAcademie(campagnes[q.campagne].academie) : {}),
        ...(q.uai ? { uai: q.uai } : {}),
        ...(q.formation ? { formationCode: q.formation } : {}),
        ...(q.domaine ? { formation: { domaineCode: q.domaine } } : {}),
      };
      const lignes = await deps.prisma.offre.findMany({ where, include: avecFormationEtLycee, orderBy: [{ formationCode: 'asc' }, { uai: 'asc' }] });
      res.json({ offres: lignes.map(offre) });
    },
  );

  app.post(
    '/catalogue/offres',
    exigerRoles(['saio']),
    body(offreDemandeSchema),
    async (req, res) => {
      const { offre: ouverte, creee } = await ouvrirOffre(deps.prisma, req.body as OffreDemande, appelant(req).nom);
      res.status(creee ? 201 : 200).json(ouverte);
    },
  );

  app.delete(
    '/catalogue/offres/:formation/:uai',
    exigerRoles(['saio']),
    async (req, res) => {
      const { formation, uai } = parse(offreParams, req.params, 'params');
      res.json(await retirerOffre(deps.prisma, formation, uai, appelant(req).nom));
    },
  );
}

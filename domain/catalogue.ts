// The catalogue is data: the receiving lycées, the domaines and their formations, and which lycée offers
// which formation with which interview modality. Like a campagne, it is validated with zod, and the
// cross-checks rule out what the shape cannot (a check letter, an offer at an unknown lycée, a duplicate).
import { z } from 'zod';
import { academieOfUai, departementOfUai, isValidUai } from './identifiers';

const etablissementSchema = z.strictObject({
  uai: z.string().refine(isValidUai, 'UAI invalide (7 chiffres et la lettre clé)'),
  nom: z.string().min(1),
  commune: z.string().min(1),
  /** Code INSEE of the commune (découpage administratif). */
  codeCommune: z.string().regex(/^\d[\dAB]\d{3}$/, 'code INSEE de commune attendu (5 caractères)'),
});

const offreSchema = z.strictObject({
  uai: z.string(),
  /** individuel: interview, compte rendu and avis; collectif: information session, no avis, no bonus. */
  modalite: z.enum(['individuel', 'collectif']),
  /** Open to collèges of other académies too (inter-académie formations); by default, the académie's own only. */
  interAcademique: z.boolean().optional(),
});

/** Mnémoniques MEF of the offers: 2nde pro and 1re année de CAP, under status or in apprenticeship (A). */
export const mnemoniques = ['2NDPRO', '2NDPROA', '1CAP2', '1CAP2A'] as const;

const formationSchema = z.strictObject({
  /** The code the vœux carry (the API accepts a MEF, a MEF STAT 11 or a CFD). */
  code: z.string().regex(/^[0-9A-Z]{8,11}$/, 'code de formation attendu (MEF, MEF STAT 11 ou CFD)'),
  mnemonique: z.enum(mnemoniques),
  libelle: z.string().min(1),
  offres: z.array(offreSchema).min(1),
});

const domaineSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9-]{2,60}$/, 'code de domaine attendu (minuscules, chiffres, tirets)'),
  libelle: z.string().min(1),
  formations: z.array(formationSchema).min(1),
});

const catalogueObjetSchema = z.strictObject({
  /** Which académie texts the data comes from, and what the project supplied. */
  source: z.string().min(1),
  etablissements: z.array(etablissementSchema).min(1),
  domaines: z.array(domaineSchema).min(1),
});

type CatalogueBrut = z.infer<typeof catalogueObjetSchema>;

function verifierCoherence(c: CatalogueBrut, ctx: z.RefinementCtx): void {
  const signaler = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const uais = new Set<string>();
  c.etablissements.forEach((e, i) => {
    if (uais.has(e.uai)) signaler(['etablissements', i, 'uai'], `l'UAI ${e.uai} figure plusieurs fois`);
    uais.add(e.uai);
    if (isValidUai(e.uai) && academieOfUai(e.uai) !== 'creteil') {
      signaler(['etablissements', i, 'uai'], `l'UAI ${e.uai} n'est pas de l'académie de Créteil (départements 077, 093, 094)`);
    }
    if (isValidUai(e.uai) && departementOfUai(e.uai) !== `0${e.codeCommune.slice(0, 2)}`) {
      signaler(['etablissements', i, 'codeCommune'], `la commune ${e.codeCommune} n'est pas dans le département de l'UAI ${e.uai}`);
    }
  });
  const domaines = new Set<string>();
  const formations = new Set<string>();
  c.domaines.forEach((d, i) => {
    if (domaines.has(d.code)) signaler(['domaines', i, 'code'], `le domaine ${d.code} figure plusieurs fois`);
    domaines.add(d.code);
    d.formations.forEach((f, j) => {
      if (formations.has(f.code)) signaler(['domaines', i, 'formations', j, 'code'], `la formation ${f.code} figure plusieurs fois`);
      formations.add(f.code);
      const offertes = new Set<string>();
      f.offres.forEach((o, k) => {
        const chemin = ['domaines', i, 'formations', j, 'offres', k, 'uai'];
        if (!uais.has(o.uai)) signaler(chemin, `l'UAI ${o.uai} n'est pas un établissement du catalogue`);
        if (offertes.has(o.uai)) signaler(chemin, `le lycée ${o.uai} offre deux fois la formation ${f.code}`);
        offertes.add(o.uai);
      });
    });
  });
}

export const catalogueSchema = catalogueObjetSchema.superRefine(verifierCoherence);

export type Catalogue = z.infer<typeof catalogueSchema>;
export type DomaineCatalogue = Catalogue['domaines'][number];
export type FormationCatalogue = DomaineCatalogue['formations'][number];
export type EtablissementCatalogue = Catalogue['etablissements'][number];

export class CatalogueInvalideError extends Error {
  readonly problemes: string[];

  constructor(problemes: string[]) {
    super(`catalogue invalide : ${problemes.join(' ; ')}`);
    this.name = 'CatalogueInvalideError';
    this.problemes = problemes;
  }
}

const messagesEnFrancais = z.locales.fr().localeError;

/** Validates a catalogue (shape and cross-checks); every problem is listed, named by its field. */
export function parseCatalogue(json: unknown): Catalogue {
  const resultat = catalogueSchema.safeParse(json, { error: messagesEnFrancais });
  if (resultat.success) return resultat.data;
  throw new CatalogueInvalideError(resultat.error.issues.map((i) => `${i.path.join('.') || 'catalogue'} : ${i.message}`));
}

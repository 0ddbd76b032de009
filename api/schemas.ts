// Request and response schemas, shared by validation and the OpenAPI document (api/openapi.ts).
// No request carries its `acteur`: who acts comes from the caller's token (api/auth.ts).
import { z } from 'zod';
import { isHeure, isIsoDate } from '../domain/calendar';
import { campagnes } from '../domain/campaigns';
import { mnemoniques } from '../domain/catalogue';
import { dureeMinutesAdmise } from '../domain/creneaux';
import { isValidIne, isValidUai } from '../domain/identifiers';
import { encodagesImport } from '../presentation/college';

export const campagneId = z.string().refine((id) => Object.hasOwn(campagnes, id), 'campagne inconnue');
/**
 * The first character a text field may not hold, named for the message: control characters (newline and tab
 * allowed in multi-line fields), halves of a surrogate pair on their own (PostgreSQL cannot store them), and
 * the bidi overrides and isolates that make a name read otherwise than it is written.
 */
function caractereInterdit(valeur: string, multiligne: boolean): string | null {
  for (const c of valeur) {
    const point = c.codePointAt(0)!;
    const nom = () => `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
    if (c === '\n' || c === '\t') {
      if (!multiligne) return `retour à la ligne ou tabulation interdit dans ce champ d'une ligne (${nom()})`;
    } else if (point < 0x20 || (point >= 0x7f && point <= 0x9f)) {
      return `caractère de contrôle (${nom()}) interdit`;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      return `caractère invalide (moitié de paire de substitution seule, ${nom()}) interdit`;
    } else if ((point >= 0x202a && point <= 0x202e) || (point >= 0x2066 && point <= 0x2069)) {
      return `caractère de contrôle de direction du texte (${nom()}) interdit`;
    }
  }
  return null;
}

/**
 * Every free-text field of every request (and of the CSV import, through the same schemas): no forbidden
 * character, NFC-normalised, trimmed, 1 to `max` characters. Multi-line fields (comments, compte rendu,
 * motif) take newlines (CRLF read as LF) and tabs.
 */
export function texte(max: number, { multiligne = false } = {}) {
  return (multiligne ? z.string().overwrite((v) => v.replace(/\r\n/g, '\n')) : z.string())
    .superRefine((valeur, ctx) => {
      const probleme = caractereInterdit(valeur, multiligne);
      if (probleme) ctx.addIssue({ code: 'custom', message: probleme });
    })
    .normalize('NFC')
    .trim()
    .min(1)
    .max(max);
}
// The regex documents the shape (OpenAPI); the refinement checks the key letter or the format's details.
const messageUai = 'UAI invalide (7 chiffres et une lettre clé)';
export const uai = z.string().regex(/^\d{7}[A-Z]$/, messageUai).refine(isValidUai, messageUai);
export const ine = z.string().regex(/^[0-9A-Z]{11}$/, 'INE invalide').refine(isValidIne, 'INE invalide');
const codeFormation = z.string().regex(/^[0-9A-Z]{8,11}$/, 'code de formation attendu (MEF, MEF STAT 11 ou CFD)');
const codeAvis = z.string().regex(/^[a-z_]{3,30}$/, "code d'avis attendu (ex. favorable, assez_favorable, reserve)");

export const voeuSchema = z.strictObject({ codeFormation, libelle: texte(200) });
/** Vœux of one pupil in one domaine, in one request. */
export const MAX_VOEUX = 20;

const codeDomaine = z.string().regex(/^[a-z0-9-]{2,60}$/, 'code de domaine attendu (minuscules, chiffres, tirets)');
const modalite = z.enum(['individuel', 'collectif']);

export const inscriptionSchema = z.strictObject({
  campagneId,
  eleve: z.strictObject({
    ine,
    nom: texte(100),
    prenom: texte(100),
    niveau: texte(40),
    uaiOrigine: uai,
    referentNom: texte(120),
    referentEmail: z.email(),
  }),
  domaine: z.strictObject({ code: codeDomaine, libelle: texte(120) }),
  modalite,
  uaiAccueil: uai,
  voeux: z.array(voeuSchema).min(1).max(MAX_VOEUX),
  /** Only record the pupil's interest (recensement); registration comes later. */
  recensementSeulement: z.boolean().optional(),
});

/** More vœux for a registered pupil (or the registration of a recensed one). */
export const voeuxSchema = z.strictObject({ voeux: z.array(voeuSchema).min(1).max(MAX_VOEUX) });

export const avisOrigineSchema = z.strictObject({
  avis: z.array(z.strictObject({ codeFormation, avis: codeAvis, commentaire: texte(2000, { multiligne: true }) })).min(1).max(20),
});

export const planificationSchema = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ').refine(isIsoDate, 'date attendue au format AAAA-MM-JJ'),
  heure: z.string().regex(/^\d{2}:\d{2}$/, 'heure attendue au format HH:MM').refine(isHeure, 'heure attendue au format HH:MM'),
  lieu: texte(300),
  mode: z.enum(['presentiel', 'distanciel']),
  dureeMinutes: z.number().int().min(dureeMinutesAdmise.min).max(dureeMinutesAdmise.max).optional(),
  derogation: z.boolean().optional(),
  motifDerogation: texte(500).optional(),
});

export const constatEntretienSchema = z.strictObject({ present: z.boolean() });

export const compteRenduSchema = z.strictObject({
  texte: texte(5000, { multiligne: true }),
  avis: z.array(z.strictObject({ codeFormation, avis: codeAvis })).min(1).max(20),
  voeuxSupplementaires: z.array(z.strictObject({ codeFormation, libelle: texte(200), avis: codeAvis })).max(10).optional(),
});

/** Nothing but who acts, which the token says: an empty object (or no body). */
export const sansCorpsSchema = z.strictObject({});

export const saisieAffelnetSchema = z.strictObject({ voeux: z.array(codeFormation).min(1).max(20) });

/** Why: a désistement, a cancelled interview. */
const motifSchema = z.strictObject({ motif: texte(500, { multiligne: true }) });
export const desistementSchema = motifSchema;
export const annulationEntretienSchema = motifSchema;

/** `passpro:<campagne>:<pseudonyme>:<domaine>`: printable ASCII only (a NUL would reach PostgreSQL, which refuses it). */
export const candidatureIdParam = z.string().regex(/^[\x21-\x7E]{1,200}$/, 'identifiant de candidature invalide');

// ---- the catalogue (the SAIO's) ----

/**
 * `POST /catalogue/offres`: a lycée offers a formation of a domaine, with its modality. A domaine or formation
 * not yet known is created with it; a lycée not yet known needs its `etablissement`.
 */
export const offreDemandeSchema = z.strictObject({
  uai,
  modalite,
  /** Open to collèges of other académies (inter-académie formation); false by default. */
  interAcademique: z.boolean().optional(),
  domaine: z.strictObject({ code: codeDomaine, libelle: texte(120) }),
  formation: z.strictObject({ code: codeFormation, mnemonique: z.enum(mnemoniques), libelle: texte(200) }),
  etablissement: z
    .strictObject({
      nom: texte(200),
      commune: texte(100),
      codeCommune: z.string().regex(/^\d[\dAB]\d{3}$/, 'code INSEE de commune attendu (5 caractères)'),
    })
    .optional(),
});

/** `DELETE /catalogue/offres/:formation/:uai`. */
export const offreParams = z.strictObject({ formation: codeFormation, uai });

// ---- reads ----

export const etapes = ['recensement', 'a_planifier', 'convoquee', 'compte_rendu_attendu', 'confirmation_attendue', 'cloturee', 'desistee'] as const;
const booleen = z.enum(['true', 'false']).transform((v) => v === 'true');
const entier = (min: number, max: number) => z.string().regex(/^\d{1,6}$/, 'entier attendu').transform(Number).pipe(z.number().int().min(min).max(max));

/** `GET /candidatures`: filters (all optional), then the page. A repeated or unknown parameter is a 400. */
export const listeQuery = z.strictObject({
  campagne: campagneId.optional(),
  etape: z.enum(etapes).optional(),
  domaine: codeDomaine.optional(),
  uaiOrigine: uai.optional(),
  uaiAccueil: uai.optional(),
  enRetard: booleen.optional(),
  /** The pupil's name, first name or INE, in part and in any case. */
  q: texte(100).optional(),
  page: entier(1, 100_000).default(1),
  taille: entier(1, 100).default(20),
});

export const statistiquesQuery = z.strictObject({ campagne: campagneId.optional() });

/** `POST /candidatures/import?campagne=`: the campaign of every line of the file. */
export const importQuery = z.strictObject({ campagne: campagneId });

/** `GET /catalogue/offres`: the offers, of one campaign's académie or all; withdrawn ones on request. */
export const offresQuery = z.strictObject({
  campagne: campagneId.optional(),
  domaine: codeDomaine.optional(),
  uai: uai.optional(),
  formation: codeFormation.optional(),
  retirees: booleen.optional(),
});

const formatFiche = z.enum(['html', 'pdf']).optional();
/** `GET /candidatures/:id/fiche`: the format, else the `Accept` header decides (HTML by default). */
export const ficheQuery = z.strictObject({ format: formatFiche });
/** `GET /eleves/:ine/fiche`: the campaign of the pupil's latest candidature unless one is named. */
export const ficheEleveQuery = z.strictObject({ format: formatFiche, campagne: campagneId.optional() });

// ---- responses (documentation: the API builds them, the OpenAPI document describes them) ----

export const erreurSchema = z.object({
  erreur: z.object({ code: z.string(), message: z.string(), champ: z.string().optional() }),
});

const acteurSchema = z.object({
  role: z.enum(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef', 'saio', 'systeme']),
  uai: z.string().nullable(),
  nom: z.string(),
});

/** The live state of a candidature (the workflow's `etat` query), in its main fields. */
export const candidatureEtatSchema = z.looseObject({
  id: z.string(),
  campagneId: z.string(),
  eleve: z.looseObject({ ine: z.string(), nom: z.string(), prenom: z.string(), niveau: z.string(), uaiOrigine: z.string() }),
  domaine: z.strictObject({ code: z.string(), libelle: z.string() }),
  modalite: z.enum(['individuel', 'collectif']),
  uaiAccueil: z.string(),
  etape: z.enum(etapes),
  etapeDepuis: z.string(),
  voeux: z.array(z.looseObject({ codeFormation: z.string(), libelle: z.string(), rang: z.number(), avisFinal: z.string().nullable() })),
  entretien: z.looseObject({ date: z.string(), heure: z.string(), lieu: z.string(), mode: z.string(), statut: z.string() }).nullable(),
  prochaineEcheance: z.string().nullable(),
  retards: z.array(z.string()),
  historique: z.array(z.looseObject({ type: z.string(), acteur: acteurSchema, survenuLe: z.string() })),
});

/** One line of a list, from the database (the query side). */
export const candidatureResumeSchema = z.object({
  id: z.string(),
  campagneId: z.string(),
  eleve: z.strictObject({ ine: z.string(), nom: z.string(), prenom: z.string(), niveau: z.string() }),
  domaine: z.strictObject({ code: z.string(), libelle: z.string().nullable() }),
  modalite: z.string(),
  uaiOrigine: z.string(),
  uaiAccueil: z.string(),
  etape: z.string(),
  etapeDepuis: z.string(),
  echeance: z.string().nullable(),
  enRetard: z.boolean(),
  retards: z.array(z.string()),
  entretien: z.object({ date: z.string(), heure: z.string().nullable(), lieu: z.string().nullable(), mode: z.string().nullable(), statut: z.string().nullable() }).nullable(),
  voeux: z.array(
    z.object({ codeFormation: z.string(), libelle: z.string(), rang: z.number(), avisOrigine: z.string().nullable(), avisAccueil: z.string().nullable(), avisFinal: z.string().nullable() }),
  ),
  bonusAccorde: z.boolean().nullable(),
});

export const listeReponseSchema = z.object({
  elements: z.array(candidatureResumeSchema),
  page: z.number(),
  taille: z.number(),
  total: z.number(),
});

const comptes = z.object({ total: z.number(), parEtape: z.record(z.string(), z.number()) });

export const statistiquesReponseSchema = z.object({
  campagne: z.string().nullable(),
  total: z.number(),
  parEtape: z.record(z.string(), z.number()),
  parLycee: z.array(comptes.extend({ uai: z.string() })),
  parCollege: z.array(comptes.extend({ uai: z.string() })),
  enRetard: z.object({
    total: z.number(),
    /** The oldest first: where each is stuck (step and open latenesses) and since when. */
    candidatures: z.array(
      z.object({
        id: z.string(),
        ine: z.string(),
        domaine: z.string(),
        uaiOrigine: z.string(),
        uaiAccueil: z.string(),
        etape: z.string(),
        depuis: z.string(),
        retards: z.array(z.string()),
        echeance: z.string().nullable(),
      }),
    ),
  }),
  /** Writes the database refused for good: saisies undone, and candidatures whose first state could not be written. */
  incidents: z.object({
    total: z.number(),
    derniers: z.array(z.object({ candidatureId: z.string(), action: z.string(), code: z.string(), annulee: z.boolean(), survenuLe: z.string() })),
  }),
});

const erreurDetailSchema = z.object({ code: z.string(), message: z.string(), champ: z.string().optional() });

/** One line of a CSV import's report: its outcome, or what is wrong with it (`champ`: the column). */
export const importLigneSchema = z.object({
  ligne: z.number(),
  ine: z.string(),
  domaine: z.string(),
  codeFormation: z.string(),
  /** valide: checked, not started (another line is wrong); inscrite / deja_inscrite; erreur; refusee by the candidature. */
  resultat: z.enum(['valide', 'erreur', 'inscrite', 'deja_inscrite', 'refusee']),
  candidature: z.string().optional(),
  erreurs: z.array(erreurDetailSchema).optional(),
});

export const importRapportSchema = z.object({
  campagne: z.string(),
  encodage: z.enum(encodagesImport),
  /** Pupil × domaine groups of the file, and how many of them were inscribed by this import. */
  candidatures: z.number(),
  inscrites: z.number(),
  lignesEnErreur: z.number(),
  lignes: z.array(importLigneSchema),
});

export const offreSchema = z.object({
  formation: z.object({ code: z.string(), mnemonique: z.string(), libelle: z.string(), domaine: z.object({ code: z.string(), libelle: z.string() }) }),
  uai: z.string(),
  etablissement: z.object({ nom: z.string(), commune: z.string() }),
  modalite: z.string(),
  interAcademique: z.boolean(),
  /** When the SAIO withdrew it: no new vœu for it since. */
  retireeLe: z.string().nullable(),
  modifieePar: z.string().nullable(),
});

export const offresReponseSchema = z.object({ offres: z.array(offreSchema) });

/** A refused import: the error, and the report naming each bad line. */
export const importRefusSchema = erreurSchema.extend({ rapport: importRapportSchema });

export const santeReponseSchema = z.object({ statut: z.enum(['ok', 'indisponible']), composants: z.record(z.string(), z.string()).optional() });

// ---- créneaux (api/creneaux.ts) ----

const dateIso = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ').refine(isIsoDate, 'date attendue au format AAAA-MM-JJ');
const heure = z.string().regex(/^\d{2}:\d{2}$/, 'heure attendue au format HH:MM').refine(isHeure, 'heure attendue au format HH:MM');
const dureeMinutes = z.number().int().min(dureeMinutesAdmise.min).max(dureeMinutesAdmise.max);
/** The room on site, or the link of a remote interview. */
const lieuCreneau = texte(300);
const modeCreneau = z.enum(['presentiel', 'distanciel']);
const capacite = z.number().int().min(1).max(500);

/** Where a créneau is published: the caller's lycée, or the one the SAIO names. */
const lycee = { campagneId, domaine: codeDomaine, uai: uai.optional() };

export const creneauSchema = z.strictObject({ ...lycee, date: dateIso, heure, dureeMinutes, lieu: lieuCreneau, mode: modeCreneau, capacite });

export const serieSchema = z.strictObject({
  ...lycee,
  du: dateIso,
  au: dateIso,
  /** Weekdays, 0 = dimanche … 6 = samedi (weekends and public holidays are skipped anyway). */
  jours: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  debut: heure,
  fin: heure,
  dureeMinutes,
  lieu: lieuCreneau,
  mode: modeCreneau,
  capacite,
});

/** What changes; the pupils placed are convoked again. */
export const modificationCreneauSchema = z
  .strictObject({ date: dateIso, heure, dureeMinutes, lieu: lieuCreneau, mode: modeCreneau, capacite })
  .partial()
  .refine((m) => Object.keys(m).length > 0, 'au moins un champ à modifier');

/** A créneau cancelled: its pupils moved to other créneaux, or returned to planification (the default); why, for the families. */
export const annulationCreneauSchema = z.strictObject({
  eleves: z.enum(['deplacer', 'remettre_a_planifier']).default('remettre_a_planifier'),
  motif: texte(300).optional(),
});

export const placementSchema = z.strictObject({ candidatureId: z.string().regex(/^[\x21-\x7E]{1,200}$/, 'identifiant de candidature invalide') });

export const placementGroupeSchema = z.strictObject(lycee);

export const reglageCreneauxSchema = z.strictObject({ placementAutomatique: z.boolean(), uai: uai.optional() });

export const creneauxQuery = z.strictObject({ campagne: campagneId, domaine: codeDomaine.optional(), uai: uai.optional() });

export const creneauIdParam = z.string().regex(/^[1-9]\d{0,17}$/, 'identifiant de créneau invalide');

export const creneauReponseSchema = z.object({
  id: z.number(),
  campagneId: z.string(),
  uai: z.string(),
  domaine: z.string(),
  date: z.string(),
  heure: z.string(),
  dureeMinutes: z.number(),
  lieu: z.string(),
  mode: modeCreneau,
  capacite: z.number(),
  placesPrises: z.number(),
  annule: z.boolean(),
  candidatures: z.array(z.string()),
});

export const placementGroupeReponseSchema = z.object({
  placees: z.array(z.object({ candidatureId: z.string(), creneauId: z.number() })),
  enAttente: z.array(z.object({ candidatureId: z.string(), raison: z.string() })),
});

export const statistiquesCreneauxSchema = z.object({
  lycees: z.array(
    z.object({ uai: z.string(), domaine: z.string(), domaineLibelle: z.string(), creneaux: z.number(), places: z.number(), placesPrises: z.number(), candidaturesEnAttente: z.number() }),
  ),
});

export const statistiquesCreneauxQuery = z.strictObject({ campagne: campagneId });

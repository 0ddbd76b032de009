// Request schemas, shared by validation and (later) the OpenAPI document.
import { z } from 'zod';
import { isHeure, isIsoDate } from '../domain/calendar';
import { campagnes } from '../domain/campaigns';
import { isValidIne, isValidUai } from '../domain/identifiers';

const texte = (max: number) => z.string().trim().min(1).max(max);
export const uai = z.string().refine(isValidUai, 'UAI invalide (7 chiffres et une lettre clé)');
export const ine = z.string().refine(isValidIne, 'INE invalide');
const codeFormation = z.string().regex(/^[0-9A-Z]{8,11}$/, 'code de formation attendu (MEF, MEF STAT 11 ou CFD)');
const codeAvis = z.string().regex(/^[a-z_]{3,30}$/, "code d'avis attendu (ex. favorable, assez_favorable, reserve)");

export const acteurSchema = z.object({
  role: z.enum(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef', 'saio']),
  uai: uai.nullable(),
  nom: texte(120),
});

export const voeuSchema = z.object({ codeFormation, libelle: texte(200) });

export const inscriptionSchema = z.object({
  campagneId: z.string().refine((id) => id in campagnes, 'campagne inconnue'),
  eleve: z.object({
    ine,
    nom: texte(100),
    prenom: texte(100),
    niveau: texte(40),
    uaiOrigine: uai,
    referentNom: texte(120),
    referentEmail: z.email(),
  }),
  domaine: z.object({
    code: z.string().regex(/^[a-z0-9-]{2,60}$/, 'code de domaine attendu (minuscules, chiffres, tirets)'),
    libelle: texte(120),
  }),
  modalite: z.enum(['individuel', 'collectif']),
  uaiAccueil: uai,
  voeux: z.array(voeuSchema).min(1).max(20),
  /** Only record the pupil's interest (recensement); registration comes later. */
  recensementSeulement: z.boolean().optional(),
  acteur: acteurSchema,
});

/** More vœux for a registered pupil (or the registration of a recensed one). */
export const voeuxSchema = z.object({ voeux: z.array(voeuSchema).min(1).max(20), acteur: acteurSchema });

export const avisOrigineSchema = z.object({
  avis: z.array(z.object({ codeFormation, avis: codeAvis, commentaire: texte(2000) })).min(1).max(20),
  acteur: acteurSchema,
});

export const planificationSchema = z.object({
  date: z.string().refine(isIsoDate, 'date attendue au format AAAA-MM-JJ'),
  heure: z.string().refine(isHeure, 'heure attendue au format HH:MM'),
  lieu: texte(300),
  mode: z.enum(['presentiel', 'distanciel']),
  derogation: z.boolean().optional(),
  acteur: acteurSchema,
});

export const constatEntretienSchema = z.object({ present: z.boolean(), acteur: acteurSchema });

export const compteRenduSchema = z.object({
  texte: texte(5000),
  avis: z.array(z.object({ codeFormation, avis: codeAvis })).min(1).max(20),
  voeuxSupplementaires: z.array(z.object({ codeFormation, libelle: texte(200), avis: codeAvis })).max(10).optional(),
  acteur: acteurSchema,
});

export const acteurSeulSchema = z.object({ acteur: acteurSchema });

export const saisieAffelnetSchema = z.object({ voeux: z.array(codeFormation).min(1).max(20), acteur: acteurSchema });

export const desistementSchema = z.object({ motif: texte(500), acteur: acteurSchema });

export const candidatureIdParam = z.string().min(1).max(200);

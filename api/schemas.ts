// Request schemas, shared by validation and (later) the OpenAPI document.
import { z } from 'zod';
import { isValidIne, isValidUai } from '../domain/identifiers';
import { campagnes } from '../domain/campaigns';

const texte = (max: number) => z.string().trim().min(1).max(max);
export const uai = z.string().refine(isValidUai, 'UAI invalide (7 chiffres et une lettre clé)');
export const ine = z.string().refine(isValidIne, 'INE invalide');

export const acteurSchema = z.object({
  role: z.enum(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef', 'saio']),
  uai: uai.nullable(),
  nom: texte(120),
});

export const voeuSchema = z.object({
  codeFormation: z.string().regex(/^[0-9A-Z]{8,11}$/, 'code de formation attendu (MEF, MEF STAT 11 ou CFD)'),
  libelle: texte(200),
});

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
  domaine: z.object({ code: z.string().regex(/^[a-z0-9-]{2,60}$/, 'code de domaine attendu (minuscules, chiffres, tirets)'), libelle: texte(120) }),
  modalite: z.enum(['individuel', 'collectif']),
  uaiAccueil: uai,
  voeux: z.array(voeuSchema).min(1).max(20),
  acteur: acteurSchema,
});

export const desistementSchema = z.object({ motif: texte(500), acteur: acteurSchema });

export const candidatureIdParam = z.string().min(1).max(200);

// From the provider's claims to the role Passpro gives a person: which kind of school the UAI claim names (the
// SAIO's service; a lycée of the catalogue, which offers formations; a collège, an établissement of the catalogue
// that offers none), which function the function claim gives (head or staff, by the values of api/web/roles.json),
// then the first rule of the table that matches both. No rule, no role: the person is told why (a 403 page).
import { z } from 'zod';
import { catalogue } from '../../domain/catalogue/index';
import { rolesPersonnes, type Appelant } from '../auth';
import json from './roles.json';

const fonctions = ['chef', 'personnel'] as const;
const etablissements = ['saio', 'lycee', 'college'] as const;
export type Fonction = (typeof fonctions)[number];
export type TypeEtablissement = (typeof etablissements)[number];

export const tableRolesSchema = z.strictObject({
  /** The UAI of the SAIO's service (the rectorat's), as the school claim gives it. */
  uaiSaio: z.array(z.string().regex(/^\d{7}[A-Z]$/)),
  /** The function claim's values that make a head or a staff member. */
  fonctions: z.strictObject({ chef: z.array(z.string().min(1)), personnel: z.array(z.string().min(1)) }),
  regles: z
    .array(z.strictObject({ etablissement: z.enum(etablissements), fonction: z.enum(fonctions), role: z.enum(rolesPersonnes) }))
    .min(1),
});
export type TableRoles = z.infer<typeof tableRolesSchema>;

export const tableRoles: TableRoles = tableRolesSchema.parse(json);

/** Which claims carry what (config OIDC_CLAIM_*); the name may be several claims, joined by a space. */
export interface ClaimsRoles {
  nom: string[];
  uai: string;
  fonction: string;
}

export type Attribution = { appelant: Appelant } | { refus: string };

const lycees = new Set(catalogue.domaines.flatMap((d) => d.formations.flatMap((f) => f.offres.map((o) => o.uai))));
const etablissementsConnus = new Set(catalogue.etablissements.map((e) => e.uai));

/** A claim as its values: one string, or several (an agent of several schools, with several functions). */
function valeurs(claims: Record<string, unknown>, nom: string): string[] {
  const valeur = claims[nom];
  const liste: unknown[] = Array.isArray(valeur) ? valeur : [valeur];
  return liste.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

/** The UAI in a school claim: alone (`0940134K`) or first in an SSO's composite value (`0940134K$UAJ$PU$…`). */
const uaiDe = (valeur: string) => /^(\d{7}[A-Z])(?![A-Za-z0-9])/.exec(valeur.toUpperCase())?.[1];

export function typeEtablissement(uai: string, table: TableRoles = tableRoles): TypeEtablissement | null {
  if (table.uaiSaio.includes(uai)) return 'saio';
  if (lycees.has(uai)) return 'lycee';
  if (etablissementsConnus.has(uai)) return 'college';
  return null;
}

export function attribuerRole(claims: Record<string, unknown>, noms: ClaimsRoles, table: TableRoles = tableRoles): Attribution {
  const nom = noms.nom.flatMap((n) => valeurs(claims, n)).join(' ').slice(0, 120);
  if (!nom) return { refus: "le service d'identification ne transmet pas votre nom." };
  const uais = valeurs(claims, noms.uai).flatMap((v) => uaiDe(v) ?? []);
  if (uais.length === 0) return { refus: "le service d'identification ne transmet pas d'établissement (UAI) pour votre compte." };
  const fonctionsDeLaPersonne = new Set(valeurs(claims, noms.fonction).flatMap((v) => fonctions.filter((f) => table.fonctions[f].includes(v))));
  if (fonctionsDeLaPersonne.size === 0) {
    return { refus: "votre fonction ne donne pas accès à Passpro, réservé aux équipes des collèges et des lycées et au SAIO." };
  }
  // An agent of several schools gets the role of the first one that the table gives a role.
  for (const uai of uais) {
    const type = typeEtablissement(uai, table);
    const regle = table.regles.find((r) => r.etablissement === type && fonctionsDeLaPersonne.has(r.fonction));
    if (regle) return { appelant: { role: regle.role, uai: regle.role === 'saio' ? null : uai, nom } };
  }
  return { refus: `votre établissement (${uais.join(', ')}) ne participe pas à la procédure : ce n'est ni un collège ni un lycée de l'académie qui y est inscrit.` };
}

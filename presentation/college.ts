// What the collège's pages print (api/web/espace/college.ts): steps and latenesses as badges, a refused
// field as its form shows it, the import's report in words. Pure functions: the templates only print.
import type { Etape } from '../domain/candidature';
import { badgeEtape as typesBadgeEtape, libelleEtape, libelleRetard, libellesEtape } from './libelles';

export interface Badge {
  label: string;
  type?: 'success' | 'error' | 'info' | 'warning' | 'new';
  small: true;
}

export const badgeEtape = (etape: string): Badge => ({
  label: libelleEtape(etape),
  ...(Object.hasOwn(typesBadgeEtape, etape) && typesBadgeEtape[etape as Etape] ? { type: typesBadgeEtape[etape as Etape] } : {}),
  small: true,
});

export const optionsEtapes = (Object.keys(libellesEtape) as Etape[]).map((e) => ({ value: e, label: libellesEtape[e] }));

/** "En retard : avis d'origine manquant", or nothing when on time. */
export function badgeRetard(enRetard: boolean, quoi: readonly string[]): Badge | undefined {
  if (!enRetard) return undefined;
  const libelles = quoi.map(libelleRetard);
  return { label: libelles.length > 0 ? `En retard : ${libelles.join(', ')}` : 'En retard', type: 'error', small: true };
}

/** How a class list was read: UTF-8 (with its byte-order mark or without), or Windows-1252 (Excel's « CSV » on French Windows). */
export const encodagesImport = ['utf-8', 'utf-8-bom', 'windows-1252'] as const;

const encodages: Record<(typeof encodagesImport)[number], string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (avec marque d’ordre des octets)',
  'windows-1252': 'Windows-1252 (« CSV » d’Excel)',
};

export const libelleEncodage = (encodage: (typeof encodagesImport)[number]): string => encodages[encodage];

export const resultatsImport: Record<string, Omit<Badge, 'small'>> = {
  valide: { label: 'Valide, non importée', type: 'info' },
  erreur: { label: 'Erreur', type: 'error' },
  inscrite: { label: 'Inscrite', type: 'success' },
  deja_inscrite: { label: 'Déjà inscrite', type: 'info' },
  refusee: { label: 'Refusée', type: 'error' },
};

/**
 * A refusal's message as its field shows it: without the path it names (`body.eleve.ine : INE invalide` reads
 * `INE invalide` under the INE field), first letter capitalised.
 */
export function messageDuChamp(message: string, champ: string | undefined): string {
  const sans = champ ? message.replace(new RegExp(`^(body\\.)?${champ.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} : `), '') : message;
  return sans.charAt(0).toUpperCase() + sans.slice(1);
}

/** `eleve.referentEmail` → `eleve-referentEmail`: the id of the field a refusal names. */
export const idDuChamp = (champ: string): string => champ.replace(/\./g, '-');

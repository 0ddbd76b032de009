// Display values for the mail templates: handlebars gets no helpers, so every French label, date and
// placeholder is computed here, in pure functions the templates then only print.
import { isCodeAvis, libelleAvis } from '../domain/avis';
import { libelleDate, parisDateOf, parisTimeOf } from '../domain/calendar';
import { campagnes } from '../domain/campaigns';
import type { Entretien, ModeEntretien, Voeu } from '../domain/candidature';

export interface EntretienPresente {
  /** e.g. `mardi 10 avril 2018` */
  dateLibelle: string;
  /** Paris wall-clock time, `HH:MM` */
  heure: string;
  mode: ModeEntretien;
  modeLibelle: 'sur place' | 'à distance';
  /** For a remote interview the place is the connection link or instructions. */
  distanciel: boolean;
  lieu: string;
}

export function presenterEntretien(entretien: Entretien): EntretienPresente {
  const distanciel = entretien.mode === 'distanciel';
  return {
    dateLibelle: libelleDate(entretien.date),
    heure: entretien.heure,
    mode: entretien.mode,
    modeLibelle: distanciel ? 'à distance' : 'sur place',
    distanciel,
    lieu: entretien.lieu,
  };
}

export interface VoeuPresente {
  rang: number;
  codeFormation: string;
  libelle: string;
  avisOrigine: string;
  avisAccueil: string;
  avisFinal: string;
}

/** A missing avis shows as a dash; an unknown code (a campaign newer than this code) as itself rather than nothing. */
function libelle(code: string | null | undefined): string {
  if (code === null || code === undefined) return '—';
  return isCodeAvis(code) ? libelleAvis(code) : code;
}

/** The vœux in rank order with their three avis in words; comments and anything like a grade stay out of mails. */
export function presenterVoeux(voeux: readonly Voeu[]): VoeuPresente[] {
  return [...voeux]
    .sort((a, b) => a.rang - b.rang)
    .map((v) => ({
      rang: v.rang,
      codeFormation: v.codeFormation,
      libelle: v.libelle,
      avisOrigine: libelle(v.avisOrigine?.avis),
      avisAccueil: libelle(v.avisAccueil?.avis),
      avisFinal: libelle(v.avisFinal),
    }));
}

/**
 * A deadline as staff read it: a deadline that ends a Paris day (23:59) is the day alone, e.g.
 * `jeudi 10 mai 2018`; any other instant (an interview) keeps its time, `jeudi 10 mai 2018 à 14:00`.
 */
export function libelleEcheance(instant: Date): string {
  const jour = libelleDate(parisDateOf(instant));
  const heure = parisTimeOf(instant);
  return heure === '23:59' ? jour : `${jour} à ${heure}`;
}

/** A campaign by its name (`Passpro Créteil 2027`); one this process does not know, by its id. */
export const libelleCampagne = (id: string): string => campagnes[id]?.libelle ?? id;

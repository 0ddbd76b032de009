// Public identifier formats of the Éducation nationale, checked without any registry look-up.

/** The 23 key letters of a UAI: I, O and Q are left out so a key never reads as a digit. */
const LETTRES_CLE_UAI = 'ABCDEFGHJKLMNPRSTUVWXYZ';

export type Academie = 'paris' | 'creteil' | 'versailles';

const ACADEMIE_PAR_DEPARTEMENT: Record<string, Academie> = {
  '075': 'paris',
  '077': 'creteil',
  '093': 'creteil',
  '094': 'creteil',
  '078': 'versailles',
  '091': 'versailles',
  '092': 'versailles',
  '095': 'versailles',
};

/** Key letter of a UAI from its first 7 digits: the letter at index (number mod 23). */
export function uaiCheckLetter(sevenDigits: string): string {
  if (!/^\d{7}$/.test(sevenDigits)) throw new Error(`7 chiffres attendus pour calculer la clé d'un UAI, reçu « ${sevenDigits} »`);
  return LETTRES_CLE_UAI[Number(sevenDigits) % 23];
}

/** A UAI is 7 digits and its key letter, in upper case. */
export function isValidUai(s: string): boolean {
  return /^\d{7}[A-Z]$/.test(s) && uaiCheckLetter(s.slice(0, 7)) === s[7];
}

/** The département code that opens a UAI (e.g. `094`); expects a valid UAI. */
export function departementOfUai(uai: string): string {
  return uai.slice(0, 3);
}

/** The Île-de-France académie a UAI belongs to, or null outside Paris, Créteil and Versailles. */
export function academieOfUai(uai: string): Academie | null {
  return ACADEMIE_PAR_DEPARTEMENT[departementOfUai(uai)] ?? null;
}

/** The académie's name as its staff write it. */
export const NOMS_ACADEMIES: Record<Academie, string> = { paris: 'Paris', creteil: 'Créteil', versailles: 'Versailles' };

/** The départements of an académie (`077`, `093`, `094` for Créteil). */
export function departementsDe(academie: Academie): string[] {
  return Object.keys(ACADEMIE_PAR_DEPARTEMENT).filter((d) => ACADEMIE_PAR_DEPARTEMENT[d] === academie);
}

export type IneFormat = 'rnie' | 'bea' | 'base36' | 'apprentissage' | 'provisoire';

/** The public INE formats; no key algorithm is public for all of them, so only the shape is checked. */
const FORMATS_INE: readonly [IneFormat, RegExp][] = [
  ['rnie', /^[0-9]{9}[A-HJK]{2}$/],
  ['bea', /^\d{10}[A-HJ-NPR-Z]$/],
  ['base36', /^[0-9A-Z]{10}\d$/],
  ['apprentissage', /^\d{4}A\d{5}[A-HJ-NPR-Z]$/],
  ['provisoire', /^\d{4}D\d{5}[A-HJ-NPR-Z]$/],
];

export function ineFormat(s: string): IneFormat | null {
  return FORMATS_INE.find(([, motif]) => motif.test(s))?.[0] ?? null;
}

export function isValidIne(s: string): boolean {
  return ineFormat(s) !== null;
}

/** Code MEF: 10 digits. */
export function isValidMef(s: string): boolean {
  return /^\d{10}$/.test(s);
}

/** MEF STAT 11, used by AFFELNET statistics: 11 digits. */
export function isValidMefStat11(s: string): boolean {
  return /^\d{11}$/.test(s);
}

/** Code formation diplôme (CFD): 8 characters, digits or upper-case letters. */
export function isValidCfd(s: string): boolean {
  return /^[0-9A-Z]{8}$/.test(s);
}

import { academieOfUai } from './identifiers';

/** The functional mailbox of a school, by the académies' convention `ce.<uai>@ac-<académie>.fr`. */
export function boiteFonctionnelle(uai: string): string {
  const academie = academieOfUai(uai) ?? 'creteil';
  return `ce.${uai.toLowerCase()}@ac-${academie}.fr`;
}

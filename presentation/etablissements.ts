// Schools as people read them: by name and commune from the catalogue, never by UAI alone.
import { catalogue } from '../domain/catalogue/index';

const parUai = new Map(catalogue.etablissements.map((e) => [e.uai, e]));

/** `Lycée Gabriel Péri (Champigny-sur-Marne)`; a school the catalogue does not hold, `Établissement 0931234L`. */
export function libelleEtablissement(uai: string): string {
  const etablissement = parUai.get(uai);
  return etablissement ? `${etablissement.nom} (${etablissement.commune})` : `Établissement ${uai}`;
}

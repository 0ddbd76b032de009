// The words of the SAIO's follow-up: each step and each lateness in French, and the same selection as a
// Temporal UI list query (workflows/search-attributes.ts), so a count on a page opens its workflows there.
import { campagneKey, enRetardKey, etapeKey, incidentKey, uaiAccueilKey, uaiOrigineKey } from '../workflows/search-attributes';

/** A selection of candidatures, as the list's filters and as the search attributes name it. */
export interface Selection {
  campagne?: string;
  etape?: string;
  uaiAccueil?: string;
  uaiOrigine?: string;
  enRetard?: boolean;
  incident?: boolean;
}

/** The visibility query of a selection: `PassproCampagne = "creteil-2027" AND PassproEtape = "a_planifier"`. */
export function requeteTemporal(s: Selection): string {
  const termes = [
    s.campagne !== undefined && `${campagneKey.name} = "${s.campagne}"`,
    s.etape !== undefined && `${etapeKey.name} = "${s.etape}"`,
    s.uaiAccueil !== undefined && `${uaiAccueilKey.name} = "${s.uaiAccueil}"`,
    s.uaiOrigine !== undefined && `${uaiOrigineKey.name} = "${s.uaiOrigine}"`,
    s.enRetard !== undefined && `${enRetardKey.name} = ${s.enRetard}`,
    s.incident !== undefined && `${incidentKey.name} = ${s.incident}`,
  ].filter((t): t is string => typeof t === 'string');
  // Every candidature's workflow carries its campaign: with no filter at all, that is the query.
  return termes.length > 0 ? termes.join(' AND ') : `${campagneKey.name} IS NOT NULL`;
}

/** The Temporal UI's list of the selection's workflows (its `query` parameter), in the default namespace. */
export const lienTemporal = (temporalUiUrl: string, s: Selection): string =>
  `${temporalUiUrl.replace(/\/$/, '')}/namespaces/default/workflows?query=${encodeURIComponent(requeteTemporal(s))}`;

/**
 * A selection as the list's query string (the list and the way to Temporal read the same parameters), written
 * out by hand rather than through a URLSearchParams: a dashboard writes hundreds of them per page.
 */
function parametres(s: Selection): string {
  let q = '';
  if (s.campagne !== undefined) q += `&campagne=${encodeURIComponent(s.campagne)}`;
  if (s.etape !== undefined) q += `&etape=${encodeURIComponent(s.etape)}`;
  if (s.uaiAccueil !== undefined) q += `&uaiAccueil=${encodeURIComponent(s.uaiAccueil)}`;
  if (s.uaiOrigine !== undefined) q += `&uaiOrigine=${encodeURIComponent(s.uaiOrigine)}`;
  if (s.enRetard !== undefined) q += `&enRetard=${s.enRetard}`;
  return q && `?${q.slice(1)}`;
}

/** The staff's list of the same selection. */
export const lienListe = (s: Selection): string => `/saio/candidatures${parametres(s)}`;

/**
 * The way to the selection's workflows in the Temporal UI through Passpro (`/saio/temporal`, which redirects to
 * `lienTemporal`): a dashboard holds hundreds of counts, and the query in full would make most of its bytes.
 */
export const lienVersTemporal = (s: Selection): string => `/saio/temporal${parametres(s)}`;

// What may reach a log line: no pupil's INE, name or e-mail. URLs and error messages have their INEs and
// e-mail addresses masked; database errors are told by their code and constraint alone, because their
// message and detail carry the values of the row (`Key (ine)=(…)`, the arguments of a Prisma call).
import { Transform } from 'node:stream';
import { isValidIne } from '../domain/identifiers';

const MASQUE = '***';
// An INE is 11 letters and digits; only the shapes of a real INE are masked (domain/identifiers.ts), in any case
// (a URL typed in lower case still names the pupil).
const motifIne = /(?<![0-9A-Za-z])[0-9A-Za-z]{11}(?![0-9A-Za-z])/g;
const motifCourriel = /[^\s<>()[\]{},;:"'@%]+@[^\s<>()[\]{},;:"'@%]+\.[A-Za-z]{2,}/g;

export function masquerDonnees(texte: string): string {
  return texte.replace(motifCourriel, MASQUE).replace(motifIne, (candidat) => (isValidIne(candidat.toUpperCase()) ? MASQUE : candidat));
}

/** A URL with its INEs masked, also where they are percent-encoded (a candidature id's `:` is `%3A`). */
export function masquerUrl(url: string): string {
  let decodee: string;
  try {
    decodee = decodeURIComponent(url);
  } catch {
    decodee = url;
  }
  return masquerDonnees(decodee);
}

interface ErreurDeBase {
  name?: string;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  meta?: { modelName?: unknown; target?: unknown; driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; constraint?: unknown } } };
}

const texteSur = (valeur: unknown) => (typeof valeur === 'string' ? valeur : Array.isArray(valeur) ? valeur.filter((v) => typeof v === 'string').join(',') : null);

/**
 * A database error, or null: Prisma's (a validation error prints the call's arguments; a request error names
 * the model, and through the driver adapter PostgreSQL's kind, code and constraint) or PostgreSQL's own (its
 * SQLSTATE and the parts of the schema it names; its message and detail hold values). Never the message.
 */
export function erreurDeBase(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as ErreurDeBase;
  const nom = e.name ?? '';
  const parties: string[] = [];
  const ajouter = (cle: string, valeur: unknown) => {
    const texte = texteSur(valeur);
    if (texte) parties.push(`${cle}=${texte}`);
  };
  if (nom.startsWith('PrismaClient')) {
    ajouter('code', e.code);
    ajouter('modele', e.meta?.modelName);
    ajouter('cible', e.meta?.target);
    const pg = e.meta?.driverAdapterError?.cause;
    if (pg) {
      ajouter('postgres', pg.originalCode);
      ajouter('type', pg.kind);
      const contrainte = pg.constraint as { fields?: unknown; index?: unknown } | undefined;
      ajouter('champs', contrainte?.fields);
      ajouter('index', contrainte?.index);
    }
  } else if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e) {
    ajouter('postgres', e.code);
    ajouter('contrainte', e.constraint);
    ajouter('table', e.table);
    ajouter('colonne', e.column);
  } else {
    return null;
  }
  return `${nom || 'erreur PostgreSQL'} (${parties.join(', ') || 'sans code'})`;
}

/** Any error as a log line may hold it: a database error by its code, others with their INEs and e-mails masked. */
export function descriptionErreur(error: unknown): string {
  const base = erreurDeBase(error);
  if (base) return base;
  if (!(error instanceof Error)) return masquerDonnees(String(error));
  const cause = error.cause === undefined ? '' : `\ncause : ${descriptionErreur(error.cause)}`;
  return `${masquerDonnees(error.stack ?? `${error.name}: ${error.message}`)}${cause}`;
}

/**
 * A child's output on its way to its log file, masked line by line (the Temporal dev server names workflows,
 * whose ids hold the INE; the mail catcher names recipients). A line is masked once whole.
 */
export function fluxMasque(): Transform {
  let reste = '';
  return new Transform({
    transform(morceau: Buffer, _encodage, fini) {
      const texte = reste + morceau.toString('utf8');
      const fin = texte.lastIndexOf('\n') + 1;
      reste = texte.slice(fin);
      fini(null, masquerDonnees(texte.slice(0, fin)));
    },
    flush(fini) {
      fini(null, masquerDonnees(reste));
    },
  });
}

// The CSV files Passpro gives (the SAIO's exports, the access journal): for a spreadsheet or AFFELNET,
// semicolon-separated as AFFELNET's extractions, UTF-8 with a byte-order mark (without it a French Excel
// misreads the accents), CRLF line ends, times in Paris.
import type { Response } from 'express';
import { parisDateOf, parisTimeOf } from '../domain/calendar';

/** A cell that a spreadsheet would read as a formula gets a leading quote (CSV injection). */
function cellule(valeur: string | number | null): string {
  const texte = valeur === null ? '' : String(valeur);
  const sur = /^[=+\-@\t\r]/.test(texte) ? `'${texte}` : texte;
  return /[;"\r\n]/.test(sur) ? `"${sur.replace(/"/g, '""')}"` : sur;
}

export function csv(colonnes: readonly string[], lignes: (string | number | null)[][]): string {
  return `\uFEFF${[colonnes, ...lignes].map((ligne) => ligne.map(cellule).join(';')).join('\r\n')}\r\n`;
}

export const heureParis = (d: Date | null) => (d ? `${parisDateOf(d)} ${parisTimeOf(d)}` : null);

export function envoyerCsv(res: Response, nom: string, contenu: string): void {
  res.type('text/csv; charset=utf-8').attachment(nom).send(contenu);
}

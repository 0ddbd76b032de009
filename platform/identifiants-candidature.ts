// A candidature's workflow id: `passpro:<campagne>:<pseudonyme>:<domaine>`. The id is shown in clear wherever
// Temporal names a workflow (its UI, visibility, its logs, the links of the mails): it carries no INE. The pupil is
// a pseudonym, an HMAC of the campaign and the INE under a key of the deployment (PASSPRO_ID_KEY): the same pupil
// and domaine give the same id, so a second inscription joins the running candidature, and without the key the
// id does not tell whose it is. The API finds a pupil's candidatures by INE in the database.
import { createHmac } from 'node:crypto';

const prefix = 'passpro';
/** 96 bits: no two pupils of an académie share a pseudonym. */
const CARACTERES_PSEUDONYME = 24;

export function pseudonymeEleve(cle: string, campagneId: string, ine: string): string {
  return createHmac('sha256', cle).update(`${campagneId}\n${ine}`).digest('hex').slice(0, CARACTERES_PSEUDONYME);
}

/** One workflow per pupil × domaine × campagne: the id makes a second interview in a domain impossible. */
export function candidatureWorkflowId(cle: string, campagneId: string, ine: string, domaine: string): string {
  return `${prefix}:${campagneId}:${pseudonymeEleve(cle, campagneId, ine)}:${domaine}`;
}

/** Whether `id` has the shape of a candidature's id (its pupil cannot be read from it). */
export function estCandidatureWorkflowId(id: string): boolean {
  const parts = id.split(':');
  return parts.length === 4 && parts[0] === prefix && /^[0-9a-f]+$/.test(parts[2]) && parts.every((p) => p.length > 0);
}

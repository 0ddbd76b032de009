// Workflow data encrypted before it leaves the process: every payload the worker and the client send to Temporal
// (inputs, states, update arguments and results, query answers, activity arguments) is AES-256-GCM ciphertext in
// Temporal's database and histories. The codec runs outside the workflow sandbox (the data converter's
// `payloadCodecs`), so the workflow code stays deterministic.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CompressionCodec } from './compression';

/** The encoding of an encrypted payload; any other payload passes through the codec unchanged. */
export const ENCODAGE_CHIFFRE = 'binary/encrypted';
/** The payload converter's `undefined` and `null`: metadata alone. */
const ENCODAGE_RIEN = 'binary/null';
/** The metadata that names the key a payload was encrypted with (rotation: old keys still decrypt). */
export const METADONNEE_CLE = 'encryption-key-id';

const ALGORITHME = 'aes-256-gcm';
const OCTETS_IV = 12;
const OCTETS_TAG = 16;
export const OCTETS_CLE = 32;

export interface ClesCodec {
  /** The key that encrypts new payloads. */
  courante: string;
  /** Every key that decrypts, the current one included. */
  cles: ReadonlyMap<string, Buffer>;
}

export class ErreurCodec extends Error {}

const texte = (octets: Uint8Array | null | undefined) => (octets ? Buffer.from(octets).toString('utf8') : undefined);

/**
 * The whole payload (its metadata included: the encoding tells the converter how to read the data) is encrypted
 * under a random IV; the key id is authenticated with it, so a payload cannot be passed off under another key.
 * Data: IV (12 bytes), ciphertext, tag (16 bytes).
 */
export class CodecChiffrement implements PayloadCodec {
  constructor(private readonly cles: ClesCodec) {
    if (!cles.cles.has(cles.courante)) throw new ErreurCodec(`clé courante inconnue : ${cles.courante}`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.cles.courante;
    const cle = this.cles.cles.get(id)!;
    return payloads.map((payload) => {
      // Nothing (an activity or a handler that returns nothing): no data to hide, and the most frequent payload.
      if (texte(payload.metadata?.encoding) === ENCODAGE_RIEN && !payload.data?.length) return payload;
      const iv = randomBytes(OCTETS_IV);
      const chiffreur = createCipheriv(ALGORITHME, cle, iv);
      chiffreur.setAAD(Buffer.from(id, 'utf8'));
      const clair = temporal.api.common.v1.Payload.encode(payload).finish();
      const chiffre = Buffer.concat([iv, chiffreur.update(clair), chiffreur.final(), chiffreur.getAuthTag()]);
      return { metadata: { encoding: Buffer.from(ENCODAGE_CHIFFRE), [METADONNEE_CLE]: Buffer.from(id, 'utf8') }, data: chiffre };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (texte(payload.metadata?.encoding) !== ENCODAGE_CHIFFRE) return payload;
      const id = texte(payload.metadata?.[METADONNEE_CLE]);
      const cle = id === undefined ? undefined : this.cles.cles.get(id);
      if (!cle) throw new ErreurCodec(`charge chiffrée avec une clé inconnue : ${id ?? '(aucune)'}`);
      const donnees = Buffer.from(payload.data ?? []);
      if (donnees.length < OCTETS_IV + OCTETS_TAG) throw new ErreurCodec('charge chiffrée tronquée');
      const dechiffreur = createDecipheriv(ALGORITHME, cle, donnees.subarray(0, OCTETS_IV));
      dechiffreur.setAAD(Buffer.from(id!, 'utf8'));
      dechiffreur.setAuthTag(donnees.subarray(donnees.length - OCTETS_TAG));
      let clair: Buffer;
      try {
        clair = Buffer.concat([dechiffreur.update(donnees.subarray(OCTETS_IV, donnees.length - OCTETS_TAG)), dechiffreur.final()]);
      } catch {
        throw new ErreurCodec(`charge chiffrée illisible avec la clé ${id}`);
      }
      return temporal.api.common.v1.Payload.decode(clair);
    });
  }
}

/**
 * `id:base64,id:base64` (PASSPRO_CODEC_KEYS) and the id of the one that encrypts (PASSPRO_CODEC_KEY_ID; with a
 * single key, that one). Returns the keys, or the reasons they are refused.
 */
export function lireClesCodec(liste: string, courante: string | undefined): ClesCodec | { refus: string[] } {
  const cles = new Map<string, Buffer>();
  const refus: string[] = [];
  for (const entree of liste.split(',').map((e) => e.trim()).filter((e) => e.length > 0)) {
    const separateur = entree.indexOf(':');
    const id = separateur > 0 ? entree.slice(0, separateur) : '';
    const cle = Buffer.from(entree.slice(separateur + 1), 'base64');
    if (!/^[A-Za-z0-9_.-]+$/.test(id)) refus.push(`PASSPRO_CODEC_KEYS: attendu id:clé_base64 (id en lettres, chiffres, « . », « _ », « - »), séparés par des virgules`);
    else if (cle.length !== OCTETS_CLE) refus.push(`PASSPRO_CODEC_KEYS: la clé ${id} fait ${cle.length} octets, ${OCTETS_CLE} attendus (openssl rand -base64 32)`);
    else if (cles.has(id)) refus.push(`PASSPRO_CODEC_KEYS: la clé ${id} est donnée deux fois`);
    else cles.set(id, cle);
  }
  if (refus.length > 0) return { refus };
  if (cles.size === 0) return { refus: ['PASSPRO_CODEC_KEYS: aucune clé (openssl rand -base64 32)'] };
  const id = courante ?? (cles.size === 1 ? [...cles.keys()][0] : undefined);
  if (id === undefined) return { refus: ['PASSPRO_CODEC_KEY_ID: requis avec plusieurs clés : celle qui chiffre'] };
  if (!cles.has(id)) return { refus: [`PASSPRO_CODEC_KEY_ID: ${id} n'est pas dans PASSPRO_CODEC_KEYS`] };
  return { courante: id, cles };
}

/**
 * The data converter of every client and worker that talks to Passpro's Temporal (and of the replay tests): one
 * codec, which the codec endpoint serves too, that compresses each payload and then encrypts it.
 */
export function convertisseurDonnees(cles: ClesCodec): DataConverter {
  const chaine: PayloadCodec[] = [new CompressionCodec(), new CodecChiffrement(cles)];
  const codec: PayloadCodec = {
    encode: (payloads) => chaine.reduce(async (p, c) => c.encode(await p), Promise.resolve(payloads)),
    decode: (payloads) => chaine.reduceRight(async (p, c) => c.decode(await p), Promise.resolve(payloads)),
  };
  return { payloadCodecs: [codec] };
}

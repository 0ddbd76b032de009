// Payloads compressed before they leave for Temporal's server: a candidature's state is JSON whose keys and
// labels repeat, and every history keeps each write and mail of it. The encryption codec runs after this one
// (compressed, then encrypted), since ciphertext no longer compresses.
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const protoPayload = temporal.api.common.v1.Payload;

const compresser = promisify(deflateRaw);
const decompresser = promisify(inflateRaw);

const ENCODAGE = 'binary/zlib';
const encodage = new TextEncoder().encode(ENCODAGE);
/** Under this size deflate's framing outweighs what it saves. */
const TAILLE_MINIMALE = 256;

const estCompresse = (payload: Payload) => payload.metadata?.encoding !== undefined && new TextDecoder().decode(payload.metadata.encoding) === ENCODAGE;

export class CompressionCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        if (!payload.data || payload.data.length < TAILLE_MINIMALE) return payload;
        const original = protoPayload.encode(payload).finish();
        const compresse = await compresser(original);
        if (compresse.length >= original.length) return payload;
        return { metadata: { encoding: encodage }, data: new Uint8Array(compresse) };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map(async (payload) => (estCompresse(payload) ? restaurer(await decompresser(payload.data ?? new Uint8Array())) : payload)));
  }
}

/** The payload as the converter expects it: plain byte arrays, not protobuf's Buffers. */
function restaurer(octets: Uint8Array): Payload {
  const { metadata, data } = protoPayload.decode(octets);
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([cle, valeur]) => [cle, new Uint8Array(valeur)])),
    data: new Uint8Array(data ?? []),
  };
}

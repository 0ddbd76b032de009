// The compression codec: what it shrinks comes back byte for byte, metadata included; small or incompressible
// payloads and payloads of other codecs pass through untouched.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { CompressionCodec } from '../../platform/compression';

const codec = new CompressionCodec();
const encodage = (p: { metadata?: Record<string, Uint8Array> | null }) => new TextDecoder().decode(p.metadata?.encoding);

it('compresses a candidature-sized JSON payload and restores it exactly', async () => {
  const etat = { voeux: Array.from({ length: 4 }, (_, i) => ({ codeFormation: `2402540${i}`, libelle: 'CAP Métallier', avisOrigine: { avis: 'favorable', commentaire: 'Élève motivé.' } })) };
  const payload = defaultPayloadConverter.toPayload(etat);
  const [encode] = await codec.encode([payload]);
  expect(encodage(encode)).toBe('binary/zlib');
  expect(encode.data!.length).toBeLessThan(payload.data!.length / 2);
  const [decode] = await codec.decode([encode]);
  expect(decode).toEqual(payload);
  expect(defaultPayloadConverter.fromPayload(decode)).toEqual(etat);
});

it('leaves small, incompressible and foreign payloads as they are', async () => {
  const petit = defaultPayloadConverter.toPayload({ id: 'a', etape: 'cloturee', version: 3 });
  const aleatoire = { metadata: { encoding: new TextEncoder().encode('binary/plain') }, data: new Uint8Array(randomBytes(4096)) };
  const [p, a] = await codec.encode([petit, aleatoire]);
  expect(p).toBe(petit);
  expect(a).toBe(aleatoire);
  expect(await codec.decode([petit, aleatoire])).toEqual([petit, aleatoire]);
});

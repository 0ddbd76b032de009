// The payload codec alone: AES-256-GCM round trip, the key id in the metadata, rotation, refusals.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { CodecChiffrement, ENCODAGE_CHIFFRE, ErreurCodec, lireClesCodec, METADONNEE_CLE, type ClesCodec } from '../../platform/codec';

const cle = () => randomBytes(32).toString('base64');
const cles = (liste: string, courante?: string) => {
  const lues = lireClesCodec(liste, courante);
  if ('refus' in lues) throw new Error(lues.refus.join('\n'));
  return lues;
};
const texte = (octets: Uint8Array | null | undefined) => Buffer.from(octets ?? []).toString('utf8');
const eleve = { ine: '123456789AB', nom: 'Durand', prenom: 'Léa' };

describe('payload codec', () => {
  const [k1, k2] = [cle(), cle()];

  it('encrypts every payload, names its key in the metadata, and decodes it back', async () => {
    const codec = new CodecChiffrement(cles(`k1:${k1}`));
    const clair = defaultPayloadConverter.toPayload(eleve);
    const [chiffre] = await codec.encode([clair]);
    expect(texte(chiffre.metadata?.encoding)).toBe(ENCODAGE_CHIFFRE);
    expect(texte(chiffre.metadata?.[METADONNEE_CLE])).toBe('k1');
    expect(Buffer.from(chiffre.data!).toString('latin1')).not.toMatch(/Durand|123456789AB|json/);
    const [relu] = await codec.decode([chiffre]);
    expect(defaultPayloadConverter.fromPayload(relu)).toEqual(eleve);
  });

  it('draws a new IV for each payload: the same value never reads the same twice', async () => {
    const codec = new CodecChiffrement(cles(`k1:${k1}`));
    const clair = defaultPayloadConverter.toPayload(eleve);
    const [a, b] = await codec.encode([clair, clair]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('still decodes what an old key encrypted once a new key is current (rotation)', async () => {
    const avant = new CodecChiffrement(cles(`k1:${k1}`));
    const [ancien] = await avant.encode([defaultPayloadConverter.toPayload(eleve)]);
    const apres = new CodecChiffrement(cles(`k1:${k1},k2:${k2}`, 'k2'));
    const [nouveau] = await apres.encode([defaultPayloadConverter.toPayload(eleve)]);
    expect(texte(nouveau.metadata?.[METADONNEE_CLE])).toBe('k2');
    const relus = await apres.decode([ancien, nouveau]);
    expect(relus.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([eleve, eleve]);
  });

  it('refuses a payload of an unknown key, a tampered one, and one passed off under another key', async () => {
    const codec = new CodecChiffrement(cles(`k1:${k1},k2:${k2}`, 'k1'));
    const [chiffre] = await codec.encode([defaultPayloadConverter.toPayload(eleve)]);
    await expect(new CodecChiffrement(cles(`k2:${k2}`)).decode([chiffre])).rejects.toThrow(new ErreurCodec('charge chiffrée avec une clé inconnue : k1'));
    const altere: Payload = { ...chiffre, data: Buffer.from(chiffre.data!).map((o, i) => (i === 20 ? o ^ 1 : o)) };
    await expect(codec.decode([altere])).rejects.toThrow(ErreurCodec);
    const autreCle: Payload = { ...chiffre, metadata: { ...chiffre.metadata, [METADONNEE_CLE]: Buffer.from('k2') } };
    await expect(codec.decode([autreCle])).rejects.toThrow(ErreurCodec);
  });

  it('leaves a payload of nothing (undefined, null) as it is: it has no data', async () => {
    const codec = new CodecChiffrement(cles(`k1:${k1}`));
    const rien = defaultPayloadConverter.toPayload(undefined);
    expect(await codec.encode([rien])).toEqual([rien]);
    const [chiffre] = await codec.encode([defaultPayloadConverter.toPayload('')]);
    expect(texte(chiffre.metadata?.encoding)).toBe(ENCODAGE_CHIFFRE);
  });

  it('passes unencrypted payloads through on decode', async () => {
    const codec = new CodecChiffrement(cles(`k1:${k1}`));
    const clair = defaultPayloadConverter.toPayload('déjà clair');
    expect(await codec.decode([clair])).toEqual([clair]);
  });

  it.each([
    ['', /aucune clé/],
    [`k1:${randomBytes(16).toString('base64')}`, /la clé k1 fait 16 octets, 32 attendus/],
    [`:${k1}`, /attendu id:clé_base64/],
    [`k1:${k1},k1:${k2}`, /la clé k1 est donnée deux fois/],
  ])('refuses the key list %j', (liste, message) => {
    const lues = lireClesCodec(liste, undefined);
    expect('refus' in lues && lues.refus.join('\n')).toMatch(message);
  });

  it('wants the current key named among several, and known', () => {
    expect(lireClesCodec(`k1:${k1},k2:${k2}`, undefined)).toEqual({ refus: ['PASSPRO_CODEC_KEY_ID: requis avec plusieurs clés : celle qui chiffre'] });
    expect(lireClesCodec(`k1:${k1}`, 'k9')).toEqual({ refus: ["PASSPRO_CODEC_KEY_ID: k9 n'est pas dans PASSPRO_CODEC_KEYS"] });
    expect((lireClesCodec(`k1:${k1},k2:${k2}`, 'k2') as ClesCodec).courante).toBe('k2');
  });
});

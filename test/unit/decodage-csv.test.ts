// How a class list's bytes become text (api/import.ts): UTF-8 with or without its byte-order mark, else
// Windows-1252 — all of it: Node 20's own decoder reads 0x80–0x9F as Latin-1 (nodejs/node#60888).
import { decoderCsv } from '../../api/import';
import { ApiError } from '../../api/errors';

describe('decoderCsv', () => {
  it('reads UTF-8, with or without a byte-order mark, and drops the mark', () => {
    expect(decoderCsv(Buffer.from('nom\r\nLefèvre œuvre €\r\n', 'utf8'))).toEqual({ texte: 'nom\r\nLefèvre œuvre €\r\n', encodage: 'utf-8' });
    expect(decoderCsv(Buffer.from('\uFEFFnom\r\nLefèvre\r\n', 'utf8'))).toEqual({ texte: 'nom\r\nLefèvre\r\n', encodage: 'utf-8-bom' });
  });

  it('reads what is not UTF-8 as Windows-1252, its 0x80–0x9F letters included; its five holes stay control characters for the fields to refuse', () => {
    const octets = Buffer.from([0x4c, 0x65, 0x66, 0xe8, 0x76, 0x72, 0x65, 0x20, 0x9c, 0x80, 0x92, 0x81]);
    expect(decoderCsv(octets)).toEqual({ texte: 'Lefèvre œ€’\u0081', encodage: 'windows-1252' });
    // The WHATWG table of 0x80–0x9F, and Latin-1 above (0xE8 makes the bytes invalid UTF-8).
    const table = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
      0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178];
    const tous = decoderCsv(Buffer.from([0xe8, ...Array.from({ length: 128 }, (_, i) => 0x80 + i)])).texte;
    expect([...tous].map((c) => c.codePointAt(0))).toEqual([0xe8, ...table, ...Array.from({ length: 96 }, (_, i) => 0xa0 + i)]);
  });

  it.each([
    ['UTF-16 LE with its mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nom', 'utf16le')])],
    ['UTF-16 BE with its mark', Buffer.from([0xfe, 0xff, 0x00, 0x6e])],
    ['UTF-16 without a mark', Buffer.from('nom;prenom', 'utf16le')],
    ['a zip file (xlsx)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
    ['a UTF-8 mark on bytes that are not UTF-8', Buffer.from([0xef, 0xbb, 0xbf, 0x4c, 0xe8])],
  ])('refuses %s: 400 encodage_non_supporte', (_cas, octets) => {
    const refus = (() => {
      try {
        decoderCsv(octets);
      } catch (error) {
        return error;
      }
    })();
    expect(refus).toBeInstanceOf(ApiError);
    expect(refus).toMatchObject({ status: 400, code: 'encodage_non_supporte', champ: 'body', message: expect.stringContaining('CSV UTF-8') });
  });
});

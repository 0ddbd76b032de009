// `npm run seed` on a real database: the catalogue and the campagnes of the repository, the same rows when
// run again, and a malformed file refused with its name and field before anything is written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { campagnes } from '../../domain/campaigns';
import { catalogue } from '../../domain/catalogue/index';
import type { PrismaClient } from '../../platform/database';
import { fichiersParDefaut, seed, seedSiVide, type FichiersSeed } from '../../runtime/seed';
import { testDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let dossier: string;
beforeAll(async () => {
  db = await testDatabase();
  dossier = mkdtempSync(path.join(tmpdir(), 'passpro-seed-'));
});
afterAll(async () => {
  await db?.close();
  rmSync(dossier, { recursive: true, force: true });
});

/** Every row of the five tables, in a stable order. */
async function contenu(prisma: PrismaClient) {
  return {
    etablissements: await prisma.etablissement.findMany({ orderBy: { uai: 'asc' } }),
    domaines: await prisma.domaine.findMany({ orderBy: { code: 'asc' } }),
    formations: await prisma.formation.findMany({ orderBy: { code: 'asc' } }),
    offres: await prisma.offre.findMany({ orderBy: [{ formationCode: 'asc' }, { uai: 'asc' }] }),
    campagnes: (await prisma.campagne.findMany({ orderBy: { id: 'asc' } })).map(({ updatedAt: _u, ...c }) => c),
  };
}

function ecrire(nom: string, json: unknown): string {
  const fichier = path.join(dossier, nom);
  writeFileSync(fichier, typeof json === 'string' ? json : JSON.stringify(json));
  return fichier;
}

describe('seed', () => {
  it('loads the catalogue and the campagnes, and gives the same rows when run again', async () => {
    const offres = catalogue.domaines.flatMap((d) => d.formations).reduce((n, f) => n + f.offres.length, 0);
    const attendu = {
      etablissements: catalogue.etablissements.length,
      domaines: catalogue.domaines.length,
      formations: catalogue.domaines.flatMap((d) => d.formations).length,
      offres,
      campagnes: Object.keys(campagnes).length,
    };
    expect(await seed(db.prisma)).toEqual(attendu);
    const apresUn = await contenu(db.prisma);
    expect(await seed(db.prisma)).toEqual(attendu);
    expect(await contenu(db.prisma)).toEqual(apresUn);
    expect(apresUn.campagnes.find((c) => c.id === 'creteil-2018')!.donnees).toEqual(campagnes['creteil-2018']);
    expect(apresUn.offres.find((o) => o.uai === '0940134K')).toEqual({ formationCode: expect.any(String), uai: '0940134K', modalite: 'collectif', interAcademique: false, retireeLe: null, modifieePar: null });
  });

  it('follows the file when a lycée no longer offers a formation', async () => {
    const reduit = structuredClone(catalogue);
    const formation = reduit.domaines.find((d) => d.code === 'metallerie')!.formations[0];
    const retiree = formation.offres.pop()!;
    const fichiers: FichiersSeed = { ...fichiersParDefaut(), catalogue: ecrire('reduit.json', reduit) };
    await seed(db.prisma, fichiers);
    expect(await db.prisma.offre.findUnique({ where: { formationCode_uai: { formationCode: formation.code, uai: retiree.uai } } })).toBeNull();
    await seed(db.prisma);
    expect(await db.prisma.offre.findUnique({ where: { formationCode_uai: { formationCode: formation.code, uai: retiree.uai } } })).not.toBeNull();
  });

  it("loads the files at the API's start only into a catalogue without offers: the SAIO's changes stay", async () => {
    const vide = await testDatabase();
    try {
      expect(await seedSiVide(vide.prisma)).toMatchObject({ offres: (await db.prisma.offre.count()) });
      const cle = { formationCode_uai: { formationCode: '24025401', uai: '0942175D' } };
      await vide.prisma.offre.update({ where: cle, data: { retireeLe: new Date(), modifieePar: 'SAIO' } });
      expect(await seedSiVide(vide.prisma)).toBeNull();
      expect(await vide.prisma.offre.findUnique({ where: cle })).toMatchObject({ retireeLe: expect.any(Date), modifieePar: 'SAIO' });
    } finally {
      await vide.close();
    }
  });
});

describe('seed refuses a malformed file, naming it and the field, and writes nothing', () => {
  let vide: TestDatabase;
  beforeAll(async () => {
    vide = await testDatabase();
  });
  afterAll(async () => {
    await vide?.close();
  });

  const rien = async () => expect(Object.values(await contenu(vide.prisma)).map((lignes) => lignes.length)).toEqual([0, 0, 0, 0, 0]);

  it('a catalogue with a wrong UAI check letter', async () => {
    const faux = structuredClone(catalogue);
    faux.etablissements[3].uai = `${faux.etablissements[3].uai.slice(0, 7)}${faux.etablissements[3].uai[7] === 'A' ? 'B' : 'A'}`;
    const fichier = ecrire('catalogue-faux.json', faux);
    await expect(seed(vide.prisma, { ...fichiersParDefaut(), catalogue: fichier })).rejects.toThrow(
      `${fichier} : etablissements.3.uai : UAI invalide (7 chiffres et la lettre clé)`,
    );
    await rien();
  });

  it('a campagne whose calendar goes backwards, among good ones', async () => {
    const faux = structuredClone(campagnes['creteil-2018']);
    faux.calendrier.finInscriptions = '2018-01-15';
    const fichier = ecrire('creteil-2018-faux.json', faux);
    const fichiers = fichiersParDefaut();
    await expect(seed(vide.prisma, { ...fichiers, campagnes: [...fichiers.campagnes, fichier] })).rejects.toThrow(
      /creteil-2018-faux\.json : calendrier\.finInscriptions : finInscriptions \(2018-01-15\) ne peut précéder ouvertureInscriptions/,
    );
    await rien();
  });

  it('a file that is not JSON', async () => {
    const fichier = ecrire('casse.json', '{ "id": "creteil-2018", ');
    await expect(seed(vide.prisma, { ...fichiersParDefaut(), campagnes: [fichier] })).rejects.toThrow(/casse\.json : JSON illisible/);
    await rien();
  });
});

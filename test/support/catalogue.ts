// The catalogue the API tests run on: the shipped one (as the API loads it at its first start), plus the
// offers the fixtures' vœux need, opened as the SAIO opens them (api/catalogue.ts): the fixtures' lycée
// offers Métallerie and Électricité, another lycée of the académie Métallerie.
import { ouvrirOffre, type OffreDemande } from '../../api/catalogue';
import type { PrismaClient } from '../../platform/database';
import { seedSiVide } from '../../runtime/seed';
import { LYCEE } from './fixtures';

/** A second lycée of Créteil that offers Métallerie (real check letter; not in the shipped catalogue). */
export const AUTRE_LYCEE = '0941999M';

const metallerie = { code: 'metallerie', libelle: 'Métallerie' };
const electricite = { code: 'electricite', libelle: 'Électricité' };

const formationsMetallerie = [
  { code: '24025401', mnemonique: '2NDPRO', libelle: 'Métiers des structures métalliques' },
  { code: '50025415', mnemonique: '1CAP2', libelle: 'Serrurier métallier' },
  { code: '50025416', mnemonique: '1CAP2', libelle: 'Métallier' },
] as const;
const etablissementAutreLycee = { nom: 'Lycée professionnel de Créteil', commune: 'Créteil', codeCommune: '94028' };

export const offresDeTest: OffreDemande[] = [
  ...formationsMetallerie.map((formation) => ({ uai: LYCEE, modalite: 'individuel' as const, domaine: metallerie, formation })),
  { uai: LYCEE, modalite: 'individuel', domaine: electricite, formation: { code: '40025510', mnemonique: '1CAP2', libelle: 'Électricien' } },
  ...formationsMetallerie.map((formation) => ({
    uai: AUTRE_LYCEE,
    modalite: 'individuel' as const,
    domaine: metallerie,
    formation,
    etablissement: etablissementAutreLycee,
  })),
];

export async function catalogueDeTest(prisma: PrismaClient): Promise<void> {
  await seedSiVide(prisma);
  for (const offre of offresDeTest) await ouvrirOffre(prisma, offre, 'tests');
}

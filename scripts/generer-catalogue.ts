// Writes domain/catalogue/catalogue.json (committed): the domaines and formations of the Créteil 2018 texts
// (seeds/creteil-2018-passpro-entretiens-individuels.txt, seeds/creteil-2017-assp-entretiens-collectifs.txt),
// offered by receiving lycées placed in real communes of Seine-et-Marne, Seine-Saint-Denis and Val-de-Marne
// (@etalab/decoupage-administratif), and the collèges of origin that the demo and the tests use, so that every
// school Passpro shows has a name and a commune. Deterministic: run it again, get the same file.
//   npx tsx scripts/generer-catalogue.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCatalogue, type Catalogue, type FormationCatalogue } from '../domain/catalogue';
import { uaiCheckLetter } from '../domain/identifiers';

type Mnemonique = FormationCatalogue['mnemonique'];
type Modalite = FormationCatalogue['offres'][number]['modalite'];

interface DomaineSource {
  code: string;
  libelle: string;
  /** [mnémonique, libellé, code when the project's tests already use one]. */
  formations: [Mnemonique, string, string?][];
  modalite?: Modalite;
  /** How many lycées offer the domaine (1 to 4). */
  lycees: number;
}

const DOMAINES: DomaineSource[] = [
  { code: 'aeronautique', libelle: 'Aéronautique', lycees: 1, formations: [['2NDPRO', 'Aéronautique (2nde commune : structure / système)']] },
  {
    code: 'communication-imprimerie',
    libelle: "Communication et métiers de l'imprimerie",
    lycees: 2,
    formations: [
      ['2NDPRO', "Artisanat et métiers d'art option communication visuelle plurimédia"],
      ['2NDPRO', 'Productions graphique, imprimerie et façonnage'],
    ],
  },
  { code: 'conduite-service-routier', libelle: 'Conduite et service routier', lycees: 1, formations: [['2NDPRO', 'Conducteur transport routier marchandises']] },
  { code: 'construction-carrosseries', libelle: 'Construction des carrosseries', lycees: 1, formations: [['2NDPRO', 'Construction des carrosseries']] },
  { code: 'ebeniste', libelle: 'Ébéniste', lycees: 1, formations: [['1CAP2', 'Ébéniste']] },
  { code: 'froid-conditionnement-air', libelle: "Froid et conditionnement d'air", lycees: 2, formations: [['2NDPRO', "Technicien du froid et du conditionnement d'air"]] },
  {
    code: 'hygiene-environnement',
    libelle: 'Hygiène et environnement',
    lycees: 2,
    formations: [
      ['1CAP2', "Agent de propreté et d'hygiène"],
      ['2NDPRO', 'Hygiène, propreté, stérilisation'],
    ],
  },
  {
    code: 'laboratoire',
    libelle: 'Laboratoire',
    lycees: 2,
    formations: [
      ['1CAP2', 'Employé technique de laboratoire'],
      ['2NDPRO', "Procédés de la chimie, de l'eau et des papiers-cartons"],
      ['2NDPROA', 'Alimentation bio-industrie de laboratoire'],
    ],
  },
  { code: 'logistique-transport', libelle: 'Logistique et transport', lycees: 3, formations: [['2NDPRO', 'Logistique et transport']] },
  {
    code: 'maintenance-industrielle',
    libelle: 'Maintenance industrielle',
    lycees: 2,
    formations: [
      ['2NDPRO', 'Étude et définition de produits industriels'],
      ['2NDPRO', 'Maintenance des équipements industriels'],
      ['2NDPRO', 'Microtechniques'],
    ],
  },
  { code: 'marchandisage-visuel', libelle: 'Marchandisage visuel', lycees: 1, formations: [['2NDPRO', "Artisanat et métiers d'art option marchandisage visuel"]] },
  {
    code: 'metallerie',
    libelle: 'Métallerie',
    lycees: 3,
    formations: [
      ['2NDPRO', 'Métiers des structures métalliques', '24025401'],
      ['1CAP2', 'Serrurier métallier', '50025415'],
      ['1CAP2', 'Réalisation industrielle en chaudronnerie ou soudage option chaudronnerie'],
      ['1CAP2', 'Ferronnier'],
      ['1CAP2', 'Menuisier aluminium verre'],
    ],
  },
  {
    code: 'metiers-du-bois',
    libelle: 'Métiers du bois',
    lycees: 2,
    formations: [
      ['1CAP2', 'Menuisier fabricant de menuiserie mobilier et agencement'],
      ['1CAP2', "Métiers du bois et de l'ameublement"],
      ['2NDPRO', "Métiers du bois et de l'ameublement"],
    ],
  },
  {
    code: 'ceramique-staff',
    libelle: 'Métiers de la céramique et du staff',
    lycees: 1,
    formations: [
      ['1CAP2', 'Staffeur ornemaniste'],
      ['1CAP2', 'Métiers de la céramique'],
    ],
  },
  {
    code: 'paysage-horticulture',
    libelle: "Métiers du paysage et de l'horticulture",
    lycees: 2,
    formations: [
      ['1CAP2A', "Métiers de l'agriculture"],
      ['1CAP2A', 'Jardinier paysagiste'],
      ['2NDPROA', 'Nature jardin paysage forêt'],
    ],
  },
  {
    code: 'mode-vetement-maroquinerie',
    libelle: 'Mode, vêtement et maroquinerie',
    lycees: 3,
    formations: [
      ['1CAP2', 'Métiers de la mode - vêtement flou'],
      ['1CAP2', 'Métiers de la mode - vêtement tailleur'],
      ['1CAP2', 'Maroquinerie'],
      ['2NDPRO', 'Métiers de la mode - vêtements'],
      ['2NDPRO', 'Métiers du cuir (maroquinerie)'],
    ],
  },
  { code: 'optique-lunetterie', libelle: 'Optique lunetterie', lycees: 1, formations: [['2NDPRO', 'Optique lunetterie']] },
  {
    code: 'service-personnes-territoires',
    libelle: 'Service aux personnes et aux territoires',
    lycees: 1,
    formations: [['2NDPROA', 'Service aux personnes et aux territoires']],
  },
  { code: 'photographie', libelle: 'Photographie', lycees: 1, formations: [['2NDPRO', 'Photographie']] },
  {
    code: 'pressing-blanchisserie',
    libelle: 'Pressing blanchisserie',
    lycees: 1,
    formations: [
      ['1CAP2', 'Métiers du pressing'],
      ['1CAP2', 'Métiers de la blanchisserie'],
    ],
  },
  { code: 'production-agricole', libelle: 'Production agricole', lycees: 1, formations: [['2NDPROA', 'Productions']] },
  { code: 'production-mecanique', libelle: 'Production et conception mécanique', lycees: 2, formations: [['2NDPRO', 'Production et conception mécanique']] },
  { code: 'signaletique-decor', libelle: 'Signalétique et décor', lycees: 1, formations: [['1CAP2', 'Signalétique et décors graphiques']] },
  // SPVL: individual interviews, except at the lycée Gabriel Péri (Champigny), added below as a collective session.
  { code: 'social-animation', libelle: 'Social et animation', lycees: 2, formations: [['2NDPRO', 'Services de proximité et vie locale']] },
  { code: 'tapisserie-ameublement', libelle: "Tapisserie d'ameublement", lycees: 1, formations: [['2NDPRO', "Artisanat et métiers d'art option tapisserie d'ameublement"]] },
  { code: 'traitement-materiaux', libelle: 'Traitement des matériaux', lycees: 1, formations: [['2NDPRO', 'Traitement des matériaux']] },
  { code: 'vente', libelle: 'Vente', lycees: 2, formations: [['2NDPROA', 'Conseil vente']] },
  // Collective information sessions: no avis, no bonus.
  {
    code: 'sante-aide-personne',
    libelle: 'Santé et aide à la personne',
    modalite: 'collectif',
    lycees: 4,
    formations: [['2NDPRO', 'Accompagnement, soins et services à la personne (2nde commune : domicile / structure)']],
  },
  {
    code: 'hotellerie-restauration',
    libelle: 'Hôtellerie-restauration',
    modalite: 'collectif',
    lycees: 3,
    formations: [
      ['1CAP2', 'Cuisine'],
      ['1CAP2', 'Commercialisation et services en hôtel-café-restaurant'],
      ['1CAP2', 'Pâtissier'],
      ['2NDPRO', 'Restauration'],
    ],
  },
];

/** The first digits of the project's codes, by mnémonique (CFD shape: 8 characters). */
const PREFIXE_CODE: Record<Mnemonique, string> = { '2NDPRO': '2402', '2NDPROA': '2732', '1CAP2': '5002', '1CAP2A': '5732' };
const LIBELLE_MNEMONIQUE: Record<Mnemonique, string> = { '2NDPRO': '2nde pro', '2NDPROA': '2nde pro agricole', '1CAP2': 'CAP', '1CAP2A': 'CAP agricole' };

/** The lycée Gabriel Péri at Champigny-sur-Marne, named by the 2018 text; its UAI is the one the tests use. */
const GABRIEL_PERI = { uai: '0940134K', nom: 'Lycée Gabriel Péri', codeCommune: '94017' };
/** Lycées per département, placed in its most populous communes. */
const LYCEES_PAR_DEPARTEMENT = 8;

interface Commune {
  code: string;
  nom: string;
  departement: string;
  type: string;
  population?: number;
}

/** The collèges of test/support/fixtures.ts and test/api/harness.ts, and another one of the validators' tests. */
const COLLEGES_DES_TESTS = [
  { uai: '0931234L', nom: 'Collège Lucie Aubrac', codeCommune: '93008' },
  { uai: '0931999T', nom: 'Collège Georges Politzer', codeCommune: '93048' },
  { uai: '0932222K', nom: 'Collège Aimé Césaire', codeCommune: '93001' },
];
/** Collèges per département, one in each of its most populous communes, as many as the demo draws from. */
const COLLEGES_PAR_DEPARTEMENT = 20;
const PATRONYMES_COLLEGES = [
  'Jean Jaurès', 'Victor Hugo', 'Jules Ferry', 'Louise Michel', 'Jean Moulin', 'Paul Éluard', 'Pablo Picasso', 'Jacques Prévert',
  'Marie Curie', 'Albert Camus', 'Jean Macé', 'Henri Wallon', 'Georges Brassens', 'Romain Rolland', 'Anatole France',
  'Gustave Courbet', 'Joliot-Curie', 'Pierre de Ronsard', 'Jean de La Fontaine', 'Elsa Triolet',
];

interface Communes {
  nom(code: string): string;
  /** The département's communes, most populous first. */
  plusPeuplees(departement: string): Commune[];
}

function communes(): Communes {
  // Read, not imported: typing 37 000 communes would slow the type check of the whole project.
  const toutes = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as Commune[];
  const actuelles = toutes.filter((c) => c.type === 'commune-actuelle');
  return {
    nom: (code) => actuelles.find((c) => c.code === code)!.nom,
    plusPeuplees: (departement) =>
      actuelles
        .filter((c) => c.departement === departement)
        .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.code.localeCompare(b.code)),
  };
}

/**
 * The demo's collèges (scripts/demo/population.ts draws from them in this order: its UAIs are the ones it
 * generated before the catalogue had collèges), then the tests' ones.
 */
function colleges(c: Communes): Catalogue['etablissements'] {
  const departements = ['93', '94', '77'];
  const demo = Array.from({ length: COLLEGES_PAR_DEPARTEMENT * departements.length }, (_, i) => {
    const departement = departements[i % departements.length];
    const rang = Math.floor(i / departements.length);
    const commune = c.plusPeuplees(departement)[rang];
    const chiffres = `0${departement}${5001 + i * 3}`;
    return {
      uai: `${chiffres}${uaiCheckLetter(chiffres)}`,
      nom: `Collège ${PATRONYMES_COLLEGES[(rang * 7 + i) % PATRONYMES_COLLEGES.length]}`,
      commune: commune.nom,
      codeCommune: commune.code,
    };
  });
  return [...demo, ...COLLEGES_DES_TESTS.map((e) => ({ ...e, commune: c.nom(e.codeCommune) }))];
}

function lycees(c: Communes): Catalogue['etablissements'] {
  const etablissements: Catalogue['etablissements'] = [{ ...GABRIEL_PERI, commune: c.nom(GABRIEL_PERI.codeCommune) }];
  for (const departement of ['77', '93', '94']) {
    const plusPeuplees = c
      .plusPeuplees(departement)
      .filter((commune) => commune.code !== GABRIEL_PERI.codeCommune)
      .slice(0, LYCEES_PAR_DEPARTEMENT);
    plusPeuplees.forEach((commune, i) => {
      const chiffres = `0${departement}${String(2101 + i * 37).padStart(4, '0')}`;
      etablissements.push({
        uai: `${chiffres}${uaiCheckLetter(chiffres)}`,
        nom: `Lycée professionnel de ${commune.nom}`,
        commune: commune.nom,
        codeCommune: commune.code,
      });
    });
  }
  return etablissements;
}

function catalogue(): Catalogue {
  const c = communes();
  const etablissements = lycees(c);
  // Gabriel Péri hosts SPVL's collective session only: the other domaines go round the other lycées.
  const autres = etablissements.filter((e) => e.uai !== GABRIEL_PERI.uai).map((e) => e.uai);
  let suivant = 0;
  const domaines = DOMAINES.map((d, i) => {
    const offrants = Array.from({ length: d.lycees }, (_, k) => autres[(suivant + k) % autres.length]);
    suivant += d.lycees;
    const numero = String(i + 1).padStart(2, '0');
    return {
      code: d.code,
      libelle: d.libelle,
      formations: d.formations.map(([mnemonique, libelle, code], j) => {
        const offres = offrants.map((uai) => ({ uai, modalite: d.modalite ?? ('individuel' as Modalite) }));
        if (d.code === 'social-animation') offres.push({ uai: GABRIEL_PERI.uai, modalite: 'collectif' });
        return {
          code: code ?? `${PREFIXE_CODE[mnemonique]}${numero}${String(j + 1).padStart(2, '0')}`,
          mnemonique,
          libelle: `${LIBELLE_MNEMONIQUE[mnemonique]} ${libelle.charAt(0).toLowerCase()}${libelle.slice(1)}`,
          offres,
        };
      }),
    };
  });
  return {
    source:
      "Domaines et formations : liste Passpro Créteil 2018 des entretiens individuels (seeds/creteil-2018-passpro-entretiens-individuels.txt), " +
      "séances collectives ASSP (seeds/creteil-2017-assp-entretiens-collectifs.txt), hôtellerie-restauration et SPVL du lycée Gabriel Péri " +
      "à Champigny-sur-Marne (nouveautés 2018). Les textes ne donnent ni les codes ni la carte des formations : les codes (forme CFD, " +
      '8 caractères) et les lycées offrant chaque formation sont fictifs, attribués par scripts/generer-catalogue.ts ; leurs UAI ont une ' +
      'lettre clé exacte et leurs communes sont réelles (@etalab/decoupage-administratif). Les collèges d\'origine (ceux de la démonstration ' +
      'et des tests) sont fictifs de même, dans de vraies communes. À remplacer par la carte des formations du SAIO et la liste des collèges.',
    etablissements: [...etablissements, ...colleges(c)],
    domaines,
  };
}

const fichier = path.resolve(__dirname, '../domain/catalogue/catalogue.json');
writeFileSync(fichier, `${JSON.stringify(parseCatalogue(catalogue()), null, 2)}\n`);
console.log(`écrit ${path.relative(process.cwd(), fichier)}`);

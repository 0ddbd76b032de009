// The SAIO's CSV exports on a real database, the rows written by the persistence activity from the states a
// candidature reaches (avis final by the campaign's matrix, bonus by its rule, as the workflow decides them);
// and the API routes, SAIO only, on the API suites' stack.
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { saveCandidature } from '../../activities/persistence';
import { colonnesAffelnet, colonnesRetards, exportAffelnet, exportRetards } from '../../api/exports';
import { calculerAvisFinal } from '../../domain/avis';
import { endOfParisDay } from '../../domain/calendar';
import { calculerBonus } from '../../domain/campaign-rules';
import { campagnes } from '../../domain/campaigns';
import type { Acteur, CandidatureState, Etape, Retard } from '../../domain/candidature';
import { bearer, startStack, type Stack } from '../api/harness';
import { chefAccueil, chefOrigine, COLLEGE, LYCEE } from '../support/fixtures';

const systeme: Acteur = { role: 'systeme', uai: null, nom: 'Passpro' };
const AUTRE_COLLEGE = '0931999T';

interface VoeuEtat {
  code: string;
  libelle: string;
  origine: string | null;
  accueil: string | null;
}

/**
 * A candidature as the workflow leaves it: avis final by the campaign's matrix once the fiche is ready,
 * bonus by its rule once confirmation and AFFELNET entry are in (`aTemps`: before the deadline).
 */
function etat(
  campagneId: string,
  ine: string,
  domaine: string,
  voeux: VoeuEtat[],
  { etape, aTemps = null, retards = [], uaiOrigine = COLLEGE }: { etape: Etape; aTemps?: boolean | null; retards?: Retard[]; uaiOrigine?: string },
): CandidatureState {
  const campagne = campagnes[campagneId];
  const ficheFaite = etape === 'confirmation_attendue' || etape === 'cloturee';
  const le = '2026-05-10T08:00:00.000Z';
  return {
    id: `passpro:${campagneId}:${ine}:${domaine}`,
    campagneId,
    eleve: { ine, nom: `Nom ${ine}`, prenom: 'Léa', niveau: '3e', uaiOrigine, referentNom: 'M. Durand', referentEmail: 'pp.durand@ac-creteil.fr' },
    domaine: { code: domaine, libelle: `Domaine ${domaine}` },
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    etape,
    etapeDepuis: '2026-04-01T08:00:00.000Z',
    inscritLe: etape === 'recensement' ? null : '2026-02-01T08:00:00.000Z',
    voeux: voeux.map((v, i) => {
      const avisFinal = ficheFaite ? calculerAvisFinal(campagne.matrice, v.origine, v.accueil) : null;
      return {
        codeFormation: v.code,
        libelle: v.libelle,
        rang: i + 1,
        ajouteEnEntretien: false,
        avisOrigine: v.origine ? { avis: v.origine, commentaire: 'Motivée.', par: chefOrigine, le, enRetard: false } : null,
        avisAccueil: v.accueil ? { avis: v.accueil, par: chefAccueil, le, enRetard: false } : null,
        avisFinal,
        bonus: aTemps === null || avisFinal === null ? null : calculerBonus(campagne, avisFinal, aTemps),
      };
    }),
    entretien: null,
    compteRendu: null,
    ficheRecapitulativeLe: ficheFaite ? le : null,
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: aTemps,
    echeances: {
      inscription: endOfParisDay('2026-04-13').toISOString(),
      entretiens: endOfParisDay('2026-05-11').toISOString(),
      compteRendu: null,
      ficheRecapitulative: endOfParisDay('2026-05-23').toISOString(),
      affelnet: endOfParisDay('2026-05-23').toISOString(),
      cloture: endOfParisDay('2026-06-30').toISOString(),
    },
    prochaineEcheance: retards.length > 0 ? endOfParisDay('2026-05-11').toISOString() : null,
    retards,
    evenementsTraites: [],
    historique: [{ type: 'recensement', acteur: systeme, survenuLe: '2026-02-01T08:00:00.000Z' }],
    version: 1,
  };
}

const msm = { code: '24025401', libelle: '2nde pro métiers des structures métalliques' };
const serrurier = { code: '50025415', libelle: 'CAP serrurier métallier' };
const laboratoire = { code: '50020801', libelle: 'CAP employé technique de laboratoire' };

const lire = (csv: string) => parseCsv(csv, { bom: true, delimiter: ';', columns: true }) as Record<(typeof colonnesAffelnet)[number], string>[];
const lireRetards = (csv: string) => parseCsv(csv, { bom: true, delimiter: ';', columns: true }) as Record<(typeof colonnesRetards)[number], string>[];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('exports');
  const etats = [
    // Créteil 2018: points by avis final, if confirmed and entered before the deadline.
    etat('creteil-2018', '300000001AB', 'metallerie', [
      { ...msm, origine: 'favorable', accueil: 'favorable' },
      { ...serrurier, origine: 'assez_favorable', accueil: 'favorable' },
    ], { etape: 'cloturee', aTemps: true }),
    etat('creteil-2018', '300000001AB', 'laboratoire', [{ ...laboratoire, origine: 'favorable', accueil: 'favorable' }], { etape: 'cloturee', aTemps: false }),
    etat('creteil-2018', '300000002AB', 'metallerie', [{ ...msm, origine: null, accueil: 'favorable' }], { etape: 'confirmation_attendue' }),
    etat('creteil-2018', '300000003AB', 'metallerie', [{ ...msm, origine: 'reserve', accueil: 'ne_se_prononce_pas' }], { etape: 'cloturee', aTemps: true, uaiOrigine: AUTRE_COLLEGE }),
    // Neither recensed only, nor withdrawn, nor late ones still waiting go to AFFELNET with an avis.
    etat('creteil-2018', '300000004AB', 'metallerie', [{ ...msm, origine: null, accueil: null }], { etape: 'recensement' }),
    etat('creteil-2018', '300000005AB', 'metallerie', [{ ...msm, origine: 'favorable', accueil: null }], { etape: 'desistee' }),
    etat('creteil-2018', '300000006AB', 'metallerie', [{ ...serrurier, origine: null, accueil: null }], { etape: 'a_planifier', retards: ['planification'] }),
    // Créteil 2021: Passpro gives no bonus.
    etat('creteil-2021', '300000007AB', 'metallerie', [{ ...msm, origine: 'favorable', accueil: 'favorable' }], { etape: 'cloturee', aTemps: true }),
    // Paris 2023: +2500 points when the avis final is favourable.
    etat('paris-2023', '300000008AB', 'metallerie', [
      { ...msm, origine: 'favorable', accueil: 'favorable' },
      { ...serrurier, origine: 'reserve', accueil: 'reserve' },
    ], { etape: 'cloturee', aTemps: true }),
  ];
  for (const e of etats) await saveCandidature(stack.db, e);
});
afterAll(async () => {
  await stack?.stop();
});

describe('AFFELNET export', () => {
  it('has the documented columns, semicolon-separated, with a byte-order mark and CRLF line ends', async () => {
    const csv = (await exportAffelnet(stack.db.prisma, 'creteil-2018')).contenu;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(`\uFEFF${colonnesAffelnet.join(';')}`);
    expect(colonnesAffelnet).toEqual(
      expect.arrayContaining(['INE', 'Code UAI étab. origine', 'Rang du voeu', 'Code MEF', 'Code UAI étab. Accueil', 'Avec barème ?']),
    );
  });

  it('gives one row per vœu of the registered, not withdrawn candidatures of the campaign, ranked per pupil', async () => {
    const lignes = lire((await exportAffelnet(stack.db.prisma, 'creteil-2018')).contenu);
    expect(lignes.map((l) => [l.INE, l['Rang du voeu'], l['Code MEF'], l['Code UAI étab. origine'], l['Code UAI étab. Accueil']])).toEqual([
      ['300000001AB', '1', msm.code, COLLEGE, LYCEE],
      ['300000001AB', '2', serrurier.code, COLLEGE, LYCEE],
      ['300000001AB', '3', laboratoire.code, COLLEGE, LYCEE],
      ['300000002AB', '1', msm.code, COLLEGE, LYCEE],
      ['300000003AB', '1', msm.code, AUTRE_COLLEGE, LYCEE],
      ['300000006AB', '1', serrurier.code, COLLEGE, LYCEE],
    ]);
  });

  it("grants Créteil 2018's points by avis final, only when confirmed before the deadline; none while undecided", async () => {
    const lignes = lire((await exportAffelnet(stack.db.prisma, 'creteil-2018')).contenu);
    expect(lignes.map((l) => [l.INE, l['Code MEF'], l["Avis d'origine"], l["Avis d'accueil"], l['Avis final'], l.Bonus, l['Avec barème ?']])).toEqual([
      ['300000001AB', msm.code, 'favorable', 'favorable', 'tres_favorable', '3000', 'O'],
      ['300000001AB', serrurier.code, 'assez_favorable', 'favorable', 'favorable', '2000', 'O'],
      ['300000001AB', laboratoire.code, 'favorable', 'favorable', 'tres_favorable', '0', 'N'],
      ['300000002AB', msm.code, '', 'favorable', 'incomplet', '', 'N'],
      ['300000003AB', msm.code, 'reserve', 'ne_se_prononce_pas', 'reserve', '0', 'N'],
      ['300000006AB', serrurier.code, '', '', '', '', 'N'],
    ]);
  });

  it('grants nothing in Créteil 2021, and 2500 points for a favourable avis final in Paris 2023', async () => {
    const creteil = lire((await exportAffelnet(stack.db.prisma, 'creteil-2021')).contenu);
    expect(creteil.map((l) => [l['Avis final'], l.Bonus, l['Avec barème ?']])).toEqual([['tres_favorable', '0', 'N']]);
    const paris = lire((await exportAffelnet(stack.db.prisma, 'paris-2023')).contenu);
    expect(paris.map((l) => [l['Code MEF'], l['Avis final'], l.Bonus, l['Avec barème ?']])).toEqual([
      [msm.code, 'tres_favorable', '2500', 'O'],
      [serrurier.code, 'reserve', '0', 'N'],
    ]);
  });
});

describe('export of late candidatures', () => {
  it('lists the candidatures with an open lateness, where they are stuck and since when (Paris time)', async () => {
    const lignes = lireRetards((await exportRetards(stack.db.prisma)).contenu);
    expect(lignes).toEqual([
      expect.objectContaining({
        Candidature: 'passpro:creteil-2018:300000006AB:metallerie',
        Campagne: 'creteil-2018',
        INE: '300000006AB',
        Étape: 'a_planifier',
        "Dans l'étape depuis (heure de Paris)": '2026-04-01 10:00',
        Retards: 'planification',
        'Échéance (heure de Paris)': '2026-05-11 23:59',
      }),
    ]);
    expect(lireRetards((await exportRetards(stack.db.prisma, 'creteil-2021')).contenu)).toEqual([]);
  });
});

describe('GET /exports/*.csv', () => {
  it('serves the SAIO the same file as the command line, as an attachment', async () => {
    const res = await request(stack.app).get('/exports/affelnet.csv?campagne=creteil-2018').set('authorization', await bearer('saio'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=affelnet-creteil-2018.csv');
    expect(res.text).toBe((await exportAffelnet(stack.db.prisma, 'creteil-2018')).contenu);
    const retards = await request(stack.app).get('/exports/retards.csv').set('authorization', await bearer('saio'));
    expect([retards.status, retards.text]).toEqual([200, (await exportRetards(stack.db.prisma)).contenu]);
  });

  it.each(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef'] as const)('refuses %s (403)', async (role) => {
    for (const chemin of ['/exports/affelnet.csv?campagne=creteil-2018', '/exports/retards.csv']) {
      const res = await request(stack.app).get(chemin).set('authorization', await bearer(role));
      expect([chemin, res.status, res.body.erreur?.code]).toEqual([chemin, 403, 'acces_refuse']);
    }
  });

  it('refuses an anonymous caller (401), and a missing or unknown campaign (400, naming the parameter)', async () => {
    const anonyme = await request(stack.app).get('/exports/retards.csv');
    expect([anonyme.status, anonyme.body.erreur.code]).toEqual([401, 'non_authentifie']);
    for (const requete of ['', '?campagne=lyon-2027', '?campagne=creteil-2018&format=xls']) {
      const res = await request(stack.app).get(`/exports/affelnet.csv${requete}`).set('authorization', await bearer('saio'));
      expect([requete, res.status, res.body.erreur.code, res.body.erreur.champ?.startsWith('query')]).toEqual([requete, 400, 'requete_invalide', true]);
    }
  });
});

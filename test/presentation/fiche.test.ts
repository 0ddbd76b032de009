// The fiche récapitulative, HTML and PDF, from realistic candidature states: every avis, the compte rendu,
// the next step and the campaign's bonus rule; user text escaped; the PDF's text read back by a real PDF
// reader (pdf.js, through pdf-parse); and never a request for a grade or a school report.
import { libelleEtablissement } from '../../presentation/etablissements';
import pdfParse from 'pdf-parse';
import type { AvisFinal } from '../../domain/avis';
import { endOfParisDay } from '../../domain/calendar';
import { campagnes } from '../../domain/campaigns';
import { ficheHtml, fichePdf, fichesPdf, presenterFiche, texteWinAnsi } from '../../presentation/fiche';
import type { Acteur, CandidatureState, Entretien, Voeu } from '../../domain/candidature';
import { COLLEGE, LYCEE } from '../support/fixtures';

const chef: Acteur = { role: 'origine_chef', uai: COLLEGE, nom: 'Mme Principale' };
const proviseur: Acteur = { role: 'accueil_chef', uai: LYCEE, nom: 'M. Proviseur' };
const AUTRE_LYCEE = '0772223Y'; // Seine-et-Marne, valid check letter
const INE = '123456789AB';

function entretien(overrides: Partial<Entretien> = {}): Entretien {
  return {
    date: '2018-04-10',
    heure: '14:00',
    lieu: 'Lycée Jean Macé, atelier B12',
    mode: 'presentiel',
    dureeMinutes: 30,
    derogation: false,
    motifDerogation: null,
    sequence: 1,
    statut: 'tenu',
    planifiePar: proviseur,
    ...overrides,
  };
}

const saisi = (avis: string, par: Acteur) => ({ avis, par, le: '2018-04-05T10:00:00.000Z', enRetard: false });

function voeu(
  rang: number,
  codeFormation: string,
  libelle: string,
  avis: { origine?: [string, string]; accueil?: string; final?: AvisFinal; bonus?: number } = {},
): Voeu {
  return {
    rang,
    codeFormation,
    libelle,
    ajouteEnEntretien: false,
    avisOrigine: avis.origine ? { ...saisi(avis.origine[0], chef), commentaire: avis.origine[1] } : null,
    avisAccueil: avis.accueil ? saisi(avis.accueil, proviseur) : null,
    avisFinal: avis.final ?? null,
    bonus: avis.bonus ?? null,
  };
}

function etat(overrides: Partial<CandidatureState> = {}): CandidatureState {
  const domaine = overrides.domaine ?? { code: 'metallerie', libelle: 'Métallerie' };
  const campagneId = overrides.campagneId ?? 'creteil-2018';
  return {
    id: `passpro:${campagneId}:${INE}:${domaine.code}`,
    campagneId,
    eleve: {
      ine: INE,
      nom: 'Martin',
      prenom: 'Léa',
      niveau: '3e',
      uaiOrigine: COLLEGE,
      referentNom: 'M. Durand',
      referentEmail: 'pp.durand@ac-creteil.fr',
    },
    domaine,
    modalite: 'individuel',
    uaiAccueil: LYCEE,
    etape: 'confirmation_attendue',
    etapeDepuis: '2018-04-12T07:00:00.000Z',
    inscritLe: '2018-02-01T10:00:00.000Z',
    voeux: [],
    entretien: entretien(),
    compteRendu: null,
    ficheRecapitulativeLe: '2018-04-12T07:00:00.000Z',
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: null,
    echeances: {
      inscription: endOfParisDay('2018-04-13').toISOString(),
      entretiens: endOfParisDay('2018-05-11').toISOString(),
      compteRendu: endOfParisDay('2018-04-13').toISOString(),
      ficheRecapitulative: endOfParisDay('2018-05-23').toISOString(),
      affelnet: endOfParisDay('2018-05-23').toISOString(),
      cloture: endOfParisDay('2018-06-30').toISOString(),
    },
    prochaineEcheance: endOfParisDay('2018-05-23').toISOString(),
    retards: [],
    evenementsTraites: [],
    historique: [],
    version: 9,
    ...overrides,
  };
}

const COMPTE_RENDU = "Élève curieuse, a visité les ateliers ; très à l'aise à la forge.\nConseil : un stage d'observation en métallerie, et préparer l'entretien de 2nde pro avec son professeur principal.";

/** (a) one individual candidature, three vœux, every avis, the compte rendu: the fiche is ready. */
const complete = () =>
  etat({
    voeux: [
      voeu(1, '24025401', '2nde pro métiers des structures métalliques', { origine: ['favorable', 'Très motivée, stage de 3e en ferronnerie.'], accueil: 'favorable', final: 'tres_favorable' }),
      voeu(2, '50025415', 'CAP serrurier métallier', { origine: ['assez_favorable', 'Projet à affiner.'], accueil: 'favorable', final: 'favorable' }),
      voeu(3, '50025416', 'CAP métallier', { origine: ['reserve', 'Peu investie sur ce CAP.'], accueil: 'assez_favorable', final: 'peu_favorable' }),
    ],
    compteRendu: { texte: COMPTE_RENDU, par: proviseur, le: '2018-04-12T07:00:00.000Z', enRetard: false },
  });

/** (b) the pupil did not come: no compte rendu, no avis d'accueil, every avis final incomplet. */
const absente = () =>
  etat({
    entretien: entretien({ statut: 'absent' }),
    voeux: [
      voeu(1, '24025401', '2nde pro métiers des structures métalliques', { origine: ['favorable', 'Motivée.'], final: 'incomplet' }),
      voeu(2, '50025415', 'CAP serrurier métallier', { final: 'incomplet' }),
    ],
  });

/** (c) a second domaine of the same pupil, at another lycée, interview held at a distance. */
const maintenance = () =>
  etat({
    domaine: { code: 'maintenance-vehicules', libelle: 'Maintenance des véhicules' },
    uaiAccueil: AUTRE_LYCEE,
    entretien: entretien({ date: '2018-04-11', heure: '09:30', mode: 'distanciel', lieu: 'https://visio.ac-creteil.fr/xyz' }),
    voeux: [voeu(1, '25025202', '2nde pro maintenance des véhicules', { origine: ['assez_favorable', 'Bricole des mobylettes.'], accueil: 'reserve', final: 'peu_favorable' })],
    compteRendu: { texte: "Projet encore flou : découvrir l'atelier lors d'un mini-stage.", par: proviseur, le: '2018-04-13T07:00:00.000Z', enRetard: false },
    ficheRecapitulativeLe: '2018-04-13T07:00:00.000Z',
  });

/** The visible text of an HTML page, whitespace collapsed, entities of the escaped text decoded. */
function visible(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * The text a PDF reader extracts, whitespace collapsed (lines wrap anywhere). pdf.js must be given a plain
 * Uint8Array: from a Node Buffer (a view into a shared pool) it reads the pool's start, not the view's.
 */
async function textePdf(pdf: Buffer): Promise<string> {
  const { text } = await pdfParse(new Uint8Array(pdf) as Buffer);
  return text.replace(/\s+/g, ' ');
}

/** No grade, no school report: the words are not there at all (the state holds none). */
function expectNeverAsksForGrades(texte: string): void {
  expect(texte).not.toMatch(/bulletin/i);
  expect(texte).not.toMatch(/\bnotes?\b|moyenne|relevé/i);
}

const un = (s: string) => s.replace(/\s+/g, ' ');

describe('fiche récapitulative (HTML)', () => {
  it('(a) a full individual candidature: pupil, lycée, interview, compte rendu, every avis, bonus and next step', () => {
    const html = ficheHtml([complete()]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="fr">');
    const texte = visible(html);
    expect(texte).toContain('Fiche récapitulative');
    expect(texte).toContain('Léa Martin');
    expect(texte).toContain(`INE ${INE}`);
    expect(texte).toContain(`Collège (établissement d'origine) ${libelleEtablissement(COLLEGE)}`);
    expect(texte).toContain('Fiche établie le jeudi 12 avril 2018');
    expect(texte).toContain('Domaine : Métallerie');
    expect(texte).toContain(`Lycée d'accueil : ${libelleEtablissement(LYCEE)}`);
    expect(texte).toContain('Entretien tenu le mardi 10 avril 2018 à 14:00, sur place.');
    expect(texte).toContain('Lieu : Lycée Jean Macé, atelier B12');
    expect(texte).toContain(un(COMPTE_RENDU));
    // one row per vœu: formation, avis d'origine + comment, avis d'accueil, avis final, bonus the campaign would grant
    expect(texte).toContain('1. 2nde pro métiers des structures métalliques (24025401) favorable Très motivée, stage de 3e en ferronnerie. favorable très favorable 3000 points si le choix est confirmé à temps');
    expect(texte).toContain('2. CAP serrurier métallier (50025415) assez favorable Projet à affiner. favorable favorable 2000 points si le choix est confirmé à temps');
    expect(texte).toContain('3. CAP métallier (50025416) réservé Peu investie sur ce CAP. assez favorable peu favorable aucune');
    expect(texte).toContain('Prochaine étape');
    expect(texte).toContain(
      `Si l'élève et sa famille confirment ce choix, ils le font savoir au collège d'origine, ${libelleEtablissement(COLLEGE)}, dont le chef d'établissement saisit le vœu dans AFFELNET au plus tard le mercredi 23 mai 2018.`,
    );
    expect(texte).toContain("Cette campagne accorde une bonification dans AFFELNET selon l'avis final de chaque vœu, à condition que la famille confirme le choix et que le vœu soit saisi dans AFFELNET au plus tard le mercredi 23 mai 2018.");
    expectNeverAsksForGrades(texte);
  });

  it('(b) an absent pupil: absent(e), no compte rendu, avis final incomplet, a dash for what is missing', () => {
    const texte = visible(ficheHtml([absente()]));
    expect(texte).toContain('Entretien prévu le mardi 10 avril 2018 à 14:00, sur place : élève absent(e).');
    expect(texte).not.toContain('Lieu :');
    expect(texte).toContain("Pas de compte rendu : l'élève était absent(e) à l'entretien.");
    expect(texte).toContain('1. 2nde pro métiers des structures métalliques (24025401) favorable Motivée. — incomplet aucune');
    expect(texte).toContain('2. CAP serrurier métallier (50025415) — — incomplet aucune');
    expect(texte).toContain('au plus tard le mercredi 23 mai 2018');
    expectNeverAsksForGrades(texte);
  });

  it('(c) two domaines of one pupil: one section each, in the order given', () => {
    const html = ficheHtml([complete(), maintenance()]);
    expect(html.match(/<section>/g)).toHaveLength(2);
    const texte = visible(html);
    expect(texte.match(/Léa Martin/g)).toHaveLength(2); // the title and the pupil block, once for both domaines
    expect(texte.indexOf('Domaine : Métallerie')).toBeLessThan(texte.indexOf('Domaine : Maintenance des véhicules'));
    const [, metallerie, vehicules] = texte.split(/Domaine : /);
    expect(metallerie).toContain(`Lycée d'accueil : ${libelleEtablissement(LYCEE)}`);
    expect(metallerie).toContain('très favorable');
    expect(vehicules).toContain(`Lycée d'accueil : ${libelleEtablissement(AUTRE_LYCEE)}`);
    expect(vehicules).toContain('Entretien tenu le mercredi 11 avril 2018 à 09:30, à distance.');
    expect(vehicules).not.toContain('visio.ac-creteil.fr');
    expect(vehicules).toContain("Projet encore flou : découvrir l'atelier lors d'un mini-stage.");
    expect(vehicules).toContain('1. 2nde pro maintenance des véhicules (25025202) assez favorable Bricole des mobylettes. réservé peu favorable aucune');
    expect(vehicules).toContain('Prochaine étape');
    expect(texte).toContain('Fiche établie le vendredi 13 avril 2018');
    expectNeverAsksForGrades(texte);
  });

  it('a collective session: séance collective, no avis, no bonus', () => {
    const assp = etat({
      domaine: { code: 'assp', libelle: 'Accompagnement, soins et services à la personne' },
      modalite: 'collectif',
      voeux: [voeu(1, '24033206', '2nde pro ASSP')],
      etape: 'cloturee',
    });
    const texte = visible(ficheHtml([assp]));
    expect(texte).toContain("Séance d'information collective tenue le mardi 10 avril 2018 à 14:00, sur place.");
    expect(texte).toContain("Pas de compte rendu ni d'avis pour une séance d'information collective.");
    expect(texte).toContain("1. 2nde pro ASSP (24033206) — sans avis (séance d'information collective) ; bonification : aucune");
    expect(texte).toContain("Séance d'information collective : elle ne donne lieu à aucune bonification dans AFFELNET.");
  });

  it('escapes every piece of user text', () => {
    const piege = '<script>alert("x")</script>';
    const state = complete();
    state.eleve = { ...state.eleve, nom: `O'Neil ${piege}` };
    state.compteRendu = { ...state.compteRendu!, texte: `Bien. ${piege}` };
    state.voeux[0].avisOrigine!.commentaire = `Motivée ${piege} <img src=x onerror=alert(1)>`;
    state.voeux[1].libelle = `CAP <b>serrurier</b>`;
    state.entretien = { ...state.entretien!, lieu: `Salle <iframe src="//evil">` };
    state.domaine = { code: 'metallerie', libelle: 'Métallerie & <i>co</i>' };
    const html = ficheHtml([state]);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<iframe');
    expect(html).not.toContain('<b>serrurier');
    expect(html).not.toContain('<i>co');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('O&#x27;Neil');
    expect(visible(html)).toContain(`Bien. ${piege}`);
    expect(visible(html)).toContain('Métallerie & <i>co</i>');
  });

  it('the bonus rule of the campagne, and the bonus once decided', () => {
    const sansBonus = visible(ficheHtml([{ ...complete(), campagneId: 'creteil-2021' }]));
    expect(sansBonus).toContain("Cette campagne n'accorde aucune bonification dans AFFELNET");
    expect(sansBonus).toContain('très favorable aucune');

    const paris = visible(ficheHtml([{ ...complete(), campagneId: 'paris-2023' }]));
    expect(paris).toContain("Cette campagne accorde 2500 points dans AFFELNET aux vœux dont l'avis final est très favorable, favorable ou assez favorable");
    expect(paris).toContain('très favorable 2500 points si le choix est confirmé à temps');

    const inconnue = visible(ficheHtml([{ ...complete(), campagneId: 'versailles-2030' }]));
    expect(inconnue).toContain("Lorsque la campagne prévoit une bonification dans AFFELNET, elle n'est accordée qu'à condition que la famille confirme le choix");
    // the caller may supply the campagnes (e.g. one not shipped)
    const fournie = visible(ficheHtml([{ ...complete(), campagneId: 'versailles-2030' }], { campagnes: { 'versailles-2030': { ...campagnes['creteil-2021'], id: 'versailles-2030' } } }));
    expect(fournie).toContain("Cette campagne n'accorde aucune bonification");

    const decidee = complete();
    decidee.etape = 'cloturee';
    decidee.confirmationFamille = { par: chef, le: '2018-05-10T08:00:00.000Z' };
    decidee.saisieAffelnet = { par: chef, le: '2018-05-11T08:00:00.000Z', voeux: ['24025401', '50025415'] };
    decidee.bonusAccorde = true;
    decidee.voeux = decidee.voeux.map((v, i) => ({ ...v, bonus: [3000, 2000, 0][i] }));
    const texte = visible(ficheHtml([decidee]));
    expect(texte).toContain('Choix confirmé par la famille le jeudi 10 mai 2018.');
    expect(texte).toContain('Vœux saisis dans AFFELNET par le collège le vendredi 11 mai 2018.');
    expect(texte).not.toContain('Si l\'élève et sa famille confirment');
    expect(texte).toContain('très favorable 3000 points');
    expect(texte).toContain('favorable 2000 points');
    expect(texte).not.toContain('si le choix est confirmé à temps');

    const echue = complete();
    echue.etape = 'cloturee';
    echue.bonusAccorde = false;
    echue.voeux = echue.voeux.map((v) => ({ ...v, bonus: 0 }));
    expect(visible(ficheHtml([echue]))).toContain("L'échéance AFFELNET du mercredi 23 mai 2018 est passée sans confirmation et saisie du vœu : aucune bonification ne s'applique.");
    const tardive = { ...echue, confirmationFamille: { par: chef, le: '2018-05-25T08:00:00.000Z' }, saisieAffelnet: { par: chef, le: '2018-05-25T09:00:00.000Z', voeux: ['24025401'] } };
    const texteTardive = visible(ficheHtml([tardive]));
    expect(texteTardive).toContain('Vœu saisi dans AFFELNET par le collège le vendredi 25 mai 2018.');
    expect(texteTardive).toContain("Confirmation et saisie sont intervenues après l'échéance AFFELNET du mercredi 23 mai 2018 : aucune bonification ne s'applique.");
  });

  it('before the compte rendu, and after a désistement', () => {
    const attendue = complete();
    attendue.etape = 'compte_rendu_attendu';
    attendue.compteRendu = null;
    attendue.ficheRecapitulativeLe = null;
    attendue.voeux = attendue.voeux.map((v) => ({ ...v, avisAccueil: null, avisFinal: null }));
    const texte = visible(ficheHtml([attendue]));
    expect(texte).toContain('Compte rendu pas encore saisi par le lycée.');
    expect(texte).toContain("Le lycée n'a pas encore rendu son compte rendu et ses avis");
    expect(texte).not.toContain('Fiche établie le');

    const retiree = etat({ etape: 'desistee', entretien: entretien({ statut: 'planifie' }), voeux: [voeu(1, '24025401', '2nde pro métiers des structures métalliques')], ficheRecapitulativeLe: null });
    const t2 = visible(ficheHtml([retiree]));
    expect(t2).toContain('Entretien : sans objet (candidature retirée).');
    expect(t2).toContain('Candidature retirée (désistement) : aucune suite dans ce domaine.');
  });

  it('refuses an empty fiche and candidatures of two pupils', () => {
    expect(() => ficheHtml([])).toThrow(/aucune candidature/);
    const autre = maintenance();
    autre.eleve = { ...autre.eleve, ine: '987654321AB' };
    expect(() => presenterFiche([complete(), autre])).toThrow(/un seul élève/);
  });
});

describe('fiche récapitulative (PDF)', () => {
  it('(a) an A4 PDF with the same content, French accents drawn and read back', async () => {
    const state = complete();
    state.compteRendu = { ...state.compteRendu!, texte: `${COMPTE_RENDU}\nÀ revoir : é è à ç œ Œ « cœur » — l’essentiel.` };
    const pdf = await fichePdf([state]);
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]'); // A4
    const { numpages, info } = await pdfParse(new Uint8Array(pdf) as Buffer);
    expect(numpages).toBeGreaterThanOrEqual(1);
    expect(info.Title).toBe('Fiche récapitulative Passpro — Léa Martin');

    const texte = await textePdf(pdf);
    expect(texte).toContain('Léa Martin');
    expect(texte).toContain(`INE : ${INE}`);
    expect(texte).toContain(`Lycée d'accueil : ${libelleEtablissement(LYCEE)}`);
    expect(texte).toContain('Entretien tenu le mardi 10 avril 2018 à 14:00, sur place.');
    for (const formation of ['2nde pro métiers des structures métalliques (24025401)', 'CAP serrurier métallier (50025415)', 'CAP métallier (50025416)']) {
      expect(texte).toContain(formation);
    }
    expect(texte).toContain("Avis d'origine : favorable — Très motivée, stage de 3e en ferronnerie.");
    for (const avisFinal of ['Avis final : très favorable', 'Avis final : favorable', 'Avis final : peu favorable']) expect(texte).toContain(avisFinal);
    expect(texte).toContain("Avis d'accueil : assez favorable");
    expect(texte).toContain(un(COMPTE_RENDU));
    expect(texte).toContain('À revoir : é è à ç œ Œ « cœur » — l’essentiel.');
    expect(texte).toContain('Vœux');
    expect(texte).toContain('Bonification : 3000 points si le choix est confirmé à temps');
    expect(texte).toContain('au plus tard le mercredi 23 mai 2018');
    expectNeverAsksForGrades(texte);
  });

  it('(b) and (c): absent pupil, two domaines', async () => {
    const absent = await textePdf(await fichePdf([absente()]));
    expect(absent).toContain('élève absent(e)');
    expect(absent).toContain("Pas de compte rendu : l'élève était absent(e) à l'entretien.");
    expect(absent).toContain('Avis final : incomplet');
    expect(absent).toContain("Avis d'accueil : —");
    expectNeverAsksForGrades(absent);

    const deux = await textePdf(await fichePdf([complete(), maintenance()]));
    expect(deux).toContain('Domaine : Métallerie');
    expect(deux).toContain('Domaine : Maintenance des véhicules');
    expect(deux.indexOf('Domaine : Métallerie')).toBeLessThan(deux.indexOf('Domaine : Maintenance des véhicules'));
    expect(deux).toContain('2nde pro maintenance des véhicules (25025202)');
    expect(deux).toContain("Projet encore flou : découvrir l'atelier lors d'un mini-stage.");
    expect(deux).toContain(un(COMPTE_RENDU));
    expectNeverAsksForGrades(deux);
  });

  it('is the same file for the same states; the creation date comes from the states or the caller', async () => {
    const [a, b] = await Promise.all([fichePdf([complete()]), fichePdf([complete()])]);
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20180412070000Z)');
    const datee = await fichePdf([complete()], { creeLe: new Date('2018-05-01T09:00:00Z') });
    expect(datee.toString('latin1')).toContain('(D:20180501090000Z)');
  });

  it('draws what Helvetica cannot: accents dropped, typographic spaces made plain, the rest as ?', async () => {
    expect(texteWinAnsi('é è à ç œ Œ ’ « » — € ß ü ô')).toBe('é è à ç œ Œ ’ « » — € ß ü ô');
    expect(texteWinAnsi('Nguyễn Thị Ánh')).toBe('Nguyen Thi Ánh');
    expect(texteWinAnsi('Zoë\u202f: Łukasz 王')).toBe('Zoë\u00a0: Lukasz ?');
    const state = complete();
    state.eleve = { ...state.eleve, prenom: 'Ánh', nom: 'Nguyễn' };
    const texte = await textePdf(await fichePdf([state]));
    expect(texte).toContain('Ánh Nguyen');
  });

  it('spreads over several pages when the content is long, numbered', async () => {
    const state = complete();
    state.compteRendu = { ...state.compteRendu!, texte: Array.from({ length: 80 }, (_, i) => `Conseil ${i + 1} : visiter un atelier.`).join('\n') };
    const pdf = await fichePdf([state, maintenance()]);
    const { numpages } = await pdfParse(new Uint8Array(pdf) as Buffer);
    expect(numpages).toBeGreaterThan(1);
    const texte = await textePdf(pdf);
    expect(texte).toContain(`page 1 / ${numpages}`);
    expect(texte).toContain(`page ${numpages} / ${numpages}`);
    expect(texte).toContain('Conseil 80 : visiter un atelier.');
  });

  it("puts several pupils' fiches in one file, each from a new page and numbered within itself", async () => {
    const autre = complete();
    autre.eleve = { ...autre.eleve, ine: '987654321AB', prenom: 'Noé', nom: 'Dupont' };
    const long = complete();
    long.compteRendu = { ...long.compteRendu!, texte: Array.from({ length: 80 }, (_, i) => `Conseil ${i + 1} : visiter un atelier.`).join('\n') };
    const [seule, deux] = await Promise.all([fichePdf([long]), fichesPdf([[long], [autre]])]);
    const pagesSeule = (await pdfParse(new Uint8Array(seule) as Buffer)).numpages;
    expect((await pdfParse(new Uint8Array(deux) as Buffer)).numpages).toBe(pagesSeule + 1);
    const texte = await textePdf(deux);
    expect(texte).toContain(`${long.eleve.prenom} ${long.eleve.nom} — page ${pagesSeule} / ${pagesSeule}`);
    expect(texte).toContain('Noé Dupont — page 1 / 1');
  });
});

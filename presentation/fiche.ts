// The fiche récapitulative (DOMAIN.md step 9): what the origin school hands to the pupil and family once the
// lycée's compte rendu and avis are back, for one pupil and every domaine they applied in. Pure functions of
// the candidatures' states (no database, no clock), as HTML and as PDF, for the API to serve.
//
// Content, and nothing else: the pupil (name, INE, collège), then per domaine the lycée, the interview, the
// compte rendu, each vœu with its avis d'origine (and comment), avis d'accueil, avis final and bonus when
// decided, and the next step for the family with the campaign's bonus rule. Never a grade nor any school
// report (« Les bulletins scolaires ne doivent en aucun cas être demandés »): the state holds none, and no
// wording here asks for one.
//
// The bonus rule is campaign data the state does not carry: it is read from the campagne named by
// `state.campagneId`, in `options.campagnes` (the shipped campagnes of domain/campaigns by default). A
// candidature of an unknown campagne gets the general rule (a bonus, where the campaign grants one, requires
// confirmation and AFFELNET entry by the deadline) without claiming either way.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import PDFDocument from 'pdfkit';
import { libelleAvis } from '../domain/avis';
import type { Campagne } from '../domain/campaign';
import { calculerBonus } from '../domain/campaign-rules';
import { campagnes as campagnesLivrees } from '../domain/campaigns';
import { libelleDate, parisDateOf } from '../domain/calendar';
import { templatesDir } from '../platform/paths';
import type { CandidatureState } from '../domain/candidature';
import { libelleEtablissement } from './etablissements';
import { libelleEcheance, presenterEntretien, presenterVoeux } from './labels';

export interface FicheOptions {
  /** Where each candidature's campagne (its bonus rule) is looked up by id; the shipped campagnes by default. */
  campagnes?: Readonly<Record<string, Campagne>>;
}

export interface FichePdfOptions extends FicheOptions {
  /**
   * The PDF's creation date (document info, and with it the file identifier). By default the latest
   * `ficheRecapitulativeLe` (else `etapeDepuis`) of the candidatures: the same states give the same PDF.
   */
  creeLe?: Date;
}

export interface VoeuFiche {
  rang: number;
  formation: string;
  codeFormation: string;
  /** Formation added by the lycée at the interview, at the pupil's request. */
  ajouteEnEntretien: boolean;
  avisOrigine: string;
  commentaireOrigine: string | null;
  avisAccueil: string;
  avisFinal: string;
  /** The bonus once decided (`3000 points`, `aucune`), else what the campaign would grant if confirmed in time, else null. */
  bonification: string | null;
}

export interface SectionFiche {
  domaine: string;
  uaiAccueil: string;
  /** The lycée by name and commune. */
  lycee: string;
  collectif: boolean;
  /** The candidature was withdrawn (désistement). */
  retiree: boolean;
  /** One line: date, time and mode, or absence, or not planned. */
  entretien: string;
  /** The place of an interview held on site (user text). */
  lieu: string | null;
  /** The lycée's compte rendu (user text), or null with `compteRenduAbsent` saying why. */
  compteRendu: string | null;
  compteRenduAbsent: string | null;
  voeux: VoeuFiche[];
  /** Collective session: no avis at all. */
  sansAvis: boolean;
  /** The next step for the family, paragraphs. */
  prochaineEtape: string[];
  /** The campaign's bonus rule, one paragraph. */
  bonification: string;
}

export interface FicheVue {
  titre: string;
  eleve: { nomComplet: string; ine: string; niveau: string; uaiOrigine: string; college: string };
  /** When the fiche was ready (latest of the domaines), in words; null while no compte rendu is back. */
  etablieLe: string | null;
  sections: SectionFiche[];
}

const jourDe = (iso: string) => libelleDate(parisDateOf(new Date(iso)));

function points(n: number): string {
  return n === 0 ? 'aucune' : `${n} points`;
}

function regleBonus(state: CandidatureState, campagne: Campagne | undefined, echeance: string): string {
  if (state.modalite === 'collectif') return "Séance d'information collective : elle ne donne lieu à aucune bonification dans AFFELNET.";
  const condition = `à condition que la famille confirme le choix et que le vœu soit saisi dans AFFELNET au plus tard le ${echeance}`;
  if (campagne === undefined) return `Lorsque la campagne prévoit une bonification dans AFFELNET, elle n'est accordée qu'${condition}.`;
  switch (campagne.bonus.type) {
    case 'aucun':
      return "Cette campagne n'accorde aucune bonification dans AFFELNET : l'avis final éclaire le projet de l'élève sans modifier son barème.";
    case 'avis_final':
      return `Cette campagne accorde une bonification dans AFFELNET selon l'avis final de chaque vœu, ${condition}.`;
    case 'points_si_favorable': {
      const avis = campagne.bonus.avisFinal.map(libelleAvis);
      return `Cette campagne accorde ${campagne.bonus.points} points dans AFFELNET aux vœux dont l'avis final est ${ou(avis)}, ${condition}.`;
    }
  }
}

function ou(mots: string[]): string {
  return mots.length <= 1 ? mots.join('') : `${mots.slice(0, -1).join(', ')} ou ${mots[mots.length - 1]}`;
}

function prochaineEtape(state: CandidatureState, echeance: string): string[] {
  const college = `collège d'origine, ${libelleEtablissement(state.eleve.uaiOrigine)}`;
  if (state.etape === 'desistee') return ['Candidature retirée (désistement) : aucune suite dans ce domaine.'];
  const faits: string[] = [];
  if (state.confirmationFamille) faits.push(`Choix confirmé par la famille le ${jourDe(state.confirmationFamille.le)}.`);
  if (state.saisieAffelnet) {
    const plusieurs = state.saisieAffelnet.voeux.length > 1;
    faits.push(`${plusieurs ? 'Vœux saisis' : 'Vœu saisi'} dans AFFELNET par le collège le ${jourDe(state.saisieAffelnet.le)}.`);
  }
  if (state.bonusAccorde === false) {
    faits.push(
      state.confirmationFamille && state.saisieAffelnet
        ? `Confirmation et saisie sont intervenues après l'échéance AFFELNET du ${echeance} : aucune bonification ne s'applique.`
        : `L'échéance AFFELNET du ${echeance} est passée sans confirmation et saisie du vœu : aucune bonification ne s'applique.`,
    );
  }
  if (state.bonusAccorde !== null || (state.confirmationFamille && state.saisieAffelnet)) return faits;
  const attente = state.ficheRecapitulativeLe === null
    ? ["Le lycée n'a pas encore rendu son compte rendu et ses avis : cette fiche sera complétée dès leur saisie."]
    : [];
  const confirmer = state.confirmationFamille
    ? `Le chef d'établissement du ${college}, saisit le vœu dans AFFELNET au plus tard le ${echeance}.`
    : `Si l'élève et sa famille confirment ce choix, ils le font savoir au ${college}, dont le chef d'établissement saisit le vœu dans AFFELNET au plus tard le ${echeance}.`;
  const conseil = state.compteRendu ? ["Le compte rendu ci-dessus peut aider l'élève à retravailler son projet d'ici là."] : [];
  return [...attente, ...faits, confirmer, ...conseil];
}

function entretienLigne(state: CandidatureState): { entretien: string; lieu: string | null } {
  const collectif = state.modalite === 'collectif';
  const quoi = collectif ? "Séance d'information collective" : 'Entretien';
  const accord = collectif ? 'e' : ''; // « la séance » agrees in the feminine
  if (state.etape === 'desistee' && state.entretien?.statut !== 'tenu') return { entretien: `${quoi} : sans objet (candidature retirée).`, lieu: null };
  if (state.entretien === null) return { entretien: `${quoi} : pas encore planifié${accord} par le lycée.`, lieu: null };
  const e = presenterEntretien(state.entretien);
  const quand = `${e.dateLibelle} à ${e.heure}, ${e.modeLibelle}`;
  switch (state.entretien.statut) {
    case 'absent':
      return { entretien: `${quoi} prévu${accord} le ${quand} : élève absent(e).`, lieu: null };
    case 'tenu':
      return { entretien: `${quoi} tenu${accord} le ${quand}.`, lieu: e.distanciel ? null : e.lieu };
    case 'planifie':
      return { entretien: `${quoi} prévu${accord} le ${quand}.`, lieu: e.distanciel ? null : e.lieu };
    case 'annule':
      return { entretien: `${quoi} prévu${accord} le ${quand} : annulé${accord === 'e' ? 'e' : ''}.`, lieu: null };
  }
}

function compteRendu(state: CandidatureState): { compteRendu: string | null; compteRenduAbsent: string | null } {
  if (state.compteRendu) return { compteRendu: state.compteRendu.texte, compteRenduAbsent: null };
  const raison = state.modalite === 'collectif'
    ? "Pas de compte rendu ni d'avis pour une séance d'information collective."
    : state.entretien?.statut === 'absent'
      ? "Pas de compte rendu : l'élève était absent(e) à l'entretien."
      : state.etape === 'desistee'
        ? 'Pas de compte rendu : candidature retirée.'
        : "Compte rendu pas encore saisi par le lycée.";
  return { compteRendu: null, compteRenduAbsent: raison };
}

function voeuxFiche(state: CandidatureState, campagne: Campagne | undefined): VoeuFiche[] {
  const parCode = new Map(state.voeux.map((v) => [v.codeFormation, v]));
  return presenterVoeux(state.voeux).map((p) => {
    const voeu = parCode.get(p.codeFormation)!;
    let bonification: string | null = null;
    if (voeu.bonus !== null) bonification = points(voeu.bonus);
    else if (state.modalite === 'collectif' || state.bonusAccorde === false) bonification = 'aucune';
    else if (campagne && voeu.avisFinal && state.etape !== 'desistee') {
      const possible = calculerBonus(campagne, voeu.avisFinal, true);
      bonification = possible === 0 ? 'aucune' : `${possible} points si le choix est confirmé à temps`;
    }
    return {
      rang: p.rang,
      formation: p.libelle,
      codeFormation: p.codeFormation,
      ajouteEnEntretien: voeu.ajouteEnEntretien,
      avisOrigine: p.avisOrigine,
      commentaireOrigine: voeu.avisOrigine?.commentaire || null,
      avisAccueil: p.avisAccueil,
      avisFinal: p.avisFinal,
      bonification,
    };
  });
}

/**
 * The fiche's content, shared by the HTML and the PDF. Every candidature must be of the same pupil (INE);
 * sections keep the order given.
 */
export function presenterFiche(candidatures: readonly CandidatureState[], options: FicheOptions = {}): FicheVue {
  if (candidatures.length === 0) throw new Error('fiche récapitulative : aucune candidature');
  const [premiere] = candidatures;
  const autre = candidatures.find((c) => c.eleve.ine !== premiere.eleve.ine);
  if (autre) throw new Error(`fiche récapitulative : un seul élève par fiche (${premiere.eleve.ine} et ${autre.eleve.ine})`);
  const campagnes = options.campagnes ?? campagnesLivrees;
  const pretes = candidatures.flatMap((c) => (c.ficheRecapitulativeLe ? [c.ficheRecapitulativeLe] : [])).sort();
  const { eleve } = premiere;
  const nomComplet = `${eleve.prenom} ${eleve.nom}`;
  return {
    titre: `Fiche récapitulative Passpro — ${nomComplet}`,
    eleve: { nomComplet, ine: eleve.ine, niveau: eleve.niveau, uaiOrigine: eleve.uaiOrigine, college: libelleEtablissement(eleve.uaiOrigine) },
    etablieLe: pretes.length > 0 ? jourDe(pretes[pretes.length - 1]) : null,
    sections: candidatures.map((state) => {
      const campagne = Object.hasOwn(campagnes, state.campagneId) ? campagnes[state.campagneId] : undefined;
      const echeance = libelleEcheance(new Date(state.echeances.affelnet));
      return {
        domaine: state.domaine.libelle,
        uaiAccueil: state.uaiAccueil,
        lycee: libelleEtablissement(state.uaiAccueil),
        collectif: state.modalite === 'collectif',
        retiree: state.etape === 'desistee',
        ...entretienLigne(state),
        ...compteRendu(state),
        voeux: voeuxFiche(state, campagne),
        sansAvis: state.modalite === 'collectif',
        prochaineEtape: prochaineEtape(state, echeance),
        bonification: regleBonus(state, campagne, echeance),
      };
    }),
  };
}

// ---- HTML ----

let gabarit: HandlebarsTemplateDelegate<FicheVue> | undefined;

/** The fiche as a standalone HTML page (templates/documents/fiche.html.hbs); all user text is escaped. */
export function ficheHtml(candidatures: readonly CandidatureState[], options: FicheOptions = {}): string {
  gabarit ??= Handlebars.create().compile<FicheVue>(readFileSync(path.join(templatesDir, 'documents', 'fiche.html.hbs'), 'utf8'), { strict: true });
  return gabarit(presenterFiche(candidatures, options));
}

// ---- PDF ----

/** Beyond ASCII and Latin-1, the characters of WinAnsiEncoding (the standard PDF fonts' encoding). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters of European names that Unicode does not decompose into a base letter and an accent. */
const SANS_DECOMPOSITION: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't' };

function enWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

/**
 * Text the standard Helvetica can draw: French letters (é è à ç œ …) and typographic quotes pass as they are;
 * French typographic spaces become ordinary ones; any other letter loses its accents (ễ → e), and what is
 * still not drawable becomes `?`. For the PDF only: the HTML keeps the text as entered.
 */
export function texteWinAnsi(texte: string): string {
  return Array.from(texte.normalize('NFC').replace(/[\u202f\u2007]/g, '\u00a0').replace(/[\u2000-\u200a\t]/g, ' '))
    .map((char) => {
      if (char === '\n' || enWinAnsi(char)) return char;
      if (Object.hasOwn(SANS_DECOMPOSITION, char)) return SANS_DECOMPOSITION[char];
      const base = char.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
      if (base.length > 0 && Array.from(base).every(enWinAnsi)) return base;
      return /\p{Cc}|\p{Cf}/u.test(char) ? '' : '?';
    })
    .join('');
}

const BLEU = '#000091';
const GRIS = '#555555';

function dateDeCreation(candidatures: readonly CandidatureState[]): Date {
  const dates = candidatures.map((c) => c.ficheRecapitulativeLe ?? c.etapeDepuis).sort();
  return new Date(dates[dates.length - 1]);
}

/** The fiche as an A4 PDF, the same content as the HTML; French accents drawn with the standard Helvetica. */
export function fichePdf(candidatures: readonly CandidatureState[], options: FichePdfOptions = {}): Promise<Buffer> {
  return fichesPdf([candidatures], options);
}

/**
 * Several pupils' fiches in one PDF (a collège prints all its ready fiches at once): each pupil's candidatures
 * as `fichePdf` draws them, each fiche from a new page, numbered within itself so that it can be handed apart.
 */
export function fichesPdf(parEleve: readonly (readonly CandidatureState[])[], options: FichePdfOptions = {}): Promise<Buffer> {
  if (parEleve.length === 0) throw new Error('fiches récapitulatives : aucun élève');
  const vues = parEleve.map((candidatures) => presenterFiche(candidatures, options));
  const creeLe = options.creeLe ?? dateDeCreation(parEleve.flat());
  const titre = vues.length === 1 ? vues[0].titre : `Fiches récapitulatives Passpro — ${vues.length} élèves`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    bufferPages: true,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: titre, // document info strings are Unicode: no need to fit WinAnsi
      Author: 'Passpro',
      Subject: 'Fiche récapitulative Passpro',
      CreationDate: creeLe,
      ModDate: creeLe,
    },
  });
  const fin = new Promise<Buffer>((resolve, reject) => {
    const morceaux: Buffer[] = [];
    doc.on('data', (morceau: Buffer) => morceaux.push(morceau));
    doc.on('end', () => resolve(Buffer.concat(morceaux)));
    doc.on('error', reject);
  });
  // The first page of each fiche, to number its pages within it.
  const debuts: number[] = [];
  vues.forEach((vue, i) => {
    if (i > 0) doc.addPage();
    debuts.push(doc.bufferedPageRange().count - 1);
    dessinerFiche(doc, vue);
  });
  const total = doc.bufferedPageRange().count;
  vues.forEach((vue, i) => {
    const fin = i + 1 < vues.length ? debuts[i + 1] : total;
    for (let page = debuts[i]; page < fin; page += 1) piedDePage(doc, page, `Passpro — ${vue.eleve.nomComplet} — page ${page - debuts[i] + 1} / ${fin - debuts[i]}`);
  });
  doc.end();
  return fin;
}

function piedDePage(doc: PDFKit.PDFDocument, page: number, texte: string): void {
  doc.switchToPage(page);
  const bas = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.font('Helvetica').fontSize(8).fillColor(GRIS)
    .text(texteWinAnsi(texte), doc.page.margins.left, doc.page.height - 36, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
  doc.page.margins.bottom = bas;
}

function dessinerFiche(doc: PDFKit.PDFDocument, vue: FicheVue): void {
  const t = texteWinAnsi;
  const texte = (s: string, o: PDFKit.Mixins.TextOptions = {}) => doc.font('Helvetica').fontSize(10).fillColor('black').text(t(s), o);
  const gras = (s: string, taille = 10, couleur = 'black') => doc.font('Helvetica-Bold').fontSize(taille).fillColor(couleur).text(t(s));
  const champ = (libelle: string, valeur: string, indent = 0) => {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('black').text(t(`${libelle} : `), { continued: true, indent });
    doc.font('Helvetica').text(t(valeur));
  };

  doc.font('Helvetica-Bold').fontSize(9).fillColor(BLEU).text('Passpro');
  gras('Fiche récapitulative', 18, BLEU);
  texte("Entretien d'information en lycée professionnel, à remettre à l'élève et à sa famille.", { lineGap: 2 });
  doc.moveDown(0.8);
  gras('Élève', 12, BLEU);
  champ('Nom', vue.eleve.nomComplet);
  champ('INE', vue.eleve.ine);
  champ("Collège (établissement d'origine)", vue.eleve.college);
  if (vue.etablieLe) champ('Fiche établie le', vue.etablieLe);

  for (const section of vue.sections) {
    doc.moveDown(1);
    gras(`Domaine : ${section.domaine}`, 13, BLEU);
    champ("Lycée d'accueil", section.lycee);
    texte(section.entretien);
    if (section.lieu) champ('Lieu', section.lieu);
    doc.moveDown(0.5);
    gras("Compte rendu de l'entretien", 11);
    if (section.compteRendu) texte(section.compteRendu, { lineGap: 1 });
    else doc.font('Helvetica-Oblique').fontSize(10).fillColor(GRIS).text(t(section.compteRenduAbsent ?? ''));
    doc.moveDown(0.5);
    gras(section.voeux.length > 1 ? 'Vœux' : 'Vœu', 11);
    for (const voeu of section.voeux) {
      doc.moveDown(0.3);
      gras(`${voeu.rang}. ${voeu.formation} (${voeu.codeFormation})${voeu.ajouteEnEntretien ? ", ajouté à l'entretien" : ''}`);
      if (section.sansAvis) {
        texte("Sans avis (séance d'information collective).", { indent: 14 });
      } else {
        champ("Avis d'origine", voeu.commentaireOrigine ? `${voeu.avisOrigine} — ${voeu.commentaireOrigine}` : voeu.avisOrigine, 14);
        champ("Avis d'accueil", voeu.avisAccueil, 14);
        champ('Avis final', voeu.avisFinal, 14);
      }
      if (voeu.bonification) champ('Bonification', voeu.bonification, 14);
    }
    doc.moveDown(0.5);
    gras('Prochaine étape', 11);
    for (const paragraphe of section.prochaineEtape) texte(paragraphe, { lineGap: 1, paragraphGap: 3 });
    texte(section.bonification, { lineGap: 1 });
  }
}


// Bulk inscription from a collège's class list (CSV, one line per vœu). No partial garbage: every line is
// checked first — the columns, the zod schema and the checks of `POST /candidatures`, the file's own
// coherence (one pupil, one identity; one vœu once), candidatures already held by another school or ended —
// and if any line is wrong the answer is a 422 with the report and nothing starts. Then each pupil × domaine
// is inscribed by the very function of `POST /candidatures`, its vœux in the order of the file.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import express, { type Express } from 'express';
import type { z } from 'zod';
import { campagnes } from '../domain/campaigns';
import type { PrismaClient } from '../platform/database';
import { parLots } from '../platform/par-lots';
import { etapesFinales, type CandidatureState } from '../domain/candidature';
import { stateQuery } from '../workflows/definitions';
import { autorisations } from '../domain/autorisations';
import { appelant, exigerRoles, peutVoir, type Appelant } from './auth';
import { demandeDInscription, offresOuvertes, verifierVoeux } from './catalogue';
import { ApiError } from './errors';
import { importsParEtablissement, limiteur } from './limites';
import { autreCollegeDeLEleve, candidatureExistante, eleveDUnAutreCollege, verifierCampagneOuverte, verifierEleve, type Inscription } from './inscription';
import type { encodagesImport } from '../presentation/college';
import { importQuery, inscriptionSchema, MAX_VOEUX, type importLigneSchema, type importRapportSchema } from './schemas';
import { cheminDe, messagesEnFrancais, parse } from './validation';

/** A class list of a whole collège (hundreds of lines) fits; a mistaken upload of something else does not. */
export const LIMITE_IMPORT = '512kb';
/** Lines (vœux) of one file: a collège's whole 3e; more is not one school's list, and would hold Temporal long. */
export const MAX_LIGNES_IMPORT = 2000;
/** Inscriptions started at once: a few, so that a large file neither waits long nor floods Temporal. */
const EN_PARALLELE = 4;

/** The columns (any order, names as here), each with the field of the inscription body it fills. */
export const colonnesImport = [
  { nom: 'ine', chemin: 'eleve.ine', description: "INE de l'élève (11 caractères)" },
  { nom: 'nom', chemin: 'eleve.nom', description: "nom de l'élève" },
  { nom: 'prenom', chemin: 'eleve.prenom', description: "prénom de l'élève" },
  { nom: 'niveau', chemin: 'eleve.niveau', description: 'code du niveau : 3e, 3e_segpa, 3e_prepa_metiers, 3e_alternance, eana_upe2a_college, mlds_college, mlds_niveau_v' },
  { nom: 'uai_origine', chemin: 'eleve.uaiOrigine', description: "UAI du collège : celui de l'appelant" },
  { nom: 'referent_nom', chemin: 'eleve.referentNom', description: 'nom de la personne référente' },
  { nom: 'referent_email', chemin: 'eleve.referentEmail', description: 'courriel académique de la personne référente' },
  { nom: 'domaine', chemin: 'domaine.code', description: 'code du domaine (minuscules, chiffres, tirets), ex. metallerie' },
  { nom: 'domaine_libelle', chemin: 'domaine.libelle', description: 'libellé du domaine, ex. Métallerie' },
  { nom: 'modalite', chemin: 'modalite', description: 'individuel ou collectif' },
  { nom: 'uai_accueil', chemin: 'uaiAccueil', description: "UAI du lycée d'accueil" },
  { nom: 'code_formation', chemin: 'voeux.0.codeFormation', description: 'code de la formation du vœu (MEF, MEF STAT 11 ou CFD)' },
  { nom: 'formation_libelle', chemin: 'voeux.0.libelle', description: 'libellé de la formation du vœu' },
] as const;

type Colonne = (typeof colonnesImport)[number]['nom'];
type LigneRapport = z.infer<typeof importLigneSchema>;
type Rapport = z.infer<typeof importRapportSchema>;
type ErreurLigne = NonNullable<LigneRapport['erreurs']>[number];

const colonneDuChamp = new Map<string, Colonne>(colonnesImport.map((c) => [c.chemin, c.nom]));
// Within a file, one pupil has one identity, and one candidature (pupil × domaine) one lycée and modality.
const colonnesEleve = colonnesImport.filter((c) => c.chemin.startsWith('eleve.')).map((c) => c.nom);
const colonnesDomaine: Colonne[] = ['domaine_libelle', 'modalite', 'uai_accueil'];

interface Ligne {
  numero: number;
  valeurs: Record<Colonne, string>;
  /** The line as a one-vœu inscription body, once it passes the schema. */
  inscription: Inscription | null;
  erreurs: ErreurLigne[];
}

interface Groupe {
  id: string;
  lignes: Ligne[];
  inscription: Inscription;
}

const csvInvalide = (message: string) => new ApiError(400, 'csv_invalide', message, 'body');
const encodageNonSupporte = (message: string) =>
  new ApiError(400, 'encodage_non_supporte', `${message} : enregistrez le fichier en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »`, 'body');

type Encodage = (typeof encodagesImport)[number];

/**
 * Windows-1252's characters for the bytes 0x80–0x9F (WHATWG Encoding Standard), the other bytes being Latin-1's;
 * its five unassigned bytes stay the C1 controls, which the fields refuse. Node 20's `TextDecoder('windows-1252')`
 * decodes these bytes as Latin-1 (nodejs/node#60888): `’`, `œ`, `€` would come out as control characters.
 */
const WINDOWS_1252_80_9F =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

const decoderWindows1252 = (octets: Buffer) => octets.toString('latin1').replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_80_9F[c.charCodeAt(0) - 0x80]);

/**
 * The file's text, as Excel writes it: UTF-8 (with or without its byte-order mark), else Windows-1252 (Excel's
 * « CSV » on French Windows: any file that is not valid UTF-8 is read so, then checked field by field like any
 * other). UTF-16 and binary files (a NUL byte: a spreadsheet, an image) are refused.
 */
export function decoderCsv(octets: Buffer): { texte: string; encodage: Encodage } {
  if ((octets[0] === 0xff && octets[1] === 0xfe) || (octets[0] === 0xfe && octets[1] === 0xff)) {
    throw encodageNonSupporte('fichier en UTF-16 (« texte Unicode »), non pris en charge');
  }
  const nul = octets.indexOf(0);
  if (nul >= 0) throw encodageNonSupporte(`fichier binaire ou en UTF-16, non pris en charge (octet nul à la position ${nul})`);
  const bom = octets[0] === 0xef && octets[1] === 0xbb && octets[2] === 0xbf;
  try {
    return { texte: new TextDecoder('utf-8', { fatal: true }).decode(octets), encodage: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    if (bom) throw encodageNonSupporte('fichier marqué UTF-8 (BOM) mais dont les octets ne sont pas de l\'UTF-8 valide');
    return { texte: decoderWindows1252(octets), encodage: 'windows-1252' };
  }
}

const FICHIER_VIDE = "fichier vide : une ligne d'en-tête puis une ligne par vœu sont attendues";

function messageCsv(error: CsvError): string {
  const ligne = typeof error.lines === 'number' ? ` (ligne ${error.lines})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `fichier CSV mal formé : un champ ouvert par un guillemet n'est jamais fermé${ligne}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `fichier CSV mal formé : un guillemet fermant doit être suivi du séparateur ou d'une fin de ligne${ligne} (doublez les guillemets dans un champ : "")`;
    case 'INVALID_OPENING_QUOTE':
      return `fichier CSV mal formé : guillemet au milieu d'un champ${ligne} (mettez le champ entre guillemets et doublez ses guillemets : "")`;
    default:
      return `fichier CSV illisible${ligne}`;
  }
}

/** Records with the line each begins on (a quoted field may span lines); blank lines are skipped. */
function lireCsv(texte: string): { numero: number; champs: string[] }[] {
  // Spreadsheets in French write `;`; others `,`: the header line says which.
  const entete = texte.split(/\r\n?|\n/).find((l) => l.trim() !== '') ?? '';
  let enregistrements: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with its position, which csv-parse's typings do not say.
    enregistrements = parseCsv(texte, {
      delimiter: entete.includes(';') ? ';' : ',',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as typeof enregistrements;
  } catch (error) {
    if (error instanceof CsvError) throw csvInvalide(messageCsv(error));
    throw error;
  }
  return enregistrements.map(({ record, info }) => ({
    numero: info.lines - record.reduce((n, champ) => n + (champ.match(/\n/g)?.length ?? 0), 0),
    champs: record,
  }));
}

/** Column index of each expected column; a missing, unknown or repeated column makes the file unreadable. */
function lireEntete(champs: string[]): Record<Colonne, number> {
  const noms = champs.map((c) => c.trim().toLowerCase());
  const attendus = colonnesImport.map((c) => c.nom);
  const problemes = [
    ...attendus.filter((nom) => !noms.includes(nom)).map((nom) => `colonne manquante : ${nom}`),
    ...noms.filter((nom) => !(attendus as readonly string[]).includes(nom)).map((nom) => `colonne inconnue : « ${nom} »`),
    ...noms.filter((nom, i) => noms.indexOf(nom) !== i).map((nom) => `colonne en double : ${nom}`),
  ];
  if (problemes.length > 0) throw csvInvalide(`en-tête (ligne 1) : ${problemes.join(' ; ')}. Colonnes attendues : ${attendus.join(';')}`);
  return Object.fromEntries(attendus.map((nom) => [nom, noms.indexOf(nom)])) as Record<Colonne, number>;
}

/** The line as the body `POST /candidatures` takes, with one vœu. */
function versInscription(campagneId: string, valeurs: Record<Colonne, string>): unknown {
  const corps: Record<string, unknown> = { campagneId };
  for (const { nom, chemin } of colonnesImport) {
    const cles = chemin.split('.');
    let objet: Record<string, unknown> = corps;
    cles.slice(0, -1).forEach((cle, i) => {
      objet[cle] ??= /^\d+$/.test(cles[i + 1]) ? [] : {};
      objet = objet[cle] as Record<string, unknown>;
    });
    objet[cles[cles.length - 1]] = valeurs[nom];
  }
  return corps;
}

/** Each field's first problem, named by its column. */
function erreursDeSchema(campagneId: string, valeurs: Record<Colonne, string>): { inscription: Inscription | null; erreurs: ErreurLigne[] } {
  const resultat = inscriptionSchema.safeParse(versInscription(campagneId, valeurs), { error: messagesEnFrancais });
  if (resultat.success) return { inscription: resultat.data, erreurs: [] };
  const erreurs = new Map<string, ErreurLigne>();
  for (const issue of resultat.error.issues) {
    const chemin = cheminDe(issue).join('.');
    const champ = colonneDuChamp.get(chemin) ?? chemin;
    if (!erreurs.has(champ)) erreurs.set(champ, { code: 'requete_invalide', message: `${champ} : ${issue.message}`, champ });
  }
  return { inscription: null, erreurs: [...erreurs.values()] };
}

function erreurDe(error: ApiError): ErreurLigne {
  const chemin = error.champ?.replace(/^body\./, '');
  return { code: error.code, message: error.message, champ: chemin === undefined ? undefined : colonneDuChamp.get(chemin) ?? chemin };
}

/** The lines, each checked on its own (schema, pupil, catalogue) and against the lines before it. */
async function verifierLignes(prisma: PrismaClient, acteur: Appelant, campagneId: string, texte: string): Promise<Ligne[]> {
  const [entete, ...enregistrements] = lireCsv(texte);
  if (!entete) throw csvInvalide(FICHIER_VIDE);
  if (enregistrements.length > MAX_LIGNES_IMPORT) {
    throw new ApiError(
      413,
      'import_trop_long',
      `${enregistrements.length} lignes : au plus ${MAX_LIGNES_IMPORT} par fichier (les 3e d'un collège) ; découpez le fichier par classe`,
      'body',
    );
  }
  const index = lireEntete(entete.champs);
  if (enregistrements.length === 0) throw csvInvalide("aucune ligne après l'en-tête : une ligne par vœu est attendue");
  const offres = await offresOuvertes(prisma, campagnes[campagneId].academie);
  const lignes: Ligne[] = [];
  const premiereDeLEleve = new Map<string, Ligne>();
  const premiereDuDomaine = new Map<string, Ligne>();
  const voeux = new Map<string, Ligne>();
  const nombreDeVoeux = new Map<string, number>();
  for (const { numero, champs } of enregistrements) {
    const valeurs = Object.fromEntries(colonnesImport.map(({ nom }) => [nom, (champs[index[nom]] ?? '').trim()])) as Record<Colonne, string>;
    const ligne: Ligne = { numero, valeurs, inscription: null, erreurs: [] };
    lignes.push(ligne);
    if (champs.length !== entete.champs.length) {
      ligne.erreurs.push({ code: 'ligne_mal_formee', message: `${champs.length} champs au lieu de ${entete.champs.length} (ceux de l'en-tête)` });
      continue;
    }
    const schema = erreursDeSchema(campagneId, valeurs);
    ligne.inscription = schema.inscription;
    ligne.erreurs.push(...schema.erreurs);
    if (ligne.inscription) {
      try {
        verifierEleve(acteur, ligne.inscription);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        ligne.erreurs.push(erreurDe(error));
      }
      ligne.erreurs.push(...(await verifierVoeux(prisma, offres, demandeDInscription(ligne.inscription))).map(erreurDe));
    }
    const differe = (autre: Ligne, colonnes: readonly Colonne[], qui: string) => {
      for (const colonne of colonnes) {
        if (valeurs[colonne] !== autre.valeurs[colonne]) {
          ligne.erreurs.push({
            code: 'ligne_incoherente',
            message: `${colonne} : « ${valeurs[colonne]} » diffère de la ligne ${autre.numero} (« ${autre.valeurs[colonne]} ») pour ${qui}`,
            champ: colonne,
          });
        }
      }
    };
    const eleve = premiereDeLEleve.get(valeurs.ine);
    if (eleve) differe(eleve, colonnesEleve, 'le même élève');
    else premiereDeLEleve.set(valeurs.ine, ligne);
    const cleDomaine = `${valeurs.ine}\n${valeurs.domaine}`;
    const domaine = premiereDuDomaine.get(cleDomaine);
    if (domaine) differe(domaine, colonnesDomaine, 'le même élève dans le même domaine');
    else premiereDuDomaine.set(cleDomaine, ligne);
    const cleVoeu = `${cleDomaine}\n${valeurs.code_formation}`;
    const doublon = voeux.get(cleVoeu);
    if (doublon) {
      ligne.erreurs.push({ code: 'voeu_en_double', message: `vœu déjà demandé ligne ${doublon.numero} pour cet élève`, champ: 'code_formation' });
      continue;
    }
    voeux.set(cleVoeu, ligne);
    const rang = (nombreDeVoeux.get(cleDomaine) ?? 0) + 1;
    nombreDeVoeux.set(cleDomaine, rang);
    if (rang > MAX_VOEUX) ligne.erreurs.push({ code: 'trop_de_voeux', message: `au plus ${MAX_VOEUX} vœux par élève et par domaine`, champ: 'code_formation' });
  }
  return lignes;
}

/** The lines that pass the schema, one group per pupil × domaine: one inscription with the vœux in file order. */
function grouper(idCandidature: ImportDeps['idCandidature'], campagneId: string, lignes: Ligne[]): Groupe[] {
  const groupes = new Map<string, Groupe>();
  for (const ligne of lignes) {
    if (!ligne.inscription) continue;
    const id = idCandidature(campagneId, ligne.inscription.eleve.ine, ligne.inscription.domaine.code);
    const groupe = groupes.get(id);
    if (groupe) {
      groupe.lignes.push(ligne);
      groupe.inscription.voeux.push(...ligne.inscription.voeux);
    } else {
      groupes.set(id, { id, lignes: [ligne], inscription: { ...ligne.inscription, voeux: [...ligne.inscription.voeux] } });
    }
  }
  return [...groupes.values()];
}

export interface ImportDeps {
  client: Client;
  prisma: PrismaClient;
  /** The inscription of `POST /candidatures` (api/app.ts): checks, then start or update-with-start. */
  inscrire: (acteur: Appelant, inscription: Inscription) => Promise<CandidatureState>;
  /** The workflow id of a pupil's candidature in a domaine (api/candidatures.ts). */
  idCandidature: (campagneId: string, ine: string, domaine: string) => string;
  logError: (error: unknown) => void;
  /** Imports per hour and per school (api/limites.ts); no limit when absent. */
  importsParHeure?: number;
}

/** What an import answers: its HTTP status, the report, and the error when not everything was inscribed. */
export interface ResultatImport {
  status: number;
  rapport: Rapport;
  erreur?: { code: string; message: string; champ?: string };
}

/** Is there already a candidature for this group, and may this file add to it? */
async function existante(deps: Pick<ImportDeps, 'client' | 'prisma'>, groupe: Groupe, acteur: Appelant): Promise<'a_inscrire' | 'deja_inscrite' | ErreurLigne> {
  const { campagneId, eleve } = groupe.inscription;
  if (await autreCollegeDeLEleve(deps.prisma, campagneId, eleve.ine, acteur.uai)) return { ...eleveDUnAutreCollege, champ: 'ine' };
  let etat: CandidatureState;
  try {
    etat = await deps.client.workflow.getHandle(groupe.id).query(stateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'a_inscrire';
    throw error;
  }
  // As `POST /candidatures`: say that another school holds it, show nothing of it.
  if (!peutVoir(acteur, { uaiOrigine: etat.eleve.uaiOrigine, uaiAccueil: etat.uaiAccueil })) {
    return { ...candidatureExistante, champ: 'ine' };
  }
  if (etapesFinales.includes(etat.etape)) {
    return { code: 'candidature_terminee', message: `la candidature de cet élève dans ce domaine est terminée (${etat.etape}) : retirez ces lignes du fichier`, champ: 'ine' };
  }
  const presents = new Set(etat.voeux.map((v) => v.codeFormation));
  // Importing the same list again changes nothing and asks nothing of the workflow.
  if (etat.etape !== 'recensement' && groupe.inscription.voeux.every((v) => presents.has(v.codeFormation))) return 'deja_inscrite';
  return 'a_inscrire';
}

/**
 * A class list imported for `acteur` into `campagne`: the JSON route and the collège's page both call it. An
 * unreadable file (encoding, header, size) throws its ApiError; anything else answers with the report.
 */
export async function importerCsv(deps: ImportDeps, acteur: Appelant, campagne: string, octets: Buffer): Promise<ResultatImport> {
  verifierCampagneOuverte(campagne);
  const { texte, encodage } = decoderCsv(octets);
  const lignes = await verifierLignes(deps.prisma, acteur, campagne, texte);
  const groupes = grouper(deps.idCandidature, campagne, lignes);
  const complets = groupes.filter((g) => g.lignes.every((l) => l.erreurs.length === 0));
  const etats = new Map(await parLots(complets, EN_PARALLELE, async (g) => [g, await existante(deps, g, acteur)] as const));
  for (const [groupe, etat] of etats) {
    if (typeof etat === 'object') for (const ligne of groupe.lignes) ligne.erreurs.push(etat);
  }

  const resultats = new Map<Ligne, Pick<LigneRapport, 'resultat' | 'candidature' | 'erreurs'>>();
  const rapport = (): Rapport => {
    const elements = lignes.map((ligne): LigneRapport => ({
      ligne: ligne.numero,
      ine: ligne.valeurs.ine,
      domaine: ligne.valeurs.domaine,
      codeFormation: ligne.valeurs.code_formation,
      ...(ligne.erreurs.length > 0 ? { resultat: 'erreur', erreurs: ligne.erreurs } : resultats.get(ligne) ?? { resultat: 'valide' }),
    }));
    return {
      campagne,
      encodage,
      candidatures: groupes.length,
      inscrites: new Set(elements.filter((l) => l.resultat === 'inscrite').map((l) => l.candidature)).size,
      lignesEnErreur: elements.filter((l) => l.resultat === 'erreur' || l.resultat === 'refusee').length,
      lignes: elements,
    };
  };

  const enErreur = lignes.filter((l) => l.erreurs.length > 0).length;
  if (enErreur > 0) {
    const message = `${enErreur} ligne${enErreur > 1 ? 's' : ''} en erreur sur ${lignes.length} : aucune candidature n'a été créée ni modifiée`;
    return { status: 422, rapport: rapport(), erreur: { code: 'import_refuse', message, champ: 'body' } };
  }

  let echecInterne = false;
  await parLots(groupes, EN_PARALLELE, async (groupe) => {
    const marquer = (resultat: Pick<LigneRapport, 'resultat' | 'candidature' | 'erreurs'>) => groupe.lignes.forEach((l) => resultats.set(l, resultat));
    if (etats.get(groupe) === 'deja_inscrite') {
      marquer({ resultat: 'deja_inscrite', candidature: groupe.id });
      return;
    }
    try {
      const etat = await deps.inscrire(acteur, groupe.inscription);
      marquer({ resultat: 'inscrite', candidature: etat.id });
    } catch (error) {
      if (error instanceof ApiError) {
        marquer({ resultat: 'refusee', candidature: groupe.id, erreurs: [erreurDe(error)] });
        return;
      }
      deps.logError(error);
      echecInterne = true;
      marquer({ resultat: 'refusee', candidature: groupe.id, erreurs: [{ code: 'erreur_interne', message: 'erreur interne du serveur' }] });
    }
  });
  const fait = rapport();
  if (fait.lignesEnErreur > 0) {
    const message = `${fait.inscrites} candidature${fait.inscrites > 1 ? 's' : ''} inscrite${fait.inscrites > 1 ? 's' : ''} ; les lignes « refusee » ne l'ont pas été (voir le rapport)`;
    return { status: echecInterne ? 500 : 409, rapport: fait, erreur: { code: 'import_incomplet', message } };
  }
  return { status: fait.inscrites > 0 ? 201 : 200, rapport: fait };
}

export function routesImport(app: Express, deps: ImportDeps): void {
  app.post(
    '/candidatures/import',
    exigerRoles(autorisations.inscription.roles),
    limiteur(importsParEtablissement(deps.importsParHeure ?? 0)),
    express.raw({ type: 'text/csv', limit: LIMITE_IMPORT }),
    async (req, res) => {
      const acteur = appelant(req);
      const { campagne } = parse(importQuery, req.query, 'query');
      if (!Buffer.isBuffer(req.body)) {
        throw new ApiError(415, 'type_non_supporte', 'corps attendu : un fichier CSV (Content-Type: text/csv)', 'body');
      }
      const { status, rapport, erreur } = await importerCsv(deps, acteur, campagne, req.body);
      res.status(status).json(erreur ? { erreur, rapport } : rapport);
    },
  );
}

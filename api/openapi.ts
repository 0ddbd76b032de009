// The OpenAPI 3.1 document, generated from the very zod schemas that validate the requests (zod 4's own
// `z.toJSONSchema`: OpenAPI 3.1 schemas are JSON Schema 2020-12). Served at /openapi.json, shown at /docs.
import { z } from 'zod';
import { actions } from './actions';
import { autorisations } from '../domain/autorisations';
import { ajouteDesVoeux } from './candidatures';
import { colonnesImport, LIMITE_IMPORT, MAX_LIGNES_IMPORT } from './import';
import { revocationReponseSchema, revocationSchema } from './jetons';
import { colonnesAffelnet, colonnesRetards, exportAffelnetQuery, exportRetardsQuery } from './exports';
import { colonnesJournal, journalQuery } from './journal';
import { purgeCorps } from './purges';
import {
  candidatureEtatSchema,
  creneauReponseSchema,
  creneauSchema,
  creneauxQuery,
  erreurSchema,
  modificationCreneauSchema,
  annulationCreneauSchema,
  placementGroupeReponseSchema,
  placementGroupeSchema,
  placementSchema,
  reglageCreneauxSchema,
  serieSchema,
  statistiquesCreneauxQuery,
  statistiquesCreneauxSchema,
  ficheEleveQuery,
  ficheQuery,
  importQuery,
  importRapportSchema,
  importRefusSchema,
  inscriptionSchema,
  listeQuery,
  listeReponseSchema,
  offreDemandeSchema,
  offreSchema,
  offresQuery,
  offresReponseSchema,
  santeReponseSchema,
  statistiquesQuery,
  statistiquesReponseSchema,
} from './schemas';

type Json = Record<string, unknown>;

function schema(s: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...json } = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json) => ({ content: { 'application/json': { schema: s } } });

const erreur = (description: string) => ({ description, ...json(ref('Erreur')) });
const erreursCommunes = {
  400: erreur('requête invalide (`requete_invalide`, corps illisible) : le champ fautif est dans `champ`'),
  401: erreur('jeton absent, invalide ou expiré (`non_authentifie`)'),
  403: erreur('rôle non autorisé pour cette action (`acces_refuse`)'),
  413: erreur('corps de requête trop volumineux (100 ko au plus)'),
  429: erreur('trop de requêtes depuis cette adresse ou pour ce compte (`trop_de_requetes`) : réessayer après `Retry-After` secondes'),
  503: erreur('Temporal ne peut pas traiter la demande pour le moment (`temporal_indisponible`) : la réessayer'),
};
const introuvable = erreur("candidature inconnue, ou d'un autre établissement (`candidature_introuvable`)");
const horsCatalogue =
  "vœu hors du catalogue (`hors_catalogue`) : formation, domaine, lycée, modalité ou académie que le catalogue n'offre pas ; le message dit ce qui est offert";

function queryParameters(s: z.ZodObject): Json[] {
  return Object.entries(s.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodType, 'input'),
  }));
}

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'identifiant de la candidature : `passpro:<campagne>:<pseudonyme de l\'élève>:<domaine>` (encodé dans l\'URL), tel que l\'inscription le renvoie',
  schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,200}$' },
};

const roles = (liste: readonly string[]) => `Rôles : ${liste.map((r) => `\`${r}\``).join(', ')}.`;

const limiteImport = LIMITE_IMPORT.replace('kb', ' ko');
const descriptionImport = [
  "Inscrit d'un coup les élèves d'une liste de classe. Une ligne par vœu : les lignes d'un même élève (INE) dans un même domaine",
  "forment une candidature, ses vœux dans l'ordre du fichier. Chaque ligne est vérifiée d'abord (mêmes règles que `POST /candidatures` :",
  "format, INE, UAI, éligibilité du niveau, élève du collège de l'appelant ; cohérence du fichier, vœux en double ; candidature d'un",
  "autre établissement ou terminée ; vœu au catalogue ; courriel académique du référent) : si une seule ligne est en erreur, la réponse",
  "est un 422 avec le rapport et rien n'est inscrit.",
  'Réimporter le même fichier ne change rien (`deja_inscrite`).',
  '',
  "Encodage : UTF-8 (avec ou sans BOM) ou Windows-1252 (le « CSV » d'Excel sous Windows) ; un fichier qui n'est pas de l'UTF-8 valide",
  'est lu en Windows-1252, puis vérifié ; UTF-16 et fichiers binaires sont refusés (`encodage_non_supporte`). Le rapport dit `encodage`.',
  `Séparateur \`;\` ou \`,\` (celui de la ligne d'en-tête), champs entre guillemets au besoin, ${limiteImport} au plus.`,
  "Ligne d'en-tête obligatoire, colonnes dans n'importe quel ordre :",
  '',
  '| colonne | contenu |',
  '|---|---|',
  ...colonnesImport.map((c) => `| \`${c.nom}\` | ${c.description} |`),
].join('\n');

const exempleImport = [
  colonnesImport.map((c) => c.nom).join(';'),
  '123456789AB;Martin;Léa;3e;0931234L;M. Durand;pp.durand@ac-creteil.fr;metallerie;Métallerie;individuel;0942175D;24025401;2nde pro métiers des structures métalliques',
  '123456789AB;Martin;Léa;3e;0931234L;M. Durand;pp.durand@ac-creteil.fr;metallerie;Métallerie;individuel;0942175D;50025415;CAP serrurier métallier',
].join('\n');

const fiche = {
  description: 'la fiche',
  content: {
    'text/html': { schema: { type: 'string' } },
    'application/pdf': { schema: { type: 'string', format: 'binary' } },
  },
};
const ficheNonPrete = erreur("la fiche n'est pas encore prête : compte rendu et avis d'accueil pas encore saisis (`fiche_non_prete`)");
const formatNonDisponible = erreur('ni HTML ni PDF acceptés par `Accept` (`format_non_disponible`) : utilisez `?format=`');

const rolesCreneaux = roles(autorisations.entretien.roles);
const creneauParameter = { name: 'id', in: 'path', required: true, description: 'identifiant du créneau', schema: { type: 'string', pattern: '^[1-9]\\d{0,17}$' } };
const creneauIntrouvable = erreur("créneau inconnu, ou d'un autre lycée (`creneau_introuvable`)");
const creneauRefuse = erreur(
  "horaire refusé (`creneau_refuse` : week-end, jour férié, hors des entretiens de la campagne, passé), ou domaine que le lycée n'offre pas (`hors_catalogue`)",
);
const unCreneau = (description: string) => ({ description, ...json(ref('Creneau')) });
const lesCreneaux = (description: string) => ({ description, ...json({ type: 'object', properties: { creneaux: { type: 'array', items: ref('Creneau') } } }) });

function pathsCreneaux(): Record<string, Json> {
  return {
    '/creneaux': {
      get: {
        summary: "Les créneaux d'un lycée, par ordre chronologique, avec les places prises et les candidatures placées",
        description: `${rolesCreneaux} Le SAIO nomme le lycée (\`uai\`).`,
        parameters: queryParameters(creneauxQuery).map((p) => (p.name === 'campagne' ? { ...p, required: true } : p)),
        responses: { 200: lesCreneaux('les créneaux'), 400: erreursCommunes[400], 401: erreursCommunes[401], 403: erreursCommunes[403] },
      },
      post: {
        summary: "Publier un créneau d'entretien : date, heure, durée, lieu (ou lien), mode, capacité (1 : entretien individuel ; N : séance collective)",
        description: `${rolesCreneaux} Le lycée publie pour lui-même ; le SAIO nomme le lycée (\`uai\`).`,
        requestBody: { required: true, ...json(ref('CreneauDemande')) },
        responses: { 201: unCreneau('créneau publié'), ...erreursCommunes, 409: erreur('un créneau existe déjà à cette heure, en ce lieu (`creneau_existant`)'), 422: creneauRefuse },
      },
    },
    '/creneaux/series': {
      post: {
        summary: 'Publier une série de créneaux : chaque jour choisi de la période, des créneaux consécutifs de `debut` à `fin`',
        description: `${rolesCreneaux} Les week-ends, les jours fériés et les jours hors des entretiens de la campagne sont sautés. Tous ou aucun : un créneau déjà publié refuse la série.`,
        requestBody: { required: true, ...json(ref('SerieDemande')) },
        responses: { 201: lesCreneaux('créneaux publiés'), ...erreursCommunes, 409: erreur('un créneau de la série existe déjà (`creneau_existant`)'), 422: creneauRefuse },
      },
    },
    '/creneaux/placements': {
      post: {
        summary: "Placer toutes les candidatures « à planifier » d'un domaine, par ordre d'inscription, dans les premiers créneaux libres",
        description: `${rolesCreneaux} Chaque placement est une convocation (courriel et \`.ics\`). Celles qui restent en attente disent pourquoi (plus de place, chevauchement).`,
        requestBody: { required: true, ...json(ref('PlacementGroupe')) },
        responses: { 200: { description: 'placées et en attente', ...json(ref('PlacementGroupeRapport')) }, ...erreursCommunes },
      },
    },
    '/creneaux/reglage': {
      put: {
        summary: "Choisir ce que devient une place libérée : donnée d'office à la candidature suivante en attente, ou signalée dans le récapitulatif quotidien",
        description: rolesCreneaux,
        requestBody: { required: true, ...json(ref('ReglageCreneaux')) },
        responses: { 200: { description: 'le réglage', ...json({ type: 'object', properties: { uai: { type: 'string' }, placementAutomatique: { type: 'boolean' } } }) }, ...erreursCommunes },
      },
    },
    '/creneaux/statistiques': {
      get: {
        summary: 'Par lycée et domaine : créneaux et places offerts, places prises, candidatures en attente sans créneau',
        description: roles(['saio']),
        parameters: queryParameters(statistiquesCreneauxQuery).map((p) => ({ ...p, required: true })),
        responses: { 200: { description: 'les comptes', ...json(ref('StatistiquesCreneaux')) }, 400: erreursCommunes[400], 401: erreursCommunes[401], 403: erreursCommunes[403] },
      },
    },
    '/creneaux/{id}': {
      patch: {
        summary: 'Modifier un créneau : ses élèves sont convoqués de nouveau (courriel, `.ics` de SEQUENCE supérieure)',
        description: `${rolesCreneaux} La capacité ne descend pas sous les places prises. La réponse nomme les candidatures reconvoquées et celles qui l'ont refusé.`,
        parameters: [creneauParameter],
        requestBody: { required: true, ...json(ref('CreneauModification')) },
        responses: { 200: { description: 'le créneau et les reconvocations' }, ...erreursCommunes, 404: creneauIntrouvable, 409: erreur('créneau annulé, ou capacité sous les places prises'), 422: creneauRefuse },
      },
    },
    '/creneaux/{id}/annulation': {
      post: {
        summary: 'Annuler un créneau : ses élèves sont déplacés vers un autre créneau, ou remis à planifier (annulation et `.ics` CANCEL)',
        description:
          `${rolesCreneaux} \`eleves\` : \`deplacer\` (chacun dans le premier créneau libre du lycée et du domaine, nouvelle convocation ; sinon remis à planifier) ` +
          "ou `remettre_a_planifier` (par défaut). Le motif, facultatif, est dit aux familles. La réponse nomme les candidatures déplacées et celles remises à planifier.",
        parameters: [creneauParameter],
        requestBody: { required: false, ...json(ref('CreneauAnnulation')) },
        responses: { 200: { description: 'le créneau annulé, les candidatures déplacées et remises à planifier' }, ...erreursCommunes, 404: creneauIntrouvable },
      },
    },
    '/calendriers/abonnement': {
      post: {
        summary: "L'adresse d'abonnement au calendrier des entretiens de l'établissement de l'appelant (`.ics`, jeton secret)",
        description:
          `${roles(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef'])} Une nouvelle adresse révoque la précédente. ` +
          "Le calendrier nomme les élèves par leurs initiales.",
        responses: { 201: { description: "l'adresse", ...json({ type: 'object', properties: { url: { type: 'string' } } }) }, 401: erreursCommunes[401], 403: erreursCommunes[403] },
      },
    },
    '/calendriers/{fichier}': {
      get: {
        summary: "Le calendrier des entretiens d'un établissement (iCalendar, METHOD:PUBLISH), à l'adresse secrète de son abonnement",
        security: [],
        parameters: [{ name: 'fichier', in: 'path', required: true, description: '`<jeton>.ics`', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}\\.ics$' } }],
        responses: { 200: { description: 'le calendrier', content: { 'text/calendar': { schema: { type: 'string' } } } }, 404: erreur('adresse inconnue ou révoquée (`calendrier_introuvable`)') },
      },
    },
    '/creneaux/{id}/placements': {
      post: {
        summary: 'Placer une candidature dans ce créneau (ou l\'y déplacer) : sa convocation part',
        description: `${rolesCreneaux} Refusé quand le créneau est complet, ou quand l'élève a un autre entretien qui le chevauche, trajet compris (marge de la campagne).`,
        parameters: [creneauParameter],
        requestBody: { required: true, ...json(ref('Placement')) },
        responses: {
          200: unCreneau('candidature placée et convoquée'),
          ...erreursCommunes,
          404: erreur('créneau ou candidature inconnus, ou d\'un autre lycée'),
          409: erreur('créneau complet (`creneau_complet`), chevauchement avec un autre entretien de l\'élève, nommé (`chevauchement`), ou candidature à une autre étape'),
          422: erreur("créneau d'un autre domaine ou d'une autre campagne que la candidature (`creneau_refuse`)"),
        },
      },
    },
  };
}

export function buildOpenApi(): Json {
  const paths: Record<string, Json> = {
    '/health': {
      get: {
        summary: 'État du service : `ok` quand Temporal, la base et un worker répondent, sans détail',
        security: [],
        responses: {
          200: { description: 'tout répond', ...json(ref('Sante')) },
          503: { description: 'une partie ne répond pas (`indisponible`)', ...json(ref('Sante')) },
          429: erreursCommunes[429],
        },
      },
    },
    '/health/composants': {
      get: {
        summary: "État de chaque composant (Temporal, base, worker), avec la raison d'une panne",
        description: roles(['saio']),
        responses: {
          200: { description: 'tout répond', ...json(ref('Sante')) },
          503: { description: 'une partie ne répond pas : laquelle, et pourquoi', ...json(ref('Sante')) },
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/jetons/revocations': {
      post: {
        summary: "Révoquer un jeton par son identifiant (`jti`) : il est refusé dès lors, avant même d'expirer",
        description: `${roles(['saio'])} \`npm run token\` affiche l'identifiant de chaque jeton qu'il émet. Révoquer deux fois le même ne change rien (200).`,
        requestBody: { required: true, ...json(ref('Revocation')) },
        responses: {
          201: { description: 'révocation enregistrée', ...json(ref('RevocationEnregistree')) },
          200: { description: 'ce jeton était déjà révoqué : la première révocation', ...json(ref('RevocationEnregistree')) },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/candidatures': {
      get: {
        summary: 'Lister les candidatures (depuis la base), filtrées et paginées',
        description:
          "Limitées à l'établissement de l'appelant : un collège voit ses élèves, un lycée les candidatures qu'il reçoit, le SAIO toutes. " +
          'Ordre stable (création, puis identifiant) ; `taille` ≤ 100.',
        parameters: queryParameters(listeQuery),
        responses: { 200: { description: 'une page', ...json(ref('ListeCandidatures')) }, 400: erreursCommunes[400], 401: erreursCommunes[401] },
      },
      post: {
        summary: "Inscrire un élève dans un domaine (ou le recenser : `recensementSeulement`)",
        description: `${roles(['origine_personnel', 'origine_chef'])} L'élève doit être de l'établissement de l'appelant (\`eleve.uaiOrigine\`).`,
        requestBody: { required: true, ...json(ref('Inscription')) },
        responses: {
          201: { description: 'candidature créée, ou complétée (même élève, même domaine)', ...json(ref('Candidature')) },
          ...erreursCommunes,
          409: erreur('inscriptions closes, ou action refusée par la candidature'),
          422: erreur(`élève non éligible (\`eleve_non_eligible\`), courriel du référent hors des domaines de l'académie (\`courriel_hors_academie\`), ou ${horsCatalogue}`),
        },
      },
    },
    '/candidatures/import': {
      post: {
        summary: "Inscrire les élèves d'une liste de classe (CSV, une ligne par vœu), avec un rapport ligne à ligne",
        description: `${roles(['origine_personnel', 'origine_chef'])}\n\n${descriptionImport}`,
        parameters: queryParameters(importQuery).map((p) => ({ ...p, required: true })),
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' }, example: exempleImport } } },
        responses: {
          201: { description: 'tout est inscrit : le rapport (`inscrite`, `deja_inscrite` par ligne)', ...json(ref('RapportImport')) },
          200: { description: 'rien à faire : toutes les candidatures du fichier existent déjà avec ces vœux', ...json(ref('RapportImport')) },
          400: erreur(
            'CSV illisible (`csv_invalide` : guillemet non fermé, en-tête faux, fichier vide), encodage refusé (`encodage_non_supporte` : UTF-16, binaire) ou campagne invalide (`requete_invalide`)',
          ),
          401: erreursCommunes[401],
          403: erreursCommunes[403],
          409: erreur("inscriptions closes (`inscriptions_closes`), ou une candidature a refusé l'inscription en cours d'import (`import_incomplet`, avec `rapport`)"),
          413: erreur(`fichier trop volumineux (${limiteImport} au plus), ou de plus de ${MAX_LIGNES_IMPORT} lignes (\`import_trop_long\`)`),
          429: erreur("trop d'imports pour cet établissement dans l'heure, ou trop de requêtes (`trop_de_requetes`)"),
          415: erreur("corps qui n'est pas en `text/csv` (`type_non_supporte`)"),
          422: { description: "au moins une ligne en erreur (`import_refuse`) : rien n'est inscrit ; le rapport nomme chaque ligne et sa colonne fautive", ...json(ref('ImportRefuse')) },
        },
      },
    },
    '/candidatures/{id}/fiche': {
      get: {
        summary: 'La fiche récapitulative de la candidature, en HTML ou en PDF',
        description: "Format : `?format=html|pdf`, sinon l'en-tête `Accept` (HTML par défaut). Prête dès le compte rendu et les avis d'accueil saisis (ou l'absence constatée).",
        parameters: [idParameter, ...queryParameters(ficheQuery)],
        responses: { 200: fiche, 400: erreursCommunes[400], 401: erreursCommunes[401], 404: introuvable, 406: formatNonDisponible, 409: ficheNonPrete },
      },
    },
    '/eleves/{ine}/fiche': {
      get: {
        summary: "La fiche récapitulative d'un élève : tous ses domaines d'une campagne, en HTML ou en PDF",
        description:
          "Les candidatures que l'appelant voit (un lycée : celles qu'il reçoit), de la campagne nommée ou, à défaut, de la dernière de l'élève ; " +
          "un simple recensement n'y figure pas. Prête dès qu'un domaine a son compte rendu. Format : `?format=html|pdf`, sinon `Accept`.",
        parameters: [
          { name: 'ine', in: 'path', required: true, description: "INE de l'élève", schema: { type: 'string', pattern: '^[0-9A-Z]{11}$' } },
          ...queryParameters(ficheEleveQuery),
        ],
        responses: {
          200: fiche,
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          404: erreur("aucune candidature de cet élève visible par l'appelant (`eleve_introuvable`)"),
          406: formatNonDisponible,
          409: ficheNonPrete,
        },
      },
    },
    '/candidatures/{id}': {
      get: {
        summary: "L'état en direct d'une candidature (le workflow) : étape, vœux et avis, entretien, échéances, retards, historique",
        parameters: [idParameter],
        responses: { 200: { description: "l'état", ...json(ref('Candidature')) }, 400: erreursCommunes[400], 401: erreursCommunes[401], 404: introuvable },
      },
    },
    '/exports/affelnet.csv': {
      get: {
        summary: 'Export AFFELNET : avis final et bonus, une ligne par vœu (CSV, séparateur « ; »)',
        description: `${roles(['saio'])} Colonnes : ${colonnesAffelnet.join(' ; ')}.`,
        parameters: queryParameters(exportAffelnetQuery).map((p) => ({ ...p, required: true })),
        responses: {
          200: { description: 'le fichier CSV (UTF-8)', content: { 'text/csv': { schema: { type: 'string' } } } },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/exports/retards.csv': {
      get: {
        summary: 'Export des candidatures en retard ou bloquées, les plus anciennes d\'abord (CSV, séparateur « ; »)',
        description: `${roles(['saio'])} Colonnes : ${colonnesRetards.join(' ; ')}.`,
        parameters: queryParameters(exportRetardsQuery),
        responses: {
          200: { description: 'le fichier CSV (UTF-8)', content: { 'text/csv': { schema: { type: 'string' } } } },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/journal/acces.csv': {
      get: {
        summary: "Journal des accès : chaque lecture d'une candidature, d'une fiche ou d'un export — qui, quoi, quand (CSV, séparateur « ; »)",
        description: `${roles(['saio'])} Période en jours de Paris, bornes incluses (\`du\`, \`au\` : AAAA-MM-JJ) ; \`candidature\` : les seules lectures de celle-ci. Colonnes : ${colonnesJournal.join(' ; ')}. Cet export est lui-même journalisé.`,
        parameters: queryParameters(journalQuery),
        responses: {
          200: { description: 'le fichier CSV (UTF-8)', content: { 'text/csv': { schema: { type: 'string' } } } },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/purges': {
      get: {
        summary: 'Les purges RGPD effectuées (quoi, combien, quand, par qui), la plus récente en premier',
        description: roles(['saio']),
        responses: { 200: { description: 'les purges', ...json({ type: 'object', properties: { purges: { type: 'array', items: { type: 'object' } } } }) }, 401: erreursCommunes[401], 403: erreursCommunes[403] },
      },
      post: {
        summary: "Purger une campagne par anticipation : le workflow de purge est lancé (202) ; son enregistrement suit quand il se termine",
        description: `${roles(['saio'])} Refusée (409 \`purge_refusee\`) tant qu'une candidature de la campagne n'est pas clôturée ou désistée : rien n'est supprimé.`,
        requestBody: { required: true, ...json(ref('Purge')) },
        responses: {
          202: { description: 'la purge est lancée : son workflow et la simulation qui la précède', ...json({ type: 'object' }) },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
          409: erreur('des candidatures de la campagne sont encore en cours (`purge_refusee`)'),
        },
      },
    },
    '/purges/simulation': {
      post: {
        summary: "Simulation d'une purge : ce qu'elle supprimerait (comptes), sans rien supprimer",
        description: roles(['saio']),
        requestBody: { required: true, ...json(ref('Purge')) },
        responses: { 200: { description: 'les comptes', ...json({ type: 'object' }) }, 400: erreursCommunes[400], 401: erreursCommunes[401], 403: erreursCommunes[403] },
      },
    },
    '/statistiques': {
      get: {
        summary: 'Comptes par étape, par lycée, par collège, et les candidatures en retard (où et depuis quand)',
        description: roles(['saio']),
        parameters: queryParameters(statistiquesQuery),
        responses: {
          200: { description: 'les comptes', ...json(ref('Statistiques')) },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
        },
      },
    },
    '/catalogue/offres': {
      get: {
        summary: 'Les offres du catalogue : formation, domaine, lycée, modalité (ouvertes ; `retirees=true` pour les retirées aussi)',
        description: "Tous les rôles. `campagne` : les offres des lycées de l'académie de la campagne.",
        parameters: queryParameters(offresQuery),
        responses: { 200: { description: 'les offres', ...json(ref('Offres')) }, 400: erreursCommunes[400], 401: erreursCommunes[401] },
      },
      post: {
        summary: 'Ouvrir une offre : un lycée offre une formation d\'un domaine, avec sa modalité (ou modifier, rouvrir une offre retirée)',
        description:
          `${roles(['saio'])} Un domaine ou une formation encore inconnus sont créés avec l'offre (un connu garde son libellé) ; ` +
          "un lycée inconnu du catalogue demande `etablissement`. `interAcademique` : ouverte aux collèges d'autres académies.",
        requestBody: { required: true, ...json(ref('OffreDemande')) },
        responses: {
          201: { description: 'offre créée', ...json(ref('Offre')) },
          200: { description: 'offre modifiée, ou rouverte', ...json(ref('Offre')) },
          ...erreursCommunes,
          422: erreur('formation connue dans un autre domaine, lycée inconnu sans `etablissement`, commune hors du département (`saisie_refusee`)'),
        },
      },
    },
    '/catalogue/offres/{formation}/{uai}': {
      delete: {
        summary: "Retirer une offre : plus aucun vœu nouveau pour elle ; les candidatures qui l'ont la gardent",
        description: roles(['saio']),
        parameters: [
          { name: 'formation', in: 'path', required: true, description: 'code de la formation', schema: { type: 'string', pattern: '^[0-9A-Z]{8,11}$' } },
          { name: 'uai', in: 'path', required: true, description: 'UAI du lycée', schema: { type: 'string', pattern: '^\\d{7}[A-Z]$' } },
        ],
        responses: {
          200: { description: 'offre retirée (ou qui l\'était déjà)', ...json(ref('Offre')) },
          400: erreursCommunes[400],
          401: erreursCommunes[401],
          403: erreursCommunes[403],
          404: erreur("pas d'offre de cette formation dans ce lycée (`offre_introuvable`)"),
        },
      },
    },
    ...pathsCreneaux(),
    '/openapi.json': { get: { summary: 'Ce document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/docs': { get: { summary: 'Swagger UI de ce document', security: [], responses: { 200: { description: 'page HTML' } } } },
  };
  const schemas: Record<string, Json> = {
    Erreur: schema(erreurSchema, 'output'),
    Sante: schema(santeReponseSchema, 'output'),
    Inscription: schema(inscriptionSchema, 'input'),
    Candidature: schema(candidatureEtatSchema, 'output'),
    ListeCandidatures: schema(listeReponseSchema, 'output'),
    Statistiques: schema(statistiquesReponseSchema, 'output'),
    RapportImport: schema(importRapportSchema, 'output'),
    OffreDemande: schema(offreDemandeSchema, 'input'),
    Offre: schema(offreSchema, 'output'),
    Offres: schema(offresReponseSchema, 'output'),
    ImportRefuse: schema(importRefusSchema, 'output'),
    Revocation: schema(revocationSchema, 'input'),
    RevocationEnregistree: schema(revocationReponseSchema, 'output'),
    CreneauDemande: schema(creneauSchema, 'input'),
    SerieDemande: schema(serieSchema, 'input'),
    CreneauModification: schema(modificationCreneauSchema, 'input'),
    CreneauAnnulation: schema(annulationCreneauSchema, 'input'),
    Creneau: schema(creneauReponseSchema, 'output'),
    Placement: schema(placementSchema, 'input'),
    PlacementGroupe: schema(placementGroupeSchema, 'input'),
    PlacementGroupeRapport: schema(placementGroupeReponseSchema, 'output'),
    ReglageCreneaux: schema(reglageCreneauxSchema, 'input'),
    StatistiquesCreneaux: schema(statistiquesCreneauxSchema, 'output'),
    Purge: schema(purgeCorps, 'input'),
  };
  for (const a of actions) {
    const nom = `Action_${a.path.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}`;
    schemas[nom] = schema(a.schema, 'input');
    paths[`/candidatures/{id}/${a.path}`] = {
      post: {
        summary: a.resume,
        description: `${roles(a.roles)} L'auteur de l'action est celui du jeton.`,
        parameters: [idParameter],
        requestBody: { required: a.path !== 'confirmation-famille', ...json(ref(nom)) },
        responses: {
          200: { description: "action faite : le nouvel état", ...json(ref('Candidature')) },
          ...erreursCommunes,
          404: introuvable,
          409: erreur("action refusée par la candidature (`action_refusee`, avec sa raison) ou candidature terminée (`candidature_terminee`)"),
          422: erreur(ajouteDesVoeux(a.path) ? `valeur refusée par la candidature (\`saisie_refusee\`), ou ${horsCatalogue}` : 'valeur refusée par la candidature (`saisie_refusee`)'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passpro — API des personnels',
      version: '0.1.0',
      description:
        "Chaque candidature (élève × domaine × campagne) est un workflow Temporal. Authentification : jeton JWT (HS256) en " +
        '`Authorization: Bearer <jeton>` (`npm run token`). Erreurs : `{ "erreur": { "code", "message", "champ" } }`.',
    },
    components: {
      securitySchemes: { jeton: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    security: [{ jeton: [] }],
    paths,
  };
}

// The SAIO's pages: the campaign's dashboard, every candidature, the exports. They read through the same
// functions as the JSON API (`GET /statistiques`, `GET /candidatures`, `GET /exports/…`).
import type { Router } from 'express';
import type { z } from 'zod';
import { campagnes } from '../../../domain/campaigns/index';
import { catalogue } from '../../../domain/catalogue/index';
import { libelleDate, parisDateOf } from '../../../domain/calendar';
import { libelleEtablissement } from '../../../presentation/etablissements';
import { libelleEcheance } from '../../../presentation/labels';
import { optionsChoisies, pagination, type Option } from '../../../presentation/pages';
import { libelleEtape, libelleRetard, libellesEtape } from '../../../presentation/libelles';
import { lienListe, lienTemporal, lienVersTemporal, type Selection } from '../../../presentation/suivi';
import { envoyerCsv } from '../../../presentation/csv';
import { exportAffelnetQuery, exportRetardsQuery, telechargements } from '../../exports';
import { exportJournal, journalQuery, nomFichierJournal } from '../../journal';
import { listerCandidatures, statistiques } from '../../reads';
import { etapes, listeQuery, statistiquesQuery } from '../../schemas';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';

// The latest campaign first: the one a SAIO exports by default.
export const optionsCampagnes: Option[] = Object.values(campagnes)
  .sort((a, b) => b.calendrier.ouvertureInscriptions.localeCompare(a.calendrier.ouvertureInscriptions) || a.id.localeCompare(b.id))
  .map((c) => ({ value: c.id, label: c.libelle }));
const optionsEtapes: Option[] = etapes.map((e) => ({ value: e, label: libellesEtape[e] }));
/** A filter's first option: no filter (an empty value, which `sansVides` drops). */
const tous = (label: string, options: Option[]): Option[] => [{ value: '', label }, ...options];

// Lycées are the schools that offer a formation; the catalogue's other schools are collèges.
const uaisLycees = new Set(catalogue.domaines.flatMap((d) => d.formations.flatMap((f) => f.offres.map((o) => o.uai))));
// One collator for every sort: `localeCompare(…, 'fr')` builds one per comparison.
const ordreFrancais = new Intl.Collator('fr').compare;
const parNom = (a: Option, b: Option) => ordreFrancais(a.label, b.label);
const optionsLycees: Option[] = catalogue.etablissements
  .filter((e) => uaisLycees.has(e.uai))
  .map((e) => ({ value: e.uai, label: libelleEtablissement(e.uai) }))
  .sort(parNom);
const optionsColleges: Option[] = catalogue.etablissements
  .filter((e) => !uaisLycees.has(e.uai))
  .map((e) => ({ value: e.uai, label: libelleEtablissement(e.uai) }))
  .sort(parNom);

const libellesDomaines = new Map(catalogue.domaines.map((d) => [d.code, d.libelle]));

/** A form sends its empty selects as `etape=`: an empty field is no filter. */
const sansVides = (query: Record<string, unknown>) => Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));

const jour = (iso: string) => libelleDate(parisDateOf(new Date(iso)));

/** A count as the dashboard shows it: the number links to its list, and beside it the same query in the Temporal UI. */
interface Compte {
  n: number;
  liste: string;
  temporal?: string;
  /** What the count counts, for the links' accessible names. */
  objet: string;
}

function compte(n: number, selection: Selection, objet: string, temporalUiUrl: string | undefined): Compte {
  return { n, liste: lienListe(selection), temporal: temporalUiUrl && lienVersTemporal(selection), objet };
}

/** The dashboard shows the longest stuck; their list and the export give them all. */
const EN_RETARD_AFFICHEES = 50;

type Statistiques = Awaited<ReturnType<typeof statistiques>>;

function vueTableauDeBord(stats: Statistiques, campagne: string | undefined, temporalUiUrl: string | undefined) {
  const c = (n: number, s: Omit<Selection, 'campagne'>, objet: string) => compte(n, { campagne, ...s }, objet, temporalUiUrl);
  const parEcole = (ecoles: Statistiques['parLycee'], cle: 'uaiAccueil' | 'uaiOrigine') =>
    ecoles
      .map((e) => ({ nom: libelleEtablissement(e.uai), ...e }))
      .sort((a, b) => ordreFrancais(a.nom, b.nom))
      .map((e) => ({
        nom: e.nom,
        total: c(e.total, { [cle]: e.uai }, `candidatures, ${e.nom}`),
        etapes: etapes.map((etape) => c(e.parEtape[etape] ?? 0, { [cle]: e.uai, etape }, `${libellesEtape[etape]}, ${e.nom}`)),
      }));
  return {
    total: c(stats.total, {}, 'candidatures'),
    // The steps' counts as one row, above the same columns per school.
    parEtape: etapes.map((etape) => c(stats.parEtape[etape] ?? 0, { etape }, libellesEtape[etape])),
    entetesEtapes: etapes.map((e) => libellesEtape[e]),
    parLycee: parEcole(stats.parLycee, 'uaiAccueil'),
    parCollege: parEcole(stats.parCollege, 'uaiOrigine'),
    enRetard: {
      compte: c(stats.enRetard.total, { enRetard: true }, 'candidatures en retard'),
      pluriel: stats.enRetard.total > 1,
      tronque: stats.enRetard.total > EN_RETARD_AFFICHEES,
      listees: Math.min(stats.enRetard.candidatures.length, EN_RETARD_AFFICHEES),
      table: {
        caption: 'Candidatures en retard, bloquées depuis le plus longtemps en premier',
        headers: ['INE', 'Domaine', 'Collège', 'Lycée', 'Étape : pourquoi en retard', "Dans l'étape depuis", 'Échéance'],
        empty: 'Aucune candidature en retard.',
        rows: stats.enRetard.candidatures.slice(0, EN_RETARD_AFFICHEES).map((r) => [
        { text: r.ine, href: `/dossiers/${encodeURIComponent(r.id)}` },
        { text: libellesDomaines.get(r.domaine) ?? r.domaine },
        { text: libelleEtablissement(r.uaiOrigine) },
        { text: libelleEtablissement(r.uaiAccueil) },
        { text: `${libelleEtape(r.etape)} : ${r.retards.map(libelleRetard).join(', ')}` },
        { text: jour(r.depuis) },
        { text: r.echeance ? libelleEcheance(new Date(r.echeance)) : '—' },
        ]),
      },
    },
    incidents: {
      total: stats.incidents.total,
      pluriel: stats.incidents.total > 1,
      temporal: temporalUiUrl && lienTemporal(temporalUiUrl, { campagne, incident: true }),
      table: {
        caption: 'Incidents : écritures refusées par la base de données, les plus récents en premier',
        headers: ['Candidature', 'Action', 'Code', 'Conséquence', 'Survenu le'],
        empty: 'Aucun incident.',
        rows: stats.incidents.derniers.map((i) => [
        { text: i.candidatureId, href: `/dossiers/${encodeURIComponent(i.candidatureId)}` },
        { text: i.action },
        { text: i.code },
        { text: i.annulee ? 'Saisie annulée, la candidature continue' : 'Candidature arrêtée' },
        { text: libelleEcheance(new Date(i.survenuLe)) },
        ]),
      },
    },
  };
}

export function routesSaio(router: Router, deps: EspaceDeps): void {
  const prisma = deps.db.prisma;

  // A count's way to the Temporal UI: the same selection as its list, as a visibility query there. A bad
  // parameter is a 400 naming it; without a Temporal UI the dashboard has no such link, and this is a 404.
  router.get('/saio/temporal', (req, res, next) => {
    if (!deps.temporalUiUrl) return next();
    try {
      const q = parse(listeQuery, sansVides(req.query), 'query');
      res.redirect(303, lienTemporal(deps.temporalUiUrl, { campagne: q.campagne, etape: q.etape, uaiAccueil: q.uaiAccueil, uaiOrigine: q.uaiOrigine, enRetard: q.enRetard }));
    } catch (error) {
      next(error);
    }
  });

  router.get(
    '/saio/tableau-de-bord',
    page(async ({ req, rendre }) => {
      const titre = 'Tableau de bord';
      const fil = [{ libelle: titre }];
      let campagne: string | undefined;
      try {
        ({ campagne } = parse(statistiquesQuery, sansVides(req.query), 'query'));
      } catch (error) {
        const refus = refusDeFormulaire(error);
        rendre('saio-tableau-de-bord', { titre, fil, alertes: [{ type: 'error', title: 'Campagne inconnue', message: refus.message }], campagnes: optionsChoisies(tous('Toutes les campagnes', optionsCampagnes), undefined) }, refus.status);
        return;
      }
      const [stats, creneaux] = await Promise.all([statistiques(prisma, campagne, EN_RETARD_AFFICHEES), campagne ? deps.creneaux.statistiques(campagne) : undefined]);
      rendre('saio-tableau-de-bord', {
        titre,
        fil,
        campagne,
        libelleCampagne: campagne && campagnes[campagne]?.libelle,
        campagnes: optionsChoisies(tous('Toutes les campagnes', optionsCampagnes), campagne),
        stats: vueTableauDeBord(stats, campagne, deps.temporalUiUrl),
        creneaux: creneaux && {
          caption: 'Créneaux par lycée et domaine : offerts, pris, et candidatures à planifier sans créneau',
          headers: ["Lycée d'accueil", 'Domaine', 'Créneaux', 'Places', 'Places prises', 'En attente sans créneau'],
          rows: creneaux.lycees.map((l) => [
            { text: libelleEtablissement(l.uai) },
            { text: l.domaineLibelle },
            { text: String(l.creneaux) },
            { text: String(l.places) },
            { text: String(l.placesPrises) },
            { text: String(l.candidaturesEnAttente) },
          ]),
          empty: 'Aucun créneau publié, aucune candidature à planifier.',
        },
      });
    }),
  );

  router.get(
    '/saio/candidatures',
    page(async ({ req, qui, rendre }) => {
      const titre = 'Candidatures';
      const fil = [{ libelle: titre }];
      const brut = sansVides(req.query);
      const champ = (nom: string) => (typeof brut[nom] === 'string' ? (brut[nom] as string) : undefined);
      const filtres = {
        campagnes: optionsChoisies(tous('Toutes les campagnes', optionsCampagnes), champ('campagne')),
        etapes: optionsChoisies(tous('Toutes les étapes', optionsEtapes), champ('etape')),
        lycees: optionsChoisies(tous('Tous les lycées', optionsLycees), champ('uaiAccueil')),
        colleges: optionsChoisies(tous('Tous les collèges', optionsColleges), champ('uaiOrigine')),
        enRetard: champ('enRetard') === 'true',
      };
      let q: z.infer<typeof listeQuery>;
      try {
        q = parse(listeQuery, brut, 'query');
      } catch (error) {
        const refus = refusDeFormulaire(error);
        rendre('saio-candidatures', { titre, fil, filtres, alertes: [{ type: 'error', title: 'Filtres invalides', message: refus.message }] }, refus.status);
        return;
      }
      const liste = await listerCandidatures(prisma, qui, q);
      const nombrePages = Math.max(1, Math.ceil(liste.total / q.taille));
      const { page: _page, ...selection } = q;
      const hrefPage = (n: number) => {
        const params = new URLSearchParams(
          Object.entries({ ...selection, page: n }).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
        );
        return `/saio/candidatures?${params.toString()}`;
      };
      rendre('saio-candidatures', {
        titre,
        fil,
        filtres,
        total: liste.total,
        pluriel: liste.total > 1,
        temporal: deps.temporalUiUrl && lienTemporal(deps.temporalUiUrl, { campagne: q.campagne, etape: q.etape, uaiAccueil: q.uaiAccueil, uaiOrigine: q.uaiOrigine, enRetard: q.enRetard }),
        table: {
          caption: `Candidatures, page ${q.page} sur ${nombrePages}`,
          headers: ['Élève (INE)', 'Domaine', 'Collège', 'Lycée', 'Étape', 'Depuis', 'Prochaine échéance'],
          rows: liste.elements.map((c) => [
            { text: `${c.eleve.nom} ${c.eleve.prenom} (${c.eleve.ine})`, href: `/dossiers/${encodeURIComponent(c.id)}` },
            { text: c.domaine.libelle ?? c.domaine.code },
            { text: libelleEtablissement(c.uaiOrigine) },
            { text: libelleEtablissement(c.uaiAccueil) },
            {
              text: libelleEtape(c.etape),
              badge: c.enRetard ? { label: `En retard : ${c.retards.map(libelleRetard).join(', ')}`, type: 'error', small: true } : undefined,
            },
            { text: jour(c.etapeDepuis) },
            { text: c.echeance ? libelleEcheance(new Date(c.echeance)) : '—' },
          ]),
          empty: 'Aucune candidature ne correspond à ces filtres.',
        },
        pagination: nombrePages > 1 ? pagination(q.page, nombrePages, hrefPage) : undefined,
      });
    }),
  );

  const pageExports = (rendre: Page['rendre'], journal: { du?: string; au?: string; candidature?: string; erreurs?: Record<string, string> } = {}, status = 200) =>
    rendre(
      'saio-exports',
      {
        titre: 'Exports',
        fil: [{ libelle: 'Exports' }],
        campagnesAffelnet: optionsChoisies(optionsCampagnes, optionsCampagnes[0]?.value),
        campagnesRetards: optionsChoisies(tous('Toutes les campagnes', optionsCampagnes), undefined),
        journal,
      },
      status,
    );

  router.get(
    '/saio/exports',
    page(async ({ rendre }) => pageExports(rendre)),
  );

  // The same files as `GET /exports/…` of the JSON API, behind the session.
  router.get(
    '/saio/exports/affelnet.csv',
    page(async ({ req, res, qui }) => {
      const { nom, contenu } = await telechargements.affelnet(prisma, qui, parse(exportAffelnetQuery, req.query, 'query'));
      envoyerCsv(res, nom, contenu);
    }),
  );
  router.get(
    '/saio/exports/retards.csv',
    page(async ({ req, res, qui }) => {
      const { nom, contenu } = await telechargements.retards(prisma, qui, parse(exportRetardsQuery, sansVides(req.query), 'query'));
      envoyerCsv(res, nom, contenu);
    }),
  );
  // The access journal as `GET /journal/acces.csv`; a bad filter comes back on its field of the exports page.
  router.get(
    '/saio/exports/journal.csv',
    page(async ({ req, res, qui, rendre }) => {
      const brut = sansVides(req.query);
      let q: z.infer<typeof journalQuery>;
      try {
        q = parse(journalQuery, brut, 'query');
      } catch (error) {
        const refus = refusDeFormulaire(error);
        const champ = refus.champ?.replace(/^query\./, '') ?? 'du';
        pageExports(rendre, { ...brut, erreurs: { [champ]: refus.message } }, refus.status);
        return;
      }
      envoyerCsv(res, nomFichierJournal(q), await exportJournal(prisma, qui, q));
    }),
  );
}

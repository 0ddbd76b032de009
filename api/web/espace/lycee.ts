// The lycée's pages (accueil): its inbox by urgency and its candidatures. Both read the query side (the
// Candidature table), scoped to the signed-in person's lycée.
import type { Router } from 'express';
import { z } from 'zod';
import { addDays, dayOfWeek, libelleDate, parisDateOf } from '../../../domain/calendar';
import type { Etape } from '../../../domain/candidature';
import type { Database } from '../../../platform/database';
import { libelleEtablissement } from '../../../presentation/etablissements';
import { libelleEcheance } from '../../../presentation/labels';
import { libelleEtape, libelleRetard, libellesEtape } from '../../../presentation/libelles';
import { optionsChoisies, pagination } from '../../../presentation/pages';
import { filtrePerimetre } from '../../auth';
import { listerCandidatures } from '../../reads';
import { etapes, listeQuery } from '../../schemas';
import { parse } from '../../validation';
import { page, type EspaceDeps } from '../espace';

const JOUR_MS = 24 * 3600 * 1000;

/** Each section of the inbox lists its most urgent: the lycée's list, by step, gives them all. */
const LIGNES_PAR_SECTION = 50;

export const lienDossier = (id: string) => `/dossiers/${encodeURIComponent(id)}`;

/** The inbox's sections, as its query names them, in the page's order. */
const sectionsBoite = ['aPlanifier', 'duJour', 'deLaSemaine', 'comptesRendus', 'enRetard'] as const;
type Section = (typeof sectionsBoite)[number];

/** A row of the inbox: the columns it shows (not the workflow's whole state, `etat`), and its section's count. */
interface Ligne {
  section: Section;
  nombre: number;
  id: string;
  etape: string;
  domaine: string;
  domaineLibelle: string | null;
  uaiOrigine: string;
  echeance: Date | null;
  retards: string[];
  entretienDate: string | null;
  entretienHeure: string | null;
  entretienLieu: string | null;
  nom: string;
  prenom: string;
}

/**
 * One section of the inbox: its most urgent rows by `ordre` (columns of the candidature) with the section's whole
 * count (the window is counted before the limit), then the pupils of those rows only: joined before the limit,
 * PostgreSQL would read every pupil of the campaign to count the section. The deadline is read as UTC, as it is
 * written, whatever the process's time zone.
 */
function sectionBoite(nom: Section, condition: string, ordre: string[]): string {
  const trie = (table: string) => [...ordre, 'id'].map((colonne) => `${table}."${colonne}"`).join(', ');
  return `(SELECT s."section", s."nombre", s."id", s."etape", s."domaine", s."domaineLibelle", s."uaiOrigine", s."echeance", s."retards",
            s."entretienDate", s."entretienHeure", s."entretienLieu", e."nom", e."prenom"
    FROM (SELECT '${nom}'::text AS "section", count(*) OVER ()::int AS "nombre", c."id", c."ine", c."etape", c."domaine", c."domaineLibelle",
                 c."uaiOrigine", c."echeance" AT TIME ZONE 'UTC' AS "echeance", c."retards", c."entretienDate", c."entretienHeure", c."entretienLieu", c."createdAt", c."etapeDepuis"
          FROM "Candidature" c WHERE c."uaiAccueil" = $1 AND ${condition}
          ORDER BY ${trie('c')} LIMIT ${LIGNES_PAR_SECTION}) s
    JOIN "Eleve" e ON e."ine" = s."ine"
    ORDER BY ${trie('s')})`;
}

/** Every section of a lycée's inbox in one statement (parameters: the lycée, today, the coming Sunday). */
const requeteBoite = [
  sectionBoite('aPlanifier', `c."etape" = 'a_planifier'`, ['echeance', 'createdAt']),
  sectionBoite('duJour', `c."etape" = 'convoquee' AND c."entretienDate" = $2`, ['entretienHeure']),
  sectionBoite('deLaSemaine', `c."etape" = 'convoquee' AND c."entretienDate" > $2 AND c."entretienDate" <= $3`, ['entretienDate', 'entretienHeure']),
  sectionBoite('comptesRendus', `c."etape" = 'compte_rendu_attendu'`, ['echeance']),
  sectionBoite('enRetard', `c."enRetard"`, ['etapeDepuis']),
].join(' UNION ALL ');

const lireBoite = (db: Database, uai: string, aujourdhui: string, dimanche: string) => db.preparee<Ligne>('boite_lycee', requeteBoite, [uai, aujourdhui, dimanche]);

/** The cells every section starts with: the pupil (a link to the candidature's page), the domaine, the collège. */
const cellulesEleve = (c: Ligne) => [
  { text: `${c.nom.toLocaleUpperCase('fr-FR')} ${c.prenom}`, href: lienDossier(c.id) },
  { text: c.domaineLibelle ?? c.domaine },
  { text: libelleEtablissement(c.uaiOrigine) },
];

const entretienDe = (c: Ligne) => (c.entretienDate ? `${libelleDate(c.entretienDate)} à ${c.entretienHeure ?? ''}` : '—');

/** Days left of the 3-day window, as staff count them: "aujourd'hui" on its last day. */
function joursRestants(echeance: Date, now: Date): string {
  const jours = Math.ceil((echeance.getTime() - now.getTime()) / JOUR_MS) - 1;
  if (echeance.getTime() < now.getTime()) return 'délai dépassé';
  if (jours <= 0) return "dernier jour aujourd'hui";
  return jours === 1 ? '1 jour restant' : `${jours} jours restants`;
}

const retardsDe = (retards: string[]) => retards.map(libelleRetard).join(', ');

const filtreQuery = z.strictObject({
  etape: z.enum(etapes).optional().catch(undefined),
  domaine: z.string().max(60).optional(),
  page: z.string().optional(),
});

export function routesLycee(router: Router, deps: EspaceDeps): void {
  const { prisma } = deps.db;

  router.get(
    '/lycee/a-traiter',
    page(async ({ qui, rendre }) => {
      const now = new Date();
      const aujourdhui = parisDateOf(now);
      // The week ends on Sunday: "cette semaine" is tomorrow to then.
      const dimanche = addDays(aujourdhui, (7 - dayOfWeek(aujourdhui)) % 7);
      const lignes = await lireBoite(deps.db, qui.uai!, aujourdhui, dimanche);
      const [aPlanifier, duJour, deLaSemaine, comptesRendus, enRetard] = sectionsBoite.map((nom) => lignes.filter((l) => l.section === nom));
      // A section without rows counts none.
      const nombres = Object.fromEntries(sectionsBoite.map((nom) => [nom, lignes.find((l) => l.section === nom)?.nombre ?? 0])) as Record<Section, number>;
      /** A section's count, and what its table holds when it lists only the first of them. */
      const compte = (n: number, liste: string) => (n > LIGNES_PAR_SECTION ? `${n}, dont les ${LIGNES_PAR_SECTION} ${liste}` : String(n));
      const sections = [
        {
          id: 'a-planifier',
          nombre: nombres.aPlanifier,
          suite: '/lycee/candidatures?etape=a_planifier',
          titre: 'Entretiens à planifier',
          table: {
            caption: `Élèves inscrits sans entretien planifié (${compte(nombres.aPlanifier, 'plus urgents')})`,
            headers: ['Élève', 'Domaine', 'Collège', 'À planifier avant le'],
            rows: aPlanifier.map((c) => [...cellulesEleve(c), { text: c.echeance ? libelleEcheance(c.echeance) : '—' }]),
            empty: 'Aucun entretien à planifier.',
          },
        },
        {
          id: 'aujourdhui',
          nombre: nombres.duJour,
          suite: '/lycee/candidatures?etape=convoquee',
          titre: "Entretiens d'aujourd'hui",
          table: {
            caption: `Entretiens du ${libelleDate(aujourdhui)} (${compte(nombres.duJour, 'premiers')})`,
            headers: ['Élève', 'Domaine', 'Collège', 'Heure', 'Lieu'],
            rows: duJour.map((c) => [...cellulesEleve(c), { text: c.entretienHeure ?? '—' }, { text: c.entretienLieu ?? '—' }]),
            empty: "Aucun entretien aujourd'hui.",
          },
        },
        {
          id: 'semaine',
          nombre: nombres.deLaSemaine,
          suite: '/lycee/candidatures?etape=convoquee',
          titre: 'Entretiens de la semaine',
          table: {
            caption: `Entretiens à venir jusqu'au ${libelleDate(dimanche)} (${compte(nombres.deLaSemaine, 'premiers')})`,
            headers: ['Élève', 'Domaine', 'Collège', 'Entretien', 'Lieu'],
            rows: deLaSemaine.map((c) => [...cellulesEleve(c), { text: entretienDe(c) }, { text: c.entretienLieu ?? '—' }]),
            empty: "Aucun autre entretien d'ici dimanche.",
          },
        },
        {
          id: 'comptes-rendus',
          nombre: nombres.comptesRendus,
          suite: '/lycee/candidatures?etape=compte_rendu_attendu',
          titre: 'Comptes rendus attendus',
          table: {
            caption: `Entretiens tenus dont le compte rendu est attendu (${compte(nombres.comptesRendus, 'plus urgents')})`,
            headers: ['Élève', 'Domaine', 'Collège', 'Entretien', 'Délai de 3 jours'],
            rows: comptesRendus.map((c) => [
              ...cellulesEleve(c),
              { text: entretienDe(c) },
              c.echeance
                ? { text: `${joursRestants(c.echeance, now)} (jusqu'au ${libelleEcheance(c.echeance)})`, badge: c.echeance < now ? { label: 'En retard', type: 'error', small: true } : undefined }
                : { text: '—' },
            ]),
            empty: 'Aucun compte rendu attendu.',
          },
        },
        {
          id: 'en-retard',
          nombre: nombres.enRetard,
          titre: 'En retard',
          table: {
            caption: `Candidatures en retard (${compte(nombres.enRetard, 'plus anciennes')})`,
            headers: ['Élève', 'Domaine', 'Collège', 'Retard', 'Étape'],
            rows: enRetard.map((c) => [
              ...cellulesEleve(c),
              { text: retardsDe(c.retards), badge: { label: 'En retard', type: 'error', small: true } },
              { text: libelleEtape(c.etape) },
            ]),
            empty: 'Aucune candidature en retard.',
          },
        },
      ];
      rendre('lycee-a-traiter', {
        titre: 'À traiter',
        fil: [{ libelle: 'À traiter' }],
        sections: sections.map((s) => ({ ...s, suite: s.nombre > LIGNES_PAR_SECTION && 'suite' in s ? s.suite : undefined })),
      });
    }),
  );

  router.get(
    '/lycee/candidatures',
    page(async ({ req, qui, rendre }) => {
      const filtres = filtreQuery.safeParse(req.query);
      const { etape, domaine: domaineDemande, page: pageDemandee } = filtres.success ? filtres.data : {};
      const domaines = await prisma.candidature.findMany({
        where: filtrePerimetre(qui),
        distinct: ['domaine'],
        select: { domaine: true, domaineLibelle: true },
        orderBy: { domaine: 'asc' },
      });
      const domaine = domaines.some((d) => d.domaine === domaineDemande) ? domaineDemande : undefined;
      const numero = Math.max(1, Number.parseInt(pageDemandee ?? '1', 10) || 1);
      const query = parse(listeQuery, { etape, domaine, page: String(numero), taille: '20' }, 'query');
      const liste = await listerCandidatures(prisma, qui, query);
      const nombrePages = Math.max(1, Math.ceil(liste.total / liste.taille));
      const href = (n: number) => {
        const p = new URLSearchParams();
        if (etape) p.set('etape', etape);
        if (domaine) p.set('domaine', domaine);
        if (n > 1) p.set('page', String(n));
        const q = p.toString();
        return `/lycee/candidatures${q ? `?${q}` : ''}`;
      };
      rendre('lycee-candidatures', {
        titre: 'Candidatures',
        fil: [{ libelle: 'Candidatures' }],
        filtres: {
          etape: {
            id: 'filtre-etape',
            name: 'etape',
            label: 'Étape',
            value: etape,
            options: [{ value: '', label: 'Toutes les étapes', selected: !etape }, ...optionsChoisies(etapes.map((e) => ({ value: e, label: libellesEtape[e] })), etape)],
          },
          domaine: {
            id: 'filtre-domaine',
            name: 'domaine',
            label: 'Domaine',
            value: domaine,
            options: [{ value: '', label: 'Tous les domaines', selected: !domaine }, ...optionsChoisies(domaines.map((d) => ({ value: d.domaine, label: d.domaineLibelle ?? d.domaine })), domaine)],
          },
        },
        table: {
          caption: `Candidatures de l'établissement (${liste.total}) — page ${liste.page} sur ${nombrePages}`,
          headers: ['Élève', 'INE', 'Domaine', 'Collège', 'Étape', 'Prochaine échéance'],
          rows: liste.elements.map((c) => [
            { text: `${c.eleve.nom.toLocaleUpperCase('fr-FR')} ${c.eleve.prenom}`, href: lienDossier(c.id) },
            { text: c.eleve.ine },
            { text: c.domaine.libelle ?? c.domaine.code },
            { text: libelleEtablissement(c.uaiOrigine) },
            { text: libellesEtape[c.etape as Etape] ?? c.etape, badge: c.enRetard ? { label: 'En retard', type: 'error', small: true } : undefined },
            { text: c.echeance ? libelleEcheance(new Date(c.echeance)) : '—' },
          ]),
          empty: 'Aucune candidature ne correspond à ces filtres.',
        },
        pagination: nombrePages > 1 ? pagination(liste.page, nombrePages, href) : undefined,
      });
    }),
  );
}

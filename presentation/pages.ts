// The staff's web pages: handlebars templates in templates/pages/ (layout.hbs around <name>.hbs, the DSFR
// components as partials in partials/, each called with its data), compiled once. Handlebars gets no helpers:
// what the layout prints (the person, the navigation of their role, the title) is computed here, and pages
// compute their own labels with pure functions (labels.ts, etablissements.ts) before calling `render`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../platform/paths';
import type { Role } from '../domain/candidature';
import { libelleEtablissement } from './etablissements';

/** Who is signed in, as the session knows them. */
export interface Personne {
  nom: string;
  role: Exclude<Role, 'systeme'>;
  /** The school's UAI; none for the SAIO. */
  uai: string | null;
}

export interface Alerte {
  type: 'success' | 'error' | 'info' | 'warning';
  title: string;
  message?: string;
}

/** A breadcrumb step; the last one, the current page, has no link. */
export interface Miette {
  libelle: string;
  href?: string;
}

/** What the layout reads from every page's data; the page's template reads the rest. */
export interface DonneesLayout {
  /** The page's name: its `<title>` is "<titre> — Passpro". */
  titre: string;
  /** Absent on public pages: no navigation, a "Se connecter" link instead of the sign-out button. */
  personne?: Personne;
  /** The session's CSRF token, sent back by the sign-out form (and by the page's own forms) as `_csrf`. */
  csrf?: string;
  /** The page's path: its navigation entry is marked current. */
  chemin?: string;
  /** From the home page to this one; none on the home page. */
  fil?: Miette[];
  alertes?: Alerte[];
}

export interface EntreeNavigation {
  libelle: string;
  href: string;
}

/** The main navigation of each role: where its work starts. */
export const navigationParRole: Record<Personne['role'], EntreeNavigation[]> = (() => {
  const college = [
    { libelle: 'Candidatures', href: '/college/candidatures' },
    { libelle: 'Inscrire un élève', href: '/college/inscrire' },
    { libelle: 'Importer une liste', href: '/college/importer' },
    { libelle: 'Fiches', href: '/college/fiches' },
  ];
  const lycee = [
    { libelle: 'À traiter', href: '/lycee/a-traiter' },
    { libelle: 'Candidatures', href: '/lycee/candidatures' },
    { libelle: 'Créneaux', href: '/lycee/creneaux' },
  ];
  return {
    origine_chef: college,
    origine_personnel: college,
    accueil_chef: lycee,
    accueil_personnel: lycee,
    saio: [
      { libelle: 'Tableau de bord', href: '/saio/tableau-de-bord' },
      { libelle: 'Candidatures', href: '/saio/candidatures' },
      { libelle: 'Exports', href: '/saio/exports' },
      { libelle: 'Purges RGPD', href: '/saio/purges' },
    ],
  };
})();

export const libelleRole: Record<Personne['role'], string> = {
  origine_chef: "Chef d'établissement d'origine",
  origine_personnel: "Personnel de l'établissement d'origine",
  accueil_chef: "Chef d'établissement d'accueil",
  accueil_personnel: "Personnel de l'établissement d'accueil",
  saio: 'SAIO',
};

export interface VueLayout {
  titreDocument: string;
  personne?: { nom: string; role: string; etablissement?: string };
  csrf?: string;
  navigation?: (EntreeNavigation & { courant: boolean })[];
  fil?: Miette[];
  alertes: Alerte[];
}

/** An entry is current on its own path and below it (`/college/candidatures/…` under "Candidatures"). */
const estCourant = (href: string, chemin: string | undefined) => chemin !== undefined && (chemin === href || chemin.startsWith(`${href}/`));

export function vueLayout(d: DonneesLayout): VueLayout {
  const { personne } = d;
  return {
    titreDocument: `${d.titre} — Passpro`,
    personne: personne && {
      nom: personne.nom,
      role: libelleRole[personne.role],
      etablissement: personne.uai ? libelleEtablissement(personne.uai) : undefined,
    },
    csrf: d.csrf,
    navigation: personne && navigationParRole[personne.role].map((e) => ({ ...e, courant: estCourant(e.href, d.chemin) })),
    fil: d.fil && d.fil.length > 0 ? [{ libelle: 'Accueil', href: '/' }, ...d.fil] : undefined,
    alertes: d.alertes ?? [],
  };
}

export interface Option {
  value: string;
  label: string;
}

/** A select's or a radio group's options, the chosen one marked (the value entered is kept after a refusal). */
export function optionsChoisies(options: readonly Option[], valeur: string | undefined): (Option & { selected: boolean; checked: boolean })[] {
  return options.map((o) => ({ ...o, selected: o.value === valeur, checked: o.value === valeur }));
}

export interface ErreurChamp {
  /** The id of the field, which the summary links to. */
  id: string;
  message: string;
}

/** The summary at the top of a refused form: how many errors, each linking to its field. */
export function resumeErreurs(erreurs: readonly ErreurChamp[]): { title: string; errors: readonly ErreurChamp[] } {
  const n = erreurs.length;
  return { title: n === 1 ? 'Le formulaire contient une erreur' : `Le formulaire contient ${n} erreurs`, errors: erreurs };
}

export interface VuePagination {
  first?: string;
  prev?: string;
  next?: string;
  last?: string;
  pages: ({ number: number; href: string; current: boolean; ellipsis?: false } | { ellipsis: true })[];
}

/** The pages around the current one, the first and the last, with an ellipsis between; no link to the current page. */
export function pagination(page: number, nombrePages: number, href: (page: number) => string): VuePagination {
  const numeros = [...new Set([1, page - 1, page, page + 1, nombrePages])].filter((n) => n >= 1 && n <= nombrePages).sort((a, b) => a - b);
  const pages: VuePagination['pages'] = [];
  numeros.forEach((n, i) => {
    if (i > 0 && n > numeros[i - 1] + 1) pages.push({ ellipsis: true });
    pages.push({ number: n, href: href(n), current: n === page });
  });
  const ailleurs = (n: number) => (n === page ? undefined : href(n));
  return {
    first: ailleurs(1),
    prev: page > 1 ? href(page - 1) : undefined,
    next: page < nombrePages ? href(page + 1) : undefined,
    last: ailleurs(nombrePages),
    pages,
  };
}

export type RenduPage = (page: string, data: DonneesLayout & Record<string, unknown>) => string;

/** Compiles the layout, the partials and every page once; rendering is then a pure function of the data. */
export function createPageRenderer(dir = path.join(templatesDir, 'pages')): RenduPage {
  const hbs = Handlebars.create();
  // Only handlebars' own block helpers exist: each `{{name}}` compiles to a property read, not a helper lookup.
  const compiler = (fichier: string) => hbs.compile(readFileSync(fichier, 'utf8'), { knownHelpersOnly: true });
  const partials = path.join(dir, 'partials');
  for (const f of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) hbs.registerPartial(path.basename(f, '.hbs'), compiler(path.join(partials, f)));
  const layout = compiler(path.join(dir, 'layout.hbs'));
  const pages = new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.hbs') && f !== 'layout.hbs')
      .map((f) => [path.basename(f, '.hbs'), compiler(path.join(dir, f))] as const),
  );
  return (page, data) => {
    const gabarit = pages.get(page);
    if (!gabarit) throw new Error(`unknown page template ${page}`);
    return layout({ ...vueLayout(data), contenu: gabarit(data) });
  };
}

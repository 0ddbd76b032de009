// The lycée's créneaux page: per domaine, its créneaux with the places taken, a series to publish, and the
// pupils "à planifier" to place one by one or all at once. Each form calls the same function of
// api/creneaux.ts as its JSON route, and shows a refusal on its field.
import type { Router } from 'express';
import { libelleDate } from '../../../domain/calendar';
import { resumeErreurs } from '../../../presentation/pages';
import { annulationCreneauSchema, creneauIdParam, placementSchema, serieSchema } from '../../schemas';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';
import { campagneDeLEtablissement } from './college';

type Formulaire = Record<string, string | string[] | undefined>;
const champ = (f: Formulaire, nom: string): string => {
  const v = f[nom];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

const joursSemaine = [
  { value: '1', label: 'Lundi' },
  { value: '2', label: 'Mardi' },
  { value: '3', label: 'Mercredi' },
  { value: '4', label: 'Jeudi' },
  { value: '5', label: 'Vendredi' },
];

/** The series form's fields, in order: a refusal's `body.<champ>` lands on `serie-<champ>`. */
const champsSerie = [
  { name: 'du', label: 'Du', type: 'date' },
  { name: 'au', label: 'Au (inclus)', type: 'date' },
  { name: 'debut', label: 'De', type: 'time', hint: 'Heure du premier créneau' },
  { name: 'fin', label: 'À', type: 'time', hint: 'Le dernier créneau finit au plus tard à cette heure' },
  { name: 'dureeMinutes', label: 'Durée d’un créneau (minutes)', type: 'number' },
  { name: 'capacite', label: 'Places par créneau', type: 'number', hint: '1 pour un entretien individuel, davantage pour une séance collective' },
  { name: 'lieu', label: 'Lieu, ou lien de connexion à distance', type: 'text' },
] as const;

const nombre = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

export function routesCreneauxLycee(router: Router, deps: EspaceDeps): void {
  const { prisma } = deps.db;

  async function afficher(p: Page, domaineDemande: string | undefined, f: Formulaire = {}, refus?: { status: number; message: string; champ?: string }, fait?: string) {
    const uai = p.qui.uai!;
    const campagne = campagneDeLEtablissement(uai);
    const offres = await prisma.offre.findMany({ where: { uai, retireeLe: null }, include: { formation: { include: { domaine: true } } } });
    const domaines = [...new Map(offres.map((o) => [o.formation.domaine.code, o.formation.domaine.libelle])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
    const domaine = domaines.find(([code]) => code === domaineDemande)?.[0] ?? domaines[0]?.[0];
    const [creneaux, aPlanifier] = campagne && domaine
      ? await Promise.all([
          deps.creneaux.lister(p.qui, { campagne: campagne.id, domaine }),
          prisma.candidature.findMany({
            where: { uaiAccueil: uai, domaine, campagneId: campagne.id, etape: 'a_planifier' },
            include: { eleve: { select: { nom: true, prenom: true } } },
            orderBy: [{ inscritLe: 'asc' }, { id: 'asc' }],
            take: 500,
          }),
        ])
      : [[], []];
    const reglage = await prisma.reglageCreneaux.findUnique({ where: { uai } });
    const libres = creneaux.filter((c) => !c.annule && c.placesPrises < c.capacite);
    const actifs = creneaux.filter((c) => !c.annule);
    const idChamp = refus?.champ ? `serie-${refus.champ.replace(/^body\./, '')}` : undefined;
    const surUnChamp = idChamp && champsSerie.some((c) => `serie-${c.name}` === idChamp) ? idChamp : undefined;
    const erreurs = refus ? [{ id: surUnChamp ?? 'resume-erreurs', message: refus.message }] : [];
    p.rendre(
      'lycee-creneaux',
      {
        titre: 'Créneaux',
        fil: [{ libelle: 'Créneaux' }],
        campagne: campagne?.libelle,
        fait,
        resume: refus ? resumeErreurs(erreurs) : undefined,
        erreurGenerale: refus && !surUnChamp ? refus.message : undefined,
        domaine: {
          id: 'domaine',
          name: 'domaine',
          label: 'Domaine',
          options: domaines.map(([value, label]) => ({ value, label, selected: value === domaine })),
        },
        domaineChoisi: domaine,
        serie: champsSerie.map((c) => ({
          ...c,
          id: `serie-${c.name}`,
          required: true,
          value: champ(f, c.name) || (c.name === 'dureeMinutes' ? '20' : c.name === 'capacite' ? '1' : ''),
          error: surUnChamp === `serie-${c.name}` ? refus!.message : undefined,
        })),
        jours: joursSemaine.map((j) => ({ ...j, id: `serie-jour-${j.value}`, checked: ([] as string[]).concat(f.jours ?? []).includes(j.value) })),
        modes: {
          id: 'serie-mode',
          name: 'mode',
          legend: 'Mode',
          inline: true,
          options: [
            { value: 'presentiel', label: 'Présentiel', checked: champ(f, 'mode') !== 'distanciel' },
            { value: 'distanciel', label: 'Distanciel', checked: champ(f, 'mode') === 'distanciel' },
          ],
        },
        table: {
          caption: `Créneaux publiés (${creneaux.length}) : places prises sur la capacité`,
          headers: ['Date', 'Heure', 'Durée', 'Lieu', 'Mode', 'Places prises'],
          rows: creneaux.map((c) => [
            { text: libelleDate(c.date) },
            { text: c.heure },
            { text: `${c.dureeMinutes} min` },
            { text: c.lieu },
            { text: c.mode === 'presentiel' ? 'Présentiel' : 'Distanciel' },
            c.annule
              ? { text: '—', badge: { label: 'Annulé', type: 'info', small: true } }
              : { text: `${c.placesPrises} / ${c.capacite}`, badge: c.placesPrises >= c.capacite ? { label: 'Complet', type: 'success', small: true } : undefined },
          ]),
          empty: 'Aucun créneau publié dans ce domaine.',
        },
        aPlanifier: aPlanifier.length,
        automatique: {
          id: 'placement-automatique',
          name: 'placementAutomatique',
          label: 'Placer d’office la candidature suivante en attente dans une place libérée',
          hint: 'Sinon, la place libérée vous est signalée dans le récapitulatif quotidien.',
          checked: reglage?.placementAutomatique ?? false,
        },
        annulation: {
          creneau: {
            id: 'annulation-creneau',
            name: 'creneauId',
            label: 'Créneau à annuler',
            required: true,
            placeholder: actifs.length ? 'Choisir un créneau' : 'Aucun créneau à annuler',
            options: actifs.map((c) => ({ value: String(c.id), label: `${libelleDate(c.date)} à ${c.heure} — ${c.lieu} (${c.placesPrises} élève(s))` })),
          },
          eleves: {
            id: 'annulation-eleves',
            name: 'eleves',
            legend: 'Ses élèves',
            options: [
              { value: 'deplacer', label: 'Déplacer vers un autre créneau', hint: 'Chacun dans le premier créneau libre du domaine, avec une nouvelle convocation ; sans créneau libre, il est remis à planifier', checked: true },
              { value: 'remettre_a_planifier', label: 'Remettre à planifier', hint: 'L’annulation part avec le fichier .ics ; une nouvelle convocation suivra' },
            ],
          },
          motif: { id: 'annulation-motif', name: 'motif', label: 'Motif (facultatif)', hint: 'Dit aux familles et aux collèges', type: 'text' },
        },
        placement: {
          candidature: {
            id: 'placement-candidature',
            name: 'candidatureId',
            label: 'Élève à planifier',
            required: true,
            placeholder: aPlanifier.length ? 'Choisir un élève' : 'Aucun élève à planifier',
            options: aPlanifier.map((k) => ({ value: k.id, label: `${k.eleve.nom.toLocaleUpperCase('fr-FR')} ${k.eleve.prenom}` })),
          },
          creneau: {
            id: 'placement-creneau',
            name: 'creneauId',
            label: 'Créneau libre',
            required: true,
            placeholder: libres.length ? 'Choisir un créneau' : 'Aucun créneau libre',
            options: libres.map((c) => ({ value: String(c.id), label: `${libelleDate(c.date)} à ${c.heure} — ${c.lieu} (${c.capacite - c.placesPrises} place(s))` })),
          },
        },
      },
      refus?.status,
    );
  }

  const domaineDe = (p: Page) => (typeof p.req.query.domaine === 'string' ? p.req.query.domaine : undefined);
  const retour = (domaine: string, fait: string) => `/lycee/creneaux?${new URLSearchParams({ domaine, fait }).toString()}`;

  router.get(
    '/lycee/creneaux',
    page(async (p) => {
      const fait = typeof p.req.query.fait === 'string' ? p.req.query.fait.slice(0, 200) : undefined;
      await afficher(p, domaineDe(p), {}, undefined, fait);
    }),
  );

  /**
   * A form of the créneaux page: its action, then the page of its domaine with what was done, or the page again
   * with the refusal on its field (the series' form keeps what was typed).
   */
  function formulaire(chemin: string, agir: (f: Formulaire, p: Page, domaine: string) => Promise<string>, { garderSaisie = false } = {}): void {
    router.post(
      chemin,
      page(async (p) => {
        const f = p.req.body as Formulaire;
        const domaine = champ(f, 'domaine');
        try {
          p.res.redirect(303, retour(domaine, await agir(f, p, domaine)));
        } catch (error) {
          await afficher(p, domaine, garderSaisie ? f : {}, refusDeFormulaire(error));
        }
      }),
    );
  }

  formulaire(
    '/lycee/creneaux/serie',
    async (f, p, domaine) => {
      const corps = parse(
        serieSchema,
        {
          campagneId: campagneDeLEtablissement(p.qui.uai!)?.id ?? '',
          domaine,
          du: champ(f, 'du'),
          au: champ(f, 'au'),
          jours: ([] as string[]).concat(f.jours ?? []).map(Number),
          debut: champ(f, 'debut'),
          fin: champ(f, 'fin'),
          dureeMinutes: nombre(champ(f, 'dureeMinutes')),
          lieu: champ(f, 'lieu'),
          mode: champ(f, 'mode'),
          capacite: nombre(champ(f, 'capacite')),
        },
        'body',
      );
      const publies = await deps.creneaux.publierSerie(p.qui, corps);
      return `${publies.length} créneau(x) publié(s).`;
    },
    { garderSaisie: true },
  );

  router.post(
    '/lycee/creneaux/reglage',
    page(async (p) => {
      const f = p.req.body as Formulaire;
      const domaine = champ(f, 'domaine');
      const { placementAutomatique } = await deps.creneaux.regler(p.qui, { placementAutomatique: champ(f, 'placementAutomatique') === 'oui' });
      p.res.redirect(303, retour(domaine, placementAutomatique ? 'Les places libérées seront données d’office.' : 'Les places libérées vous seront signalées.'));
    }),
  );

  formulaire('/lycee/creneaux/placements', async (_f, p, domaine) => {
    const { placees, enAttente } = await deps.creneaux.placerTous(p.qui, { campagneId: campagneDeLEtablissement(p.qui.uai!)?.id ?? '', domaine });
    return `${placees.length} élève(s) placé(s) et convoqué(s), ${enAttente.length} en attente d’un créneau.`;
  });

  formulaire('/lycee/creneaux/annulation', async (f, p) => {
    const creneauId = parse(creneauIdParam, champ(f, 'creneauId'), 'body.creneauId');
    const choix = parse(annulationCreneauSchema, { eleves: champ(f, 'eleves') || undefined, motif: champ(f, 'motif').trim() || undefined }, 'body');
    const { deplacees, aPlanifier } = await deps.creneaux.annuler(p.qui, creneauId, choix);
    return `Créneau annulé : ${deplacees.length} élève(s) déplacé(s) et convoqué(s), ${aPlanifier.length} remis à planifier.`;
  });

  formulaire('/lycee/creneaux/placement', async (f, p) => {
    const { candidatureId } = parse(placementSchema, { candidatureId: champ(f, 'candidatureId') }, 'body');
    const creneauId = parse(creneauIdParam, champ(f, 'creneauId'), 'body.creneauId');
    await deps.creneaux.placer(p.qui, creneauId, candidatureId);
    return 'Élève placé et convoqué.';
  });
}

// The SAIO's early purge of a campaign (api/purges.ts, as `POST /purges/simulation` and `POST /purges`): the
// purges done, the dry run of one campaign with what would go, and the confirmation form (CSRF, a box to tick).
import type { Router } from 'express';
import { campagnes } from '../../../domain/campaigns';
import { CONSERVATION_JOURNAL_MOIS, finConservation } from '../../../domain/deadlines';
import type { BilanPurge } from '../../../domain/purge';
import { libelleEcheance } from '../../../presentation/labels';
import { optionsChoisies, type Alerte } from '../../../presentation/pages';
import { purgeCorps } from '../../purges';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';
import { optionsCampagnes } from './saio';

/** What each count of a dry run is, in the order the page shows them. */
const libellesBilan: [keyof BilanPurge, string][] = [
  ['candidatures', 'Candidatures'],
  ['eleves', 'Élèves'],
  ['voeux', 'Vœux et leurs avis'],
  ['evenements', "Entrées d'historique"],
  ['rappels', 'Rappels et escalades'],
  ['courriels', 'Courriels (boîte d’envoi)'],
  ['incidents', 'Incidents'],
  ['placements', 'Places dans les créneaux'],
];

/** A record's counts as its table's columns: pupils and candidatures apart, the rows that went with them summed. */
const colonnesComptes = (comptes: Record<string, number>) => {
  const n = (cle: string) => comptes[cle] ?? 0;
  return [n('candidatures'), n('eleves'), n('voeux') + n('evenements') + n('rappels') + n('courriels') + n('incidents') + n('placements') + n('lectures'), n('historiquesSupprimes')].map((v) => ({ text: String(v) }));
};

export function routesPurgesSaio(router: Router, deps: EspaceDeps): void {
  async function pagePurges({ rendre }: Page, extra: { alertes?: Alerte[]; erreurCampagne?: string; campagne?: string } = {}, status = 200) {
    const purges = await deps.purges.lister();
    rendre(
      'saio-purges',
      {
        titre: 'Purges RGPD',
        fil: [{ libelle: 'Purges RGPD' }],
        campagnes: optionsChoisies(optionsCampagnes, extra.campagne ?? optionsCampagnes[0]?.value),
        alertes: extra.alertes,
        erreurCampagne: extra.erreurCampagne,
        purges: {
          caption: 'Purges effectuées, la plus récente en premier',
          headers: ['Campagne', 'Déclenchée par', 'Terminée le', 'Candidatures', 'Élèves', 'Autres lignes', 'Historiques Temporal'],
          empty: 'Aucune purge effectuée.',
          rows: purges.map((p) => [
            { text: p.campagne ? campagnes[p.campagne]?.libelle ?? p.campagne : 'Journal des accès' },
            { text: p.declencheur === 'planifiee' ? 'Purge planifiée' : p.declencheur },
            { text: libelleEcheance(new Date(p.fin)) },
            ...colonnesComptes(p.comptes),
          ]),
        },
      },
      status,
    );
  }

  function pageSimulation(p: Page, bilan: BilanPurge, refus?: { message: string; confirmation?: string }, status = 200) {
    const campagne = campagnes[bilan.campagne];
    const ouverte = bilan.ouvertes > 0;
    const alertes: Alerte[] = [
      ...(ouverte ? [{ type: 'error' as const, title: 'Purge impossible', message: `${bilan.ouvertes} candidature(s) de cette campagne ne sont pas terminées : seules les candidatures clôturées ou désistées peuvent être purgées.` }] : []),
      ...(refus && !refus.confirmation ? [{ type: 'error' as const, title: 'Purge refusée', message: refus.message }] : []),
      ...(!ouverte && bilan.candidatures === 0 ? [{ type: 'info' as const, title: 'Rien à purger', message: 'Cette campagne ne contient plus de données personnelles.' }] : []),
    ];
    p.rendre(
      'saio-purge-simulation',
      {
        titre: `Purge de la campagne ${campagne.libelle}`,
        fil: [{ libelle: 'Purges RGPD', href: '/saio/purges' }, { libelle: campagne.libelle }],
        libelleCampagne: campagne.libelle,
        campagne: bilan.campagne,
        alertes,
        finConservation: libelleEcheance(finConservation(campagne)),
        conservationJournal: CONSERVATION_JOURNAL_MOIS,
        bilan: {
          caption: 'Ce que la purge supprimerait (simulation : rien n’est supprimé)',
          headers: ['Données', 'Nombre'],
          rows: libellesBilan.map(([cle, libelle]) => [{ text: libelle }, { text: String(bilan[cle]) }]),
        },
        possible: !ouverte && bilan.candidatures > 0,
        confirmation: {
          id: 'confirmation',
          name: 'confirmation',
          label: 'Je confirme la suppression définitive des données personnelles de cette campagne',
          error: refus?.confirmation,
        },
      },
      status,
    );
  }

  router.get(
    '/saio/purges',
    page(async (p) => {
      const lancee = typeof p.req.query.lancee === 'string' ? campagnes[p.req.query.lancee] : undefined;
      await pagePurges(p, lancee ? { alertes: [{ type: 'success', title: 'Purge lancée', message: `La purge de la campagne ${lancee.libelle} est en cours : elle figure ci-dessous dès qu'elle est terminée.` }] } : {});
    }),
  );

  router.get(
    '/saio/purges/simulation',
    page(async (p) => {
      let campagne: string;
      try {
        ({ campagne } = parse(purgeCorps, p.req.query, 'query'));
      } catch (error) {
        await pagePurges(p, { erreurCampagne: refusDeFormulaire(error).message }, 400);
        return;
      }
      pageSimulation(p, await deps.purges.simuler(p.qui, campagne));
    }),
  );

  router.post(
    '/saio/purges',
    page(async (p) => {
      const { _csrf: _jeton, confirmation, ...corps } = p.req.body as Record<string, unknown>;
      let campagne: string;
      try {
        ({ campagne } = parse(purgeCorps, corps, 'body'));
      } catch (error) {
        await pagePurges(p, { erreurCampagne: refusDeFormulaire(error).message }, 400);
        return;
      }
      if (confirmation !== 'oui') {
        pageSimulation(p, await deps.purges.simuler(p.qui, campagne), { message: 'Cochez la case pour confirmer la purge', confirmation: 'Cochez la case pour confirmer la purge' }, 400);
        return;
      }
      try {
        await deps.purges.lancer(p.qui, campagne);
      } catch (error) {
        const refus = refusDeFormulaire(error);
        pageSimulation(p, await deps.purges.simuler(p.qui, campagne), { message: refus.message }, refus.status);
        return;
      }
      p.res.redirect(303, `/saio/purges?lancee=${encodeURIComponent(campagne)}`);
    }),
  );
}

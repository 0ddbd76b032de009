// The demo's campagne: Créteil 2018's rules (scales, matrix, bonus by avis final) on a calendar placed
// around the day of the run, so that a run of minutes on the real clock meets the deadlines that matter.
//
// The Temporal dev server does not skip time and the calendar is in whole Paris days, so nothing can be
// made to pass faster. Instead, every dated consequence the demo wants to show falls today, at the
// campaign's reminder hour, which is set a few minutes after the start of the run:
// - inscriptions close tonight (a pupil only recensed then closes as not registered);
// - interviews run until tomorrow: the planning reminder and the escalation to the SAIO, one day before,
//   fall today at the reminder hour;
// - the compte rendu is due by the end of the day after the interview, its reminder falls on the day itself;
// - the AFFELNET deadline is tonight, its reminder falls today.
// What needs a deadline to have passed — a compte rendu entered after its window, a confirmation after the
// AFFELNET deadline — cannot happen within the run: the summary says when it will, on the real clock.
import { parseCampagne, type Campagne } from '../../domain/campaign';
import { campagnes } from '../../domain/campaigns';
import { addDays, parisDateOf, parisTimeOf } from '../../domain/calendar';

export function campagneDemo(id: string, heureRappels: Date): Campagne {
  const modele = campagnes['creteil-2018'];
  const jour = parisDateOf(heureRappels);
  return parseCampagne({
    ...modele,
    id,
    libelle: `Démonstration Passpro (${jour}, règles Créteil 2018)`,
    calendrier: {
      ouvertureInscriptions: addDays(jour, -30),
      finInscriptions: jour,
      finEntretiens: addDays(jour, 1),
      finFicheRecapitulative: addDays(jour, 1),
      ouvertureAffelnet: jour,
      finAffelnet: jour,
      cloture: addDays(jour, 30),
    },
    delais: {
      ...modele.delais,
      compteRenduJours: 1,
      rappelCompteRenduJours: 0,
      rappelPlanificationJoursAvant: 1,
      escaladePlanificationJoursAvant: 1,
      rappelAffelnetJoursAvant: 0,
      heureRappels: parisTimeOf(heureRappels),
    },
    source: `Générée par npm run demo (scripts/demo/campagne.ts) : règles de ${modele.id}, calendrier placé autour du ${jour}.`,
  });
}

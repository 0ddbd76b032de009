// The procedure of DOMAIN.md as pure functions of (state, action, now, campagne): what each step admits and by
// whom, what it waits for and until when, what falls due on its dates, and what each action changes. A
// transition returns the new state and its effects (the state to write, the mails, the reminders); the
// workflow applies them. Nothing here knows Temporal: every rule is tested without a server.
import { calculerAvisFinal } from './avis';
import { actions as toutesLesActions, refusActeur, type Action } from './autorisations';
import { checkDateEntretien, isHeure, isIsoDate, libelleDate, parisDateOf, parisInstant, parisTimeOf, type IsoDate } from './calendar';
import type { Campagne } from './campaign';
import { calculerBonus, isAvisAdmis } from './campaign-rules';
import { etapesFinales } from './candidature';
import { DUREE_ENTRETIEN_MINUTES, dureeMinutesAdmise } from './creneaux';
import type {
  Acteur,
  AjoutVoeuxInput,
  AnnulationEntretienInput,
  AvisOrigineInput,
  CandidatureInput,
  CandidatureState,
  CompteRenduInput,
  ConstatEntretienInput,
  DesistementInput,
  Etape,
  ActeurInput,
  PlanificationInput,
  Retard,
  SaisieAffelnetInput,
  VoeuDemande,
} from './candidature';
import {
  cloture,
  echeanceAffelnet,
  echeanceCompteRendu,
  echeanceEntretiens,
  echeanceFicheRecapitulative,
  echeanceInscription,
  escaladePlanification,
  rappelAffelnet,
  rappelCompteRendu,
  rappelPlanification,
  veilleEntretien,
} from './deadlines';

export { etapesFinales };
export const estTerminee = (state: Pick<CandidatureState, 'etape'>) => etapesFinales.includes(state.etape);

export const systeme: Acteur = { role: 'systeme', uai: null, nom: 'Passpro' };

// ---- effects ----

/** Who a mail or a reminder goes to: schools at their functional mailbox, people at their own. */
export interface Destinataires {
  etablissements?: string[];
  emails?: string[];
  saio?: boolean;
}

/** A mail about one candidature, sent at once (convocations, their changes, fiche ready, désistement). */
export interface Courriel {
  /** One mail per event: the outbox refuses a second row for the same key. */
  cle: string;
  gabarit: 'convocation' | 'annulation' | 'desistement' | 'fiche_prete';
  destinataires: Destinataires;
  motif?: string;
  /** Attach the interview as a calendar invitation (REQUEST) or its cancellation (CANCEL). */
  calendrier?: 'REQUEST' | 'CANCEL';
  /** A convocation that replaces one still standing (not one after a cancellation). */
  modification?: true;
}

/** A reminder or an escalation, recorded per candidature and mailed in the recipient's daily digest. */
export interface Rappel {
  /** One reminder per event and recipient: the row key is `<cle>/<destinataire>`. */
  cle: string;
  candidatureId: string;
  type: string;
  /** 'uai:<UAI>' (a school's functional mailbox) or 'saio'. */
  destinataires: string[];
  echeance: string | null;
  message: string;
  /** When it fell due, in the workflow's time. */
  creeLe: string;
}

/** What a transition asks of the world, in order: write the state (with reminders), send a mail, record a reminder. */
export type Effet =
  | { type: 'enregistrer'; rappels: Rappel[] }
  | { type: 'courriel'; courriel: Courriel }
  | { type: 'rappel'; rappel: Rappel };

export interface Transition {
  state: CandidatureState;
  effets: Effet[];
}

// ---- refusals ----

/**
 * Why an action is refused: the candidature is over, a conflict with where it is (step, already done, too
 * early), a value the procedure does not admit, or an actor who may not take it. The API answers each with
 * its own status.
 */
export const refus = {
  terminee: 'CandidatureTerminee',
  etape: 'ActionHorsEtape',
  saisie: 'SaisieRefusee',
  acteur: 'ActeurNonAutorise',
} as const;
export type TypeRefus = (typeof refus)[keyof typeof refus];

export class Refus extends Error {
  constructor(
    readonly type: TypeRefus,
    message: string,
  ) {
    super(message);
    this.name = 'Refus';
  }
}

/** The reason given for any action on a closed candidature, by the procedure or by the API once the run has ended. */
export const messageCandidatureTerminee = (etape: Etape) => `la candidature est terminée (${etape}) : aucune action n'est plus possible`;

const saisieRefusee = (message: string) => new Refus(refus.saisie, message);
const horsEtape = (message: string) => new Refus(refus.etape, message);

/** The campaign's matrix has no avis final for a pair of avis: the campaign's data is wrong, not the action. */
export class MatriceIncomplete extends Error {
  override name = 'MatriceIncomplete';
}

// ---- the step table ----

/** A dated consequence: due at `le`, handled once (its key is kept in the state). `appliquer` changes the draft. */
export interface Consequence {
  cle: string;
  le: number;
  /** What falls due, in the words of the SAIO reading the workflow in the Temporal UI. */
  libelle: string;
  appliquer: (draft: CandidatureState, now: Date) => Rappel[];
}

interface DefinitionEtape {
  /** The step as the staff name it. */
  libelle: string;
  /** What the step waits for, and from whom; null once the candidature is over. */
  attendu: string | null;
  /** The staff actions this step admits; who may take them is `autorisations`. */
  actions: readonly Action[];
  /** The deadline shown for this step (`PassproEcheance`), or null. */
  echeance: (state: CandidatureState) => string | null;
  /** What falls due on this step's dates, whatever the staff do. */
  consequences: (state: CandidatureState, campagne: Campagne) => Consequence[];
}

const aucune = () => [];

export const etapes: Record<Etape, DefinitionEtape> = {
  recensement: {
    libelle: 'Recensée',
    attendu: "l'inscription par le collège",
    actions: ['inscription', 'desistement'],
    echeance: (s) => s.echeances.inscription,
    consequences: (s) => [
      {
        cle: 'fin_inscriptions',
        libelle: 'fin des inscriptions',
        le: instant(s.echeances.inscription),
        appliquer: (d, now) => {
          passerA(d, 'cloturee', now);
          noter(d, 'non_inscrite', systeme, now);
          return [];
        },
      },
    ],
  },
  a_planifier: {
    libelle: 'Entretien à planifier',
    attendu: "la planification de l'entretien par le lycée",
    actions: ['inscription', 'avis-origine', 'entretien', 'desistement'],
    echeance: (s) => s.echeances.entretiens,
    // After a cancelled interview, the candidature waits for a planification again: its reminder and its
    // escalation fall anew (at once when their dates are past), under keys of their own.
    consequences: (s, c) => {
      const tour = annulations(s) === 0 ? '' : `/${annulations(s)}`;
      return [
        {
          cle: `rappel_planification${tour}`,
          libelle: 'rappel au lycée : entretien à planifier',
          le: rappelPlanification(c).getTime(),
          appliquer: (d, now) => [rappel(d, now, `planification${tour}`, [lycee(d)], d.echeances.entretiens, 'Entretien à planifier : chaque élève inscrit doit être convoqué.')],
        },
        {
          cle: `escalade_planification${tour}`,
          libelle: 'signalement au SAIO si l’entretien n’est pas planifié',
          le: escaladePlanification(c).getTime(),
          appliquer: (d, now) => {
            signalerRetard(d, 'planification');
            noter(d, 'escalade_planification', systeme, now);
            return [rappel(d, now, `escalade_planification${tour}`, ['saio', lycee(d)], d.echeances.entretiens, 'Entretien toujours non planifié à l\'approche de la fin des entretiens.')];
          },
        },
      ];
    },
  },
  convoquee: {
    libelle: 'Convoquée',
    attendu: "l'entretien, puis son constat par le lycée",
    actions: ['inscription', 'avis-origine', 'entretien', 'constat-entretien', 'annulation-entretien', 'desistement'],
    echeance: (s) => (s.entretien ? iso(parisInstant(s.entretien.date, s.entretien.heure)) : null),
    consequences: (s, c) => {
      if (!s.entretien || s.modalite !== 'individuel') return [];
      const { date } = s.entretien;
      return [
        {
          cle: `veille_entretien/${date}`,
          libelle: "veille de l'entretien : rappel de l'avis d'origine s'il manque",
          le: veilleEntretien(date, c).getTime(),
          appliquer: (d, now) =>
            avisOrigineManquant(d)
              ? [rappel(d, now, `avis_origine_veille/${date}`, [ecoleOrigine(d)], iso(new Date(instantEntretien(d))), 'Entretien demain : l\'avis d\'origine n\'est pas saisi.')]
              : [],
        },
        {
          cle: `avis_origine_a_l_entretien/${date}`,
          libelle: "heure de l'entretien : avis d'origine attendu",
          le: instantEntretien(s),
          appliquer: (d, now) => {
            if (avisOrigineManquant(d)) {
              signalerRetard(d, 'avis_origine');
              noter(d, 'avis_origine_en_retard', systeme, now);
            }
            return [];
          },
        },
        // The 3-day window runs from the interview, recorded or not: a lycée that never records it is
        // reminded and escalated like one that does not write the compte rendu (same keys: each happens once).
        ...fenetreCompteRendu(c, date, 'Entretien à constater, puis compte rendu et avis d\'accueil à saisir dans les 3 jours suivant l\'entretien.'),
      ];
    },
  },
  compte_rendu_attendu: {
    libelle: 'Compte rendu attendu',
    attendu: "le compte rendu et l'avis d'accueil du lycée",
    actions: ['avis-origine', 'compte-rendu', 'desistement'],
    echeance: (s) => s.echeances.compteRendu,
    consequences: (s, c) => (s.entretien ? fenetreCompteRendu(c, s.entretien.date, 'Compte rendu et avis d\'accueil à saisir dans les 3 jours suivant l\'entretien.') : []),
  },
  confirmation_attendue: {
    libelle: 'Confirmation attendue',
    attendu: 'la confirmation de la famille et la saisie AFFELNET par le collège',
    actions: ['confirmation-famille', 'saisie-affelnet', 'desistement'],
    echeance: (s) => (s.bonusAccorde === null ? s.echeances.affelnet : s.echeances.cloture),
    consequences: (s, c) =>
      s.bonusAccorde === null
        ? [
            {
              cle: 'rappel_affelnet',
              libelle: 'rappel au collège : confirmation et saisie AFFELNET',
              le: rappelAffelnet(c).getTime(),
              appliquer: (d, now) => [rappel(d, now, 'affelnet', [ecoleOrigine(d)], d.echeances.affelnet, 'Confirmation de la famille et saisie du vœu dans AFFELNET attendues avant l\'échéance.')],
            },
          ]
        : [],
  },
  cloturee: { libelle: 'Clôturée', attendu: null, actions: [], echeance: () => null, consequences: aucune },
  desistee: { libelle: 'Désistée', attendu: null, actions: [], echeance: () => null, consequences: aucune },
};

/** What falls due at any open step: the AFFELNET deadline while the bonus is undecided, and the campaign's closure. */
function consequencesDeCampagne(s: CandidatureState): Consequence[] {
  if (estTerminee(s)) return [];
  const c: Consequence[] = [];
  if (s.bonusAccorde === null) {
    c.push({
      cle: 'echeance_affelnet',
      libelle: 'échéance AFFELNET : sans confirmation, aucun bonus',
      le: instant(s.echeances.affelnet),
      appliquer: (d, now) => {
        d.bonusAccorde = false;
        for (const voeu of d.voeux) voeu.bonus = 0;
        const attendue = d.etape === 'confirmation_attendue';
        if (attendue) passerA(d, 'cloturee', now);
        noter(d, 'aucun_bonus', systeme, now, { raison: 'échéance AFFELNET passée sans confirmation et saisie' });
        return attendue ? [rappel(d, now, 'affelnet_echu', [ecoleOrigine(d)], d.echeances.affelnet, 'Échéance AFFELNET passée sans confirmation : aucun bonus ne s\'applique.')] : [];
      },
    });
  }
  c.push({
    cle: 'cloture',
    libelle: 'clôture de la campagne',
    le: instant(s.echeances.cloture),
    appliquer: (d, now) => {
      const etapeALaCloture = d.etape;
      passerA(d, 'cloturee', now);
      noter(d, 'cloture', systeme, now, { etapeALaCloture });
      return [];
    },
  });
  return c;
}

/** The reminder at day 2 and the escalation at the end of the compte rendu window of an interview on `date`. */
function fenetreCompteRendu(c: Campagne, date: IsoDate, message: string): Consequence[] {
  const echeance = iso(echeanceCompteRendu(c, date));
  return [
    {
      cle: `rappel_compte_rendu/${date}`,
      libelle: 'rappel au lycée : compte rendu à saisir',
      le: rappelCompteRendu(c, date).getTime(),
      appliquer: (d, now) => [rappel(d, now, 'compte_rendu', [lycee(d)], echeance, message)],
    },
    {
      cle: `escalade_compte_rendu/${date}`,
      libelle: 'fin de la fenêtre du compte rendu',
      le: instant(echeance),
      appliquer: (d, now) => {
        signalerRetard(d, 'compte_rendu');
        noter(d, 'escalade_compte_rendu', systeme, now);
        return [rappel(d, now, 'escalade_compte_rendu', ['saio', lycee(d)], echeance, 'Délai de 3 jours dépassé : compte rendu et avis d\'accueil toujours attendus.')];
      },
    },
  ];
}

/** The consequences not yet handled, the earliest first. */
export function consequencesAVenir(state: CandidatureState, campagne: Campagne): Consequence[] {
  return [...etapes[state.etape].consequences(state, campagne), ...consequencesDeCampagne(state)]
    .filter((c) => !state.evenementsTraites.includes(c.cle))
    .sort((a, b) => a.le - b.le);
}

/** What wakes the workflow next, whatever the staff do, or null once the candidature is over. */
export function prochainReveil(state: CandidatureState, campagne: Campagne): Consequence | null {
  return consequencesAVenir(state, campagne)[0] ?? null;
}

/**
 * The candidature in a few lines for the SAIO reading its workflow in the Temporal UI (Markdown): its step,
 * what it waits for and by when, and what falls due next. No name: the summary given at the start says whose.
 */
export function detailsEnCours(state: CandidatureState, campagne: Campagne): string {
  const etape = etapes[state.etape];
  const echeance = etape.echeance(state);
  const suivante = prochainReveil(state, campagne);
  return [
    `**Étape** : ${etape.libelle}${state.retards.length > 0 ? ' (en retard)' : ''}`,
    ...(etape.attendu ? [`**Attendu** : ${etape.attendu}${echeance ? `, au plus tard le ${moment(new Date(echeance))}` : ''}`] : []),
    ...(suivante ? [`**Prochaine échéance** : ${suivante.libelle}, le ${moment(new Date(suivante.le))}`] : []),
  ].join('\n');
}

const moment = (instant: Date) => `${libelleDate(parisDateOf(instant))} à ${parisTimeOf(instant).replace(':', ' h ')}`;

/**
 * Handles every consequence due at `now`, in date order (each may change which follow: a candidature closed
 * has none), then asks for one write of the state with all their reminders.
 */
export function traiterEcheances(state: CandidatureState, now: Date, campagne: Campagne): Transition {
  const d = copie(state);
  const rappels: Rappel[] = [];
  for (let [echue] = consequencesAVenir(d, campagne); echue && echue.le <= now.getTime() && !estTerminee(d); [echue] = consequencesAVenir(d, campagne)) {
    d.evenementsTraites.push(echue.cle);
    rappels.push(...echue.appliquer(d, now));
  }
  const change = d.version !== state.version || rappels.length > 0;
  return { state: d, effets: change ? [{ type: 'enregistrer', rappels }] : [] };
}

// ---- the start ----

/** The candidature as recorded at its start (recensement), with the vœux asked for. */
export function demarrer(id: string, input: CandidatureInput, now: Date): CandidatureState {
  const { campagne } = input;
  const state: CandidatureState = {
    id,
    campagneId: campagne.id,
    eleve: input.eleve,
    domaine: input.domaine,
    modalite: input.modalite,
    uaiAccueil: input.uaiAccueil,
    etape: 'recensement',
    etapeDepuis: iso(now),
    inscritLe: null,
    voeux: [],
    entretien: null,
    compteRendu: null,
    ficheRecapitulativeLe: null,
    confirmationFamille: null,
    saisieAffelnet: null,
    bonusAccorde: null,
    echeances: {
      inscription: iso(echeanceInscription(campagne)),
      entretiens: iso(echeanceEntretiens(campagne)),
      compteRendu: null,
      ficheRecapitulative: iso(echeanceFicheRecapitulative(campagne)),
      affelnet: iso(echeanceAffelnet(campagne)),
      cloture: iso(cloture(campagne)),
    },
    prochaineEcheance: null,
    retards: [],
    evenementsTraites: [],
    historique: [],
    version: 0,
  };
  ajouterVoeux(state, input.voeux);
  noter(state, 'recensement', input.acteur, now, { voeux: state.voeux.map((v) => v.codeFormation) });
  return state;
}

// ---- the staff actions ----

/** The argument of each staff action, beside who acts. */
export interface Arguments {
  inscription: AjoutVoeuxInput;
  'avis-origine': AvisOrigineInput;
  entretien: PlanificationInput;
  'constat-entretien': ConstatEntretienInput;
  'compte-rendu': CompteRenduInput;
  'confirmation-famille': ActeurInput;
  'saisie-affelnet': SaisieAffelnetInput;
  'annulation-entretien': AnnulationEntretienInput;
  desistement: DesistementInput;
}

interface Regle<A extends Action> {
  /** Throws a `Refus` when the action may not be taken now, with these values. Changes nothing. */
  verifier: (state: CandidatureState, input: Arguments[A], now: Date, campagne: Campagne) => void;
  /** Changes the draft, and says what to do about it. Only called once `verifier` has passed. */
  appliquer: (draft: CandidatureState, input: Arguments[A], now: Date, campagne: Campagne) => Effet[];
}

const enregistrer: Effet = { type: 'enregistrer', rappels: [] };

const regles: { [A in Action]: Regle<A> } = {
  inscription: {
    verifier: (s, { voeux }, now, c) => {
      exigerEtape(s, 'inscription');
      if (now.getTime() > instant(s.echeances.inscription)) {
        throw horsEtape(`les inscriptions sont closes depuis le ${c.calendrier.finInscriptions}`);
      }
      if (voeux.length === 0) throw saisieRefusee('au moins un vœu est attendu');
    },
    appliquer: (d, { voeux, acteur }, now) => {
      const ajoutes = ajouterVoeux(d, voeux);
      const premiere = d.etape === 'recensement';
      if (!premiere && ajoutes.length === 0) return [];
      if (premiere) {
        d.inscritLe = iso(now);
        passerA(d, 'a_planifier', now);
      }
      noter(d, premiere ? 'inscription' : 'voeux_ajoutes', acteur, now, { voeux: ajoutes });
      return [enregistrer];
    },
  },

  'avis-origine': {
    verifier: (s, { avis }, _now, c) => {
      if (s.modalite !== 'individuel') throw horsEtape('pas d\'avis en séance d\'information collective');
      exigerEtape(s, 'avis-origine');
      if (avis.length === 0) throw saisieRefusee('au moins un avis est attendu');
      const codes = new Set<string>();
      for (const { codeFormation, avis: valeur, commentaire } of avis) {
        if (codes.has(codeFormation)) throw saisieRefusee(`deux avis pour le vœu ${codeFormation}`);
        codes.add(codeFormation);
        if (!s.voeux.some((v) => v.codeFormation === codeFormation)) throw saisieRefusee(`vœu inconnu : ${codeFormation}`);
        if (!isAvisAdmis(c, 'origine', valeur)) {
          throw saisieRefusee(`avis « ${valeur} » non admis par la campagne (attendu : ${c.avisOrigine.join(', ')})`);
        }
        exigerTexte(commentaire, `le commentaire du vœu ${codeFormation}`);
      }
    },
    appliquer: (d, { avis, acteur }, now) => {
      const enRetard = d.entretien !== null && now.getTime() >= instantEntretien(d);
      for (const saisi of avis) {
        const voeu = d.voeux.find((v) => v.codeFormation === saisi.codeFormation)!;
        voeu.avisOrigine = { avis: saisi.avis, commentaire: saisi.commentaire.trim(), par: acteur, le: iso(now), enRetard };
      }
      if (!avisOrigineManquant(d)) leverRetard(d, 'avis_origine');
      noter(d, 'avis_origine', acteur, now, { avis: Object.fromEntries(avis.map((a) => [a.codeFormation, a.avis])), enRetard });
      return [enregistrer];
    },
  },

  entretien: {
    verifier: (s, { date, heure, lieu, mode, dureeMinutes = DUREE_ENTRETIEN_MINUTES, derogation = false, motifDerogation, acteur }, now, c) => {
      exigerEtape(s, 'entretien');
      if (!isIsoDate(date)) throw saisieRefusee('date attendue au format AAAA-MM-JJ');
      if (!isHeure(heure)) throw saisieRefusee('heure attendue au format HH:MM');
      const { min, max } = dureeMinutesAdmise;
      if (!Number.isInteger(dureeMinutes) || dureeMinutes < min || dureeMinutes > max) {
        throw saisieRefusee(`la durée de l'entretien est un nombre entier de minutes, de ${min} à ${max}`);
      }
      if (mode !== 'presentiel' && mode !== 'distanciel') throw saisieRefusee('mode attendu : presentiel ou distanciel');
      exigerTexte(lieu, mode === 'presentiel' ? 'le lieu' : 'le lien de connexion');
      if (derogation) {
        // A dérogation bends the calendar: the head answers for it, and says why.
        if (acteur.role !== 'accueil_chef' && acteur.role !== 'saio') {
          throw new Refus(refus.acteur, 'seul le chef d\'établissement d\'accueil ou le SAIO accorde une dérogation au calendrier');
        }
        exigerTexte(motifDerogation ?? '', 'le motif de la dérogation');
        if (date < c.calendrier.ouvertureInscriptions || date > c.calendrier.cloture) {
          throw saisieRefusee(`même avec une dérogation, l'entretien se tient pendant la campagne (du ${c.calendrier.ouvertureInscriptions} au ${c.calendrier.cloture})`);
        }
      }
      const jour = checkDateEntretien(date, { derogation });
      if (!jour.ok) throw saisieRefusee(jour.raison);
      if (parisInstant(date, heure).getTime() <= now.getTime()) throw saisieRefusee('la date de l\'entretien est passée');
      if (!derogation && date > c.calendrier.finEntretiens) {
        throw saisieRefusee(`les entretiens se tiennent jusqu'au ${c.calendrier.finEntretiens} (sauf dérogation)`);
      }
    },
    appliquer: (d, { date, heure, lieu, mode, dureeMinutes = DUREE_ENTRETIEN_MINUTES, derogation = false, motifDerogation, acteur }, now) => {
      const precedent = d.entretien;
      const nouveau = precedent === null || precedent.statut === 'annule';
      // A cancelled interview's CANCEL carried its SEQUENCE + 1: the new invitation must carry more.
      const sequence = (precedent?.sequence ?? 0) + (precedent?.statut === 'annule' ? 2 : 1);
      const motif = derogation ? motifDerogation!.trim() : null;
      d.entretien = { date, heure, lieu: lieu.trim(), mode, dureeMinutes, derogation, motifDerogation: motif, sequence, statut: 'planifie', planifiePar: acteur };
      leverRetard(d, 'planification');
      if (d.etape === 'a_planifier') passerA(d, 'convoquee', now);
      noter(d, nouveau ? 'entretien_planifie' : 'entretien_modifie', acteur, now, {
        date,
        heure,
        dureeMinutes,
        lieu,
        mode,
        derogation,
        ...(motif ? { motifDerogation: motif } : {}),
      });
      const effets: Effet[] = [
        enregistrer,
        { type: 'courriel', courriel: { cle: `${d.id}/convocation/${sequence}`, gabarit: 'convocation', destinataires: convoques(d), calendrier: 'REQUEST', ...(nouveau ? {} : { modification: true as const }) } },
      ];
      if (nouveau && avisOrigineManquant(d)) {
        const message = 'Entretien planifié : avis d\'origine à saisir avant l\'entretien.';
        effets.push({ type: 'rappel', rappel: rappel(d, now, 'avis_origine_manquant', [ecoleOrigine(d)], iso(parisInstant(date, heure)), message) });
      }
      return effets;
    },
  },

  'constat-entretien': {
    verifier: (s, _input, now) => {
      exigerEtape(s, 'constat-entretien');
      const { date, heure } = s.entretien!;
      if (now.getTime() < parisInstant(date, heure).getTime()) {
        throw horsEtape(`l'entretien est prévu le ${date} à ${heure} : il ne peut être constaté avant`);
      }
    },
    appliquer: (d, { present, acteur }, now, c) => {
      const entretien = d.entretien!;
      entretien.statut = present ? 'tenu' : 'absent';
      leverRetard(d, 'avis_origine');
      if (d.modalite !== 'individuel') {
        passerA(d, 'cloturee', now);
        noter(d, present ? 'seance_collective_suivie' : 'absence', acteur, now);
        return [enregistrer];
      }
      if (present) {
        d.echeances.compteRendu = iso(echeanceCompteRendu(c, entretien.date));
        passerA(d, 'compte_rendu_attendu', now);
        noter(d, 'entretien_tenu', acteur, now);
        return [enregistrer];
      }
      noter(d, 'absence', acteur, now);
      return conclureAvis(d, now, c);
    },
  },

  'compte-rendu': {
    verifier: (s, { texte, avis, voeuxSupplementaires = [] }, _now, c) => {
      exigerEtape(s, 'compte-rendu');
      exigerTexte(texte, 'le compte rendu');
      const attendus = s.voeux.map((v) => v.codeFormation);
      const donnes = avis.map((a) => a.codeFormation);
      const manquants = attendus.filter((code) => !donnes.includes(code));
      if (manquants.length > 0) throw saisieRefusee(`avis d'accueil manquant pour : ${manquants.join(', ')}`);
      const inconnus = donnes.filter((code) => !attendus.includes(code));
      if (inconnus.length > 0) throw saisieRefusee(`vœu inconnu : ${inconnus.join(', ')}`);
      if (new Set(donnes).size !== donnes.length) throw saisieRefusee('un vœu a reçu deux avis');
      for (const supplement of voeuxSupplementaires) {
        if (attendus.includes(supplement.codeFormation)) throw saisieRefusee(`le vœu ${supplement.codeFormation} existe déjà`);
        exigerTexte(supplement.libelle, `le libellé du vœu ${supplement.codeFormation}`);
      }
      for (const { avis: valeur } of [...avis, ...voeuxSupplementaires]) {
        if (!isAvisAdmis(c, 'accueil', valeur)) {
          throw saisieRefusee(`avis « ${valeur} » non admis par la campagne (attendu : ${c.avisAccueil.join(', ')})`);
        }
      }
    },
    appliquer: (d, { texte, avis, voeuxSupplementaires = [], acteur }, now, c) => {
      const le = iso(now);
      const enRetard = now.getTime() > instant(d.echeances.compteRendu!);
      ajouterVoeux(d, voeuxSupplementaires, true);
      for (const { codeFormation, avis: valeur } of [...avis, ...voeuxSupplementaires]) {
        d.voeux.find((v) => v.codeFormation === codeFormation)!.avisAccueil = { avis: valeur, par: acteur, le, enRetard };
      }
      d.compteRendu = { texte: texte.trim(), par: acteur, le, enRetard };
      leverRetard(d, 'compte_rendu');
      noter(d, 'compte_rendu', acteur, now, {
        enRetard,
        avis: Object.fromEntries([...avis, ...voeuxSupplementaires].map((a) => [a.codeFormation, a.avis])),
        voeuxSupplementaires: voeuxSupplementaires.map((v) => v.codeFormation),
      });
      return conclureAvis(d, now, c);
    },
  },

  'confirmation-famille': {
    verifier: (s) => {
      exigerEtape(s, 'confirmation-famille');
      if (s.confirmationFamille) throw horsEtape('la confirmation de la famille est déjà enregistrée');
    },
    appliquer: (d, { acteur }, now, c) => {
      d.confirmationFamille = { par: acteur, le: iso(now) };
      noter(d, 'confirmation_famille', acteur, now);
      deciderBonus(d, now, c);
      return [enregistrer];
    },
  },

  'saisie-affelnet': {
    verifier: (s, { voeux }, now, c) => {
      exigerEtape(s, 'saisie-affelnet');
      if (s.saisieAffelnet) throw horsEtape('la saisie AFFELNET est déjà enregistrée');
      if (!s.confirmationFamille) throw horsEtape('la confirmation de la famille est attendue avant la saisie dans AFFELNET');
      if (now.getTime() < parisInstant(c.calendrier.ouvertureAffelnet).getTime()) {
        throw horsEtape(`la saisie des vœux dans AFFELNET ouvre le ${c.calendrier.ouvertureAffelnet}`);
      }
      if (voeux.length === 0) throw saisieRefusee('au moins un vœu saisi dans AFFELNET est attendu');
      const inconnus = voeux.filter((code) => !s.voeux.some((v) => v.codeFormation === code));
      if (inconnus.length > 0) throw saisieRefusee(`vœu inconnu : ${inconnus.join(', ')}`);
    },
    appliquer: (d, { voeux, acteur }, now, c) => {
      d.saisieAffelnet = { par: acteur, le: iso(now), voeux };
      noter(d, 'saisie_affelnet', acteur, now, { voeux });
      deciderBonus(d, now, c);
      return [enregistrer];
    },
  },

  'annulation-entretien': {
    verifier: (s, { motif }, now) => {
      exigerEtape(s, 'annulation-entretien');
      exigerTexte(motif, "le motif de l'annulation");
      const { date, heure } = s.entretien!;
      if (now.getTime() >= parisInstant(date, heure).getTime()) {
        throw horsEtape(`l'entretien du ${date} à ${heure} a commencé : constatez-le (tenu, ou l'élève absent)`);
      }
    },
    appliquer: (d, { motif, acteur }, now) => {
      const entretien = d.entretien!;
      entretien.statut = 'annule';
      passerA(d, 'a_planifier', now);
      noter(d, 'entretien_annule', acteur, now, { motif, date: entretien.date, heure: entretien.heure });
      const cle = `${d.id}/annulation_entretien/${entretien.sequence}`;
      // Every calendar that holds the interview gets its cancellation, the lycée's too.
      return [enregistrer, { type: 'courriel', courriel: { cle, gabarit: 'annulation', destinataires: convoques(d), motif, calendrier: 'CANCEL' } }];
    },
  },

  desistement: {
    verifier: (s, { motif }) => {
      exigerEtape(s, 'desistement');
      exigerTexte(motif, 'le motif du désistement');
    },
    appliquer: (d, { motif, acteur }, now) => {
      const convoque = d.entretien?.statut === 'planifie';
      if (convoque) d.entretien!.statut = 'annule';
      passerA(d, 'desistee', now);
      noter(d, 'desistement', acteur, now, { motif });
      const effets: Effet[] = [enregistrer];
      // Every calendar that holds the interview gets its cancellation: the lycée's with its notice.
      const annulation = convoque ? ({ calendrier: 'CANCEL' } as const) : {};
      if (convoque) {
        effets.push({ type: 'courriel', courriel: { cle: `${d.id}/annulation`, gabarit: 'annulation', destinataires: familleEtCollege(d), motif, calendrier: 'CANCEL' } });
      }
      effets.push({ type: 'courriel', courriel: { cle: `${d.id}/desistement`, gabarit: 'desistement', destinataires: { etablissements: [d.uaiAccueil] }, motif, ...annulation } });
      return effets;
    },
  },
};

/**
 * Refuses (throws a `Refus`) what the procedure does not allow: an actor who may not act on this candidature,
 * then the step, then the values. Changes nothing.
 */
export function verifier<A extends Action>(action: A, state: CandidatureState, input: Arguments[A], now: Date, campagne: Campagne): void {
  const refusPourActeur = refusActeur(action, input.acteur, { uaiOrigine: state.eleve.uaiOrigine, uaiAccueil: state.uaiAccueil });
  if (refusPourActeur) throw new Refus(refus.acteur, refusPourActeur);
  regles[action].verifier(state, input, now, campagne);
}

/** The action taken: the new state and what to do about it. Call `verifier` first. */
export function appliquer<A extends Action>(action: A, state: CandidatureState, input: Arguments[A], now: Date, campagne: Campagne): Transition {
  const d = copie(state);
  const effets = regles[action].appliquer(d, input, now, campagne);
  return { state: d, effets };
}

/** The actions this person may take on this candidature now (what a page offers). */
export function actionsPossibles(state: CandidatureState, acteur: Acteur, now: Date, campagne: Campagne): Action[] {
  const affelnetOuvert = now.getTime() >= parisInstant(campagne.calendrier.ouvertureAffelnet).getTime();
  const ecoles = { uaiOrigine: state.eleve.uaiOrigine, uaiAccueil: state.uaiAccueil };
  return toutesLesActions.filter(
    (action) =>
      etapes[state.etape].actions.includes(action) &&
      refusActeur(action, acteur, ecoles) === null &&
      !(action === 'avis-origine' && state.modalite !== 'individuel') &&
      !(action === 'confirmation-famille' && state.confirmationFamille) &&
      !(action === 'saisie-affelnet' && (state.saisieAffelnet || !state.confirmationFamille || !affelnetOuvert)),
  );
}

// ---- what every rule shares ----

const iso = (d: Date) => d.toISOString();
const instant = (isoDate: string) => new Date(isoDate).getTime();
const copie = (state: CandidatureState): CandidatureState => JSON.parse(JSON.stringify(state)) as CandidatureState;

/** The steps where `action` is admitted, in the procedure's order. */
const etapesAdmettant = (action: Action) => (Object.keys(etapes) as Etape[]).filter((e) => etapes[e].actions.includes(action));

function exigerEtape(s: CandidatureState, action: Action): void {
  if (estTerminee(s)) throw new Refus(refus.terminee, messageCandidatureTerminee(s.etape));
  const admises = etapesAdmettant(action);
  if (!admises.includes(s.etape)) throw horsEtape(`action impossible à l'étape ${s.etape} (attendu : ${admises.join(' ou ')})`);
}

function exigerTexte(valeur: string, champ: string): void {
  if (valeur.trim().length === 0) throw saisieRefusee(`${champ} est obligatoire`);
}

/** Records an event of the history: each bumps the version, and the deadline shown follows the step. */
function noter(d: CandidatureState, type: string, acteur: Acteur, now: Date, details?: Record<string, unknown>): void {
  d.historique.push({ type, acteur, survenuLe: iso(now), ...(details ? { details } : {}) });
  d.version += 1;
  d.prochaineEcheance = etapes[d.etape].echeance(d);
}

function passerA(d: CandidatureState, etape: Etape, now: Date): void {
  d.etape = etape;
  d.etapeDepuis = iso(now);
  if (etapesFinales.includes(etape)) d.retards = [];
}

function signalerRetard(d: CandidatureState, retard: Retard): void {
  if (!d.retards.includes(retard)) d.retards.push(retard);
}

function leverRetard(d: CandidatureState, retard: Retard): void {
  d.retards = d.retards.filter((r) => r !== retard);
}

function ajouterVoeux(d: CandidatureState, voeux: VoeuDemande[], ajouteEnEntretien = false): string[] {
  const ajoutes: string[] = [];
  for (const voeu of voeux) {
    if (d.voeux.some((v) => v.codeFormation === voeu.codeFormation)) continue;
    d.voeux.push({
      codeFormation: voeu.codeFormation,
      libelle: voeu.libelle,
      rang: d.voeux.length + 1,
      ajouteEnEntretien,
      avisOrigine: null,
      avisAccueil: null,
      avisFinal: null,
      bonus: null,
    });
    ajoutes.push(voeu.codeFormation);
  }
  return ajoutes;
}

/** How many times an interview of this candidature was cancelled and the candidature returned to planification. */
const annulations = (s: CandidatureState) => s.historique.filter((h) => h.type === 'entretien_annule').length;

const avisOrigineManquant = (s: CandidatureState) => s.modalite === 'individuel' && s.voeux.some((v) => v.avisOrigine === null);
const instantEntretien = (s: CandidatureState) => (s.entretien ? parisInstant(s.entretien.date, s.entretien.heure).getTime() : 0);

function rappel(d: CandidatureState, now: Date, type: string, destinataires: string[], echeance: string | null, message: string): Rappel {
  return { cle: `${d.id}/${type}`, candidatureId: d.id, type, destinataires, echeance, message, creeLe: iso(now) };
}

const ecoleOrigine = (s: CandidatureState) => `uai:${s.eleve.uaiOrigine}`;
const lycee = (s: CandidatureState) => `uai:${s.uaiAccueil}`;
const familleEtCollege = (s: CandidatureState): Destinataires => ({ etablissements: [s.eleve.uaiOrigine], emails: [s.eleve.referentEmail] });
/** A convocation and its changes reach the lycée's mailbox too, so that its calendar holds the interview. */
const convoques = (s: CandidatureState): Destinataires => ({ etablissements: [s.eleve.uaiOrigine, s.uaiAccueil], emails: [s.eleve.referentEmail] });

/** The avis final of each vœu by the campaign's matrix; then the fiche récapitulative is ready. */
function conclureAvis(d: CandidatureState, now: Date, c: Campagne): Effet[] {
  for (const voeu of d.voeux) {
    try {
      voeu.avisFinal = calculerAvisFinal(c.matrice, voeu.avisOrigine?.avis ?? null, voeu.avisAccueil?.avis ?? null);
    } catch (error) {
      throw new MatriceIncomplete(String(error));
    }
  }
  d.ficheRecapitulativeLe = iso(now);
  passerA(d, d.bonusAccorde === null ? 'confirmation_attendue' : 'cloturee', now);
  noter(d, 'fiche_recapitulative_prete', systeme, now, {
    avisFinal: Object.fromEntries(d.voeux.map((v) => [v.codeFormation, v.avisFinal])),
  });
  return [enregistrer, { type: 'courriel', courriel: { cle: `${d.id}/fiche_prete`, gabarit: 'fiche_prete', destinataires: familleEtCollege(d) } }];
}

/** Family confirmation and AFFELNET entry both in: the bonus follows the campaign's rule. */
function deciderBonus(d: CandidatureState, now: Date, c: Campagne): void {
  if (d.bonusAccorde !== null || !d.confirmationFamille || !d.saisieAffelnet) return;
  const aTemps = now.getTime() <= instant(d.echeances.affelnet);
  d.bonusAccorde = aTemps;
  const saisis = d.saisieAffelnet.voeux;
  for (const voeu of d.voeux) {
    voeu.bonus = voeu.avisFinal && saisis.includes(voeu.codeFormation) ? calculerBonus(c, voeu.avisFinal, aTemps) : 0;
  }
  passerA(d, 'cloturee', now);
  noter(d, aTemps ? 'bonus_decide' : 'aucun_bonus', systeme, now, {
    bonus: Object.fromEntries(d.voeux.map((v) => [v.codeFormation, v.bonus])),
  });
}

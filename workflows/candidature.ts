// The candidature workflow: one pupil × one domaine × one campagne, from recensement to closure, as
// DOMAIN.md tells it. Pure and deterministic: domain rules are plain functions, activities are imported
// as types only and reached through proxyActivities, time is the workflow's own.
//
// Staff actions arrive as updates whose validators refuse what the procedure does not allow (the caller
// learns why at once). Dated consequences (reminders, escalations, deadlines) are computed from the state
// and handled once each, in date order, by the loop at the end.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities, CourrielDemande, RappelDemande } from '../activities';
import { calculerAvisFinal } from '../domain/avis';
import { checkDateEntretien, isHeure, isIsoDate, parisInstant, type IsoDate } from '../domain/calendar';
import { calculerBonus, isAvisAdmis } from '../domain/campaign-rules';
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
} from '../domain/deadlines';
import {
  confirmerFamilleUpdate,
  constaterEntretienUpdate,
  desisterUpdate,
  etapesFinales,
  etatQuery,
  inscrireUpdate,
  messageCandidatureTerminee,
  refus,
  planifierEntretienUpdate,
  saisirAffelnetUpdate,
  saisirAvisOrigineUpdate,
  saisirCompteRenduUpdate,
  type Acteur,
  type CandidatureInput,
  type CandidatureState,
  type CompteRenduInput,
  type Etape,
  type SaisieAffelnetInput,
  type Retard,
  type Role,
  type TypeRefus,
  type VoeuDemande,
} from './definitions';
import {
  avisFinalKey,
  campagneKey,
  domaineKey,
  echeanceKey,
  enRetardKey,
  etapeDepuisKey,
  etapeKey,
  ineKey,
  uaiAccueilKey,
  uaiOrigineKey,
} from './search-attributes';

const optionsActivites = {
  startToCloseTimeout: '1 minute',
  // No maximum attempts: an outage of the database or of SMTP delays the consequences, it loses none.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
} as const;
const { enregistrerCandidature, envoyerCourriel, enregistrerRappel } = proxyActivities<Activities>(optionsActivites);
/**
 * The write of a deadline's consequences, run by the worker within the workflow task that the deadline
 * woke: no activity task, no second workflow task. Only the main loop uses it, one at a time, while the
 * handlers' writes stay activities: a local activity of a handler and one of the loop resolved in the same
 * task replay in another order than they ran (seen in stop 9, reverted in 99e9dfd).
 */
const { enregistrerCandidature: enregistrerEcheances } = proxyLocalActivities<Activities>(optionsActivites);

const systeme: Acteur = { role: 'systeme', uai: null, nom: 'Passpro' };

/** A validator's refusal, typed so that the API answers 409, 422 or 403 (workflows/definitions.ts `refus`). */
const refuser = (type: TypeRefus) => (message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
const candidatureTerminee = refuser(refus.terminee);
const horsEtape = refuser(refus.etape);
const saisieRefusee = refuser(refus.saisie);
const nonAutorise = refuser(refus.acteur);

/**
 * A dated consequence: due at `le`, handled once (its key is kept in the state). `appliquer` changes the
 * state and gives the reminders to record; the loop saves them.
 */
interface EvenementDate {
  cle: string;
  le: number;
  appliquer: () => RappelDemande[];
}

/**
 * Runs started with this patch publish only the search attributes that changed (one upsert per change, not
 * one per key), and handle the consequences due at the same moment together: one save of the state with
 * all their reminders. Runs started before replay as they ran.
 */
const ECHEANCES_GROUPEES = 'echeances-groupees';

/**
 * Runs started with this patch and an inscription delivered with the start (update-with-start, as the API
 * registers a pupil) leave the first write to the inscription: the two writes of the same new row raced on
 * its unique key (campagne, INE, domaine), one of them failing and retried. Runs started before replay as
 * they ran; a run started without an update (recensement) writes at start as before, without the marker.
 */
const ECRITURE_INITIALE_UNIQUE = 'ecriture-initiale-unique';

/**
 * Runs started with this patch write the consequences of a deadline through a local activity, and are of
 * the two generations before: one marker at start instead of one per patch (each costs a marker and a
 * search-attribute upsert). Runs started before replay as they ran.
 */
const ECHEANCES_LOCALES = 'echeances-locales';

/**
 * Runs started with this patch publish the search attributes once for the changes made together in a workflow
 * task (an inscription delivered with the start, consequences due together), and are of the three
 * generations before. Every upsert is a visibility write on the server: the costliest command of a
 * candidature (bench:lifecycle). Runs started before replay as they ran.
 */
const PUBLICATION_PAR_ACTIVATION = 'publication-par-activation';

export async function candidatureWorkflow(input: CandidatureInput): Promise<CandidatureState> {
  const parActivation = patched(PUBLICATION_PAR_ACTIVATION);
  const echeancesLocales = parActivation || patched(ECHEANCES_LOCALES);
  const groupees = echeancesLocales || patched(ECHEANCES_GROUPEES);
  const { campagne } = input;
  const maintenant = () => new Date().toISOString();
  const iso = (d: Date) => d.toISOString();

  const state: CandidatureState = {
    id: workflowInfo().workflowId,
    campagneId: campagne.id,
    eleve: input.eleve,
    domaine: input.domaine,
    modalite: input.modalite,
    uaiAccueil: input.uaiAccueil,
    etape: 'recensement',
    etapeDepuis: maintenant(),
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

  // ---- state changes (synchronous: a handler's checks and changes cannot interleave with another's) ----

  function noter(type: string, acteur: Acteur, details?: Record<string, unknown>): void {
    state.historique.push({ type, acteur, survenuLe: maintenant(), ...(details ? { details } : {}) });
    state.version += 1;
    state.prochaineEcheance = prochaineEcheance();
    publier();
  }

  function prochaineEcheance(): string | null {
    switch (state.etape) {
      case 'recensement':
        return state.echeances.inscription;
      case 'a_planifier':
        return state.echeances.entretiens;
      case 'convoquee':
        return state.entretien ? iso(parisInstant(state.entretien.date, state.entretien.heure)) : null;
      case 'compte_rendu_attendu':
        return state.echeances.compteRendu;
      case 'confirmation_attendue':
        return state.bonusAccorde === null ? state.echeances.affelnet : state.echeances.cloture;
      default:
        return null;
    }
  }

  /** The candidature's identity, as the SAIO filters on it: set once. */
  const attributsFixes: SearchAttributeUpdatePair[] = [
    { key: campagneKey, value: campagne.id },
    { key: domaineKey, value: input.domaine.code },
    { key: ineKey, value: input.eleve.ine },
    { key: uaiOrigineKey, value: input.eleve.uaiOrigine },
    { key: uaiAccueilKey, value: input.uaiAccueil },
  ];
  /** The value last published, by key (JSON), for the runs that publish only what changed. */
  const publies = new Map<string, string>();

  let publicationPrevue = false;
  /**
   * Keeps the search attributes in step with the state, once the changes in progress are made: the microtask
   * runs when the synchronous code of the activation's jobs (handlers, the main loop) has returned or awaits,
   * and the SDK completes an activation only after its microtasks.
   */
  function publier(): void {
    if (!parActivation) return publierMaintenant();
    if (publicationPrevue) return;
    publicationPrevue = true;
    void Promise.resolve().then(() => {
      publicationPrevue = false;
      publierMaintenant();
    });
  }

  /** The search attributes the SAIO filters on, from the state. */
  function publierMaintenant(): void {
    const avisFinals = [...new Set(state.voeux.flatMap((v) => (v.avisFinal ? [v.avisFinal] : [])))];
    const attributs: SearchAttributeUpdatePair[] = [
      { key: etapeKey, value: state.etape },
      { key: etapeDepuisKey, value: new Date(state.etapeDepuis) },
      { key: echeanceKey, value: state.prochaineEcheance ? new Date(state.prochaineEcheance) : null },
      { key: enRetardKey, value: state.retards.length > 0 },
      { key: avisFinalKey, value: avisFinals },
    ];
    if (!groupees) {
      upsertSearchAttributes(attributs);
      return;
    }
    const changes = [...attributsFixes, ...attributs].filter(({ key, value }) => {
      const valeur = JSON.stringify(value);
      if (publies.get(key.name) === valeur) return false;
      publies.set(key.name, valeur);
      return true;
    });
    if (changes.length > 0) upsertSearchAttributes(changes);
  }

  function passerA(etape: Etape): void {
    state.etape = etape;
    state.etapeDepuis = maintenant();
    if (etapesFinales.includes(etape)) state.retards = [];
  }

  function signalerRetard(retard: Retard): void {
    if (!state.retards.includes(retard)) state.retards.push(retard);
  }

  function leverRetard(retard: Retard): void {
    state.retards = state.retards.filter((r) => r !== retard);
  }

  function ajouterVoeux(voeux: VoeuDemande[], ajouteEnEntretien = false): string[] {
    const ajoutes: string[] = [];
    for (const voeu of voeux) {
      if (state.voeux.some((v) => v.codeFormation === voeu.codeFormation)) continue;
      state.voeux.push({
        codeFormation: voeu.codeFormation,
        libelle: voeu.libelle,
        rang: state.voeux.length + 1,
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

  const individuel = () => state.modalite === 'individuel';
  const terminee = () => etapesFinales.includes(state.etape);
  const avisOrigineManquant = () => individuel() && state.voeux.some((v) => v.avisOrigine === null);
  const instantEntretien = () => (state.entretien ? parisInstant(state.entretien.date, state.entretien.heure).getTime() : 0);

  // ---- consequences (activities) ----

  const persister = () => enregistrerCandidature(state);

  // Mails leave from the main loop, not from the handlers: a staff action is answered once its change is
  // saved, even while SMTP is down; the mail follows when SMTP is back. Each carries the state it announces.
  const courrielsEnAttente: CourrielDemande[] = [];
  function envoyer(demande: Omit<CourrielDemande, 'candidature'>): void {
    courrielsEnAttente.push({ ...demande, candidature: JSON.parse(JSON.stringify(state)) as CandidatureState });
  }
  async function envoyerCourrielsEnAttente(): Promise<void> {
    for (let demande = courrielsEnAttente.shift(); demande; demande = courrielsEnAttente.shift()) {
      await envoyerCourriel(demande);
    }
  }

  function rappel(type: string, destinataires: string[], echeance: string | null, message: string): RappelDemande {
    return { cle: `${state.id}/${type}`, candidatureId: state.id, type, destinataires, echeance, message, creeLe: maintenant() };
  }

  const ecoleOrigine = () => `uai:${state.eleve.uaiOrigine}`;
  const lycee = () => `uai:${state.uaiAccueil}`;
  const familleEtCollege = () => ({ etablissements: [state.eleve.uaiOrigine], emails: [state.eleve.referentEmail] });

  /** The avis final of each vœu by the campaign's matrix; then the fiche récapitulative is ready. */
  async function conclureAvis(): Promise<void> {
    for (const voeu of state.voeux) {
      try {
        voeu.avisFinal = calculerAvisFinal(campagne.matrice, voeu.avisOrigine?.avis ?? null, voeu.avisAccueil?.avis ?? null);
      } catch (error) {
        throw ApplicationFailure.nonRetryable(String(error), 'MatriceIncomplete');
      }
    }
    state.ficheRecapitulativeLe = maintenant();
    passerA(state.bonusAccorde === null ? 'confirmation_attendue' : 'cloturee');
    noter('fiche_recapitulative_prete', systeme, {
      avisFinal: Object.fromEntries(state.voeux.map((v) => [v.codeFormation, v.avisFinal])),
    });
    await persister();
    envoyer({ cle: `${state.id}/fiche_prete`, gabarit: 'fiche_prete', destinataires: familleEtCollege() });
  }

  /** Family confirmation and AFFELNET entry both in: the bonus follows the campaign's rule. */
  function deciderBonus(): void {
    if (state.bonusAccorde !== null || !state.confirmationFamille || !state.saisieAffelnet) return;
    const aTemps = Date.now() <= new Date(state.echeances.affelnet).getTime();
    state.bonusAccorde = aTemps;
    const saisis = state.saisieAffelnet.voeux;
    for (const voeu of state.voeux) {
      voeu.bonus = voeu.avisFinal && saisis.includes(voeu.codeFormation) ? calculerBonus(campagne, voeu.avisFinal, aTemps) : 0;
    }
    passerA('cloturee');
    noter(aTemps ? 'bonus_decide' : 'aucun_bonus', systeme, {
      bonus: Object.fromEntries(state.voeux.map((v) => [v.codeFormation, v.bonus])),
    });
  }

  // ---- validators' shared checks ----

  function exigerRole(acteur: Acteur, roles: Role[], uai: string | null): void {
    if (acteur.role === 'saio' && roles.includes('saio')) return;
    if (!roles.includes(acteur.role)) throw nonAutorise(`action réservée à : ${roles.join(', ')}`);
    if (uai !== null && acteur.uai !== uai) throw nonAutorise(`action réservée à l'établissement ${uai}`);
  }

  /** The same answer as for a run that has ended, while a closed one still sends its last mails. */
  function exigerEnCours(): void {
    if (terminee()) throw candidatureTerminee(messageCandidatureTerminee(state.etape));
  }

  function exigerEtape(...etapes: Etape[]): void {
    exigerEnCours();
    if (!etapes.includes(state.etape)) {
      throw horsEtape(`action impossible à l'étape ${state.etape} (attendu : ${etapes.join(' ou ')})`);
    }
  }

  function exigerTexte(valeur: string, champ: string): void {
    if (valeur.trim().length === 0) throw saisieRefusee(`${champ} est obligatoire`);
  }

  const origine = (): Role[] => ['origine_personnel', 'origine_chef'];
  const accueil = (): Role[] => ['accueil_personnel', 'accueil_chef'];

  // ---- recensement: the state is complete before any handler is set, because setting a handler runs
  // the updates already buffered for it (update-with-start delivers the inscription with the start) ----

  ajouterVoeux(input.voeux);
  if (!groupees) upsertSearchAttributes(attributsFixes);
  noter('recensement', input.acteur, { voeux: state.voeux.map((v) => v.codeFormation) });
  const versionRecensement = state.version;

  // ---- queries and updates ----

  setHandler(etatQuery, () => state);

  setHandler(
    inscrireUpdate,
    async ({ voeux, acteur }) => {
      const ajoutes = ajouterVoeux(voeux);
      const premiere = state.etape === 'recensement';
      if (!premiere && ajoutes.length === 0) return state;
      if (premiere) {
        state.inscritLe = maintenant();
        passerA('a_planifier');
      }
      noter(premiere ? 'inscription' : 'voeux_ajoutes', acteur, { voeux: ajoutes });
      await persister();
      return state;
    },
    {
      validator: ({ voeux, acteur }) => {
        exigerRole(acteur, origine(), state.eleve.uaiOrigine);
        exigerEtape('recensement', 'a_planifier', 'convoquee');
        if (Date.now() > new Date(state.echeances.inscription).getTime()) {
          throw horsEtape(`les inscriptions sont closes depuis le ${campagne.calendrier.finInscriptions}`);
        }
        if (voeux.length === 0) throw saisieRefusee('au moins un vœu est attendu');
      },
    },
  );

  setHandler(
    saisirAvisOrigineUpdate,
    async ({ avis, acteur }) => {
      const enRetard = state.entretien !== null && Date.now() >= instantEntretien();
      for (const saisi of avis) {
        const voeu = state.voeux.find((v) => v.codeFormation === saisi.codeFormation)!;
        voeu.avisOrigine = { avis: saisi.avis, commentaire: saisi.commentaire.trim(), par: acteur, le: maintenant(), enRetard };
      }
      if (!avisOrigineManquant()) leverRetard('avis_origine');
      noter('avis_origine', acteur, { avis: Object.fromEntries(avis.map((a) => [a.codeFormation, a.avis])), enRetard });
      await persister();
      return state;
    },
    {
      validator: ({ avis, acteur }) => {
        exigerRole(acteur, ['origine_chef'], state.eleve.uaiOrigine);
        if (!individuel()) throw horsEtape('pas d\'avis en séance d\'information collective');
        exigerEtape('a_planifier', 'convoquee', 'compte_rendu_attendu');
        if (avis.length === 0) throw saisieRefusee('au moins un avis est attendu');
        const codes = new Set<string>();
        for (const { codeFormation, avis: valeur, commentaire } of avis) {
          if (codes.has(codeFormation)) throw saisieRefusee(`deux avis pour le vœu ${codeFormation}`);
          codes.add(codeFormation);
          if (!state.voeux.some((v) => v.codeFormation === codeFormation)) throw saisieRefusee(`vœu inconnu : ${codeFormation}`);
          if (!isAvisAdmis(campagne, 'origine', valeur)) {
            throw saisieRefusee(`avis « ${valeur} » non admis par la campagne (attendu : ${campagne.avisOrigine.join(', ')})`);
          }
          exigerTexte(commentaire, `le commentaire du vœu ${codeFormation}`);
        }
      },
    },
  );

  setHandler(
    planifierEntretienUpdate,
    async ({ date, heure, lieu, mode, derogation = false, acteur }) => {
      const sequence = (state.entretien?.sequence ?? 0) + 1;
      state.entretien = { date, heure, lieu: lieu.trim(), mode, derogation, sequence, statut: 'planifie', planifiePar: acteur };
      leverRetard('planification');
      if (state.etape === 'a_planifier') passerA('convoquee');
      noter(sequence === 1 ? 'entretien_planifie' : 'entretien_modifie', acteur, { date, heure, lieu, mode, derogation });
      await persister();
      envoyer({ cle: `${state.id}/convocation/${sequence}`, gabarit: 'convocation', destinataires: familleEtCollege(), calendrier: 'REQUEST' });
      if (sequence === 1 && avisOrigineManquant()) {
        await enregistrerRappel(rappel('avis_origine_manquant', [ecoleOrigine()], iso(parisInstant(date, heure)), 'Entretien planifié : avis d\'origine à saisir avant l\'entretien.'));
      }
      return state;
    },
    {
      validator: ({ date, heure, lieu, mode, derogation = false, acteur }) => {
        exigerRole(acteur, [...accueil(), 'saio'], state.uaiAccueil);
        exigerEtape('a_planifier', 'convoquee');
        if (!isIsoDate(date)) throw saisieRefusee('date attendue au format AAAA-MM-JJ');
        if (!isHeure(heure)) throw saisieRefusee('heure attendue au format HH:MM');
        if (mode !== 'presentiel' && mode !== 'distanciel') throw saisieRefusee('mode attendu : presentiel ou distanciel');
        exigerTexte(lieu, mode === 'presentiel' ? 'le lieu' : 'le lien de connexion');
        const jour = checkDateEntretien(date, { derogation });
        if (!jour.ok) throw saisieRefusee(jour.raison);
        if (parisInstant(date, heure).getTime() <= Date.now()) throw saisieRefusee('la date de l\'entretien est passée');
        if (!derogation && date > campagne.calendrier.finEntretiens) {
          throw saisieRefusee(`les entretiens se tiennent jusqu'au ${campagne.calendrier.finEntretiens} (sauf dérogation)`);
        }
      },
    },
  );

  setHandler(
    constaterEntretienUpdate,
    async ({ present, acteur }) => {
      const entretien = state.entretien!;
      entretien.statut = present ? 'tenu' : 'absent';
      leverRetard('avis_origine');
      if (!individuel()) {
        passerA('cloturee');
        noter(present ? 'seance_collective_suivie' : 'absence', acteur);
        await persister();
      } else if (present) {
        state.echeances.compteRendu = iso(echeanceCompteRendu(campagne, entretien.date));
        passerA('compte_rendu_attendu');
        noter('entretien_tenu', acteur);
        await persister();
      } else {
        noter('absence', acteur);
        await conclureAvis();
      }
      return state;
    },
    {
      validator: ({ acteur }) => {
        exigerRole(acteur, accueil(), state.uaiAccueil);
        exigerEtape('convoquee');
        if (Date.now() < parisInstant(state.entretien!.date).getTime()) {
          throw horsEtape(`l'entretien est prévu le ${state.entretien!.date} : il ne peut être constaté avant`);
        }
      },
    },
  );

  setHandler(
    saisirCompteRenduUpdate,
    async ({ texte, avis, voeuxSupplementaires = [], acteur }) => {
      const le = maintenant();
      const enRetard = Date.now() > new Date(state.echeances.compteRendu!).getTime();
      ajouterVoeux(voeuxSupplementaires, true);
      for (const { codeFormation, avis: valeur } of [...avis, ...voeuxSupplementaires]) {
        state.voeux.find((v) => v.codeFormation === codeFormation)!.avisAccueil = { avis: valeur, par: acteur, le, enRetard };
      }
      state.compteRendu = { texte: texte.trim(), par: acteur, le, enRetard };
      leverRetard('compte_rendu');
      noter('compte_rendu', acteur, {
        enRetard,
        avis: Object.fromEntries([...avis, ...voeuxSupplementaires].map((a) => [a.codeFormation, a.avis])),
        voeuxSupplementaires: voeuxSupplementaires.map((v) => v.codeFormation),
      });
      await conclureAvis();
      return state;
    },
    {
      validator: ({ texte, avis, voeuxSupplementaires = [], acteur }: CompteRenduInput) => {
        exigerRole(acteur, ['accueil_chef'], state.uaiAccueil);
        exigerEtape('compte_rendu_attendu');
        exigerTexte(texte, 'le compte rendu');
        const attendus = state.voeux.map((v) => v.codeFormation);
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
          if (!isAvisAdmis(campagne, 'accueil', valeur)) {
            throw saisieRefusee(`avis « ${valeur} » non admis par la campagne (attendu : ${campagne.avisAccueil.join(', ')})`);
          }
        }
      },
    },
  );

  setHandler(
    confirmerFamilleUpdate,
    async ({ acteur }) => {
      state.confirmationFamille = { par: acteur, le: maintenant() };
      noter('confirmation_famille', acteur);
      deciderBonus();
      await persister();
      return state;
    },
    {
      validator: ({ acteur }) => {
        exigerRole(acteur, origine(), state.eleve.uaiOrigine);
        exigerEtape('confirmation_attendue');
        if (state.confirmationFamille) throw horsEtape('la confirmation de la famille est déjà enregistrée');
      },
    },
  );

  setHandler(
    saisirAffelnetUpdate,
    async ({ voeux, acteur }) => {
      state.saisieAffelnet = { par: acteur, le: maintenant(), voeux };
      noter('saisie_affelnet', acteur, { voeux });
      deciderBonus();
      await persister();
      return state;
    },
    {
      validator: ({ voeux, acteur }: SaisieAffelnetInput) => {
        exigerRole(acteur, ['origine_chef'], state.eleve.uaiOrigine);
        exigerEtape('confirmation_attendue');
        if (state.saisieAffelnet) throw horsEtape('la saisie AFFELNET est déjà enregistrée');
        if (voeux.length === 0) throw saisieRefusee('au moins un vœu saisi dans AFFELNET est attendu');
        const inconnus = voeux.filter((code) => !state.voeux.some((v) => v.codeFormation === code));
        if (inconnus.length > 0) throw saisieRefusee(`vœu inconnu : ${inconnus.join(', ')}`);
      },
    },
  );

  setHandler(
    desisterUpdate,
    async ({ motif, acteur }) => {
      const convoque = state.entretien?.statut === 'planifie';
      passerA('desistee');
      noter('desistement', acteur, { motif });
      await persister();
      if (convoque) {
        envoyer({ cle: `${state.id}/annulation`, gabarit: 'annulation', destinataires: familleEtCollege(), motif, calendrier: 'CANCEL' });
      }
      envoyer({ cle: `${state.id}/desistement`, gabarit: 'desistement', destinataires: { etablissements: [state.uaiAccueil] }, motif });
      return state;
    },
    {
      validator: ({ motif, acteur }) => {
        exigerRole(acteur, [...origine(), 'saio'], state.eleve.uaiOrigine);
        exigerEnCours();
        exigerTexte(motif, 'le motif du désistement');
      },
    },
  );

  // ---- dated consequences ----

  /** The reminder at day 2 and the escalation at the end of the compte rendu window of an interview on `date`. */
  function fenetreCompteRendu(date: IsoDate, message: string): EvenementDate[] {
    const echeance = iso(echeanceCompteRendu(campagne, date));
    return [
      {
        cle: `rappel_compte_rendu/${date}`,
        le: rappelCompteRendu(campagne, date).getTime(),
        appliquer: () => [rappel('compte_rendu', [lycee()], echeance, message)],
      },
      {
        cle: `escalade_compte_rendu/${date}`,
        le: new Date(echeance).getTime(),
        appliquer: () => {
          signalerRetard('compte_rendu');
          noter('escalade_compte_rendu', systeme);
          return [rappel('escalade_compte_rendu', ['saio', lycee()], echeance, 'Délai de 3 jours dépassé : compte rendu et avis d\'accueil toujours attendus.')];
        },
      },
    ];
  }

  function evenementsDates(): EvenementDate[] {
    const e: EvenementDate[] = [];
    const at = (d: Date | string) => new Date(d).getTime();
    const etape = state.etape;

    if (etape === 'recensement') {
      e.push({
        cle: 'fin_inscriptions',
        le: at(state.echeances.inscription),
        appliquer: () => {
          passerA('cloturee');
          noter('non_inscrite', systeme);
          return [];
        },
      });
    }
    if (etape === 'a_planifier') {
      e.push({
        cle: 'rappel_planification',
        le: at(rappelPlanification(campagne)),
        appliquer: () => [rappel('planification', [lycee()], state.echeances.entretiens, 'Entretien à planifier : chaque élève inscrit doit être convoqué.')],
      });
      e.push({
        cle: 'escalade_planification',
        le: at(escaladePlanification(campagne)),
        appliquer: () => {
          signalerRetard('planification');
          noter('escalade_planification', systeme);
          return [rappel('escalade_planification', ['saio', lycee()], state.echeances.entretiens, 'Entretien toujours non planifié à l\'approche de la fin des entretiens.')];
        },
      });
    }
    if (etape === 'convoquee' && state.entretien && individuel()) {
      const { date } = state.entretien;
      e.push({
        cle: `veille_entretien/${date}`,
        le: at(veilleEntretien(date, campagne)),
        appliquer: () =>
          avisOrigineManquant()
            ? [rappel(`avis_origine_veille/${date}`, [ecoleOrigine()], iso(new Date(instantEntretien())), 'Entretien demain : l\'avis d\'origine n\'est pas saisi.')]
            : [],
      });
      e.push({
        cle: `avis_origine_a_l_entretien/${date}`,
        le: instantEntretien(),
        appliquer: () => {
          if (avisOrigineManquant()) {
            signalerRetard('avis_origine');
            noter('avis_origine_en_retard', systeme);
          }
          return [];
        },
      });
      // The 3-day window runs from the interview, recorded or not: a lycée that never records it is
      // reminded and escalated like one that does not write the compte rendu (same keys: each happens once).
      e.push(...fenetreCompteRendu(date, 'Entretien à constater, puis compte rendu et avis d\'accueil à saisir dans les 3 jours suivant l\'entretien.'));
    }
    if (etape === 'compte_rendu_attendu' && state.entretien) {
      e.push(...fenetreCompteRendu(state.entretien.date, 'Compte rendu et avis d\'accueil à saisir dans les 3 jours suivant l\'entretien.'));
    }
    if (state.bonusAccorde === null && !terminee()) {
      if (etape === 'confirmation_attendue') {
        e.push({
          cle: 'rappel_affelnet',
          le: at(rappelAffelnet(campagne)),
          appliquer: () => [rappel('affelnet', [ecoleOrigine()], state.echeances.affelnet, 'Confirmation de la famille et saisie du vœu dans AFFELNET attendues avant l\'échéance.')],
        });
      }
      e.push({
        cle: 'echeance_affelnet',
        le: at(state.echeances.affelnet),
        appliquer: () => {
          state.bonusAccorde = false;
          for (const voeu of state.voeux) voeu.bonus = 0;
          const attendue = state.etape === 'confirmation_attendue';
          if (attendue) passerA('cloturee');
          noter('aucun_bonus', systeme, { raison: 'échéance AFFELNET passée sans confirmation et saisie' });
          return attendue ? [rappel('affelnet_echu', [ecoleOrigine()], state.echeances.affelnet, 'Échéance AFFELNET passée sans confirmation : aucun bonus ne s\'applique.')] : [];
        },
      });
    }
    if (!terminee()) {
      e.push({
        cle: 'cloture',
        le: at(state.echeances.cloture),
        appliquer: () => {
          const etapeALaCloture = state.etape;
          passerA('cloturee');
          noter('cloture', systeme, { etapeALaCloture });
          return [];
        },
      });
    }
    return e.filter((ev) => !state.evenementsTraites.includes(ev.cle)).sort((a, b) => a.le - b.le);
  }

  /** Handles a consequence: the state saved if it changed, then its reminders, one activity each. */
  async function traiter(evenement: EvenementDate): Promise<void> {
    state.evenementsTraites.push(evenement.cle);
    const version = state.version;
    const rappels = evenement.appliquer();
    if (state.version !== version) await persister();
    for (const demande of rappels) await enregistrerRappel(demande);
  }

  /**
   * Handles every consequence due now, in date order (each may change which follow: a candidature closed
   * has none), then saves the state once with all their reminders. At a campaign deadline that is one
   * activity per candidature instead of one per consequence.
   */
  async function traiterEcheances(): Promise<void> {
    const version = state.version;
    const rappels: RappelDemande[] = [];
    for (let [echu] = evenementsDates(); echu && echu.le <= Date.now() && !terminee(); [echu] = evenementsDates()) {
      state.evenementsTraites.push(echu.cle);
      rappels.push(...echu.appliquer());
    }
    if (state.version !== version || rappels.length > 0) await (echeancesLocales ? enregistrerEcheances : enregistrerCandidature)(state, rappels);
  }

  // ---- the procedure ----

  // An update delivered with the start has run up to its own write by now (setting its handler ran it).
  const inscriteAuDemarrage = state.version > versionRecensement;
  if (!(inscriteAuDemarrage && (echeancesLocales || patched(ECRITURE_INITIALE_UNIQUE)))) await persister();

  while (!terminee()) {
    const [prochain] = evenementsDates();
    const version = state.version;
    const delai = prochain.le - Date.now();
    // An action changes the state, and with it which consequences are due: wake up, send its mails, recompute.
    if (delai > 0 && (await condition(() => state.version !== version || courrielsEnAttente.length > 0, delai))) {
      await envoyerCourrielsEnAttente();
      continue;
    }
    await (groupees ? traiterEcheances() : traiter(prochain));
  }

  await condition(allHandlersFinished);
  await envoyerCourrielsEnAttente();
  return state;
}

// The procedure without a server: every path of DOMAIN.md, the matrix through the compte rendu, the
// calendar's edges, who may act. The clock is an argument, so a test moves it by passing another date;
// `avancer` handles what falls due on the way, as the workflow's loop does.
import { actions, autorisations, refusActeur } from '../../domain/autorisations';
import { endOfParisDay, parisInstant } from '../../domain/calendar';
import type { CandidatureState } from '../../domain/candidature';
import {
  actionsPossibles,
  appliquer,
  demarrer,
  estTerminee,
  etapes,
  detailsEnCours,
  prochainReveil,
  refus,
  Refus,
  traiterEcheances,
  verifier,
  type Arguments,
  type Effet,
  type Rappel,
} from '../../domain/procedure';
import type { Action } from '../../domain/autorisations';
import {
  AUTRE_LYCEE,
  avisOrigineInput,
  campagneEn,
  candidatureInput,
  chefAccueil,
  chefOrigine,
  COLLEGE,
  compteRenduInput,
  LYCEE,
  personnelAccueil,
  personnelAutreLycee,
  personnelOrigine,
  planificationInput,
  saio,
  voeuMetallier,
  voeuxMetallerie,
} from '../support/fixtures';

const creteil = campagneEn('creteil-2018', 2027);
const paris = campagneEn('paris-2023', 2027);
const debut = parisInstant('2027-03-01', '10:00');
const a = (date: string, heure = '10:00') => parisInstant(date, heure);

interface Vie {
  state: CandidatureState;
  effets: Effet[];
  rappels: Rappel[];
}

function vie(campagne = creteil, input = candidatureInput(campagne)): Vie {
  return { state: demarrer('passpro:test:123456789AB:metallerie', { ...input, campagne }, debut), effets: [], rappels: [] };
}

/** Handles what falls due up to `jusqua`, each consequence at its own time, as the workflow's timers do. */
function avancer(v: Vie, jusqua: Date, campagne = creteil): Vie {
  for (let le = prochainReveil(v.state, campagne)?.le ?? null; le !== null && le <= jusqua.getTime(); le = prochainReveil(v.state, campagne)?.le ?? null) {
    const t = traiterEcheances(v.state, new Date(le), campagne);
    v.state = t.state;
    v.effets.push(...t.effets);
    for (const e of t.effets) if (e.type === 'enregistrer') v.rappels.push(...e.rappels);
  }
  return v;
}

/** An action at `now`, after what fell due before it: checked, then applied. */
function agir<A extends Action>(v: Vie, action: A, input: Arguments[A], now: Date, campagne = creteil): Effet[] {
  avancer(v, now, campagne);
  verifier(action, v.state, input, now, campagne);
  const t = appliquer(action, v.state, input, now, campagne);
  v.state = t.state;
  v.effets.push(...t.effets);
  for (const e of t.effets) if (e.type === 'rappel') v.rappels.push(e.rappel);
  return t.effets;
}

function refuse<A extends Action>(v: Vie, action: A, input: Arguments[A], now: Date, campagne = creteil): Refus {
  const avant = JSON.stringify(v.state);
  try {
    verifier(action, v.state, input, now, campagne);
  } catch (error) {
    expect(JSON.stringify(v.state)).toBe(avant);
    if (error instanceof Refus) return error;
    throw error;
  }
  throw new Error(`${action} accepté`);
}

const inscrire = (v: Vie, now = debut) => agir(v, 'inscription', { voeux: voeuxMetallerie, acteur: chefOrigine }, now);
const types = (v: Vie) => v.state.historique.map((h) => h.type);
const courriels = (effets: Effet[]) => effets.flatMap((e) => (e.type === 'courriel' ? [e.courriel] : []));

/** Registered, avis in, interview on Wednesday 7 April 2027 at 14:00, held. */
function entretienTenu(avis = ['favorable', 'favorable'], campagne = creteil): Vie {
  const v = vie(campagne);
  agir(v, 'inscription', { voeux: voeuxMetallerie, acteur: chefOrigine }, debut, campagne);
  agir(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, avis), debut, campagne);
  agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut, campagne);
  agir(v, 'constat-entretien', { present: true, acteur: personnelAccueil }, a('2027-04-07', '15:00'), campagne);
  return v;
}

describe('the start and the inscription', () => {
  it('starts in recensement with the vœux asked for, waiting for the end of inscriptions', () => {
    const { state } = vie();
    expect(state.etape).toBe('recensement');
    expect(state.voeux.map((v) => [v.codeFormation, v.rang])).toEqual([['24025401', 1], ['50025415', 2]]);
    expect(state.prochaineEcheance).toBe(endOfParisDay('2027-04-13').toISOString());
    expect(state.historique).toMatchObject([{ type: 'recensement', acteur: chefOrigine }]);
    expect(state.version).toBe(1);
  });

  it('registers the pupil and writes the state; the same vœux again change nothing', () => {
    const v = vie();
    expect(inscrire(v)).toEqual([{ type: 'enregistrer', rappels: [] }]);
    expect(v.state).toMatchObject({ etape: 'a_planifier', inscritLe: debut.toISOString() });
    expect(agir(v, 'inscription', { voeux: voeuxMetallerie, acteur: personnelOrigine }, debut)).toEqual([]);
    agir(v, 'inscription', { voeux: [voeuMetallier], acteur: personnelOrigine }, debut);
    expect(v.state.voeux.map((x) => x.rang)).toEqual([1, 2, 3]);
    expect(types(v)).toEqual(['recensement', 'inscription', 'voeux_ajoutes']);
  });

  it('accepts an inscription until 23:59 Paris on the last day, and refuses it after', () => {
    expect(() => inscrire(vie(), a('2027-04-13', '23:59'))).not.toThrow();
    const v = vie();
    inscrire(v);
    expect(refuse(v, 'inscription', { voeux: [voeuMetallier], acteur: chefOrigine }, new Date(endOfParisDay('2027-04-13').getTime() + 1))).toMatchObject({
      type: refus.etape,
      message: 'les inscriptions sont closes depuis le 2027-04-13',
    });
  });

  it('closes a recensement never turned into an inscription at the end of inscriptions', () => {
    const v = avancer(vie(), a('2027-04-14'));
    expect(v.state.etape).toBe('cloturee');
    expect(types(v)).toEqual(['recensement', 'non_inscrite']);
    expect(refuse(v, 'inscription', { voeux: voeuxMetallerie, acteur: chefOrigine }, a('2027-04-14'))).toMatchObject({ type: refus.terminee });
  });

  it('refuses an inscription without vœu, from another collège or from a lycée', () => {
    const v = vie();
    expect(refuse(v, 'inscription', { voeux: [], acteur: chefOrigine }, debut).type).toBe(refus.saisie);
    expect(refuse(v, 'inscription', { voeux: voeuxMetallerie, acteur: { ...chefOrigine, uai: '0931235M' } }, debut)).toMatchObject({
      type: refus.acteur,
      message: `action réservée à l'établissement ${COLLEGE}`,
    });
    expect(refuse(v, 'inscription', { voeux: voeuxMetallerie, acteur: chefAccueil }, debut).type).toBe(refus.acteur);
  });
});

describe('avis d\'origine, planning and convocation', () => {
  it('records the avis d\'origine per vœu; refuses an unknown vœu, a value outside the scale, an empty comment', () => {
    const v = vie();
    inscrire(v);
    expect(refuse(v, 'avis-origine', avisOrigineInput([voeuMetallier], ['favorable']), debut).message).toBe('vœu inconnu : 50025416');
    expect(refuse(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'excellent']), debut).message).toMatch(/non admis par la campagne/);
    expect(refuse(v, 'avis-origine', { acteur: chefOrigine, avis: [{ codeFormation: '24025401', avis: 'favorable', commentaire: '  ' }] }, debut).message).toBe(
      'le commentaire du vœu 24025401 est obligatoire',
    );
    expect(refuse(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'favorable'], personnelOrigine), debut).type).toBe(refus.acteur);
    agir(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'reserve']), debut);
    expect(v.state.voeux.map((x) => x.avisOrigine?.avis)).toEqual(['favorable', 'reserve']);
    expect(v.state.voeux[0].avisOrigine).toMatchObject({ enRetard: false, par: chefOrigine });
  });

  it('convokes on planning (mail with its invitation) and reminds the collège of a missing avis', () => {
    const v = vie();
    inscrire(v);
    const effets = agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(v.state).toMatchObject({ etape: 'convoquee', entretien: { sequence: 1, statut: 'planifie' } });
    expect(v.state.prochaineEcheance).toBe(a('2027-04-07', '14:00').toISOString());
    expect(courriels(effets)).toEqual([
      { cle: `${v.state.id}/convocation/1`, gabarit: 'convocation', destinataires: { etablissements: [COLLEGE, LYCEE], emails: ['pp.durand@ac-creteil.fr'] }, calendrier: 'REQUEST' },
    ]);
    expect(effets.map((e) => e.type)).toEqual(['enregistrer', 'courriel', 'rappel']);
    expect(v.rappels.map((r) => [r.type, r.destinataires])).toEqual([['avis_origine_manquant', [`uai:${COLLEGE}`]]]);
    // A change re-convokes with the next sequence; no second reminder.
    const changement = agir(v, 'entretien', { ...planificationInput('2027-04-08', '09:30'), lieu: 'salle C3' }, debut);
    expect(courriels(changement).map((c) => [c.cle, c.modification])).toEqual([[`${v.state.id}/convocation/2`, true]]);
    expect(changement.map((e) => e.type)).toEqual(['enregistrer', 'courriel']);
    expect(types(v).slice(-2)).toEqual(['entretien_planifie', 'entretien_modifie']);
  });

  it('reminds the day before, then marks the avis d\'origine late at the interview; a late avis is recorded late', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    avancer(v, a('2027-04-07', '14:00'));
    expect(v.rappels.map((r) => r.type)).toEqual(['avis_origine_manquant', 'avis_origine_veille/2027-04-07']);
    expect(v.rappels[1].creeLe).toBe(a('2027-04-06', '08:00').toISOString());
    expect(v.state.retards).toEqual(['avis_origine']);
    agir(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'favorable']), a('2027-04-07', '14:05'));
    expect(v.state.retards).toEqual([]);
    expect(v.state.voeux[0].avisOrigine?.enRetard).toBe(true);
  });

  it('refuses a weekend, a public holiday, a past date, a date after the interviews, without dérogation', () => {
    const v = vie();
    inscrire(v);
    const planifier = (date: string, extra = {}) => ({ ...planificationInput(date, '10:00'), ...extra });
    expect(refuse(v, 'entretien', planifier('2027-04-10'), debut).message).toMatch(/samedi|week-end/i);
    expect(refuse(v, 'entretien', planifier('2027-05-06'), debut).message).toMatch(/Ascension/);
    expect(refuse(v, 'entretien', planifier('2027-03-29'), debut).message).toMatch(/Pâques/);
    expect(refuse(v, 'entretien', planifier('2027-02-26'), debut).message).toBe('la date de l\'entretien est passée');
    expect(refuse(v, 'entretien', planifier('2027-05-12'), debut).message).toBe('les entretiens se tiennent jusqu\'au 2027-05-11 (sauf dérogation)');
    expect(refuse(v, 'entretien', { ...planifier('2027-04-07'), heure: '25:00' }, debut).message).toBe('heure attendue au format HH:MM');
    expect(refuse(v, 'entretien', { ...planifier('2027-04-07'), lieu: ' ', mode: 'distanciel' as const }, debut).message).toBe('le lien de connexion est obligatoire');
    expect(refuse(v, 'entretien', planifier('2027-04-07', { acteur: personnelAutreLycee }), debut).type).toBe(refus.acteur);
    agir(v, 'entretien', planifier('2027-04-10', { derogation: true, motifDerogation: 'Journée portes ouvertes', acteur: chefAccueil }), debut);
    expect(v.state.entretien).toMatchObject({ date: '2027-04-10', derogation: true, motifDerogation: 'Journée portes ouvertes' });
    expect(v.state.historique.at(-1)?.details).toMatchObject({ derogation: true, motifDerogation: 'Journée portes ouvertes' });
  });

  it('grants a dérogation only by the lycée\'s head or the SAIO, with its reason, within the campaign', () => {
    const v = vie();
    inscrire(v);
    const samedi = { ...planificationInput('2027-04-10', '10:00'), derogation: true, motifDerogation: 'Forum des métiers' };
    expect(refuse(v, 'entretien', samedi, debut)).toMatchObject({
      type: refus.acteur,
      message: 'seul le chef d\'établissement d\'accueil ou le SAIO accorde une dérogation au calendrier',
    });
    expect(refuse(v, 'entretien', { ...samedi, acteur: chefAccueil, motifDerogation: ' ' }, debut).message).toBe('le motif de la dérogation est obligatoire');
    expect(refuse(v, 'entretien', { ...samedi, acteur: saio, date: '2027-07-01' }, debut).message).toBe(
      'même avec une dérogation, l\'entretien se tient pendant la campagne (du 2027-01-30 au 2027-06-30)',
    );
    agir(v, 'entretien', { ...samedi, acteur: saio, date: '2027-06-30' }, debut);
    expect(v.state.entretien).toMatchObject({ date: '2027-06-30', motifDerogation: 'Forum des métiers' });
  });

  it('lets the SAIO plan for any lycée, and no one else than the lycée', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00', { acteur: saio }), debut);
    expect(v.state.entretien?.planifiePar).toEqual(saio);
    expect(refuse(v, 'entretien', planificationInput('2027-04-07', '15:00', { acteur: chefOrigine }), debut).type).toBe(refus.acteur);
  });

  it('keeps a summer-time interview at its Paris hour (the clocks change on 28 March 2027)', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-03-30', '09:00'), debut);
    expect(v.state.prochaineEcheance).toBe('2027-03-30T07:00:00.000Z');
  });

  it('reminds the lycée to plan, then escalates to the SAIO with the lateness open; planning closes it', () => {
    const v = vie();
    inscrire(v);
    avancer(v, a('2027-05-07'));
    expect(v.rappels.map((r) => [r.type, r.destinataires, r.creeLe])).toEqual([
      ['planification', [`uai:${LYCEE}`], a('2027-05-01', '08:00').toISOString()],
      ['escalade_planification', ['saio', `uai:${LYCEE}`], a('2027-05-06', '08:00').toISOString()],
    ]);
    expect(v.state.retards).toEqual(['planification']);
    agir(v, 'entretien', planificationInput('2027-05-10', '10:00'), a('2027-05-07'));
    expect(v.state.retards).toEqual([]);
  });
});

describe('interview, compte rendu and the avis final', () => {
  it('refuses to record the interview before its time', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(refuse(v, 'constat-entretien', { present: true, acteur: personnelAccueil }, a('2027-04-07', '13:59'))).toMatchObject({
      type: refus.etape,
      message: 'l\'entretien est prévu le 2027-04-07 à 14:00 : il ne peut être constaté avant',
    });
    agir(v, 'constat-entretien', { present: false, acteur: personnelAccueil }, a('2027-04-07', '14:00'));
    expect(v.state.entretien?.statut).toBe('absent');
  });

  it('opens the 3-day window at the interview: reminder at day 2, escalation at the end, late entry recorded', () => {
    const v = entretienTenu();
    expect(v.state).toMatchObject({ etape: 'compte_rendu_attendu', echeances: { compteRendu: endOfParisDay('2027-04-10').toISOString() } });
    avancer(v, a('2027-04-11'));
    expect(v.rappels.map((r) => [r.type, r.creeLe])).toEqual([
      ['compte_rendu', a('2027-04-09', '08:00').toISOString()],
      ['escalade_compte_rendu', endOfParisDay('2027-04-10').toISOString()],
    ]);
    expect(v.state.retards).toEqual(['compte_rendu']);
    agir(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, ['favorable', 'assez_favorable']), a('2027-04-12'));
    expect(v.state.compteRendu?.enRetard).toBe(true);
    expect(v.state.retards).toEqual([]);
  });

  it('gives the avis final by the campaign\'s matrix, makes the fiche ready and tells the family and the collège', () => {
    const v = entretienTenu(['favorable', 'reserve']);
    const effets = agir(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, ['favorable', 'favorable']), a('2027-04-08'));
    expect(v.state.voeux.map((x) => x.avisFinal)).toEqual(['tres_favorable', 'assez_favorable']);
    expect(v.state).toMatchObject({ etape: 'confirmation_attendue', ficheRecapitulativeLe: a('2027-04-08').toISOString() });
    expect(courriels(effets)).toEqual([
      { cle: `${v.state.id}/fiche_prete`, gabarit: 'fiche_prete', destinataires: { etablissements: [COLLEGE], emails: ['pp.durand@ac-creteil.fr'] } },
    ]);
  });

  it.each([
    ['favorable', 'favorable', 'tres_favorable'],
    ['favorable', 'assez_favorable', 'favorable'],
    ['assez_favorable', 'favorable', 'favorable'],
    ['assez_favorable', 'assez_favorable', 'assez_favorable'],
    ['favorable', 'reserve', 'assez_favorable'],
    ['reserve', 'favorable', 'assez_favorable'],
    ['assez_favorable', 'reserve', 'peu_favorable'],
    ['reserve', 'assez_favorable', 'peu_favorable'],
    ['reserve', 'reserve', 'reserve'],
    ['assez_favorable', 'ne_se_prononce_pas', 'assez_favorable'],
  ])('Créteil 2018: origine %s × accueil %s → %s', (origine, accueil, final) => {
    const v = entretienTenu([origine, origine]);
    agir(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, [accueil, accueil]), a('2027-04-08'));
    expect(v.state.voeux.map((x) => x.avisFinal)).toEqual([final, final]);
  });

  it('adds a vœu at the interview with its avis; refuses a missing, unknown or doubled avis and a value outside the scale', () => {
    const v = entretienTenu();
    const cr = compteRenduInput(voeuxMetallerie, ['favorable', 'favorable']);
    expect(refuse(v, 'compte-rendu', { ...cr, avis: cr.avis.slice(1) }, a('2027-04-08')).message).toBe('avis d\'accueil manquant pour : 24025401');
    expect(refuse(v, 'compte-rendu', { ...cr, avis: [...cr.avis, { codeFormation: '99999999', avis: 'favorable' }] }, a('2027-04-08')).message).toBe('vœu inconnu : 99999999');
    expect(refuse(v, 'compte-rendu', { ...cr, avis: [...cr.avis, cr.avis[0]] }, a('2027-04-08')).message).toBe('un vœu a reçu deux avis');
    expect(refuse(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, ['favorable', 'top']), a('2027-04-08')).type).toBe(refus.saisie);
    expect(refuse(v, 'compte-rendu', { ...cr, acteur: personnelAccueil }, a('2027-04-08')).type).toBe(refus.acteur);
    agir(v, 'compte-rendu', { ...cr, voeuxSupplementaires: [{ ...voeuMetallier, avis: 'favorable' }] }, a('2027-04-08'));
    expect(v.state.voeux.map((x) => [x.codeFormation, x.ajouteEnEntretien, x.avisFinal])).toEqual([
      ['24025401', false, 'tres_favorable'],
      ['50025415', false, 'tres_favorable'],
      ['50025416', true, 'incomplet'],
    ]);
  });

  it('concludes an absence with the avis d\'origine alone: incomplet', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'favorable']), debut);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    agir(v, 'constat-entretien', { present: false, acteur: personnelAccueil }, a('2027-04-07', '14:30'));
    expect(v.state.etape).toBe('confirmation_attendue');
    expect(v.state.voeux.map((x) => x.avisFinal)).toEqual(['incomplet', 'incomplet']);
    expect(types(v).slice(-2)).toEqual(['absence', 'fiche_recapitulative_prete']);
  });

  it('reminds and escalates an interview never recorded as a missing compte rendu, then closes with the campaign', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'favorable']), debut);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    avancer(v, a('2027-07-01'));
    expect(v.rappels.map((r) => r.type)).toEqual(['compte_rendu', 'escalade_compte_rendu']);
    expect(types(v).slice(-3)).toEqual(['escalade_compte_rendu', 'aucun_bonus', 'cloture']);
    expect(v.state.historique.at(-1)?.details).toEqual({ etapeALaCloture: 'convoquee' });
    expect(estTerminee(v.state)).toBe(true);
    expect(prochainReveil(v.state, creteil)).toBeNull();
  });
});

describe('collective sessions', () => {
  const collectif = () => {
    const v = vie(creteil, candidatureInput(creteil, { modalite: 'collectif' }));
    inscrire(v);
    return v;
  };

  it('has no avis d\'origine and ends when the session is attended', () => {
    const v = collectif();
    expect(refuse(v, 'avis-origine', avisOrigineInput(voeuxMetallerie, ['favorable', 'favorable']), debut).message).toBe('pas d\'avis en séance d\'information collective');
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(v.rappels).toEqual([]);
    agir(v, 'constat-entretien', { present: true, acteur: personnelAccueil }, a('2027-04-07', '16:00'));
    expect(v.state.etape).toBe('cloturee');
    expect(types(v).at(-1)).toBe('seance_collective_suivie');
  });
});

describe('family confirmation, AFFELNET and the bonus', () => {
  const pret = () => {
    const v = entretienTenu();
    agir(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, ['favorable', 'assez_favorable']), a('2027-04-08'));
    return v;
  };

  it('takes the AFFELNET entry only after the family\'s confirmation, and once the AFFELNET window is open', () => {
    const v = pret();
    expect(refuse(v, 'saisie-affelnet', { voeux: ['24025401'], acteur: chefOrigine }, a('2027-05-10')).message).toBe(
      'la confirmation de la famille est attendue avant la saisie dans AFFELNET',
    );
    agir(v, 'confirmation-famille', { acteur: personnelOrigine }, a('2027-04-20'));
    expect(actionsPossibles(v.state, chefOrigine, a('2027-04-20'), creteil)).toEqual(['desistement']);
    expect(refuse(v, 'saisie-affelnet', { voeux: ['24025401'], acteur: chefOrigine }, a('2027-05-06', '23:59'))).toMatchObject({
      type: refus.etape,
      message: 'la saisie des vœux dans AFFELNET ouvre le 2027-05-07',
    });
    expect(actionsPossibles(v.state, chefOrigine, a('2027-05-07', '00:00'), creteil)).toEqual(['saisie-affelnet', 'desistement']);
  });

  it('grants the campaign\'s bonus when confirmation and entry come before the deadline', () => {
    const v = pret();
    agir(v, 'confirmation-famille', { acteur: personnelOrigine }, a('2027-05-10'));
    expect(refuse(v, 'confirmation-famille', { acteur: chefOrigine }, a('2027-05-10')).message).toBe('la confirmation de la famille est déjà enregistrée');
    expect(refuse(v, 'saisie-affelnet', { voeux: ['24025401'], acteur: personnelOrigine }, a('2027-05-10')).type).toBe(refus.acteur);
    expect(refuse(v, 'saisie-affelnet', { voeux: [], acteur: chefOrigine }, a('2027-05-10')).type).toBe(refus.saisie);
    agir(v, 'saisie-affelnet', { voeux: ['24025401'], acteur: chefOrigine }, a('2027-05-10'));
    expect(v.state).toMatchObject({ etape: 'cloturee', bonusAccorde: true });
    expect(v.state.voeux.map((x) => x.bonus)).toEqual([expect.any(Number), 0]);
    expect(v.state.voeux[0].bonus).toBeGreaterThan(0);
  });

  it('reminds before the AFFELNET deadline, then records that no bonus applies', () => {
    const v = pret();
    agir(v, 'confirmation-famille', { acteur: chefOrigine }, a('2027-05-10'));
    avancer(v, a('2027-05-24'));
    expect(v.rappels.map((r) => [r.type, r.creeLe])).toEqual([
      ['affelnet', a('2027-05-20', '08:00').toISOString()],
      ['affelnet_echu', endOfParisDay('2027-05-23').toISOString()],
    ]);
    expect(v.state).toMatchObject({ etape: 'cloturee', bonusAccorde: false });
    expect(v.state.voeux.map((x) => x.bonus)).toEqual([0, 0]);
  });

  it('gives no bonus in a campaign without one (Paris 2023 scale: réservé / favorable)', () => {
    const v = entretienTenu(['favorable', 'favorable'], paris);
    expect(refuse(v, 'compte-rendu', compteRenduInput(voeuxMetallerie, ['assez_favorable', 'favorable']), a('2027-04-08'), paris).type).toBe(refus.saisie);
  });
});

describe('the length of the interview', () => {
  it('books 30 minutes unless the planification gives a length, within bounds', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(v.state.entretien?.dureeMinutes).toBe(30);
    for (const dureeMinutes of [4, 481, 12.5]) {
      expect(refuse(v, 'entretien', { ...planificationInput('2027-04-07', '14:00'), dureeMinutes }, debut).message).toBe(
        "la durée de l'entretien est un nombre entier de minutes, de 5 à 480",
      );
    }
    agir(v, 'entretien', { ...planificationInput('2027-04-07', '14:00'), dureeMinutes: 20 }, debut);
    expect(v.state.entretien).toMatchObject({ dureeMinutes: 20, sequence: 2 });
    expect(v.state.historique.at(-1)?.details).toMatchObject({ dureeMinutes: 20 });
  });
});

describe('annulation of the interview', () => {
  const annulation = (acteur = personnelAccueil, motif = 'Salle indisponible') => ({ motif, acteur });

  it('returns the candidature to planification: the calendar cancellation to every calendar that holds it, the window dropped', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', { ...planificationInput('2027-04-07', '14:00'), dureeMinutes: 20 }, debut);
    expect(refuse(v, 'annulation-entretien', annulation(personnelAccueil, ' '), debut).message).toBe("le motif de l'annulation est obligatoire");
    const effets = agir(v, 'annulation-entretien', annulation(), a('2027-04-02'));
    expect(courriels(effets)).toEqual([
      {
        cle: `${v.state.id}/annulation_entretien/1`,
        gabarit: 'annulation',
        destinataires: { etablissements: [COLLEGE, LYCEE], emails: ['pp.durand@ac-creteil.fr'] },
        motif: 'Salle indisponible',
        calendrier: 'CANCEL',
      },
    ]);
    expect(v.state).toMatchObject({ etape: 'a_planifier', entretien: { statut: 'annule', sequence: 1 }, prochaineEcheance: v.state.echeances.entretiens });
    expect(v.state.historique.at(-1)).toMatchObject({ type: 'entretien_annule', acteur: personnelAccueil, details: { motif: 'Salle indisponible', date: '2027-04-07', heure: '14:00' } });
    // The interview's consequences are gone: no reminder the day before, no compte rendu window.
    avancer(v, a('2027-04-12'));
    expect(v.rappels.map((r) => r.type)).toEqual(['avis_origine_manquant']);
    expect(v.state.retards).toEqual([]);
    // A new convocation is a new planification, its invitation above the cancellation's SEQUENCE (1 + 1).
    const nouvelle = agir(v, 'entretien', planificationInput('2027-04-14', '10:00'), a('2027-04-12'));
    expect(v.state).toMatchObject({ etape: 'convoquee', entretien: { sequence: 3, statut: 'planifie', dureeMinutes: 30 } });
    expect(courriels(nouvelle).map((c) => [c.cle, c.modification])).toEqual([[`${v.state.id}/convocation/3`, undefined]]);
    expect(types(v).slice(-2)).toEqual(['entretien_annule', 'entretien_planifie']);
  });

  it('applies the planification reminder and escalation again, at once when their dates are past', () => {
    const v = vie();
    inscrire(v);
    avancer(v, a('2027-05-02'));
    agir(v, 'entretien', planificationInput('2027-05-10', '10:00'), a('2027-05-03'));
    agir(v, 'annulation-entretien', annulation(), a('2027-05-07'));
    avancer(v, a('2027-05-07', '10:01'));
    expect(v.rappels.map((r) => [r.type, r.cle])).toEqual([
      ['planification', `${v.state.id}/planification`],
      ['avis_origine_manquant', `${v.state.id}/avis_origine_manquant`],
      ['planification/1', `${v.state.id}/planification/1`],
      ['escalade_planification/1', `${v.state.id}/escalade_planification/1`],
    ]);
    expect(v.state.retards).toEqual(['planification']);
  });

  it('is taken by the lycée, the SAIO, or the collège announcing an absence; never once the interview has begun', () => {
    const v = vie();
    inscrire(v);
    expect(refuse(v, 'annulation-entretien', annulation(), debut)).toMatchObject({ type: refus.etape, message: "action impossible à l'étape a_planifier (attendu : convoquee)" });
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(refuse(v, 'annulation-entretien', annulation(personnelAutreLycee), debut).type).toBe(refus.acteur);
    expect(refuse(v, 'annulation-entretien', annulation({ ...personnelOrigine, uai: LYCEE }), debut).message).toBe(`action réservée à l'établissement ${COLLEGE}`);
    expect(refuse(v, 'annulation-entretien', annulation(personnelOrigine), a('2027-04-07', '14:00')).message).toBe(
      "l'entretien du 2027-04-07 à 14:00 a commencé : constatez-le (tenu, ou l'élève absent)",
    );
    for (const acteur of [chefAccueil, saio, chefOrigine]) verifier('annulation-entretien', v.state, annulation(acteur), debut, creteil);
    agir(v, 'annulation-entretien', annulation(personnelOrigine, 'La famille prévient : élève hospitalisé'), a('2027-04-07', '13:59'));
    expect(v.state).toMatchObject({ etape: 'a_planifier', entretien: { statut: 'annule' } });
  });
});

describe('désistement', () => {
  it('after the convocation: the calendar cancellation to family and collège, the notice to the lycée', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(refuse(v, 'desistement', { motif: ' ', acteur: chefOrigine }, debut).message).toBe('le motif du désistement est obligatoire');
    const effets = agir(v, 'desistement', { motif: 'Apprentissage', acteur: personnelOrigine }, a('2027-04-06'));
    expect(courriels(effets).map((c) => [c.gabarit, c.calendrier, c.destinataires])).toEqual([
      ['annulation', 'CANCEL', { etablissements: [COLLEGE], emails: ['pp.durand@ac-creteil.fr'] }],
      ['desistement', 'CANCEL', { etablissements: [LYCEE] }],
    ]);
    expect(v.state).toMatchObject({ etape: 'desistee', retards: [], entretien: { statut: 'annule' } });
    expect(refuse(v, 'entretien', planificationInput('2027-04-08', '14:00'), a('2027-04-06'))).toMatchObject({
      type: refus.terminee,
      message: 'la candidature est terminée (desistee) : aucune action n\'est plus possible',
    });
  });

  it('before any convocation: the notice only; the SAIO may withdraw, the lycée may not', () => {
    const v = vie();
    inscrire(v);
    expect(refuse(v, 'desistement', { motif: 'x', acteur: personnelAccueil }, debut).type).toBe(refus.acteur);
    expect(courriels(agir(v, 'desistement', { motif: 'Déménagement', acteur: saio }, debut)).map((c) => [c.gabarit, c.calendrier])).toEqual([['desistement', undefined]]);
  });
});

describe('the step table and who may act', () => {
  it('admits each action at the steps of DOMAIN.md', () => {
    const admises = (action: Action) => Object.entries(etapes).filter(([, e]) => e.actions.includes(action)).map(([etape]) => etape);
    expect(admises('inscription')).toEqual(['recensement', 'a_planifier', 'convoquee']);
    expect(admises('avis-origine')).toEqual(['a_planifier', 'convoquee', 'compte_rendu_attendu']);
    expect(admises('entretien')).toEqual(['a_planifier', 'convoquee']);
    expect(admises('constat-entretien')).toEqual(['convoquee']);
    expect(admises('compte-rendu')).toEqual(['compte_rendu_attendu']);
    expect(admises('confirmation-famille')).toEqual(['confirmation_attendue']);
    expect(admises('annulation-entretien')).toEqual(['convoquee']);
    expect(admises('desistement')).toEqual(['recensement', 'a_planifier', 'convoquee', 'compte_rendu_attendu', 'confirmation_attendue']);
    expect(etapes.cloturee.actions).toEqual([]);
  });

  it('names a school and a role in each refusal of an actor', () => {
    const ecoles = { uaiOrigine: COLLEGE, uaiAccueil: LYCEE };
    expect(refusActeur('compte-rendu', personnelAccueil, ecoles)).toBe('action réservée à : accueil_chef');
    expect(refusActeur('constat-entretien', { ...personnelAccueil, uai: AUTRE_LYCEE }, ecoles)).toBe(`action réservée à l'établissement ${LYCEE}`);
    expect(refusActeur('constat-entretien', saio, ecoles)).toBe('action réservée à : accueil_personnel, accueil_chef');
    for (const action of actions) expect(autorisations[action].roles.length).toBeGreaterThan(0);
  });

  it('offers each person only the actions they may take at this step', () => {
    const v = vie();
    inscrire(v);
    expect(actionsPossibles(v.state, chefOrigine, debut, creteil)).toEqual(['inscription', 'avis-origine', 'desistement']);
    expect(actionsPossibles(v.state, personnelOrigine, debut, creteil)).toEqual(['inscription', 'desistement']);
    expect(actionsPossibles(v.state, personnelAccueil, debut, creteil)).toEqual(['entretien']);
    expect(actionsPossibles(v.state, personnelAutreLycee, debut, creteil)).toEqual([]);
    expect(actionsPossibles(v.state, saio, debut, creteil)).toEqual(['entretien', 'desistement']);
    const fini = entretienTenu();
    expect(actionsPossibles(fini.state, chefAccueil, a('2027-04-08'), creteil)).toEqual(['compte-rendu']);
  });

  it('says in words what the candidature waits for and what falls due next, without the pupil\'s name', () => {
    const v = vie();
    inscrire(v);
    agir(v, 'entretien', planificationInput('2027-04-07', '14:00'), debut);
    expect(detailsEnCours(v.state, creteil).split('\n')).toEqual([
      '**Étape** : Convoquée',
      "**Attendu** : l'entretien, puis son constat par le lycée, au plus tard le mercredi 7 avril 2027 à 14 h 00",
      "**Prochaine échéance** : veille de l'entretien : rappel de l'avis d'origine s'il manque, le mardi 6 avril 2027 à 08 h 00",
    ]);
    expect(detailsEnCours(v.state, creteil)).not.toContain(v.state.eleve.nom);
    const fini = entretienTenu();
    expect(detailsEnCours(fini.state, creteil)).toMatch(/^\*\*Étape\*\* : Compte rendu attendu\n/);
  });
});

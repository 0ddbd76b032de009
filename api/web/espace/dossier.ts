// A candidature's page, for everyone in scope, and the forms of the actions its reader may take. One handler
// serves every action's form: its fields come from a table (`formulaires`), its input is checked by the JSON
// route's zod schema, and it calls `agir` as the JSON route does, so a page gets the same refusals.
import type { Router } from 'express';
import type { z } from 'zod';
import { autorisations, type Action } from '../../../domain/autorisations';
import { libelleDate, parisDateOf, parisTimeOf } from '../../../domain/calendar';
import type { CandidatureState } from '../../../domain/candidature';
import { DUREE_ENTRETIEN_MINUTES } from '../../../domain/creneaux';
import { campagnes } from '../../../domain/campaigns';
import { actionsPossibles } from '../../../domain/procedure';
import { libelleEtablissement } from '../../../presentation/etablissements';
import { libelleEcheance, presenterEntretien } from '../../../presentation/labels';
import { badgeEtape, libelleAvisOuTiret, libelleEvenement, libellesAction, libellesEtape, libellesFait, libellesRetard } from '../../../presentation/libelles';
import { libelleRole, optionsChoisies, resumeErreurs, type Alerte } from '../../../presentation/pages';
import type { Appelant } from '../../auth';
import { offresOuvertes } from '../../catalogue';
import { ApiError } from '../../errors';
import { annulationEntretienSchema, avisOrigineSchema, candidatureIdParam, compteRenduSchema, constatEntretienSchema, desistementSchema, planificationSchema, saisieAffelnetSchema, sansCorpsSchema, voeuxSchema } from '../../schemas';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';
import type { PrismaClient } from '../../../platform/database';

type Valeurs = Record<string, string | string[] | undefined>;

/** One field of an action's form, as its partial reads it; `chemins`: the schema paths whose refusal it shows. */
interface Champ {
  partial: 'input' | 'textarea' | 'radios' | 'select' | 'checkbox' | 'checkboxes';
  id: string;
  name: string;
  chemins: string[];
  /** Workflow refusals (no path) whose message matches are shown on this field. */
  refus?: RegExp;
  /** What an empty required field is told (a choice is not "filled"). */
  vide?: string;
  [cle: string]: unknown;
}

interface Contexte {
  etat: CandidatureState;
  qui: Appelant;
  prisma: PrismaClient;
}

interface Formulaire {
  titre: (etat: CandidatureState) => string;
  intro?: string;
  bouton: string;
  schema: z.ZodType;
  champs: (ctx: Contexte, valeurs: Valeurs) => Promise<Champ[]>;
  /** The schema's shape built from the posted fields. */
  saisie: (valeurs: Valeurs, ctx: Contexte) => Promise<unknown>;
}

const texte = (v: Valeurs, nom: string): string => {
  const valeur = v[nom];
  return typeof valeur === 'string' ? valeur : '';
};
/** An optional field left empty is absent from the action's input. */
const optionnel = (v: Valeurs, nom: string): string | undefined => texte(v, nom).trim() || undefined;

/** The values posted under a name: none, one, or those of several checkboxes. */
const liste = (v: Valeurs, nom: string): string[] => {
  const valeur = v[nom];
  return valeur === undefined ? [] : Array.isArray(valeur) ? valeur : [valeur];
};
/** What a field shows: what was posted, or on a first display what is recorded. */
const valeur = (v: Valeurs, nom: string, recorded: string | undefined) => (Object.keys(v).length > 0 ? texte(v, nom) : recorded);

const avisOptions = (echelle: readonly string[]) => echelle.map((a) => ({ value: a, label: libelleAvisOuTiret(a) }));
const voeuxParRang = (etat: CandidatureState) => [...etat.voeux].sort((a, b) => a.rang - b.rang);

/** The formations of the candidature's domaine its lycée offers with its modality, not yet among its vœux. */
async function offresAAjouter({ etat, prisma }: Contexte) {
  const campagne = campagnes[etat.campagneId];
  const offres = await offresOuvertes(prisma, campagne.academie, { domaine: etat.domaine.code, codes: [] });
  const dejaDemandees = new Set(etat.voeux.map((v) => v.codeFormation));
  return offres.filter((o) => o.uai === etat.uaiAccueil && o.modalite === etat.modalite && o.formation.domaine.code === etat.domaine.code && !dejaDemandees.has(o.formation.code));
}

const formulaires: Partial<Record<Action, Formulaire>> = {
  inscription: {
    titre: (etat) => (etat.etape === 'recensement' ? "Inscrire l'élève" : 'Ajouter des vœux'),
    intro: "Des formations du domaine que le lycée d'accueil propose : l'élève garde un seul entretien pour tout le domaine.",
    bouton: 'Enregistrer les vœux',
    schema: voeuxSchema,
    champs: async (ctx, v) => {
      const choisis = new Set(liste(v, 'voeux'));
      const offres = await offresAAjouter(ctx);
      return [
        {
          partial: 'checkboxes',
          id: 'voeux',
          name: 'voeux',
          legend: 'Formations à ajouter',
          hint: offres.length === 0 ? 'Le lycée ne propose pas d’autre formation de ce domaine.' : undefined,
          required: true,
          vide: 'Cochez au moins une formation.',
          chemins: ['voeux'],
          refus: /vœu|formation/i,
          options: offres.map((o) => ({ value: o.formation.code, label: o.formation.libelle, hint: o.formation.mnemonique, checked: choisis.has(o.formation.code) })),
        },
      ];
    },
    saisie: async (v, ctx) => {
      const offres = await offresAAjouter(ctx);
      // A code not offered is passed on as it came: the catalogue's check (in `agir`) refuses it on its field.
      return { voeux: liste(v, 'voeux').map((code) => ({ codeFormation: code, libelle: offres.find((o) => o.formation.code === code)?.formation.libelle ?? code })) };
    },
  },

  'avis-origine': {
    titre: () => "Avis d'origine",
    intro: "Un avis par vœu, sur l'échelle de la campagne, avec un commentaire sur la motivation et l'implication de l'élève. Il est attendu avant l'entretien : le lycée s'en sert.",
    bouton: 'Enregistrer les avis',
    schema: avisOrigineSchema,
    champs: async ({ etat }, v) => {
      const echelle = avisOptions(campagnes[etat.campagneId].avisOrigine);
      return voeuxParRang(etat).flatMap((voeu, i): Champ[] => [
        {
          partial: 'radios',
          id: `avis-${i}-avis`,
          name: `avis_${i}`,
          legend: `Avis pour le vœu ${voeu.rang} (${voeu.libelle})`,
          required: true,
          inline: true,
          vide: 'Choisissez un avis.',
          chemins: [`avis.${i}.avis`],
          refus: new RegExp(voeu.codeFormation),
          options: optionsChoisies(echelle, valeur(v, `avis_${i}`, voeu.avisOrigine?.avis)),
        },
        {
          partial: 'textarea',
          id: `avis-${i}-commentaire`,
          name: `commentaire_${i}`,
          label: `Commentaire sur la motivation et l'implication de l'élève (vœu ${voeu.rang})`,
          required: true,
          rows: 3,
          maxlength: 2000,
          value: valeur(v, `commentaire_${i}`, voeu.avisOrigine?.commentaire),
          chemins: [`avis.${i}.commentaire`],
        },
      ]);
    },
    saisie: async (v, { etat }) => ({
      avis: voeuxParRang(etat).map((voeu, i) => ({ codeFormation: voeu.codeFormation, avis: texte(v, `avis_${i}`), commentaire: texte(v, `commentaire_${i}`) })),
    }),
  },

  entretien: {
    titre: (etat) => (etat.entretien && etat.entretien.statut !== 'annule' ? "Modifier l'entretien" : "Planifier l'entretien"),
    intro: "La convocation part par courriel au collège et au référent de l'élève dès l'enregistrement.",
    bouton: 'Enregistrer et convoquer',
    schema: planificationSchema,
    champs: async ({ etat, qui }, v) => {
      const e = etat.entretien;
      const valeur = (nom: string, defaut: string | undefined) => (nom in v ? texte(v, nom) : defaut);
      const champs: Champ[] = [
        { partial: 'input', id: 'date', name: 'date', type: 'date', label: "Date de l'entretien", hint: 'Un jour ouvré de la période des entretiens', required: true, value: valeur('date', e?.date), chemins: ['date'], refus: /date|week-end|férié|passée|entretiens se tiennent/i },
        { partial: 'input', id: 'heure', name: 'heure', type: 'time', label: 'Heure', hint: 'Heure de Paris, au format HH:MM', required: true, value: valeur('heure', e?.heure), chemins: ['heure'], refus: /heure/i },
        { partial: 'input', id: 'dureeMinutes', name: 'dureeMinutes', type: 'number', label: 'Durée (minutes)', hint: `Facultatif : ${DUREE_ENTRETIEN_MINUTES} minutes sinon`, value: valeur('dureeMinutes', e ? String(e.dureeMinutes) : undefined), chemins: ['dureeMinutes'], refus: /durée/i },
        { partial: 'radios', id: 'mode', name: 'mode', legend: 'Mode', required: true, inline: true, chemins: ['mode'], refus: /mode/i, options: optionsChoisies([{ value: 'presentiel', label: 'Présentiel (sur place)' }, { value: 'distanciel', label: 'Distanciel (à distance)' }], valeur('mode', e?.mode ?? 'presentiel')) },
        { partial: 'textarea', id: 'lieu', name: 'lieu', label: 'Lieu, ou lien de connexion à distance', required: true, rows: 2, maxlength: 300, value: valeur('lieu', e?.lieu), chemins: ['lieu'], refus: /lieu|lien/i },
      ];
      // Only the lycée's head and the SAIO may bend the calendar (domain/procedure.ts says so again).
      if (qui.role === 'accueil_chef' || qui.role === 'saio') {
        const derogation = 'date' in v ? texte(v, 'derogation') === 'oui' : (e?.derogation ?? false);
        champs.push(
          { partial: 'checkbox', id: 'derogation', name: 'derogation', label: 'Dérogation au calendrier', hint: 'Week-end, jour férié ou après la fin des entretiens', checked: derogation, chemins: ['derogation'], refus: /seul le chef/i },
          { partial: 'textarea', id: 'motifDerogation', name: 'motifDerogation', label: 'Motif de la dérogation', hint: 'Obligatoire avec une dérogation', rows: 2, maxlength: 500, value: valeur('motifDerogation', e?.motifDerogation ?? undefined), chemins: ['motifDerogation'], refus: /motif|pendant la campagne/i },
        );
      }
      return champs;
    },
    saisie: async (v) => {
      const derogation = texte(v, 'derogation') === 'oui';
      return {
        date: texte(v, 'date'),
        heure: texte(v, 'heure'),
        ...(optionnel(v, 'dureeMinutes') ? { dureeMinutes: Number(optionnel(v, 'dureeMinutes')) } : {}),
        lieu: texte(v, 'lieu'),
        mode: texte(v, 'mode'),
        ...(derogation ? { derogation, motifDerogation: texte(v, 'motifDerogation') } : {}),
      };
    },
  },

  'constat-entretien': {
    titre: () => "Constater l'entretien",
    bouton: 'Enregistrer',
    schema: constatEntretienSchema,
    champs: async ({ etat }, v) => [
      {
        partial: 'radios',
        id: 'present',
        name: 'present',
        legend: etat.entretien ? `L'élève s'est-il présenté à l'entretien du ${libelleDate(etat.entretien.date)} à ${etat.entretien.heure} ?` : "L'élève s'est-il présenté ?",
        required: true,
        chemins: ['present'],
        refus: /./,
        options: optionsChoisies([{ value: 'oui', label: "Oui, l'entretien s'est tenu" }, { value: 'non', label: "Non, l'élève était absent" }], texte(v, 'present')),
      },
    ],
    saisie: async (v) => ({ present: { oui: true, non: false }[texte(v, 'present')] }),
  },

  'compte-rendu': {
    titre: () => "Compte rendu de l'entretien",
    intro: "Un avis d'accueil par vœu, sur l'échelle de la campagne. Les avis finaux sont calculés à l'enregistrement.",
    bouton: 'Enregistrer le compte rendu',
    schema: compteRenduSchema,
    champs: async (ctx, v) => {
      const { etat } = ctx;
      const echelle = avisOptions(campagnes[etat.campagneId].avisAccueil);
      const offres = await offresAAjouter(ctx);
      const voeux = voeuxParRang(etat);
      return [
        { partial: 'textarea', id: 'texte', name: 'texte', label: 'Compte rendu', hint: "Bref : motivation, connaissance de la formation, conseils. Aucune note ni bulletin.", required: true, rows: 6, maxlength: 5000, value: texte(v, 'texte'), chemins: ['texte'], refus: /compte rendu/i },
        ...voeux.map((voeu, i): Champ => ({
          partial: 'radios',
          id: `avis-${voeu.codeFormation}`,
          name: `avis-${voeu.codeFormation}`,
          legend: `Avis d'accueil — ${voeu.libelle}`,
          hint: voeu.avisOrigine ? `Avis d'origine : ${libelleAvisOuTiret(voeu.avisOrigine.avis)}` : "Avis d'origine non saisi",
          required: true,
          inline: true,
          chemins: [`avis.${i}`],
          refus: new RegExp(voeu.codeFormation),
          options: optionsChoisies(echelle, texte(v, `avis-${voeu.codeFormation}`)),
        })),
        ...(offres.length === 0
          ? []
          : [
              {
                partial: 'select',
                id: 'supplement',
                name: 'supplement',
                label: "Vœu ajouté à l'entretien (facultatif)",
                hint: "Une formation du même domaine dans l'établissement, demandée par l'élève",
                chemins: ['voeuxSupplementaires.0.codeFormation', 'voeuxSupplementaires.0.libelle'],
                options: [{ value: '', label: 'Aucun vœu ajouté', selected: !texte(v, 'supplement') }, ...optionsChoisies(offres.map((o) => ({ value: o.formation.code, label: o.formation.libelle })), texte(v, 'supplement'))],
              } satisfies Champ,
              {
                partial: 'radios',
                id: 'supplement-avis',
                name: 'supplement-avis',
                legend: "Avis d'accueil du vœu ajouté",
                hint: 'Seulement si un vœu est ajouté',
                inline: true,
                chemins: ['voeuxSupplementaires'],
                options: optionsChoisies(echelle, texte(v, 'supplement-avis')),
              } satisfies Champ,
            ]),
      ];
    },
    saisie: async (v, ctx) => {
      const voeux = voeuxParRang(ctx.etat);
      const code = optionnel(v, 'supplement');
      const offre = code ? (await offresAAjouter(ctx)).find((o) => o.formation.code === code) : undefined;
      return {
        texte: texte(v, 'texte'),
        avis: voeux.map((voeu) => ({ codeFormation: voeu.codeFormation, avis: texte(v, `avis-${voeu.codeFormation}`) })),
        // A code not offered is passed on as it came: the catalogue's check (in `agir`) refuses it on its field.
        ...(code ? { voeuxSupplementaires: [{ codeFormation: code, libelle: offre?.formation.libelle ?? code, avis: texte(v, 'supplement-avis') }] } : {}),
      };
    },
  },

  'annulation-entretien': {
    titre: () => "Annuler l'entretien",
    intro:
      "L'entretien planifié est annulé (par le lycée, ou par le collège quand la famille prévient que l'élève ne pourra pas venir) : l'annulation part avec le fichier .ics, le créneau est libéré et la candidature revient à planifier ; une nouvelle convocation suivra.",
    bouton: "Annuler l'entretien",
    schema: annulationEntretienSchema,
    champs: async (_ctx, v) => [{ partial: 'textarea', id: 'motif', name: 'motif', label: "Motif de l'annulation", required: true, rows: 3, maxlength: 500, value: texte(v, 'motif'), chemins: ['motif'], refus: /motif/i }],
    saisie: async (v) => ({ motif: texte(v, 'motif') }),
  },

  desistement: {
    titre: () => 'Désistement',
    intro: "L'élève renonce à cette candidature : elle prend fin et son créneau d'entretien est libéré. Le lycée est prévenu.",
    bouton: 'Enregistrer le désistement',
    schema: desistementSchema,
    champs: async (_ctx, v) => [{ partial: 'textarea', id: 'motif', name: 'motif', label: 'Motif du désistement', required: true, rows: 3, maxlength: 500, value: texte(v, 'motif'), chemins: ['motif'], refus: /motif/i }],
    saisie: async (v) => ({ motif: texte(v, 'motif') }),
  },

  'confirmation-famille': {
    titre: () => 'Confirmation de la famille',
    intro: "Les représentants légaux ont reçu la fiche récapitulative et confirment le choix de l'élève (condition de tout bonus).",
    bouton: 'Enregistrer la confirmation',
    schema: sansCorpsSchema,
    champs: async () => [],
    saisie: async () => ({}),
  },

  'saisie-affelnet': {
    titre: () => 'Saisie dans AFFELNET',
    intro: "Les vœux que le chef d'établissement a saisis dans AFFELNET, après la confirmation de la famille. Avant la fin de la saisie AFFELNET, ils ouvrent droit au bonus de la campagne.",
    bouton: 'Enregistrer la saisie AFFELNET',
    schema: saisieAffelnetSchema,
    champs: async ({ etat }, v) => {
      const cochees = new Set(Object.keys(v).length > 0 ? liste(v, 'voeux') : (etat.saisieAffelnet?.voeux ?? []));
      return [
        {
          partial: 'checkboxes',
          id: 'voeux',
          name: 'voeux',
          legend: 'Vœux saisis dans AFFELNET',
          required: true,
          vide: 'Cochez au moins un vœu saisi dans AFFELNET.',
          chemins: ['voeux'],
          refus: /vœu/i,
          options: voeuxParRang(etat).map((voeu) => ({ value: voeu.codeFormation, label: `${voeu.rang}. ${voeu.libelle}`, hint: voeu.avisFinal ? `Avis final : ${libelleAvisOuTiret(voeu.avisFinal)}` : undefined, checked: cochees.has(voeu.codeFormation) })),
        },
      ];
    },
    saisie: async (v) => ({ voeux: liste(v, 'voeux') }),
  },
};

const nomEleve = (etat: CandidatureState) => `${etat.eleve.prenom} ${etat.eleve.nom.toLocaleUpperCase('fr-FR')}`;
const lien = (id: string, suite = '') => `/dossiers/${encodeURIComponent(id)}${suite}`;
const horodatage = (iso: string) => {
  const d = new Date(iso);
  return `${libelleDate(parisDateOf(d))} à ${parisTimeOf(d)}`;
};
const libelleActeur = (role: string) => (role === 'systeme' ? 'Passpro (automatique)' : (libelleRole as Record<string, string>)[role] ?? role);

/** The 404 page: another school's candidature is as unknown as a missing one. */
function introuvable(rendre: Page['rendre']): void {
  rendre('dossier-introuvable', { titre: 'Candidature introuvable' }, 404);
}

/** The candidature if its reader may see it; otherwise the 404 page has been answered and it is null. */
async function lire(deps: EspaceDeps, { req, qui, rendre }: Page): Promise<CandidatureState | null> {
  try {
    const id = parse(candidatureIdParam, req.params.id, 'params.id');
    return await deps.candidatures.etatVisible(id, qui, 'dossier');
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      introuvable(rendre);
      return null;
    }
    throw error;
  }
}

/** The actions offered now, those with a form here: what the pages show, and what a form may be opened for. */
export const actionsOffertes = (etat: CandidatureState, qui: Appelant) =>
  Object.hasOwn(campagnes, etat.campagneId) ? actionsPossibles(etat, qui, new Date(), campagnes[etat.campagneId]).filter((a) => a in formulaires) : [];

/** The link to an action's form, named by what it does (the form's title where that depends on the step). */
export const lienAction = (etat: CandidatureState, action: Action) => ({
  href: lien(etat.id, `/${action}`),
  label: action === 'entretien' || action === 'inscription' ? formulaires[action]!.titre(etat) : libellesAction[action],
});

/** Why an action is not offered now, in the words of the procedure. */
function pourquoiIndisponible(action: Action, etat: CandidatureState, qui: Appelant): string {
  const campagne = campagnes[etat.campagneId];
  const depuis = (iso: string) => libelleDate(parisDateOf(new Date(iso)));
  if (!autorisations[action].roles.includes(qui.role)) return `Cette action est réservée à : ${autorisations[action].roles.map(libelleActeur).join(', ')}.`;
  if (action === 'avis-origine' && etat.modalite !== 'individuel') return "Pas d'avis d'origine pour une séance d'information collective.";
  if (action === 'confirmation-famille' && etat.confirmationFamille) return `La confirmation de la famille est enregistrée depuis le ${depuis(etat.confirmationFamille.le)}.`;
  if (action === 'saisie-affelnet' && etat.etape === 'confirmation_attendue') {
    if (etat.saisieAffelnet) return `La saisie AFFELNET est enregistrée depuis le ${depuis(etat.saisieAffelnet.le)}.`;
    if (!etat.confirmationFamille) return "La famille doit d'abord confirmer le choix de l'élève.";
    return `La saisie AFFELNET ouvre le ${libelleDate(campagne.calendrier.ouvertureAffelnet)}.`;
  }
  return `${formulaires[action]!.titre(etat)} : cette action n'est pas possible à l'étape « ${libellesEtape[etat.etape]} ».`;
}

function vueDossier(etat: CandidatureState, qui: Appelant) {
  const campagne = campagnes[etat.campagneId];
  const voeux = voeuxParRang(etat);
  const entretien = etat.entretien && presenterEntretien(etat.entretien);
  const statutsEntretien = { planifie: 'Planifié', tenu: 'Tenu', absent: 'Élève absent', annule: 'Annulé' };
  const echeances = [
    { libelle: 'Prochaine échéance', valeur: etat.prochaineEcheance ? libelleEcheance(new Date(etat.prochaineEcheance)) : '—' },
    { libelle: 'Fin des inscriptions', valeur: libelleEcheance(new Date(etat.echeances.inscription)) },
    { libelle: 'Fin des entretiens', valeur: libelleEcheance(new Date(etat.echeances.entretiens)) },
    ...(etat.echeances.compteRendu ? [{ libelle: 'Compte rendu attendu avant le', valeur: libelleEcheance(new Date(etat.echeances.compteRendu)) }] : []),
    { libelle: 'Confirmation et saisie AFFELNET avant le', valeur: libelleEcheance(new Date(etat.echeances.affelnet)) },
  ];
  return {
    eleve: nomEleve(etat),
    etape: { label: libellesEtape[etat.etape], type: badgeEtape[etat.etape] },
    campagne: campagne.libelle,
    domaine: etat.domaine.libelle,
    lycee: libelleEtablissement(etat.uaiAccueil),
    infos: [
      { libelle: 'INE', valeur: etat.eleve.ine },
      { libelle: 'Niveau', valeur: etat.eleve.niveau },
      { libelle: 'Collège', valeur: libelleEtablissement(etat.eleve.uaiOrigine) },
      { libelle: 'Personne référente', valeur: `${etat.eleve.referentNom} (${etat.eleve.referentEmail})` },
      { libelle: "Lycée d'accueil", valeur: libelleEtablissement(etat.uaiAccueil) },
      { libelle: 'Modalité', valeur: etat.modalite === 'individuel' ? 'Entretien individuel' : "Séance collective d'information" },
    ],
    voeux: {
      caption: `Vœux du domaine ${etat.domaine.libelle} et leurs avis`,
      headers: ['Rang', 'Formation', "Avis d'origine", "Avis d'accueil", 'Avis final', 'Bonus'],
      rows: voeux.map((v) => [
        { text: String(v.rang) },
        { text: `${v.libelle} (${v.codeFormation})${v.ajouteEnEntretien ? " — ajouté à l'entretien" : ''}` },
        { text: v.avisOrigine ? `${libelleAvisOuTiret(v.avisOrigine.avis)} — « ${v.avisOrigine.commentaire} »` : '—' },
        { text: libelleAvisOuTiret(v.avisAccueil?.avis) },
        { text: libelleAvisOuTiret(v.avisFinal) },
        { text: v.bonus === null ? '—' : `${v.bonus} points` },
      ]),
      empty: 'Aucun vœu.',
    },
    entretien: entretien && {
      infos: [
        { libelle: 'Date', valeur: `${entretien.dateLibelle} à ${entretien.heure}` },
        { libelle: 'Mode', valeur: entretien.distanciel ? 'Distanciel (à distance)' : 'Présentiel (sur place)' },
        { libelle: entretien.distanciel ? 'Lien de connexion' : 'Lieu', valeur: entretien.lieu },
        { libelle: 'Statut', valeur: statutsEntretien[etat.entretien!.statut] },
        ...(etat.entretien!.derogation ? [{ libelle: 'Dérogation au calendrier', valeur: etat.entretien!.motifDerogation ?? 'oui' }] : []),
        { libelle: 'Planifié par', valeur: `${etat.entretien!.planifiePar.nom} (${libelleActeur(etat.entretien!.planifiePar.role)})` },
      ],
    },
    compteRendu: etat.compteRendu && {
      paragraphes: etat.compteRendu.texte.split(/\n+/),
      par: `${etat.compteRendu.par.nom}, le ${horodatage(etat.compteRendu.le)}`,
      enRetard: etat.compteRendu.enRetard,
    },
    echeances,
    retards: etat.retards.map((r) => libellesRetard[r]),
    historique: {
      caption: 'Historique de la candidature',
      headers: ['Date', 'Événement', 'Par', 'Rôle'],
      rows: [...etat.historique].reverse().map((h) => [{ text: horodatage(h.survenuLe) }, { text: libelleEvenement(h.type) }, { text: h.acteur.nom }, { text: libelleActeur(h.acteur.role) }]),
      empty: 'Aucun événement.',
    },
    actions: actionsOffertes(etat, qui).map((a) => ({ ...lienAction(etat, a), kind: a === 'desistement' || a === 'annulation-entretien' ? 'secondary' : undefined })),
  };
}

/** Puts a refusal on the field it names (its schema path, else its message), or at the top of the form. */
function placerRefus(champs: Champ[], refus: { message: string; champ?: string }, valeurs: Valeurs) {
  const message = refus.message.replace(/^body\.\S+ : /, '');
  const champ = refus.champ
    ? champs.find((c) => c.chemins.some((p) => refus.champ === p || refus.champ!.startsWith(`${p}.`)))
    : champs.find((c) => c.refus?.test(message));
  if (!champ) return { champs, general: message, erreurs: [] };
  const error = refus.champ !== undefined && estVide(champ, valeurs) ? messageVide(champ) : message.charAt(0).toUpperCase() + message.slice(1);
  return placerErreurs(champs, new Map([[champ, error]]));
}

const estVide = (champ: Champ, valeurs: Valeurs) => liste(valeurs, champ.name).every((v) => !v.trim());
const messageVide = (champ: Champ) => champ.vide ?? 'Ce champ est obligatoire.';

/** Each error on its field, and in the summary with the field's name: "Ce champ est obligatoire" alone would not say which. */
function placerErreurs(champs: Champ[], erreurs: Map<Champ, string>) {
  return {
    champs: champs.map((c) => (erreurs.has(c) ? { ...c, error: erreurs.get(c) } : c)),
    general: undefined,
    erreurs: [...erreurs].map(([c, error]) => ({ id: c.id, message: `${String(c.label ?? c.legend)} : ${error.charAt(0).toLowerCase()}${error.slice(1)}` })),
  };
}

/** The required fields left empty, all said at once (the schema would name only the first). */
function champsVides(champs: Champ[], valeurs: Valeurs) {
  const vides = champs.filter((c) => c.required === true && estVide(c, valeurs));
  return vides.length > 0 ? placerErreurs(champs, new Map(vides.map((c) => [c, messageVide(c)]))) : undefined;
}

export function routesDossier(router: Router, deps: EspaceDeps): void {
  const { prisma } = deps.db;

  router.get(
    '/dossiers/:id',
    page(async (p) => {
      const etat = await lire(deps, p);
      if (!etat) return;
      const fait = typeof p.req.query.fait === 'string' && p.req.query.fait in libellesFait ? (p.req.query.fait as Action) : undefined;
      const alertes: Alerte[] = fait ? [{ type: 'success', title: libellesFait[fait] }] : [];
      p.rendre('dossier', { titre: `${nomEleve(etat)} — ${etat.domaine.libelle}`, fil: [{ libelle: nomEleve(etat) }], alertes, ...vueDossier(etat, p.qui) });
    }),
  );

  /**
   * The form of an action: as recorded, or again with what was entered and the required fields left empty
   * (`refus` absent) or the refusal (`refus`) on their fields.
   */
  async function rendreFormulaire(p: Page, etat: CandidatureState, action: Action, valeurs: Valeurs, refus?: { status: number; message: string; champ?: string }) {
    const formulaire = formulaires[action]!;
    const ctx = { etat, qui: p.qui, prisma };
    const tous = await formulaire.champs(ctx, valeurs);
    const vides = refus || Object.keys(valeurs).length === 0 ? undefined : champsVides(tous, valeurs);
    const place = refus ? placerRefus(tous, refus, valeurs) : (vides ?? { champs: tous, general: undefined, erreurs: [] });
    const erreurs = [...place.erreurs, ...(place.general ? [{ id: 'formulaire', message: place.general }] : [])];
    const titre = formulaire.titre(etat);
    p.rendre(
      'dossier-action',
      {
        titre: `${titre} — ${nomEleve(etat)}`,
        fil: [{ libelle: nomEleve(etat), href: lien(etat.id) }, { libelle: titre }],
        h1: titre,
        eleve: `${nomEleve(etat)} — ${etat.domaine.libelle}`,
        intro: formulaire.intro,
        action: lien(etat.id, `/${action}`),
        retour: lien(etat.id),
        bouton: formulaire.bouton,
        resume: erreurs.length > 0 ? resumeErreurs(erreurs) : undefined,
        general: place.general,
        champs: place.champs.map((c) => ({ [c.partial]: c })),
      },
      refus?.status ?? (vides ? 400 : 200),
    );
  }

  /** The action of the path and the candidature, or null once the 404 page has been answered. */
  async function actionEtEtat(p: Page): Promise<{ action: Action; etat: CandidatureState } | null> {
    const nom = String(p.req.params.action);
    if (!Object.hasOwn(formulaires, nom)) {
      introuvable(p.rendre);
      return null;
    }
    const etat = await lire(deps, p);
    return etat && { action: nom as Action, etat };
  }

  router.get(
    '/dossiers/:id/:action',
    page(async (p) => {
      const cible = await actionEtEtat(p);
      if (!cible) return;
      const { action, etat } = cible;
      if (!actionsOffertes(etat, p.qui).includes(action)) {
        p.rendre('dossier-action-impossible', { titre: 'Action impossible', fil: [{ libelle: nomEleve(etat), href: lien(etat.id) }, { libelle: 'Action impossible' }], retour: lien(etat.id), raison: pourquoiIndisponible(action, etat, p.qui) }, autorisations[action].roles.includes(p.qui.role) ? 409 : 403);
        return;
      }
      await rendreFormulaire(p, etat, action, {});
    }),
  );

  router.post(
    '/dossiers/:id/:action',
    page(async (p) => {
      const cible = await actionEtEtat(p);
      if (!cible) return;
      const { action, etat } = cible;
      const valeurs = p.req.body as Valeurs;
      const formulaire = formulaires[action]!;
      const ctx = { etat, qui: p.qui, prisma };
      if (champsVides(await formulaire.champs(ctx, valeurs), valeurs)) {
        await rendreFormulaire(p, etat, action, valeurs);
        return;
      }
      try {
        const saisie = parse(formulaire.schema, await formulaire.saisie(valeurs, ctx), 'body');
        await deps.candidatures.agir(p.qui, etat.id, action, saisie as never);
      } catch (error) {
        const refus = refusDeFormulaire(error);
        // The form shows the state the refusal was given on (another person may have acted meanwhile).
        await rendreFormulaire(p, await deps.candidatures.etatVisible(etat.id, p.qui), action, valeurs, refus);
        return;
      }
      p.res.redirect(303, `${lien(etat.id)}?fait=${action}`);
    }),
  );
}

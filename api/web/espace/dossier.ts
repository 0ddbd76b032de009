// A candidature's page, for everyone in scope, and the forms of the actions its reader may take. One handler
// serves every action's form: its fields come from a table (`formulaires`), its input is checked by the JSON
// route's zod schema, and it calls `agir` as the JSON route does, so a page gets the same refusals.
import type { Router } from 'express';
import type { z } from 'zod';
import type { Action } from '../../../domain/autorisations';
import { libelleDate, parisDateOf, parisTimeOf } from '../../../domain/calendar';
import type { CandidatureState } from '../../../domain/candidature';
import { campagnes } from '../../../domain/campaigns';
import { actionsPossibles } from '../../../domain/procedure';
import { libelleEtablissement } from '../../../presentation/etablissements';
import { libelleEcheance, presenterEntretien } from '../../../presentation/labels';
import { badgeEtape, libelleAvisOuTiret, libelleEvenement, libellesAction, libellesEtape, libellesFait, libellesRetard } from '../../../presentation/libelles';
import { libelleRole, optionsChoisies, resumeErreurs, type Alerte } from '../../../presentation/pages';
import type { Appelant } from '../../auth';
import { offresOuvertes } from '../../catalogue';
import { ApiError } from '../../errors';
import { candidatureIdParam, compteRenduSchema, constatEntretienSchema, desistementSchema, planificationSchema, sansCorpsSchema } from '../../schemas';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';
import type { PrismaClient } from '../../../platform/database';

type Valeurs = Record<string, string | string[] | undefined>;

/** One field of an action's form, as its partial reads it; `chemins`: the schema paths whose refusal it shows. */
interface Champ {
  partial: 'input' | 'textarea' | 'radios' | 'select' | 'checkbox';
  id: string;
  name: string;
  chemins: string[];
  /** Workflow refusals (no path) whose message matches are shown on this field. */
  refus?: RegExp;
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

const avisOptions = (echelle: readonly string[]) => echelle.map((a) => ({ value: a, label: libelleAvisOuTiret(a) }));

/** The formations of the candidature's domaine its lycée offers with its modality, not yet among its vœux. */
async function offresAAjouter({ etat, prisma }: Contexte) {
  const campagne = campagnes[etat.campagneId];
  const offres = await offresOuvertes(prisma, campagne.academie, { domaine: etat.domaine.code, codes: [] });
  const dejaDemandees = new Set(etat.voeux.map((v) => v.codeFormation));
  return offres.filter((o) => o.uai === etat.uaiAccueil && o.modalite === etat.modalite && o.formation.domaine.code === etat.domaine.code && !dejaDemandees.has(o.formation.code));
}

const formulaires: Partial<Record<Action, Formulaire>> = {
  entretien: {
    titre: (etat) => (etat.entretien ? "Modifier l'entretien" : "Planifier l'entretien"),
    intro: "La convocation part par courriel au collège et au référent de l'élève dès l'enregistrement.",
    bouton: 'Enregistrer et convoquer',
    schema: planificationSchema,
    champs: async ({ etat, qui }, v) => {
      const e = etat.entretien;
      const valeur = (nom: string, defaut: string | undefined) => (nom in v ? texte(v, nom) : defaut);
      const champs: Champ[] = [
        { partial: 'input', id: 'date', name: 'date', type: 'date', label: "Date de l'entretien", hint: 'Un jour ouvré de la période des entretiens', required: true, value: valeur('date', e?.date), chemins: ['date'], refus: /date|week-end|férié|passée|entretiens se tiennent/i },
        { partial: 'input', id: 'heure', name: 'heure', type: 'time', label: 'Heure', hint: 'Heure de Paris, au format HH:MM', required: true, value: valeur('heure', e?.heure), chemins: ['heure'], refus: /heure/i },
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
      const voeux = [...etat.voeux].sort((a, b) => a.rang - b.rang);
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
      const voeux = [...ctx.etat.voeux].sort((a, b) => a.rang - b.rang);
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

/** The actions offered now, those with a form here: what the page shows, and what a form may be opened for. */
const actionsOffertes = (etat: CandidatureState, qui: Appelant) =>
  actionsPossibles(etat, qui, new Date(), campagnes[etat.campagneId]).filter((a) => a in formulaires);

function vueDossier(etat: CandidatureState, qui: Appelant) {
  const campagne = campagnes[etat.campagneId];
  const voeux = [...etat.voeux].sort((a, b) => a.rang - b.rang);
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
    actions: actionsOffertes(etat, qui).map((a) => ({
      label: a === 'entretien' && etat.entretien ? "Modifier l'entretien" : libellesAction[a],
      href: lien(etat.id, `/${a}`),
      kind: a === 'desistement' ? 'secondary' : undefined,
    })),
  };
}

/** Puts a refusal on the field it names (its schema path, else its message), or at the top of the form. */
function placerRefus(champs: Champ[], refus: { message: string; champ?: string }, valeurs: Valeurs) {
  const message = refus.message.replace(/^body\.\S+ : /, '');
  const champ = refus.champ
    ? champs.find((c) => c.chemins.some((p) => refus.champ === p || refus.champ!.startsWith(`${p}.`)))
    : champs.find((c) => c.refus?.test(message));
  if (!champ) return { champs, general: message };
  const vide = refus.champ !== undefined && !String(valeurs[champ.name] ?? '').trim();
  const error = vide ? 'Ce champ est obligatoire.' : message.charAt(0).toUpperCase() + message.slice(1);
  // The summary names the field: "Ce champ est obligatoire" alone would not say which.
  const nom = String(champ.label ?? champ.legend);
  return { champs: champs.map((c) => (c === champ ? { ...c, error } : c)), general: undefined, erreur: { id: champ.id, message: `${nom} : ${error.charAt(0).toLowerCase()}${error.slice(1)}` } };
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

  /** The form of an action: empty, or again with what was entered and the refusal on its field. */
  async function rendreFormulaire(p: Page, etat: CandidatureState, action: Action, valeurs: Valeurs, refus?: { status: number; message: string; champ?: string }) {
    const formulaire = formulaires[action]!;
    const ctx = { etat, qui: p.qui, prisma };
    const tous = await formulaire.champs(ctx, valeurs);
    const place = refus ? placerRefus(tous, refus, valeurs) : { champs: tous, general: undefined, erreur: undefined };
    const erreurs = [...(place.erreur ? [place.erreur] : []), ...(place.general ? [{ id: 'formulaire', message: place.general }] : [])];
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
      refus?.status ?? 200,
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
        p.rendre('dossier-action-impossible', { titre: 'Action impossible', fil: [{ libelle: nomEleve(etat), href: lien(etat.id) }, { libelle: 'Action impossible' }], retour: lien(etat.id), etape: libellesEtape[etat.etape] }, 409);
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
      try {
        const saisie = parse(formulaire.schema, await formulaire.saisie(valeurs, { etat, qui: p.qui, prisma }), 'body');
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

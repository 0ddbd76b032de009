// The collège's pages (origine): its candidatures (each with the actions of its page, api/web/espace/dossier.ts),
// inscription, class list import, fiches. Each form calls the function its JSON route calls (api/candidatures.ts, api/import.ts),
// validated by the same schema, and shows the refusal on its field with the values entered kept.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { Campagne } from '../../../domain/campaign';
import { campagnes } from '../../../domain/campaigns';
import type { CandidatureState } from '../../../domain/candidature';
import { ouvertureInscriptions } from '../../../domain/deadlines';
import { niveaux } from '../../../domain/eligibility';
import { academieOfUai } from '../../../domain/identifiers';
import { libelleDate, parisDateOf } from '../../../domain/calendar';
import { badgeEtape, badgeRetard, idDuChamp, libelleEncodage, messageDuChamp, optionsEtapes, resultatsImport } from '../../../presentation/college';
import { libelleEtablissement } from '../../../presentation/etablissements';
import { libelleEcheance } from '../../../presentation/labels';
import { optionsChoisies, pagination, resumeErreurs, type ErreurChamp } from '../../../presentation/pages';
import { filtrePerimetre, type Appelant } from '../../auth';
import { offresOuvertes } from '../../catalogue';
import { ApiError } from '../../errors';
import { documentFiches, envoyerFiches } from '../../fiches';
import { colonnesImport, importerCsv, LIMITE_IMPORT } from '../../import';
import { importsParEtablissement, limiteur } from '../../limites';
import { listerCandidatures } from '../../reads';
import { inscriptionSchema, listeQuery } from '../../schemas';
import { parse } from '../../validation';
import { page, refusDeFormulaire, type EspaceDeps, type Page } from '../espace';
import { actionsOffertes, lienAction } from './dossier';

type Formulaire = Record<string, string | string[] | undefined>;

const champTexte = (f: Formulaire, nom: string): string => {
  const v = f[nom];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const champListe = (f: Formulaire, nom: string): string[] => {
  const v = f[nom];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const lienDossier = (id: string) => `/dossiers/${encodeURIComponent(id)}`;

/**
 * The campaign a school works in: of its académie, the latest whose inscriptions have opened (once they
 * close, a collège's inscription refuses with the date, which says more than an empty page).
 */
export function campagneDeLEtablissement(uai: string, now = new Date()): Campagne | undefined {
  const academie = academieOfUai(uai);
  return Object.values(campagnes)
    .filter((c) => c.academie === academie && ouvertureInscriptions(c).getTime() <= now.getTime())
    .sort((a, b) => ouvertureInscriptions(b).getTime() - ouvertureInscriptions(a).getTime())[0];
}

/** An error of a form's field; `libelle` names the field in the summary at the top. */
interface ErreurDuChamp extends ErreurChamp {
  libelle?: string;
}

interface RefusAffiche {
  status: number;
  parChamp: Record<string, string>;
  general?: string;
  resume?: ReturnType<typeof resumeErreurs>;
}

function refusAffiche(status: number, erreurs: readonly ErreurDuChamp[], general?: string): RefusAffiche {
  return {
    status,
    parChamp: Object.fromEntries(erreurs.map((e) => [e.id, e.message])),
    general,
    resume: erreurs.length > 0 ? resumeErreurs(erreurs.map((e) => ({ id: e.id, message: e.libelle ? `${e.libelle} : ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}` : e.message }))) : undefined,
  };
}

/** The required fields left empty, all said at once: the schema would name only the first. */
class ChampsVides extends Error {
  constructor(readonly erreurs: ErreurDuChamp[]) {
    super('champs obligatoires vides');
  }
}

function exigerRemplis(champs: { id: string; libelle: string; valeur: string | string[]; message?: string }[]): void {
  const vides = champs.filter((c) => (Array.isArray(c.valeur) ? c.valeur.length === 0 : c.valeur.trim() === ''));
  if (vides.length > 0) throw new ChampsVides(vides.map((c) => ({ id: c.id, libelle: c.libelle, message: c.message ?? 'Ce champ est obligatoire' })));
}

/** A refused form: its message on the field it names (`idDe` maps a refusal's field to a field of this form), else at the top. */
function erreursDuRefus(error: unknown, idDe: (champ: string) => string | undefined): RefusAffiche {
  if (error instanceof ChampsVides) return refusAffiche(400, error.erreurs);
  const refus = refusDeFormulaire(error);
  const id = refus.champ ? idDe(refus.champ) : undefined;
  const message = messageDuChamp(refus.message, refus.champ);
  return id ? refusAffiche(refus.status, [{ id, message }]) : refusAffiche(refus.status, [], message);
}


export function routesCollege(router: Router, deps: EspaceDeps): void {
  const { prisma } = deps.db;

  // ---- the list ----
  router.get(
    '/college/candidatures',
    page(async ({ req, qui, rendre }) => {
      const brut = Object.fromEntries(Object.entries(req.query).filter(([cle, v]) => cle !== 'fait' && v !== ''));
      let query: z.infer<typeof listeQuery>;
      let refus: string | undefined;
      try {
        query = parse(listeQuery, brut, 'query');
      } catch (error) {
        refus = erreursDuRefus(error, () => undefined).general;
        query = parse(listeQuery, {}, 'query');
      }
      const [liste, domaines] = await Promise.all([
        listerCandidatures(prisma, qui, query),
        prisma.candidature.findMany({ where: filtrePerimetre(qui), distinct: ['domaine'], select: { domaine: true, domaineLibelle: true }, orderBy: { domaine: 'asc' } }),
      ]);
      const etats = await prisma.candidature.findMany({ where: { id: { in: liste.elements.map((e) => e.id) } }, select: { id: true, etat: true } });
      const etatDe = new Map(etats.map((e) => [e.id, e.etat as CandidatureState | null]));
      const lignes = liste.elements.map((c) => {
        const etat = etatDe.get(c.id);
        const actions = etat ? actionsOffertes(etat, qui).map((a) => lienAction(etat, a)) : [];
        return {
          lien: lienDossier(c.id),
          eleve: `${c.eleve.prenom} ${c.eleve.nom}`,
          ine: c.eleve.ine,
          domaine: c.domaine.libelle ?? c.domaine.code,
          lycee: libelleEtablissement(c.uaiAccueil),
          etape: badgeEtape(c.etape),
          echeance: c.echeance ? libelleEcheance(new Date(c.echeance)) : '—',
          retard: badgeRetard(c.enRetard, c.retards),
          actions,
        };
      });
      const nombrePages = Math.max(1, Math.ceil(liste.total / liste.taille));
      const filtres = { etape: query.etape, domaine: query.domaine, enRetard: query.enRetard ? 'true' : undefined, q: query.q };
      const href = (n: number) => {
        const p = new URLSearchParams(Object.entries(filtres).filter((e): e is [string, string] => e[1] !== undefined));
        p.set('page', String(n));
        return `/college/candidatures?${p.toString()}`;
      };
      const alertes = [
        ...(req.query.fait === 'inscription' ? [{ type: 'success' as const, title: "L'élève est inscrit", message: 'Sa candidature figure ci-dessous.' }] : []),
        ...(refus ? [{ type: 'error' as const, title: 'Filtre invalide', message: refus }] : []),
      ];
      rendre('college-candidatures', {
        titre: 'Candidatures',
        fil: [{ libelle: 'Candidatures' }],
        alertes,
        filtres,
        etapes: optionsChoisies([{ value: '', label: 'Toutes les étapes' }, ...optionsEtapes], query.etape ?? ''),
        domaines: optionsChoisies([{ value: '', label: 'Tous les domaines' }, ...domaines.map((d) => ({ value: d.domaine, label: d.domaineLibelle ?? d.domaine }))], query.domaine ?? ''),
        enRetard: query.enRetard === true,
        lignes,
        total: liste.total,
        pluriel: liste.total > 1,
        pagination: nombrePages > 1 ? pagination(liste.page, nombrePages, href) : undefined,
      });
    }),
  );

  // ---- inscription: the domaine first (a GET), then the pupil, the formations and the lycée ----
  async function formulaireInscription({ qui, rendre }: Page, domaine: string | undefined, saisie: Formulaire, refus?: RefusAffiche) {
    const campagne = campagneDeLEtablissement(qui.uai!);
    const offres = campagne ? await offresOuvertes(prisma, campagne.academie) : [];
    const domaines = [...new Map(offres.map((o) => [o.formation.domaine.code, o.formation.domaine.libelle])).entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr'));
    const choisi = domaines.find((d) => d.value === domaine);
    const duDomaine = offres.filter((o) => o.formation.domaine.code === choisi?.value);
    const formationsChoisies = new Set(champListe(saisie, 'formations'));
    const formations = [...new Map(duDomaine.map((o) => [o.formation.code, o.formation])).values()].map((f, i) => ({
      id: `formations-${i}`,
      value: f.code,
      label: f.libelle,
      hint: `${f.mnemonique} — ${duDomaine.filter((o) => o.formation.code === f.code).map((o) => o.etablissement.nom).join(', ')}`,
      checked: formationsChoisies.has(f.code),
    }));
    const lycees = [...new Map(duDomaine.map((o) => [`${o.uai}|${o.modalite}`, o])).values()].map((o) => ({
      value: `${o.uai}|${o.modalite}`,
      label: `${o.etablissement.nom} (${o.etablissement.commune}) — ${o.modalite === 'individuel' ? 'entretien individuel' : "séance d'information collective"}`,
      hint: `Formations : ${duDomaine.filter((d) => d.uai === o.uai && d.modalite === o.modalite).map((d) => d.formation.libelle).join(' ; ')}`,
    }));
    const erreur = (id: string) => refus?.parChamp[id];
    const valeur = (nom: string) => champTexte(saisie, nom) || undefined;
    rendre(
      'college-inscrire',
      {
        titre: 'Inscrire un élève',
        fil: [{ libelle: 'Inscrire un élève' }],
        alertes: [
          ...(campagne ? [] : [{ type: 'warning' as const, title: 'Aucune campagne', message: "Aucune campagne de votre académie n'a ouvert ses inscriptions." }]),
          ...(refus?.general ? [{ type: 'error' as const, title: 'Inscription refusée', message: refus.general }] : []),
        ],
        campagne: campagne?.libelle,
        finInscriptions: campagne ? libelleDate(campagne.calendrier.finInscriptions) : undefined,
        resume: refus?.resume,
        domaine: { id: 'domaine', name: 'domaine', label: 'Domaine', options: optionsChoisies(domaines, choisi?.value), value: choisi?.value, placeholder: 'Choisir un domaine', required: true },
        choisi,
        champs: {
          ine: { id: 'eleve-ine', name: 'ine', label: 'INE', hint: 'Identifiant national élève, 11 caractères (ex. 123456789AB)', value: valeur('ine'), error: erreur('eleve-ine'), required: true },
          nom: { id: 'eleve-nom', name: 'nom', label: 'Nom', value: valeur('nom'), error: erreur('eleve-nom'), required: true },
          prenom: { id: 'eleve-prenom', name: 'prenom', label: 'Prénom', value: valeur('prenom'), error: erreur('eleve-prenom'), required: true },
          niveau: {
            id: 'eleve-niveau',
            name: 'niveau',
            label: 'Niveau',
            options: optionsChoisies(niveaux.filter((n) => n.eligible).map((n) => ({ value: n.code, label: n.libelle })), valeur('niveau')),
            value: valeur('niveau'),
            placeholder: 'Choisir le niveau',
            error: erreur('eleve-niveau'),
            required: true,
          },
          referentNom: { id: 'eleve-referentNom', name: 'referentNom', label: 'Nom de la personne référente', hint: 'Professeur principal ou autre adulte qui suit l’élève', value: valeur('referentNom'), error: erreur('eleve-referentNom'), required: true },
          referentEmail: {
            id: 'eleve-referentEmail',
            name: 'referentEmail',
            label: 'Courriel académique de la personne référente',
            hint: campagne ? `Adresse en ${campagne.domainesCourriel.map((d) => `@${d}`).join(', ')} : elle reçoit les convocations` : undefined,
            type: 'email',
            value: valeur('referentEmail'),
            error: erreur('eleve-referentEmail'),
            required: true,
          },
        },
        formations,
        erreurFormations: erreur('formations'),
        lycees: {
          id: 'lycee',
          name: 'lycee',
          legend: "Lycée d'accueil",
          hint: "L'entretien unique du domaine a lieu dans ce lycée : il doit proposer les formations cochées",
          options: optionsChoisies(lycees, valeur('lycee')).map((o, i) => ({ ...o, hint: lycees[i].hint })),
          error: erreur('lycee'),
          required: true,
        },
      },
      refus?.status,
    );
  }

  /** The fields of the inscription body, on this form. */
  const idInscription = (champ: string): string | undefined => {
    if (champ === 'uaiAccueil' || champ === 'modalite') return 'lycee';
    if (champ.startsWith('voeux')) return 'formations';
    if (champ.startsWith('eleve.') && champ !== 'eleve.uaiOrigine') return idDuChamp(champ);
    return undefined;
  };

  router.get(
    '/college/inscrire',
    page(async (p) => formulaireInscription(p, typeof p.req.query.domaine === 'string' ? p.req.query.domaine : undefined, {})),
  );

  router.post(
    '/college/inscrire',
    page(async (p) => {
      const f = p.req.body as Formulaire;
      const domaine = champTexte(f, 'domaine');
      const campagne = campagneDeLEtablissement(p.qui.uai!);
      try {
        if (!campagne) throw new ApiError(409, 'inscriptions_closes', "aucune campagne de votre académie n'a ouvert ses inscriptions");
        const offres = await offresOuvertes(prisma, campagne.academie);
        exigerRemplis([
          { id: 'eleve-ine', libelle: 'INE', valeur: champTexte(f, 'ine') },
          { id: 'eleve-nom', libelle: 'Nom', valeur: champTexte(f, 'nom') },
          { id: 'eleve-prenom', libelle: 'Prénom', valeur: champTexte(f, 'prenom') },
          { id: 'eleve-niveau', libelle: 'Niveau', valeur: champTexte(f, 'niveau'), message: 'Choisissez le niveau de l’élève' },
          { id: 'eleve-referentNom', libelle: 'Personne référente', valeur: champTexte(f, 'referentNom') },
          { id: 'eleve-referentEmail', libelle: 'Courriel de la personne référente', valeur: champTexte(f, 'referentEmail') },
          { id: 'formations', libelle: 'Formations', valeur: champListe(f, 'formations'), message: 'Cochez au moins une formation' },
          { id: 'lycee', libelle: "Lycée d'accueil", valeur: champTexte(f, 'lycee'), message: "Choisissez le lycée d'accueil" },
        ]);
        const [uaiAccueil, modalite] = champTexte(f, 'lycee').split('|');
        const libelleFormation = (code: string) => offres.find((o) => o.formation.code === code)?.formation.libelle ?? code;
        const corps = parse(
          inscriptionSchema,
          {
            campagneId: campagne.id,
            eleve: {
              ine: champTexte(f, 'ine').trim().toUpperCase(),
              nom: champTexte(f, 'nom'),
              prenom: champTexte(f, 'prenom'),
              niveau: champTexte(f, 'niveau'),
              uaiOrigine: p.qui.uai,
              referentNom: champTexte(f, 'referentNom'),
              referentEmail: champTexte(f, 'referentEmail').trim(),
            },
            domaine: { code: domaine, libelle: offres.find((o) => o.formation.domaine.code === domaine)?.formation.domaine.libelle ?? domaine },
            modalite: modalite ?? '',
            uaiAccueil: uaiAccueil ?? '',
            voeux: champListe(f, 'formations').map((code) => ({ codeFormation: code, libelle: libelleFormation(code) })),
          },
          'body',
        );
        await deps.candidatures.inscrire(p.qui, corps);
        p.res.redirect(303, `/college/candidatures?${new URLSearchParams({ q: corps.eleve.ine, fait: 'inscription' }).toString()}`);
      } catch (error) {
        await formulaireInscription(p, domaine, f, erreursDuRefus(error, idInscription));
      }
    }),
  );

  // ---- the class list import ----
  const pageImport = (p: Page, donnees: Record<string, unknown> = {}, status?: number) =>
    p.rendre(
      'college-importer',
      {
        titre: 'Importer une liste',
        fil: [{ libelle: 'Importer une liste' }],
        campagne: campagneDeLEtablissement(p.qui.uai!)?.libelle,
        colonnes: colonnesImport.map((c) => ({ nom: c.nom, description: c.description })),
        entete: colonnesImport.map((c) => c.nom).join(';'),
        ...donnees,
      },
      status,
    );

  router.get('/college/importer', page(async (p) => pageImport(p)));

  // The body is read first (multipart: the file and the CSRF token), then the token checked as any form's.
  const [, verifierCsrf] = deps.web.exigerCsrf;
  const lireEnvoi = async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!Buffer.isBuffer(req.body) || !req.is('multipart/form-data')) {
        req.body = {};
        return verifierCsrf(req, res, next);
      }
      const formulaire = await new Response(new Uint8Array(req.body), { headers: { 'content-type': req.get('content-type')! } }).formData();
      const fichier = formulaire.get('fichier');
      res.locals.fichier = fichier instanceof Blob && fichier.size > 0 ? Buffer.from(await fichier.arrayBuffer()) : undefined;
      req.body = { _csrf: formulaire.get('_csrf') };
      verifierCsrf(req, res, next);
    } catch (error) {
      next(error);
    }
  };

  router.post(
    '/college/importer',
    limiteur(importsParEtablissement(deps.imports.importsParHeure ?? 0)),
    express.raw({ type: 'multipart/form-data', limit: '1mb' }),
    lireEnvoi,
    page(async (p) => {
      const octets = p.res.locals.fichier as Buffer | undefined;
      const campagne = campagneDeLEtablissement(p.qui.uai!);
      try {
        if (!octets) throw new ApiError(400, 'fichier_manquant', 'choisissez un fichier CSV à importer', 'body.fichier');
        if (octets.length > parseInt(LIMITE_IMPORT, 10) * 1024) throw new ApiError(413, 'fichier_trop_gros', `fichier trop gros : au plus ${LIMITE_IMPORT.replace('kb', ' ko')}`, 'body.fichier');
        if (!campagne) throw new ApiError(409, 'inscriptions_closes', "aucune campagne de votre académie n'a ouvert ses inscriptions");
        const { status, rapport, erreur } = await importerCsv(deps.imports, p.qui, campagne.id, octets);
        const lignes = rapport.lignes.map((l) => ({
          ...l,
          resultat: { ...(resultatsImport[l.resultat] ?? { label: l.resultat }), small: true },
          erreurs: (l.erreurs ?? []).map((e) => ({ colonne: e.champ, message: messageDuChamp(e.message, e.champ) })),
          lien: l.candidature && (l.resultat === 'inscrite' || l.resultat === 'deja_inscrite') ? lienDossier(l.candidature) : undefined,
        }));
        pageImport(
          p,
          {
            alertes: [
              erreur
                ? { type: 'error', title: 'Import refusé', message: messageDuChamp(erreur.message, undefined) }
                : { type: 'success', title: 'Import terminé', message: `${rapport.inscrites} candidature${rapport.inscrites > 1 ? 's' : ''} inscrite${rapport.inscrites > 1 ? 's' : ''} sur ${rapport.candidatures}.` },
            ],
            rapport: { ...rapport, encodage: libelleEncodage(rapport.encodage), lignes },
          },
          status >= 400 ? status : 200,
        );
      } catch (error) {
        const refus = erreursDuRefus(error, (champ) => (champ === 'fichier' || champ === 'body' ? 'fichier' : undefined));
        pageImport(p, { resume: refus.resume ?? resumeErreurs([{ id: 'fichier', message: refus.general! }]), erreurFichier: refus.parChamp.fichier ?? refus.general }, refus.status);
      }
    }),
  );

  // ---- fiches ----
  /** The collège's pupils with a ready fiche: per campaign and pupil, their candidatures (recensements aside). */
  async function fichesPretes(qui: Appelant, ine?: string) {
    const lignes = await prisma.candidature.findMany({
      where: { AND: [filtrePerimetre(qui), { etape: { not: 'recensement' }, ine }] },
      select: { id: true, campagneId: true, ine: true, domaineLibelle: true, domaine: true, ficheRecapitulativeLe: true, eleve: { select: { nom: true, prenom: true } } },
      orderBy: [{ eleve: { nom: 'asc' } }, { eleve: { prenom: 'asc' } }, { createdAt: 'asc' }, { id: 'asc' }],
    });
    const parEleve = new Map<string, typeof lignes>();
    for (const l of lignes) parEleve.set(`${l.campagneId}\n${l.ine}`, [...(parEleve.get(`${l.campagneId}\n${l.ine}`) ?? []), l]);
    return [...parEleve.values()].filter((groupe) => groupe.some((l) => l.ficheRecapitulativeLe !== null));
  }

  const envoyerPdf = async (res: Response, qui: Appelant, groupes: Awaited<ReturnType<typeof fichesPretes>>, nom: string) => {
    const etats = await Promise.all(groupes.map((g) => Promise.all(g.map((l) => deps.candidatures.etatVisible(l.id, qui)))));
    envoyerFiches(res, await documentFiches(prisma, qui, 'pdf', etats), nom);
  };

  router.get(
    '/college/fiches',
    page(async ({ qui, rendre }) => {
      const groupes = await fichesPretes(qui);
      rendre('college-fiches', {
        titre: 'Fiches récapitulatives',
        fil: [{ libelle: 'Fiches' }],
        nombre: groupes.length,
        pluriel: groupes.length > 1,
        lignes: groupes.map((g) => {
          const pretes = g.flatMap((l) => (l.ficheRecapitulativeLe ? [l.ficheRecapitulativeLe] : [])).sort((a, b) => a.getTime() - b.getTime());
          return {
            eleve: `${g[0].eleve.prenom} ${g[0].eleve.nom}`,
            ine: g[0].ine,
            domaines: g.map((l) => l.domaineLibelle ?? l.domaine).join(', '),
            etablieLe: libelleDate(parisDateOf(pretes[pretes.length - 1])),
            lien: `/college/fiches/eleves/${encodeURIComponent(g[0].ine)}`,
          };
        }),
      });
    }),
  );

  router.get(
    '/college/fiches/toutes',
    page(async ({ qui, res, rendre }) => {
      const groupes = await fichesPretes(qui);
      if (groupes.length === 0) {
        rendre('college-erreur', { titre: 'Aucune fiche prête', message: "Aucune fiche récapitulative n'est encore prête : elles le sont dès que le lycée a saisi le compte rendu et les avis." }, 404);
        return;
      }
      await envoyerPdf(res, qui, groupes, `fiches-${qui.uai}`);
    }),
  );

  router.get(
    '/college/fiches/eleves/:ine',
    page(async ({ req, qui, res, rendre }) => {
      const groupes = (await fichesPretes(qui, String(req.params.ine))).slice(-1);
      if (groupes.length === 0) {
        rendre('college-erreur', { titre: 'Fiche introuvable', message: "Cet élève n'a pas de fiche récapitulative prête dans votre établissement." }, 404);
        return;
      }
      await envoyerPdf(res, qui, groupes, `fiche-${groupes[0][0].ine}`);
    }),
  );
}

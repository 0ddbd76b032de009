// `npm run demo [-- --pupils 60] [--graine N] [--quitter]`: a realistic campaign on the embedded stack.
// It starts the stack as `npm start` does (stop `npm start` first: same ports, same data/), loads the
// catalogue and campagnes (`npm run seed`), adds a campagne of its own dated around today (campagne.ts),
// then acts as the staff of collèges and lycées through the API, with their tokens: inscriptions, avis on
// time, late or never, interviews planned or not, absences, désistements, comptes rendus written or not,
// confirmations and AFFELNET entries. It waits for the day's reminder hour of its campagne, then prints
// what it did and the counts by step as it expects them, as the API's /statistiques gives them, and as
// Temporal's visibility counts them on the workflows' search attributes. The stack then keeps running
// (Temporal UI, mail catcher, API) until Ctrl-C, or stops at once with --quitter.
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { libelleTypeRappel } from '../../activities/digest';
import { emettreJeton, type RolePersonne } from '../../api/auth';
import { exportAffelnet } from '../../api/exports';
import { addDays, checkDateEntretien, parisDateOf, parisTimeOf } from '../../domain/calendar';
import { campagnes } from '../../domain/campaigns';
import { catalogue } from '../../domain/catalogue/index';
import { comptesDeveloppement, UAI_SAIO } from '../../platform/comptes-developpement';
import type { Running } from '../../runtime/app';
import type { Config } from '../../platform/config';
import { demarrerPile, ouSontLesParties, shutdown } from '../../runtime/stack';
import { parLots } from '../../platform/par-lots';
import { configOrExit, onShutdownSignal } from '../../runtime/process';
import { enregistrerCampagnes, seed } from '../../runtime/seed';
import type { CandidatureState, Etape } from '../../domain/candidature';
import { campagneKey, enRetardKey, etapeKey } from '../../workflows/search-attributes';
import { campagneDemo } from './campagne';
import { genererPopulation, type CandidatureDemo, type Scenario } from './population';

const usage = 'usage : npm run demo -- [--pupils 60] [--graine N] [--quitter]';
const MINUTE = 60_000;
/** Requests in flight at once: a few collèges and lycées working at the same time. */
const EN_PARALLELE = 8;
const ETAPES: readonly Etape[] = ['recensement', 'a_planifier', 'convoquee', 'compte_rendu_attendu', 'confirmation_attendue', 'cloturee', 'desistee'];

const minuteSuivante = (t: number) => Math.ceil(t / MINUTE) * MINUTE;
const attendre = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const heure = (t: number) => parisTimeOf(new Date(t));

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { pupils: { type: 'string', default: '60' }, graine: { type: 'string' }, quitter: { type: 'boolean', default: false } },
    strict: true,
  });
  const eleves = Number(values.pupils);
  const graine = values.graine === undefined ? undefined : Number(values.graine);
  if (!Number.isInteger(eleves) || eleves < 1 || eleves > 50_000) throw new Error(`--pupils : un entier de 1 à 50000 est attendu\n${usage}`);
  if (graine !== undefined && !Number.isInteger(graine)) throw new Error(`--graine : un entier est attendu\n${usage}`);
  return { eleves, graine, quitter: values.quitter };
}

/** Where each scenario leaves the candidature once the demo is done (and the reminder hour has passed). */
function etapeAttendue(c: CandidatureDemo): Etape {
  const parScenario: Record<Scenario, Etape> = {
    recensement: 'recensement',
    desistement_inscrite: 'desistee',
    non_planifiee: 'a_planifier',
    convoquee_demain: 'convoquee',
    desistement_convoquee: 'desistee',
    absente: c.modalite === 'individuel' ? 'confirmation_attendue' : 'cloturee',
    seance_suivie: 'cloturee',
    compte_rendu_attendu: 'compte_rendu_attendu',
    confirmation_attendue: 'confirmation_attendue',
    bonus: 'cloturee',
  };
  return parScenario[c.scenario];
}

/** Only the escalation of an unplanned interview is open at the end: the other latenesses were lifted. */
const retardAttendu = (c: CandidatureDemo) => c.scenario === 'non_planifiee';

async function enParallele<T>(elements: readonly T[], faire: (element: T) => Promise<void>): Promise<void> {
  await parLots(elements, EN_PARALLELE, faire);
}

function tableau(entetes: string[], lignes: (string | number)[][]): string {
  const largeurs = entetes.map((e, i) => Math.max(e.length, ...lignes.map((l) => String(l[i]).length)));
  const ligne = (cellules: (string | number)[]) =>
    cellules.map((c, i) => (typeof c === 'number' ? String(c).padStart(largeurs[i]) : c.padEnd(largeurs[i]))).join('  ');
  return [ligne(entetes), largeurs.map((l) => '─'.repeat(l)).join('  '), ...lignes.map(ligne)].join('\n');
}

async function demo(running: Running, config: Config, { eleves, graine, quitter }: ReturnType<typeof options>): Promise<boolean> {
  const prisma = running.db.prisma;
  const comptes = await seed(prisma);
  console.log(`catalogue et campagnes chargés : ${Object.entries(comptes).map(([table, n]) => `${n} ${table}`).join(', ')}`);

  // Each run its own campagne, so that its counts are its own: demo-0001, demo-0002…
  const numero = (await prisma.campagne.count({ where: { id: { startsWith: 'demo-' } } })) + 1;
  const id = `demo-${String(numero).padStart(4, '0')}`;
  // The reminder hour falls once the first phases are through: about two minutes, more for a large run.
  const heureRappels = minuteSuivante(Date.now() + Math.max(2 * MINUTE, eleves * 400));
  const campagne = campagneDemo(id, new Date(heureRappels));
  // The API accepts the campagnes of domain/campaigns; the demo's, made for today, joins them in this process.
  campagnes[id] = campagne;
  await enregistrerCampagnes(prisma, [campagne]);
  const aujourdhui = campagne.calendrier.finInscriptions;
  const { colleges, candidatures } = genererPopulation(catalogue, eleves, graine ?? numero);
  console.log(
    [
      '',
      `Campagne ${id} : ${campagne.libelle}`,
      `  ${eleves} élèves de ${colleges.length} collèges, ${candidatures.length} candidatures dans ${new Set(candidatures.map((c) => c.domaine.code)).size} domaines`,
      `  rappels et escalades du jour à ${campagne.delais.heureRappels} (heure de Paris) ; inscriptions et échéance AFFELNET : ce soir minuit`,
      '',
    ].join('\n'),
  );

  const jetons = new Map<string, Promise<string>>();
  const jeton = (role: RolePersonne, uai: string | null) => {
    const cle = `${role}/${uai}`;
    if (!jetons.has(cle)) jetons.set(cle, emettreJeton(config.JWT_SECRET, { role, uai, nom: role === 'saio' ? 'SAIO (démo)' : `Démo ${role} ${uai}` }, '8h'));
    return jetons.get(cle)!;
  };
  const echecs: string[] = [];
  const barre = new SingleBar({ format: '{bar} {value}/{total} actions | {phase}', hideCursor: true }, Presets.shades_classic);

  async function appeler<T>(role: RolePersonne, uai: string | null, methode: 'GET' | 'POST', chemin: string, corps?: unknown): Promise<T> {
    const res = await fetch(`${running.url}${chemin}`, {
      method: methode,
      headers: { authorization: `Bearer ${await jeton(role, uai)}`, ...(corps === undefined ? {} : { 'content-type': 'application/json' }) },
      body: corps === undefined ? undefined : JSON.stringify(corps),
    });
    const json = (await res.json()) as T & { erreur?: { code: string; message: string } };
    if (!res.ok) throw new Error(`${methode} ${chemin} → ${res.status} ${json.erreur?.code} : ${json.erreur?.message}`);
    return json;
  }

  /** One staff action; a refusal is recorded and shown at the end (the counts will then disagree). */
  async function agir(c: CandidatureDemo, role: RolePersonne, action: string, corps: unknown = {}): Promise<CandidatureState | null> {
    const uai = role.startsWith('origine') ? c.eleve.uaiOrigine : c.uaiAccueil;
    try {
      return await appeler<CandidatureState>(role, uai, 'POST', `/candidatures/${encodeURIComponent(c.id!)}/${action}`, corps);
    } catch (error) {
      echecs.push(`${c.id} : ${(error as Error).message}`);
      return null;
    } finally {
      barre.increment();
    }
  }

  const individuel = (c: CandidatureDemo) => c.modalite === 'individuel';
  const est = (...liste: Scenario[]) => (c: CandidatureDemo) => liste.includes(c.scenario);
  const tenueAujourdhui = est('absente', 'seance_suivie', 'compte_rendu_attendu', 'confirmation_attendue', 'bonus');
  const inscrites = candidatures.filter((c) => c.scenario !== 'recensement');
  const planifiees = inscrites.filter(est('convoquee_demain', 'desistement_convoquee', 'absente', 'seance_suivie', 'compte_rendu_attendu', 'confirmation_attendue', 'bonus'));
  const avisATemps = inscrites.filter((c) => individuel(c) && c.avisOrigine === 'a_temps');
  const avisEnRetard = inscrites.filter((c) => individuel(c) && c.avisOrigine === 'en_retard' && tenueAujourdhui(c));
  const constatees = planifiees.filter(tenueAujourdhui);
  const comptesRendus = constatees.filter(est('confirmation_attendue', 'bonus'));
  const confirmees = constatees.filter(est('bonus'));
  const desistees = inscrites.filter(est('desistement_inscrite', 'desistement_convoquee'));
  barre.start(
    candidatures.length + avisATemps.length + planifiees.length + desistees.length + avisEnRetard.length + constatees.length + comptesRendus.length + 2 * confirmees.length,
    0,
    { phase: 'inscriptions' },
  );

  // Inscriptions (and recensements) by the collèges.
  await enParallele(candidatures, async (c) => {
    try {
      const etat = await appeler<CandidatureState>('origine_personnel', c.eleve.uaiOrigine, 'POST', '/candidatures', {
        campagneId: id,
        eleve: c.eleve,
        domaine: c.domaine,
        modalite: c.modalite,
        uaiAccueil: c.uaiAccueil,
        voeux: c.voeux,
        ...(c.scenario === 'recensement' ? { recensementSeulement: true } : {}),
      });
      c.id = etat.id;
    } catch (error) {
      echecs.push(`inscription ${c.eleve.ine} ${c.domaine.code} : ${(error as Error).message}`);
    } finally {
      barre.increment();
    }
  });
  const avecId = (liste: CandidatureDemo[]) => liste.filter((c) => c.id !== undefined);

  const avisOrigine = (c: CandidatureDemo) => ({
    avis: c.voeux.map((v, i) => ({
      codeFormation: v.codeFormation,
      avis: ['favorable', 'favorable', 'assez_favorable', 'reserve'][(c.eleve.ine.charCodeAt(9) + i) % 4],
      commentaire: `Élève ${i % 2 === 0 ? 'motivé(e), a préparé sa lettre' : 'intéressé(e), projet à préciser'} pour ${v.libelle}.`,
    })),
  });
  barre.update({ phase: "avis d'origine avant l'entretien" });
  await enParallele(avecId(avisATemps), async (c) => void (await agir(c, 'origine_chef', 'avis-origine', avisOrigine(c))));

  barre.update({ phase: "désistements avant l'entretien" });
  await enParallele(avecId(inscrites.filter(est('desistement_inscrite'))), async (c) => void (await agir(c, 'origine_personnel', 'desistement', { motif: "L'élève a choisi une autre voie." })));

  // Today's interviews: at the next whole minute at least 45 s away, so that the planning is in the future.
  let dernierEntretien = Date.now();
  barre.update({ phase: 'planification des entretiens' });
  await enParallele(avecId(planifiees), async (c) => {
    const demain = c.scenario === 'convoquee_demain';
    const instant = minuteSuivante(Date.now() + 45_000);
    const date = demain ? addDays(aujourdhui, 1) : parisDateOf(new Date(instant));
    if (!demain) dernierEntretien = Math.max(dernierEntretien, instant);
    const distanciel = c.eleve.ine.charCodeAt(10) % 10 === 0;
    const derogation = !checkDateEntretien(date).ok;
    // The demo runs any day: on a weekend or a public holiday, the lycée's head grants the dérogation.
    await agir(c, derogation ? 'accueil_chef' : 'accueil_personnel', 'entretien', {
      date,
      heure: demain ? '10:00' : heure(instant),
      lieu: distanciel ? 'https://visio.ac-creteil.fr/passpro-demo' : `${catalogue.etablissements.find((e) => e.uai === c.uaiAccueil)!.nom}, salle B12`,
      mode: distanciel ? 'distanciel' : 'presentiel',
      ...(derogation ? { derogation: true, motifDerogation: 'Entretien de démonstration' } : {}),
    });
  });

  barre.update({ phase: 'désistements après la convocation' });
  await enParallele(avecId(planifiees.filter(est('desistement_convoquee'))), async (c) => void (await agir(c, 'origine_personnel', 'desistement', { motif: 'La famille renonce à cette formation.' })));

  barre.update({ phase: `attente de l'heure des entretiens (${heure(dernierEntretien)})` });
  await attendre(dernierEntretien + 2_000 - Date.now());

  barre.update({ phase: "avis d'origine saisis après l'entretien (en retard)" });
  await enParallele(avecId(avisEnRetard), async (c) => void (await agir(c, 'origine_chef', 'avis-origine', avisOrigine(c))));

  barre.update({ phase: 'entretiens tenus, absences' });
  await enParallele(avecId(constatees), async (c) => void (await agir(c, 'accueil_personnel', 'constat-entretien', { present: c.scenario !== 'absente' })));

  barre.update({ phase: "comptes rendus et avis d'accueil" });
  const etatsApresCompteRendu = new Map<CandidatureDemo, CandidatureState>();
  await enParallele(avecId(comptesRendus), async (c) => {
    const avisAccueil = (i: number) => ['favorable', 'assez_favorable', 'favorable', 'reserve', 'ne_se_prononce_pas'][(c.eleve.ine.charCodeAt(0) + i) % 5];
    const supplementaire = c.autreFormation && c.eleve.ine.charCodeAt(8) % 5 === 0 ? [{ ...c.autreFormation, avis: 'favorable' }] : [];
    const etat = await agir(c, 'accueil_chef', 'compte-rendu', {
      texte: "Entretien d'information : l'élève connaît le domaine. Conseil : un stage d'observation avant AFFELNET.",
      avis: c.voeux.map((v, i) => ({ codeFormation: v.codeFormation, avis: avisAccueil(i) })),
      ...(supplementaire.length > 0 ? { voeuxSupplementaires: supplementaire } : {}),
    });
    if (etat) etatsApresCompteRendu.set(c, etat);
  });

  barre.update({ phase: "confirmations des familles et saisies AFFELNET, avant l'échéance" });
  await enParallele(
    confirmees.filter((c) => etatsApresCompteRendu.has(c)),
    async (c) => {
      await agir(c, 'origine_personnel', 'confirmation-famille');
      await agir(c, 'origine_chef', 'saisie-affelnet', { voeux: etatsApresCompteRendu.get(c)!.voeux.map((v) => v.codeFormation) });
    },
  );

  barre.update({ phase: `attente de l'heure des rappels et escalades (${campagne.delais.heureRappels})` });
  await attendre(heureRappels + 3_000 - Date.now());
  barre.stop();

  // The counts the demo expects, for the candidatures the API accepted.
  const acceptees = avecId(candidatures);
  const attendu = Object.fromEntries(ETAPES.map((e) => [e, acceptees.filter((c) => etapeAttendue(c) === e).length])) as Record<Etape, number>;
  const retardsAttendus = acceptees.filter(retardAttendu).length;

  interface Comptes {
    parEtape: Record<string, number>;
    enRetard: number;
    total: number;
  }
  const viaApi = async (): Promise<Comptes> => {
    const s = await appeler<{ total: number; parEtape: Record<string, number>; enRetard: { total: number } }>('saio', null, 'GET', `/statistiques?campagne=${id}`);
    return { parEtape: s.parEtape, enRetard: s.enRetard.total, total: s.total };
  };
  const viaTemporal = async (): Promise<Comptes> => {
    const compter = async (condition: string) => (await running.client.workflow.count(`${campagneKey.name} = '${id}'${condition}`)).count;
    const parEtape = Object.fromEntries(await Promise.all(ETAPES.map(async (e) => [e, await compter(` AND ${etapeKey.name} = '${e}'`)] as const)));
    return { parEtape, enRetard: await compter(` AND ${enRetardKey.name} = true`), total: await compter('') };
  };
  const concorde = (c: Comptes) => c.total === acceptees.length && c.enRetard === retardsAttendus && ETAPES.every((e) => (c.parEtape[e] ?? 0) === attendu[e]);
  // The database and the visibility store follow the workflows within moments: wait for them, a minute at most.
  let api = await viaApi();
  let temporal = await viaTemporal();
  for (let essai = 0; essai < 30 && !(concorde(api) && concorde(temporal)); essai += 1) {
    await attendre(2_000);
    [api, temporal] = await Promise.all([viaApi(), viaTemporal()]);
  }

  const nombre = (liste: CandidatureDemo[]) => avecId(liste).length;
  console.log(`\nCe que la démo a fait (${acceptees.length} candidatures acceptées sur ${candidatures.length}) :\n`);
  console.log(
    tableau(
      ['comportement simulé', 'candidatures'],
      [
        ['recensées, jamais inscrites', nombre(candidatures.filter(est('recensement')))],
        ["avis d'origine avant l'entretien", nombre(avisATemps)],
        ["avis d'origine saisis après l'entretien (en retard)", nombre(avisEnRetard)],
        ["avis d'origine jamais saisis (entretien tenu)", nombre(constatees.filter((c) => individuel(c) && c.avisOrigine === 'jamais'))],
        ['entretiens jamais planifiés (escalade au SAIO)', nombre(inscrites.filter(est('non_planifiee')))],
        ['entretiens planifiés pour demain', nombre(planifiees.filter(est('convoquee_demain')))],
        ['désistements avant la convocation', nombre(inscrites.filter(est('desistement_inscrite')))],
        ['désistements après la convocation (entretien annulé)', nombre(planifiees.filter(est('desistement_convoquee')))],
        ['absences', nombre(constatees.filter(est('absente')))],
        ['séances collectives suivies', nombre(constatees.filter(est('seance_suivie')))],
        ['comptes rendus non saisis', nombre(constatees.filter(est('compte_rendu_attendu')))],
        ['fiches prêtes, familles sans confirmation', nombre(comptesRendus.filter(est('confirmation_attendue')))],
        ["confirmations et saisies AFFELNET avant l'échéance", nombre(confirmees)],
      ],
    ),
  );

  console.log(`\nCandidatures par étape : attendu par la démo, /statistiques de l'API, visibilité Temporal (${campagneKey.name} = '${id}') :\n`);
  const ligne = (libelle: string, a: number, b: number, c: number) => [libelle, a, b, c, a === b && b === c ? 'ok' : 'ÉCART'];
  console.log(
    tableau(
      ['étape', 'démo', 'API', 'Temporal', ''],
      [
        ...ETAPES.map((e) => ligne(e, attendu[e], api.parEtape[e] ?? 0, temporal.parEtape[e] ?? 0)),
        ligne(`en retard (${enRetardKey.name})`, retardsAttendus, api.enRetard, temporal.enRetard),
        ligne('total', acceptees.length, api.total, temporal.total),
      ],
    ),
  );

  const prefixe = `passpro:${id}:`;
  const [courriels, rappels, affelnet] = await Promise.all([
    prisma.courriel.groupBy({ by: ['gabarit'], where: { candidatureId: { startsWith: prefixe }, envoyeLe: { not: null } }, _count: { _all: true }, orderBy: { gabarit: 'asc' } }),
    prisma.rappel.groupBy({ by: ['type'], where: { candidatureId: { startsWith: prefixe } }, _count: { _all: true }, orderBy: { type: 'asc' } }),
    exportAffelnet(prisma, id),
  ]);
  const lignesAffelnet = affelnet.contenu.trim().split('\r\n').slice(1);
  console.log(`\nCourriels envoyés : ${courriels.map((g) => `${g.gabarit} ${g._count._all}`).join(', ') || 'aucun'}`);
  // Under the labels the digest uses (a type's qualifier, as `avis_origine_veille/<date>`, falls under its label).
  const parType = new Map<string, number>();
  for (const g of rappels) parType.set(libelleTypeRappel(g.type), (parType.get(libelleTypeRappel(g.type)) ?? 0) + g._count._all);
  console.log(`Rappels et escalades enregistrés (mailés au prochain digest, à ${config.DIGEST_HEURE}) : ${[...parType].map(([type, n]) => `${type} ${n}`).join(', ') || 'aucun'}`);
  console.log(`Export AFFELNET : ${lignesAffelnet.length} vœux, dont ${lignesAffelnet.filter((l) => l.endsWith(';O')).length} avec bonus (GET /exports/affelnet.csv?campagne=${id})`);
  const convoqueesDemain = acceptees.filter(est('convoquee_demain')).length;
  console.log(
    [
      '',
      "Sur l'horloge réelle, ensuite (les workflows sont durables : npm start les reprend) :",
      `  ce soir à minuit, fin des inscriptions : recensées jamais inscrites closes (${attendu.recensement}) ;`,
      `  ce soir à minuit, échéance AFFELNET : candidatures sans confirmation closes sans bonus (${attendu.confirmation_attendue}) ;`,
      `  demain : entretiens planifiés (${convoqueesDemain}) ; à minuit, comptes rendus non saisis en retard, escalade au SAIO et au lycée (${attendu.compte_rendu_attendu}).`,
    ].join('\n'),
  );

  if (echecs.length > 0) console.log(`\n${echecs.length} actions refusées par l'API :\n  ${echecs.slice(0, 10).join('\n  ')}`);
  const ok = echecs.length === 0 && concorde(api) && concorde(temporal);
  console.log(`\n${ok ? 'Les trois comptes concordent.' : 'Les comptes ne concordent pas : voir ci-dessus.'}`);
  console.log(['', ...connexions(config, acceptees, quitter)].join('\n'));
  if (!quitter) console.log(['', 'La pile reste ouverte :', ...ouSontLesParties(config, running), 'Ctrl-C pour tout arrêter.'].join('\n'));
  return ok;
}

/**
 * Who to sign in as to see the demo's candidatures in the pages: the development provider's accounts of the
 * demo's collèges, of the lycées that receive the most of them, and of the SAIO (each also has a staff account).
 */
function connexions(config: Config, candidatures: readonly CandidatureDemo[], quitter: boolean): string[] {
  const comptes = new Map(comptesDeveloppement().map((c) => [c.id, c]));
  const parLycee = new Map<string, number>();
  for (const c of candidatures) parLycee.set(c.uaiAccueil, (parLycee.get(c.uaiAccueil) ?? 0) + 1);
  const lycees = [...parLycee].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const ligne = (uai: string, suite = '') => {
    const compte = comptes.get(`chef-${uai.toLowerCase()}`);
    return compte ? `    « ${compte.nom} » (chef-${uai.toLowerCase()})${suite}` : `    ${uai} : pas de compte au fournisseur`;
  };
  const colleges = [...new Set(candidatures.map((c) => c.eleve.uaiOrigine))].sort();
  return [
    `Pour voir ces candidatures dans les pages${quitter ? ' (après npm start, qui reprend la même pile)' : ''} : ${config.PUBLIC_URL}/connexion, « Se connecter », puis l'un de ces comptes du fournisseur d'identité :`,
    '  collèges de la démo :',
    ...colleges.map((uai) => ligne(uai)),
    '  lycées qui reçoivent le plus de candidatures :',
    ...lycees.map(([uai, n]) => ligne(uai, ` — ${n} candidature${n > 1 ? 's' : ''}`)),
    '  SAIO :',
    ligne(UAI_SAIO),
    '  (chaque établissement a aussi un compte de secrétariat, personnel-<uai>)',
  ];
}

async function main(): Promise<void> {
  const opts = options();
  // One request log line per demo action would bury the progress bar: warnings only, unless asked.
  process.env.LOG_LEVEL ??= 'warn';
  const config = configOrExit();
  onShutdownSignal(() => shutdown(0));
  const running = await demarrerPile(config);
  const ok = await demo(running, config, opts);
  if (opts.quitter) await shutdown(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void shutdown(1);
});

// Property-based fuzzing of the API (fast-check): thousands of generated bad requests across endpoints and
// roles — no token or a forged one, a role the action is not for, another school, a body with one field
// made wrong, an unknown key at any depth, a control character, a lone surrogate or a bidi override in any
// text at any depth (JSON bodies and CSV class lists), unreadable JSON, unknown ids and query parameters,
// values the workflow refuses. Every answer is a 4xx in the documented error shape, never a 5xx, and nothing
// changes: the candidature, the database, the catalogue and the mail outbox are as they were.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import request from 'supertest';
import type { z } from 'zod';
import { actions } from '../../api/actions';
import { AUDIENCE, emettreJeton, ISSUER, rolesPersonnes, type RolePersonne } from '../../api/auth';
import { autorisations, type Action } from '../../domain/autorisations';
import { colonnesImport } from '../../api/import';
import { erreurSchema, inscriptionSchema, listeQuery, offreDemandeSchema, statistiquesQuery } from '../../api/schemas';
import { campagnes } from '../../domain/campaigns';
import { bearer, corpsInscription, LYCEE, SECRET, startStack, type Stack } from '../api/harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** A well-formed body for each action (the one to spoil), on the seeded candidature's vœux. */
const corpsValides: Record<Action, () => Record<string, unknown>> = {
  inscription: () => ({ voeux: [{ codeFormation: '50025416', libelle: 'CAP métallier' }] }),
  'avis-origine': () => ({ avis: [{ codeFormation: '24025401', avis: 'favorable', commentaire: 'Motivé.' }] }),
  entretien: () => ({ date: '2031-03-12', heure: '14:00', lieu: 'Salle B12', mode: 'presentiel' }),
  'constat-entretien': () => ({ present: true }),
  'compte-rendu': () => ({ texte: 'Bon entretien.', avis: [{ codeFormation: '24025401', avis: 'favorable' }] }),
  'confirmation-famille': () => ({}),
  'saisie-affelnet': () => ({ voeux: ['24025401'] }),
  'annulation-entretien': () => ({ motif: 'élève malade' }),
  desistement: () => ({ motif: 'projet abandonné' }),
};

/** Every leaf path of a JSON value, to replace one of them. */
function chemins(valeur: unknown, prefixe: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(valeur)) return [prefixe, ...valeur.flatMap((v, i) => chemins(v, [...prefixe, i]))];
  if (valeur && typeof valeur === 'object') return [prefixe, ...Object.entries(valeur).flatMap(([k, v]) => chemins(v, [...prefixe, k]))];
  return [prefixe];
}

function remplacer(valeur: unknown, chemin: (string | number)[], par: unknown): unknown {
  if (chemin.length === 0) return par;
  const copie = structuredClone(valeur) as Record<string | number, unknown>;
  const [tete, ...reste] = chemin;
  copie[tete] = remplacer(copie[tete], reste, par);
  return copie;
}

function lire(valeur: unknown, chemin: (string | number)[]): unknown {
  return chemin.reduce<unknown>((v, cle) => (v as Record<string | number, unknown>)[cle], valeur);
}

/** What no text field takes: control characters (newline and tab but in multi-line fields), halves of surrogate pairs, bidi controls. */
const caracteresInterdits = ['\u0000', '\u0007', '\u001B', '\u001F', '\u007F', '\u0085', '\u009F', '\r', '\n', '\t', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202A', '\u202E', '\u2066', '\u2069'];
/** Names a grade or a report would have: no such field exists at any depth. */
const clesDeNotes = ['moyenne', 'notes', 'note', 'bulletin', 'bulletins', 'appreciation'];

/** What a CSV file can carry of them: a lone surrogate has no bytes in UTF-8 (Node writes U+FFFD in its place). */
const caracteresInterditsCsv = caracteresInterdits.filter((c) => !/[\uD800-\uDFFF]/.test(c));

/** `texte` with one forbidden character inserted, anywhere, or inside it (a CSV field's ends are trimmed). */
const empoisonner = (texte: string, { auxBords = true, caracteres = caracteresInterdits } = {}) =>
  fc
    .tuple(fc.constantFrom(...caracteres), fc.nat({ max: Math.max(texte.length, 1) }))
    .map(([c, i]) => {
      const position = auxBords ? Math.min(i, texte.length) : 1 + (i % Math.max(texte.length - 1, 1));
      return `${texte.slice(0, position)}${c}${texte.slice(position)}`;
    });

/** A body with one spoiled value, an unknown key at any depth, or a forbidden character in any text, that its schema refuses. */
function corpsGate(valide: Record<string, unknown>, schema: z.ZodType) {
  const tous = chemins(valide);
  const textes = tous.filter((c) => typeof lire(valide, c) === 'string');
  const objets = tous.filter((c) => {
    const v = lire(valide, c);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  const abimes: fc.Arbitrary<unknown>[] = [
    fc.tuple(fc.constantFrom(...tous), fc.anything()).map(([chemin, par]) => remplacer(valide, chemin, par)),
    fc
      .tuple(fc.constantFrom(...objets), fc.oneof(fc.constantFrom(...clesDeNotes), fc.string({ minLength: 1, maxLength: 12 }).map((c) => `x${c}`)), fc.jsonValue())
      .map(([chemin, cle, v]) => remplacer(valide, chemin, { ...(lire(valide, chemin) as object), [cle]: v })),
  ];
  if (textes.length > 0) {
    abimes.push(fc.constantFrom(...textes).chain((chemin) => empoisonner(lire(valide, chemin) as string).map((texte) => remplacer(valide, chemin, texte))));
  }
  return fc
    .oneof(...abimes)
    // Judged as the server receives it: JSON drops undefined values, and no body at all counts as `{}`.
    .filter((corps) => !schema.safeParse(corps === undefined ? {} : JSON.parse(JSON.stringify(corps) ?? 'null')).success);
}

/** A well-formed new offer (the one to spoil): the SAIO would open it. */
const offreValide = () => ({
  uai: LYCEE,
  modalite: 'individuel',
  interAcademique: false,
  domaine: { code: 'metallerie', libelle: 'Métallerie' },
  formation: { code: '50025488', mnemonique: '1CAP2', libelle: 'CAP soudeur' },
  etablissement: { nom: 'Lycée Gabriel Péri', commune: 'Champigny-sur-Marne', codeCommune: '94017' },
});

/** A good line of a class list: a new pupil of the fixtures' collège, a vœu the lycée offers. */
function ligneCsv(): Record<(typeof colonnesImport)[number]['nom'], string> {
  const { eleve, domaine, modalite, uaiAccueil, voeux } = corpsInscription();
  return {
    ine: eleve.ine,
    nom: eleve.nom,
    prenom: eleve.prenom,
    niveau: eleve.niveau,
    uai_origine: eleve.uaiOrigine,
    referent_nom: eleve.referentNom,
    referent_email: eleve.referentEmail,
    domaine: domaine.code,
    domaine_libelle: domaine.libelle,
    modalite,
    uai_accueil: uaiAccueil,
    code_formation: voeux[0].codeFormation,
    formation_libelle: voeux[0].libelle,
  };
}

const champCsv = (v: string, sep: string) => (/[;,"\r\n]/.test(v) || v.includes(sep) ? `"${v.replace(/"/g, '""')}"` : v);

interface Requete {
  methode: 'get' | 'post';
  chemin: string;
  autorisation?: string;
  corps?: unknown;
  brut?: string;
  /** `brut` is a CSV file, sent in UTF-8. */
  csv?: boolean;
  /** What the request must not do: a state change is checked globally at the end. */
  attendu: (status: number) => boolean;
}

const est4xx = (status: number) => status >= 400 && status < 500;

describe('API fuzzing: generated bad requests', () => {
  let stack: Stack;
  let id: string;
  /** Tokens per role at the fixtures' schools, and at other schools. */
  const jetons = {} as Record<RolePersonne, string>;
  const jetonsAutres = {} as Record<RolePersonne, string>;
  let forge: string;
  let expire: string;

  beforeAll(async () => {
    stack = await startStack('fuzz');
    for (const role of rolesPersonnes) {
      jetons[role] = await bearer(role);
      jetonsAutres[role] = await bearer(role, { autre: true });
    }
    forge = `Bearer ${await emettreJeton('un-autre-secret-de-trente-deux-caracteres!!', { role: 'saio', uai: null, nom: 'Intrus' }, '1h')}`;
    // Issued two hours ago for one hour (emettreJeton issues only tokens that start now).
    const ilYa = Math.floor(Date.now() / 1000) - 7200;
    expire = `Bearer ${await new SignJWT({ role: 'saio', uai: null })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('SAIO Créteil')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(ilYa)
      .setExpirationTime(ilYa + 3600)
      .sign(new TextEncoder().encode(SECRET))}`;
    const cree = await request(stack.app).post('/candidatures').set('authorization', jetons.origine_chef).send(corpsInscription());
    expect(cree.status).toBe(201);
    id = cree.body.id;
  }, 180_000);
  afterAll(() => stack?.stop());

  const etat = async () => {
    const { body } = await request(stack.app).get(`/candidatures/${encodeURIComponent(id)}`).set('authorization', jetons.saio);
    const { prisma } = stack.db;
    const [candidatures, voeux, evenements, courriels, rappels] = await Promise.all([
      prisma.candidature.count(),
      prisma.voeu.count(),
      prisma.evenement.count(),
      prisma.courriel.count(),
      prisma.rappel.count(),
    ]);
    const offres = await prisma.offre.findMany({ orderBy: [{ formationCode: 'asc' }, { uai: 'asc' }] });
    const workflows = (await stack.env.client.workflow.count(`TaskQueue = '${stack.taskQueue}'`)).count;
    return { version: body.version, etape: body.etape, candidatures, voeux, evenements, courriels, rappels, workflows, offres };
  };

  it(`answers ${RUNS} bad requests with a documented 4xx and changes nothing`, async () => {
    const avant = await etat();
    const chemin = (action: Action) => `/candidatures/${encodeURIComponent(id)}/${action}`;
    const toutesActions = actions.map((a) => a.path);
    const routes = [...toutesActions.map(chemin), '/candidatures', '/candidatures/import', '/statistiques', `/candidatures/${encodeURIComponent(id)}`, '/catalogue/offres'];

    const sansJeton = fc.record({
      route: fc.constantFrom(...routes),
      methode: fc.constantFrom<'get' | 'post'>('get', 'post'),
      autorisation: fc.oneof(
        fc.constant(undefined),
        fc.constant(forge),
        fc.constant(expire),
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
        fc.string({ maxLength: 40 }),
      ),
    }).map(({ route, methode, autorisation }): Requete => ({ methode, chemin: route, autorisation, corps: {}, attendu: (s) => s === 401 }));

    const mauvaisRole = fc
      .tuple(fc.constantFrom(...toutesActions), fc.constantFrom(...rolesPersonnes))
      .filter(([action, role]) => !(autorisations[action].roles as readonly string[]).includes(role))
      .map(([action, role]): Requete => ({ methode: 'post', chemin: chemin(action), autorisation: jetons[role], corps: corpsValides[action](), attendu: (s) => s === 403 }));

    const autreEtablissement = fc
      .tuple(fc.constantFrom(...toutesActions), fc.constantFrom(...rolesPersonnes))
      .filter(([action, role]) => role !== 'saio' && (autorisations[action].roles as readonly string[]).includes(role))
      .map(([action, role]): Requete => ({ methode: 'post', chemin: chemin(action), autorisation: jetonsAutres[role], corps: corpsValides[action](), attendu: (s) => s === 404 }));

    const corpsAbime = fc.constantFrom(...actions).chain((a) => {
      const role = a.roles.find((r) => r !== 'saio') as RolePersonne;
      return corpsGate(corpsValides[a.path](), a.schema).map(
        (corps): Requete => ({ methode: 'post', chemin: chemin(a.path), autorisation: jetons[role], corps, attendu: (s) => s === 400 }),
      );
    });

    const inscriptionAbimee = corpsGate(corpsInscription(), inscriptionSchema).map(
      (corps): Requete => ({ methode: 'post', chemin: '/candidatures', autorisation: jetons.origine_chef, corps, attendu: (s) => s === 400 || s === 403 }),
    );

    const offreAbimee = corpsGate(offreValide(), offreDemandeSchema).map(
      (corps): Requete => ({ methode: 'post', chemin: '/catalogue/offres', autorisation: jetons.saio, corps, attendu: (s) => s === 400 }),
    );

    // A class list of one good line with one forbidden character inside one of its fields, or one column more.
    const csvAbime = fc
      .tuple(fc.constantFrom(...colonnesImport.map((c) => c.nom)), fc.constantFrom(';', ','))
      .chain(([colonne, sep]) => {
        const valeurs = ligneCsv();
        return empoisonner(valeurs[colonne], { auxBords: false, caracteres: caracteresInterditsCsv }).map((poison): Requete => {
          const corps = { ...valeurs, [colonne]: poison };
          const brut = [colonnesImport.map((c) => c.nom).join(sep), colonnesImport.map((c) => champCsv(corps[c.nom], sep)).join(sep)].join('\r\n');
          return { methode: 'post', chemin: `/candidatures/import?campagne=${corpsInscription().campagneId}`, autorisation: jetons.origine_chef, brut, csv: true, attendu: (st) => st === 422 || st === 400 };
        });
      });

    const jsonIllisible = fc
      .tuple(fc.constantFrom(...toutesActions.map(chemin), '/candidatures'), fc.string({ maxLength: 60 }))
      .filter(([, brut]) => brut.trim().length > 0)
      .filter(([, brut]) => {
        try {
          JSON.parse(brut);
          return false;
        } catch {
          return true;
        }
      })
      .map(([route, brut]): Requete => ({ methode: 'post', chemin: route, autorisation: jetons.origine_chef, brut, attendu: (s) => s === 400 || s === 403 }));

    const idInconnu = fc
      .tuple(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80, unit: 'binary-ascii' })), fc.constantFrom<Action | null>(null, ...toutesActions))
      .map(([autre, action]): Requete => {
        const base = `/candidatures/${encodeURIComponent(`passpro:${autre}`)}`;
        return action
          ? { methode: 'post', chemin: `${base}/${action}`, autorisation: jetons.saio, corps: corpsValides[action](), attendu: (s) => s === 404 || s === 403 || s === 400 }
          : { methode: 'get', chemin: base, autorisation: jetons.saio, attendu: (s) => s === 404 || s === 400 };
      });

    const parametresConnus: Record<string, string[]> = {
      '/candidatures': Object.keys(listeQuery.shape),
      '/statistiques': Object.keys(statistiquesQuery.shape),
    };
    const queryAbimee = fc
      .tuple(fc.constantFrom('/candidatures', '/statistiques'), fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 3 }))
      .filter(([route, q]) => Object.keys(q).some((k) => !parametresConnus[route].includes(k)))
      .map(([route, q]): Requete => ({ methode: 'get', chemin: `${route}?${new URLSearchParams(q).toString()}`, autorisation: jetons.saio, attendu: (s) => s === 400 }));

    // Values that pass the schema but not the procedure: the workflow's validators answer (409/422).
    const refuseeParLeWorkflow = fc.oneof(
      fc.stringMatching(/^[a-z_]{3,30}$/).filter((a) => !(campagnes[corpsInscription().campagneId].avisOrigine as readonly string[]).includes(a)).map(
        (avis): Requete => ({
          methode: 'post',
          chemin: chemin('avis-origine'),
          autorisation: jetons.origine_chef,
          corps: { avis: [{ codeFormation: '24025401', avis, commentaire: 'Motivé.' }] },
          attendu: (s) => s === 422,
        }),
      ),
      fc.constantFrom<Action>('constat-entretien', 'compte-rendu', 'confirmation-famille').map((action): Requete => {
        const role = autorisations[action].roles.find((r) => r !== 'saio') as RolePersonne;
        return { methode: 'post', chemin: chemin(action), autorisation: jetons[role], corps: corpsValides[action](), attendu: (s) => s === 409 || s === 422 };
      }),
    );

    const mauvaiseRequete = fc.oneof(
      { arbitrary: sansJeton, weight: 3 },
      { arbitrary: mauvaisRole, weight: 2 },
      { arbitrary: autreEtablissement, weight: 1 },
      { arbitrary: corpsAbime, weight: 5 },
      { arbitrary: inscriptionAbimee, weight: 3 },
      { arbitrary: offreAbimee, weight: 1 },
      { arbitrary: csvAbime, weight: 2 },
      { arbitrary: jsonIllisible, weight: 2 },
      { arbitrary: idInconnu, weight: 2 },
      { arbitrary: queryAbimee, weight: 2 },
      { arbitrary: refuseeParLeWorkflow, weight: 1 },
    );

    const statuts = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(mauvaiseRequete, async (r) => {
        let req = request(stack.app)[r.methode](r.chemin);
        if (r.autorisation !== undefined) req = req.set('authorization', r.autorisation);
        // Sent as the client wrote it: a top-level `true` or `null` is a body too.
        const brut = r.brut ?? (r.corps === undefined ? undefined : (JSON.stringify(r.corps) ?? 'null'));
        const res = brut === undefined ? await req : await req.set('content-type', r.csv ? 'text/csv' : 'application/json').send(r.csv ? Buffer.from(brut, 'utf8') : brut);
        statuts.set(res.status, (statuts.get(res.status) ?? 0) + 1);
        if (!est4xx(res.status) || !r.attendu(res.status) || !erreurSchema.safeParse(res.body).success) {
          throw new Error(`${r.methode.toUpperCase()} ${r.chemin} ${brut ?? ''} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }),
      // FUZZ_SEED and FUZZ_PATH replay a failure that fast-check reported.
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined, path: process.env.FUZZ_PATH },
    );

    expect([...statuts.keys()].every(est4xx)).toBe(true);
    expect(await etat()).toEqual(avant);
  }, 600_000);
});

// Reads from the database (lists, statistics), the OpenAPI document, the hardening headers, and bad input
// everywhere: 4xx, never 500, and nothing changed. Against the real dev server and database.
import request from 'supertest';
import { actions } from '../../api/actions';
import { statistiques } from '../../api/reads';
import { Prisma } from '../../generated/prisma/client';
import { stateQuery } from '../../workflows/definitions';
import { DIGEST_WORKFLOW_ID } from '../../workflows/digest';
import { AUTRE_COLLEGE, AUTRE_LYCEE, bearer, COLLEGE, corpsInscription, eventually, LYCEE, startStack, type Stack } from './harness';

let stack: Stack;
const ids: Record<'a1' | 'a2' | 'a3' | 'b1' | 'c1' | 'd1', string> = { a1: '', a2: '', a3: '', b1: '', c1: '', d1: '' };
const chemin = (id: string, action?: string) => `/candidatures/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
const liste = async (role: Parameters<typeof bearer>[0], query: string, autre = false) =>
  request(stack.app).get(`/candidatures${query}`).set('authorization', await bearer(role, { autre }));
const idsDe = (res: request.Response) => (res.body.elements as { id: string }[]).map((e) => e.id).sort();

async function inscrire(origineAutre: boolean, overrides: Record<string, unknown> = {}): Promise<string> {
  const corps = corpsInscription(overrides);
  const res = await request(stack.app)
    .post('/candidatures')
    .set('authorization', await bearer('origine_chef', { autre: origineAutre }))
    .send({ ...corps, eleve: { ...corps.eleve, uaiOrigine: origineAutre ? AUTRE_COLLEGE : COLLEGE } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

beforeAll(async () => {
  stack = await startStack('lectures');
  // collège → lycée: a1, a2 (interview planned), a3 (another domaine); b1 → another lycée;
  // another collège: c1 → the lycée, d1 → another lycée, then withdrawn.
  ids.a1 = await inscrire(false);
  ids.a2 = await inscrire(false);
  ids.a3 = await inscrire(false, { domaine: { code: 'electricite', libelle: 'Électricité' }, voeux: [{ codeFormation: '40025510', libelle: 'CAP électricien' }] });
  ids.b1 = await inscrire(false, { uaiAccueil: AUTRE_LYCEE });
  ids.c1 = await inscrire(true);
  ids.d1 = await inscrire(true, { uaiAccueil: AUTRE_LYCEE });
  let date = new Date(Date.now() + 14 * 86_400_000);
  while ([0, 6].includes(date.getUTCDay())) date = new Date(date.getTime() + 86_400_000);
  const planned = await request(stack.app)
    .post(chemin(ids.a2, 'entretien'))
    .set('authorization', await bearer('accueil_chef'))
    .send({ date: date.toISOString().slice(0, 10), heure: '14:00', lieu: 'Atelier B', mode: 'presentiel', derogation: true, motifDerogation: 'Entretien ce jour-là pour le test' });
  expect(planned.status).toBe(200);
  const withdrawn = await request(stack.app).post(chemin(ids.d1, 'desistement')).set('authorization', await bearer('saio')).send({ motif: 'déménagement' });
  expect(withdrawn.status).toBe(200);
  // The query side catches up with the workflows.
  const rows = await eventually(
    () => stack.db.prisma.candidature.findMany({ select: { id: true, etape: true } }),
    (r) => r.length === 6 && r.some((c) => c.id === ids.a2 && c.etape === 'convoquee') && r.some((c) => c.id === ids.d1 && c.etape === 'desistee'),
  );
  expect(rows).toHaveLength(6);
  // Latenesses fall on dates weeks away on the real clock: two rows are marked late as the activities would.
  await stack.db.prisma.candidature.updateMany({
    where: { id: { in: [ids.a1, ids.c1] } },
    data: { enRetard: true, retards: ['planification'], etapeDepuis: new Date('2027-04-01T08:00:00Z') },
  });
}, 180_000);
afterAll(async () => stack?.stop());

describe('GET /candidatures', () => {
  it('lists everything for the SAIO, with the pupil, the vœux and the interview', async () => {
    const res = await liste('saio', '');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, taille: 20, total: 6 });
    expect(idsDe(res)).toEqual(Object.values(ids).sort());
    const a2 = (res.body.elements as { id: string }[]).find((e) => e.id === ids.a2);
    expect(a2).toMatchObject({
      eleve: { nom: 'Martin', prenom: 'Léa', niveau: '3e' },
      domaine: { code: 'metallerie', libelle: 'Métallerie' },
      uaiOrigine: COLLEGE,
      uaiAccueil: LYCEE,
      etape: 'convoquee',
      enRetard: false,
      entretien: { heure: '14:00', lieu: 'Atelier B', mode: 'presentiel', statut: 'planifie' },
      voeux: [{ codeFormation: '24025401', rang: 1 }, { codeFormation: '50025415', rang: 2 }],
    });
  });

  it.each([
    ['?etape=convoquee', ['a2']],
    ['?etape=desistee', ['d1']],
    ['?domaine=electricite', ['a3']],
    [`?uaiOrigine=${AUTRE_COLLEGE}`, ['c1', 'd1']],
    [`?uaiAccueil=${AUTRE_LYCEE}`, ['b1', 'd1']],
    ['?enRetard=true', ['a1', 'c1']],
    ['?enRetard=false', ['a2', 'a3', 'b1', 'd1']],
    ['?campagne=creteil-2027', ['a1', 'a2', 'a3', 'b1', 'c1', 'd1']],
    ['?campagne=creteil-2018', []],
    [`?etape=a_planifier&uaiAccueil=${LYCEE}&domaine=metallerie`, ['a1', 'c1']],
  ] as [string, (keyof typeof ids)[]][])('filters %s', async (query, attendus) => {
    const res = await liste('saio', query);
    expect(res.status).toBe(200);
    expect(idsDe(res)).toEqual(attendus.map((k) => ids[k]).sort());
    expect(res.body.total).toBe(attendus.length);
  });

  it('searches the pupil by INE (in part) or by name and first name in any case, within the scope', async () => {
    // The id names no pupil: the INE is the database's.
    const ineDe = async (id: string) => (await stack.db.prisma.candidature.findUniqueOrThrow({ where: { id }, select: { ine: true } })).ine;
    const ine = await ineDe(ids.a1);
    expect(ids.a1).not.toContain(ine);
    expect(idsDe(await liste('saio', `?q=${ine}`))).toEqual([ids.a1]);
    expect(idsDe(await liste('saio', `?q=${ine.slice(0, 10).toLowerCase()}`))).toEqual([ids.a1]);
    expect((await liste('saio', `?q=${encodeURIComponent('léa MARTIN')}`)).body.total).toBe(6);
    expect(idsDe(await liste('origine_chef', `?q=${await ineDe(ids.c1)}`))).toEqual([]);
    expect((await liste('saio', '?q=Zzyzx')).body.total).toBe(0);
  });

  it.each([
    ['origine_chef', false, ['a1', 'a2', 'a3', 'b1']],
    ['origine_personnel', true, ['c1', 'd1']],
    ['accueil_personnel', false, ['a1', 'a2', 'a3', 'c1']],
    ['accueil_chef', true, ['b1', 'd1']],
  ] as [Parameters<typeof bearer>[0], boolean, (keyof typeof ids)[]][])('shows %s (another school: %s) only its own', async (role, autre, attendus) => {
    const res = await liste(role, '', autre);
    expect(idsDe(res)).toEqual(attendus.map((k) => ids[k]).sort());
    expect(res.body.total).toBe(attendus.length);
  });

  it("finds nothing when a school filters on another school's pupils", async () => {
    const res = await liste('origine_chef', `?uaiOrigine=${AUTRE_COLLEGE}`);
    expect(res.body).toMatchObject({ elements: [], total: 0 });
  });

  it('pages in a stable order', async () => {
    const pages = [];
    for (const page of [1, 2, 3, 4]) {
      const res = await liste('saio', `?taille=2&page=${page}`);
      expect(res.body).toMatchObject({ page, taille: 2, total: 6 });
      pages.push((res.body.elements as { id: string }[]).map((e) => e.id));
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 0]);
    expect(new Set(pages.flat()).size).toBe(6);
    const again = await liste('saio', '?taille=2&page=2');
    expect(again.body.elements.map((e: { id: string }) => e.id)).toEqual(pages[1]);
    expect((await liste('saio', '?taille=100')).body.elements).toHaveLength(6);
  });

  it.each([
    ['?taille=101', 'query.taille'],
    ['?taille=0', 'query.taille'],
    ['?taille=-1', 'query.taille'],
    ['?page=0', 'query.page'],
    ['?page=abc', 'query.page'],
    ['?page=1e3', 'query.page'],
    ['?etape=inconnue', 'query.etape'],
    ['?etape=a_planifier&etape=convoquee', 'query.etape'],
    ['?enRetard=oui', 'query.enRetard'],
    ['?uaiOrigine=0931234A', 'query.uaiOrigine'],
    ['?domaine=M%C3%A9tallerie', 'query.domaine'],
    ['?campagne=__proto__', 'query.campagne'],
    ['?campagne=toString', 'query.campagne'],
    ['?tri=nom', 'query.tri'],
  ])('answers 400 to %s naming %s', async (query, champ) => {
    const res = await liste('saio', query);
    expect(res.status).toBe(400);
    expect(res.body.erreur).toMatchObject({ code: 'requete_invalide', champ });
  });
});

describe('GET /candidatures/:id', () => {
  it('answers the state the workflow wrote before answering the last action: the live state, from one row', async () => {
    const chef = await bearer('origine_chef');
    const res = await request(stack.app).get(chemin(ids.a2)).set('authorization', chef);
    expect(res.status).toBe(200);
    const { etat } = await stack.db.prisma.candidature.findUniqueOrThrow({ where: { id: ids.a2 }, select: { etat: true } });
    const live = await stack.env.client.workflow.getHandle(ids.a2).query(stateQuery);
    expect(res.body).toEqual(etat);
    expect(res.body).toEqual(live);
    expect(res.body).toMatchObject({ etape: 'convoquee', entretien: { statut: 'planifie' } });
  });

  it('asks the workflow for a candidature whose first write is not there yet', async () => {
    const id = ids.a3;
    await stack.db.prisma.candidature.update({ where: { id }, data: { etat: Prisma.DbNull } });
    const res = await request(stack.app).get(chemin(id)).set('authorization', await bearer('origine_chef'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(await stack.env.client.workflow.getHandle(id).query(stateQuery));
  });
});

describe('GET /statistiques', () => {
  it('counts per step, per lycée and per collège, and lists the late ones with where and since when', async () => {
    const res = await request(stack.app).get('/statistiques?campagne=creteil-2027').set('authorization', await bearer('saio'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campagne: 'creteil-2027', total: 6, parEtape: { a_planifier: 4, convoquee: 1, desistee: 1 } });
    expect(res.body.parLycee).toEqual([
      { uai: LYCEE, total: 4, parEtape: { a_planifier: 3, convoquee: 1 } },
      { uai: AUTRE_LYCEE, total: 2, parEtape: { a_planifier: 1, desistee: 1 } },
    ].sort((x, y) => x.uai.localeCompare(y.uai)));
    expect(res.body.parCollege).toEqual([
      { uai: COLLEGE, total: 4, parEtape: { a_planifier: 3, convoquee: 1 } },
      { uai: AUTRE_COLLEGE, total: 2, parEtape: { a_planifier: 1, desistee: 1 } },
    ].sort((x, y) => x.uai.localeCompare(y.uai)));
    expect(res.body.enRetard.total).toBe(2);
    expect(res.body.enRetard.candidatures.map((c: { id: string }) => c.id).sort()).toEqual([ids.a1, ids.c1].sort());
    expect(res.body.enRetard.candidatures[0]).toMatchObject({ etape: 'a_planifier', depuis: '2027-04-01T08:00:00.000Z', retards: ['planification'] });
  });

  it('answers callers asking the same counts at once with one read, and a later caller with a read of its own', async () => {
    const [a, b, autre] = await Promise.all([statistiques(stack.db.prisma, 'creteil-2027'), statistiques(stack.db.prisma, 'creteil-2027'), statistiques(stack.db.prisma, 'paris-2023')]);
    expect(b).toBe(a);
    expect(autre).not.toBe(a);
    const ensuite = await statistiques(stack.db.prisma, 'creteil-2027');
    expect(ensuite).not.toBe(a);
    expect(ensuite).toEqual(a);
  });

  it('counts nothing in a campaign without candidatures, and everything without a campaign', async () => {
    const saio = await bearer('saio');
    expect((await request(stack.app).get('/statistiques?campagne=paris-2023').set('authorization', saio)).body).toMatchObject({ total: 0, parEtape: {}, enRetard: { total: 0 } });
    expect((await request(stack.app).get('/statistiques').set('authorization', saio)).body).toMatchObject({ campagne: null, total: 6 });
  });

  it.each(['origine_personnel', 'origine_chef', 'accueil_personnel', 'accueil_chef'] as const)('is for the SAIO only: 403 for %s', async (role) => {
    const res = await request(stack.app).get('/statistiques').set('authorization', await bearer(role));
    expect([res.status, res.body.erreur.code]).toEqual([403, 'acces_refuse']);
  });

  it('answers 400 to an unknown campaign', async () => {
    const res = await request(stack.app).get('/statistiques?campagne=lyon-2027').set('authorization', await bearer('saio'));
    expect([res.status, res.body.erreur.champ]).toEqual([400, 'query.campagne']);
  });
});

describe('OpenAPI', () => {
  it('documents every route the app serves, with its method', async () => {
    const res = await request(stack.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documentes = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    // The routes as Express holds them (Express 5: app.router.stack).
    const stackExpress = (stack.app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    const servis = stackExpress.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : []));
    expect(servis.length).toBeGreaterThanOrEqual(4 + actions.length);
    expect(documentes.filter((d) => d !== 'GET /docs').sort()).toEqual(servis.sort());
    for (const a of actions) expect(documentes).toContain(`POST /candidatures/:id/${a.path}`);
  });

  it('describes request bodies from the validation schemas, without any acteur, and secures with a bearer token', async () => {
    const { body } = await request(stack.app).get('/openapi.json');
    expect(body.components.securitySchemes.jeton).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(body.security).toEqual([{ jeton: [] }]);
    expect(body.paths['/health'].get.security).toEqual([]);
    expect(body.components.schemas.Inscription.required).toEqual(expect.arrayContaining(['campagneId', 'eleve', 'domaine', 'modalite', 'uaiAccueil', 'voeux']));
    expect(body.components.schemas.Action_entretien.properties.mode).toEqual({ type: 'string', enum: ['presentiel', 'distanciel'] });
    const requetes = Object.entries(body.components.schemas as Record<string, { properties: object }>).filter(([nom]) => nom === 'Inscription' || nom.startsWith('Action_'));
    expect(requetes).toHaveLength(1 + actions.length);
    for (const [nom, schema] of requetes) expect([nom, schema.properties]).toEqual([nom, expect.not.objectContaining({ acteur: expect.anything() })]);
    expect(body.components.schemas.Inscription.properties.uaiAccueil).toMatchObject({ type: 'string', pattern: expect.any(String) });
    const taille = body.paths['/candidatures'].get.parameters.find((p: { name: string }) => p.name === 'taille');
    expect(taille).toMatchObject({ in: 'query' });
  });

  it('shows the Swagger UI at /docs', async () => {
    const redirect = await request(stack.app).get('/docs');
    expect(redirect.status).toBe(301);
    const page = await request(stack.app).get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect((await request(stack.app).get('/docs/swagger-ui-init.js')).text).toContain('/candidatures/{id}/compte-rendu');
  });
});

describe('hardening', () => {
  it('sets security headers and hides the framework', async () => {
    const res = await request(stack.app).get('/health');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('echoes a sensible x-request-id, and makes one up otherwise', async () => {
    expect((await request(stack.app).get('/health').set('x-request-id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    const made = (await request(stack.app).get('/candidatures')).headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const odd = (await request(stack.app).get('/health').set('x-request-id', 'x'.repeat(300))).headers['x-request-id'];
    expect(odd).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('bad input everywhere: 4xx, never 500, and nothing changes', () => {
  const corpsInvalides: [string, unknown][] = [
    ['an empty object', {}],
    ['an array', []],
    ['a number', 42],
    ['null', null],
    ['a string', 'bonjour'],
    ['an acteur', { acteur: { role: 'saio', uai: null, nom: 'X' } }],
    ['wrong types', { voeux: 'tous', avis: 3, date: 20270512, heure: true, lieu: [], mode: 'visio', present: 'oui', texte: {}, motif: 7 }],
    ['strings too long', { motif: 'x'.repeat(501), texte: 'x'.repeat(5001), lieu: 'x'.repeat(301), voeux: ['24025401'], present: true, avis: [] }],
    ['a prototype key', JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}')],
  ];

  it.each(actions.map((a) => [a.path]))('POST /candidatures/:id/%s', async (action) => {
    const autorisation = await bearer(action === 'avis-origine' || action === 'saisie-affelnet' ? 'origine_chef' : action === 'entretien' || action === 'constat-entretien' || action === 'compte-rendu' ? 'accueil_chef' : 'origine_personnel');
    const avant = await stack.env.client.workflow.getHandle(ids.a1).query(stateQuery);
    const horsDes4xx: [string, number][] = [];
    for (const [nom, corps] of corpsInvalides) {
      if (action === 'confirmation-famille' && nom === 'an empty object') continue; // its valid body
      const res = await request(stack.app).post(chemin(ids.a1, action)).set('authorization', autorisation).set('content-type', 'application/json').send(JSON.stringify(corps));
      if (res.status < 400 || res.status >= 500) horsDes4xx.push([nom, res.status]);
      expect(res.body.erreur).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expect(horsDes4xx).toEqual([]);
    for (const [id, attendu] of [
      ['passpro:creteil-2027:999999999ZZ:metallerie', 404],
      [DIGEST_WORKFLOW_ID, 404],
      ['pas-une-candidature', 404],
      ['x'.repeat(201), 400],
    ] as [string, number][]) {
      const res = await request(stack.app).post(chemin(id, action)).set('authorization', autorisation).send(actionCorpsValide(action));
      expect([id, res.status]).toEqual([id, attendu]);
    }
    const apres = await stack.env.client.workflow.getHandle(ids.a1).query(stateQuery);
    expect(apres.version).toBe(avant.version);
  });

  it('POST /candidatures', async () => {
    const avant = await stack.db.prisma.candidature.count();
    const chef = await bearer('origine_chef');
    const valide = corpsInscription();
    const cas: [string, unknown][] = [
      ['no body', undefined],
      ['an array', []],
      ['an unknown campaign', { ...valide, campagneId: 'lyon-2027' }],
      ['a prototype campaign', { ...valide, campagneId: '__proto__' }],
      ['an inherited campaign', { ...valide, campagneId: 'constructor' }],
      ['a bad INE', { ...valide, eleve: { ...valide.eleve, ine: '12345' } }],
      ['a bad e-mail', { ...valide, eleve: { ...valide.eleve, referentEmail: 'durand' } }],
      ['no vœu', { ...valide, voeux: [] }],
      ['21 vœux', { ...valide, voeux: Array.from({ length: 21 }, (_, i) => ({ codeFormation: `2402540${i % 10}`, libelle: 'x' })) }],
      ['a bad modality', { ...valide, modalite: 'groupe' }],
      ['a bad domaine', { ...valide, domaine: { code: 'Métallerie', libelle: 'x' } }],
      ['a blank name', { ...valide, eleve: { ...valide.eleve, nom: '   ' } }],
      ['an ineligible pupil', { ...valide, eleve: { ...valide.eleve, niveau: '2nde_gt' } }],
      ['a closed campaign', { ...valide, campagneId: 'creteil-2018' }],
      ['another collège', { ...valide, eleve: { ...valide.eleve, uaiOrigine: AUTRE_COLLEGE } }],
    ];
    for (const [nom, corps] of cas) {
      const req = request(stack.app).post('/candidatures').set('authorization', chef);
      const res = await (corps === undefined ? req : req.send(corps as object));
      expect([nom, res.status >= 400 && res.status < 500]).toEqual([nom, true]);
    }
    const texte = await request(stack.app).post('/candidatures').set('authorization', chef).set('content-type', 'text/plain').send('INE;nom');
    expect(texte.status).toBe(400);
    const huge = await request(stack.app).post('/candidatures').set('authorization', chef).send({ ...valide, blob: 'x'.repeat(200_000) });
    expect([huge.status, huge.body.erreur.code]).toEqual([413, 'entity_too_large']);
    const malformed = await request(stack.app).post('/candidatures').set('authorization', chef).set('content-type', 'application/json').send('{"eleve":');
    expect(malformed.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stack.db.prisma.candidature.count()).toBe(avant);
  });

  it('answers 404 in the one error shape for unknown routes and methods', async () => {
    for (const res of [
      await request(stack.app).get('/nulle-part'),
      await request(stack.app).delete(chemin(ids.a1)).set('authorization', await bearer('saio')),
      await request(stack.app).post(chemin(ids.a1, 'suppression')).set('authorization', await bearer('saio')).send({}),
    ]) {
      expect([res.status, res.body.erreur.code]).toEqual([404, 'introuvable']);
    }
  });
});

function actionCorpsValide(action: string): object {
  switch (action) {
    case 'inscription':
      return { voeux: [{ codeFormation: '50025416', libelle: 'CAP métallier' }] };
    case 'avis-origine':
      return { avis: [{ codeFormation: '24025401', avis: 'favorable', commentaire: 'ok' }] };
    case 'entretien':
      return { date: '2027-01-12', heure: '10:00', lieu: 'Salle 1', mode: 'presentiel' };
    case 'constat-entretien':
      return { present: true };
    case 'compte-rendu':
      return { texte: 'ok', avis: [{ codeFormation: '24025401', avis: 'favorable' }] };
    case 'saisie-affelnet':
      return { voeux: ['24025401'] };
    case 'desistement':
      return { motif: 'projet abandonné' };
    case 'annulation-entretien':
      return { motif: 'élève malade' };
    default:
      return {};
  }
}

// Abuse: requests limited per IP address and per person (429 in the API's error shape), class list imports
// capped in lines and per school per hour, and /health without detail for the outside.
import request from 'supertest';
import { emettreJeton, type RolePersonne } from '../../api/auth';
import { colonnesImport, MAX_LIGNES_IMPORT } from '../../api/import';
import type { Limites } from '../../api/limites';
import { DEV_JWT_SECRET } from '../../platform/config';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE, LYCEE } from '../support/fixtures';
import { appSansTemporal } from './app-sans-temporal';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => db?.close());

const aucune: Limites = { requetesParIp: 0, requetesParPersonne: 0, importsParHeure: 0, proxies: 0 };
const jeton = async (role: RolePersonne, nom: string) =>
  `Bearer ${await emettreJeton(DEV_JWT_SECRET, { role, uai: role === 'saio' ? null : role.startsWith('origine') ? COLLEGE : LYCEE, nom })}`;

function attendre429(res: request.Response, message: RegExp): void {
  expect([res.status, res.body.erreur.code]).toEqual([429, 'trop_de_requetes']);
  expect(res.body.erreur.message).toMatch(message);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

describe('rate limits', () => {
  it('stop one IP address past its limit, on every route', async () => {
    const app = appSansTemporal(db, { limites: { ...aucune, requetesParIp: 3 } });
    for (let i = 0; i < 3; i += 1) expect((await request(app).get('/openapi.json')).status).toBe(200);
    attendre429(await request(app).get('/health'), /depuis cette adresse/);
  });

  it('read the IP past the deployment proxies only', async () => {
    const app = appSansTemporal(db, { limites: { ...aucune, requetesParIp: 1, proxies: 1 } });
    expect((await request(app).get('/openapi.json').set('x-forwarded-for', '198.51.100.1')).status).toBe(200);
    expect((await request(app).get('/openapi.json').set('x-forwarded-for', '198.51.100.2')).status).toBe(200);
    attendre429(await request(app).get('/openapi.json').set('x-forwarded-for', '198.51.100.1'), /adresse/);
  });

  it('stop one person past their limit, whoever else calls', async () => {
    const app = appSansTemporal(db, { limites: { ...aucune, requetesParPersonne: 2 } });
    const a = await jeton('accueil_chef', 'M. Proviseur');
    const b = await jeton('accueil_chef', 'Mme Adjointe');
    for (let i = 0; i < 2; i += 1) expect((await request(app).get('/candidatures').set('authorization', a)).status).toBe(200);
    attendre429(await request(app).get('/candidatures').set('authorization', a), /pour ce compte/);
    expect((await request(app).get('/candidatures').set('authorization', b)).status).toBe(200);
  });

  it('answer 429 before the body is read or the action is looked at', async () => {
    const app = appSansTemporal(db, { limites: { ...aucune, requetesParPersonne: 1 } });
    const a = await jeton('origine_chef', 'Mme Principale');
    await request(app).get('/candidatures').set('authorization', a);
    attendre429(await request(app).post('/candidatures/x/avis-origine').set('authorization', a).send('{ illisible'), /compte/);
  });
});

describe('class list imports', () => {
  const entete = colonnesImport.map((c) => c.nom).join(';');
  const ligne = `123456789AB;Martin;Léa;3e;${COLLEGE};M. Durand;pp.durand@ac-creteil.fr;metallerie;Métallerie;individuel;${LYCEE};24025401;2nde pro`;

  it(`are refused past ${MAX_LIGNES_IMPORT} lines (413), before any line is checked`, async () => {
    const app = appSansTemporal(db);
    const corps = [entete, ...Array.from({ length: MAX_LIGNES_IMPORT + 1 }, () => ligne)].join('\n');
    const res = await request(app)
      .post('/candidatures/import?campagne=creteil-2027')
      .set('authorization', await jeton('origine_chef', 'Mme Principale'))
      .type('text/csv')
      .send(corps);
    expect([res.status, res.body.erreur.code]).toEqual([413, 'import_trop_long']);
    expect(res.body.erreur.message).toContain(`au plus ${MAX_LIGNES_IMPORT}`);
  });

  it('are limited per school per hour, whoever of the school sends them', async () => {
    const app = appSansTemporal(db, { limites: { ...aucune, importsParHeure: 2 } });
    const envoyer = async (qui: string) =>
      request(app).post('/candidatures/import?campagne=creteil-2027').set('authorization', await jeton('origine_personnel', qui)).type('text/csv').send('');
    expect((await envoyer('M. Durand')).status).toBe(400);
    expect((await envoyer('Mme Petit')).status).toBe(400);
    const res = await envoyer('M. Durand');
    attendre429(res, /trop d'imports pour cet établissement : au plus 2 par heure/);
  });
});

describe('/health', () => {
  const panne = [
    { name: 'base', check: async () => {} },
    { name: 'worker', check: async () => { throw new Error('aucun worker sur la file passpro'); } },
  ];

  it('tells the outside its status alone', async () => {
    const ok = await request(appSansTemporal(db, { health: [{ name: 'base', check: async () => {} }] })).get('/health');
    expect([ok.status, ok.body]).toEqual([200, { statut: 'ok' }]);
    const ko = await request(appSansTemporal(db, { health: panne })).get('/health');
    expect([ko.status, ko.body]).toEqual([503, { statut: 'indisponible' }]);
  });

  it('gives the detail of the components to the SAIO only', async () => {
    const app = appSansTemporal(db, { health: panne });
    expect((await request(app).get('/health/composants')).status).toBe(401);
    expect((await request(app).get('/health/composants').set('authorization', await jeton('accueil_chef', 'M. Proviseur'))).status).toBe(403);
    const saio = await request(app).get('/health/composants').set('authorization', await jeton('saio', 'SAIO Créteil'));
    expect([saio.status, saio.body]).toEqual([503, { statut: 'indisponible', composants: { base: 'ok', worker: 'aucun worker sur la file passpro' } }]);
  });
});

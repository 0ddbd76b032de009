// Tokens: 12 hours at most from issue to expiry, the audience checked, an id that the SAIO revokes, and a
// revocation that outlives no cache.
import { decodeJwt, SignJWT } from 'jose';
import request from 'supertest';
import { AUDIENCE, emettreJeton, ISSUER, REVOCATION_RELUE_MS, type RolePersonne } from '../../api/auth';
import { DEV_JWT_SECRET } from '../../platform/config';
import { testDatabase, type TestDatabase } from '../support/db';
import { COLLEGE } from '../support/fixtures';
import { appSansTemporal } from './app-sans-temporal';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => db?.close());
afterEach(() => jest.restoreAllMocks());

const cle = new TextEncoder().encode(DEV_JWT_SECRET);
const chef = { role: 'origine_chef' as RolePersonne, uai: COLLEGE, nom: 'Mme Principale' };
const maintenant = () => Math.floor(Date.now() / 1000);

/** A token signed with the right key, its claims as a test wants them. */
function signe(claims: { aud?: string; iat?: number; exp?: number; jti?: string }): Promise<string> {
  const jwt = new SignJWT({ role: 'origine_chef', uai: COLLEGE, ...(claims.aud ? { aud: claims.aud } : {}), ...(claims.jti ? { jti: claims.jti } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('Mme Principale')
    .setIssuer(ISSUER);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(cle);
}

const lire = (app: ReturnType<typeof appSansTemporal>, jeton: string) => request(app).get('/candidatures').set('authorization', `Bearer ${jeton}`);

describe('issuing a token', () => {
  it('gives it the audience, an id, and its issue time', async () => {
    const claims = decodeJwt(await emettreJeton(DEV_JWT_SECRET, chef, '8h'));
    expect(claims).toMatchObject({ aud: AUDIENCE, iss: ISSUER, sub: 'Mme Principale', jti: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(claims.exp! - claims.iat!).toBe(8 * 3600);
  });

  it.each(['13h', '7d', 43_201, 0])('refuses a lifetime of %j (12 hours at most)', async (duree) => {
    await expect(emettreJeton(DEV_JWT_SECRET, chef, duree)).rejects.toThrow(/au plus 12 heures/);
  });
});

describe('checking a token', () => {
  it('accepts a token of its own', async () => {
    const app = appSansTemporal(db);
    expect((await lire(app, await emettreJeton(DEV_JWT_SECRET, chef, '12h'))).status).toBe(200);
  });

  it.each([
    ['another audience', { aud: 'autre-application', iat: maintenant(), exp: maintenant() + 3600, jti: 'a1' }],
    ['no audience', { iat: maintenant(), exp: maintenant() + 3600, jti: 'a2' }],
    ['no iat', { aud: AUDIENCE, exp: maintenant() + 3600, jti: 'a3' }],
    ['no jti', { aud: AUDIENCE, iat: maintenant(), exp: maintenant() + 3600 }],
    ['a lifetime of 100 years', { aud: AUDIENCE, iat: maintenant(), exp: maintenant() + 100 * 365 * 86_400, jti: 'a4' }],
    ['a lifetime of 12 hours and a second', { aud: AUDIENCE, iat: maintenant(), exp: maintenant() + 12 * 3600 + 1, jti: 'a5' }],
    ['an iat in the future', { aud: AUDIENCE, iat: maintenant() + 3600, exp: maintenant() + 7200, jti: 'a6' }],
  ])('refuses a token with %s (401)', async (_cas, claims) => {
    const res = await lire(appSansTemporal(db), await signe(claims));
    expect([res.status, res.body.erreur.code]).toEqual([401, 'non_authentifie']);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });
});

describe('revoking a token', () => {
  it('is for the SAIO, by the id, and checks the body', async () => {
    const app = appSansTemporal(db);
    const jti = decodeJwt(await emettreJeton(DEV_JWT_SECRET, chef)).jti;
    const parChef = await request(app).post('/jetons/revocations').set('authorization', `Bearer ${await emettreJeton(DEV_JWT_SECRET, chef)}`).send({ jti });
    expect([parChef.status, parChef.body.erreur.code]).toEqual([403, 'acces_refuse']);
    const anonyme = await request(app).post('/jetons/revocations').send({ jti });
    expect(anonyme.status).toBe(401);
    const saio = `Bearer ${await emettreJeton(DEV_JWT_SECRET, { role: 'saio', uai: null, nom: 'SAIO Créteil' })}`;
    for (const corps of [{}, { jti: 'pas-un-uuid' }, { jti, autre: 1 }]) {
      const res = await request(app).post('/jetons/revocations').set('authorization', saio).send(corps);
      expect([res.status, res.body.erreur.code]).toEqual([400, 'requete_invalide']);
    }
  });

  it('refuses the token at once in this process, and within seconds in another', async () => {
    const app = appSansTemporal(db);
    const autreProcessus = appSansTemporal(db);
    const jeton = await emettreJeton(DEV_JWT_SECRET, chef);
    const { jti } = decodeJwt(jeton);
    // Both processes have verified it, and keep it.
    expect((await lire(app, jeton)).status).toBe(200);
    expect((await lire(autreProcessus, jeton)).status).toBe(200);

    const saio = `Bearer ${await emettreJeton(DEV_JWT_SECRET, { role: 'saio', uai: null, nom: 'SAIO Créteil' })}`;
    const revoque = await request(app).post('/jetons/revocations').set('authorization', saio).send({ jti, motif: 'poste partagé' });
    expect([revoque.status, revoque.body]).toEqual([201, { jti, par: 'SAIO Créteil', motif: 'poste partagé', revoqueLe: expect.any(String) }]);
    const encore = await request(app).post('/jetons/revocations').set('authorization', saio).send({ jti, motif: 'autre' });
    expect([encore.status, encore.body.motif]).toEqual([200, 'poste partagé']);

    const refus = await lire(app, jeton);
    expect([refus.status, refus.body.erreur.message]).toEqual([401, expect.stringContaining('révoqué')]);
    // The other process reads the revocations again once its verdict is REVOCATION_RELUE_MS old.
    const plusTard = Date.now() + REVOCATION_RELUE_MS + 1;
    jest.spyOn(Date, 'now').mockReturnValue(plusTard);
    expect((await lire(autreProcessus, jeton)).status).toBe(401);
    jest.restoreAllMocks();
    // Another token of the same person is not revoked.
    expect((await lire(app, await emettreJeton(DEV_JWT_SECRET, chef))).status).toBe(200);
  });
});

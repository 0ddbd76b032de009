// Workflow data encrypted (platform/codec.ts): a candidature's raw history on the time-skipping server, read
// without the codec, holds no pupil's name in clear; the codec endpoint (api/codec.ts) decodes it for the SAIO,
// and for nobody else.
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Express } from 'express';
import request from 'supertest';
import { emettreJeton, type Appelant, type RolePersonne } from '../../api/auth';
import { buildApp } from '../../api/app';
import { connexionOptions } from '../../api/web/connexion';
import { createSession, nomsCookies } from '../../api/web/sessions';
import { ENCODAGE_CHIFFRE } from '../../platform/codec';
import { DEV_ID_KEY, DEV_JWT_SECRET, loadConfig } from '../../platform/config';
import { avisOrigineInput, campagneEn, candidatureInput, COLLEGE, eleve, LYCEE } from '../support/fixtures';
import { convertisseurDeTest } from '../support/temporal';
import { contexteDeTests, idDe, inscrireAuDemarrage, withWorker } from '../support/workflow-env';
import { saisirAvisOrigineUpdate, stateQuery } from '../../workflows/definitions';

const ctx = contexteDeTests({ horlogeNeuve: false });
const UI = 'http://localhost:8233';
const config = loadConfig({ TEMPORAL_UI_URL: UI });
const reglages = connexionOptions(config);
const pupille = { ...eleve(), nom: 'Quatremère', prenom: 'Séraphine', referentNom: 'Mme Vauquelin', referentEmail: 'referente.vauquelin@ac-creteil.fr' };
const input = candidatureInput(campagneEn('creteil-2018', 2027), { eleve: pupille });
const enClair = [pupille.ine, pupille.nom, pupille.prenom, pupille.referentNom, pupille.referentEmail];

type ChargeJson = { metadata?: Record<string, string>; data?: string };
const enJson = (p: temporal.api.common.v1.IPayload): ChargeJson => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const donnees = (p: ChargeJson) => Buffer.from(p.data ?? '', 'base64').toString('utf8');

let app: Express;
let brut: Client;
/** The raw history of one candidature, and its payloads as the Temporal UI sends them to the codec. */
let historique: Buffer;
let charges: ChargeJson[];

const jeton = async (role: RolePersonne) => `Bearer ${await emettreJeton(DEV_JWT_SECRET, { role, uai: role === 'saio' ? null : role.startsWith('origine') ? COLLEGE : LYCEE, nom: `Test ${role}` }, '1h')}`;
const cookieDe = async (appelant: Appelant) => `${nomsCookies(reglages).session}=${await createSession(ctx.db.prisma, reglages, { appelant, sub: `sub-${appelant.role}`, idToken: 'x.y.z' })}`;
const decoder = (corps: unknown) => request(app).post('/codec/decode').set('content-type', 'application/json').set('x-namespace', 'default').send(corps as object);

beforeAll(async () => {
  app = buildApp({
    client: ctx.env.client,
    db: ctx.db,
    taskQueue: 'chiffrement',
    jwtSecret: DEV_JWT_SECRET, cleIdentifiants: DEV_ID_KEY,
    health: [],
    logError: console.error,
    connexion: reglages,
    codec: { codec: convertisseurDeTest.payloadCodecs![0], namespace: 'default', origines: [UI] },
  });
  brut = new Client({ connection: ctx.env.connection });
  await withWorker(ctx, async (taskQueue) => {
    await inscrireAuDemarrage(ctx, taskQueue, input);
    const handle = ctx.env.client.workflow.getHandle(idDe(input));
    await handle.executeUpdate(saisirAvisOrigineUpdate, { args: [avisOrigineInput(input.voeux, ['favorable', 'reserve'])] });
    // The product's client reads the state back in clear.
    expect((await handle.query(stateQuery)).eleve.nom).toBe(pupille.nom);
  });
  const history = await brut.workflow.getHandle(idDe(input)).fetchHistory();
  historique = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  charges = [];
  const collecter = (valeur: unknown): void => {
    if (!valeur || typeof valeur !== 'object') return;
    if (Array.isArray(valeur)) return valeur.forEach(collecter);
    const objet = valeur as Record<string, unknown>;
    if (Array.isArray(objet.payloads)) for (const p of objet.payloads as temporal.api.common.v1.IPayload[]) charges.push(enJson(p));
    else Object.values(objet).forEach(collecter);
  };
  collecter(history.events);
}, 120_000);

describe('workflow data encrypted in Temporal', () => {
  it('holds no INE, name, first name, referent or e-mail in clear in the raw history, its search attributes or its id', async () => {
    expect(charges.length).toBeGreaterThan(3);
    const id = idDe(input);
    expect(id).toMatch(/^passpro:creteil-2018:[0-9a-f]{24}:metallerie$/);
    const { searchAttributes } = await brut.workflow.getHandle(id).describe();
    expect(JSON.stringify(searchAttributes)).not.toContain(pupille.ine);
    for (const mot of enClair) expect([mot, historique.includes(Buffer.from(mot, 'utf8'))]).toEqual([mot, false]);
    // Every payload that holds data is encrypted; those of nothing (an activity's void result) have none.
    for (const charge of charges) {
      const encodage = Buffer.from(charge.metadata!.encoding, 'base64').toString();
      expect(encodage === ENCODAGE_CHIFFRE || (encodage === 'binary/null' && !charge.data)).toBe(true);
    }
    expect(charges.filter((c) => Buffer.from(c.metadata!.encoding, 'base64').toString() === ENCODAGE_CHIFFRE).length).toBeGreaterThan(3);
  });

  it('decodes the history for the SAIO signed in at Passpro (the Temporal UI sends its session cookie)', async () => {
    const res = await decoder({ payloads: charges }).set('origin', UI).set('cookie', await cookieDe({ role: 'saio', uai: null, nom: 'SAIO Créteil' }));
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const decodees = res.body.payloads as ChargeJson[];
    expect(decodees).toHaveLength(charges.length);
    expect(Buffer.from(decodees[0].metadata!.encoding, 'base64').toString()).toBe('json/plain');
    const texte = decodees.map(donnees).join('\n');
    for (const mot of enClair) expect(texte).toContain(mot);
  });

  it('decodes for a SAIO token (the CLI, --codec-auth), and encodes what it decodes back', async () => {
    const saio = await jeton('saio');
    const [decodee] = (await decoder({ payloads: [charges[0]] }).set('authorization', saio)).body.payloads as ChargeJson[];
    const encodee = await request(app).post('/codec/encode').set('authorization', saio).send({ payloads: [decodee] });
    expect(encodee.status).toBe(200);
    expect(donnees(encodee.body.payloads[0])).not.toContain(pupille.nom);
    const relue = await decoder(encodee.body).set('authorization', saio);
    expect(relue.body.payloads).toEqual([decodee]);
  });

  it('refuses anyone else: no sign-in 401, a collège or a lycée 403, by token or by session', async () => {
    expect((await decoder({ payloads: charges }).set('origin', UI)).status).toBe(401);
    expect((await decoder({ payloads: charges }).set('cookie', `${nomsCookies(reglages).session}=inconnu`)).status).toBe(401);
    for (const role of ['origine_chef', 'origine_personnel', 'accueil_chef', 'accueil_personnel'] as const) {
      const parJeton = await decoder({ payloads: charges }).set('authorization', await jeton(role));
      expect([role, parJeton.status, parJeton.body.erreur?.code]).toEqual([role, 403, 'acces_refuse']);
    }
    const lycee = await decoder({ payloads: charges }).set('cookie', await cookieDe({ role: 'accueil_chef', uai: LYCEE, nom: 'M. Proviseur' }));
    expect([lycee.status, JSON.stringify(lycee.body)]).toEqual([403, expect.not.stringContaining(pupille.nom)]);
    expect((await request(app).post('/codec/encode').send({ payloads: [] })).status).toBe(401);
  });

  it.each([
    ['no payloads', {}, 'body.payloads'],
    ['payloads not a list', { payloads: 'tout' }, 'body.payloads'],
    ['data not base64', { payloads: [{ data: '§§§' }] }, 'body.payloads.0.data'],
    ['an unknown field', { payloads: [], cle: 'x' }, 'body.cle'],
  ])('answers 400 to a bad body (%s), naming the field', async (_cas, corps, champ) => {
    const res = await decoder(corps).set('authorization', await jeton('saio'));
    expect([res.status, res.body.erreur.code, res.body.erreur.champ]).toEqual([400, 'requete_invalide', champ]);
  });

  it('answers 400 to a payload it cannot decrypt, or another namespace', async () => {
    const saio = await jeton('saio');
    const altere = { ...charges[0], data: Buffer.from('n importe quoi, chiffré ou pas').toString('base64') };
    const res = await decoder({ payloads: [altere] }).set('authorization', saio);
    expect([res.status, res.body.erreur.code]).toEqual([400, 'charge_illisible']);
    const ailleurs = await decoder({ payloads: charges }).set('authorization', saio).set('x-namespace', 'autre');
    expect([ailleurs.status, ailleurs.body.erreur.champ]).toEqual([400, 'headers.x-namespace']);
  });

  it("answers the Temporal UI's preflight from its origin only", async () => {
    const preflight = await request(app).options('/codec/decode').set('origin', UI).set('access-control-request-method', 'POST');
    expect([preflight.status, preflight.headers['access-control-allow-origin'], preflight.headers['access-control-allow-headers']]).toEqual([204, UI, expect.stringContaining('X-Namespace')]);
    const autre = await request(app).options('/codec/decode').set('origin', 'https://ailleurs.example').set('access-control-request-method', 'POST');
    expect(autre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

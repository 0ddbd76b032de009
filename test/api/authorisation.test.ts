// Who may do what, table-driven: each role × each action × own school / another school, against the real
// dev server and database. Forbidden: 403 (the role never may) before anything is looked up; another
// school's candidature: 404, as if it did not exist; allowed: the workflow is asked (200, or its own 409
// for the step or the date — never a refusal by role, which would mean the API and the workflow disagree).
import { candidatureWorkflowId } from '../../platform/identifiants-candidature';
import { DEV_ID_KEY } from '../../platform/config';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request from 'supertest';
import { AUDIENCE, rolesPersonnes, type RolePersonne } from '../../api/auth';
import { autorisations, type Action } from '../../domain/autorisations';
import { addDays, checkDateEntretien } from '../../domain/calendar';
import type { CandidatureState } from '../../domain/candidature';
import { stateQuery } from '../../workflows/definitions';
import { AUTRE_COLLEGE, bearer, corpsInscription, COLLEGE, SECRET, startStack, uaiDuRole, type Stack } from './harness';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('authz');
}, 120_000);
afterAll(async () => stack?.stop());

const chemin = (id: string, action?: string) => `/candidatures/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/** A candidature registered by the collège's head, optionally with its interview planned by the lycée. */
async function candidature(convoquee = false): Promise<string> {
  const created = await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef')).send(corpsInscription());
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (convoquee) {
    const planned = await request(stack.app).post(chemin(id, 'entretien')).set('authorization', await bearer('accueil_chef')).send(planification());
    expect(planned.status).toBe(200);
  }
  return id;
}

const etat = (id: string): Promise<CandidatureState> => stack.env.client.workflow.getHandle(id).query(stateQuery);

/** The first working day at least a week ahead (the interview must be in the future, not on a weekend or holiday). */
function jourOuvre(): string {
  let date = addDays(new Date().toISOString().slice(0, 10), 7);
  while (!checkDateEntretien(date).ok) date = addDays(date, 1);
  return date;
}
const planification = () => ({ date: jourOuvre(), heure: '10:00', lieu: 'Lycée Jean Moulin, salle 12', mode: 'presentiel' });

/** A valid body for each action, and the step the candidature must be at. */
const cas: Record<Action, { corps: () => object; convoquee?: boolean; attendu: number; raison?: RegExp }> = {
  inscription: { corps: () => ({ voeux: [{ codeFormation: '50025416', libelle: 'CAP métallier' }] }), attendu: 200 },
  'avis-origine': {
    corps: () => ({
      avis: [
        { codeFormation: '24025401', avis: 'favorable', commentaire: 'Élève motivée, stage réussi.' },
        { codeFormation: '50025415', avis: 'assez_favorable', commentaire: 'Projet à préciser.' },
      ],
    }),
    attendu: 200,
  },
  entretien: { corps: planification, attendu: 200 },
  // On the real clock the interview is days ahead: the workflow refuses to record it before its date.
  'constat-entretien': { corps: () => ({ present: true }), convoquee: true, attendu: 409, raison: /ne peut être constaté avant/ },
  'compte-rendu': {
    corps: () => ({ texte: 'Bon entretien.', avis: [{ codeFormation: '24025401', avis: 'favorable' }, { codeFormation: '50025415', avis: 'favorable' }] }),
    attendu: 409,
    raison: /à l'étape a_planifier/,
  },
  'confirmation-famille': { corps: () => ({}), attendu: 409, raison: /à l'étape a_planifier/ },
  'saisie-affelnet': { corps: () => ({ voeux: ['24025401'] }), attendu: 409, raison: /à l'étape a_planifier/ },
  'annulation-entretien': { corps: () => ({ motif: "l'élève est malade ce jour-là" }), convoquee: true, attendu: 200 },
  desistement: { corps: () => ({ motif: 'projet abandonné' }), attendu: 200 },
};

type Ligne = [Action, RolePersonne, 'son établissement' | 'un autre établissement' | 'tout établissement', number];
const table: Ligne[] = [];
for (const action of Object.keys(cas) as Action[]) {
  for (const role of rolesPersonnes) {
    const permis = (autorisations[action].roles as readonly string[]).includes(role);
    for (const autre of role === 'saio' ? [false] : [false, true]) {
      const attendu = !permis ? 403 : autre ? 404 : cas[action].attendu;
      table.push([action, role, role === 'saio' ? 'tout établissement' : autre ? 'un autre établissement' : 'son établissement', attendu]);
    }
  }
}

describe('actions on a candidature: role × action × school', () => {
  // Candidatures that forbidden callers try and fail to touch: they must not change.
  const temoins: { aPlanifier?: string; convoquee?: string } = {};
  beforeAll(async () => {
    [temoins.aPlanifier, temoins.convoquee] = await Promise.all([candidature(), candidature(true)]);
  }, 60_000);

  it('covers every action and role', () => {
    expect(table).toHaveLength(9 * (4 * 2 + 1));
  });

  it.each(table)('%s by %s at %s → %i', async (action, role, ecole, attendu) => {
    const { corps, convoquee, raison } = cas[action];
    const autorisation = await bearer(role, { autre: ecole === 'un autre établissement' });
    if (attendu === 403 || attendu === 404) {
      const id = convoquee ? temoins.convoquee! : temoins.aPlanifier!;
      const avant = await etat(id);
      const res = await request(stack.app).post(chemin(id, action)).set('authorization', autorisation).send(corps());
      expect([res.status, res.body.erreur?.code]).toEqual([attendu, attendu === 403 ? 'acces_refuse' : 'candidature_introuvable']);
      expect((await etat(id)).version).toBe(avant.version);
      return;
    }
    const id = await candidature(convoquee);
    const res = await request(stack.app).post(chemin(id, action)).set('authorization', autorisation).send(corps());
    expect([res.status, res.body.erreur?.message]).toEqual([attendu, attendu === 200 ? undefined : expect.stringMatching(raison!)]);
    if (attendu === 200) {
      // Who acted is the token's person, role and school — whatever the body might have said.
      expect((res.body as CandidatureState).historique.at(-1)!.acteur).toEqual({ role, uai: uaiDuRole(role), nom: `Test ${role}` });
    }
  });
});

describe('inscription (POST /candidatures): role × school', () => {
  const lignes: [RolePersonne, boolean, number][] = rolesPersonnes.flatMap((role) =>
    (role === 'saio' ? [false] : [false, true]).map((autre): [RolePersonne, boolean, number] => [
      role,
      autre,
      role.startsWith('origine') && !autre ? 201 : 403,
    ]),
  );
  it.each(lignes)('by %s (another school: %s) → %i', async (role, autre, attendu) => {
    const corps = corpsInscription();
    const res = await request(stack.app).post('/candidatures').set('authorization', await bearer(role, { autre })).send(corps);
    expect(res.status).toBe(attendu);
    if (attendu === 403) {
      expect(res.body.erreur.code).toBe('acces_refuse');
      const count = await stack.db.prisma.candidature.count({ where: { ine: corps.eleve.ine } });
      await expect(stack.env.client.workflow.getHandle(candidatureWorkflowId(DEV_ID_KEY, 'creteil-2027', corps.eleve.ine, 'metallerie')).describe()).rejects.toThrow();
      expect(count).toBe(0);
    } else {
      expect(res.body.historique[0].acteur).toEqual({ role, uai: COLLEGE, nom: `Test ${role}` });
    }
  });

  it('refuses an `acteur` in the body: who acts comes from the token', async () => {
    const res = await request(stack.app)
      .post('/candidatures')
      .set('authorization', await bearer('origine_personnel'))
      .send({ ...corpsInscription(), acteur: { role: 'saio', uai: null, nom: 'Usurpateur' } });
    expect(res.status).toBe(400);
    expect(res.body.erreur).toMatchObject({ code: 'requete_invalide', message: expect.stringContaining('acteur') });
  });

  it("does not show another collège's pupil through a recensement or an inscription of the same pupil and domaine", async () => {
    const corps = corpsInscription();
    expect((await request(stack.app).post('/candidatures').set('authorization', await bearer('origine_chef')).send(corps)).status).toBe(201);
    const intrus = await request(stack.app)
      .post('/candidatures')
      .set('authorization', await bearer('origine_chef', { autre: true }))
      .send({ ...corps, eleve: { ...corps.eleve, uaiOrigine: AUTRE_COLLEGE }, recensementSeulement: true });
    // The pupil is the first collège's in this campaign: said, nothing of him shown.
    expect(intrus.status).toBe(409);
    expect(intrus.body.erreur.code).toBe('eleve_d_un_autre_etablissement');
    expect(JSON.stringify(intrus.body)).not.toContain(corps.eleve.nom);
    const inscriptionIntruse = await request(stack.app)
      .post('/candidatures')
      .set('authorization', await bearer('origine_personnel', { autre: true }))
      .send({ ...corps, eleve: { ...corps.eleve, uaiOrigine: AUTRE_COLLEGE } });
    expect([inscriptionIntruse.status, inscriptionIntruse.body.erreur.code]).toEqual([409, 'eleve_d_un_autre_etablissement']);
    expect(JSON.stringify(inscriptionIntruse.body)).not.toContain(COLLEGE);
  });
});

describe('reading one candidature: role × school', () => {
  let id: string;
  beforeAll(async () => {
    id = await candidature();
  });
  const lignes: [RolePersonne, boolean, number][] = rolesPersonnes.flatMap((role) =>
    (role === 'saio' ? [false] : [false, true]).map((autre): [RolePersonne, boolean, number] => [role, autre, autre ? 404 : 200]),
  );
  it.each(lignes)('by %s (another school: %s) → %i', async (role, autre, attendu) => {
    const res = await request(stack.app).get(chemin(id)).set('authorization', await bearer(role, { autre }));
    expect(res.status).toBe(attendu);
    if (attendu === 200) expect(res.body.id).toBe(id);
    else expect(res.body).toEqual({ erreur: { code: 'candidature_introuvable', message: 'candidature introuvable' } });
  });

  it('answers an unknown candidature exactly as one of another school', async () => {
    const autre = await request(stack.app).get(chemin(id)).set('authorization', await bearer('accueil_chef', { autre: true }));
    const inconnue = await request(stack.app).get(chemin('passpro:creteil-2027:999999999ZZ:metallerie')).set('authorization', await bearer('saio'));
    expect([inconnue.status, inconnue.body]).toEqual([autre.status, autre.body]);
  });
});

describe('authentication', () => {
  let id: string;
  beforeAll(async () => {
    id = await candidature();
  });
  const maintenant = () => Math.floor(Date.now() / 1000);
  const signe = (claims: Record<string, unknown>, { secret = SECRET, issuer = 'passpro', exp = maintenant() + 600 as number | null } = {}) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(AUDIENCE).setJti(randomUUID()).setIssuedAt();
    if (exp !== null) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(secret));
  };
  const chef = { sub: 'Mme Principale', role: 'origine_chef', uai: COLLEGE };

  const cas401: [string, () => Promise<string | null>][] = [
    ['no Authorization header', async () => null],
    ['a Basic header', async () => 'Basic dXNlcjpwYXNz'],
    ['a token that is not a JWT', async () => 'Bearer pas-un-jeton'],
    ['a token signed with another secret', async () => `Bearer ${await signe(chef, { secret: 'un-autre-secret-de-plus-de-32-caracteres' })}`],
    ['an expired token', async () => `Bearer ${await signe(chef, { exp: maintenant() - 60 })}`],
    ['a token without expiry', async () => `Bearer ${await signe(chef, { exp: null })}`],
    ['a token of another issuer', async () => `Bearer ${await signe(chef, { issuer: 'ailleurs' })}`],
    ['an unsigned token (alg none)', async () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...chef, iss: 'passpro', exp: maintenant() + 600 })).toString('base64url')}.`],
    ['a token of an unknown role', async () => `Bearer ${await signe({ ...chef, role: 'systeme' })}`],
    ['a school role without UAI', async () => `Bearer ${await signe({ sub: 'X', role: 'accueil_chef' })}`],
    ['a token with a wrong UAI', async () => `Bearer ${await signe({ ...chef, uai: '0931234A' })}`],
    ['a SAIO token with a UAI', async () => `Bearer ${await signe({ sub: 'SAIO', role: 'saio', uai: COLLEGE })}`],
    ['a token without subject', async () => `Bearer ${await signe({ role: 'saio' })}`],
  ];

  it.each(cas401)('answers 401 non_authentifie to %s, on reads and actions, changing nothing', async (_cas, faire) => {
    const autorisation = await faire();
    const avant = await etat(id);
    const requetes = [
      request(stack.app).get('/candidatures'),
      request(stack.app).get(chemin(id)),
      request(stack.app).get('/statistiques'),
      request(stack.app).post(chemin(id, 'desistement')).send({ motif: 'projet abandonné' }),
      request(stack.app).post('/candidatures').send(corpsInscription()),
    ];
    for (const requete of requetes) {
      const res = await (autorisation ? requete.set('authorization', autorisation) : requete);
      expect([res.status, res.body.erreur?.code]).toEqual([401, 'non_authentifie']);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await etat(id)).version).toBe(avant.version);
  });

  it('says so when the token has expired', async () => {
    const res = await request(stack.app).get('/candidatures').set('authorization', `Bearer ${await signe(chef, { exp: maintenant() - 60 })}`);
    expect(res.body.erreur.message).toMatch(/expiré/);
  });

  it('refuses a token once it has expired, though it was accepted before (verified tokens are kept)', async () => {
    const exp = maintenant() + 2;
    const jeton = `Bearer ${await signe(chef, { exp })}`;
    expect((await request(stack.app).get(chemin(id)).set('authorization', jeton)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const res = await request(stack.app).get(chemin(id)).set('authorization', jeton);
    expect([res.status, res.body.erreur.message]).toEqual([401, expect.stringMatching(/expiré/)]);
  });

  it('leaves /health, /openapi.json and /docs open', async () => {
    for (const path of ['/health', '/openapi.json', '/docs/']) expect((await request(stack.app).get(path)).status).toBe(200);
  });
});
